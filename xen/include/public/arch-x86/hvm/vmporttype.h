/* SPDX-License-Identifier: MIT */
/*
 * vmporttype.h: the HVM_SAVE_CODE(VMPORT) record, the per-domain state of
 * the VMware backdoor device model, as carried by xl save / restore /
 * migrate inside the HVM context blob.
 *
 * The layout, ordering and version rules are described here; the
 * hypervisor checks every bound in HVM_VMPORT_BOUNDS() before loading.
 *
 * Wire rules: little-endian fixed-width fields; every struct is a multiple
 * of 8 bytes with explicit, zero padding; no pointers; identical on 32- and
 * 64-bit builds.  The record is one per-domain entry, instance 0:
 *
 *   struct hvm_save_descriptor     typecode HVM_SAVE_CODE_VMPORT
 *   struct hvm_vmport_header       24 bytes, CRC32 of the body
 *   body: sections, each
 *     struct hvm_vmport_section    8 bytes: type, flags, length
 *     section payload              length bytes, a multiple of 8
 *
 * ANSI C, usable from the hypervisor (__XEN__), the tools (__XEN_TOOLS__)
 * and C++; the layout's size checks live with the code that walks it.
 */

#ifndef __XEN_PUBLIC_HVM_VMPORTTYPE_X86_H__
#define __XEN_PUBLIC_HVM_VMPORTTYPE_X86_H__

/*
 * Typecode: 64, the first code of a downstream "vendor range" above every
 * upstream and reserved number (21 is claimed by three posted series,
 * 22-34 are Amazon's).  hvm_sr_handlers[] is sized HVM_SAVE_CODE_MAX + 1,
 * so a hypervisor carrying this record raises HVM_SAVE_CODE_MAX to 64
 * (43 unused slots, under 2 KiB).
 */
#define HVM_SAVE_CODE_VMPORT            64

#define HVM_VMPORT_MAGIC                0x52504d56U /* "VMPR" */
#define HVM_VMPORT_VERSION_1            1
#define HVM_VMPORT_VERSION_2            2
#define HVM_VMPORT_VERSION_CURRENT      HVM_VMPORT_VERSION_2

/* Fixed header.  body_crc is zlib's crc32() of the body_len body bytes. */
struct hvm_vmport_header {
    uint32_t magic;             /* HVM_VMPORT_MAGIC */
    uint16_t version;           /* HVM_VMPORT_VERSION_* */
    uint16_t hdr_len;           /* sizeof(struct hvm_vmport_header) */
    uint32_t flags;             /* HVM_VMPORT_F_*, other bits zero */
    uint32_t body_len;          /* bytes after the header, multiple of 8 */
    uint32_t body_crc;          /* CRC32 of those bytes */
    uint32_t pad;               /* zero */
};

/* Written with the checkpoint policy: some in-flight transfers dropped. */
#define HVM_VMPORT_F_CHECKPOINT         (1U << 0)
#define HVM_VMPORT_F_ALL                HVM_VMPORT_F_CHECKPOINT

/*
 * Section header.  A reader skips a section whose type it does not know
 * unless HVM_VMPORT_SF_MUST is set, in which case it rejects the record.
 * Sections appear in non-decreasing type order.
 */
struct hvm_vmport_section {
    uint16_t type;              /* HVM_VMPORT_SECT_* */
    uint16_t flags;             /* HVM_VMPORT_SF_*, other bits zero */
    uint32_t length;            /* payload bytes, multiple of 8 */
};

#define HVM_VMPORT_SF_MUST              (1U << 0)
#define HVM_VMPORT_SF_ALL               HVM_VMPORT_SF_MUST

#define HVM_VMPORT_SECT_CONFIG          1   /* must, exactly once, first */
#define HVM_VMPORT_SECT_TIME            2   /* optional, v2, at most once */
#define HVM_VMPORT_SECT_CHANNEL         3   /* must, one per open channel */
#define HVM_VMPORT_SECT_GUESTINFO       4   /* must, at most once */
#define HVM_VMPORT_SECT_TCLO_APP        5   /* must, one per application */
#define HVM_VMPORT_SECT_TRIGGER         6   /* must, v2, at most once */

/* CONFIG: hardware version, HB port, and the domain's limits. */
struct hvm_vmport_config {
    uint32_t hwver;
    uint32_t flags;             /* HVM_VMPORT_CFG_* */
    uint32_t max_channels;
    uint32_t gi_key_max;
    uint32_t gi_value_max;
    uint32_t gi_max_keys;
    uint32_t gi_total_max;
    uint32_t tclo_queue_max;
    uint32_t idle_timeout_ms;
    uint32_t trigger_timeout_ms;
};

#define HVM_VMPORT_CFG_HB               (1U << 0)
#define HVM_VMPORT_CFG_ALL              HVM_VMPORT_CFG_HB

/* TIME: GETTIME continuity.  The destination never reports less. */
struct hvm_vmport_time {
    uint32_t tsc_khz;           /* the domain's TSC frequency when saved */
    uint32_t pad;
    uint64_t last_time_us;      /* largest GETTIME value the guest saw */
};

/*
 * CHANNEL: one open channel.  The payload is this struct, then send_pos
 * bytes of the message being sent (zero-padded to 8), then recv_size bytes
 * of the message for the guest (zero-padded to 8).  Times are ages
 * relative to the save, so they survive a move to another host's clock.
 */
struct hvm_vmport_channel {
    uint16_t id;
    uint8_t proto;              /* HVM_VMPORT_PROTO_* */
    uint8_t flags;              /* HVM_VMPORT_CH_* */
    uint8_t send_state;         /* HVM_VMPORT_SEND_* */
    uint8_t recv_state;         /* HVM_VMPORT_RECV_* */
    uint8_t app;                /* TCLO application index, or NO_APP */
    uint8_t pad;
    uint64_t cookie;
    uint64_t idle_ns;           /* time since the last call on it */
    uint32_t send_size;         /* declared by SENDSIZE */
    uint32_t send_pos;          /* bytes received so far */
    uint32_t recv_size;         /* message for the guest */
    uint32_t recv_pos;          /* bytes the guest fetched so far */
};

#define HVM_VMPORT_PROTO_RPCI           0
#define HVM_VMPORT_PROTO_TCLO           1

#define HVM_VMPORT_CH_COOKIE            (1U << 0) /* opened with cookies */
#define HVM_VMPORT_CH_CHECKPOINTED      (1U << 1) /* next payload: CPT */
#define HVM_VMPORT_CH_RECV_TCLO_CMD     (1U << 2) /* recv is a TCLO cmd */
#define HVM_VMPORT_CH_ALL               0x07U

#define HVM_VMPORT_SEND_NONE            0
#define HVM_VMPORT_SEND_PAYLOAD         1

#define HVM_VMPORT_RECV_NONE            0
#define HVM_VMPORT_RECV_READY           1
#define HVM_VMPORT_RECV_SIZED           2
#define HVM_VMPORT_RECV_FETCHED         3

#define HVM_VMPORT_NO_APP               0xff
#define HVM_VMPORT_NO_CHANNEL           0xff

/*
 * GUESTINFO: count entries in strictly increasing key order (bytes,
 * keys lower-case), each an entry header, klen key bytes and vlen value
 * bytes, zero-padded to 8.  bytes is the sum of every klen + vlen.
 */
struct hvm_vmport_guestinfo {
    uint32_t count;
    uint32_t bytes;
};

struct hvm_vmport_gi_entry {
    uint32_t klen;
    uint32_t vlen;
};

/*
 * TCLO_APP: one application slot and its queue of host->guest commands,
 * oldest first: count times a command header and len bytes, zero-padded
 * to 8.  name is NUL-terminated with every later byte zero.
 */
#define HVM_VMPORT_APP_NAME_LEN         32

struct hvm_vmport_tclo_app {
    uint8_t index;
    uint8_t channel;            /* bound channel, or NO_CHANNEL */
    uint8_t count;              /* queued commands that follow */
    uint8_t pad[5];
    uint64_t ping_age_ns;       /* time since the last TCLO ping */
    char name[HVM_VMPORT_APP_NAME_LEN];
};

struct hvm_vmport_tclo_cmd {
    uint32_t len;
    uint8_t kind;               /* HVM_VMPORT_CMD_* */
    uint8_t pad[3];
};

#define HVM_VMPORT_CMD_OTHER            0
#define HVM_VMPORT_CMD_RESET            1
#define HVM_VMPORT_CMD_PING             2
#define HVM_VMPORT_CMD_POWER            3

/* TRIGGER: the outstanding power operation and its progress. */
struct hvm_vmport_trigger {
    uint8_t op;                 /* 1 halt, 2 reboot */
    uint8_t state;              /* 1 queued .. 6 timed out */
    uint16_t pad;
    uint32_t guest_status;
    uint64_t age_ns;            /* time since it was queued */
};

#define HVM_VMPORT_TRIGGER_OP_MAX       2
#define HVM_VMPORT_TRIGGER_STATE_MAX    6

/* The hardware versions a domain may have (HVM_PARAM_VMPORT_HWVER). */
#define HVM_VMPORT_HWVER_MIN            1
#define HVM_VMPORT_HWVER_MAX            255

/* Absolute caps, whatever the limits say. */
#define HVM_VMPORT_CHANNELS_MAX         128
#define HVM_VMPORT_APPS_MAX             4
#define HVM_VMPORT_SEND_MAX             65536       /* guest->host message */
#define HVM_VMPORT_RECV_MAX             (1U << 20)  /* host->guest message */
#define HVM_VMPORT_GI_KEY_MAX           1024
#define HVM_VMPORT_GI_VALUE_MAX         65536
#define HVM_VMPORT_GI_KEYS_MAX          4096
#define HVM_VMPORT_GI_TOTAL_MAX         (16U << 20)
#define HVM_VMPORT_QUEUE_MAX            64
#define HVM_VMPORT_QUEUE_MIN            2   /* "reset" and a power command */
#define HVM_VMPORT_TIMEOUT_MIN_MS       1000
#define HVM_VMPORT_TIMEOUT_MAX_MS       (24U * 3600 * 1000)
#define HVM_VMPORT_CMD_MAX              4096        /* one TCLO command */

/*
 * The bounds table: every count, length and index field of the record
 * declares its bound once, here.  The hypervisor loader, the tools'
 * verifier and the fuzzers expand it; nothing else states a bound.
 *
 *   X(id, field name, minimum, absolute maximum, reference)
 *
 * A value must lie in [minimum, absolute maximum] and, unless the
 * reference is NONE, also be <= the referenced value (a limit of the
 * domain, or an earlier field of the same struct).
 */
#define HVM_VMPORT_BOUNDS(X)                                                 \
    X(CFG_HWVER,          "config.hwver",          HVM_VMPORT_HWVER_MIN,     \
      HVM_VMPORT_HWVER_MAX, NONE)                                            \
    X(CFG_MAX_CHANNELS,   "config.max_channels",   1,                        \
      HVM_VMPORT_CHANNELS_MAX, NONE)                                         \
    X(CFG_GI_KEY_MAX,     "config.gi_key_max",     1,                        \
      HVM_VMPORT_GI_KEY_MAX, NONE)                                           \
    X(CFG_GI_VALUE_MAX,   "config.gi_value_max",   0,                        \
      HVM_VMPORT_GI_VALUE_MAX, NONE)                                         \
    X(CFG_GI_MAX_KEYS,    "config.gi_max_keys",    0,                        \
      HVM_VMPORT_GI_KEYS_MAX, NONE)                                          \
    X(CFG_GI_TOTAL_MAX,   "config.gi_total_max",   0,                        \
      HVM_VMPORT_GI_TOTAL_MAX, NONE)                                         \
    X(CFG_TCLO_QUEUE_MAX, "config.tclo_queue_max", HVM_VMPORT_QUEUE_MIN,     \
      HVM_VMPORT_QUEUE_MAX, NONE)                                            \
    X(CHAN_ID,            "channel.id",            0,                        \
      HVM_VMPORT_CHANNELS_MAX - 1, CHAN_LAST)                                \
    X(CHAN_PROTO,         "channel.proto",         0, 1, NONE)               \
    X(CHAN_SEND_STATE,    "channel.send_state",    0, 1, NONE)               \
    X(CHAN_RECV_STATE,    "channel.recv_state",    0, 3, NONE)               \
    X(CHAN_APP,           "channel.app",           0,                        \
      HVM_VMPORT_APPS_MAX - 1, NONE)                                         \
    X(CHAN_SEND_SIZE,     "channel.send_size",     0,                        \
      HVM_VMPORT_SEND_MAX, NONE)                                             \
    X(CHAN_SEND_POS,      "channel.send_pos",      0,                        \
      HVM_VMPORT_SEND_MAX, SEND_SIZE)                                        \
    X(CHAN_RECV_SIZE,     "channel.recv_size",     0,                        \
      HVM_VMPORT_RECV_MAX, NONE)                                             \
    X(CHAN_RECV_POS,      "channel.recv_pos",      0,                        \
      HVM_VMPORT_RECV_MAX, RECV_SIZE)                                        \
    X(GI_COUNT,           "guestinfo.count",       1,                        \
      HVM_VMPORT_GI_KEYS_MAX, GI_MAX_KEYS)                                   \
    X(GI_BYTES,           "guestinfo.bytes",       1,                        \
      HVM_VMPORT_GI_TOTAL_MAX, GI_TOTAL_MAX)                                 \
    X(GI_KLEN,            "guestinfo.klen",        1,                        \
      HVM_VMPORT_GI_KEY_MAX, GI_KEY_MAX)                                     \
    X(GI_VLEN,            "guestinfo.vlen",        0,                        \
      HVM_VMPORT_GI_VALUE_MAX, GI_VALUE_MAX)                                 \
    X(APP_INDEX,          "tclo_app.index",        0,                        \
      HVM_VMPORT_APPS_MAX - 1, NONE)                                         \
    X(APP_CHANNEL,        "tclo_app.channel",      0,                        \
      HVM_VMPORT_CHANNELS_MAX - 1, CHAN_LAST)                                \
    X(APP_COUNT,          "tclo_app.count",        0,                        \
      HVM_VMPORT_QUEUE_MAX, QUEUE_MAX)                                       \
    X(CMD_LEN,            "tclo_cmd.len",          1,                        \
      HVM_VMPORT_CMD_MAX, NONE)                                              \
    X(CMD_KIND,           "tclo_cmd.kind",         0, 3, NONE)               \
    X(TRIG_OP,            "trigger.op",            1,                        \
      HVM_VMPORT_TRIGGER_OP_MAX, NONE)                                       \
    X(TRIG_STATE,         "trigger.state",         1,                        \
      HVM_VMPORT_TRIGGER_STATE_MAX, NONE)

/* The references a bound can name, filled in by the reader. */
enum hvm_vmport_ref {
    HVM_VMPORT_REF_NONE,
    HVM_VMPORT_REF_CHAN_LAST,       /* max_channels - 1 */
    HVM_VMPORT_REF_GI_MAX_KEYS,
    HVM_VMPORT_REF_GI_TOTAL_MAX,
    HVM_VMPORT_REF_GI_KEY_MAX,
    HVM_VMPORT_REF_GI_VALUE_MAX,
    HVM_VMPORT_REF_QUEUE_MAX,
    HVM_VMPORT_REF_SEND_SIZE,       /* this channel's send_size */
    HVM_VMPORT_REF_RECV_SIZE,       /* this channel's recv_size */
    HVM_VMPORT_REF_NR
};

#define HVM_VMPORT_BOUND_ID(id, name, lo, hi, ref) HVM_VMPORT_B_##id,
enum hvm_vmport_bound_id {
    HVM_VMPORT_BOUNDS(HVM_VMPORT_BOUND_ID)
    HVM_VMPORT_B_NR
};
#undef HVM_VMPORT_BOUND_ID

#if defined(__XEN__) || defined(__XEN_TOOLS__)

/* Expand the table: static const struct hvm_vmport_bound t[] = {
 * HVM_VMPORT_BOUNDS(HVM_VMPORT_BOUND_ENTRY) }; */
#define HVM_VMPORT_BOUND_ENTRY(id, nm, l, h, r)                              \
    [HVM_VMPORT_B_##id] = { .name = nm, .lo = l, .hi = h,                    \
                            .ref = HVM_VMPORT_REF_##r },

struct hvm_vmport_bound {
    const char *name;
    uint32_t lo;
    uint32_t hi;
    uint32_t ref;               /* enum hvm_vmport_ref */
};

#endif /* __XEN__ || __XEN_TOOLS__ */

/*
 * The whole record is one entry; its registered length is the header's.
 * DECLARE_HVM_SAVE_TYPE comes from public/hvm/save.h (<xen/hvm/save.h> in
 * the tools); a reader of the bare layout may include this file alone.
 */
#ifdef DECLARE_HVM_SAVE_TYPE
DECLARE_HVM_SAVE_TYPE(VMPORT, HVM_SAVE_CODE_VMPORT, struct hvm_vmport_header);
#endif


#endif /* __XEN_PUBLIC_HVM_VMPORTTYPE_X86_H__ */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
