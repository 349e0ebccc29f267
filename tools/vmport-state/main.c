/*
 * vmport-state: read, verify, dump, edit and convert Xen save images and
 * migration streams.  One file per subcommand, dispatched from cmds[].
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cmd *const cmds[] = {
    &cmd_records, &cmd_hvmctx, &cmd_verify, &cmd_dump, &cmd_encode,
    &cmd_guestinfo, &cmd_trigger, &cmd_enable, &cmd_convert, &cmd_diff,
    &cmd_filter, &cmd_gen, &cmd_limits,
};

const char *cli_prog = "vmport-state";

static void usage(FILE *f)
{
    unsigned int i;

    fprintf(f, "usage: vmport-state COMMAND [ARGS]   (COMMAND --help for "
            "details)\n       vmport-state --help | --version\n\n"
            "commands:\n");
    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
        fprintf(f, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
    fprintf(f, "\nexit status: 0 ok, 1 invalid input or differences, "
            "2 usage, 3 I/O error,\n4 not running on a Xen host, 5 no "
            "vmport support in the hypervisor,\n6 Xen call failed, "
            "7 conversion refused.  See vmport-state(1).\n");
}

int main(int argc, char **argv)
{
    unsigned int i;

    if ( argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") )
    {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if ( !strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") )
    {
        cli_version();
        return EXIT_OK;
    }
    for ( i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++ )
        if ( !strcmp(argv[1], cmds[i]->name) )
        {
            if ( cli_help(cmds[i], argc - 1, argv + 1) )
                return EXIT_OK;
            return cmds[i]->run(argc - 1, argv + 1);
        }
    fprintf(stderr, "vmport-state: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
