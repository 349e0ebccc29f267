/* vmport-state hvmctx FILE | --domain D [--json] */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hvmctx.h"

static int run(int argc, char **argv)
{
    const char *file = NULL, *domain = NULL;
    bool json = false;
    uint8_t *blob = NULL;
    uint32_t len;
    char who[256];
    int i, rc;

    for ( i = 1; i < argc; i++ )
    {
        if ( !strcmp(argv[i], "--json") )
            json = true;
        else if ( !strcmp(argv[i], "--domain") && i + 1 < argc )
            domain = argv[++i];
        else if ( !file && argv[i][0] != '-' )
            file = argv[i];
        else if ( !file && !strcmp(argv[i], "-") )
            file = argv[i];
        else
            return cli_usage_error(&cmd_hvmctx, "unexpected '%s'", argv[i]);
    }
    if ( !file == !domain )
        return cli_usage_error(&cmd_hvmctx, "give FILE or --domain D");
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
