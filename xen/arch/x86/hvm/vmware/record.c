/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record.c: validate (walk) and write the VMPORT save record.
 *
 * Every check of docs/vmport-record.md lives here, once: the hypervisor's
 * check-then-commit loader, the tools' parser and verifier and the fuzzers
 * all run this walker.  It never reads outside [buf, buf + len), copies
 * every struct out with memcpy (the record need not be aligned), does
 * length arithmetic in 64 bits, and calls the visitor only for items that
 * passed their checks.
 */

#ifndef __XEN__
# include <stdarg.h>
# include <stddef.h>
#endif

#include "record.h"

/* The layout is ABI: every struct of the record, its size pinned. */
static void __maybe_unused record_layout_checks(void)
{
#define SIZE_PIN(t, n) BUILD_BUG_ON(sizeof(struct t) != (n) || (n) % 8)
    SIZE_PIN(hvm_vmport_header, 24);
    SIZE_PIN(hvm_vmport_section, 8);
    SIZE_PIN(hvm_vmport_config, 40);
    SIZE_PIN(hvm_vmport_time, 16);
    SIZE_PIN(hvm_vmport_channel, 40);
    SIZE_PIN(hvm_vmport_guestinfo, 8);
    SIZE_PIN(hvm_vmport_gi_entry, 8);
    SIZE_PIN(hvm_vmport_tclo_app, 48);
    SIZE_PIN(hvm_vmport_tclo_cmd, 8);
    SIZE_PIN(hvm_vmport_trigger, 16);
#undef SIZE_PIN
}

/* Set the limit references from a config (or a domain's limits). */
static void refs_from_config(uint64_t refs[HVM_VMPORT_REF_NR],
                             const struct hvm_vmport_config *c)
{
    refs[HVM_VMPORT_REF_NONE] = ~(uint64_t)0;
    refs[HVM_VMPORT_REF_CHAN_LAST] = (uint64_t)c->max_channels - 1;
    refs[HVM_VMPORT_REF_GI_MAX_KEYS] = c->gi_max_keys;
    refs[HVM_VMPORT_REF_GI_TOTAL_MAX] = c->gi_total_max;
    refs[HVM_VMPORT_REF_GI_KEY_MAX] = c->gi_key_max;
    refs[HVM_VMPORT_REF_GI_VALUE_MAX] = c->gi_value_max;
    refs[HVM_VMPORT_REF_QUEUE_MAX] = c->tclo_queue_max;
    refs[HVM_VMPORT_REF_SEND_SIZE] = 0;
    refs[HVM_VMPORT_REF_RECV_SIZE] = 0;
}

/* True if @v satisfies bound @b given @refs. */
static bool bound_ok(const struct hvm_vmport_bound *b, uint64_t v,
                     const uint64_t refs[HVM_VMPORT_REF_NR])
{
    return v >= b->lo && v <= b->hi && v <= refs[b->ref];
}

const struct hvm_vmport_bound vmport_rec_bounds[HVM_VMPORT_B_NR] = {
    HVM_VMPORT_BOUNDS(HVM_VMPORT_BOUND_ENTRY)
};

#define NOT_OPEN    0xfe
#define AGE_MAX     (~(uint64_t)0 >> 1)  /* ages are signed times */

/* A key byte folded as the key rule folds it, or -1 if it is not one. */
static int gi_key_byte(uint8_t ch)
{
    if ( ch <= ' ' || ch >= 0x7f )
        return -1;
    return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

bool vmport_rec_gi_key_prefixed(const void *key, uint32_t klen)
{
    const uint8_t *k = key;
    uint32_t i;

    if ( klen < VMPORT_GI_PREFIX_LEN )
        return false;
    for ( i = 0; i < VMPORT_GI_PREFIX_LEN; i++ )
        if ( gi_key_byte(k[i]) != VMPORT_GI_PREFIX[i] )
            return false;
    return true;
}

int vmport_rec_gi_key_fold(const void *key, uint32_t klen, uint32_t max,
                           char *buf)
{
    const uint8_t *k = key;
    uint32_t i;

    if ( klen > max )
        return -ENAMETOOLONG;
    if ( klen <= VMPORT_GI_PREFIX_LEN || !vmport_rec_gi_key_prefixed(k, klen) )
        return -EINVAL;
    for ( i = 0; i < klen; i++ )
    {
        int ch = gi_key_byte(k[i]);

        if ( ch < 0 )
            return -EINVAL;
        buf[i] = ch;
    }
    return 0;
}

static void problem(struct vmport_rec_walk *w, int err, uint32_t off,
                    const char *field, const char *fmt, ...)
{
    char msg[128];
    va_list args;

    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);

    w->problems++;
    if ( !w->rc )
        w->rc = err;
    if ( w->ops && w->ops->problem )
        w->ops->problem(w->opaque, err, off, field, msg);
}

/* Stop at the first problem unless asked for all of them. */
static bool stop(const struct vmport_rec_walk *w)
{
    return w->problems && !w->all;
}

/* Check @v against bound @id of the table; report it if out of range. */
static bool bound(struct vmport_rec_walk *w, unsigned int id, uint64_t v,
                  uint32_t off)
{
    const struct hvm_vmport_bound *b = &vmport_rec_bounds[id];
    uint64_t hi = b->hi;

    if ( bound_ok(b, v, w->refs) )
        return true;

    if ( w->refs[b->ref] < hi )
        hi = w->refs[b->ref];
    problem(w, -EINVAL, off, b->name, "%llu not in %u..%lld",
            (unsigned long long)v, b->lo,
            hi < b->lo ? -1LL : (long long)hi);
    return false;
}

static bool zero(struct vmport_rec_walk *w, const void *p, uint32_t len,
                 uint32_t off, const char *field)
{
    const uint8_t *b = p;
    uint32_t i;

    for ( i = 0; i < len; i++ )
    {
        if ( b[i] )
        {
            problem(w, -EINVAL, off + i, field, "padding byte is 0x%02x",
                    b[i]);
            return false;
        }
    }
    return true;
}

static bool flags_ok(struct vmport_rec_walk *w, uint32_t v, uint32_t all,
                     uint32_t off, const char *field)
{
    if ( !(v & ~all) )
        return true;
    problem(w, -EINVAL, off, field, "unknown bits 0x%x", v & ~all);
    return false;
}

static bool age_ok(struct vmport_rec_walk *w, uint64_t v, uint32_t off,
                   const char *field)
{
    if ( v <= AGE_MAX )
        return true;
    problem(w, -EINVAL, off, field, "age 0x%llx is negative",
            (unsigned long long)v);
    return false;
}

/* The payload must be exactly @want bytes. */
static bool length_is(struct vmport_rec_walk *w, uint32_t have,
                      uint64_t want, uint32_t off, const char *field)
{
    if ( have == want )
        return true;
    problem(w, have < want ? -ENODATA : -EINVAL, off, field,
            "section holds %u bytes, its contents need %llu", have,
            (unsigned long long)want);
    return false;
}

static int call(struct vmport_rec_walk *w, int rc)
{
    if ( rc && !w->rc )
        w->rc = rc;
    return rc;
}

#define OFF(base, type, field) ((base) + (uint32_t)offsetof(type, field))

static void walk_config(struct vmport_rec_walk *w, const uint8_t *p,
                        uint32_t len, uint32_t off)
{
    struct hvm_vmport_config c;
    const struct hvm_vmport_config *lim;
    bool ok = true;

    if ( !length_is(w, len, sizeof(c), off, "config") )
        return;
    memcpy(&c, p, sizeof(c));

    refs_from_config(w->refs, &c);
#define CFG(id, f)                                                           \
    ok &= bound(w, HVM_VMPORT_B_##id, c.f,                                   \
                OFF(off, struct hvm_vmport_config, f))
    CFG(CFG_HWVER, hwver);
    CFG(CFG_MAX_CHANNELS, max_channels);
    CFG(CFG_GI_KEY_MAX, gi_key_max);
    CFG(CFG_GI_VALUE_MAX, gi_value_max);
    CFG(CFG_GI_MAX_KEYS, gi_max_keys);
    CFG(CFG_GI_TOTAL_MAX, gi_total_max);
    CFG(CFG_TCLO_QUEUE_MAX, tclo_queue_max);
#undef CFG
    ok &= flags_ok(w, c.flags, HVM_VMPORT_CFG_ALL,
                   OFF(off, struct hvm_vmport_config, flags), "config.flags");

    /* The state that follows must fit the limits it will live under. */
    lim = w->limits ? w->limits : &c;
    refs_from_config(w->refs, lim);
    w->have_config = true;
    if ( ok && w->ops && w->ops->config )
        call(w, w->ops->config(w->opaque, &c));
}

static void walk_time(struct vmport_rec_walk *w, const uint8_t *p,
                      uint32_t len, uint32_t off)
{
    struct hvm_vmport_time t;

    if ( !length_is(w, len, sizeof(t), off, "time") )
        return;
    memcpy(&t, p, sizeof(t));
    if ( !zero(w, &t.pad, sizeof(t.pad), OFF(off, struct hvm_vmport_time, pad),
               "time.pad") )
        return;
    if ( w->ops && w->ops->time )
        call(w, w->ops->time(w->opaque, &t));
}

/* Transfer states and positions that belong together. */
static bool channel_states_ok(struct vmport_rec_walk *w,
                              const struct hvm_vmport_channel *c,
                              uint32_t off)
{
    const char *why = NULL;

    if ( c->send_state == HVM_VMPORT_SEND_NONE &&
         (c->send_size || c->send_pos) )
        why = "no send in progress but send_size/send_pos set";
    else if ( c->send_state == HVM_VMPORT_SEND_PAYLOAD &&
              c->send_pos >= c->send_size )
        why = "send complete but still in progress";
    else if ( c->recv_state == HVM_VMPORT_RECV_NONE &&
              (c->recv_size || c->recv_pos) )
        why = "no message for the guest but recv_size/recv_pos set";
    else if ( c->recv_state == HVM_VMPORT_RECV_READY && c->recv_pos )
        why = "message not yet sized but partly fetched";
    else if ( c->recv_state == HVM_VMPORT_RECV_FETCHED &&
              c->recv_pos != c->recv_size )
        why = "message fetched but recv_pos != recv_size";
    else if ( (c->flags & HVM_VMPORT_CH_RECV_TCLO_CMD) &&
              (c->proto != HVM_VMPORT_PROTO_TCLO ||
               c->recv_state == HVM_VMPORT_RECV_NONE) )
        why = "TCLO command flag without a TCLO message";
    else if ( c->proto == HVM_VMPORT_PROTO_RPCI &&
              c->app != HVM_VMPORT_NO_APP )
        why = "RPCI channel bound to a TCLO application";
    else if ( w->version < HVM_VMPORT_VERSION_2 &&
              (c->send_state != HVM_VMPORT_SEND_NONE ||
               c->recv_state > HVM_VMPORT_RECV_READY) )
        why = "version 1 carries no partial transfer";

    if ( !why )
        return true;
    problem(w, -EINVAL, off, "channel.state", "channel %u: %s", c->id, why);
    return false;
}

static void walk_channel(struct vmport_rec_walk *w, const uint8_t *p,
                         uint32_t len, uint32_t off)
{
    struct hvm_vmport_channel c;
    uint32_t send_off, recv_off;
    bool ok = true;

    if ( len < sizeof(c) )
    {
        problem(w, -ENODATA, off, "channel", "%u bytes, need %zu", len,
                sizeof(c));
        return;
    }
    memcpy(&c, p, sizeof(c));

#define CH(id, f)                                                            \
    ok &= bound(w, HVM_VMPORT_B_##id, c.f,                                   \
                OFF(off, struct hvm_vmport_channel, f))
    CH(CHAN_ID, id);
    CH(CHAN_PROTO, proto);
    CH(CHAN_SEND_STATE, send_state);
    CH(CHAN_RECV_STATE, recv_state);
    if ( c.app != HVM_VMPORT_NO_APP )
        CH(CHAN_APP, app);
    CH(CHAN_SEND_SIZE, send_size);
    CH(CHAN_RECV_SIZE, recv_size);
    w->refs[HVM_VMPORT_REF_SEND_SIZE] = c.send_size;
    w->refs[HVM_VMPORT_REF_RECV_SIZE] = c.recv_size;
    CH(CHAN_SEND_POS, send_pos);
    CH(CHAN_RECV_POS, recv_pos);
#undef CH
    ok &= flags_ok(w, c.flags, HVM_VMPORT_CH_ALL,
                   OFF(off, struct hvm_vmport_channel, flags),
                   "channel.flags");
    ok &= zero(w, &c.pad, sizeof(c.pad),
               OFF(off, struct hvm_vmport_channel, pad), "channel.pad");
    ok &= age_ok(w, c.idle_ns, OFF(off, struct hvm_vmport_channel, idle_ns),
                 "channel.idle_ns");
    if ( !ok )
        return;
    if ( (int)c.id <= w->last_chan )
    {
        problem(w, -EINVAL, off, "channel.id",
                "channel %u after channel %d: ids must increase", c.id,
                w->last_chan);
        return;
    }
    if ( !channel_states_ok(w, &c, off) )
        return;
    if ( !length_is(w, len, sizeof(c) + (uint64_t)VMPORT_REC_PAD8(c.send_pos) +
                    VMPORT_REC_PAD8(c.recv_size), off, "channel") )
        return;

    send_off = sizeof(c);
    recv_off = send_off + VMPORT_REC_PAD8(c.send_pos);
    if ( !zero(w, p + send_off + c.send_pos,
               VMPORT_REC_PAD8(c.send_pos) - c.send_pos,
               off + send_off + c.send_pos, "channel.send padding") ||
         !zero(w, p + recv_off + c.recv_size,
               VMPORT_REC_PAD8(c.recv_size) - c.recv_size,
               off + recv_off + c.recv_size, "channel.recv padding") )
        return;

    w->last_chan = c.id;
    w->chan_app[c.id] = c.app;
    w->chan_proto[c.id] = c.proto;
    if ( w->ops && w->ops->channel )
        call(w, w->ops->channel(w->opaque, &c, p + send_off, p + recv_off));
}

/* A key as the key rule stores it: valid and already folded. */
static bool gi_key_ok(struct vmport_rec_walk *w, const uint8_t *k,
                      uint32_t klen, uint32_t off)
{
    uint32_t i;

    if ( klen <= VMPORT_GI_PREFIX_LEN ||
         memcmp(k, VMPORT_GI_PREFIX, VMPORT_GI_PREFIX_LEN) )
    {
        problem(w, -EINVAL, off, "guestinfo.key",
                "key does not start with \"guestinfo.\" and a name");
        return false;
    }
    for ( i = 0; i < klen; i++ )
    {
        if ( gi_key_byte(k[i]) != k[i] )
        {
            problem(w, -EINVAL, off + i, "guestinfo.key",
                    "key byte 0x%02x is not printable lower-case", k[i]);
            return false;
        }
    }
    return true;
}

/* Strictly after the previous key, in guestinfo.c's order. */
static bool gi_after(const uint8_t *prev, uint32_t plen, const uint8_t *k,
                     uint32_t klen)
{
    int r = memcmp(prev, k, plen < klen ? plen : klen);

    return r < 0 || (r == 0 && plen < klen);
}

static void walk_gi(struct vmport_rec_walk *w, const uint8_t *p,
                    uint32_t len, uint32_t off)
{
    struct hvm_vmport_guestinfo g;
    const uint8_t *prev = NULL;
    uint32_t plen = 0, pos, i;
    uint64_t sum = 0;

    if ( w->have_gi )
    {
        problem(w, -EINVAL, off, "guestinfo", "second guestinfo section");
        return;
    }
    w->have_gi = true;
    if ( len < sizeof(g) )
    {
        problem(w, -ENODATA, off, "guestinfo", "%u bytes, need %zu", len,
                sizeof(g));
        return;
    }
    memcpy(&g, p, sizeof(g));
    if ( !bound(w, HVM_VMPORT_B_GI_COUNT, g.count,
                OFF(off, struct hvm_vmport_guestinfo, count)) ||
         !bound(w, HVM_VMPORT_B_GI_BYTES, g.bytes,
                OFF(off, struct hvm_vmport_guestinfo, bytes)) )
        return;

    for ( i = 0, pos = sizeof(g); i < g.count; i++ )
    {
        struct hvm_vmport_gi_entry e;
        const uint8_t *k;
        uint64_t need;

        if ( len - pos < sizeof(e) )
        {
            problem(w, -ENODATA, off + pos, "guestinfo",
                    "entry %u of %u missing", i, g.count);
            return;
        }
        memcpy(&e, p + pos, sizeof(e));
        if ( !bound(w, HVM_VMPORT_B_GI_KLEN, e.klen,
                    off + pos + offsetof(struct hvm_vmport_gi_entry, klen)) ||
             !bound(w, HVM_VMPORT_B_GI_VLEN, e.vlen,
                    off + pos + offsetof(struct hvm_vmport_gi_entry, vlen)) )
            return;
        need = VMPORT_REC_PAD8((uint64_t)e.klen + e.vlen);
        if ( len - pos - sizeof(e) < need )
        {
            problem(w, -ENODATA, off + pos, "guestinfo",
                    "entry %u needs %llu bytes, %u left", i,
                    (unsigned long long)need,
                    (unsigned int)(len - pos - sizeof(e)));
            return;
        }
        k = p + pos + sizeof(e);
        if ( !gi_key_ok(w, k, e.klen, off + pos + sizeof(e)) )
            return;
        if ( prev && !gi_after(prev, plen, k, e.klen) )
        {
            problem(w, -EINVAL, off + pos + sizeof(e), "guestinfo.key",
                    "entry %u is not after the previous key", i);
            return;
        }
        if ( !zero(w, k + e.klen + e.vlen, need - e.klen - e.vlen,
                   off + pos + sizeof(e) + e.klen + e.vlen,
                   "guestinfo padding") )
            return;
        sum += (uint64_t)e.klen + e.vlen;
        if ( w->ops && w->ops->gi &&
             call(w, w->ops->gi(w->opaque, k, e.klen, k + e.klen, e.vlen)) )
            return;
        prev = k;
        plen = e.klen;
        pos += sizeof(e) + need;
    }

    if ( sum != g.bytes )
        problem(w, -EINVAL, OFF(off, struct hvm_vmport_guestinfo, bytes),
                "guestinfo.bytes", "says %u, entries hold %llu", g.bytes,
                (unsigned long long)sum);
    else
        length_is(w, len, pos, off, "guestinfo");
}

/* Name: 1..31 printable bytes, NUL-terminated, zero after. */
static bool app_name_ok(struct vmport_rec_walk *w, const char *name,
                        uint32_t off)
{
    uint32_t n = 0;

    while ( n < HVM_VMPORT_APP_NAME_LEN && name[n] )
    {
        if ( name[n] <= ' ' || name[n] >= 0x7f )
        {
            problem(w, -EINVAL, off + n, "tclo_app.name",
                    "byte 0x%02x is not printable", (uint8_t)name[n]);
            return false;
        }
        n++;
    }
    if ( n == 0 || n == HVM_VMPORT_APP_NAME_LEN )
    {
        problem(w, -EINVAL, off, "tclo_app.name", "name of %u bytes", n);
        return false;
    }
    return zero(w, name + n, HVM_VMPORT_APP_NAME_LEN - n, off + n,
                "tclo_app.name padding");
}

static bool app_binding_ok(struct vmport_rec_walk *w,
                           const struct hvm_vmport_tclo_app *a, uint32_t off)
{
    if ( a->channel == HVM_VMPORT_NO_CHANNEL )
        return true;
    if ( !bound(w, HVM_VMPORT_B_APP_CHANNEL, a->channel, off) )
        return false;
    if ( w->chan_app[a->channel] == a->index &&
         w->chan_proto[a->channel] == HVM_VMPORT_PROTO_TCLO )
        return true;
    problem(w, -EINVAL, off, "tclo_app.channel",
            "application %u bound to channel %u, which is not its TCLO "
            "channel", a->index, a->channel);
    return false;
}

static void walk_cmds(struct vmport_rec_walk *w,
                      const struct hvm_vmport_tclo_app *a, const uint8_t *p,
                      uint32_t len, uint32_t pos, uint32_t off)
{
    unsigned int i;

    for ( i = 0; i < a->count; i++ )
    {
        struct hvm_vmport_tclo_cmd c;
        uint32_t at = off + pos;

        if ( len - pos < sizeof(c) )
        {
            problem(w, -ENODATA, at, "tclo_cmd", "command %u of %u missing",
                    i, a->count);
            return;
        }
        memcpy(&c, p + pos, sizeof(c));
        if ( !bound(w, HVM_VMPORT_B_CMD_LEN, c.len,
                    at + offsetof(struct hvm_vmport_tclo_cmd, len)) ||
             !bound(w, HVM_VMPORT_B_CMD_KIND, c.kind,
                    at + offsetof(struct hvm_vmport_tclo_cmd, kind)) ||
             !zero(w, c.pad, sizeof(c.pad),
                   at + offsetof(struct hvm_vmport_tclo_cmd, pad),
                   "tclo_cmd.pad") )
            return;
        pos += sizeof(c);
        if ( len - pos < VMPORT_REC_PAD8(c.len) )
        {
            problem(w, -ENODATA, at, "tclo_cmd.len",
                    "command of %u bytes, %u left", c.len, len - pos);
            return;
        }
        if ( !zero(w, p + pos + c.len, VMPORT_REC_PAD8(c.len) - c.len,
                   off + pos + c.len, "tclo_cmd padding") )
            return;
        if ( c.kind == HVM_VMPORT_CMD_POWER )
            w->power_cmds++;
        if ( w->ops && w->ops->cmd &&
             call(w, w->ops->cmd(w->opaque, a, &c, p + pos)) )
            return;
        pos += VMPORT_REC_PAD8(c.len);
    }
    length_is(w, len, pos, off, "tclo_app");
}

static void walk_app(struct vmport_rec_walk *w, const uint8_t *p,
                     uint32_t len, uint32_t off)
{
    struct hvm_vmport_tclo_app a;
    bool ok = true;

    if ( len < sizeof(a) )
    {
        problem(w, -ENODATA, off, "tclo_app", "%u bytes, need %zu", len,
                sizeof(a));
        return;
    }
    memcpy(&a, p, sizeof(a));
    ok &= bound(w, HVM_VMPORT_B_APP_INDEX, a.index,
                OFF(off, struct hvm_vmport_tclo_app, index));
    ok &= bound(w, HVM_VMPORT_B_APP_COUNT, a.count,
                OFF(off, struct hvm_vmport_tclo_app, count));
    ok &= zero(w, a.pad, sizeof(a.pad),
               OFF(off, struct hvm_vmport_tclo_app, pad), "tclo_app.pad");
    ok &= age_ok(w, a.ping_age_ns,
                 OFF(off, struct hvm_vmport_tclo_app, ping_age_ns),
                 "tclo_app.ping_age_ns");
    ok = ok && app_name_ok(w, a.name,
                           OFF(off, struct hvm_vmport_tclo_app, name));
    if ( !ok )
        return;
    if ( (int)a.index <= w->last_app )
    {
        problem(w, -EINVAL, off, "tclo_app.index",
                "application %u after %d: indices must increase", a.index,
                w->last_app);
        return;
    }
    if ( !app_binding_ok(w, &a, OFF(off, struct hvm_vmport_tclo_app,
                                    channel)) )
        return;

    w->last_app = a.index;
    w->app_chan[a.index] = a.channel;
    if ( w->ops && w->ops->app && call(w, w->ops->app(w->opaque, &a)) )
        return;
    walk_cmds(w, &a, p, len, sizeof(a), off);
}

static void walk_trigger(struct vmport_rec_walk *w, const uint8_t *p,
                         uint32_t len, uint32_t off)
{
    struct hvm_vmport_trigger t;

    if ( w->have_trigger )
    {
        problem(w, -EINVAL, off, "trigger", "second trigger section");
        return;
    }
    if ( !length_is(w, len, sizeof(t), off, "trigger") )
        return;
    memcpy(&t, p, sizeof(t));
    if ( !bound(w, HVM_VMPORT_B_TRIG_OP, t.op,
                OFF(off, struct hvm_vmport_trigger, op)) ||
         !bound(w, HVM_VMPORT_B_TRIG_STATE, t.state,
                OFF(off, struct hvm_vmport_trigger, state)) ||
         !zero(w, &t.pad, sizeof(t.pad),
               OFF(off, struct hvm_vmport_trigger, pad), "trigger.pad") ||
         !age_ok(w, t.age_ns, OFF(off, struct hvm_vmport_trigger, age_ns),
                 "trigger.age_ns") )
        return;
    w->have_trigger = true;
    w->trigger_state = t.state;
    if ( w->ops && w->ops->trigger )
        call(w, w->ops->trigger(w->opaque, &t));
}

uint16_t vmport_rec_sect_flags(uint16_t type)
{
    return type == HVM_VMPORT_SECT_TIME ? 0 : HVM_VMPORT_SF_MUST;
}

/* Which sections a version may carry, and how often. */
static bool section_allowed(struct vmport_rec_walk *w,
                            const struct hvm_vmport_section *s,
                            uint16_t prev, uint32_t off)
{
    const char *why = NULL;

    if ( !w->have_config && s->type != HVM_VMPORT_SECT_CONFIG )
        why = "the first section must be config";
    else if ( s->type < prev )
        why = "sections out of type order";
    else if ( s->type == prev && (s->type == HVM_VMPORT_SECT_CONFIG ||
                                  s->type == HVM_VMPORT_SECT_TIME) )
        why = "section repeated";
    else if ( w->version < HVM_VMPORT_VERSION_2 &&
              (s->type == HVM_VMPORT_SECT_TIME ||
               s->type == HVM_VMPORT_SECT_TRIGGER) )
        why = "section not in version 1";
    else if ( s->type >= HVM_VMPORT_SECT_CONFIG &&
              s->type <= HVM_VMPORT_SECT_TRIGGER &&
              s->flags != vmport_rec_sect_flags(s->type) )
        why = "wrong must-understand flag for a known section";
    else if ( s->type > HVM_VMPORT_SECT_TRIGGER &&
              (s->flags & HVM_VMPORT_SF_MUST) )
        why = "unknown section marked must-understand";
    else if ( s->type == 0 )
        why = "section type 0";

    if ( !why )
        return true;
    problem(w, -EINVAL, off, "section.type", "type %u: %s", s->type, why);
    return false;
}

static void walk_section(struct vmport_rec_walk *w,
                         const struct hvm_vmport_section *s, uint32_t off)
{
    const uint8_t *p = w->buf + off + sizeof(*s);
    uint32_t poff = off + sizeof(*s);

    switch ( s->type )
    {
    case HVM_VMPORT_SECT_CONFIG:
        walk_config(w, p, s->length, poff);
        break;
    case HVM_VMPORT_SECT_TIME:
        walk_time(w, p, s->length, poff);
        break;
    case HVM_VMPORT_SECT_CHANNEL:
        walk_channel(w, p, s->length, poff);
        break;
    case HVM_VMPORT_SECT_GUESTINFO:
        walk_gi(w, p, s->length, poff);
        break;
    case HVM_VMPORT_SECT_TCLO_APP:
        walk_app(w, p, s->length, poff);
        break;
    case HVM_VMPORT_SECT_TRIGGER:
        walk_trigger(w, p, s->length, poff);
        break;
    default:
        if ( w->ops && w->ops->extra )
            call(w, w->ops->extra(w->opaque, s, p));
        break;
    }
}

/* Relations between sections, checked once everything was seen. */
static void walk_final(struct vmport_rec_walk *w)
{
    unsigned int id;

    if ( !w->have_config )
    {
        problem(w, -ENODATA, w->len, "config", "no config section");
        return;
    }
    for ( id = 0; id < HVM_VMPORT_CHANNELS_MAX; id++ )
    {
        uint8_t app = w->chan_app[id];

        if ( app == NOT_OPEN || app == HVM_VMPORT_NO_APP ||
             app >= HVM_VMPORT_APPS_MAX || w->app_chan[app] == id )
            continue;
        problem(w, -EINVAL, w->len, "channel.app",
                "channel %u names application %u, not bound to it", id, app);
    }
    if ( w->power_cmds > 1 ||
         (w->power_cmds &&
          (!w->have_trigger || w->trigger_state != 1 /* queued */)) )
        problem(w, -EINVAL, w->len, "tclo_cmd.kind",
                "%u queued power commands without a queued trigger",
                w->power_cmds);
}

static bool walk_header(struct vmport_rec_walk *w)
{
    struct hvm_vmport_header h;
    uint32_t crc;

    if ( w->len < sizeof(h) )
    {
        problem(w, -ENODATA, 0, "header", "record of %u bytes, header is %zu",
                w->len, sizeof(h));
        return false;
    }
    memcpy(&h, w->buf, sizeof(h));
    w->version = h.version;

    if ( h.magic != HVM_VMPORT_MAGIC )
    {
        problem(w, -EINVAL, 0, "header.magic", "0x%08x", h.magic);
        return false;
    }
    if ( h.version < HVM_VMPORT_VERSION_1 ||
         h.version > HVM_VMPORT_VERSION_CURRENT )
    {
        problem(w, -EINVAL, OFF(0, struct hvm_vmport_header, version),
                "header.version", "version %u not in 1..%u", h.version,
                HVM_VMPORT_VERSION_CURRENT);
        return false;
    }
    if ( h.hdr_len != sizeof(h) )
    {
        problem(w, -EINVAL, OFF(0, struct hvm_vmport_header, hdr_len),
                "header.hdr_len", "%u, must be %zu", h.hdr_len, sizeof(h));
        return false;
    }
    if ( h.body_len != w->len - sizeof(h) || h.body_len % 8 )
    {
        problem(w, h.body_len > w->len - sizeof(h) ? -ENODATA : -EINVAL,
                OFF(0, struct hvm_vmport_header, body_len),
                "header.body_len", "%u, but %u bytes follow the header",
                h.body_len, (unsigned int)(w->len - sizeof(h)));
        return false;
    }
    flags_ok(w, h.flags, HVM_VMPORT_F_ALL,
             OFF(0, struct hvm_vmport_header, flags), "header.flags");
    zero(w, &h.pad, sizeof(h.pad), OFF(0, struct hvm_vmport_header, pad),
         "header.pad");
    crc = w->crc_known_good ? h.body_crc
                            : vmport_crc32(0, w->buf + sizeof(h), h.body_len);
    if ( crc != h.body_crc )
        problem(w, -EINVAL, OFF(0, struct hvm_vmport_header, body_crc),
                "header.body_crc", "0x%08x, body has 0x%08x", h.body_crc,
                crc);
    if ( stop(w) )
        return false;
    if ( w->ops && w->ops->header && call(w, w->ops->header(w->opaque, &h)) )
        return false;
    return true;
}

int vmport_rec_walk(struct vmport_rec_walk *w)
{
    uint32_t off = sizeof(struct hvm_vmport_header);
    uint16_t prev = 0;

    w->problems = 0;
    w->rc = 0;
    w->version = 0;
    w->have_config = w->have_gi = w->have_trigger = false;
    w->last_chan = w->last_app = -1;
    w->power_cmds = 0;
    w->trigger_state = 0;
    memset(w->chan_app, NOT_OPEN, sizeof(w->chan_app));
    memset(w->chan_proto, NOT_OPEN, sizeof(w->chan_proto));
    memset(w->app_chan, NOT_OPEN, sizeof(w->app_chan));
    memset(w->refs, 0, sizeof(w->refs));

    if ( !walk_header(w) )
        return w->rc;

    while ( off < w->len )
    {
        struct hvm_vmport_section s;

        /* body_len is a multiple of 8, so a whole header is there. */
        memcpy(&s, w->buf + off, sizeof(s));
        if ( !flags_ok(w, s.flags, HVM_VMPORT_SF_ALL,
                       OFF(off, struct hvm_vmport_section, flags),
                       "section.flags") && !w->all )
            break;
        if ( s.length % 8 || s.length > w->len - off - sizeof(s) )
        {
            problem(w, s.length % 8 ? -EINVAL : -ENODATA,
                    OFF(off, struct hvm_vmport_section, length),
                    "section.length", "%u (type %u), %u bytes left",
                    s.length, s.type,
                    (unsigned int)(w->len - off - sizeof(s)));
            break;
        }
        if ( section_allowed(w, &s, prev, off) )
            walk_section(w, &s, off);
        if ( stop(w) || (w->rc && !w->problems) || !w->have_config )
            break;
        prev = s.type;
        off += sizeof(s) + s.length;
    }

    if ( !stop(w) && !(w->rc && !w->problems) )
        walk_final(w);
    return w->rc;
}

/* ---- Writer ------------------------------------------------------------ */

static void w_bytes(struct vmport_rec_writer *w, uint32_t at, const void *p,
                    uint32_t len)
{
    if ( w->rc )
        return;
    if ( w->buf && (at > w->cap || len > w->cap - at) )
    {
        w->rc = -ENOSPC;
        return;
    }
    if ( w->buf && len )
    {
        if ( p )
            memcpy(w->buf + at, p, len);
        else
            memset(w->buf + at, 0, len);
    }
}

void vmport_rec_w_put(struct vmport_rec_writer *w, const void *p,
                      uint32_t len)
{
    if ( w->rc )
        return;
    if ( len > UINT32_MAX - 8 - w->off )
    {
        w->rc = -ENOSPC;
        return;
    }
    w_bytes(w, w->off, p, len);
    w->off += len;
}

void vmport_rec_w_pad(struct vmport_rec_writer *w)
{
    vmport_rec_w_put(w, NULL, VMPORT_REC_PAD8(w->off) - w->off);
}

void vmport_rec_w_init(struct vmport_rec_writer *w, void *buf, uint32_t cap,
                       uint16_t version, uint32_t flags)
{
    struct hvm_vmport_header h = {
        .magic = HVM_VMPORT_MAGIC,
        .version = version,
        .hdr_len = sizeof(h),
        .flags = flags,
    };

    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->off = 0;
    w->sect = 0;
    w->rc = 0;
    vmport_rec_w_put(w, &h, sizeof(h));
}

void vmport_rec_w_section(struct vmport_rec_writer *w, uint16_t type,
                          uint16_t flags)
{
    struct hvm_vmport_section s = { .type = type, .flags = flags };

    w->sect = w->off;
    vmport_rec_w_put(w, &s, sizeof(s));
}

void vmport_rec_w_end_section(struct vmport_rec_writer *w)
{
    uint32_t len;

    vmport_rec_w_pad(w);
    len = w->off - w->sect - sizeof(struct hvm_vmport_section);
    w_bytes(w, w->sect + offsetof(struct hvm_vmport_section, length), &len,
            sizeof(len));
}

int vmport_rec_w_finish(struct vmport_rec_writer *w, uint32_t *len)
{
    uint32_t body = w->off - sizeof(struct hvm_vmport_header), crc;

    if ( w->rc )
        return w->rc;
    *len = w->off;
    if ( !w->buf )
        return 0;
    crc = vmport_crc32(0, w->buf + sizeof(struct hvm_vmport_header), body);
    w_bytes(w, offsetof(struct hvm_vmport_header, body_len), &body,
            sizeof(body));
    w_bytes(w, offsetof(struct hvm_vmport_header, body_crc), &crc,
            sizeof(crc));
    return w->rc;
}

/* ---- Sections ----------------------------------------------------------- */

void vmport_rec_w_fixed(struct vmport_rec_writer *w, uint16_t type,
                        const void *p, uint32_t len)
{
    vmport_rec_w_section(w, type, vmport_rec_sect_flags(type));
    vmport_rec_w_put(w, p, len);
    vmport_rec_w_end_section(w);
}

void vmport_rec_w_channel(struct vmport_rec_writer *w,
                          const struct hvm_vmport_channel *ch,
                          const uint8_t *send, const uint8_t *recv)
{
    vmport_rec_w_section(w, HVM_VMPORT_SECT_CHANNEL,
                         vmport_rec_sect_flags(HVM_VMPORT_SECT_CHANNEL));
    vmport_rec_w_put(w, ch, sizeof(*ch));
    vmport_rec_w_put(w, send, ch->send_pos);
    vmport_rec_w_pad(w);
    vmport_rec_w_put(w, recv, ch->recv_size);
    vmport_rec_w_end_section(w);
}

void vmport_rec_w_gi_begin(struct vmport_rec_writer *w, uint32_t count,
                           uint32_t bytes)
{
    struct hvm_vmport_guestinfo g = { .count = count, .bytes = bytes };

    vmport_rec_w_section(w, HVM_VMPORT_SECT_GUESTINFO,
                         vmport_rec_sect_flags(HVM_VMPORT_SECT_GUESTINFO));
    vmport_rec_w_put(w, &g, sizeof(g));
}

void vmport_rec_w_gi_entry(struct vmport_rec_writer *w, const void *key,
                           uint32_t klen, const void *val, uint32_t vlen)
{
    struct hvm_vmport_gi_entry e = { .klen = klen, .vlen = vlen };

    vmport_rec_w_put(w, &e, sizeof(e));
    vmport_rec_w_put(w, key, klen);
    vmport_rec_w_put(w, val, vlen);
    vmport_rec_w_pad(w);
}

void vmport_rec_w_app_begin(struct vmport_rec_writer *w,
                            const struct hvm_vmport_tclo_app *a)
{
    vmport_rec_w_section(w, HVM_VMPORT_SECT_TCLO_APP,
                         vmport_rec_sect_flags(HVM_VMPORT_SECT_TCLO_APP));
    vmport_rec_w_put(w, a, sizeof(*a));
}

void vmport_rec_w_cmd(struct vmport_rec_writer *w, uint8_t kind,
                      const void *data, uint32_t len)
{
    struct hvm_vmport_tclo_cmd c = { .len = len, .kind = kind };

    vmport_rec_w_put(w, &c, sizeof(c));
    vmport_rec_w_put(w, data, len);
    vmport_rec_w_pad(w);
}

/* ---- Version 1 ---------------------------------------------------------- */

bool vmport_rec_ch_v1_misfit(const struct hvm_vmport_channel *ch)
{
    return ch->send_state != HVM_VMPORT_SEND_NONE ||
           ch->recv_state > HVM_VMPORT_RECV_READY;
}

void vmport_rec_ch_checkpoint(struct hvm_vmport_channel *ch)
{
    if ( !vmport_rec_ch_v1_misfit(ch) )
        return;
    ch->send_state = HVM_VMPORT_SEND_NONE;
    ch->send_size = ch->send_pos = 0;
    if ( ch->recv_state > HVM_VMPORT_RECV_READY )
    {
        ch->recv_pos = 0;
        ch->recv_state = HVM_VMPORT_RECV_READY;
        if ( (ch->flags & HVM_VMPORT_CH_RECV_TCLO_CMD) &&
             ch->app != HVM_VMPORT_NO_APP )
        {
            ch->recv_state = HVM_VMPORT_RECV_NONE;
            ch->recv_size = 0;
            ch->flags &= ~HVM_VMPORT_CH_RECV_TCLO_CMD;
        }
    }
    ch->flags |= HVM_VMPORT_CH_CHECKPOINTED;
}

uint8_t vmport_rec_cmd_kind_v1(uint8_t kind)
{
    return kind == HVM_VMPORT_CMD_POWER ? HVM_VMPORT_CMD_OTHER : kind;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
