/*
 * vmport-record.c: parse, verify and emit the VMPORT record as a model.
 *
 * Parsing and verifying are the shared walker (record.c) with a visitor
 * that copies each item into the model; emitting is the shared writer,
 * followed by a walk of the result, so no model can produce a record the
 * hypervisor would refuse.  Model edits (conversion, guestinfo, trigger)
 * live in vmport-record-edit.c, JSON in vmport-record-json.c.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "vmport-record-priv.h"

void vrec_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list args;

    if ( !err || !errlen )
        return;
    va_start(args, fmt);
    vsnprintf(err, errlen, fmt, args);
    va_end(args);
}

void *vrec_dup(const void *p, size_t len, size_t extra)
{
    uint8_t *d = malloc(len + extra ? len + extra : 1);

    if ( !d )
        return NULL;
    if ( len )
        memcpy(d, p, len);
    memset(d + len, 0, extra);
    return d;
}

/* Grow *arr (of *nr elements of @size) by one zeroed element. */
void *vrec_push(void *arr_p, unsigned int *nr, size_t size)
{
    void **arr = arr_p;
    uint8_t *n = realloc(*arr, (*nr + 1) * size);

    if ( !n )
        return NULL;
    memset(n + *nr * size, 0, size);
    *arr = n;
    return n + (*nr)++ * size;
}

void vrec_init(struct vrec *r)
{
    memset(r, 0, sizeof(*r));
    r->version = HVM_VMPORT_VERSION_CURRENT;
}

void vrec_free_cmds(struct vrec_app *a)
{
    unsigned int i;

    for ( i = 0; i < a->app.count; i++ )
        free(a->cmds[i].data);
    free(a->cmds);
    a->cmds = NULL;
    a->app.count = 0;
}

void vrec_free(struct vrec *r)
{
    unsigned int i;

    for ( i = 0; i < r->nr_channels; i++ )
    {
        free(r->channels[i].send);
        free(r->channels[i].recv);
    }
    free(r->channels);
    for ( i = 0; i < r->nr_gi; i++ )
    {
        free(r->gi[i].key);
        free(r->gi[i].val);
    }
    free(r->gi);
    for ( i = 0; i < r->nr_apps; i++ )
        vrec_free_cmds(&r->apps[i]);
    free(r->apps);
    for ( i = 0; i < r->nr_extra; i++ )
        free(r->extra[i].data);
    free(r->extra);
    vrec_init(r);
}

/* ---- Parse: a visitor that fills the model ---------------------------- */

struct parse_ctx {
    struct vrec *r;
    vrec_report_fn *report;
    void *opaque;
};

static void parse_problem(void *opaque, int err, uint32_t off,
                          const char *field, const char *msg)
{
    struct parse_ctx *p = opaque;

    (void)err;
    if ( p->report )
        p->report(p->opaque, off, field, msg);
}

static int parse_header(void *opaque, const struct hvm_vmport_header *h)
{
    struct parse_ctx *p = opaque;

    p->r->version = h->version;
    p->r->flags = h->flags;
    return 0;
}

static int parse_config(void *opaque, const struct hvm_vmport_config *c)
{
    struct parse_ctx *p = opaque;

    p->r->config = *c;
    return 0;
}

static int parse_time(void *opaque, const struct hvm_vmport_time *t)
{
    struct parse_ctx *p = opaque;

    p->r->has_time = true;
    p->r->time = *t;
    return 0;
}

static int parse_channel(void *opaque, const struct hvm_vmport_channel *c,
                         const uint8_t *send, const uint8_t *recv)
{
    struct parse_ctx *p = opaque;
    struct vrec_channel *ch;

    ch = vrec_push(&p->r->channels, &p->r->nr_channels, sizeof(*ch));
    if ( !ch )
        return -ENOMEM;
    ch->ch = *c;
    ch->send = vrec_dup(send, c->send_pos, 0);
    ch->recv = vrec_dup(recv, c->recv_size, 0);
    return ch->send && ch->recv ? 0 : -ENOMEM;
}

static int parse_gi(void *opaque, const uint8_t *key, uint32_t klen,
                    const uint8_t *val, uint32_t vlen)
{
    struct parse_ctx *p = opaque;
    struct vrec_gi *g;

    g = vrec_push(&p->r->gi, &p->r->nr_gi, sizeof(*g));
    if ( !g )
        return -ENOMEM;
    g->klen = klen;
    g->vlen = vlen;
    g->key = vrec_dup(key, klen, 1);
    g->val = vrec_dup(val, vlen, 1);
    return g->key && g->val ? 0 : -ENOMEM;
}

static int parse_app(void *opaque, const struct hvm_vmport_tclo_app *a)
{
    struct parse_ctx *p = opaque;
    struct vrec_app *app;

    app = vrec_push(&p->r->apps, &p->r->nr_apps, sizeof(*app));
    if ( !app )
        return -ENOMEM;
    app->app = *a;
    app->app.count = 0;         /* counts the commands as they arrive */
    return 0;
}

static int parse_cmd(void *opaque, const struct hvm_vmport_tclo_app *a,
                     const struct hvm_vmport_tclo_cmd *c, const uint8_t *data)
{
    struct parse_ctx *p = opaque;
    struct vrec_app *app = &p->r->apps[p->r->nr_apps - 1];
    unsigned int nr = app->app.count;
    struct vrec_cmd *cmd;

    (void)a;
    cmd = vrec_push(&app->cmds, &nr, sizeof(*cmd));
    if ( !cmd )
        return -ENOMEM;
    app->app.count = nr;
    cmd->kind = c->kind;
    cmd->len = c->len;
    cmd->data = vrec_dup(data, c->len, 1);
    return cmd->data ? 0 : -ENOMEM;
}

static int parse_trigger(void *opaque, const struct hvm_vmport_trigger *t)
{
    struct parse_ctx *p = opaque;

    p->r->has_trigger = true;
    p->r->trigger = *t;
    return 0;
}

static int parse_extra(void *opaque, const struct hvm_vmport_section *s,
                       const uint8_t *data)
{
    struct parse_ctx *p = opaque;
    struct vrec_extra *e;

    e = vrec_push(&p->r->extra, &p->r->nr_extra, sizeof(*e));
    if ( !e )
        return -ENOMEM;
    e->s = *s;
    e->data = vrec_dup(data, s->length, 0);
    return e->data ? 0 : -ENOMEM;
}

static const struct vmport_rec_ops parse_ops = {
    .problem = parse_problem,
    .header = parse_header,
    .config = parse_config,
    .time = parse_time,
    .channel = parse_channel,
    .gi = parse_gi,
    .app = parse_app,
    .cmd = parse_cmd,
    .trigger = parse_trigger,
    .extra = parse_extra,
};

static const struct vmport_rec_ops verify_ops = {
    .problem = parse_problem,
};

int vrec_parse(const void *buf, size_t len, struct vrec *r,
               vrec_report_fn *report, void *opaque)
{
    struct parse_ctx p = { .r = r, .report = report, .opaque = opaque };
    struct vmport_rec_walk w = {
        .buf = buf, .len = len, .ops = &parse_ops, .opaque = &p,
    };
    int rc;

    vrec_init(r);
    if ( len > UINT32_MAX )
    {
        if ( report )
            report(opaque, 0, "record", "longer than 4 GiB");
        return -EINVAL;
    }
    rc = vmport_rec_walk(&w);
    if ( rc )
        vrec_free(r);
    return rc;
}

unsigned int vrec_verify(const void *buf, size_t len,
                         vrec_report_fn *report, void *opaque)
{
    struct parse_ctx p = { .report = report, .opaque = opaque };
    struct vmport_rec_walk w = {
        .buf = buf, .len = len, .all = true, .ops = &verify_ops,
        .opaque = &p,
    };

    if ( len > UINT32_MAX )
    {
        if ( report )
            report(opaque, 0, "record", "longer than 4 GiB");
        return 1;
    }
    vmport_rec_walk(&w);
    return w.problems;
}

/* ---- Emit ------------------------------------------------------------- */

/* The section writers are the shared ones (record.c), as in the save. */
static void emit_gi(struct vmport_rec_writer *w, const struct vrec *r)
{
    uint32_t bytes = 0;
    unsigned int i;

    for ( i = 0; i < r->nr_gi; i++ )
        bytes += r->gi[i].klen + r->gi[i].vlen;
    vmport_rec_w_gi_begin(w, r->nr_gi, bytes);
    for ( i = 0; i < r->nr_gi; i++ )
        vmport_rec_w_gi_entry(w, r->gi[i].key, r->gi[i].klen, r->gi[i].val,
                              r->gi[i].vlen);
    vmport_rec_w_end_section(w);
}

static void emit_app(struct vmport_rec_writer *w,
                     const struct vrec_app *a)
{
    unsigned int i;

    vmport_rec_w_app_begin(w, &a->app);
    for ( i = 0; i < a->app.count; i++ )
        vmport_rec_w_cmd(w, a->cmds[i].kind, a->cmds[i].data,
                         a->cmds[i].len);
    vmport_rec_w_end_section(w);
}

static void emit_all(struct vmport_rec_writer *w, const struct vrec *r)
{
    unsigned int i;

    vmport_rec_w_fixed(w, HVM_VMPORT_SECT_CONFIG, &r->config,
                       sizeof(r->config));
    if ( r->has_time )
        vmport_rec_w_fixed(w, HVM_VMPORT_SECT_TIME, &r->time,
                           sizeof(r->time));
    for ( i = 0; i < r->nr_channels; i++ )
        vmport_rec_w_channel(w, &r->channels[i].ch, r->channels[i].send,
                             r->channels[i].recv);
    if ( r->nr_gi )
        emit_gi(w, r);
    for ( i = 0; i < r->nr_apps; i++ )
        emit_app(w, &r->apps[i]);
    if ( r->has_trigger )
        vmport_rec_w_fixed(w, HVM_VMPORT_SECT_TRIGGER, &r->trigger,
                           sizeof(r->trigger));
    for ( i = 0; i < r->nr_extra; i++ )
    {
        vmport_rec_w_section(w, r->extra[i].s.type, r->extra[i].s.flags);
        vmport_rec_w_put(w, r->extra[i].data, r->extra[i].s.length);
        vmport_rec_w_end_section(w);
    }
}

struct first_problem {
    char *err;
    size_t errlen;
    bool seen;
};

static void note_first(void *opaque, uint32_t off, const char *field,
                       const char *msg)
{
    struct first_problem *f = opaque;

    if ( f->seen )
        return;
    f->seen = true;
    vrec_err(f->err, f->errlen, "%s at offset %u: %s", field, off, msg);
}

int vrec_emit(const struct vrec *r, uint8_t **out, size_t *len,
              char *err, size_t errlen)
{
    struct vmport_rec_writer w;
    struct first_problem f = { .err = err, .errlen = errlen };
    uint32_t size;
    uint8_t *buf;
    int rc;

    vmport_rec_w_init(&w, NULL, 0, r->version, r->flags);
    emit_all(&w, r);
    rc = vmport_rec_w_finish(&w, &size);
    if ( rc )
    {
        vrec_err(err, errlen, "record larger than 4 GiB");
        return rc;
    }
    buf = malloc(size);
    if ( !buf )
    {
        vrec_err(err, errlen, "out of memory for %u bytes", size);
        return -ENOMEM;
    }
    vmport_rec_w_init(&w, buf, size, r->version, r->flags);
    emit_all(&w, r);
    rc = vmport_rec_w_finish(&w, &size);
    if ( !rc && vrec_verify(buf, size, note_first, &f) )
        rc = -EINVAL;
    if ( rc )
    {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = size;
    return 0;
}

const char *vrec_sect_name(unsigned int type)
{
    static const char *const names[] = {
        [HVM_VMPORT_SECT_CONFIG] = "config",
        [HVM_VMPORT_SECT_TIME] = "time",
        [HVM_VMPORT_SECT_CHANNEL] = "channel",
        [HVM_VMPORT_SECT_GUESTINFO] = "guestinfo",
        [HVM_VMPORT_SECT_TCLO_APP] = "tclo_app",
        [HVM_VMPORT_SECT_TRIGGER] = "trigger",
    };

    if ( type < sizeof(names) / sizeof(names[0]) && names[type] )
        return names[type];
    return "unknown";
}
