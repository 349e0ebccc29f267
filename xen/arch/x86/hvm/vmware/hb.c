/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hb.c: high-bandwidth message transfers on port 0x5659.
 *
 * After SENDSIZE the guest does `rep outsb` (EBX = 0x00010000, ECX = count,
 * EDX = channel << 16 | 0x5659, ESI = source, EDI:EBP = cookie low:high);
 * after RECVSIZE it does `rep insb` (ESI:EBP = cookie high:low, EDI =
 * destination).  The whole buffer moves in one exit, and unlike a real
 * string instruction ECX, ESI, EDI and EBP are left as they were: only EBX
 * (the status) is written.  OpenBSD demands EBX == 0x00010000 exactly on
 * success.  A protocol error (bad length, wrong cookie, nothing pending)
 * is a status without SUCCESS; nothing is injected.
 *
 * Guest memory and locking.  A guest buffer may be absent (never touched,
 * or paged out by the guest), and copying to or from guest memory may
 * block in Xen (paging, sharing), so:
 *  - vd->lock is never held across a guest copy.  Data moves through the
 *    vCPU's bounce buffer (vd->hb_bounce[vcpu_id], VMPORT_HB_CHUNK bytes)
 *    one chunk at a time; the channel is only read or written under the
 *    lock, after checking that it is still the transfer that was started
 *    (same buffer, size and position).  Another vCPU that closes or reuses
 *    the channel in between makes the transfer fail, nothing more.
 *  - A page fault on the guest buffer is injected into the guest (as the
 *    real instruction would take it) and RIP is left on the instruction,
 *    which the guest restarts once its kernel has mapped the page.  The
 *    channel's position only moves when every byte has been copied, so a
 *    restart repeats the whole transfer: copies are idempotent.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/time.h>

#include <asm/hvm/hvm.h>
#include <asm/hvm/support.h>
#include <asm/page.h>

#include "private.h"

#define HB_OK           ((uint32_t)MESSAGE_STATUS_SUCCESS << 16)
#define HB_FAIL         0U
#define HB_CPT          ((uint32_t)MESSAGE_STATUS_CPT << 16)

/* What became of a transfer: a status for EBX, or a restart. */
enum hb_result {
    HB_DONE,            /* *status holds EBX */
    HB_RESTART,         /* guest fault injected or copy to be retried */
};

/* The count and address registers are as wide as the address size. */
static unsigned long hb_reg(unsigned long val, unsigned int addr_bits)
{
    if ( addr_bits >= 64 )
        return val;
    return val & ((1UL << addr_bits) - 1);
}

/* The transfer as it was accepted: what must still hold at each chunk. */
struct hb_xfer {
    unsigned int id;
    bool out;                   /* rep outsb: guest -> host */
    const uint8_t *data;        /* the channel buffer it started on */
    uint32_t size, pos;         /* its size and position then */
    uint32_t count;
    enum x86_segment seg;
    unsigned long offset;       /* guest offset in @seg */
};

/* Is @c still in the state @x was accepted in?  vd->lock held. */
static bool hb_still_valid(const struct vmport_channel *c,
                           const struct hb_xfer *x)
{
    const struct vmport_msg *m = x->out ? &c->send : &c->recv;

    if ( !c->in_use || c->checkpointed )
        return false;
    if ( x->out ? c->send_state != VMPORT_SEND_PAYLOAD
                : c->recv_state != VMPORT_RECV_SIZED )
        return false;
    return m->data == x->data && m->size == x->size && m->pos == x->pos;
}

/*
 * Copy @len bytes between @buf and guest @seg:@offset.  On a fault that
 * the guest must see, the fault is injected and HVMTRANS_bad_linear_to_gfn
 * returned.
 */
static enum hvm_translation_result hb_copy(struct vcpu *v,
                                           enum x86_segment seg,
                                           unsigned long offset,
                                           uint8_t *buf, uint32_t len,
                                           bool to_guest)
{
    struct segment_register sreg, cs, ss;
    unsigned long linear;
    pagefault_info_t pfinfo;
    uint32_t pfec = 0;
    enum hvm_translation_result res;

    hvm_get_segment_register(v, x86_seg_cs, &cs);
    hvm_get_segment_register(v, x86_seg_ss, &ss);
    hvm_get_segment_register(v, seg, &sreg);

    if ( !hvm_virtual_to_linear_addr(seg, &sreg, offset, len,
                                     to_guest ? hvm_access_write
                                              : hvm_access_read,
                                     &cs, &linear) )
        return HVMTRANS_unhandleable;

    /* The access is made with the privilege of the calling code. */
    if ( ss.dpl == 3 )
        pfec |= PFEC_user_mode;

    if ( to_guest )
        res = hvm_copy_to_guest_linear(linear, buf, len, pfec, &pfinfo);
    else
        res = hvm_copy_from_guest_linear(buf, linear, len, pfec, &pfinfo);

    if ( res == HVMTRANS_bad_linear_to_gfn )
        hvm_inject_page_fault(pfinfo.ec, pfinfo.linear);

    return res;
}

/*
 * Move the bytes of @x through @bounce, chunk by chunk, never crossing a
 * guest page within a chunk.  Returns HB_RESTART after a fault (injected)
 * or a copy to retry, else HB_DONE with *ok telling whether every byte
 * moved while the channel stayed the same.
 */
static enum hb_result hb_move(struct vmport_domain *vd, struct vcpu *v,
                              const struct hb_xfer *x, uint8_t *bounce,
                              bool *ok)
{
    struct vmport_channel *c = &vd->channels[x->id];
    uint32_t done = 0;

    *ok = false;
    while ( done < x->count )
    {
        unsigned long off = x->offset + done;
        uint32_t n = min_t(uint32_t, x->count - done, VMPORT_HB_CHUNK);
        enum hvm_translation_result res;
        bool valid;

        n = min_t(uint32_t, n, PAGE_SIZE - (off & ~PAGE_MASK));

        if ( !x->out )
        {
            spin_lock(&vd->lock);
            valid = hb_still_valid(c, x);
            if ( valid )
                memcpy(bounce, c->recv.data + x->pos + done, n);
            spin_unlock(&vd->lock);
            if ( !valid )
                return HB_DONE;
        }

        res = hb_copy(v, x->seg, off, bounce, n, !x->out);
        switch ( res )
        {
        case HVMTRANS_okay:
            break;
        case HVMTRANS_bad_linear_to_gfn:        /* #PF injected */
        case HVMTRANS_gfn_paged_out:            /* Xen pages it back in */
        case HVMTRANS_gfn_shared:
        case HVMTRANS_need_retry:
            return HB_RESTART;
        default:
            return HB_DONE;
        }

        if ( x->out )
        {
            spin_lock(&vd->lock);
            valid = hb_still_valid(c, x);
            if ( valid )
                memcpy(c->send.data + x->pos + done, bounce, n);
            spin_unlock(&vd->lock);
            if ( !valid )
                return HB_DONE;
        }
        done += n;
    }

    *ok = true;
    return HB_DONE;
}

/*
 * Check the call and describe the transfer it asks for (vd->lock held).
 * Returns false with *status set when there is nothing to copy.
 */
static bool hb_accept(struct vmport_domain *vd, struct cpu_user_regs *regs,
                      const struct vmport_insn *insn, struct hb_xfer *x,
                      uint32_t *status)
{
    unsigned int id = regs->edx >> 16;
    /* The protocol's count is ECX (CX with 16-bit addressing). */
    unsigned long count = hb_reg(regs->rcx, min_t(unsigned int,
                                                  insn->addr_bits, 32));
    uint64_t cookie;
    struct vmport_channel *c;
    const struct vmport_msg *m;

    *status = HB_FAIL;
    if ( !vd->hb_enabled || (regs->ebx & 0xffff) != BDOORHB_CMD_MESSAGE )
        return false;

    /* One byte per iteration, forwards, repeated: the only HB shape. */
    if ( (insn->kind != VMPORT_INSN_OUTS && insn->kind != VMPORT_INSN_INS) ||
         insn->bytes != 1 || !insn->rep || (regs->eflags & X86_EFLAGS_DF) )
        return false;

    x->out = insn->kind == VMPORT_INSN_OUTS;
    if ( x->out )
        cookie = ((uint64_t)regs->ebp << 32) | regs->edi;
    else
        cookie = ((uint64_t)regs->esi << 32) | regs->ebp;

    c = vmport_channel_lookup(vd, id, cookie, true);
    if ( !c )
        return false;

    c->last_active = NOW();

    if ( c->checkpointed )
    {
        vmport_trace_rpc(VMPORT_TRC_CPT, id, 0, 0);
        vmport_channel_rewind(vd, c);
        *status = HB_CPT;
        return false;
    }

    m = x->out ? &c->send : &c->recv;
    if ( !count ||
         (x->out ? c->send_state != VMPORT_SEND_PAYLOAD
                 : c->recv_state != VMPORT_RECV_SIZED) ||
         count > m->size - m->pos )
        return false;

    x->id = id;
    x->data = m->data;
    x->size = m->size;
    x->pos = m->pos;
    x->count = count;
    if ( x->out )
    {
        x->seg = insn->seg;
        x->offset = hb_reg(regs->rsi, insn->addr_bits);
    }
    else
    {
        /* INS always writes through ES; no segment override applies. */
        x->seg = x86_seg_es;
        x->offset = hb_reg(regs->rdi, insn->addr_bits);
    }
    return true;
}

/* Every byte moved: advance the channel (vd->lock held). */
static uint32_t hb_commit(struct vmport_domain *vd, const struct hb_xfer *x)
{
    struct vmport_channel *c = &vd->channels[x->id];

    if ( !hb_still_valid(c, x) )
        return HB_FAIL;

    if ( x->out )
    {
        c->send.pos += x->count;
        if ( c->send.pos == c->send.size )
            vmport_channel_message_done(vd, x->id);
    }
    else
    {
        c->recv.pos += x->count;
        if ( c->recv.pos == c->recv.size )
            c->recv_state = VMPORT_RECV_FETCHED;
    }
    return HB_OK;
}

bool vmport_hb(struct vcpu *v, struct cpu_user_regs *regs,
               const struct vmport_insn *insn)
{
    struct vmport_domain *vd = vmport_dom(v->domain);
    struct hb_xfer x;
    uint32_t status;
    bool accepted, ok;

    spin_lock(&vd->lock);
    accepted = hb_accept(vd, regs, insn, &x, &status);
    spin_unlock(&vd->lock);

    if ( accepted && v->vcpu_id >= vd->nr_bounce )
    {
        ASSERT_UNREACHABLE();
        accepted = false;
    }

    if ( accepted )
    {
        if ( hb_move(vd, v, &x, vd->hb_bounce[v->vcpu_id], &ok) ==
             HB_RESTART )
            return false;

        spin_lock(&vd->lock);
        status = ok ? hb_commit(vd, &x) : HB_FAIL;
        spin_unlock(&vd->lock);

        vmport_trace_rpc(VMPORT_TRC_HB, x.id,
                         (x.out ? 0x80000000U : 0) | x.count,
                         status == HB_OK);
    }

    VMPORT_SET32(regs, bx, status);
    return true;
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
