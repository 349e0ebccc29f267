/* Shim of Xen's <asm/cpuid.h>: struct cpuid_leaf, all the glue uses. */
#ifndef __SHIM_ASM_CPUID_H__
#define __SHIM_ASM_CPUID_H__
#include <xen/lib/x86/cpu-policy.h>
#endif
