/*
 * vmport-state guestinfo list|get|set|unset FILE | --domain D [KEY [VAL]]
 * A file is rewritten through a temporary, fsync and rename; a running
 * domain is read and written through XEN_DMOP_vmport (live_dmop.c), while
 * it runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "live_dmop.h"
#include <vmport-record.h>

struct gi_op {
    const char *action;
    char *key;
    const char *value;
};

static int edit(struct vrec *r, void *opaque, char *err,
                size_t errlen)
{
    struct gi_op *op = opaque;
    int rc;

    if ( !strcmp(op->action, "set") )
        rc = vrec_gi_set(r, op->key, op->value, strlen(op->value),
                         err, errlen);
    else
    {
        rc = vrec_gi_unset(r, op->key);
        if ( rc == -ENOENT )
            snprintf(err, errlen, "%s: no such key", op->key);
    }
    return rc ? EXIT_PROBLEMS : EXIT_OK;
}

static int show(const struct vrec *r, struct gi_op *op)
{
    const struct vrec_gi *g;
    unsigned int i;

    if ( !strcmp(op->action, "list") )
    {
        for ( i = 0; i < r->nr_gi; i++ )
        {
            printf("%s=", r->gi[i].key);
            fwrite(r->gi[i].val, 1, r->gi[i].vlen, stdout);
            putchar('\n');
        }
        return EXIT_OK;
    }
    g = vrec_gi_get(r, op->key);
    if ( !g )
    {
        fprintf(stderr, "vmport-state guestinfo: %s: no such key\n",
                op->key);
        return EXIT_PROBLEMS;
    }
    fwrite(g->val, 1, g->vlen, stdout);
    putchar('\n');
    return EXIT_OK;
}

static void print_entry(const char *key, const uint8_t *val, uint32_t vlen,
                        void *opaque)
{
    (void)opaque;
    printf("%s=", key);
    fwrite(val, 1, vlen, stdout);
    putchar('\n');
}

/* A running domain, through the device model's own operation. */
static int run_domain(const char *domain, const struct gi_op *op)
{
    uint8_t *val;
    uint32_t vlen;
    int rc = live_check_vmport(domain);     /* exit 5 on a stock Xen */

    if ( rc )
        return rc;
    if ( !strcmp(op->action, "list") )
        return live_gi_each(domain, print_entry, NULL);
    if ( !strcmp(op->action, "set") )
        return live_gi_set(domain, op->key, op->value, strlen(op->value));
    if ( !strcmp(op->action, "unset") )
        return live_gi_unset(domain, op->key);
    rc = live_gi_get(domain, op->key, &val, &vlen);
    if ( rc )
        return rc;
    fwrite(val, 1, vlen, stdout);
    putchar('\n');
    free(val);
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "force", no_argument, NULL, 'f' },
        { 0 }
    };
    struct gi_op op = { 0 };
    const char *file = NULL, *domain = NULL;
    char **pos;
    unsigned int npos, need;
    struct vrec r;
    int i, o, rc;

    while ( (o = cli_getopt(&cmd_guestinfo, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'd': domain = optarg; break;
        case 'f': cli_out_flags |= VS_FILE_FORCE; break;
        default: return EXIT_USAGE;
        }
    if ( optind == argc )
        return cli_usage_error(&cmd_guestinfo, "expected an action");
    op.action = argv[optind];
    if ( strcmp(op.action, "list") && strcmp(op.action, "get") &&
         strcmp(op.action, "set") && strcmp(op.action, "unset") )
        return cli_usage_error(&cmd_guestinfo, "unknown action '%s'",
                               op.action);
    pos = argv + optind + 1;
    npos = argc - optind - 1;
    if ( npos > 3 )
        return cli_usage_error(&cmd_guestinfo, "too many arguments");
    need = (domain ? 0 : 1) + (!strcmp(op.action, "list") ? 0 :
                               !strcmp(op.action, "set") ? 2 : 1);
    if ( npos != need )
        return cli_usage_error(&cmd_guestinfo, "wrong number of arguments");
    i = 0;
    if ( !domain )
        file = pos[i++];
    if ( strcmp(op.action, "list") &&
         !(op.key = cli_gi_key(pos[i++])) )
        return EXIT_IO;
    if ( !strcmp(op.action, "set") )
        op.value = pos[i];

    if ( domain )
        rc = run_domain(domain, &op);
    else if ( !strcmp(op.action, "list") || !strcmp(op.action, "get") )
    {
        rc = cli_rec_load(file, NULL, &r);
        if ( !rc )
        {
            rc = show(&r, &op);
            vrec_free(&r);
        }
    }
    else
        rc = cli_rec_edit_file(file, edit, &op);
    free(op.key);
    return rc;
}

const struct cmd cmd_guestinfo = {
    .name = "guestinfo",
    .summary = "list, get, set or unset guestinfo in an image or a domain",
    .usage = "guestinfo list FILE | --domain D\n"
             "       vmport-state guestinfo get FILE | --domain D KEY\n"
             "       vmport-state guestinfo set [--force] FILE | --domain D "
             "KEY VALUE\n"
             "       vmport-state guestinfo unset [--force] FILE | "
             "--domain D KEY\n\n"
             "KEY is guestinfo.NAME or NAME (`--` before a VALUE that\n"
             "starts with `-`).  A FILE is rewritten through a temporary in\n"
             "its directory with its owner, group and mode, fsync and\n"
             "rename, under an flock() on the file (a second editor waits\n"
             "and reads the result); on any error it is left untouched.\n"
             "A symlink's target is rewritten (the link stays a link); a\n"
             "directory, FIFO or device, a file with several hard links and,\n"
             "without --force, a file without write permission are refused\n"
             "(exit 3).  Unchanged bulk data is copied by the kernel\n"
             "(copy_file_range), holes stay holes.  A running domain\n"
             "is read and written through XEN_DMOP_vmport while it runs.",
    .run = run,
};
