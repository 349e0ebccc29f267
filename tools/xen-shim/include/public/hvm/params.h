/*
 * Shim of Xen's <public/hvm/params.h>: the parameter the patch series adds
 * and the count it raises, all the glue (xen/arch/x86/hvm/vmport.c) uses.
 */
#ifndef __SHIM_PUBLIC_HVM_PARAMS_H__
#define __SHIM_PUBLIC_HVM_PARAMS_H__

#define HVM_PARAM_VMPORT_HWVER 39

#define HVM_NR_PARAMS 40

#endif /* __SHIM_PUBLIC_HVM_PARAMS_H__ */
