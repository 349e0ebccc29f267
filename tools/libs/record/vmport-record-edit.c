/*
 * vmport-record-edit.c: edits of the record model (version conversion,
 * guestinfo, power triggers), with the same rules the device model keeps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmport-record-priv.h"

#define APP_TOOLBOX     "toolbox"

void vrec_default_config(struct vrec *r, unsigned int hwver)
{
    memset(&r->config, 0, sizeof(r->config));
    r->config.hwver = hwver;
    r->config.flags = HVM_VMPORT_CFG_HB;
    r->config.max_channels = 8;
    r->config.gi_key_max = 128;
    r->config.gi_value_max = HVM_VMPORT_GI_VALUE_MAX;
    r->config.gi_max_keys = 256;
    r->config.gi_total_max = 1U << 20;
    r->config.tclo_queue_max = 8;
    r->config.idle_timeout_ms = 60000;
    r->config.trigger_timeout_ms = 30000;
}

/* ---- Version conversion ----------------------------------------------- */

/* What version 1 cannot carry for @c, or NULL. */
static const char *v1_misfit_reason(const struct vrec_channel *c)
{
    if ( !vmport_rec_ch_v1_misfit(&c->ch) )
        return NULL;
    if ( c->ch.send_state != HVM_VMPORT_SEND_NONE )
        return "is receiving a message from the guest";
    return "is in the middle of handing a message to the guest";
}

/*
 * Checkpoint one channel (protocol reference 2.6) with the rule the
 * hypervisor's save shares (vmport_rec_ch_checkpoint(), record.c), then
 * free what the record no longer carries.
 */
static void channel_checkpoint(struct vrec_channel *c)
{
    struct hvm_vmport_channel was = c->ch;

    vmport_rec_ch_checkpoint(&c->ch);
    if ( was.send_state != c->ch.send_state )
    {
        free(c->send);
        c->send = NULL;
    }
    if ( was.recv_state != c->ch.recv_state &&
         c->ch.recv_state == HVM_VMPORT_RECV_NONE )
    {
        free(c->recv);
        c->recv = NULL;
    }
}

/* The trigger's progress cannot go to version 1: its command stays. */
static void trigger_checkpoint(struct vrec *r)
{
    unsigned int a, i;

    for ( a = 0; a < r->nr_apps; a++ )
        for ( i = 0; i < r->apps[a].app.count; i++ )
            r->apps[a].cmds[i].kind =
                vmport_rec_cmd_kind_v1(r->apps[a].cmds[i].kind);
    r->has_trigger = false;
    memset(&r->trigger, 0, sizeof(r->trigger));
}

static int to_v1(struct vrec *r, enum vrec_policy policy,
                 char *err, size_t errlen)
{
    unsigned int i;

    if ( policy == VREC_REFUSE )
    {
        for ( i = 0; i < r->nr_channels; i++ )
        {
            const char *why = v1_misfit_reason(&r->channels[i]);

            if ( why )
            {
                vrec_err(err, errlen, "channel %u %s; record version 1 "
                         "cannot carry it (use the checkpoint policy)",
                         r->channels[i].ch.id, why);
                return -EOPNOTSUPP;
            }
        }
        if ( r->has_trigger )
        {
            vrec_err(err, errlen, "a power trigger is being tracked; record "
                     "version 1 cannot carry it (use the checkpoint policy)");
            return -EOPNOTSUPP;
        }
    }

    for ( i = 0; i < r->nr_channels; i++ )
    {
        if ( v1_misfit_reason(&r->channels[i]) )
        {
            channel_checkpoint(&r->channels[i]);
            r->flags |= HVM_VMPORT_F_CHECKPOINT;
        }
    }
    if ( r->has_trigger )
    {
        trigger_checkpoint(r);
        r->flags |= HVM_VMPORT_F_CHECKPOINT;
    }
    r->has_time = false;
    memset(&r->time, 0, sizeof(r->time));
    r->version = HVM_VMPORT_VERSION_1;
    return 0;
}

int vrec_convert(struct vrec *r, unsigned int version,
                 enum vrec_policy policy, char *err,
                 size_t errlen)
{
    if ( version < HVM_VMPORT_VERSION_1 ||
         version > HVM_VMPORT_VERSION_CURRENT )
    {
        vrec_err(err, errlen, "record version %u not in 1..%u", version,
                 HVM_VMPORT_VERSION_CURRENT);
        return -EINVAL;
    }
    if ( version == r->version )
        return 0;
    if ( version == HVM_VMPORT_VERSION_1 )
        return to_v1(r, policy, err, errlen);
    r->version = version;      /* version 1 state is valid version 2 */
    return 0;
}

/* ---- Guestinfo -------------------------------------------------------- */

/*
 * The key rule is the device model's own code: record.c's
 * vrec_gi_key_fold() (vmport_rec_gi_key_fold() in Xen), which
 * guestinfo.c runs on every guest and dom0 key.
 */
char *vrec_gi_key_name(const char *key)
{
    char *k;

    if ( vrec_gi_key_prefixed(key, strnlen(key, VMPORT_GI_PREFIX_LEN)) )
        return strdup(key);
    return asprintf(&k, "%s%s", VMPORT_GI_PREFIX, key) < 0 ? NULL : k;
}

/* Lower-cased copy of a valid key, or NULL (errno-style code in *rc). */
static char *gi_key(const struct vrec *r, const char *key, int *rc)
{
    size_t len = strlen(key);
    char *k;

    *rc = -ENAMETOOLONG;
    if ( len > r->config.gi_key_max )
        return NULL;
    *rc = -ENOMEM;
    k = malloc(len + 1);
    if ( !k )
        return NULL;
    *rc = vrec_gi_key_fold(key, len, r->config.gi_key_max, k);
    if ( *rc )
    {
        free(k);
        return NULL;
    }
    k[len] = '\0';
    return k;
}

static int model_gi_cmp(const struct vrec_gi *g, const char *k, size_t klen)
{
    int c = memcmp(g->key, k, g->klen < klen ? g->klen : klen);

    if ( c )
        return c;
    return g->klen < klen ? -1 : g->klen > klen;
}

/* Index of @k, or of where it would go (*found false). */
static unsigned int model_gi_search(const struct vrec *r, const char *k,
                                    bool *found)
{
    unsigned int i;
    size_t klen = strlen(k);

    *found = false;
    for ( i = 0; i < r->nr_gi; i++ )
    {
        int c = model_gi_cmp(&r->gi[i], k, klen);

        if ( c >= 0 )
        {
            *found = !c;
            break;
        }
    }
    return i;
}

const struct vrec_gi *vrec_gi_get(const struct vrec *r,
                                              const char *key)
{
    int rc;
    char *k = gi_key(r, key, &rc);
    unsigned int i;
    bool found;

    if ( !k )
        return NULL;
    i = model_gi_search(r, k, &found);
    free(k);
    return found ? &r->gi[i] : NULL;
}

static uint64_t gi_bytes(const struct vrec *r)
{
    uint64_t sum = 0;
    unsigned int i;

    for ( i = 0; i < r->nr_gi; i++ )
        sum += r->gi[i].klen + r->gi[i].vlen;
    return sum;
}

int vrec_gi_set(struct vrec *r, const char *key,
                const void *val, uint32_t vlen, char *err,
                size_t errlen)
{
    struct vrec_gi *g;
    uint64_t total;
    unsigned int i;
    bool found;
    uint8_t *v;
    int rc;
    char *k = gi_key(r, key, &rc);

    if ( !k )
    {
        vrec_err(err, errlen, "bad guestinfo key \"%s\" (want "
                 "guestinfo.<name>, printable, at most %u bytes)", key,
                 r->config.gi_key_max);
        return rc;
    }
    i = model_gi_search(r, k, &found);
    total = gi_bytes(r) + strlen(k) + vlen -
            (found ? r->gi[i].klen + r->gi[i].vlen : 0);
    /* Each limit named, as config.* in the record (dump shows them). */
    rc = 0;
    if ( vlen > r->config.gi_value_max )
    {
        rc = -EFBIG;
        vrec_err(err, errlen, "%s: value of %u bytes is over the value "
                 "limit (config.gi_value_max %u)", k, vlen,
                 r->config.gi_value_max);
    }
    else if ( !found && r->nr_gi >= r->config.gi_max_keys )
    {
        rc = -ENOSPC;
        vrec_err(err, errlen, "%s: the store is full: %u keys, the key "
                 "count limit (config.gi_max_keys %u)", k, r->nr_gi,
                 r->config.gi_max_keys);
    }
    else if ( total > r->config.gi_total_max )
    {
        rc = -ENOSPC;
        vrec_err(err, errlen, "%s: the store is full: keys and values "
                 "would take %llu bytes, over the total limit "
                 "(config.gi_total_max %u)", k, (unsigned long long)total,
                 r->config.gi_total_max);
    }
    if ( rc )
    {
        free(k);
        return rc;
    }
    v = vrec_dup(val, vlen, 1);
    if ( !v )
    {
        free(k);
        return -ENOMEM;
    }
    if ( !found )
    {
        unsigned int nr = r->nr_gi;

        if ( !vrec_push(&r->gi, &nr, sizeof(*r->gi)) )
        {
            free(k);
            free(v);
            return -ENOMEM;
        }
        memmove(&r->gi[i + 1], &r->gi[i], (r->nr_gi - i) * sizeof(*r->gi));
        r->nr_gi = nr;
        r->gi[i].key = k;
        r->gi[i].klen = strlen(k);
        /* The slot still aliases the value moved up to i + 1. */
        r->gi[i].val = NULL;
        r->gi[i].vlen = 0;
    }
    else
        free(k);
    g = &r->gi[i];
    free(g->val);
    g->val = v;
    g->vlen = vlen;
    return 0;
}

int vrec_gi_unset(struct vrec *r, const char *key)
{
    int rc;
    char *k = gi_key(r, key, &rc);
    unsigned int i;
    bool found;

    if ( !k )
        return rc;
    i = model_gi_search(r, k, &found);
    free(k);
    if ( !found )
        return -ENOENT;
    free(r->gi[i].key);
    free(r->gi[i].val);
    memmove(&r->gi[i], &r->gi[i + 1], (r->nr_gi - i - 1) * sizeof(*r->gi));
    r->nr_gi--;
    return 0;
}

/* ---- Power triggers --------------------------------------------------- */

/* The "toolbox" application, added unbound in a free slot if absent. */
static struct vrec_app *toolbox_app(struct vrec *r)
{
    struct vrec_app *a;
    unsigned int i, idx = 0;

    for ( i = 0; i < r->nr_apps; i++ )
    {
        if ( !strcmp(r->apps[i].app.name, APP_TOOLBOX) )
            return &r->apps[i];
        if ( r->apps[i].app.index == idx )
            idx++;
    }
    if ( idx >= HVM_VMPORT_APPS_MAX )
        return NULL;
    /* Keep the array in index order: idx is the first gap. */
    for ( i = 0; i < r->nr_apps && r->apps[i].app.index < idx; i++ )
        ;
    a = vrec_push(&r->apps, &r->nr_apps, sizeof(*a));
    if ( !a )
        return NULL;
    memmove(&r->apps[i + 1], &r->apps[i],
            (r->nr_apps - 1 - i) * sizeof(*r->apps));
    a = &r->apps[i];
    memset(a, 0, sizeof(*a));
    a->app.index = idx;
    a->app.channel = HVM_VMPORT_NO_CHANNEL;
    strcpy(a->app.name, APP_TOOLBOX);
    return a;
}

int vrec_trigger(struct vrec *r, unsigned int op, char *err,
                 size_t errlen)
{
    static const char halt[] = "OS_Halt", reboot[] = "OS_Reboot";
    const char *cmd = op == 1 ? halt : reboot;
    uint32_t len = op == 1 ? sizeof(halt) : sizeof(reboot);
    struct vrec_app *a;
    struct vrec_cmd *c;
    unsigned int nr;

    if ( op < 1 || op > HVM_VMPORT_TRIGGER_OP_MAX )
    {
        vrec_err(err, errlen, "trigger op %u not in 1..2", op);
        return -EINVAL;
    }
    if ( r->version < HVM_VMPORT_VERSION_2 )
    {
        vrec_err(err, errlen, "record version 1 cannot carry a trigger");
        return -EOPNOTSUPP;
    }
    if ( r->has_trigger && r->trigger.state <= 2 /* queued, delivered */ )
    {
        vrec_err(err, errlen, "a power trigger is already in progress");
        return -EBUSY;
    }
    a = toolbox_app(r);
    if ( !a )
    {
        vrec_err(err, errlen, "no free TCLO application slot for toolbox");
        return -ENOSPC;
    }
    if ( a->app.count >= r->config.tclo_queue_max )
    {
        vrec_err(err, errlen, "toolbox TCLO queue is full (%u commands)",
                 a->app.count);
        return -ENOSPC;
    }
    nr = a->app.count;
    c = vrec_push(&a->cmds, &nr, sizeof(*c));
    if ( !c || !(c->data = vrec_dup(cmd, len, 0)) )
        return -ENOMEM;
    c->len = len;
    c->kind = HVM_VMPORT_CMD_POWER;
    a->app.count = nr;
    memset(&r->trigger, 0, sizeof(r->trigger));
    r->trigger.op = op;
    r->trigger.state = 1;       /* queued */
    r->has_trigger = true;
    return 0;
}
