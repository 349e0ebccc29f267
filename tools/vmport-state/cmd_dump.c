/* vmport-state dump FILE | --domain D [--json]: the VMPORT record. */
#include <json-c/json.h>
#include <string.h>

#include "cli.h"
#include <vmport-record.h>

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "json", no_argument, NULL, 'j' },
        { 0 }
    };
    const char *file, *domain = NULL;
    struct vrec r;
    bool json = false;
    int o, rc;

    while ( (o = cli_getopt(&cmd_dump, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'd': domain = optarg; break;
        case 'j': json = true; break;
        default: return EXIT_USAGE;
        }
    rc = cli_target(&cmd_dump, argc - optind, argv + optind, &file, domain);
    if ( rc )
        return rc;
    rc = cli_rec_load(file, domain, &r);
    if ( rc )
        return rc;
    if ( json )
    {
        struct json_object *o = vrec_to_json(&r);

        printf("%s\n", json_object_to_json_string_ext(o,
                   JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                   JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
    }
    else
        vrec_print(stdout, &r, VREC_PRINT_FULL);
    vrec_free(&r);
    return EXIT_OK;
}

const struct cmd cmd_dump = {
    .name = "dump",
    .summary = "dump the VMPORT record: config, channels, guestinfo, TCLO",
    .usage = "dump FILE | --domain D [--json]\n\n"
             "Prints the configuration, every open channel with the bytes\n"
             "in flight, guestinfo, TCLO applications with their queued\n"
             "commands, and a pending trigger.  --json prints the record's\n"
             "schema (docs/vmport-record.md), which `encode` turns back\n"
             "into the identical binary record.",
    .run = run,
};
