/*
 * vmport-state enable --domain D [--hwver N]
 *
 * Turns vmport on for a domain created paused (xl create -p), without a
 * toolstack change: it adds a VMPORT record holding only the CONFIG
 * section to the domain's HVM context (get, modify, set while paused).
 * A vmport-capable hypervisor's VMPORT load handler enables the device
 * from that record; a stock one rejects the set (exit 5).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <vmport-record.h>

static int edit(struct vrec *r, void *opaque, char *err,
                size_t errlen)
{
    unsigned int hwver = *(unsigned int *)opaque;

    (void)err;
    (void)errlen;
    if ( r->config.hwver )
    {
        printf("vmport already enabled (hwver %u); unchanged\n",
               r->config.hwver);
        return EXIT_OK;
    }
    vrec_default_config(r, hwver);
    printf("vmport enabled, hwver %u\n", hwver);
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "hwver", required_argument, NULL, 'h' },
        { 0 }
    };
    const char *domain = NULL;
    unsigned int hwver = 7;
    unsigned long v;
    int o;

    while ( (o = cli_getopt(&cmd_enable, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'd':
            domain = optarg;
            break;
        case 'h':
            if ( cli_uint(&cmd_enable, "--hwver", optarg, 1, 255, &v) )
                return EXIT_USAGE;
            hwver = v;
            break;
        default:
            return EXIT_USAGE;
        }
    if ( optind < argc )
        return cli_usage_error(&cmd_enable, "unexpected '%s'", argv[optind]);
    if ( !domain )
        return cli_usage_error(&cmd_enable, "expected --domain D");
    return cli_rec_create_domain(domain, edit, &hwver);
}

const struct cmd cmd_enable = {
    .name = "enable",
    .summary = "turn vmport on for a paused domain (works with stock xl)",
    .usage = "enable --domain D [--hwver N]\n\n"
             "For a domain created with `xl create -p`: adds a VMPORT record\n"
             "with hardware version N (default 7) and default limits to its\n"
             "HVM context, then `xl unpause`.  Exit 5 if the hypervisor has\n"
             "no vmport support.",
    .run = run,
};
