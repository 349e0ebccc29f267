/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * message.c: BDOOR_CMD_MESSAGE (GuestRPC) over the low-bandwidth port.
 *
 * ECX[31:16] selects the sub-command, EDX[31:16] the channel and ESI:EDI
 * carry the cookie.  Every reply puts the status in ECX[31:16] with
 * ECX[15:0] clear: strict clients (iPXE, OpenBSD) compare whole registers.
 * Only the registers of the clobber contract (protocol reference 1.5) are
 * written, and only their low 32 bits:
 *   OPEN                       ECX, EDX, ESI, EDI
 *   SENDSIZE, SENDPAYLOAD,
 *   RECVSTATUS, CLOSE          ECX
 *   RECVSIZE, RECVPAYLOAD      EBX, ECX, EDX
 * EAX keeps the magic.  Called by backdoor.c with vd->lock held.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/time.h>

#include "private.h"

#define STATUS(s)       ((uint32_t)(s) << 16)
#define ECX_FAIL        STATUS(0)
#define ECX_OK          STATUS(MESSAGE_STATUS_SUCCESS)
#define ECX_CPT         STATUS(MESSAGE_STATUS_CPT)

/* EDX[31:16] in RECVSIZE / RECVPAYLOAD replies: the host's "send" step. */
#define EDX_STEP(regs, step) \
    (((uint32_t)(step) << 16) | ((regs)->edx & 0xffff))

static uint32_t status_hb(const struct vmport_domain *vd)
{
    return vd->hb_enabled ? MESSAGE_STATUS_HB : 0;
}

static void msg_open(struct vmport_domain *vd, struct cpu_user_regs *regs)
{
    uint32_t ebx = regs->ebx;
    bool cookie = ebx & GUESTMSG_FLAG_COOKIE;
    unsigned int id;
    struct vmport_channel *c;

    if ( vmport_channel_open(vd, ebx & ~GUESTMSG_FLAG_COOKIE, cookie, &id) )
    {
        vmport_trace_rpc(VMPORT_TRC_OPEN, 0xffff, ebx, 0);
        VMPORT_SET32(regs, cx, ECX_FAIL);
        return;
    }

    c = &vd->channels[id];
    vmport_trace_rpc(VMPORT_TRC_OPEN, id, ebx, 1);
    VMPORT_SET32(regs, cx, ECX_OK);
    VMPORT_SET32(regs, dx, id << 16);
    VMPORT_SET32(regs, si, c->cookie >> 32);
    VMPORT_SET32(regs, di, c->cookie);
}

static void msg_sendsize(struct vmport_domain *vd, struct vmport_channel *c,
                         unsigned int id, struct cpu_user_regs *regs)
{
    uint32_t size = regs->ebx;

    /* A new message restarts the exchange: no checkpoint retry pending. */
    c->checkpointed = false;
    vmport_channel_send_reset(vd, c);

    if ( size > VMPORT_MSG_IN_MAX ||
         vmport_msg_alloc(vd, &c->send, size) )
    {
        vmport_trace_rpc(VMPORT_TRC_SENDSIZE, id, size, 0);
        VMPORT_SET32(regs, cx, ECX_FAIL);
        return;
    }

    vmport_trace_rpc(VMPORT_TRC_SENDSIZE, id, size, 1);
    c->send_state = VMPORT_SEND_PAYLOAD;
    if ( !size )
        vmport_channel_message_done(vd, id);

    VMPORT_SET32(regs, cx, STATUS(MESSAGE_STATUS_SUCCESS | status_hb(vd)));
}

/* Store up to 4 bytes of EBX; the padding of the last word is ignored. */
static void msg_sendpayload(struct vmport_domain *vd,
                            struct vmport_channel *c, unsigned int id,
                            struct cpu_user_regs *regs)
{
    uint32_t word = regs->ebx;
    uint32_t n, i;

    if ( c->send_state != VMPORT_SEND_PAYLOAD || c->send.pos >= c->send.size )
    {
        vmport_trace_rpc(VMPORT_TRC_BAD, id, MESSAGE_TYPE_SENDPAYLOAD, 1);
        VMPORT_SET32(regs, cx, ECX_FAIL);
        return;
    }

    n = min_t(uint32_t, 4, c->send.size - c->send.pos);
    for ( i = 0; i < n; i++ )
        c->send.data[c->send.pos + i] = word >> (8 * i);
    c->send.pos += n;
    vmport_trace_rpc(VMPORT_TRC_SENDPAYLOAD, id, c->send.pos, c->send.size);

    if ( c->send.pos == c->send.size )
        vmport_channel_message_done(vd, id);

    VMPORT_SET32(regs, cx, ECX_OK);
}

static void msg_recvsize(struct vmport_domain *vd, struct vmport_channel *c,
                         unsigned int id, struct cpu_user_regs *regs)
{
    c->checkpointed = false;

    if ( c->proto == VMPORT_CHAN_TCLO )
        vmport_tclo_poll(vd, id);

    if ( c->recv_state == VMPORT_RECV_NONE )
    {
        vmport_trace_rpc(VMPORT_TRC_RECVSIZE, id, 0, 0);
        VMPORT_SET32(regs, cx, STATUS(MESSAGE_STATUS_SUCCESS |
                                      status_hb(vd)));
        return;
    }

    /* Asking again (a retry) restarts the fetch from the first byte. */
    c->recv.pos = 0;
    c->recv_state = VMPORT_RECV_SIZED;
    vmport_trace_rpc(VMPORT_TRC_RECVSIZE, id, c->recv.size, 1);

    VMPORT_SET32(regs, bx, c->recv.size);
    VMPORT_SET32(regs, cx, STATUS(MESSAGE_STATUS_SUCCESS |
                                  MESSAGE_STATUS_DORECV | status_hb(vd)));
    VMPORT_SET32(regs, dx, EDX_STEP(regs, MESSAGE_TYPE_SENDSIZE));
}

static void msg_recvpayload(struct vmport_domain *vd,
                            struct vmport_channel *c, unsigned int id,
                            struct cpu_user_regs *regs)
{
    uint32_t prev = regs->ebx & MESSAGE_STATUS_GUEST_MASK;
    uint32_t word = 0, n, i;

    if ( c->recv_state != VMPORT_RECV_SIZED )
    {
        vmport_trace_rpc(VMPORT_TRC_BAD, id, MESSAGE_TYPE_RECVPAYLOAD, 1);
        VMPORT_SET32(regs, cx, ECX_FAIL);
        return;
    }

    /* The guest reports that it failed to take the previous word. */
    if ( !prev )
    {
        vmport_channel_recv_done(vd, id, false);
        VMPORT_SET32(regs, cx, ECX_OK);
        return;
    }

    n = min_t(uint32_t, 4, c->recv.size - c->recv.pos);
    for ( i = 0; i < n; i++ )
        word |= (uint32_t)c->recv.data[c->recv.pos + i] << (8 * i);
    c->recv.pos += n;
    if ( c->recv.pos == c->recv.size )
        c->recv_state = VMPORT_RECV_FETCHED;
    vmport_trace_rpc(VMPORT_TRC_RECVPAYLOAD, id, c->recv.pos, c->recv.size);

    VMPORT_SET32(regs, bx, word);
    VMPORT_SET32(regs, cx, ECX_OK);
    VMPORT_SET32(regs, dx, EDX_STEP(regs, MESSAGE_TYPE_SENDPAYLOAD));
}

static void msg_recvstatus(struct vmport_domain *vd, struct vmport_channel *c,
                           unsigned int id, struct cpu_user_regs *regs)
{
    bool ok = regs->ebx & MESSAGE_STATUS_GUEST_MASK;

    if ( c->recv_state != VMPORT_RECV_SIZED &&
         c->recv_state != VMPORT_RECV_FETCHED )
    {
        vmport_trace_rpc(VMPORT_TRC_BAD, id, MESSAGE_TYPE_RECVSTATUS, 1);
        VMPORT_SET32(regs, cx, ECX_FAIL);
        return;
    }

    /* Delivered only if the guest took every byte and says so. */
    vmport_trace_rpc(VMPORT_TRC_RECVSTATUS, id, ok,
                     c->recv_state == VMPORT_RECV_FETCHED);
    vmport_channel_recv_done(vd, id,
                             ok && c->recv_state == VMPORT_RECV_FETCHED);
    VMPORT_SET32(regs, cx, ECX_OK);
}

/*
 * The first payload or status call after a checkpoint gets CPT without
 * SUCCESS, so the guest restarts the message from SENDSIZE / RECVSIZE.
 */
static bool msg_checkpointed(struct vmport_domain *vd,
                             struct vmport_channel *c, unsigned int id,
                             struct cpu_user_regs *regs)
{
    if ( !c->checkpointed )
        return false;

    vmport_trace_rpc(VMPORT_TRC_CPT, id, 0, 0);
    vmport_channel_rewind(vd, c);
    VMPORT_SET32(regs, cx, ECX_CPT);
    return true;
}

void vmport_message(struct vcpu *v, struct cpu_user_regs *regs)
{
    struct vmport_domain *vd = vmport_dom(v->domain);
    unsigned int sub = regs->ecx >> 16;
    unsigned int id = regs->edx >> 16;
    uint64_t cookie = ((uint64_t)regs->esi << 32) | regs->edi;
    struct vmport_channel *c;

    if ( sub == MESSAGE_TYPE_OPEN )
    {
        msg_open(vd, regs);
        return;
    }

    c = vmport_channel_lookup(vd, id, cookie, true);
    if ( !c || sub > MESSAGE_TYPE_CLOSE )
    {
        vmport_trace_rpc(VMPORT_TRC_BAD, id, sub, c != NULL);
        VMPORT_SET32(regs, cx, ECX_FAIL);
        return;
    }

    c->last_active = NOW();

    switch ( sub )
    {
    case MESSAGE_TYPE_SENDSIZE:
        msg_sendsize(vd, c, id, regs);
        break;

    case MESSAGE_TYPE_SENDPAYLOAD:
        if ( !msg_checkpointed(vd, c, id, regs) )
            msg_sendpayload(vd, c, id, regs);
        break;

    case MESSAGE_TYPE_RECVSIZE:
        msg_recvsize(vd, c, id, regs);
        break;

    case MESSAGE_TYPE_RECVPAYLOAD:
        if ( !msg_checkpointed(vd, c, id, regs) )
            msg_recvpayload(vd, c, id, regs);
        break;

    case MESSAGE_TYPE_RECVSTATUS:
        if ( !msg_checkpointed(vd, c, id, regs) )
            msg_recvstatus(vd, c, id, regs);
        break;

    case MESSAGE_TYPE_CLOSE:
        vmport_trace_rpc(VMPORT_TRC_CLOSE, id, 0, 0);
        vmport_channel_close(vd, id);
        VMPORT_SET32(regs, cx, ECX_OK);
        break;
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
