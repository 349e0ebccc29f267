/* Shim of Xen's <public/trace.h>: the classes the device model uses. */
#ifndef __SHIM_PUBLIC_TRACE_H__
#define __SHIM_PUBLIC_TRACE_H__

#define TRC_HVM             0x00080000
#define TRC_HVM_ENTRYEXIT   0x00081000
#define TRC_HVM_HANDLER     0x00082000
#define TRC_HVM_EMUL        0x00084000

/* The backdoor's events, as the patch series adds them to public/trace.h. */
#define TRC_HVM_VMPORT_GP       (TRC_HVM_HANDLER + 0x28)
#define TRC_HVM_VMPORT_IO       (TRC_HVM_HANDLER + 0x29)
#define TRC_HVM_VMPORT_LB       (TRC_HVM_HANDLER + 0x30)
#define TRC_HVM_VMPORT_HB       (TRC_HVM_HANDLER + 0x31)
#define TRC_HVM_VMPORT_EMPTY    (TRC_HVM_HANDLER + 0x32)
#define TRC_HVM_VMPORT_RPC      (TRC_HVM_HANDLER + 0x38)

#endif /* __SHIM_PUBLIC_TRACE_H__ */
