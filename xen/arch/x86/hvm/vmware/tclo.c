/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tclo.c: host->guest TCLO commands, polled by the guest's tools.
 *
 * Commands wait in per-application queues (vd->apps[], limits.tclo_queue_max
 * entries each).  The application behind a TCLO channel is only known once
 * the guest answers "reset" with "OK ATR <app>", so every newly opened TCLO
 * channel first gets "reset" on its own, and the answer binds app and
 * channel.  When the bound channel polls (RECVSIZE), the head of the queue
 * is copied into the channel; it leaves the queue only when the guest
 * confirms it with RECVSTATUS, so a failed fetch or a closed channel
 * delivers it again and a command is never lost or sent twice.
 *
 * Power triggers queue OS_Halt / OS_Reboot on the "toolbox" application
 * and follow the outcome: the guest's TCLO reply ("OK " or "ERROR ..."),
 * its tools.os.statechange.status RPCI, or a timeout evaluated lazily
 * whenever the trigger is looked at.  Everything runs with vd->lock held
 * except vmport_trigger() and vmport_trigger_status(), which take it.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/time.h>

#include "private.h"

/*
 * VMware pings a polling tools daemon about every 15 s (open-vm-tools
 * #260); a ping is queued when the bound channel polls and nothing was
 * delivered to its application for that long.
 */
#define VMPORT_TCLO_PING_INTERVAL_MS    15000

#define TCLO_APP_TOOLBOX    "toolbox"
#define TCLO_NO_CHANNEL     0xff

/* Commands carry the trailing NUL that VMware sends. */
static const char tclo_reset[] = "reset";
static const char tclo_ping[] = "ping";
static const char tclo_halt[] = "OS_Halt";
static const char tclo_reboot[] = "OS_Reboot";

/* GuestOsState numbers of tools.os.statechange.status. */
#define GUEST_OS_STATE_HALT     1
#define GUEST_OS_STATE_REBOOT   2

static struct vmport_tclo_cmd *app_slot(const struct vmport_domain *vd,
                                        struct vmport_tclo_app *app,
                                        unsigned int i)
{
    return &app->queue[(app->head + i) % vd->limits.tclo_queue_max];
}

static int app_find(const struct vmport_domain *vd, const char *name,
                    size_t len)
{
    unsigned int i;

    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
    {
        const struct vmport_tclo_app *app = &vd->apps[i];

        if ( app->in_use && strlen(app->name) == len &&
             !memcmp(app->name, name, len) )
            return i;
    }

    return -ENOENT;
}

/* The application called @name, created (unbound, empty) if needed. */
static int app_get(struct vmport_domain *vd, const char *name, size_t len)
{
    struct vmport_tclo_app *app;
    int i = app_find(vd, name, len);

    if ( i >= 0 )
        return i;
    if ( !len || len > VMPORT_APP_NAME_MAX )
        return -EINVAL;

    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
        if ( !vd->apps[i].in_use )
            break;
    if ( i == VMPORT_MAX_APPS )
        return -ENOSPC;

    app = &vd->apps[i];
    memset(app, 0, sizeof(*app));
    app->queue = vmport_alloc(vd, vd->limits.tclo_queue_max *
                                  sizeof(*app->queue));
    if ( !app->queue )
        return -ENOMEM;

    memset(app->queue, 0, vd->limits.tclo_queue_max * sizeof(*app->queue));
    memcpy(app->name, name, len);
    app->name[len] = '\0';
    app->channel = TCLO_NO_CHANNEL;
    app->last_ping = NOW();
    app->in_use = true;
    return i;
}

static int app_enqueue(struct vmport_domain *vd, struct vmport_tclo_app *app,
                       const void *data, uint32_t len, uint8_t kind)
{
    struct vmport_tclo_cmd *cmd;

    if ( app->count >= vd->limits.tclo_queue_max )
        return -ENOSPC;

    cmd = app_slot(vd, app, app->count);
    cmd->data = vmport_alloc_uninit(vd, len);
    if ( !cmd->data )
        return -ENOMEM;

    memcpy(cmd->data, data, len);
    cmd->len = len;
    cmd->kind = kind;
    app->count++;
    vmport_trace_rpc(VMPORT_TRC_TCLO_QUEUE, app - vd->apps, kind, len);
    return 0;
}

static void cmd_free(struct vmport_domain *vd, struct vmport_tclo_cmd *cmd)
{
    if ( cmd->data )
        vmport_free(vd, cmd->data, cmd->len);
    memset(cmd, 0, sizeof(*cmd));
}

static void app_dequeue(struct vmport_domain *vd, struct vmport_tclo_app *app)
{
    if ( !app->count )
        return;

    cmd_free(vd, app_slot(vd, app, 0));
    app->head = (app->head + 1) % vd->limits.tclo_queue_max;
    app->count--;
}

/* Forget the copy of the queue head that channel @id was handed. */
static void channel_drop_cmd(struct vmport_domain *vd, unsigned int id)
{
    struct vmport_channel *c = &vd->channels[id];

    if ( c->recv_is_tclo_cmd )
        vmport_channel_recv_reset(vd, c);
}

/* Remove the outstanding power command from wherever it is queued. */
static void trigger_unqueue(struct vmport_domain *vd)
{
    unsigned int a, i, j;

    for ( a = 0; a < VMPORT_MAX_APPS; a++ )
    {
        struct vmport_tclo_app *app = &vd->apps[a];

        if ( !app->in_use )
            continue;

        for ( i = 0; i < app->count; i++ )
        {
            if ( app_slot(vd, app, i)->kind != VMPORT_TCLO_POWER )
                continue;

            /* The head may be in the middle of a fetch: call it off. */
            if ( !i && app->channel != TCLO_NO_CHANNEL )
                channel_drop_cmd(vd, app->channel);

            cmd_free(vd, app_slot(vd, app, i));
            for ( j = i; j + 1 < app->count; j++ )
                *app_slot(vd, app, j) = *app_slot(vd, app, j + 1);
            memset(app_slot(vd, app, app->count - 1), 0,
                   sizeof(struct vmport_tclo_cmd));
            app->count--;
            return;
        }
    }
}

/* No outcome in time: give up, and never deliver the command late. */
static void trigger_check_timeout(struct vmport_domain *vd)
{
    struct vmport_trigger *t = &vd->trigger;

    if ( t->state != VMPORT_TRIGGER_QUEUED &&
         t->state != VMPORT_TRIGGER_DELIVERED )
        return;
    if ( NOW() - t->queued_at <= MILLISECS(vd->limits.trigger_timeout_ms) )
        return;

    if ( t->state == VMPORT_TRIGGER_QUEUED )
        trigger_unqueue(vd);
    t->state = VMPORT_TRIGGER_TIMED_OUT;
    vmport_trace_rpc(VMPORT_TRC_TRIGGER, t->op, t->state, 0);
}

void vmport_tclo_opened(struct vmport_domain *vd, unsigned int id)
{
    struct vmport_channel *c = &vd->channels[id];

    if ( vmport_channel_set_reply(vd, c, tclo_reset, sizeof(tclo_reset)) )
        return;
    c->recv_is_tclo_cmd = true;
}

void vmport_tclo_closed(struct vmport_domain *vd, unsigned int id)
{
    struct vmport_channel *c = &vd->channels[id];

    if ( c->app < VMPORT_MAX_APPS && vd->apps[c->app].channel == id )
        vd->apps[c->app].channel = TCLO_NO_CHANNEL;
    c->app = VMPORT_APP_NONE;
}

/* "OK ATR <app>": channel @id now serves <app>. */
static void tclo_bind(struct vmport_domain *vd, unsigned int id,
                      const char *name, size_t len)
{
    struct vmport_channel *c = &vd->channels[id];
    struct vmport_tclo_app *app;
    int a = app_get(vd, name, len);

    if ( a < 0 )
    {
        gdprintk(XENLOG_WARNING, "vmport: TCLO channel %u: cannot bind "
                 "application (%d)\n", id, a);
        return;
    }

    app = &vd->apps[a];
    /* One TCLO channel per application: the newest one wins. */
    if ( app->channel != TCLO_NO_CHANNEL && app->channel != id )
    {
        channel_drop_cmd(vd, app->channel);
        vd->channels[app->channel].app = VMPORT_APP_NONE;
    }
    if ( c->app < VMPORT_MAX_APPS && c->app != a )
        vd->apps[c->app].channel = TCLO_NO_CHANNEL;

    app->channel = id;
    app->last_ping = NOW();
    c->app = a;
    vmport_trace_rpc(VMPORT_TRC_TCLO_BIND, id, a, 0);
}

static bool starts_with(const uint8_t *msg, uint32_t len, const char *s)
{
    size_t n = strlen(s);

    return len >= n && !memcmp(msg, s, n);
}

void vmport_tclo_reply(struct vmport_domain *vd, unsigned int id,
                       const uint8_t *msg, uint32_t len)
{
    struct vmport_channel *c = &vd->channels[id];
    struct vmport_trigger *t = &vd->trigger;
    const uint8_t *nul = len ? memchr(msg, '\0', len) : NULL;
    uint32_t n;

    if ( nul )
        len = nul - msg;
    /* An empty message is the idle loop's heartbeat. */
    if ( !len )
        return;

    if ( starts_with(msg, len, "OK ATR ") )
    {
        for ( n = 7; n < len && msg[n] != ' '; n++ )
            ;
        tclo_bind(vd, id, (const char *)msg + 7, n - 7);
        return;
    }

    /* The first answer after the power command was fetched is its own. */
    if ( t->state != VMPORT_TRIGGER_DELIVERED || c->app >= VMPORT_MAX_APPS ||
         strcmp(vd->apps[c->app].name, TCLO_APP_TOOLBOX) )
        return;

    if ( starts_with(msg, len, "OK") )
        t->state = VMPORT_TRIGGER_REPLIED;
    else if ( starts_with(msg, len, "ERROR") )
        t->state = VMPORT_TRIGGER_FAILED;
    vmport_trace_rpc(VMPORT_TRC_TRIGGER, t->op, t->state, 0);
}

void vmport_tclo_poll(struct vmport_domain *vd, unsigned int id)
{
    struct vmport_channel *c = &vd->channels[id];
    struct vmport_tclo_app *app;
    struct vmport_tclo_cmd *cmd;

    trigger_check_timeout(vd);

    if ( c->recv_state != VMPORT_RECV_NONE || c->app >= VMPORT_MAX_APPS )
        return;

    app = &vd->apps[c->app];
    if ( !app->count &&
         NOW() - app->last_ping >= MILLISECS(VMPORT_TCLO_PING_INTERVAL_MS) &&
         app_enqueue(vd, app, tclo_ping, sizeof(tclo_ping),
                     VMPORT_TCLO_PING) )
        return;
    if ( !app->count )
        return;

    cmd = app_slot(vd, app, 0);
    if ( vmport_channel_set_reply(vd, c, cmd->data, cmd->len) )
        return;
    c->recv_is_tclo_cmd = true;
}

void vmport_tclo_fetched(struct vmport_domain *vd, unsigned int id, bool ok)
{
    struct vmport_channel *c = &vd->channels[id];
    struct vmport_tclo_app *app;

    vmport_trace_rpc(VMPORT_TRC_TCLO_FETCHED, id, ok, c->recv.size);

    /* "reset" on a channel not bound yet: keep it until it arrives. */
    if ( c->app >= VMPORT_MAX_APPS )
    {
        if ( ok )
            vmport_channel_recv_reset(vd, c);
        else
        {
            c->recv.pos = 0;
            c->recv_state = VMPORT_RECV_READY;
        }
        return;
    }

    /* A queued command: the next poll hands the head out again. */
    vmport_channel_recv_reset(vd, c);
    if ( !ok )
        return;

    app = &vd->apps[c->app];
    if ( !app->count )
        return;

    if ( app_slot(vd, app, 0)->kind == VMPORT_TCLO_POWER &&
         vd->trigger.state == VMPORT_TRIGGER_QUEUED )
    {
        vd->trigger.state = VMPORT_TRIGGER_DELIVERED;
        vmport_trace_rpc(VMPORT_TRC_TRIGGER, vd->trigger.op,
                         vd->trigger.state, 0);
    }
    app_dequeue(vd, app);
    app->last_ping = NOW();
}

void vmport_tclo_statechange(struct vmport_domain *vd, uint32_t success,
                             uint32_t state)
{
    struct vmport_trigger *t = &vd->trigger;
    uint32_t want = t->op == VMPORT_TRIGGER_HALT ? GUEST_OS_STATE_HALT
                                                 : GUEST_OS_STATE_REBOOT;

    if ( t->op == VMPORT_TRIGGER_NONE || state != want ||
         (t->state != VMPORT_TRIGGER_DELIVERED &&
          t->state != VMPORT_TRIGGER_REPLIED) )
        return;

    t->guest_status = success;
    t->state = success ? VMPORT_TRIGGER_SUCCEEDED : VMPORT_TRIGGER_FAILED;
    vmport_trace_rpc(VMPORT_TRC_TRIGGER, t->op, t->state, success);
    /*
     * The operator's record of the outcome (the domain may be gone before
     * a toolstack polls it).  Once per trigger the toolstack queued: only
     * a delivered trigger gets here, and it leaves that state now.
     */
    gprintk(XENLOG_INFO, "vmport: %s trigger: the guest's tools report %s\n",
            t->op == VMPORT_TRIGGER_HALT ? "OS_Halt" : "OS_Reboot",
            success ? "success" : "failure");
}

void vmport_tclo_free_all(struct vmport_domain *vd)
{
    unsigned int a;

    for ( a = 0; a < VMPORT_MAX_APPS; a++ )
    {
        struct vmport_tclo_app *app = &vd->apps[a];

        if ( !app->in_use )
            continue;
        while ( app->count )
            app_dequeue(vd, app);
        vmport_free(vd, app->queue,
                    vd->limits.tclo_queue_max * sizeof(*app->queue));
        memset(app, 0, sizeof(*app));
        app->channel = TCLO_NO_CHANNEL;
    }
}

int vmport_trigger(struct domain *d, enum vmport_trigger_op op)
{
    struct vmport_domain *vd = vmport_dom(d);
    struct vmport_trigger *t;
    const char *cmd;
    size_t len;
    int a, rc;

    if ( !vd )
        return -ENODEV;
    if ( op != VMPORT_TRIGGER_HALT && op != VMPORT_TRIGGER_REBOOT )
        return -EINVAL;

    cmd = op == VMPORT_TRIGGER_HALT ? tclo_halt : tclo_reboot;
    len = op == VMPORT_TRIGGER_HALT ? sizeof(tclo_halt) : sizeof(tclo_reboot);

    spin_lock(&vd->lock);
    t = &vd->trigger;
    trigger_check_timeout(vd);

    rc = -EBUSY;
    if ( t->state == VMPORT_TRIGGER_QUEUED ||
         t->state == VMPORT_TRIGGER_DELIVERED )
        goto out;

    rc = a = app_get(vd, TCLO_APP_TOOLBOX, strlen(TCLO_APP_TOOLBOX));
    if ( a < 0 )
        goto out;

    rc = app_enqueue(vd, &vd->apps[a], cmd, len, VMPORT_TCLO_POWER);
    if ( rc )
        goto out;

    t->op = op;
    t->state = VMPORT_TRIGGER_QUEUED;
    t->guest_status = 0;
    t->queued_at = NOW();
    vmport_trace_rpc(VMPORT_TRC_TRIGGER, t->op, t->state, 0);

 out:
    spin_unlock(&vd->lock);
    return rc;
}

int vmport_trigger_status(struct domain *d, struct vmport_trigger_status *st)
{
    struct vmport_domain *vd = vmport_dom(d);
    const struct vmport_trigger *t;

    if ( !vd )
        return -ENODEV;

    spin_lock(&vd->lock);
    t = &vd->trigger;
    trigger_check_timeout(vd);
    st->op = t->op;
    st->state = t->state;
    st->guest_status = t->guest_status;
    st->elapsed_ns = t->state == VMPORT_TRIGGER_IDLE ? 0
                                                     : NOW() - t->queued_at;
    spin_unlock(&vd->lock);

    return 0;
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
