/*
 * vmport-state diff A B: the records that differ between two images, at
 * every level, matched by (level, type, instance, occurrence).  HVM
 * records are compared field by field through the hvmctx JSON schema;
 * PAGE_DATA by its pfn list (page contents are not read).
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hvmctx.h"
#include <vmport-stream-format.h>

struct drec {
    enum vs_level level;
    uint32_t type;
    uint16_t instance;
    uint32_t length;
    uint64_t offset;
    uint8_t *body;
    uint32_t body_len;
    bool matched;
};

struct dlist {
    struct drec *r;
    unsigned int n, cap;
};

static int collect(struct vs_stream *s, const struct vs_rec *rec,
                   void *opaque)
{
    struct dlist *l = opaque;
    struct drec *d;

    (void)s;
    if ( l->n == l->cap )
    {
        unsigned int cap = l->cap ? 2 * l->cap : 256;
        struct drec *n = realloc(l->r, cap * sizeof(*n));

        if ( !n )
            return -1;
        l->r = n;
        l->cap = cap;
    }
    d = &l->r[l->n];
    memset(d, 0, sizeof(*d));
    d->level = rec->level;
    d->type = rec->type;
    d->instance = rec->instance;
    d->length = rec->length;
    d->offset = rec->offset;
    /* HVM_CONTEXT is compared through its descriptors. */
    if ( !(rec->level == VS_LEVEL_LIBXC && rec->type == VS_REC_HVM_CONTEXT) )
    {
        d->body = malloc(rec->body_len ? rec->body_len : 1);
        if ( !d->body )
            return -1;
        if ( rec->body_len )        /* an empty body may have no pointer */
            memcpy(d->body, rec->body, rec->body_len);
        d->body_len = rec->body_len;
    }
    l->n++;
    return VS_KEEP;
}

static int load(const char *path, struct dlist *l)
{
    return cli_walk_file(path, 0, collect, l, NULL);
}

static const char *name(const struct drec *d, char *buf, size_t n)
{
    if ( d->level == VS_LEVEL_HVM )
        snprintf(buf, n, "hvm %s instance %u",
                 vs_rec_name(d->level, d->type), d->instance);
    else
        snprintf(buf, n, "%s %s", vs_level_name(d->level),
                 vs_rec_name(d->level, d->type));
    return buf;
}

/* Field-level differences of two HVM records of the same type. */
static void diff_fields(const struct drec *a, const struct drec *b)
{
    size_t la = 8 + a->body_len + 8, lb = 8 + b->body_len + 8;
    uint8_t *ba = malloc(la), *bb = malloc(lb);
    struct vs_hvm_desc da = { a->type, a->instance, a->body_len };
    struct vs_hvm_desc db = { b->type, b->instance, b->body_len };
    static const struct vs_hvm_desc end = { 0 };
    struct json_object *ja, *jb, *fa, *fb, *ra, *rb;

    if ( !ba || !bb )
    {
        free(ba);
        free(bb);
        return;
    }
    memcpy(ba, &da, 8);
    memcpy(ba + 8, a->body, a->body_len);
    memcpy(ba + 8 + a->body_len, &end, 8);
    memcpy(bb, &db, 8);
    memcpy(bb + 8, b->body, b->body_len);
    memcpy(bb + 8 + b->body_len, &end, 8);
    ja = hvmctx_json("a", ba, la);
    jb = hvmctx_json("b", bb, lb);
    free(ba);
    free(bb);
    if ( ja && jb &&
         json_object_object_get_ex(ja, "records", &ra) &&
         json_object_object_get_ex(jb, "records", &rb) &&
         json_object_object_get_ex(json_object_array_get_idx(ra, 0),
                                   "fields", &fa) &&
         json_object_object_get_ex(json_object_array_get_idx(rb, 0),
                                   "fields", &fb) &&
         json_object_is_type(fa, json_type_object) &&
         json_object_is_type(fb, json_type_object) )
    {
        json_object_object_foreach(fa, key, va)
        {
            struct json_object *vb;

            if ( !json_object_object_get_ex(fb, key, &vb) )
                printf("    %s: only in A\n", key);
            else if ( !json_object_equal(va, vb) )
                printf("    %s: %s -> %s\n", key,
                       json_object_to_json_string(va),
                       json_object_to_json_string(vb));
        }
    }
    json_object_put(ja);
    json_object_put(jb);
}

static bool same_key(const struct drec *a, const struct drec *b)
{
    return a->level == b->level && a->type == b->type &&
           a->instance == b->instance && !b->matched;
}

static unsigned int compare(struct dlist *a, struct dlist *b)
{
    unsigned int i, j, diffs = 0;
    char n[96];

    for ( i = 0; i < a->n; i++ )
    {
        struct drec *x = &a->r[i], *y = NULL;

        for ( j = 0; j < b->n && !y; j++ )
            if ( same_key(x, &b->r[j]) )
                y = &b->r[j];
        if ( !y )
        {
            printf("- %s at %#" PRIx64 ": only in A\n",
                   name(x, n, sizeof(n)), x->offset);
            diffs++;
            continue;
        }
        y->matched = true;
        /* HVM_CONTEXT keeps no body (NULL): memcmp() only with bytes. */
        if ( x->length == y->length && x->body_len == y->body_len &&
             (!x->body_len || !memcmp(x->body, y->body, x->body_len)) )
            continue;
        diffs++;
        printf("~ %s at %#" PRIx64 " / %#" PRIx64 ": length %u / %u\n",
               name(x, n, sizeof(n)), x->offset, y->offset, x->length,
               y->length);
        if ( x->level == VS_LEVEL_HVM && x->body && y->body )
            diff_fields(x, y);
    }
    for ( j = 0; j < b->n; j++ )
        if ( !b->r[j].matched )
        {
            printf("+ %s at %#" PRIx64 ": only in B\n",
                   name(&b->r[j], n, sizeof(n)), b->r[j].offset);
            diffs++;
        }
    return diffs;
}

static void free_list(struct dlist *l)
{
    unsigned int i;

    for ( i = 0; i < l->n; i++ )
        free(l->r[i].body);
    free(l->r);
}

static int run(int argc, char **argv)
{
    struct dlist a = { 0 }, b = { 0 };
    unsigned int diffs;
    int rc;

    static const struct option opts[] = { { 0 } };

    if ( cli_getopt(&cmd_diff, argc, argv, "", opts) != -1 )
        return EXIT_USAGE;
    if ( argc - optind != 2 )
        return cli_usage_error(&cmd_diff, "expected A and B");
    rc = load(argv[optind], &a);
    if ( !rc )
        rc = load(argv[optind + 1], &b);
    if ( !rc )
    {
        diffs = compare(&a, &b);
        printf("%u record%s differ\n", diffs, diffs == 1 ? "" : "s");
        rc = diffs ? EXIT_PROBLEMS : EXIT_OK;
    }
    free_list(&a);
    free_list(&b);
    return rc;
}

const struct cmd cmd_diff = {
    .name = "diff",
    .summary = "show the records (and HVM fields) that differ between two "
               "images",
    .usage = "diff A B\n\n"
             "Records are matched by level, type, instance and occurrence;\n"
             "'-' only in A, '+' only in B, '~' different (HVM records\n"
             "field by field).  PAGE_DATA is compared by pfn list, not page\n"
             "contents.  Exit 0 identical, 1 different.",
    .run = run,
};
