/*
 * vmport-state guestinfo list|get|set|unset FILE | --domain D [KEY [VAL]]
 * A file is rewritten through a temporary, fsync and rename; a running
 * domain is read and written through XEN_DMOP_vmport (live_dmop.c), while
 * it runs.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "live_dmop.h"
#include <vmport-record.h>

struct gi_op {
    const char *action;
    char *key;
    const char *value;
    uint32_t vlen;
};

static int edit(struct vrec *r, void *opaque, char *err,
                size_t errlen)
{
    struct gi_op *op = opaque;
    int rc;

    if ( !strcmp(op->action, "set") )
        rc = vrec_gi_set(r, op->key, op->value, op->vlen, err, errlen);
    else
    {
        rc = vrec_gi_unset(r, op->key);
        if ( rc == -ENOENT )
            snprintf(err, errlen, "%s: no such key", op->key);
    }
    return rc ? EXIT_PROBLEMS : EXIT_OK;
}

/*
 * One line of `list`: KEY=VALUE with the value's newlines, control
 * characters, DEL and backslashes escaped C-style (\n, \t, \\, \xHH), so
 * every entry is one line and the listing can be read back exactly.
 */
static void print_escaped(const char *key, const uint8_t *val, uint32_t vlen)
{
    uint32_t i;

    printf("%s=", key);
    for ( i = 0; i < vlen; i++ )
    {
        uint8_t c = val[i];

        if ( c == '\\' )
            fputs("\\\\", stdout);
        else if ( c == '\n' )
            fputs("\\n", stdout);
        else if ( c == '\t' )
            fputs("\\t", stdout);
        else if ( c == '\r' )
            fputs("\\r", stdout);
        else if ( c < 0x20 || c == 0x7f )
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('\n');
}

/* list: text lines, or with --json the record schema's guestinfo array. */
struct lister {
    bool json;
    struct json_object *arr;
};

static void list_entry(const char *key, const uint8_t *val, uint32_t vlen,
                       void *opaque)
{
    struct lister *l = opaque;

    if ( l->json )
        json_object_array_add(l->arr, vrec_gi_to_json(key, strlen(key), val,
                                                      vlen));
    else
        print_escaped(key, val, vlen);
}

static int list_end(struct lister *l, int rc)
{
    if ( l->json && !rc )
        printf("%s\n", json_object_to_json_string_ext(l->arr,
               JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
               JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(l->arr);
    return rc;
}

static int show(const struct vrec *r, struct gi_op *op, struct lister *l)
{
    const struct vrec_gi *g;
    unsigned int i;

    if ( !strcmp(op->action, "list") )
    {
        for ( i = 0; i < r->nr_gi; i++ )
            list_entry(r->gi[i].key, r->gi[i].val, r->gi[i].vlen, l);
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

/* A running domain, through the device model's own operation. */
static int run_domain(const char *domain, const struct gi_op *op,
                      struct lister *l)
{
    uint8_t *val;
    uint32_t vlen;
    int rc = live_check_vmport(domain);     /* exit 5 on a stock Xen */

    if ( rc )
        return rc;
    if ( !strcmp(op->action, "list") )
        return live_gi_each(domain, list_entry, l);
    if ( !strcmp(op->action, "set") )
        return live_gi_set(domain, op->key, op->value, op->vlen);
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

/*
 * --value-file F ("-": stdin): the value's bytes, as they are (no newline
 * is stripped).  Bounded by the largest value any record may hold.
 */
static int read_value(const char *path, char **val, uint32_t *vlen)
{
    size_t cap = HVM_VMPORT_GI_VALUE_MAX + 1, len = 0;
    int fd = cli_open_in(path), rc = EXIT_OK;
    char *buf;
    ssize_t n;

    if ( fd < 0 )
        return EXIT_IO;
    buf = malloc(cap);
    if ( !buf )
        rc = EXIT_IO;
    while ( !rc && len < cap )
    {
        n = read(fd, buf + len, cap - len);
        if ( n < 0 && errno == EINTR )
            continue;
        if ( n < 0 )
        {
            fprintf(stderr, "vmport-state guestinfo: --value-file %s: "
                    "read error: %s\n", path, strerror(errno));
            rc = EXIT_IO;
        }
        if ( n <= 0 )
            break;
        len += n;
    }
    if ( !rc && len == cap )
    {
        fprintf(stderr, "vmport-state guestinfo: --value-file %s: more "
                "than %u bytes, the largest guestinfo value a record can "
                "hold (HVM_VMPORT_GI_VALUE_MAX)\n", path,
                HVM_VMPORT_GI_VALUE_MAX);
        rc = EXIT_PROBLEMS;
    }
    if ( fd != STDIN_FILENO )
        close(fd);
    if ( rc )
    {
        free(buf);
        return rc;
    }
    *val = buf;
    *vlen = len;
    return EXIT_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "force", no_argument, NULL, 'f' },
        { "value-file", required_argument, NULL, 'V' },
        { "json", no_argument, NULL, 'j' },
        { 0 }
    };
    struct gi_op op = { 0 };
    struct lister l = { 0 };
    const char *file = NULL, *domain = NULL, *value_file = NULL;
    char **pos, *vbuf = NULL;
    unsigned int npos, need;
    struct vrec r;
    int i, o, rc;

    while ( (o = cli_getopt(&cmd_guestinfo, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'd': domain = optarg; break;
        case 'f': cli_out_flags |= VS_FILE_FORCE; break;
        case 'V': value_file = optarg; break;
        case 'j': l.json = true; break;
        default: return EXIT_USAGE;
        }
    if ( optind == argc )
        return cli_usage_error(&cmd_guestinfo, "expected an action");
    op.action = argv[optind];
    if ( strcmp(op.action, "list") && strcmp(op.action, "get") &&
         strcmp(op.action, "set") && strcmp(op.action, "unset") )
        return cli_usage_error(&cmd_guestinfo, "unknown action '%s'",
                               op.action);
    if ( l.json && strcmp(op.action, "list") )
        return cli_usage_error(&cmd_guestinfo, "--json is for list only");
    if ( value_file && strcmp(op.action, "set") )
        return cli_usage_error(&cmd_guestinfo, "--value-file is for set "
                               "only");
    pos = argv + optind + 1;
    npos = argc - optind - 1;
    need = (domain ? 0 : 1) + (!strcmp(op.action, "list") ? 0 :
                               !strcmp(op.action, "set") && !value_file ?
                               2 : 1);
    if ( npos > need )
        return cli_usage_error(&cmd_guestinfo, "unexpected '%s'",
                               pos[need]);
    if ( npos < need )
        return cli_usage_error(&cmd_guestinfo, "%s: expected %s%s, got %u "
                               "operand%s", op.action, domain ? "" : "FILE ",
                               !strcmp(op.action, "list") ? "" :
                               !strcmp(op.action, "set") && !value_file ?
                               "KEY VALUE" : "KEY", npos,
                               npos == 1 ? "" : "s");
    i = 0;
    if ( !domain )
        file = pos[i++];
    if ( strcmp(op.action, "list") &&
         !(op.key = vrec_gi_key_name(pos[i++])) )
        return EXIT_IO;
    if ( !strcmp(op.action, "set") )
    {
        if ( value_file )
        {
            rc = read_value(value_file, &vbuf, &op.vlen);
            if ( rc )
            {
                free(op.key);
                return rc;
            }
            op.value = vbuf;
        }
        else
        {
            op.value = pos[i];
            op.vlen = strlen(op.value);
        }
    }
    if ( l.json && !(l.arr = json_object_new_array()) )
        return EXIT_IO;

    if ( domain )
        rc = run_domain(domain, &op, &l);
    else if ( !strcmp(op.action, "list") || !strcmp(op.action, "get") )
    {
        rc = cli_rec_load(file, NULL, &r);
        if ( !rc )
        {
            rc = show(&r, &op, &l);
            vrec_free(&r);
        }
    }
    else
        rc = cli_rec_edit_file(file, edit, &op);
    rc = list_end(&l, rc);
    free(op.key);
    free(vbuf);
    return rc;
}

const struct cmd cmd_guestinfo = {
    .name = "guestinfo",
    .summary = "list, get, set or unset guestinfo in an image or a domain",
    .usage = "guestinfo list [--json] FILE | --domain D\n"
             "       vmport-state guestinfo get FILE | --domain D KEY\n"
             "       vmport-state guestinfo set [--force] FILE | --domain D "
             "KEY VALUE\n"
             "       vmport-state guestinfo set [--force] --value-file F "
             "FILE | --domain D KEY\n"
             "       vmport-state guestinfo unset [--force] FILE | "
             "--domain D KEY\n\n"
             "KEY is guestinfo.NAME or NAME; the prefix and the name are\n"
             "compared case-insensitively, as the device model does\n"
             "(GUESTINFO.Ip is the key guestinfo.ip).  `--` goes before a\n"
             "VALUE that starts with `-`; --value-file F reads the value's\n"
             "bytes from F (- for stdin), as they are.  list prints\n"
             "KEY=VALUE lines with newlines, control characters and\n"
             "backslashes escaped (\\n, \\t, \\r, \\\\, \\xHH); --json prints the\n"
             "record schema's guestinfo array.  A full store names the\n"
             "limit it hit (config.gi_value_max, gi_max_keys, gi_total_max).\n"
             "A FILE is rewritten through a temporary in\n"
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
