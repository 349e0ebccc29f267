/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * backdoor.c: the VMware backdoor ports, 0x5658 (LB) and 0x5659 (HB).
 *
 * Entry points:
 *  - vmport_intercept(): the #GP intercept (CPL 3 with IOPL and the I/O
 *    bitmap denying the port, as VMware allows) and the I/O exit path both
 *    hand over the instruction bytes; the access is emulated here.
 *  - vmport_ioport(): a portio_action_t for accesses the CPU allowed.
 *
 * What counts as a backdoor access (anything else returns 0, "not ours",
 * so the #GP intercept re-injects #GP and the I/O path carries on):
 *  - IN/OUT with DX = 0x5658, 8, 16 or 32 bits wide (LB).  With EAX not
 *    the magic the port behaves as an empty one: IN gives all-ones in the
 *    accessed width, OUT is ignored.
 *  - INS/OUTS with DX = 0x5659 (HB), handed to vmport_hb() whole: it
 *    rejects non-rep, wide or backwards (DF=1) forms with a failure status
 *    in EBX, so a malformed HB call completes (no #GP) but moves nothing.
 *    With EAX not the magic it is a no-op: no register or guest memory
 *    changes (an empty port, minus the all-ones a real INS would store).
 *  - Never the imm8 forms (E4-E7): their port is at most 0xff.
 *  - Never string I/O on 0x5658 or plain IN/OUT on 0x5659: VMware defines
 *    no such protocol and no client uses them, so they are not ours.
 *
 * Registers: every input is taken from its low 32 bits only, and results
 * are written to the low 32 bits only, leaving bits 63:32 as they were (as
 * VMware does; a real 32-bit IN would zero them).  Each command writes
 * exactly the registers of the clobber contract (protocol reference 1.5);
 * see lb_dispatch_cmd().  An 8- or 16-bit IN changes only AL or AX of EAX;
 * an OUT leaves EAX alone and still updates the other result registers.
 */

#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/trace.h>

#include <asm/hvm/hvm.h>
#include <asm/hvm/io.h>
#include <asm/hvm/vlapic.h>
#include <asm/page.h>
#include <asm/x86_emulate.h>

#include "private.h"

/* GETTIME*: the largest lag (us) the guest should tolerate before stepping. */
#define VMPORT_MAX_TIME_LAG_US  1000000U
/* GETHZ ECX: the virtual local APIC timer runs at 1 / APIC_BUS_CYCLE_NS. */
#define VMPORT_APIC_BUS_HZ      (1000000000U / APIC_BUS_CYCLE_NS)

#define PAGES_PER_MB            (1U << (20 - PAGE_SHIFT))

static void lb_gettime(struct domain *d, struct cpu_user_regs *regs,
                       unsigned int cmd, uint32_t *eax)
{
    uint64_t us = vmport_time_us(d, vmport_dom(d));
    uint64_t sec = us / 1000000;

    VMPORT_SET32(regs, bx, us % 1000000);
    VMPORT_SET32(regs, cx, VMPORT_MAX_TIME_LAG_US);
    if ( cmd == BDOOR_CMD_GETTIME )
    {
        /* Seconds truncated to 32 bits (2106); offset from GMT: none. */
        *eax = (uint32_t)sec;
        VMPORT_SET32(regs, dx, 0);
        return;
    }
    *eax = VMPORT_MAGIC;
    VMPORT_SET32(regs, si, sec >> 32);
    VMPORT_SET32(regs, dx, sec);
    if ( cmd == BDOOR_CMD_GETTIMEFULL_WITH_LAG )
        VMPORT_SET32(regs, di, 0);      /* no interrupt lag to report */
}

static void lb_getuuid(const struct domain *d, struct cpu_user_regs *regs,
                       uint32_t *eax)
{
    const uint8_t *h = d->handle;

#define LE32(p) ((uint32_t)(p)[0] | ((uint32_t)(p)[1] << 8) | \
                 ((uint32_t)(p)[2] << 16) | ((uint32_t)(p)[3] << 24))
    *eax = LE32(h);
    VMPORT_SET32(regs, bx, LE32(h + 4));
    VMPORT_SET32(regs, cx, LE32(h + 8));
    VMPORT_SET32(regs, dx, LE32(h + 12));
#undef LE32
}

/*
 * GETHZ: EBX:EAX = the domain's TSC Hz, ECX = APIC bus Hz.  VMware answers
 * it at CPL 0 only (Slutz's testing); elsewhere we answer "unsupported" in
 * both conventions guests use: EAX = all-ones (unknown command) and EBX =
 * all-ones (Linux's GETHZ check).  CPUID 0x40000010 gives the same
 * frequencies to any CPL, so this hides nothing; it only matches VMware.
 */
static void lb_gethz(struct vcpu *v, struct cpu_user_regs *regs,
                     unsigned int cpl, uint32_t *eax)
{
    uint64_t hz = (uint64_t)v->domain->arch.tsc_khz * 1000;

    if ( cpl != 0 )
    {
        *eax = ~0U;
        VMPORT_SET32(regs, bx, ~0U);
        return;
    }
    *eax = (uint32_t)hz;
    VMPORT_SET32(regs, bx, hz >> 32);
    VMPORT_SET32(regs, cx, VMPORT_APIC_BUS_HZ);
}

/*
 * One LB command.  Registers written besides EAX (*eax):
 *   GETMHZ, GETMEMSIZE, GET_VCPU_INFO, unknown    none
 *   GETVERSION, GETHWVERSION                      EBX (and ECX: GETVERSION)
 *   GETHZ                                         EBX, ECX (CPL 0)
 *   GETUUID, GETTIME                              EBX, ECX, EDX
 *   GETTIMEFULL                                   EBX, ECX, EDX, ESI
 *   GETTIMEFULL_WITH_LAG                          EBX, ECX, EDX, ESI, EDI
 *   MESSAGE                                       per message.c
 */
static void lb_dispatch_cmd(struct vcpu *v, struct cpu_user_regs *regs,
                            unsigned int cmd, unsigned int cpl, uint32_t *eax)
{
    struct domain *d = v->domain;
    struct vmport_domain *vd = vmport_dom(d);

    switch ( cmd )
    {
    case BDOOR_CMD_GETMHZ:
        *eax = d->arch.tsc_khz / 1000;
        break;

    case BDOOR_CMD_GETVERSION:
        *eax = BDOOR_VERSION_MAGIC;
        VMPORT_SET32(regs, bx, VMPORT_MAGIC);
        VMPORT_SET32(regs, cx, BDOOR_PRODUCT_ESX);
        break;

    case BDOOR_CMD_GETHWVERSION:
        *eax = vd->hwver;
        VMPORT_SET32(regs, bx, VMPORT_MAGIC);
        break;

    case BDOOR_CMD_GETUUID:
        lb_getuuid(d, regs, eax);
        break;

    case BDOOR_CMD_GETMEMSIZE:
        /* MB, as VMware (QEMU's bytes would wrap at 4 GiB). */
        *eax = domain_tot_pages(d) / PAGES_PER_MB;
        break;

    case BDOOR_CMD_GETTIME:
    case BDOOR_CMD_GETTIMEFULL:
    case BDOOR_CMD_GETTIMEFULL_WITH_LAG:
        lb_gettime(d, regs, cmd, eax);
        break;

    case BDOOR_CMD_GETHZ:
        lb_gethz(v, regs, cpl, eax);
        break;

    case BDOOR_CMD_GET_VCPU_INFO:
        /*
         * Implemented (bit 31 clear) with no feature bits: whether vTSCs
         * are in sync depends on the domain's tsc_mode, and x2APIC without
         * interrupt remapping on its CPUID policy, neither of which this
         * model can vouch for.
         */
        *eax = 0;
        break;

    case BDOOR_CMD_MESSAGE:
        spin_lock(&vd->lock);
        vmport_message(v, regs);
        spin_unlock(&vd->lock);
        break;

    default:
        *eax = ~0U;
        break;
    }
}

int vmport_lb_dispatch(struct vcpu *v, struct cpu_user_regs *regs,
                       int dir, unsigned int bytes, uint32_t *eax)
{
    uint32_t ecx = regs->ecx;
    unsigned int cpl = hvm_get_cpl(v);

    lb_dispatch_cmd(v, regs, ecx & 0xffff, cpl, eax);
    TRACE_4D(TRC_HVM_VMPORT_LB, ecx, *eax, ((uint32_t)dir << 8) | bytes, cpl);

    return X86EMUL_OKAY;
}

/* An IN's result lands in AL, AX or EAX only. */
static void set_in_result(struct cpu_user_regs *regs, unsigned int bytes,
                          uint32_t val)
{
    switch ( bytes )
    {
    case 1:
        regs->al = val;
        break;
    case 2:
        regs->ax = val;
        break;
    default:
        regs->eax = val;
        break;
    }
}

static void lb_access(struct vcpu *v, struct cpu_user_regs *regs,
                      const struct vmport_insn *insn)
{
    bool in = insn->kind == VMPORT_INSN_IN;
    uint32_t eax = regs->eax;

    if ( eax != VMPORT_MAGIC )
    {
        TRACE_3D(TRC_HVM_VMPORT_EMPTY, VMPORT_LB_PORT, eax,
                 ((uint32_t)in << 8) | insn->bytes);
        if ( in )
            set_in_result(regs, insn->bytes, ~0U);
        return;
    }

    vmport_lb_dispatch(v, regs, in ? IOREQ_READ : IOREQ_WRITE, insn->bytes,
                       &eax);
    if ( in )
        set_in_result(regs, insn->bytes, eax);
}

/* False if the guest must execute the instruction again (see hb.c). */
static bool hb_access(struct vcpu *v, struct cpu_user_regs *regs,
                      const struct vmport_insn *insn)
{
    bool in = insn->kind == VMPORT_INSN_INS;
    uint32_t ebx = regs->ebx, ecx = regs->ecx;

    if ( regs->eax != VMPORT_MAGIC )
    {
        TRACE_3D(TRC_HVM_VMPORT_EMPTY, VMPORT_HB_PORT, regs->eax,
                 ((uint32_t)in << 8) | insn->bytes);
        return true;
    }

    if ( !vmport_hb(v, regs, insn) )
        return false;

    TRACE_4D(TRC_HVM_VMPORT_HB, ebx, regs->ebx,
             ((uint32_t)in << 8) | insn->rep, ecx);
    return true;
}

int vmport_intercept(struct vcpu *v, struct cpu_user_regs *regs,
                     const uint8_t *buf, unsigned int nr,
                     const struct vmport_insn_mode *mode)
{
    struct vmport_insn insn;
    bool string;

    if ( !vmport_enabled(v->domain) ||
         vmport_insn_decode(buf, nr, mode, &insn) || insn.imm_port )
        return 0;

    string = insn.kind == VMPORT_INSN_INS || insn.kind == VMPORT_INSN_OUTS;
    if ( regs->dx == VMPORT_LB_PORT && !string )
        lb_access(v, regs, &insn);
    else if ( regs->dx == VMPORT_HB_PORT && string )
    {
        if ( !hb_access(v, regs, &insn) )
            return VMPORT_RESTART;
    }
    else
        return 0;

    return insn.len;
}

/*
 * The portio handler for 0x5658.  For IN, *val becomes EAX (Xen's I/O
 * emulation merges it in the accessed width); the other result registers
 * are written to guest_cpu_user_regs() directly, which is why the glue
 * routes I/O exits on the backdoor ports through vmport_intercept() first:
 * an emulator that commits its own register copy afterwards would undo
 * them.  This handler is the fallback that keeps EAX right regardless.
 */
int vmport_ioport(int dir, unsigned int port, unsigned int bytes,
                  uint32_t *val)
{
    struct vcpu *v = current;
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    uint32_t eax = regs->eax;

    if ( port != VMPORT_LB_PORT || !vmport_enabled(v->domain) ||
         eax != VMPORT_MAGIC )
    {
        TRACE_3D(TRC_HVM_VMPORT_EMPTY, port, eax,
                 ((uint32_t)(dir == IOREQ_READ) << 8) | bytes);
        if ( dir == IOREQ_READ )
            *val = ~0U;
        return X86EMUL_OKAY;
    }

    vmport_lb_dispatch(v, regs, dir, bytes, &eax);
    if ( dir == IOREQ_READ )
        *val = eax;

    return X86EMUL_OKAY;
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
