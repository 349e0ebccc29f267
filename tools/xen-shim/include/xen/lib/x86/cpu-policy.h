/* Shim of Xen's <xen/lib/x86/cpu-policy.h>: struct cpuid_leaf only. */
#ifndef __SHIM_XEN_LIB_X86_CPU_POLICY_H__
#define __SHIM_XEN_LIB_X86_CPU_POLICY_H__
#include <xen/types.h>
struct cpuid_leaf
{
    uint32_t a, b, c, d;
};
#endif
