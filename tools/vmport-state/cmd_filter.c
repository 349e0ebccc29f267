/*
 * vmport-state filter: stdin to stdout for an `xl migrate` pipeline.
 * The VMPORT record is validated (and with --record-version converted) in
 * flight; every other byte passes unchanged, including what xl sends
 * after the stream (the go-ahead message), which is relayed as it comes.
 */
#include <unistd.h>

#include "convert.h"

static int run(int argc, char **argv)
{
    struct convert_opts o;
    struct vs_stream *s;
    int rc;

    rc = convert_parse_opts(&cmd_filter, argc, argv, &o);
    if ( rc )
        return rc;
    if ( optind < argc )
        return cli_usage_error(&cmd_filter, "unexpected '%s' (filter reads "
                               "stdin and writes stdout)", argv[optind]);
    s = cli_stream_open(STDIN_FILENO, "stdin", STDOUT_FILENO,
                        VS_OPEN_PASS_TRAILING | VS_OPEN_STOP_AT_PROBLEM);
    if ( !s )
        return EXIT_IO;
    rc = vs_walk(s, convert_visitor, &o);
    vs_close(s);
    if ( o.refused )
        return EXIT_REFUSED;
    return rc ? EXIT_PROBLEMS : EXIT_OK;
}

const struct cmd cmd_filter = {
    .name = "filter",
    .summary = "validate/convert the VMPORT record in a stream, stdin to "
               "stdout",
    .usage = "filter [--record-version N [--policy refuse|checkpoint]]\n\n"
             "For `xl migrate -s \"vmport-state filter | ssh host ...\"`-style\n"
             "pipelines: reads an xl/libxl/libxc stream on stdin and writes\n"
             "it to stdout, checking the VMPORT record (and converting it\n"
             "with --record-version).  All other bytes, including any that\n"
             "follow the stream, pass through unchanged.",
    .run = run,
};
