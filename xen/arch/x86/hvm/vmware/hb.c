/*
 * hb.c: high-bandwidth message transfers on port 0x5659.
 *
 * After SENDSIZE the guest does `rep outsb` (EBX = 0x00010000, ECX = count,
 * EDX = channel << 16 | 0x5659, ESI = source, EDI:EBP = cookie low:high);
 * after RECVSIZE it does `rep insb` (ESI:EBP = cookie high:low, EDI =
 * destination).  The whole buffer moves in one exit through the guest
 * memory helpers, and unlike a real string instruction ECX, ESI, EDI and
 * EBP are left as they were: only EBX (the status) is written.  OpenBSD
 * demands EBX == 0x00010000 exactly on success.  Any error (bad length,
 * fault, wrong cookie, nothing pending) is a status without SUCCESS for
 * the guest; nothing is injected.  Called with vd->lock held.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/time.h>

#include <asm/hvm/hvm.h>
#include <asm/hvm/support.h>

#include "private.h"

#define HB_OK           ((uint32_t)MESSAGE_STATUS_SUCCESS << 16)
#define HB_FAIL         0U
#define HB_CPT          ((uint32_t)MESSAGE_STATUS_CPT << 16)

/* The count and address registers are as wide as the address size. */
static unsigned long hb_reg(unsigned long val, unsigned int addr_bits)
{
    if ( addr_bits >= 64 )
        return val;
    return val & ((1UL << addr_bits) - 1);
}

/* Copy @len bytes between @buf and guest @seg:@offset. */
static int hb_copy(struct vcpu *v, enum x86_segment seg, unsigned long offset,
                   uint8_t *buf, uint32_t len, bool to_guest)
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
        return -EFAULT;

    /* The access is made with the privilege of the calling code. */
    if ( ss.dpl == 3 )
        pfec |= PFEC_user_mode;

    if ( to_guest )
        res = hvm_copy_to_guest_linear(linear, buf, len, pfec, &pfinfo);
    else
        res = hvm_copy_from_guest_linear(buf, linear, len, pfec, &pfinfo);

    return res == HVMTRANS_okay ? 0 : -EFAULT;
}

/* rep outsb: guest -> host, into the message declared by SENDSIZE. */
static uint32_t hb_send(struct vmport_domain *vd, struct vcpu *v,
                        struct vmport_channel *c, unsigned int id,
                        const struct cpu_user_regs *regs,
                        const struct vmport_insn *insn, unsigned long count)
{
    unsigned long src = hb_reg(regs->rsi, insn->addr_bits);

    if ( c->send_state != VMPORT_SEND_PAYLOAD ||
         count > c->send.size - c->send.pos )
        return HB_FAIL;

    if ( hb_copy(v, insn->seg, src, c->send.data + c->send.pos,
                 count, false) )
        return HB_FAIL;

    c->send.pos += count;
    if ( c->send.pos == c->send.size )
        vmport_channel_message_done(vd, id);

    return HB_OK;
}

/* rep insb: host -> guest, from the message announced by RECVSIZE. */
static uint32_t hb_recv(struct vcpu *v, struct vmport_channel *c,
                        const struct cpu_user_regs *regs,
                        const struct vmport_insn *insn, unsigned long count)
{
    unsigned long dst = hb_reg(regs->rdi, insn->addr_bits);

    if ( c->recv_state != VMPORT_RECV_SIZED ||
         count > c->recv.size - c->recv.pos )
        return HB_FAIL;

    /* INS always writes through ES; no segment override applies. */
    if ( hb_copy(v, x86_seg_es, dst, c->recv.data + c->recv.pos,
                 count, true) )
        return HB_FAIL;

    c->recv.pos += count;
    if ( c->recv.pos == c->recv.size )
        c->recv_state = VMPORT_RECV_FETCHED;

    return HB_OK;
}

static uint32_t hb_transfer(struct vcpu *v, struct cpu_user_regs *regs,
                            const struct vmport_insn *insn)
{
    struct vmport_domain *vd = vmport_dom(v->domain);
    bool out = insn->kind == VMPORT_INSN_OUTS;
    unsigned int id = regs->edx >> 16;
    /* The protocol's count is ECX (CX with 16-bit addressing). */
    unsigned long count = hb_reg(regs->rcx, min_t(unsigned int,
                                                  insn->addr_bits, 32));
    uint64_t cookie;
    struct vmport_channel *c;
    uint32_t st;

    if ( !vd->hb_enabled || (regs->ebx & 0xffff) != BDOORHB_CMD_MESSAGE )
        return HB_FAIL;

    /* One byte per iteration, forwards, repeated: the only HB shape. */
    if ( (insn->kind != VMPORT_INSN_OUTS && insn->kind != VMPORT_INSN_INS) ||
         insn->bytes != 1 || !insn->rep || (regs->eflags & X86_EFLAGS_DF) )
        return HB_FAIL;

    if ( out )
        cookie = ((uint64_t)regs->ebp << 32) | regs->edi;
    else
        cookie = ((uint64_t)regs->esi << 32) | regs->ebp;

    c = vmport_channel_lookup(vd, id, cookie, true);
    if ( !c )
        return HB_FAIL;

    c->last_active = NOW();

    if ( c->checkpointed )
    {
        vmport_trace_rpc(VMPORT_TRC_CPT, id, 0, 0);
        vmport_channel_rewind(vd, c);
        return HB_CPT;
    }

    if ( !count )
        return HB_FAIL;

    st = out ? hb_send(vd, v, c, id, regs, insn, count)
             : hb_recv(v, c, regs, insn, count);
    vmport_trace_rpc(VMPORT_TRC_HB, id, (out ? 0x80000000U : 0) | count,
                     st == HB_OK);
    return st;
}

void vmport_hb(struct vcpu *v, struct cpu_user_regs *regs,
               const struct vmport_insn *insn)
{
    VMPORT_SET32(regs, bx, hb_transfer(v, regs, insn));
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
