/*
 * Shim of Xen's <asm/hvm/hvm.h>: segment registers and address
 * translation.  Segments come from v->shim_seg (flat by default); the
 * linear-address check follows the architectural rules closely enough for
 * the device model (64-bit: canonical, FS/GS base; otherwise base+limit).
 */
#ifndef __SHIM_ASM_HVM_HVM_H__
#define __SHIM_ASM_HVM_HVM_H__

#include <xen/types.h>
#include <asm/x86_emulate.h>

struct vcpu;

enum hvm_access_type {
    hvm_access_insn_fetch,
    hvm_access_none,
    hvm_access_read,
    hvm_access_write
};

void hvm_get_segment_register(struct vcpu *v, enum x86_segment seg,
                              struct segment_register *reg);
void hvm_set_segment_register(struct vcpu *v, enum x86_segment seg,
                              struct segment_register *reg);
unsigned int hvm_get_cpl(const struct vcpu *v);

bool hvm_vcpu_virtual_to_linear(
    struct vcpu *v,
    enum x86_segment seg,
    const struct segment_register *reg,
    unsigned long offset,
    unsigned int bytes,
    enum hvm_access_type access_type,
    const struct segment_register *active_cs,
    unsigned long *linear_addr);

bool hvm_virtual_to_linear_addr(
    enum x86_segment seg,
    const struct segment_register *reg,
    unsigned long offset,
    unsigned int bytes,
    enum hvm_access_type access_type,
    const struct segment_register *active_cs,
    unsigned long *linear);

/* Viridian enlightenments on (HVM_PARAM_VIRIDIAN): a test sets it. */
#define is_viridian_domain(d) ((d)->arch.hvm.shim_viridian)

/*
 * Xen re-derives the vCPU's intercepts (the vmport #GP intercept among
 * them); the shim has none, and counts the calls for tests.
 */
#define hvm_cpuid_policy_changed(v) ((void)(v)->shim_policy_changed++)

/* Recorded on the vCPU for the test to collect: shim_vcpu_take_pf(). */
void hvm_inject_page_fault(int errcode, unsigned long cr2);

#endif /* __SHIM_ASM_HVM_HVM_H__ */
