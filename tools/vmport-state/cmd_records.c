/* vmport-state records FILE: every record at every level, with offsets. */
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include <vmport-stream-format.h>

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

static void summary(struct vs_stream *s, int rc, void *opaque)
{
    (void)opaque;
    if ( !rc )
        printf("stream: %s%s, no problems\n",
               vs_input_gzip(s) ? "gzip-compressed " : "",
               vs_kind_name(vs_kind(s)));
}

static int run(int argc, char **argv)
{
    if ( argc != 2 )
        return cli_usage_error(&cmd_records, "expected one FILE");
    return cli_walk_file(argv[1], VS_OPEN_SKIM, print_record, stdout,
                         summary);
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
