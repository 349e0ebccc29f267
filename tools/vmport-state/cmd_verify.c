/*
 * vmport-state verify FILE: framing, padding, ordering, lengths and the
 * semantics of every HVM record (VMPORT included, through the same
 * bounds table the hypervisor loader uses); every problem with its
 * offset on stderr.
 */
#include <unistd.h>

#include "cli.h"

static int count_record(struct vs_stream *s, const struct vs_rec *r,
                        void *opaque)
{
    unsigned int *n = opaque;

    (void)s;
    n[r->level]++;
    return VS_KEEP;
}

static int run(int argc, char **argv)
{
    unsigned int n[4] = { 0 };
    struct vs_stream *s;
    int fd, rc;

    if ( argc != 2 )
        return cli_usage_error(&cmd_verify, "expected one FILE");
    fd = cli_open_in(argv[1]);
    if ( fd < 0 )
        return EXIT_IO;
    s = vs_open(fd, argv[1], -1, cli_stream_flags(), stderr);
    if ( !s )
        return EXIT_IO;
    rc = vs_walk(s, count_record, n);
    if ( rc == 0 )
        printf("%s: OK: %s%s, %u libxl, %u libxc and %u HVM records\n",
               argv[1], vs_input_gzip(s) ? "gzip " : "",
               vs_kind_name(vs_kind(s)), n[VS_LEVEL_LIBXL],
               n[VS_LEVEL_LIBXC], n[VS_LEVEL_HVM]);
    else
        printf("%s: INVALID: %u problem%s\n", argv[1], vs_problems(s),
               vs_problems(s) == 1 ? "" : "s");
    vs_close(s);
    if ( fd != STDIN_FILENO )
        close(fd);
    return rc ? EXIT_PROBLEMS : EXIT_OK;
}

const struct cmd cmd_verify = {
    .name = "verify",
    .summary = "check framing, padding, ordering, CRCs and HVM semantics",
    .usage = "verify FILE\n\n"
             "Checks every level: xl header, libxl and libxc framing,\n"
             "zero padding, record order, REC_LENGTH_MAX, PAGE_DATA pfn\n"
             "arrays, and inside HVM_CONTEXT every descriptor and the\n"
             "semantics of every standard 4.17 record and of VMPORT (CRC,\n"
             "sections, bounds).  Each problem is printed on stderr as\n"
             "'FILE: offset 0xN: ...'; the exit status is 1 if any.",
    .run = run,
};
