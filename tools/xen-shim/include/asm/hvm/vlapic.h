/* Shim of Xen's <asm/hvm/vlapic.h>: the virtual APIC bus period. */
#ifndef __SHIM_ASM_HVM_VLAPIC_H__
#define __SHIM_ASM_HVM_VLAPIC_H__
#define APIC_BUS_CYCLE_NS               10
#endif
