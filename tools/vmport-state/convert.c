/*
 * convert.c: the VMPORT conversion visitor shared by `convert` and
 * `filter`: every VMPORT record is checked (the stream's VMPORT checker,
 * cli_stream_open()) and, with
 * a target version, converted; every other byte is copied unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include <vmport-record.h>

static int convert(struct vrec *r, void *opaque, char *err, size_t errlen)
{
    struct convert_opts *o = opaque;
    int rc = vrec_convert(r, o->version, o->policy, err, errlen);

    o->refused = rc == -EOPNOTSUPP;
    return rc ? EXIT_PROBLEMS : EXIT_OK;
}

int convert_visitor(struct vs_stream *s, const struct vs_rec *rec,
                    void *opaque)
{
    struct convert_opts *o = opaque;
    char err[256] = "";
    uint8_t *buf;
    size_t len;
    int rc;

    if ( rec->level != VS_LEVEL_HVM || rec->type != HVM_SAVE_CODE_VMPORT )
        return VS_KEEP;
    o->records++;
    if ( !o->version )
        return VS_KEEP;
    rc = cli_rec_rewrite(rec->body, rec->length, convert, o, &buf, &len, err,
                         sizeof(err));
    if ( rc < 0 )
        return VS_KEEP;     /* invalid: reported by the VMPORT checker */
    if ( rc )
    {
        vs_report(s, rec->offset, "hvm: VMPORT: cannot convert to record "
                  "version %u: %s", o->version, err);
        return -1;
    }
    rc = vs_replace(s, buf, len);
    free(buf);
    return rc ? -1 : VS_KEEP;
}

int convert_parse_opts(const struct cmd *c, int argc, char **argv,
                       struct convert_opts *o)
{
    /* convert writes a file (--force); filter only stdout. */
    static const struct option opts[] = {
        { "record-version", required_argument, NULL, 'r' },
        { "policy", required_argument, NULL, 'p' },
        { "force", no_argument, NULL, 'f' },
        { 0 }
    }, filter_opts[] = {
        { "record-version", required_argument, NULL, 'r' },
        { "policy", required_argument, NULL, 'p' },
        { 0 }
    };
    unsigned long v;
    int opt;

    memset(o, 0, sizeof(*o));
    o->policy = VREC_REFUSE;
    while ( (opt = cli_getopt(c, argc, argv, "",
                              c == &cmd_filter ? filter_opts : opts)) != -1 )
        switch ( opt )
        {
        case 'r':
            if ( cli_uint(c, "--record-version", optarg,
                          HVM_VMPORT_VERSION_1, HVM_VMPORT_VERSION_CURRENT,
                          &v) )
                return EXIT_USAGE;
            o->version = v;
            break;
        case 'p':
            if ( !strcmp(optarg, "refuse") )
                o->policy = VREC_REFUSE;
            else if ( !strcmp(optarg, "checkpoint") )
                o->policy = VREC_CHECKPOINT;
            else
                return cli_usage_error(c, "--policy: '%s' is not refuse or "
                                       "checkpoint", optarg);
            break;
        case 'f':
            cli_out_flags |= VS_FILE_FORCE;
            break;
        default:
            return EXIT_USAGE;
        }
    return EXIT_OK;
}
