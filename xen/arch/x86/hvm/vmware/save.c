/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * save.c: the VMPORT save record (HVM_SAVE_CODE_VMPORT) of a domain.
 *
 * Save writes only live state: configuration, time continuity, each open
 * channel with the bytes in flight, guestinfo, the TCLO applications with
 * their queues and the outstanding trigger.  Times are stored as ages, so
 * they survive a move to a host whose NOW() differs.
 *
 * Load is check, then commit (as 4.19's check/load split, inside one 4.17
 * handler): the shared walker (record.c) validates the whole record
 * against the domain's limits and its memory budget without touching the
 * domain; only then is the new state built aside, uncharged, and swapped
 * in under the lock.  If building fails (out of memory) the staging copy
 * is freed and the domain is exactly as before.
 *
 * The record is emitted only when vmport is enabled, so every other
 * domain still restores on a stock Xen.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/time.h>
#include <xen/xmalloc.h>

#include <asm/hvm/save.h>
#include <asm/hvm/vmport-save.h>

#include "private.h"
#include "record.h"

/* The wire caps and the device model's must agree. */
static void __init __maybe_unused build_checks(void)
{
    BUILD_BUG_ON(HVM_VMPORT_HWVER_MIN != VMPORT_HWVER_MIN);
    BUILD_BUG_ON(HVM_VMPORT_HWVER_MAX != VMPORT_HWVER_MAX);
    BUILD_BUG_ON(HVM_VMPORT_CHANNELS_MAX != VMPORT_MAX_CHANNELS_LIMIT);
    BUILD_BUG_ON(HVM_VMPORT_APPS_MAX != VMPORT_MAX_APPS);
    BUILD_BUG_ON(HVM_VMPORT_APP_NAME_LEN != VMPORT_APP_NAME_MAX + 1);
    BUILD_BUG_ON(HVM_VMPORT_SEND_MAX != VMPORT_MSG_IN_MAX);
    BUILD_BUG_ON(HVM_VMPORT_GI_KEY_MAX != VMPORT_GI_KEY_MAX_LIMIT);
    BUILD_BUG_ON(HVM_VMPORT_GI_VALUE_MAX != VMPORT_GI_VALUE_MAX_LIMIT);
    BUILD_BUG_ON(HVM_VMPORT_GI_KEYS_MAX != VMPORT_GI_MAX_KEYS_LIMIT);
    BUILD_BUG_ON(HVM_VMPORT_GI_TOTAL_MAX != VMPORT_GI_TOTAL_MAX_LIMIT);
    BUILD_BUG_ON(HVM_VMPORT_QUEUE_MAX != VMPORT_TCLO_QUEUE_LIMIT);
    BUILD_BUG_ON(HVM_VMPORT_QUEUE_MIN != VMPORT_TCLO_QUEUE_MIN);
    BUILD_BUG_ON(HVM_VMPORT_TIMEOUT_MIN_MS != VMPORT_TIMEOUT_MIN_MS);
    BUILD_BUG_ON(HVM_VMPORT_TIMEOUT_MAX_MS != VMPORT_TIMEOUT_MAX_MS);
    BUILD_BUG_ON(HVM_VMPORT_NO_APP != VMPORT_APP_NONE);
    BUILD_BUG_ON(HVM_VMPORT_PROTO_TCLO != VMPORT_CHAN_TCLO);
    BUILD_BUG_ON(HVM_VMPORT_SEND_PAYLOAD != VMPORT_SEND_PAYLOAD);
    BUILD_BUG_ON(HVM_VMPORT_RECV_FETCHED != VMPORT_RECV_FETCHED);
    BUILD_BUG_ON(HVM_VMPORT_CMD_POWER != VMPORT_TCLO_POWER);
    BUILD_BUG_ON(HVM_VMPORT_TRIGGER_OP_MAX != VMPORT_TRIGGER_REBOOT);
    BUILD_BUG_ON(HVM_VMPORT_TRIGGER_STATE_MAX != VMPORT_TRIGGER_TIMED_OUT);
}

static uint64_t age(s_time_t now, s_time_t then)
{
    return now > then ? now - then : 0;
}

static void limits_to_config(const struct vmport_domain *vd,
                             struct hvm_vmport_config *c)
{
    const struct vmport_limits *l = &vd->limits;

    memset(c, 0, sizeof(*c));
    c->hwver = vd->hwver;
    c->flags = vd->hb_enabled ? HVM_VMPORT_CFG_HB : 0;
    c->max_channels = l->max_channels;
    c->gi_key_max = l->gi_key_max;
    c->gi_value_max = l->gi_value_max;
    c->gi_max_keys = l->gi_max_keys;
    c->gi_total_max = l->gi_total_max;
    c->tclo_queue_max = l->tclo_queue_max;
    c->idle_timeout_ms = l->idle_timeout_ms;
    c->trigger_timeout_ms = l->trigger_timeout_ms;
}

static void config_to_limits(const struct hvm_vmport_config *c,
                             struct vmport_limits *l)
{
    l->max_channels = c->max_channels;
    l->gi_key_max = c->gi_key_max;
    l->gi_value_max = c->gi_value_max;
    l->gi_max_keys = c->gi_max_keys;
    l->gi_total_max = c->gi_total_max;
    l->tclo_queue_max = c->tclo_queue_max;
    l->idle_timeout_ms = c->idle_timeout_ms;
    l->trigger_timeout_ms = c->trigger_timeout_ms;
}

/* ---- Save --------------------------------------------------------------- */

/* Channel @c as the record carries it, in full (current version). */
static void channel_to_record(const struct vmport_channel *c, unsigned int id,
                              s_time_t now, struct hvm_vmport_channel *ch)
{
    *ch = (struct hvm_vmport_channel){
        .id = id,
        .proto = c->proto,
        .flags = (c->cookie_checked ? HVM_VMPORT_CH_COOKIE : 0) |
                 (c->checkpointed ? HVM_VMPORT_CH_CHECKPOINTED : 0) |
                 (c->recv_is_tclo_cmd ? HVM_VMPORT_CH_RECV_TCLO_CMD : 0),
        .send_state = c->send_state,
        .recv_state = c->recv_state,
        .app = c->app,
        .cookie = c->cookie,
        .idle_ns = age(now, c->last_active),
    };

    if ( c->send_state != VMPORT_SEND_NONE )
    {
        ch->send_size = c->send.size;
        ch->send_pos = c->send.pos;
    }
    if ( c->recv_state != VMPORT_RECV_NONE )
    {
        ch->recv_size = c->recv.size;
        ch->recv_pos = c->recv.pos;
    }
}

/*
 * Does the state hold anything record version 1 cannot carry?  The channel
 * rule is the tools' (record.c), applied to the channel as saved.
 */
static bool state_v1_misfit(const struct vmport_domain *vd)
{
    struct hvm_vmport_channel ch;
    unsigned int i;

    for ( i = 0; i < vd->limits.max_channels; i++ )
    {
        if ( !vd->channels[i].in_use )
            continue;
        channel_to_record(&vd->channels[i], i, 0, &ch);
        if ( vmport_rec_ch_v1_misfit(&ch) )
            return true;
    }
    return vd->trigger.op != VMPORT_TRIGGER_NONE;
}

/*
 * One channel section.  Under the checkpoint policy for version 1 the
 * channel is rewound by the rule the tools' conversion uses
 * (vmport_rec_ch_checkpoint()): the partial send is dropped, a finished
 * reply is rewound and a half-fetched TCLO command is left to its queue
 * (the queue head is the original, the channel only holds a copy); the
 * guest gets CPT next.
 */
static void save_channel(struct vmport_rec_writer *w,
                         const struct vmport_channel *c, unsigned int id,
                         s_time_t now, bool checkpoint)
{
    struct hvm_vmport_channel ch;

    channel_to_record(c, id, now, &ch);
    if ( checkpoint )
        vmport_rec_ch_checkpoint(&ch);
    vmport_rec_w_channel(w, &ch, c->send.data, c->recv.data);
}

static void save_gi(struct vmport_rec_writer *w,
                    const struct vmport_domain *vd)
{
    uint32_t i;

    vmport_rec_w_gi_begin(w, vd->gi_count, vd->gi_bytes);
    for ( i = 0; i < vd->gi_count; i++ )
        vmport_rec_w_gi_entry(w, vd->gi[i].key, vd->gi[i].klen,
                              vd->gi[i].val, vd->gi[i].vlen);
    vmport_rec_w_end_section(w);
}

static void save_app(struct vmport_rec_writer *w,
                     const struct vmport_domain *vd, unsigned int idx,
                     s_time_t now, bool v1)
{
    const struct vmport_tclo_app *app = &vd->apps[idx];
    struct hvm_vmport_tclo_app a = {
        .index = idx,
        .channel = app->channel,
        .count = app->count,
        .ping_age_ns = age(now, app->last_ping),
    };
    unsigned int i;

    memcpy(a.name, app->name, sizeof(a.name));
    vmport_rec_w_app_begin(w, &a);
    for ( i = 0; i < app->count; i++ )
    {
        const struct vmport_tclo_cmd *cmd =
            &app->queue[(app->head + i) % vd->limits.tclo_queue_max];

        /* Version 1 has no trigger: its command is an ordinary one. */
        vmport_rec_w_cmd(w, v1 ? vmport_rec_cmd_kind_v1(cmd->kind)
                                : cmd->kind,
                         cmd->data, cmd->len);
    }
    vmport_rec_w_end_section(w);
}

static void save_state(struct vmport_rec_writer *w, const struct domain *d,
                       const struct vmport_domain *vd, unsigned int version,
                       bool checkpoint)
{
    bool v1 = version == HVM_VMPORT_VERSION_1;
    s_time_t now = NOW();
    struct hvm_vmport_config cfg;
    unsigned int i;

    limits_to_config(vd, &cfg);
    vmport_rec_w_fixed(w, HVM_VMPORT_SECT_CONFIG, &cfg, sizeof(cfg));
    if ( !v1 )
    {
        struct hvm_vmport_time t = {
            .tsc_khz = d->arch.tsc_khz,
            .last_time_us = vd->last_time_us,
        };

        vmport_rec_w_fixed(w, HVM_VMPORT_SECT_TIME, &t, sizeof(t));
    }
    for ( i = 0; i < vd->limits.max_channels; i++ )
        if ( vd->channels[i].in_use )
            save_channel(w, &vd->channels[i], i, now, checkpoint);
    if ( vd->gi_count )
        save_gi(w, vd);
    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
        if ( vd->apps[i].in_use )
            save_app(w, vd, i, now, v1);
    if ( !v1 && vd->trigger.op != VMPORT_TRIGGER_NONE )
    {
        struct hvm_vmport_trigger t = {
            .op = vd->trigger.op,
            .state = vd->trigger.state,
            .guest_status = vd->trigger.guest_status,
            .age_ns = age(now, vd->trigger.queued_at),
        };

        vmport_rec_w_fixed(w, HVM_VMPORT_SECT_TRIGGER, &t, sizeof(t));
    }
}

/* Called with vd->lock held. */
static int record_save_locked(struct domain *d, struct vmport_domain *vd,
                              void *buf, uint32_t cap, unsigned int version,
                              enum vmport_save_policy policy, uint32_t *len)
{
    struct vmport_rec_writer w;
    bool checkpoint = false;

    if ( !version )
        version = HVM_VMPORT_VERSION_CURRENT;
    if ( version > HVM_VMPORT_VERSION_CURRENT )
        return -EINVAL;
    if ( version == HVM_VMPORT_VERSION_1 && state_v1_misfit(vd) )
    {
        if ( policy != VMPORT_SAVE_CHECKPOINT )
        {
            gdprintk(XENLOG_WARNING, "VMPORT record: d%u has transfers in "
                     "flight or a trigger; version 1 cannot carry them\n",
                     d->domain_id);
            return -EOPNOTSUPP;
        }
        checkpoint = true;
    }

    vmport_rec_w_init(&w, buf, cap, version,
                      checkpoint ? HVM_VMPORT_F_CHECKPOINT : 0);
    save_state(&w, d, vd, version, checkpoint);
    return vmport_rec_w_finish(&w, len);
}

int vmport_record_save(struct domain *d, void *buf, uint32_t cap,
                       unsigned int version, enum vmport_save_policy policy,
                       uint32_t *len)
{
    struct vmport_domain *vd = vmport_dom(d);
    int rc;

    if ( !vd )
        return -ENODEV;
    spin_lock(&vd->lock);
    rc = record_save_locked(d, vd, buf, cap, version, policy, len);
    spin_unlock(&vd->lock);
    return rc;
}

uint32_t vmport_record_size(struct domain *d)
{
    uint32_t len = 0;

    if ( vmport_record_save(d, NULL, 0, 0, VMPORT_SAVE_REFUSE, &len) )
        return 0;
    return len;
}

static int cf_check vmport_save(struct vcpu *v, hvm_domain_context_t *h)
{
    struct domain *d = v->domain;
    struct vmport_domain *vd = vmport_dom(d);
    uint32_t len;
    int rc;

    if ( !vd )
        return 0;

    spin_lock(&vd->lock);
    rc = record_save_locked(d, vd, NULL, 0, 0, VMPORT_SAVE_REFUSE, &len);
    if ( !rc )
        rc = _hvm_init_entry(h, HVM_SAVE_CODE(VMPORT), 0, len);
    if ( !rc )
    {
        rc = record_save_locked(d, vd, &h->data[h->cur], len, 0,
                                VMPORT_SAVE_REFUSE, &len);
        if ( !rc )
            h->cur += len;
    }
    spin_unlock(&vd->lock);
    return rc;
}

/* ---- Check ------------------------------------------------------------ */

/* The guestinfo array as guestinfo.c grows it (8, doubling), so a loaded
 * domain is charged exactly what the same state costs when reached live. */
static uint32_t gi_alloc_for(uint32_t count)
{
    uint32_t n = 8;

    if ( !count )
        return 0;
    while ( n < count )
        n *= 2;
    return n;
}

/* What checking learns on the way: the configuration and the memory the
 * state will be charged, counted as the device model charges it. */
struct load_check {
    struct domain *d;
    const struct hvm_vmport_config *lim;    /* NULL or &dom_lim */
    struct hvm_vmport_config dom_lim;       /* the domain's limits */
    struct hvm_vmport_config cfg;
    uint32_t tclo_queue_max;
    uint32_t gi_count;
    uint64_t bytes;
};

static void cf_check log_problem(void *opaque, int err, uint32_t off,
                                 const char *field, const char *msg)
{
    const struct load_check *l = opaque;

    gdprintk(XENLOG_WARNING, "VMPORT record: d%u: %s at offset %u: %s\n",
             l->d->domain_id, field, off, msg);
}

static int cf_check chk_config(void *opaque,
                               const struct hvm_vmport_config *c)
{
    struct load_check *l = opaque;

    l->cfg = *c;
    l->tclo_queue_max = (l->lim ? l->lim : c)->tclo_queue_max;
    return 0;
}

static int cf_check chk_channel(void *opaque,
                                const struct hvm_vmport_channel *c,
                                const uint8_t *send, const uint8_t *recv)
{
    struct load_check *l = opaque;

    l->bytes += (uint64_t)c->send_size + c->recv_size;
    return 0;
}

static int cf_check chk_gi(void *opaque, const uint8_t *key, uint32_t klen,
                           const uint8_t *val, uint32_t vlen)
{
    struct load_check *l = opaque;

    l->bytes += (uint64_t)klen + 1 + vlen;
    l->gi_count++;
    return 0;
}

static int cf_check chk_app(void *opaque, const struct hvm_vmport_tclo_app *a)
{
    struct load_check *l = opaque;

    l->bytes += (uint64_t)l->tclo_queue_max * sizeof(struct vmport_tclo_cmd);
    return 0;
}

static int cf_check chk_cmd(void *opaque, const struct hvm_vmport_tclo_app *a,
                            const struct hvm_vmport_tclo_cmd *c,
                            const uint8_t *data)
{
    struct load_check *l = opaque;

    l->bytes += c->len;
    return 0;
}

static const struct vmport_rec_ops check_ops = {
    .problem = log_problem,
    .config = chk_config,
    .channel = chk_channel,
    .gi = chk_gi,
    .app = chk_app,
    .cmd = chk_cmd,
};

/*
 * Validate @buf for @d: the walker's checks against the limits the state
 * will live under, then those limits themselves and the memory budget.
 * Touches nothing.  The limits are the record's own unless the domain has
 * run: a domain being restored or migrated (enabled by the toolstack's
 * HVM_PARAM_VMPORT_HWVER with default limits, or not yet enabled) takes
 * the limits it had, as vmport_set_limits() would before the first run; a
 * domain that has run keeps its own.
 */
static int record_check(struct domain *d, const struct vmport_domain *vd,
                        const void *buf, uint32_t len, struct load_check *l,
                        struct vmport_limits *limits)
{
    struct vmport_rec_walk w = {
        .buf = buf, .len = len, .ops = &check_ops, .opaque = l,
    };
    bool own_limits = vd && d->creation_finished;
    uint64_t need, budget;
    int rc;

    memset(l, 0, sizeof(*l));
    l->d = d;
    if ( own_limits )
    {
        limits_to_config(vd, &l->dom_lim);
        l->lim = w.limits = &l->dom_lim;
        *limits = vd->limits;
    }
    rc = vmport_rec_walk(&w);
    if ( rc )
        return rc;

    /* The domain's hardware version (its HVM param) is not the record's. */
    if ( vd && l->cfg.hwver != vd->hwver )
    {
        log_problem(l, -EINVAL, sizeof(struct hvm_vmport_header) +
                    sizeof(struct hvm_vmport_section), "config",
                    "hardware version differs from the domain's");
        gdprintk(XENLOG_WARNING, "VMPORT record: d%u: hardware version %u, "
                 "the domain has %u\n", d->domain_id, l->cfg.hwver,
                 vd->hwver);
        return -EINVAL;
    }

    if ( !own_limits )
    {
        config_to_limits(&l->cfg, limits);
        if ( vmport_limits_check(limits) )
        {
            log_problem(l, -EINVAL, sizeof(struct hvm_vmport_header) +
                        sizeof(struct hvm_vmport_section), "config",
                        "limits refused by vmport_limits_check()");
            return -EINVAL;
        }
    }

    need = l->bytes + (uint64_t)gi_alloc_for(l->gi_count) *
                      sizeof(struct vmport_gi_entry) +
           (uint64_t)limits->max_channels * sizeof(struct vmport_channel);
    budget = vmport_mem_limit(limits);
    if ( need > budget )
    {
        gdprintk(XENLOG_WARNING, "VMPORT record: d%u: state needs %llu "
                 "bytes, the domain's budget is %llu\n", d->domain_id,
                 (unsigned long long)need, (unsigned long long)budget);
        return -EINVAL;
    }
    return 0;
}

int vmport_record_check(struct domain *d, const void *buf, uint32_t len)
{
    struct vmport_domain *vd = vmport_dom(d);
    struct vmport_limits limits;
    struct load_check l;
    int rc;

    /* A record for a domain without vmport would enable it. */
    if ( !vd )
    {
        rc = vmport_may_enable(d);
        if ( rc )
            return rc;
    }

    if ( vd )
        spin_lock(&vd->lock);
    rc = record_check(d, vd, buf, len, &l, &limits);
    if ( vd )
        spin_unlock(&vd->lock);
    return rc;
}

/* ---- Commit ----------------------------------------------------------- */

/*
 * The new state, built aside from a record that passed record_check().
 * Buffers come from vmport_buf_alloc() and are counted in @bytes; they are
 * charged to the domain only when the stage is swapped in, and freed with
 * the sizes recorded beside them.
 */
struct stage {
    struct vmport_channel *chan;        /* max_channels, not charged */
    uint32_t max_channels;
    uint32_t tclo_queue_max;
    struct vmport_gi_entry *gi;
    uint32_t gi_count, gi_alloc, gi_bytes;
    struct vmport_tclo_app apps[VMPORT_MAX_APPS];
    struct vmport_trigger trigger;
    bool has_time;
    uint64_t last_time_us;
    struct hvm_vmport_config cfg;
    uint64_t bytes;
    s_time_t now;
};

/* @size bytes: @copy from @src, the rest zero (nothing stale to leak). */
static void *stage_alloc(struct stage *s, const void *src, uint32_t copy,
                         uint32_t size)
{
    uint8_t *p = vmport_buf_alloc(size, false);

    if ( p )
    {
        s->bytes += size;
        if ( copy )
            memcpy(p, src, copy);
        memset(p + copy, 0, size - copy);
    }
    return p;
}

static void stage_free(struct stage *s)
{
    unsigned int i, j;

    for ( i = 0; s->chan && i < s->max_channels; i++ )
    {
        vmport_buf_free(s->chan[i].send.data, s->chan[i].send.size);
        vmport_buf_free(s->chan[i].recv.data, s->chan[i].recv.size);
    }
    vmport_buf_free(s->chan, s->max_channels * sizeof(*s->chan));
    for ( i = 0; i < s->gi_count; i++ )
    {
        vmport_buf_free(s->gi[i].key, s->gi[i].klen + 1);
        vmport_buf_free(s->gi[i].val, s->gi[i].vlen);
    }
    vmport_buf_free(s->gi, s->gi_alloc * sizeof(*s->gi));
    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
    {
        for ( j = 0; s->apps[i].queue && j < s->apps[i].count; j++ )
            vmport_buf_free(s->apps[i].queue[j].data,
                            s->apps[i].queue[j].len);
        vmport_buf_free(s->apps[i].queue,
                        s->tclo_queue_max * sizeof(*s->apps[i].queue));
    }
}

static int cf_check stage_config(void *opaque,
                                 const struct hvm_vmport_config *c)
{
    struct stage *s = opaque;

    s->cfg = *c;
    return 0;
}

static int cf_check stage_time(void *opaque, const struct hvm_vmport_time *t)
{
    struct stage *s = opaque;

    s->has_time = true;
    s->last_time_us = t->last_time_us;
    return 0;
}

static int cf_check stage_channel(void *opaque,
                                  const struct hvm_vmport_channel *ch,
                                  const uint8_t *send, const uint8_t *recv)
{
    struct stage *s = opaque;
    struct vmport_channel *c = &s->chan[ch->id];

    c->in_use = true;
    c->cookie_checked = ch->flags & HVM_VMPORT_CH_COOKIE;
    c->checkpointed = ch->flags & HVM_VMPORT_CH_CHECKPOINTED;
    c->recv_is_tclo_cmd = ch->flags & HVM_VMPORT_CH_RECV_TCLO_CMD;
    c->proto = ch->proto;
    c->app = ch->app;
    c->send_state = ch->send_state;
    c->recv_state = ch->recv_state;
    c->cookie = ch->cookie;
    c->last_active = s->now - (s_time_t)ch->idle_ns;

    if ( ch->send_size )
    {
        c->send.data = stage_alloc(s, send, ch->send_pos, ch->send_size);
        if ( !c->send.data )
            return -ENOMEM;
        c->send.size = ch->send_size;
        c->send.pos = ch->send_pos;
    }
    if ( ch->recv_size )
    {
        c->recv.data = stage_alloc(s, recv, ch->recv_size, ch->recv_size);
        if ( !c->recv.data )
            return -ENOMEM;
        c->recv.size = ch->recv_size;
    }
    c->recv.pos = ch->recv_pos;
    return 0;
}

static int cf_check stage_gi(void *opaque, const uint8_t *key, uint32_t klen,
                             const uint8_t *val, uint32_t vlen)
{
    struct stage *s = opaque;
    struct vmport_gi_entry *e = &s->gi[s->gi_count];

    e->key = stage_alloc(s, key, klen, klen + 1);
    if ( !e->key )
        return -ENOMEM;
    e->klen = klen;
    s->gi_count++;              /* stage_free() frees it from now on */
    if ( vlen )
    {
        e->val = stage_alloc(s, val, vlen, vlen);
        if ( !e->val )
            return -ENOMEM;
    }
    e->vlen = vlen;
    s->gi_bytes += klen + vlen;
    return 0;
}

static int cf_check stage_app(void *opaque,
                              const struct hvm_vmport_tclo_app *a)
{
    struct stage *s = opaque;
    struct vmport_tclo_app *app = &s->apps[a->index];

    app->queue = stage_alloc(s, NULL, 0, s->tclo_queue_max *
                                         sizeof(*app->queue));
    if ( !app->queue )
        return -ENOMEM;
    app->in_use = true;
    memcpy(app->name, a->name, sizeof(app->name));
    app->channel = a->channel;
    app->last_ping = s->now - (s_time_t)a->ping_age_ns;
    return 0;
}

static int cf_check stage_cmd(void *opaque,
                              const struct hvm_vmport_tclo_app *a,
                              const struct hvm_vmport_tclo_cmd *c,
                              const uint8_t *data)
{
    struct stage *s = opaque;
    struct vmport_tclo_app *app = &s->apps[a->index];
    struct vmport_tclo_cmd *cmd = &app->queue[app->count];

    cmd->data = stage_alloc(s, data, c->len, c->len);
    if ( !cmd->data )
        return -ENOMEM;
    cmd->len = c->len;
    cmd->kind = c->kind;
    app->count++;
    return 0;
}

static int cf_check stage_trigger(void *opaque,
                                  const struct hvm_vmport_trigger *t)
{
    struct stage *s = opaque;

    s->trigger.op = t->op;
    s->trigger.state = t->state;
    s->trigger.guest_status = t->guest_status;
    s->trigger.queued_at = s->now - (s_time_t)t->age_ns;
    return 0;
}

static const struct vmport_rec_ops stage_ops = {
    .problem = log_problem,
    .config = stage_config,
    .time = stage_time,
    .channel = stage_channel,
    .gi = stage_gi,
    .app = stage_app,
    .cmd = stage_cmd,
    .trigger = stage_trigger,
};

/* Build the stage from a checked record; 0 or -ENOMEM. */
static int stage_build(struct stage *s, struct load_check *l,
                       const struct vmport_limits *limits, const void *buf,
                       uint32_t len)
{
    struct vmport_rec_walk w = {
        .buf = buf, .len = len, .ops = &stage_ops, .opaque = s,
        .limits = l->lim, .crc_known_good = true,
    };
    unsigned int i;

    memset(s, 0, sizeof(*s));
    s->now = NOW();
    s->max_channels = limits->max_channels;
    s->tclo_queue_max = limits->tclo_queue_max;
    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
        s->apps[i].channel = HVM_VMPORT_NO_CHANNEL;
    s->chan = vmport_buf_alloc(s->max_channels * sizeof(*s->chan), true);
    if ( !s->chan )
        return -ENOMEM;
    for ( i = 0; i < s->max_channels; i++ )
        s->chan[i].app = VMPORT_APP_NONE;
    if ( l->gi_count )
    {
        s->gi_alloc = gi_alloc_for(l->gi_count);
        s->gi = stage_alloc(s, NULL, 0, s->gi_alloc * sizeof(*s->gi));
        if ( !s->gi )
            return -ENOMEM;
    }
    return vmport_rec_walk(&w);
}

/*
 * Swap the stage in for @vd's state, under @limits (vd->lock held).
 * Cannot fail.
 */
static void stage_commit(struct vmport_domain *vd, struct stage *s,
                         const struct vmport_limits *limits)
{
    unsigned int i;

    vmport_tclo_free_all(vd);
    vmport_gi_free_all(vd);
    for ( i = 0; i < vd->limits.max_channels; i++ )
    {
        vmport_msg_free(vd, &vd->channels[i].send);
        vmport_msg_free(vd, &vd->channels[i].recv);
    }

    /*
     * The staged table replaces the domain's, whose size it may not have
     * (the record's limits); both come from vmport_buf_alloc().
     */
    vmport_free(vd, vd->channels,
                vd->limits.max_channels * sizeof(*vd->channels));
    vd->channels = s->chan;
    vd->mem_used += s->max_channels * sizeof(*s->chan);
    vd->limits = *limits;
    vd->mem_limit = vmport_budget_of(vd, limits);
    vd->gi = s->gi;
    vd->gi_count = s->gi_count;
    vd->gi_alloc = s->gi_alloc;
    vd->gi_bytes = s->gi_bytes;
    memcpy(vd->apps, s->apps, sizeof(vd->apps));
    vd->trigger = s->trigger;
    vd->hwver = s->cfg.hwver;
    vd->hb_enabled = s->cfg.flags & HVM_VMPORT_CFG_HB;
    /* A version 1 record has no time: keep what this host has. */
    if ( s->has_time )
        vd->last_time_us = s->last_time_us;
    vd->mem_used += s->bytes;
    ASSERT(vd->mem_used <= vd->mem_limit);
}

int vmport_record_load(struct domain *d, const void *buf, uint32_t len)
{
    struct vmport_domain *vd = vmport_dom(d);
    struct vmport_limits limits;
    struct load_check l;
    struct stage s;
    bool enabled_here = false;
    int rc;

    if ( vd )
        spin_lock(&vd->lock);
    rc = record_check(d, vd, buf, len, &l, &limits);
    if ( !rc )
        rc = stage_build(&s, &l, &limits, buf, len);
    else
        memset(&s, 0, sizeof(s));
    if ( !rc && !vd )
    {
        rc = vmport_enable(d, l.cfg.hwver, &limits);
        enabled_here = !rc;
        vd = vmport_dom(d);
        if ( vd )
            spin_lock(&vd->lock);
    }
    if ( !rc )
    {
        stage_commit(vd, &s, &limits);
        s.chan = NULL;
    }
    else
    {
        stage_free(&s);
        if ( enabled_here )
        {
            spin_unlock(&vd->lock);
            vmport_domain_destroy(d);
            vd = NULL;
        }
    }
    if ( vd )
        spin_unlock(&vd->lock);
    return rc;
}

static int cf_check vmport_load(struct domain *d, hvm_domain_context_t *h)
{
    struct hvm_save_descriptor desc;
    int rc;

    if ( h->size - h->cur < sizeof(desc) )
        return -ENODATA;
    memcpy(&desc, &h->data[h->cur], sizeof(desc));
    if ( desc.typecode != HVM_SAVE_CODE(VMPORT) || desc.instance )
    {
        gdprintk(XENLOG_WARNING, "VMPORT record: d%u: typecode %u instance "
                 "%u at offset %u\n", d->domain_id, desc.typecode,
                 desc.instance, h->cur);
        return -EINVAL;
    }
    if ( desc.length > h->size - h->cur - sizeof(desc) )
    {
        gdprintk(XENLOG_WARNING, "VMPORT record: d%u: %u bytes at offset %u "
                 "run past the context's end\n", d->domain_id, desc.length,
                 h->cur);
        return -ENODATA;
    }
    rc = vmport_record_load(d, &h->data[h->cur + sizeof(desc)], desc.length);
    if ( !rc )
        h->cur += sizeof(desc) + desc.length;
    return rc;
}

/* What the domain's VMPORT entry takes now: nothing if vmport is off. */
static size_t cf_check vmport_save_size(struct domain *d)
{
    uint32_t len = vmport_record_size(d);

    return len ? sizeof(struct hvm_save_descriptor) + len : 0;
}

/*
 * The record's length follows the domain's state (open channels,
 * guestinfo): hvm_save_size() and hvm_save_one() ask vmport_save_size(),
 * with the domain paused so that the state cannot grow before the save.
 */
HVM_REGISTER_SAVE_RESTORE_SIZED(VMPORT, vmport_save, vmport_load,
                                vmport_save_size, HVMSR_PER_DOM);

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
