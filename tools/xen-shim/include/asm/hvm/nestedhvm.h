/* Shim of Xen's <asm/hvm/nestedhvm.h>: whether nested HVM is on. */
#ifndef __SHIM_ASM_HVM_NESTEDHVM_H__
#define __SHIM_ASM_HVM_NESTEDHVM_H__

#include <xen/sched.h>

static inline bool nestedhvm_enabled(const struct domain *d)
{
    return d->arch.hvm.shim_nested;
}

#endif /* __SHIM_ASM_HVM_NESTEDHVM_H__ */
