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
 * The ABI of XEN_DMOP_vmport, exactly as patch 7 of xen/patches/4.17 adds
 * it to public/hvm/dm_op.h (tests/patches/check-series compares the two).
 * No Xen header is needed: the reply parsers (limits.c) use it too.
 */
#define XEN_DMOP_vmport 21

#define XEN_DMOP_VMPORT_GI_GET          0 /* value of key */
#define XEN_DMOP_VMPORT_GI_SET          1 /* set key to value */
#define XEN_DMOP_VMPORT_GI_UNSET        2 /* remove key */
#define XEN_DMOP_VMPORT_GI_KEY          3 /* key number idx, in key order */
#define XEN_DMOP_VMPORT_TRIGGER         4 /* queue power trigger idx */
#define XEN_DMOP_VMPORT_TRIGGER_STATUS  5 /* outcome of the last trigger */
#define XEN_DMOP_VMPORT_GET_LIMITS      6 /* the limits, to buf[1] */
#define XEN_DMOP_VMPORT_SET_LIMITS      7 /* new limits, from buf[1] */
#define XEN_DMOP_VMPORT_GET_USAGE       8 /* memory use, to buf[1] */

#define XEN_DMOP_VMPORT_TRIGGER_HALT    1 /* TCLO OS_Halt */
#define XEN_DMOP_VMPORT_TRIGGER_REBOOT  2 /* TCLO OS_Reboot */

struct xen_dm_op_vmport {
    uint32_t cmd;            /* IN: XEN_DMOP_VMPORT_* */
    uint32_t idx;            /* IN: _GI_KEY key number; _TRIGGER op */
    uint32_t key_len;        /* IN: bytes in buf[1]; OUT: key length */
    uint32_t val_len;        /* IN: bytes in buf[2]; OUT: value length */
    uint8_t trigger_op;      /* OUT (_TRIGGER_STATUS) */
    uint8_t trigger_state;   /* OUT (_TRIGGER_STATUS) */
    uint16_t pad;            /* IN: must be 0 */
    uint32_t guest_status;   /* OUT (_TRIGGER_STATUS) */
    uint64_aligned_t elapsed_ns; /* OUT (_TRIGGER_STATUS): since queued */
};

/* buf[1] of _GET_LIMITS and _SET_LIMITS (ranges as _SET_LIMITS checks). */
struct xen_dm_op_vmport_limits {
    uint32_t max_channels;       /* GuestRPC channels, 1-128 */
    uint32_t gi_key_max;         /* guestinfo key bytes, 1-1024 */
    uint32_t gi_value_max;       /* guestinfo value bytes, 0-65536 */
    uint32_t gi_max_keys;        /* guestinfo keys, 0-4096 */
    uint32_t gi_total_max;       /* guestinfo bytes in all, 0-16 MiB */
    uint32_t tclo_queue_max;     /* TCLO commands queued per app, 2-64 */
    uint32_t idle_timeout_ms;    /* idle channel reclaim, 1 s-24 h */
    uint32_t trigger_timeout_ms; /* power trigger outcome, 1 s-24 h */
};

/* buf[1] of _GET_USAGE: Xen memory the domain's vmport holds. */
struct xen_dm_op_vmport_usage {
    uint64_aligned_t mem_used;   /* bytes allocated now */
    uint64_aligned_t mem_budget; /* bytes it may hold: from the limits */
};
/* End of the ABI copy. */

#endif /* VMPORT_STATE_DMOP_ABI_H */
