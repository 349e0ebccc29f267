/*
 * vmport.c: HVM glue for the VMware "backdoor" device model.
 *
 * The device model itself lives in vmware/ and knows nothing about VMX,
 * SVM or how instructions reach it.  This file connects it to the rest of
 * HVM: enabling it for a domain (the write-once HVM_PARAM_VMPORT_HWVER),
 * the port I/O handler for accesses the CPU allows, and the two paths that
 * need the instruction bytes - string I/O to the backdoor ports and the #GP
 * intercept for CPL 3 callers that IOPL and the TSS I/O bitmap deny.
 */

#include <xen/lib.h>
#include <xen/sched.h>

#include <asm/hvm/hvm.h>
#include <asm/hvm/io.h>
#include <asm/hvm/save.h>
#include <asm/hvm/support.h>
#include <asm/hvm/trace.h>
#include <asm/hvm/vmport.h>
#include <asm/hvm/vmport-save.h>
#include <asm/cpuid.h>

#include <public/hvm/params.h>
#include <public/hvm/save.h>

static int cf_check vmport_portio(
    int dir, unsigned int port, unsigned int bytes, uint32_t *val)
{
    int rc = vmport_ioport(dir, port, bytes, val);

    HVMTRACE_3D(VMPORT_IO, port, guest_cpu_user_regs()->ecx,
                TRC_HVM_VMPORT_VIA_PORTIO);

    return rc;
}

/*
 * Make the domain's vCPUs see the backdoor: the port handler, and the #GP
 * intercept which {vmx,svm}_cpuid_policy_changed() arm for vmport domains.
 * Called once, with the domain not yet running (first enable) or paused
 * (restore), so the vCPUs' intercepts can be rewritten.
 */
static void vmport_arm(struct domain *d)
{
    struct vcpu *v;

    if ( d->arch.hvm.vmport_armed )
        return;

    register_portio_handler(d, VMPORT_LB_PORT, 1, vmport_portio);

    for_each_vcpu ( d, v )
        hvm_cpuid_policy_changed(v);

    d->arch.hvm.params[HVM_PARAM_VMPORT_HWVER] = vmport_hwver(d);
    d->arch.hvm.vmport_armed = true;
}

int hvm_vmport_set_hwver(struct domain *d, uint64_t hwver)
{
    struct vmport_limits limits;
    int rc;

    /* Writing the value it already has is not an error (restore paths). */
    if ( vmport_enabled(d) && hwver == vmport_hwver(d) )
        return 0;

    /*
     * vmport_enable() applies the rules every enable path shares (not once
     * the domain has run, not beside Viridian or nested HVM), so that a
     * VMPORT record in a loaded HVM context cannot get round them.
     */
    vmport_limits_default(&limits);
    rc = vmport_enable(d, hwver, &limits);
    if ( rc )
        return rc;

    domain_pause(d);
    vmport_arm(d);
    domain_unpause(d);

    return 0;
}

/*
 * hvm_load() calls this before it loads any entry: a context whose VMPORT
 * record would be refused (vmport turned on in a domain that has run or
 * beside Viridian, a record that fails its checks) is refused whole.
 * Refusing only when the VMPORT entry is reached, the last of a context,
 * would leave the CPU, LAPIC and timer entries before it loaded again into
 * a domain that has run, moving its time backwards.  Malformed descriptors
 * are left to hvm_load(), which reports them where it meets them.
 */
int hvm_vmport_check_context(struct domain *d, const hvm_domain_context_t *h)
{
    uint32_t cur = h->cur;

    while ( h->size - cur >= sizeof(struct hvm_save_descriptor) )
    {
        struct hvm_save_descriptor desc;

        memcpy(&desc, &h->data[cur], sizeof(desc));
        cur += sizeof(desc);
        if ( desc.typecode == 0 || desc.length > h->size - cur )
            break;
        if ( desc.typecode == HVM_SAVE_CODE(VMPORT) )
            return vmport_record_check(d, &h->data[cur], desc.length);
        cur += desc.length;
    }

    return 0;
}

/*
 * CPUID.  With the VMware leaves shown (hardware version 7 and later) they
 * own 0x40000000-0x400000ff and Xen's leaves move to 0x40000100, as they do
 * for Viridian; guests find Xen there the same way (Linux scans in steps of
 * 0x100), and VMware's tools find "VMwareVMware" where they look.
 */
static bool vmport_shows_cpuid(const struct domain *d)
{
    return is_hvm_domain(d) && vmport_enabled(d) && vmport_cpuid_enabled(d);
}

uint32_t hvm_vmport_xen_cpuid_base(const struct domain *d)
{
    return vmport_shows_cpuid(d) ? 0x40000100 : 0x40000000;
}

bool hvm_vmport_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf,
                      struct cpuid_leaf *res)
{
    if ( leaf < 0x40000000 || leaf > 0x400000ff ||
         !vmport_shows_cpuid(v->domain) )
        return false;

    cpuid_vmport_leaves(v, leaf, subleaf, res);

    return true;
}

void hvm_vmport_load_done(struct domain *d)
{
    /* public/arch-x86/hvm/save.h spells the number out for C++'s sake. */
    BUILD_BUG_ON(HVM_SAVE_CODE_MAX != HVM_SAVE_CODE_VMPORT);

    /* The VMPORT record may have enabled vmport on a fresh domain. */
    if ( vmport_enabled(d) )
        vmport_arm(d);
}

/*
 * Fetch up to MAX_INST_LEN bytes at CS:RIP, exactly once, and describe the
 * vCPU's mode for the decoder.  Returns the number of bytes fetched, 0 if
 * nothing could be read.
 */
static unsigned int vmport_fetch(struct vcpu *v,
                                 const struct cpu_user_regs *regs,
                                 uint8_t buf[MAX_INST_LEN],
                                 struct vmport_insn_mode *mode)
{
    struct segment_register cs, ss;
    unsigned long addr;
    unsigned int len = MAX_INST_LEN;
    uint32_t pfec = PFEC_insn_fetch;

    hvm_get_segment_register(v, x86_seg_cs, &cs);
    hvm_get_segment_register(v, x86_seg_ss, &ss);

    mode->cs_bits = (hvm_long_mode_active(v) && cs.l) ? 64 : cs.db ? 32 : 16;
    mode->cpl = ss.dpl;
    mode->iopl = MASK_EXTR(regs->eflags, X86_EFLAGS_IOPL);

    if ( ss.dpl == 3 )
        pfec |= PFEC_user_mode;

    if ( !hvm_virtual_to_linear_addr(x86_seg_cs, &cs, regs->rip, 1,
                                     hvm_access_insn_fetch, &cs, &addr) )
        return 0;

    /*
     * The instruction may end just before an unmapped page: if the full
     * window cannot be read, read up to the page boundary only.
     */
    if ( hvm_copy_from_guest_linear(buf, addr, len, pfec,
                                    NULL) == HVMTRANS_okay )
        return len;

    len = min_t(unsigned int, len, PAGE_SIZE - (addr & ~PAGE_MASK));
    if ( hvm_copy_from_guest_linear(buf, addr, len, pfec,
                                    NULL) == HVMTRANS_okay )
        return len;

    return 0;
}

/* Retire an emulated instruction the way update_guest_eip() does. */
static void vmport_retire(struct vcpu *v, struct cpu_user_regs *regs,
                          unsigned int len)
{
    struct segment_register cs;

    hvm_get_segment_register(v, x86_seg_cs, &cs);

    regs->rip += len;
    if ( !(hvm_long_mode_active(v) && cs.l) )
        regs->rip = regs->eip;
    regs->eflags &= ~X86_EFLAGS_RF;

    if ( alternative_call(hvm_funcs.get_interrupt_shadow, v) )
        alternative_vcall(hvm_funcs.set_interrupt_shadow, v, 0);

    if ( regs->eflags & X86_EFLAGS_TF )
        hvm_inject_hw_exception(TRAP_debug, X86_EVENT_NO_EC);
}

/*
 * Let the device model decide on the instruction at CS:RIP and emulate it.
 * Returns true if it did (RIP advanced, or left for a restart), false if
 * the access is not the backdoor's.
 */
static bool vmport_emulate(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;
    struct vmport_insn_mode mode;
    uint8_t buf[MAX_INST_LEN];
    unsigned int nr;
    int len;

    nr = vmport_fetch(v, regs, buf, &mode);
    if ( !nr )
        return false;

    len = vmport_intercept(v, regs, buf, nr, &mode);
    if ( len == VMPORT_RESTART )
        /*
         * A page fault on the guest's buffer has been injected (or Xen
         * must page it in first): RIP stays on the instruction, which the
         * guest executes again once the page is there.
         */
        return true;
    if ( !len )
        return false;

    vmport_retire(v, regs, len);

    return true;
}

bool hvm_vmport_string_io(struct cpu_user_regs *regs, unsigned int port)
{
    const struct domain *d = current->domain;

    if ( !vmport_enabled(d) ||
         (port != VMPORT_LB_PORT && port != VMPORT_HB_PORT) )
        return false;

    HVMTRACE_3D(VMPORT_IO, port, regs->ecx, TRC_HVM_VMPORT_VIA_STRING);

    return vmport_emulate(regs);
}

void hvm_vmport_gp_intercept(struct cpu_user_regs *regs, int ec)
{
    bool done = false;

    /*
     * The I/O permission #GP always has error code 0; anything else (a
     * selector or IDT error code, or none reported: X86_EVENT_NO_EC) is
     * never ours.
     */
    if ( ec == 0 && vmport_enabled(current->domain) )
    {
        HVMTRACE_3D(VMPORT_IO, regs->edx & 0xffff, regs->ecx,
                    TRC_HVM_VMPORT_VIA_GP);
        done = vmport_emulate(regs);
    }

    HVMTRACE_2D(VMPORT_GP, ec, done);

    if ( !done )
        hvm_inject_hw_exception(TRAP_gp_fault, ec);
}

/*
 * The 'q' debug key: what the domain's backdoor holds in Xen's memory
 * against its budget, and the limits the budget comes from, so that
 * `xl debug-keys q; xl dmesg` shows what each vmport domain costs.  The
 * counts are read without the device model's lock: a dump may be a
 * moment old, and must not wait for a guest.
 */
void hvm_vmport_dump_domain_info(const struct domain *d)
{
    struct vmport_limits l;

    if ( vmport_get_limits(d, &l) )
        return;

    printk("    vmport: hwver %u, memory %zu of %zu bytes in use\n",
           vmport_hwver(d), vmport_mem_used(d), vmport_mem_budget(d));
    printk("    vmport limits: %u channels, guestinfo %u keys of %u+%u bytes, %u bytes in all, TCLO queue %u\n",
           l.max_channels, l.gi_max_keys, l.gi_key_max, l.gi_value_max,
           l.gi_total_max, l.tclo_queue_max);
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
