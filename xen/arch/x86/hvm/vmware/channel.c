/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * channel.c: the per-domain GuestRPC channel table.
 *
 * A channel is a slot in vd->channels (limits.max_channels of them, the
 * channel id being the slot index).  It carries one message in each
 * direction at a time; every buffer is charged to the domain through
 * vmport_alloc() so a guest can never allocate beyond its budget.
 *
 * Everything here runs with vd->lock held.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/random.h>
#include <xen/string.h>
#include <xen/time.h>

#include "private.h"

void vmport_msg_free(struct vmport_domain *vd, struct vmport_msg *m)
{
    if ( m->data )
        vmport_free(vd, m->data, m->size);
    m->data = NULL;
    m->size = 0;
    m->pos = 0;
}

/*
 * Allocate @size bytes for @m (none for an empty message).  Not zeroed:
 * a message is written in full before its bytes are read, and only the
 * @pos bytes already received are ever saved.
 */
int vmport_msg_alloc(struct vmport_domain *vd, struct vmport_msg *m,
                     uint32_t size)
{
    vmport_msg_free(vd, m);
    if ( size )
    {
        m->data = vmport_alloc_uninit(vd, size);
        if ( !m->data )
            return -ENOMEM;
    }
    m->size = size;
    return 0;
}

/* Drop the guest->host message being sent, if any. */
void vmport_channel_send_reset(struct vmport_domain *vd,
                               struct vmport_channel *c)
{
    vmport_msg_free(vd, &c->send);
    c->send_state = VMPORT_SEND_NONE;
}

/* Drop the host->guest message, if any. */
void vmport_channel_recv_reset(struct vmport_domain *vd,
                               struct vmport_channel *c)
{
    vmport_msg_free(vd, &c->recv);
    c->recv_state = VMPORT_RECV_NONE;
    c->recv_is_tclo_cmd = false;
}

struct vmport_channel *vmport_channel_lookup(struct vmport_domain *vd,
                                             unsigned int id, uint64_t cookie,
                                             bool check_cookie)
{
    struct vmport_channel *c;

    if ( id >= vd->limits.max_channels )
        return NULL;

    c = &vd->channels[id];
    if ( !c->in_use )
        return NULL;

    /*
     * A channel opened without GUESTMSG_FLAG_COOKIE (iPXE) is not checked:
     * its guest never learnt to echo the cookie.
     */
    if ( check_cookie && c->cookie_checked && c->cookie != cookie )
    {
        gdprintk(XENLOG_WARNING,
                 "vmport: channel %u: wrong cookie, discarding message\n", id);
        return NULL;
    }

    return c;
}

/*
 * May an idle channel be taken away?  Never a TCLO channel whose
 * application still has commands to deliver: that would lose them.
 */
static bool channel_reclaimable(const struct vmport_domain *vd,
                                const struct vmport_channel *c, s_time_t now)
{
    s_time_t idle = MILLISECS(vd->limits.idle_timeout_ms);

    if ( now - c->last_active <= idle )
        return false;

    if ( c->proto == VMPORT_CHAN_TCLO && c->app != VMPORT_APP_NONE &&
         c->app < VMPORT_MAX_APPS && vd->apps[c->app].count )
        return false;

    return true;
}

/* The slot for a new channel: a free one, else the longest-idle one. */
static int channel_find_slot(struct vmport_domain *vd, unsigned int *id)
{
    s_time_t now = NOW();
    unsigned int i, victim = vd->limits.max_channels;

    for ( i = 0; i < vd->limits.max_channels; i++ )
    {
        if ( !vd->channels[i].in_use )
        {
            *id = i;
            return 0;
        }
    }

    for ( i = 0; i < vd->limits.max_channels; i++ )
    {
        const struct vmport_channel *c = &vd->channels[i];

        if ( !channel_reclaimable(vd, c, now) )
            continue;
        if ( victim == vd->limits.max_channels ||
             c->last_active < vd->channels[victim].last_active )
            victim = i;
    }

    if ( victim == vd->limits.max_channels )
        return -EBUSY;

    gdprintk(XENLOG_INFO, "vmport: reclaiming idle channel %u\n", victim);
    vmport_trace_rpc(VMPORT_TRC_RECLAIM, victim, 0, 0);
    vmport_channel_close(vd, victim);
    *id = victim;
    return 0;
}

int vmport_channel_open(struct vmport_domain *vd, uint32_t proto, bool cookie,
                        unsigned int *id)
{
    struct vmport_channel *c;
    int rc;

    if ( proto != VMPORT_PROTO_RPCI && proto != VMPORT_PROTO_TCLO )
        return -EOPNOTSUPP;

    rc = channel_find_slot(vd, id);
    if ( rc )
        return rc;

    c = &vd->channels[*id];
    memset(c, 0, sizeof(*c));
    c->in_use = true;
    c->cookie_checked = cookie;
    c->proto = proto == VMPORT_PROTO_TCLO ? VMPORT_CHAN_TCLO
                                          : VMPORT_CHAN_RPCI;
    c->app = VMPORT_APP_NONE;
    c->cookie = ((uint64_t)get_random() << 32) | get_random();
    c->last_active = NOW();

    if ( c->proto == VMPORT_CHAN_TCLO )
        vmport_tclo_opened(vd, *id);

    return 0;
}

void vmport_channel_close(struct vmport_domain *vd, unsigned int id)
{
    struct vmport_channel *c;

    if ( id >= vd->limits.max_channels || !vd->channels[id].in_use )
        return;

    c = &vd->channels[id];
    /* An undelivered TCLO command stays queued for the next channel. */
    if ( c->proto == VMPORT_CHAN_TCLO )
        vmport_tclo_closed(vd, id);

    vmport_channel_send_reset(vd, c);
    vmport_channel_recv_reset(vd, c);
    memset(c, 0, sizeof(*c));
    c->app = VMPORT_APP_NONE;
}

/* The guest->host message on channel @id is complete: act on it. */
void vmport_channel_message_done(struct vmport_domain *vd, unsigned int id)
{
    struct vmport_channel *c = &vd->channels[id];

    vmport_trace_rpc(VMPORT_TRC_REQUEST, id, c->proto, c->send.size);

    if ( c->proto == VMPORT_CHAN_TCLO )
        vmport_tclo_reply(vd, id, c->send.data, c->send.size);
    else
        vmport_rpci_request(vd, c, c->send.data, c->send.size);

    vmport_channel_send_reset(vd, c);
}

/* Make @data the host->guest message of @c, replacing any older one. */
int vmport_channel_set_reply(struct vmport_domain *vd,
                             struct vmport_channel *c,
                             const void *data, uint32_t len)
{
    int rc;

    vmport_channel_recv_reset(vd, c);
    rc = vmport_msg_alloc(vd, &c->recv, len);
    if ( rc )
        return rc;

    if ( len )
        memcpy(c->recv.data, data, len);
    c->recv_state = VMPORT_RECV_READY;
    return 0;
}

/*
 * The guest finished (or gave up) fetching the host->guest message.  An
 * RPCI reply is dropped either way; a TCLO command is dequeued only when
 * the guest confirmed it, so a failed fetch delivers it again.
 */
void vmport_channel_recv_done(struct vmport_domain *vd, unsigned int id,
                              bool ok)
{
    struct vmport_channel *c = &vd->channels[id];

    vmport_trace_rpc(VMPORT_TRC_RECV_DONE, id, ok, c->recv.size);

    if ( c->recv_is_tclo_cmd )
    {
        vmport_tclo_fetched(vd, id, ok);
        return;
    }

    vmport_channel_recv_reset(vd, c);
}

/*
 * Checkpoint (protocol reference 2.6): drop the partial inbound message
 * and rewind the outbound one so the guest's retry fetches it whole.
 */
void vmport_channel_rewind(struct vmport_domain *vd, struct vmport_channel *c)
{
    vmport_channel_send_reset(vd, c);
    if ( c->recv_state != VMPORT_RECV_NONE )
    {
        c->recv.pos = 0;
        c->recv_state = VMPORT_RECV_READY;
    }
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
