/*
 * vmport-record-json.c: the record model as JSON (json-c) and back.
 *
 * The schema is docs/vmport-record.md section 7.  It is lossless: every
 * wire field is either a JSON member or implied (lengths are the lengths
 * of the data), so encode(dump(x)) == x byte for byte.  Byte strings are a
 * JSON string when every byte is printable ASCII, else {"hex": "..."}.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vmport-record-priv.h"

static const char *const proto_names[] = { "rpci", "tclo" };
static const char *const send_names[] = { "none", "payload" };
static const char *const recv_names[] = { "none", "ready", "sized",
                                          "fetched" };
static const char *const kind_names[] = { "other", "reset", "ping", "power" };
static const char *const op_names[] = { "none", "halt", "reboot" };
static const char *const state_names[] = {
    "idle", "queued", "delivered", "replied", "succeeded", "failed",
    "timed_out",
};

#define NR(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, unsigned int nr,
                           unsigned int v)
{
    return v < nr ? names[v] : "?";
}

static json_object *bytes_to_json(const uint8_t *p, uint32_t len)
{
    static const char hex[] = "0123456789abcdef";
    json_object *o;
    uint32_t i;
    char *s;

    for ( i = 0; i < len; i++ )
        if ( p[i] < 0x20 || p[i] > 0x7e )
            break;
    if ( i == len )
        return json_object_new_string_len((const char *)p, len);

    s = malloc((size_t)len * 2 + 1);
    if ( !s )
        return NULL;
    for ( i = 0; i < len; i++ )
    {
        s[2 * i] = hex[p[i] >> 4];
        s[2 * i + 1] = hex[p[i] & 15];
    }
    s[2 * len] = '\0';
    o = json_object_new_object();
    if ( o )
        json_object_object_add(o, "hex", json_object_new_string(s));
    free(s);
    return o;
}

static void add(json_object *o, const char *k, json_object *v)
{
    json_object_object_add(o, k, v);
}

json_object *vrec_gi_to_json(const char *key, uint32_t klen,
                             const uint8_t *val, uint32_t vlen)
{
    json_object *g = json_object_new_object();

    if ( g )
    {
        add(g, "key", json_object_new_string_len(key, klen));
        add(g, "value", bytes_to_json(val, vlen));
    }
    return g;
}

static json_object *u64(uint64_t v)
{
    return json_object_new_uint64(v);
}

static json_object *config_to_json(const struct vrec *r)
{
    const struct hvm_vmport_config *c = &r->config;
    json_object *o = json_object_new_object();

    add(o, "hwver", u64(c->hwver));
    add(o, "hb", json_object_new_boolean(c->flags & HVM_VMPORT_CFG_HB));
    add(o, "max_channels", u64(c->max_channels));
    add(o, "gi_key_max", u64(c->gi_key_max));
    add(o, "gi_value_max", u64(c->gi_value_max));
    add(o, "gi_max_keys", u64(c->gi_max_keys));
    add(o, "gi_total_max", u64(c->gi_total_max));
    add(o, "tclo_queue_max", u64(c->tclo_queue_max));
    add(o, "idle_timeout_ms", u64(c->idle_timeout_ms));
    add(o, "trigger_timeout_ms", u64(c->trigger_timeout_ms));
    return o;
}

static json_object *channel_to_json(const struct vrec_channel *c)
{
    const struct hvm_vmport_channel *ch = &c->ch;
    json_object *o = json_object_new_object(), *s, *rv;
    char cookie[24];

    snprintf(cookie, sizeof(cookie), "0x%016" PRIx64, ch->cookie);
    add(o, "id", u64(ch->id));
    add(o, "proto", json_object_new_string(name_of(proto_names,
                                                   NR(proto_names),
                                                   ch->proto)));
    add(o, "cookie", json_object_new_string(cookie));
    add(o, "cookie_checked",
        json_object_new_boolean(ch->flags & HVM_VMPORT_CH_COOKIE));
    add(o, "checkpointed",
        json_object_new_boolean(ch->flags & HVM_VMPORT_CH_CHECKPOINTED));
    add(o, "recv_tclo_cmd",
        json_object_new_boolean(ch->flags & HVM_VMPORT_CH_RECV_TCLO_CMD));
    add(o, "app", ch->app == HVM_VMPORT_NO_APP ? NULL : u64(ch->app));
    add(o, "idle_ns", u64(ch->idle_ns));

    s = json_object_new_object();
    add(s, "state", json_object_new_string(name_of(send_names,
                                                   NR(send_names),
                                                   ch->send_state)));
    add(s, "size", u64(ch->send_size));
    add(s, "data", bytes_to_json(c->send, ch->send_pos));
    add(o, "send", s);

    rv = json_object_new_object();
    add(rv, "state", json_object_new_string(name_of(recv_names,
                                                    NR(recv_names),
                                                    ch->recv_state)));
    add(rv, "pos", u64(ch->recv_pos));
    add(rv, "data", bytes_to_json(c->recv, ch->recv_size));
    add(o, "recv", rv);
    return o;
}

static json_object *app_to_json(const struct vrec_app *a)
{
    json_object *o = json_object_new_object(), *q = json_object_new_array();
    unsigned int i;

    add(o, "index", u64(a->app.index));
    add(o, "name", json_object_new_string(a->app.name));
    add(o, "channel", a->app.channel == HVM_VMPORT_NO_CHANNEL
                      ? NULL : u64(a->app.channel));
    add(o, "ping_age_ns", u64(a->app.ping_age_ns));
    for ( i = 0; i < a->app.count; i++ )
    {
        json_object *c = json_object_new_object();

        add(c, "kind", json_object_new_string(name_of(kind_names,
                                                      NR(kind_names),
                                                      a->cmds[i].kind)));
        add(c, "data", bytes_to_json(a->cmds[i].data, a->cmds[i].len));
        json_object_array_add(q, c);
    }
    add(o, "queue", q);
    return o;
}

json_object *vrec_to_json(const struct vrec *r)
{
    json_object *o = json_object_new_object(), *arr;
    unsigned int i;

    add(o, "record_version", u64(r->version));
    add(o, "checkpoint",
        json_object_new_boolean(r->flags & HVM_VMPORT_F_CHECKPOINT));
    add(o, "config", config_to_json(r));
    if ( r->has_time )
    {
        json_object *t = json_object_new_object();

        add(t, "tsc_khz", u64(r->time.tsc_khz));
        add(t, "last_time_us", u64(r->time.last_time_us));
        add(o, "time", t);
    }
    arr = json_object_new_array();
    for ( i = 0; i < r->nr_channels; i++ )
        json_object_array_add(arr, channel_to_json(&r->channels[i]));
    add(o, "channels", arr);
    arr = json_object_new_array();
    for ( i = 0; i < r->nr_gi; i++ )
        json_object_array_add(arr, vrec_gi_to_json(r->gi[i].key,
                                                   r->gi[i].klen,
                                                   r->gi[i].val,
                                                   r->gi[i].vlen));
    add(o, "guestinfo", arr);
    arr = json_object_new_array();
    for ( i = 0; i < r->nr_apps; i++ )
        json_object_array_add(arr, app_to_json(&r->apps[i]));
    add(o, "tclo_apps", arr);
    if ( r->has_trigger )
    {
        json_object *t = json_object_new_object();

        add(t, "op", json_object_new_string(name_of(op_names, NR(op_names),
                                                    r->trigger.op)));
        add(t, "state", json_object_new_string(
                name_of(state_names, NR(state_names), r->trigger.state)));
        add(t, "guest_status", u64(r->trigger.guest_status));
        add(t, "age_ns", u64(r->trigger.age_ns));
        add(o, "trigger", t);
    }
    arr = json_object_new_array();
    for ( i = 0; i < r->nr_extra; i++ )
    {
        json_object *e = json_object_new_object();

        add(e, "type", u64(r->extra[i].s.type));
        add(e, "flags", u64(r->extra[i].s.flags));
        add(e, "data", bytes_to_json(r->extra[i].data,
                                     r->extra[i].s.length));
        json_object_array_add(arr, e);
    }
    add(o, "extra_sections", arr);
    return o;
}

/* ---- JSON -> model ---------------------------------------------------- */

struct jctx {
    char *err;
    size_t errlen;
    const char *where;
};

static int bad(struct jctx *j, const char *key, const char *what)
{
    vrec_err(j->err, j->errlen, "%s.%s: %s", j->where, key, what);
    return -EINVAL;
}

/* Refuse members the schema does not have (a typo would be lost). */
static int only(struct jctx *j, json_object *o, const char *const *keys)
{
    json_object_object_foreach(o, k, v)
    {
        const char *const *p;

        (void)v;
        for ( p = keys; *p && strcmp(*p, k); p++ )
            ;
        if ( !*p )
            return bad(j, k, "not a member of this object");
    }
    return 0;
}

static int get_u(struct jctx *j, json_object *o, const char *key,
                 uint64_t max, uint64_t *v)
{
    json_object *m;

    if ( !json_object_object_get_ex(o, key, &m) )
        return bad(j, key, "missing");
    if ( !json_object_is_type(m, json_type_int) )
        return bad(j, key, "not an integer");
    if ( json_object_get_int64(m) < 0 )
        return bad(j, key, "negative");
    *v = json_object_get_uint64(m);
    if ( *v > max )
        return bad(j, key, "out of range");
    return 0;
}

#define GET(j, o, key, field) ({                                        \
    uint64_t v_;                                                        \
    int r_ = get_u(j, o, key, (__typeof__(field))~0ULL, &v_);           \
    if ( !r_ )                                                          \
        (field) = v_;                                                   \
    r_; })

static int get_bool(struct jctx *j, json_object *o, const char *key,
                    bool *v)
{
    json_object *m;

    if ( !json_object_object_get_ex(o, key, &m) ||
         !json_object_is_type(m, json_type_boolean) )
        return bad(j, key, "missing or not a boolean");
    *v = json_object_get_boolean(m);
    return 0;
}

static int get_enum(struct jctx *j, json_object *o, const char *key,
                    const char *const *names, unsigned int nr, uint8_t *v)
{
    json_object *m;
    unsigned int i;

    if ( !json_object_object_get_ex(o, key, &m) ||
         !json_object_is_type(m, json_type_string) )
        return bad(j, key, "missing or not a string");
    for ( i = 0; i < nr; i++ )
    {
        if ( !strcmp(json_object_get_string(m), names[i]) )
        {
            *v = i;
            return 0;
        }
    }
    return bad(j, key, "unknown name");
}

/* null -> @none, else an integer up to @max. */
static int get_opt_u8(struct jctx *j, json_object *o, const char *key,
                      uint8_t none, uint8_t *v)
{
    json_object *m;

    if ( !json_object_object_get_ex(o, key, &m) )
        return bad(j, key, "missing");
    if ( !m )
    {
        *v = none;
        return 0;
    }
    return GET(j, o, key, *v);
}

static int hexval(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    return -1;
}

static int get_bytes(struct jctx *j, json_object *o, const char *key,
                     uint32_t max, uint8_t **p, uint32_t *len)
{
    json_object *m, *h;
    const char *s;
    size_t n, i;

    if ( !json_object_object_get_ex(o, key, &m) || !m )
        return bad(j, key, "missing");
    if ( json_object_is_type(m, json_type_string) )
    {
        n = json_object_get_string_len(m);
        if ( n > max )
            return bad(j, key, "too long");
        *p = vrec_dup(json_object_get_string(m), n, 1);
        *len = n;
        return *p ? 0 : -ENOMEM;
    }
    if ( !json_object_object_get_ex(m, "hex", &h) ||
         !json_object_is_type(h, json_type_string) )
        return bad(j, key, "neither a string nor {\"hex\": ...}");
    s = json_object_get_string(h);
    n = json_object_get_string_len(h);
    if ( n % 2 || n / 2 > max )
        return bad(j, key, "odd or too long hex");
    *p = malloc(n / 2 + 1);
    if ( !*p )
        return -ENOMEM;
    for ( i = 0; i < n / 2; i++ )
    {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

        if ( hi < 0 || lo < 0 )
        {
            free(*p);
            *p = NULL;
            return bad(j, key, "not lower-case hex");
        }
        (*p)[i] = hi << 4 | lo;
    }
    (*p)[n / 2] = 0;
    *len = n / 2;
    return 0;
}

static json_object *get_array(struct jctx *j, json_object *o,
                              const char *key)
{
    json_object *m;

    if ( !json_object_object_get_ex(o, key, &m) ||
         !json_object_is_type(m, json_type_array) )
    {
        bad(j, key, "missing or not an array");
        return NULL;
    }
    return m;
}

static int config_from_json(struct jctx *j, json_object *o,
                            struct hvm_vmport_config *c)
{
    bool hb = false;
    int rc = 0;

    j->where = "config";
    if ( !json_object_is_type(o, json_type_object) )
        return bad(j, "", "not an object");
    rc = only(j, o, (const char *const[]){ "hwver", "hb", "max_channels",
                                           "gi_key_max", "gi_value_max",
                                           "gi_max_keys",
                                           "gi_total_max", "tclo_queue_max",
                                           "idle_timeout_ms",
                                           "trigger_timeout_ms", NULL });
    if ( rc )
        return rc;
    rc = rc ?: GET(j, o, "hwver", c->hwver);
    rc = rc ?: get_bool(j, o, "hb", &hb);
    rc = rc ?: GET(j, o, "max_channels", c->max_channels);
    rc = rc ?: GET(j, o, "gi_key_max", c->gi_key_max);
    rc = rc ?: GET(j, o, "gi_value_max", c->gi_value_max);
    rc = rc ?: GET(j, o, "gi_max_keys", c->gi_max_keys);
    rc = rc ?: GET(j, o, "gi_total_max", c->gi_total_max);
    rc = rc ?: GET(j, o, "tclo_queue_max", c->tclo_queue_max);
    rc = rc ?: GET(j, o, "idle_timeout_ms", c->idle_timeout_ms);
    rc = rc ?: GET(j, o, "trigger_timeout_ms", c->trigger_timeout_ms);
    c->flags = hb ? HVM_VMPORT_CFG_HB : 0;
    return rc;
}

static int channel_from_json(struct jctx *j, json_object *o,
                             struct vrec_channel *c)
{
    struct hvm_vmport_channel *ch = &c->ch;
    json_object *s, *rv, *ck;
    bool f_cookie, f_cpt, f_cmd;
    char *end;
    int rc = 0;

    j->where = "channel";
    if ( !json_object_is_type(o, json_type_object) )
        return bad(j, "", "not an object");
    rc = only(j, o, (const char *const[]){ "id", "proto", "cookie",
                                           "cookie_checked", "checkpointed",
                                           "recv_tclo_cmd", "app", "idle_ns",
                                           "send", "recv", NULL });
    if ( rc )
        return rc;
    rc = rc ?: GET(j, o, "id", ch->id);
    rc = rc ?: get_enum(j, o, "proto", proto_names, NR(proto_names),
                        &ch->proto);
    rc = rc ?: get_bool(j, o, "cookie_checked", &f_cookie);
    rc = rc ?: get_bool(j, o, "checkpointed", &f_cpt);
    rc = rc ?: get_bool(j, o, "recv_tclo_cmd", &f_cmd);
    rc = rc ?: get_opt_u8(j, o, "app", HVM_VMPORT_NO_APP, &ch->app);
    rc = rc ?: GET(j, o, "idle_ns", ch->idle_ns);
    if ( rc )
        return rc;
    ch->flags = (f_cookie ? HVM_VMPORT_CH_COOKIE : 0) |
                (f_cpt ? HVM_VMPORT_CH_CHECKPOINTED : 0) |
                (f_cmd ? HVM_VMPORT_CH_RECV_TCLO_CMD : 0);
    if ( !json_object_object_get_ex(o, "cookie", &ck) ||
         !json_object_is_type(ck, json_type_string) )
        return bad(j, "cookie", "missing or not a string");
    errno = 0;
    ch->cookie = strtoull(json_object_get_string(ck), &end, 16);
    if ( errno || *end )
        return bad(j, "cookie", "not a hex number");

    if ( !json_object_object_get_ex(o, "send", &s) ||
         !json_object_object_get_ex(o, "recv", &rv) )
        return bad(j, "send", "send or recv missing");
    j->where = "channel.send";
    rc = rc ?: only(j, s, (const char *const[]){ "state", "size", "data",
                                                 NULL });
    rc = rc ?: get_enum(j, s, "state", send_names, NR(send_names),
                        &ch->send_state);
    rc = rc ?: GET(j, s, "size", ch->send_size);
    rc = rc ?: get_bytes(j, s, "data", HVM_VMPORT_SEND_MAX, &c->send,
                         &ch->send_pos);
    j->where = "channel.recv";
    rc = rc ?: only(j, rv, (const char *const[]){ "state", "pos", "data",
                                                  NULL });
    rc = rc ?: get_enum(j, rv, "state", recv_names, NR(recv_names),
                        &ch->recv_state);
    rc = rc ?: GET(j, rv, "pos", ch->recv_pos);
    rc = rc ?: get_bytes(j, rv, "data", HVM_VMPORT_RECV_MAX, &c->recv,
                         &ch->recv_size);
    return rc;
}

static int app_from_json(struct jctx *j, json_object *o,
                         struct vrec_app *a)
{
    json_object *q, *nm;
    size_t i, n;
    int rc = 0;

    j->where = "tclo_app";
    if ( !json_object_is_type(o, json_type_object) )
        return bad(j, "", "not an object");
    rc = only(j, o, (const char *const[]){ "index", "name", "channel",
                                           "ping_age_ns", "queue", NULL });
    if ( rc )
        return rc;
    rc = rc ?: GET(j, o, "index", a->app.index);
    rc = rc ?: get_opt_u8(j, o, "channel", HVM_VMPORT_NO_CHANNEL,
                          &a->app.channel);
    rc = rc ?: GET(j, o, "ping_age_ns", a->app.ping_age_ns);
    if ( rc )
        return rc;
    if ( !json_object_object_get_ex(o, "name", &nm) ||
         !json_object_is_type(nm, json_type_string) ||
         json_object_get_string_len(nm) >= HVM_VMPORT_APP_NAME_LEN )
        return bad(j, "name", "missing, not a string or too long");
    strcpy(a->app.name, json_object_get_string(nm));
    q = get_array(j, o, "queue");
    if ( !q )
        return -EINVAL;
    n = json_object_array_length(q);
    if ( n > HVM_VMPORT_QUEUE_MAX )
        return bad(j, "queue", "too many commands");
    a->cmds = calloc(n ? n : 1, sizeof(*a->cmds));
    if ( !a->cmds )
        return -ENOMEM;
    for ( i = 0; i < n && !rc; i++ )
    {
        json_object *c = json_object_array_get_idx(q, i);

        j->where = "tclo_app.queue";
        a->app.count = i + 1;
        rc = only(j, c, (const char *const[]){ "kind", "data", NULL });
        rc = rc ?: get_enum(j, c, "kind", kind_names, NR(kind_names),
                      &a->cmds[i].kind);
        rc = rc ?: get_bytes(j, c, "data", HVM_VMPORT_CMD_MAX,
                             &a->cmds[i].data, &a->cmds[i].len);
    }
    return rc;
}

static int trigger_from_json(struct jctx *j, json_object *o,
                             struct hvm_vmport_trigger *t)
{
    int rc = 0;

    j->where = "trigger";
    if ( !json_object_is_type(o, json_type_object) )
        return bad(j, "", "not an object");
    rc = only(j, o, (const char *const[]){ "op", "state", "guest_status",
                                           "age_ns", NULL });
    if ( rc )
        return rc;
    rc = rc ?: get_enum(j, o, "op", op_names, NR(op_names), &t->op);
    rc = rc ?: get_enum(j, o, "state", state_names, NR(state_names),
                        &t->state);
    rc = rc ?: GET(j, o, "guest_status", t->guest_status);
    rc = rc ?: GET(j, o, "age_ns", t->age_ns);
    return rc;
}

static int extra_from_json(struct jctx *j, json_object *o,
                           struct vrec_extra *e)
{
    int rc = 0;

    j->where = "extra_sections";
    if ( !json_object_is_type(o, json_type_object) )
        return bad(j, "", "not an object");
    rc = only(j, o, (const char *const[]){ "type", "flags", "data", NULL });
    if ( rc )
        return rc;
    rc = rc ?: GET(j, o, "type", e->s.type);
    rc = rc ?: GET(j, o, "flags", e->s.flags);
    rc = rc ?: get_bytes(j, o, "data", HVM_VMPORT_RECV_MAX, &e->data,
                         &e->s.length);
    return rc;
}

/* Fill the model's arrays from the JSON arrays. */
static int lists_from_json(struct jctx *j, json_object *o,
                           struct vrec *r)
{
    json_object *arr;
    size_t i;
    int rc = 0;

    if ( !(arr = get_array(j, o, "channels")) )
        return -EINVAL;
    for ( i = 0; i < json_object_array_length(arr) && !rc; i++ )
    {
        struct vrec_channel *c = vrec_push(&r->channels,
                                           &r->nr_channels,
                                           sizeof(*c));

        rc = c ? channel_from_json(j, json_object_array_get_idx(arr, i), c)
               : -ENOMEM;
    }
    if ( rc || !(arr = get_array(j, o, "guestinfo")) )
        return rc ?: -EINVAL;
    for ( i = 0; i < json_object_array_length(arr) && !rc; i++ )
    {
        struct vrec_gi *g = vrec_push(&r->gi, &r->nr_gi, sizeof(*g));
        json_object *e = json_object_array_get_idx(arr, i);

        j->where = "guestinfo";
        rc = g ? only(j, e, (const char *const[]){ "key", "value", NULL })
               : -ENOMEM;
        rc = rc ?: get_bytes(j, e, "key", HVM_VMPORT_GI_KEY_MAX,
                             (uint8_t **)&g->key, &g->klen);
        rc = rc ?: get_bytes(j, e, "value", HVM_VMPORT_GI_VALUE_MAX,
                             &g->val, &g->vlen);
    }
    if ( rc || !(arr = get_array(j, o, "tclo_apps")) )
        return rc ?: -EINVAL;
    for ( i = 0; i < json_object_array_length(arr) && !rc; i++ )
    {
        struct vrec_app *a = vrec_push(&r->apps, &r->nr_apps,
                                       sizeof(*a));

        rc = a ? app_from_json(j, json_object_array_get_idx(arr, i), a)
               : -ENOMEM;
    }
    if ( rc || !(arr = get_array(j, o, "extra_sections")) )
        return rc ?: -EINVAL;
    for ( i = 0; i < json_object_array_length(arr) && !rc; i++ )
    {
        struct vrec_extra *e = vrec_push(&r->extra, &r->nr_extra,
                                         sizeof(*e));

        rc = e ? extra_from_json(j, json_object_array_get_idx(arr, i), e)
               : -ENOMEM;
    }
    return rc;
}

int vrec_from_json(json_object *o, struct vrec *r, char *err,
                   size_t errlen)
{
    struct jctx j = { .err = err, .errlen = errlen, .where = "record" };
    json_object *m;
    bool cpt;
    int rc = 0;

    vrec_init(r);
    if ( !json_object_is_type(o, json_type_object) )
        return bad(&j, "", "not a JSON object");
    rc = only(&j, o, (const char *const[]){ "record_version", "checkpoint",
                                            "config", "time", "channels",
                                            "guestinfo", "tclo_apps",
                                            "trigger", "extra_sections",
                                            NULL });
    if ( rc )
        return rc;
    rc = rc ?: GET(&j, o, "record_version", r->version);
    rc = rc ?: get_bool(&j, o, "checkpoint", &cpt);
    if ( !rc )
        r->flags = cpt ? HVM_VMPORT_F_CHECKPOINT : 0;
    if ( !rc && !json_object_object_get_ex(o, "config", &m) )
        rc = bad(&j, "config", "missing");
    rc = rc ?: config_from_json(&j, m, &r->config);
    if ( !rc && json_object_object_get_ex(o, "time", &m) )
    {
        j.where = "time";
        r->has_time = true;
        rc = only(&j, m, (const char *const[]){ "tsc_khz", "last_time_us",
                                                NULL });
        rc = rc ?: GET(&j, m, "tsc_khz", r->time.tsc_khz);
        rc = rc ?: GET(&j, m, "last_time_us", r->time.last_time_us);
    }
    rc = rc ?: lists_from_json(&j, o, r);
    if ( !rc && json_object_object_get_ex(o, "trigger", &m) )
    {
        r->has_trigger = true;
        rc = trigger_from_json(&j, m, &r->trigger);
    }
    if ( rc )
        vrec_free(r);
    return rc;
}
