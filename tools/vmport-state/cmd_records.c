/* vmport-state records FILE: every record at every level, with offsets. */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/vs_format.h"

static int print_record(struct vs_stream *s, const struct vs_rec *r,
                        void *opaque)
{
    static const int indent[] = { 0, 0, 2, 4 };
    FILE *f = opaque;
    char type[32];

    (void)s;
    snprintf(type, sizeof(type), "%s", vs_rec_name(r->level, r->type));
    fprintf(f, "0x%010" PRIx64 "  %-5s %*s%-*s type %#-10x length %-9u",
            r->offset, vs_level_name(r->level), indent[r->level], "",
            26 - indent[r->level], type, r->type, r->length);
    if ( r->level == VS_LEVEL_HVM )
        fprintf(f, " instance %u", r->instance);
    else if ( r->level == VS_LEVEL_LIBXC && r->type == VS_REC_PAGE_DATA &&
              r->body_len >= 16 )
    {
        uint32_t count;
        uint64_t pfn0;

        memcpy(&count, r->body, 4);
        memcpy(&pfn0, r->body + 8, 8);
        fprintf(f, " pfns %u first %#" PRIx64, count,
                (uint64_t)(pfn0 & VS_PFN_MASK));
    }
    fputc('\n', f);
    return VS_KEEP;
}

static int run(int argc, char **argv)
{
    struct vs_stream *s;
    int fd, rc;

    if ( argc != 2 )
        return cli_usage_error(&cmd_records, "expected one FILE");
    fd = cli_open_in(argv[1]);
    if ( fd < 0 )
        return EXIT_IO;
    s = vs_open(fd, argv[1], -1, cli_stream_flags() | VS_OPEN_SKIM, stderr);
    if ( !s )
        return EXIT_IO;
    rc = vs_walk(s, print_record, stdout);
    if ( rc == 0 )
        printf("%s: %s%s stream, no problems\n", argv[1],
               vs_input_gzip(s) ? "gzip-compressed " : "",
               vs_kind_name(vs_kind(s)));
    rc = rc ? EXIT_PROBLEMS : EXIT_OK;
    vs_close(s);
    if ( fd != STDIN_FILENO )
        close(fd);
    return rc;
}

const struct cmd cmd_records = {
    .name = "records",
    .summary = "list every record at every level with offsets and lengths",
    .usage = "records FILE\n\n"
             "FILE is an xl save file, a libxl or libxc stream, a raw HVM\n"
             "context, or any of these gzip-compressed; - reads stdin.\n"
             "Offsets are in the decompressed stream.  Problems are\n"
             "reported on stderr and make the exit status 1.",
    .run = run,
};
