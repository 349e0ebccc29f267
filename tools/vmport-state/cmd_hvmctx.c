/* vmport-state hvmctx FILE | --domain D [--json] */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hvmctx.h"

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "json", no_argument, NULL, 'j' },
        { 0 }
    };
    const char *file, *domain = NULL;
    bool json = false;
    uint8_t *blob = NULL;
    uint32_t len;
    char who[256];
    int o, rc;

    while ( (o = cli_getopt(&cmd_hvmctx, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'd': domain = optarg; break;
        case 'j': json = true; break;
        default: return EXIT_USAGE;
        }
    rc = cli_target(&cmd_hvmctx, argc - optind, argv + optind, &file,
                    domain);
    if ( rc )
        return rc;
    rc = cli_load_context(file, domain, &blob, &len, who, sizeof(who));
    if ( rc )
        return rc;
    if ( json )
    {
        struct json_object *o = hvmctx_json(who, blob, len);

        if ( !o )
            rc = EXIT_PROBLEMS;
        else
        {
            printf("%s\n", json_object_to_json_string_ext(o,
                       JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                       JSON_C_TO_STRING_NOSLASHESCAPE));
            json_object_put(o);
        }
    }
    else if ( hvmctx_print_text(stdout, who, blob, len) )
        rc = EXIT_PROBLEMS;
    free(blob);
    return rc;
}

const struct cmd cmd_hvmctx = {
    .name = "hvmctx",
    .summary = "dump every HVM record field by field (xen-hvmctx format)",
    .usage = "hvmctx FILE | --domain D [--json]\n\n"
             "Text output follows xen-hvmctx line for line, plus CPU_XSAVE,\n"
             "CPU_MSR and VMPORT.  --json prints the stable schema\n"
             "\"vmport-state/hvmctx/1\": {schema, source, records: [{entry,\n"
             "type, name, instance, length, offset, fields}]}.  --domain\n"
             "reads a live domain (name or id) through libxenctrl.",
    .run = run,
};
