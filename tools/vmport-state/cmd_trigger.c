/*
 * vmport-state trigger poweroff|reboot FILE | --domain D [--wait S]
 * Queues a TCLO OS_Halt/OS_Reboot.  In an image it fires after restore;
 * on a live domain the record's trigger state is polled and reported.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "live_dmop.h"
#include <vmport-record.h>

static const char *const state_names[] = {
    "none", "queued", "sent", "acknowledged", "done", "failed", "timed out",
};

static int edit(struct vrec *r, void *opaque, char *err,
                size_t errlen)
{
    unsigned int op = *(unsigned int *)opaque;
    int rc = vrec_trigger(r, op, err, errlen);

    if ( rc == -EOPNOTSUPP )
        return EXIT_REFUSED;
    return rc ? EXIT_PROBLEMS : EXIT_OK;
}

/* Poll a live domain's trigger until it settles or @wait seconds pass. */
static int follow(const char *domain, unsigned int wait)
{
    unsigned int last = ~0U, t;

    for ( t = 0; t <= wait; t++ )
    {
        struct live_trigger_status st;

        if ( live_trigger_status(domain, &st) )
        {
            /* A powered-off domain is gone: that is the outcome. */
            printf("trigger: domain no longer readable (powered off?)\n");
            return EXIT_OK;
        }
        if ( st.state != last )
            printf("trigger: %s\n",
                   st.state < 7 ? state_names[st.state] : "?");
        last = st.state;
        if ( st.state >= 4 )
            return st.state == 4 ? EXIT_OK : EXIT_PROBLEMS;
        sleep(1);
    }
    printf("trigger: still %s after %u s\n",
           last < 7 ? state_names[last] : "?", wait);
    return EXIT_PROBLEMS;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "wait", required_argument, NULL, 'w' },
        { "force", no_argument, NULL, 'f' },
        { 0 }
    };
    const char *file, *domain = NULL;
    unsigned int op, wait = 30;
    unsigned long v;
    int o, rc;

    while ( (o = cli_getopt(&cmd_trigger, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'd': domain = optarg; break;
        case 'f': cli_out_flags |= VS_FILE_FORCE; break;
        case 'w':
            if ( cli_uint(&cmd_trigger, "--wait", optarg, 0, 86400, &v) )
                return EXIT_USAGE;
            wait = v;
            break;
        default: return EXIT_USAGE;
        }
    if ( optind == argc )
        return cli_usage_error(&cmd_trigger, "expected poweroff|reboot");
    if ( !strcmp(argv[optind], "poweroff") )
        op = LIVE_TRIGGER_HALT;
    else if ( !strcmp(argv[optind], "reboot") )
        op = LIVE_TRIGGER_REBOOT;
    else
        return cli_usage_error(&cmd_trigger, "unknown operation '%s'",
                               argv[optind]);
    optind++;
    rc = cli_target(&cmd_trigger, argc - optind, argv + optind, &file,
                    domain);
    if ( rc )
        return rc;
    if ( !domain )
        return cli_rec_edit_file(file, edit, &op);
    rc = live_check_vmport(domain);
    if ( !rc )
        rc = live_trigger(domain, op);
    return rc ? rc : follow(domain, wait);
}

const struct cmd cmd_trigger = {
    .name = "trigger",
    .summary = "queue a TCLO power operation (poweroff or reboot)",
    .usage = "trigger poweroff|reboot [--force] FILE | --domain D "
             "[--wait SECONDS]\n\n"
             "Queues OS_Halt or OS_Reboot for the guest's tools.  In a saved\n"
             "image it fires when the restored guest next polls.  On a live\n"
             "domain the trigger's progress is reported until it settles\n"
             "or --wait (default 30) seconds pass.",
    .run = run,
};
