/*
 * Shim of Xen's <asm/hvm/trace.h>: HVMTRACE_ND() records into the shim's
 * trace buffer (shim_trace_*() in shim.h), as TRACE_ND() does, and the
 * backdoor's access paths as the patch series adds them.
 */
#ifndef __SHIM_ASM_HVM_TRACE_H__
#define __SHIM_ASM_HVM_TRACE_H__

#include <xen/trace.h>

/* TRC_HVM_VMPORT_IO: how the backdoor access reached the device model. */
#define TRC_HVM_VMPORT_VIA_PORTIO   0 /* IN/OUT the CPU allowed */
#define TRC_HVM_VMPORT_VIA_STRING   1 /* INS/OUTS, emulated whole */
#define TRC_HVM_VMPORT_VIA_GP       2 /* CPL > IOPL, through #GP */

#define HVMTRACE_2D(evt, d1, d2)        TRACE_2D(TRC_HVM_ ## evt, d1, d2)
#define HVMTRACE_3D(evt, d1, d2, d3)    TRACE_3D(TRC_HVM_ ## evt, d1, d2, d3)

#endif /* __SHIM_ASM_HVM_TRACE_H__ */
