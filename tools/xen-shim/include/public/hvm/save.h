/*
 * Shim of Xen's <public/hvm/save.h>: the real 4.17 definitions from
 * Debian's libxen-dev (<xen/hvm/save.h>: hvm_save_descriptor,
 * DECLARE_HVM_SAVE_TYPE, HVM_SAVE_CODE/LENGTH and every x86 record), as
 * a patched hypervisor sees them: with the VMPORT record declared and
 * HVM_SAVE_CODE_MAX raised to its typecode.
 */
#ifndef __SHIM_PUBLIC_HVM_SAVE_H__
#define __SHIM_PUBLIC_HVM_SAVE_H__

#include <xen/lib.h>            /* BUG(), used by DECLARE_HVM_SAVE_TYPE */

/*
 * The records need only fixed-width types; keep Debian's public xen.h
 * (its struct cpu_user_regs would clash with the shim's) out.
 */
#ifndef __XEN_PUBLIC_XEN_H__
# define __XEN_PUBLIC_XEN_H__
# define SHIM_SKIPPED_PUBLIC_XEN_H
# ifndef XEN_FLEX_ARRAY_DIM
#  define XEN_FLEX_ARRAY_DIM
# endif
#endif
#include <xen/hvm/save.h>       /* not shimmed: Debian's public header */
#ifdef SHIM_SKIPPED_PUBLIC_XEN_H
# undef __XEN_PUBLIC_XEN_H__
# undef SHIM_SKIPPED_PUBLIC_XEN_H
#endif
#include <public/arch-x86/hvm/vmporttype.h>

#undef HVM_SAVE_CODE_MAX
#define HVM_SAVE_CODE_MAX HVM_SAVE_CODE_VMPORT

#endif /* __SHIM_PUBLIC_HVM_SAVE_H__ */
