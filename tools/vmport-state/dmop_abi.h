/*
 * dmop_abi.h: XEN_DMOP_vmport as the hypervisor series defines it, for
 * live_dmop.c (the calls) and limits.c (reading the limits and usage
 * replies).
 */
#ifndef VMPORT_STATE_DMOP_ABI_H
#define VMPORT_STATE_DMOP_ABI_H

#include <stdint.h>

#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t __attribute__((__aligned__(8)))
#endif

/*
 * The ABI of XEN_DMOP_vmport: the very lines patch 7 of xen/patches/4.17
 * adds to public/hvm/dm_op.h, from their fragment (reached through
 * -Ixen/include; xen/arch/x86/hvm/dm/README.md).  No other Xen header is
 * needed: the reply parsers (limits.c) use it too.
 */
#include <public/hvm/dm_op/xen_dm_op_vmport.h>

#endif /* VMPORT_STATE_DMOP_ABI_H */
