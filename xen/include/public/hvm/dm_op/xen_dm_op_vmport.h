/*
 * XEN_DMOP_vmport: the toolstack's side of the VMware backdoor of a domain
 * with HVM_PARAM_VMPORT_HWVER set: the guestinfo variables the guest reads
 * and writes with "info-get"/"info-set", and the TCLO power triggers
 * (OS_Halt, OS_Reboot) the guest's tools carry out.
 *
 * buf[1]: the guestinfo key, key_len bytes, whole ("guestinfo.NAME";
 *         the prefix is matched without regard to case, as the guest's
 *         calls are) and without a terminating NUL (IN; OUT for _GI_KEY).
 * buf[2]: the value, val_len bytes (IN for _GI_SET; OUT for _GI_GET).
 *
 * _GI_GET and _GI_KEY always report the full length in val_len / key_len
 * and copy the value / key only if it fits in the buffer the caller gave,
 * so a caller can size its buffer and retry.  -ENOENT means no such key
 * (or a key number past the last); -ENODEV means vmport is not enabled.
 * Keys are at most 1024 bytes and values at most 65536 bytes; the domain's
 * guestinfo limits apply on top.
 *
 * The domain's limits bound every allocation the guest can make Xen do
 * for it, and give the byte budget the device model is charged against:
 * _GET_LIMITS copies them to buf[1], _SET_LIMITS takes new ones from it,
 * and _GET_USAGE copies the bytes in use and the budget to buf[1].
 * _SET_LIMITS is for the toolstack, right after HVM_PARAM_VMPORT_HWVER:
 * -EBUSY once the guest has run (or the device model holds guestinfo,
 * channels or TCLO commands), -EINVAL for a limit out of its range.  A
 * restored or migrated domain takes its limits from the VMPORT record.
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

/* trigger_state: idle, queued, delivered, replied, succeeded, failed,
 * timed out (0-6), as asm/hvm/vmport.h's enum vmport_trigger_state. */
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
typedef struct xen_dm_op_vmport xen_dm_op_vmport_t;

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
typedef struct xen_dm_op_vmport_limits xen_dm_op_vmport_limits_t;

/* buf[1] of _GET_USAGE: Xen memory the domain's vmport holds. */
struct xen_dm_op_vmport_usage {
    uint64_aligned_t mem_used;   /* bytes allocated now */
    uint64_aligned_t mem_budget; /* bytes it may hold: from the limits */
};
typedef struct xen_dm_op_vmport_usage xen_dm_op_vmport_usage_t;
