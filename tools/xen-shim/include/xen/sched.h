/*
 * Shim of Xen's <xen/sched.h>: struct domain and struct vcpu with exactly
 * the members the device model uses, under their Xen 4.17 names, plus
 * shim-private members (prefixed shim_) that stand in for state real Xen
 * keeps elsewhere (segment registers, guest memory).
 */
#ifndef __SHIM_XEN_SCHED_H__
#define __SHIM_XEN_SCHED_H__

#include <xen/types.h>
#include <xen/spinlock.h>
#include <asm/regs.h>
#include <asm/x86_emulate.h>
#include <public/hvm/params.h>

struct vmport_domain;
struct shim_domain;

struct hvm_domain {
    /* Added by the patch series: NULL until vmport_enable(). */
    struct vmport_domain *vmport;
    /* Added by the patch series: port handler and #GP intercept armed. */
    bool vmport_armed;
    uint64_t params[HVM_NR_PARAMS];
    /* What is_viridian_domain() and nestedhvm_enabled() report. */
    bool shim_viridian;
    bool shim_nested;
};

struct arch_domain {
    struct hvm_domain hvm;
    uint32_t tsc_khz;               /* the domain's (virtual) TSC kHz */
};

struct domain {
    domid_t domain_id;
    xen_domain_handle_t handle;     /* the toolstack's UUID */
    unsigned int max_vcpus;
    struct vcpu **vcpu;
    unsigned int tot_pages;
    bool creation_finished;         /* set by the first unpause */
    struct {
        int64_t seconds;            /* RTC offset from the host clock */
        bool set;
    } time_offset;
    struct arch_domain arch;

    struct shim_domain *shim;       /* guest memory, list linkage */
};

struct arch_vcpu {
    struct cpu_user_regs user_regs;
};

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    struct arch_vcpu arch;

    /* What hvm_get_segment_register() reads: flat ring 0 by default. */
    struct segment_register shim_seg[x86_seg_none];

    /* A page fault hvm_inject_page_fault() injected, not yet collected. */
    bool shim_pf_pending;
    uint32_t shim_pf_ec;
    unsigned long shim_pf_cr2;

    /* How often hvm_cpuid_policy_changed() re-derived its intercepts. */
    unsigned int shim_policy_changed;
};

#define for_each_vcpu(_d, _v)                                   \
    for ( unsigned int _i_ = 0;                                 \
          _i_ < (_d)->max_vcpus && ((_v) = (_d)->vcpu[_i_], 1); \
          _i_++ )

/* Every shim domain is an HVM one. */
#define is_hvm_domain(d) ((void)(d), true)

/* The shim runs no vCPUs, so there is nothing to pause. */
static inline void domain_pause(struct domain *d)
{
    (void)d;
}

static inline void domain_unpause(struct domain *d)
{
    (void)d;
}

static inline unsigned int domain_tot_pages(const struct domain *d)
{
    return d->tot_pages;
}

#include <asm/current.h>

#endif /* __SHIM_XEN_SCHED_H__ */
