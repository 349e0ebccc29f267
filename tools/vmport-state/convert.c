/*
 * convert.c: the VMPORT conversion visitor shared by `convert` and
 * `filter`: every VMPORT record is checked (the walker's hook) and, with
 * a target version, converted; every other byte is copied unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include <vmport-record.h>

int convert_visitor(struct vs_stream *s, const struct vs_rec *rec,
                    void *opaque)
{
    struct convert_opts *o = opaque;
    struct vrec r;
    char err[256] = "";
    uint8_t *buf;
    size_t len;
    int rc;

    if ( rec->level != VS_LEVEL_HVM || rec->type != HVM_SAVE_CODE_VMPORT )
        return VS_KEEP;
    o->records++;
    if ( !o->version )
        return VS_KEEP;
    if ( vrec_parse(rec->body, rec->length, &r, NULL, NULL) )
    {
        /* Already reported by the walker's VMPORT check. */
        return VS_KEEP;
    }
    rc = vrec_convert(&r, o->version, o->policy, err, sizeof(err));
    if ( !rc )
        rc = vrec_emit(&r, &buf, &len, err, sizeof(err));
    vrec_free(&r);
    if ( rc )
    {
        o->refused = rc == -EOPNOTSUPP;
        vs_report(s, rec->offset, "hvm: VMPORT: cannot convert to record "
                  "version %u: %s", o->version, err);
        return -1;
    }
    rc = vs_replace(s, buf, len);
    free(buf);
    return rc ? -1 : VS_KEEP;
}

int convert_parse_opts(int *argc, char **argv, struct convert_opts *o)
{
    int i, n = 0;

    memset(o, 0, sizeof(*o));
    o->policy = VREC_REFUSE;
    for ( i = 1; i < *argc; i++ )
    {
        if ( !strcmp(argv[i], "--record-version") && i + 1 < *argc )
        {
            char *end;

            o->version = strtoul(argv[++i], &end, 0);
            if ( *end || o->version < HVM_VMPORT_VERSION_1 ||
                 o->version > HVM_VMPORT_VERSION_CURRENT )
                return -1;
        }
        else if ( !strcmp(argv[i], "--policy") && i + 1 < *argc )
        {
            i++;
            if ( !strcmp(argv[i], "refuse") )
                o->policy = VREC_REFUSE;
            else if ( !strcmp(argv[i], "checkpoint") )
                o->policy = VREC_CHECKPOINT;
            else
                return -1;
        }
        else
            argv[++n] = argv[i];
    }
    *argc = n + 1;
    return 0;
}
