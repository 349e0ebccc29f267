/* vmport-state convert --record-version N [--policy P] IN OUT */
#include <string.h>

#include "convert.h"

static int run(int argc, char **argv)
{
    struct convert_opts o;
    int rc;

    rc = convert_parse_opts(&cmd_convert, argc, argv, &o);
    if ( rc )
        return rc;
    if ( !o.version || argc - optind != 2 )
        return cli_usage_error(&cmd_convert, "expected --record-version N, "
                               "IN and OUT");
    argv += optind - 1;
    /*
     * stdin to stdout is a pipeline (xl migrate -s "... | convert ... - -"):
     * the stream goes out as it is walked and whatever follows it (xl's
     * go-ahead) is relayed, as filter does, instead of waiting for an EOF
     * that comes only after the receiver has answered.
     */
    rc = cli_copy(argv[1], argv[2], convert_visitor, &o,
                  !strcmp(argv[1], "-") && !strcmp(argv[2], "-")
                  ? VS_OPEN_PASS_TRAILING : 0);
    if ( o.refused )
        return EXIT_REFUSED;
    if ( !rc && !o.records )
        fprintf(stderr, "vmport-state convert: %s has no VMPORT record; "
                "copied unchanged\n", argv[1]);
    return rc;
}

const struct cmd cmd_convert = {
    .name = "convert",
    .summary = "rewrite the VMPORT record for another record version",
    .usage = "convert --record-version N [--policy refuse|checkpoint] "
             "[--force] IN OUT\n\n"
             "Copies IN to OUT (- for stdout; a file is written through a\n"
             "temporary and renamed) with the VMPORT record converted to\n"
             "version N.  Going down to 1, state version 1 cannot carry\n"
             "(partial transfers, a trigger) is refused (exit 7) or, with\n"
             "--policy checkpoint, dropped and the channels marked so the\n"
             "guest retries.  Everything else is copied byte for byte.\n"
             "From - to - it works in a live pipeline like filter: the\n"
             "stream is written as it is read, later bytes are relayed.\n"
             "OUT is replaced as guestinfo set replaces a FILE (see its\n"
             "--help); --force replaces one without write permission.",
    .run = run,
};
