/*
 * vmport-state limits --domain D [--set NAME=VALUE]...
 * A live domain's vmport limits and the Xen memory its backdoor holds
 * against the budget they give (XEN_DMOP_vmport GET_LIMITS, GET_USAGE);
 * --set changes limits before the domain first runs (SET_LIMITS).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "limits.h"
#include "live_dmop.h"

#define MAX_SETS 16

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "set", required_argument, NULL, 's' },
        { 0 }
    };
    const char *domain = NULL, *sets[MAX_SETS];
    struct xen_dm_op_vmport_limits l;
    struct xen_dm_op_vmport_usage u;
    unsigned int nr_sets = 0, i;
    char err[160];
    int o, rc;

    while ( (o = cli_getopt(&cmd_limits, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'd': domain = optarg; break;
        case 's':
            if ( nr_sets == MAX_SETS )
                return cli_usage_error(&cmd_limits, "at most %u --set",
                                       MAX_SETS);
            sets[nr_sets++] = optarg;
            break;
        default: return EXIT_USAGE;
        }
    if ( !domain || optind != argc )
        return cli_usage_error(&cmd_limits, "expected --domain D only");

    /* A bad edit is a usage error, found before Xen is asked anything. */
    memset(&l, 0, sizeof(l));
    for ( i = 0; i < nr_sets; i++ )
        if ( vs_limits_set(&l, sets[i], err, sizeof(err)) )
            return cli_usage_error(&cmd_limits, "%s", err);

    rc = live_check_vmport(domain);
    if ( !rc )
        rc = live_limits_get(domain, &l);
    if ( rc )
        return rc;
    for ( i = 0; i < nr_sets; i++ )
        vs_limits_set(&l, sets[i], err, sizeof(err));
    if ( nr_sets && (rc = live_limits_set(domain, &l)) != EXIT_OK )
        return rc;
    rc = live_limits_get(domain, &l);
    if ( !rc )
        rc = live_usage_get(domain, &u);
    if ( rc )
        return rc;
    printf("domain %s\n", domain);
    vs_limits_print(stdout, &l, &u);
    return EXIT_OK;
}

const struct cmd cmd_limits = {
    .name = "limits",
    .summary = "a live domain's vmport limits and memory use; set limits",
    .usage = "limits --domain D [--set NAME=VALUE]...\n\n"
             "Prints the Xen memory the domain's backdoor holds, the budget\n"
             "its limits give, and the limits.  --set changes a limit\n"
             "(names as printed) on a domain that has not yet run, as\n"
             "xl.cfg's vmware_port_* options do at creation.",
    .run = run,
};
