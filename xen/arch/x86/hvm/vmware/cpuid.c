/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpuid.c: the VMware hypervisor CPUID leaves.
 *
 * With vmport enabled and a hardware version of at least 7, the VMware
 * leaves own 0x40000000-0x400000ff (guest_cpuid() then moves Xen's own
 * leaves to 0x40000100, as with Viridian):
 *   0x40000000  EAX = 0x40000010, EBX:ECX:EDX = "VMwareVMware"
 *   0x40000010  EAX = TSC kHz, EBX = APIC bus kHz (the domain's virtual
 *               ones, not the host's), ECX = 0, EDX = 0
 * ECX of 0x40000010 must stay 0: bits 0/1 would tell the guest to use
 * VMMCALL/VMCALL for the backdoor, which are Xen's hypercall instructions.
 * Every other leaf in the range reads as zeros.
 */

#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
/* After xen/sched.h: cpu-policy.h relies on MAX() from xen/kernel.h. */
#include <xen/lib/x86/cpu-policy.h>

#include <asm/hvm/vlapic.h>

#include "private.h"

#define VMPORT_CPUID_BASE       0x40000000U
#define VMPORT_CPUID_TIMING     0x40000010U
#define VMPORT_CPUID_MAX        VMPORT_CPUID_TIMING

/* "VMwareVMware" as three little-endian registers. */
#define VMPORT_SIG_EBX          0x61774d56U     /* "VMwa" */
#define VMPORT_SIG_ECX          0x4d566572U     /* "reVM" */
#define VMPORT_SIG_EDX          0x65726177U     /* "ware" */

#define VMPORT_APIC_BUS_KHZ     (1000000U / APIC_BUS_CYCLE_NS)

bool vmport_cpuid_enabled(const struct domain *d)
{
    const struct vmport_domain *vd = vmport_dom(d);

    return vd && vd->hwver >= VMPORT_HWVER_CPUID;
}

void cpuid_vmport_leaves(const struct vcpu *v, uint32_t leaf,
                         uint32_t subleaf, struct cpuid_leaf *res)
{
    const struct domain *d = v->domain;

    ASSERT(vmport_cpuid_enabled(d));
    ASSERT(leaf >= VMPORT_CPUID_BASE && leaf < VMPORT_CPUID_BASE + 0x100);

    memset(res, 0, sizeof(*res));

    switch ( leaf )
    {
    case VMPORT_CPUID_BASE:
        res->a = VMPORT_CPUID_MAX;
        res->b = VMPORT_SIG_EBX;
        res->c = VMPORT_SIG_ECX;
        res->d = VMPORT_SIG_EDX;
        break;

    case VMPORT_CPUID_TIMING:
        res->a = d->arch.tsc_khz;
        res->b = VMPORT_APIC_BUS_KHZ;
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
