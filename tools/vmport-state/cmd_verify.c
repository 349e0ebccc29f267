/*
 * vmport-state verify FILE: framing, padding, ordering, lengths and the
 * semantics of every HVM record (VMPORT included, through the same
 * bounds table the hypervisor loader uses); every problem with its
 * offset on stderr.
 */

#include "cli.h"

struct tally {
    const char *path;
    unsigned int n[4];
};

static int count_record(struct vs_stream *s, const struct vs_rec *r,
                        void *opaque)
{
    struct tally *t = opaque;

    (void)s;
    t->n[r->level]++;
    return VS_KEEP;
}

static void summary(struct vs_stream *s, int rc, void *opaque)
{
    struct tally *t = opaque;

    if ( !rc )
        printf("%s: OK: %s%s%s, %u libxl, %u libxc and %u HVM records\n",
               t->path, vs_input_compression(s) ?: "",
               vs_input_compression(s) ? " " : "",
               vs_kind_name(vs_kind(s)), t->n[VS_LEVEL_LIBXL],
               t->n[VS_LEVEL_LIBXC], t->n[VS_LEVEL_HVM]);
    else
        printf("%s: INVALID: %u problem%s\n", t->path, vs_problems(s),
               vs_problems(s) == 1 ? "" : "s");
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = { { 0 } };
    struct tally t;

    if ( cli_getopt(&cmd_verify, argc, argv, "", opts) != -1 )
        return EXIT_USAGE;
    if ( argc - optind > 1 )
        return cli_usage_error(&cmd_verify, "unexpected '%s' (one FILE)",
                               argv[optind + 1]);
    if ( argc - optind != 1 )
        return cli_usage_error(&cmd_verify, "expected one FILE");
    t = (struct tally){ .path = argv[optind] };
    return cli_walk_file(argv[optind], 0, count_record, &t, summary);
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
