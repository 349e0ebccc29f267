/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * private.h: state shared by the files of the vmport device model.
 *
 * Everything here is per domain and lives behind d->arch.hvm.vmport, under
 * vd->lock.  The save record (save.c) serialises exactly this state, so a
 * field added here needs a matching change in the record and its spec
 * (docs/vmport-record.md).
 */

#ifndef __X86_HVM_VMWARE_PRIVATE_H__
#define __X86_HVM_VMWARE_PRIVATE_H__

#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/time.h>
#include <xen/trace.h>
#include <xen/types.h>

#include <asm/hvm/vmport.h>

/* Backdoor commands (ECX[15:0]) answered by backdoor.c. */
#define BDOOR_CMD_GETMHZ                1
#define BDOOR_CMD_GETVERSION            10
#define BDOOR_CMD_GETHWVERSION          17
#define BDOOR_CMD_GETUUID               19
#define BDOOR_CMD_GETMEMSIZE            20
#define BDOOR_CMD_GETTIME               23
#define BDOOR_CMD_MESSAGE               30
#define BDOOR_CMD_GETHZ                 45
#define BDOOR_CMD_GETTIMEFULL           46
#define BDOOR_CMD_GETTIMEFULL_WITH_LAG  55
#define BDOOR_CMD_GET_VCPU_INFO         68

#define BDOOR_VERSION_MAGIC             6   /* GETVERSION EAX */
#define BDOOR_PRODUCT_ESX               2   /* GETVERSION ECX */

/* MESSAGE sub-commands (ECX[31:16]). */
#define MESSAGE_TYPE_OPEN               0
#define MESSAGE_TYPE_SENDSIZE           1
#define MESSAGE_TYPE_SENDPAYLOAD        2
#define MESSAGE_TYPE_RECVSIZE           3
#define MESSAGE_TYPE_RECVPAYLOAD        4
#define MESSAGE_TYPE_RECVSTATUS         5
#define MESSAGE_TYPE_CLOSE              6

/* Status bits, returned in ECX[31:16] (LB) or EBX[31:16] (HB). */
#define MESSAGE_STATUS_SUCCESS          0x0001
#define MESSAGE_STATUS_DORECV           0x0002
#define MESSAGE_STATUS_CLOSED           0x0004
#define MESSAGE_STATUS_UNSENT           0x0008
#define MESSAGE_STATUS_CPT              0x0010
#define MESSAGE_STATUS_POWEROFF         0x0020
#define MESSAGE_STATUS_TIMEOUT          0x0040
#define MESSAGE_STATUS_HB               0x0080
#define MESSAGE_STATUS_GUEST_MASK       MESSAGE_STATUS_SUCCESS

#define GUESTMSG_FLAG_COOKIE            0x80000000U
#define VMPORT_PROTO_RPCI               0x49435052U /* "RPCI" */
#define VMPORT_PROTO_TCLO               0x4f4c4354U /* "TCLO" */

/* HB commands (EBX[15:0] on port 0x5659). */
#define BDOORHB_CMD_MESSAGE             0
#define BDOORHB_CMD_VASSERT             1

/* HB transfers move through a bounce buffer this large, a chunk at a time. */
#define VMPORT_HB_CHUNK                 2048

/* One message in one direction: @size declared, @pos transferred so far. */
struct vmport_msg {
    uint8_t *data;              /* vmport_alloc()ed, @size bytes */
    uint32_t size;
    uint32_t pos;
};

enum vmport_recv_state {
    VMPORT_RECV_NONE,           /* nothing for the guest */
    VMPORT_RECV_READY,          /* a message waits; RECVSIZE not yet done */
    VMPORT_RECV_SIZED,          /* RECVSIZE done, payload being fetched */
    VMPORT_RECV_FETCHED,        /* every byte fetched; RECVSTATUS expected */
};

enum vmport_send_state {
    VMPORT_SEND_NONE,           /* no message being sent */
    VMPORT_SEND_PAYLOAD,        /* SENDSIZE done, payload arriving */
};

#define VMPORT_APP_NONE         0xff

struct vmport_channel {
    bool in_use;
    bool cookie_checked;        /* opened with GUESTMSG_FLAG_COOKIE */
    bool checkpointed;          /* answer the next payload call with CPT */
    uint8_t proto;              /* 0 RPCI, 1 TCLO */
    uint8_t app;                /* TCLO: index into vd->apps, or APP_NONE */
    uint8_t send_state;         /* enum vmport_send_state */
    uint8_t recv_state;         /* enum vmport_recv_state */
    bool recv_is_tclo_cmd;      /* recv holds a queued TCLO command */
    uint64_t cookie;
    s_time_t last_active;       /* NOW() of the last call on the channel */
    struct vmport_msg send;     /* guest -> host */
    struct vmport_msg recv;     /* host -> guest */
};

#define VMPORT_CHAN_RPCI        0
#define VMPORT_CHAN_TCLO        1

/* guestinfo: kept sorted by key (byte order, keys stored lower-cased). */
struct vmport_gi_entry {
    char *key;
    uint8_t *val;
    uint32_t klen;
    uint32_t vlen;
};

/* A host->guest TCLO command waiting in an application's queue. */
struct vmport_tclo_cmd {
    uint8_t *data;
    uint32_t len;
    uint8_t kind;               /* enum vmport_tclo_kind */
};

enum vmport_tclo_kind {
    VMPORT_TCLO_OTHER,
    VMPORT_TCLO_RESET,
    VMPORT_TCLO_PING,
    VMPORT_TCLO_POWER,          /* the outstanding trigger's command */
};

#define VMPORT_APP_NAME_MAX     31
#define VMPORT_MAX_APPS         4   /* toolbox, toolbox-dnd, and spares */

struct vmport_tclo_app {
    bool in_use;
    char name[VMPORT_APP_NAME_MAX + 1];
    uint8_t channel;            /* bound channel, or 0xff */
    uint8_t head;               /* ring of queue[limits.tclo_queue_max] */
    uint8_t count;
    struct vmport_tclo_cmd *queue;
    s_time_t last_ping;
};

struct vmport_trigger {
    uint8_t op;                 /* enum vmport_trigger_op */
    uint8_t state;              /* enum vmport_trigger_state */
    uint32_t guest_status;
    s_time_t queued_at;
};

struct vmport_domain {
    spinlock_t lock;
    unsigned int hwver;
    bool hb_enabled;
    struct vmport_limits limits;

    /* GETTIME never goes backwards, even after moving to a slower clock. */
    uint64_t last_time_us;

    struct vmport_channel *channels;    /* limits.max_channels entries */

    struct vmport_gi_entry *gi;         /* sorted, gi_count used */
    uint32_t gi_count;
    uint32_t gi_alloc;
    uint32_t gi_bytes;                  /* sum of klen + vlen */

    struct vmport_tclo_app apps[VMPORT_MAX_APPS];
    struct vmport_trigger trigger;

    /*
     * One bounce buffer per vCPU for HB transfers, so that guest memory is
     * copied without vd->lock held (hb.c); only that vCPU uses its own.
     */
    uint8_t **hb_bounce;                /* d->max_vcpus entries */
    unsigned int nr_bounce;

    size_t mem_used;                    /* bytes charged by vmport_alloc() */
    size_t mem_limit;                   /* vmport_mem_limit(&limits) */
};

static inline struct vmport_domain *vmport_dom(const struct domain *d)
{
    return d->arch.hvm.vmport;
}

/*
 * The budget @l gives @vd: vmport_mem_limit() and its vCPUs' bounce
 * buffers (domain.c).  Uncharged buffers: vmport_buf_alloc() (vmport.h).
 */
size_t vmport_budget_of(const struct vmport_domain *vd,
                        const struct vmport_limits *l);

/* Charged allocation: fails rather than exceed vd->mem_limit. */
void *vmport_alloc(struct vmport_domain *vd, size_t size);
/*
 * The same budget, contents left undefined: only for a buffer whose every
 * byte is written before anything reads it (a send buffer filled up to
 * @pos, a reply built by memcpy).  It saves a pass over large messages.
 */
void *vmport_alloc_uninit(struct vmport_domain *vd, size_t size);
void vmport_free(struct vmport_domain *vd, void *p, size_t size);

/* Register helpers: only the low 32 bits change, as on VMware. */
#define VMPORT_SET32(regs, r, val) ((regs)->e ## r = (uint32_t)(val))

/*
 * Trace events (numbers in public/trace.h, formats in tools/xentrace):
 *   VMPORT_LB     d1 = ECX in (command), d2 = EAX out, d3 = dir << 8 | bytes,
 *                 d4 = CPL
 *   VMPORT_HB     d1 = EBX in, d2 = EBX out, d3 = dir << 8 | rep,
 *                 d4 = ECX in (count)
 *   VMPORT_EMPTY  d1 = port, d2 = EAX in, d3 = dir << 8 | bytes
 *                 (wrong magic: the port behaved as an empty port)
 */

/* backdoor.c */
int vmport_lb_dispatch(struct vcpu *v, struct cpu_user_regs *regs,
                       int dir, unsigned int bytes, uint32_t *eax);

/* message.c: BDOOR_CMD_MESSAGE over the LB port. */
void vmport_message(struct vcpu *v, struct cpu_user_regs *regs);

/*
 * hb.c: one whole rep insb/outsb transfer on the HB port; takes vd->lock
 * itself.  False if the guest must execute the instruction again (a fault
 * was injected), with no register changed.
 */
bool vmport_hb(struct vcpu *v, struct cpu_user_regs *regs,
               const struct vmport_insn *insn);

/* channel.c */
struct vmport_channel *vmport_channel_lookup(struct vmport_domain *vd,
                                             unsigned int id, uint64_t cookie,
                                             bool check_cookie);
int vmport_channel_open(struct vmport_domain *vd, uint32_t proto, bool cookie,
                        unsigned int *id);
void vmport_channel_close(struct vmport_domain *vd, unsigned int id);
void vmport_channel_message_done(struct vmport_domain *vd, unsigned int id);
int vmport_channel_set_reply(struct vmport_domain *vd,
                             struct vmport_channel *c,
                             const void *data, uint32_t len);

/* channel.c: message buffers and transfer state (vd->lock held). */
int vmport_msg_alloc(struct vmport_domain *vd, struct vmport_msg *m,
                     uint32_t size);
void vmport_msg_free(struct vmport_domain *vd, struct vmport_msg *m);
void vmport_channel_send_reset(struct vmport_domain *vd,
                               struct vmport_channel *c);
void vmport_channel_recv_reset(struct vmport_domain *vd,
                               struct vmport_channel *c);
void vmport_channel_recv_done(struct vmport_domain *vd, unsigned int id,
                              bool ok);
void vmport_channel_rewind(struct vmport_domain *vd, struct vmport_channel *c);

/*
 * RPC trace: one event per GuestRPC step, d0 = step << 16 | channel (or
 * app / trigger op), d1 and d2 step-specific (see each caller).
 */

enum vmport_trc_rpc {
    VMPORT_TRC_OPEN,            /* d1 = EBX (proto | flags), d2 = ok */
    VMPORT_TRC_SENDSIZE,        /* d1 = size, d2 = ok */
    VMPORT_TRC_REQUEST,         /* whole message in: d1 = proto, d2 = len */
    VMPORT_TRC_RECVSIZE,        /* d1 = size, d2 = message waiting */
    VMPORT_TRC_RECV_DONE,       /* d1 = delivered, d2 = len */
    VMPORT_TRC_CLOSE,
    VMPORT_TRC_BAD,             /* refused: d1 = sub-command, d2 = open */
    VMPORT_TRC_CPT,             /* checkpoint status returned */
    VMPORT_TRC_HB,              /* d1 = bit 31 out | count, d2 = ok */
    VMPORT_TRC_RECLAIM,         /* idle channel taken back */
    VMPORT_TRC_TCLO_QUEUE,      /* d0 = app, d1 = kind, d2 = len */
    VMPORT_TRC_TCLO_FETCHED,    /* d1 = ok, d2 = len */
    VMPORT_TRC_TCLO_BIND,       /* d1 = app */
    VMPORT_TRC_TRIGGER,         /* d0 = op, d1 = state, d2 = guest status */
    VMPORT_TRC_SENDPAYLOAD,     /* d1 = bytes so far, d2 = size */
    VMPORT_TRC_RECVPAYLOAD,     /* d1 = bytes so far, d2 = size */
    VMPORT_TRC_RECVSTATUS,      /* d1 = guest status, d2 = fully fetched */
};

#define vmport_trace_rpc(step, chan, a, b)                              \
    TRACE_3D(TRC_HVM_VMPORT_RPC,                                        \
             ((uint32_t)(step) << 16) | ((uint32_t)(chan) & 0xffff),    \
             (uint32_t)(a), (uint32_t)(b))

/* rpci.c: a complete guest->host RPCI request; writes the reply. */
void vmport_rpci_request(struct vmport_domain *vd, struct vmport_channel *c,
                         const uint8_t *msg, uint32_t len);

/* guestinfo.c: locked by the caller. */
int vmport_gi_get(struct vmport_domain *vd, const char *key, uint32_t klen,
                  const struct vmport_gi_entry **e);
int vmport_gi_set(struct vmport_domain *vd, const char *key, uint32_t klen,
                  const uint8_t *val, uint32_t vlen);
int vmport_gi_unset(struct vmport_domain *vd, const char *key, uint32_t klen);
void vmport_gi_free_all(struct vmport_domain *vd);

/* tclo.c */
void vmport_tclo_opened(struct vmport_domain *vd, unsigned int id);
void vmport_tclo_closed(struct vmport_domain *vd, unsigned int id);
void vmport_tclo_reply(struct vmport_domain *vd, unsigned int id,
                       const uint8_t *msg, uint32_t len);
void vmport_tclo_poll(struct vmport_domain *vd, unsigned int id);
void vmport_tclo_fetched(struct vmport_domain *vd, unsigned int id, bool ok);
void vmport_tclo_statechange(struct vmport_domain *vd, uint32_t success,
                             uint32_t state);
void vmport_tclo_free_all(struct vmport_domain *vd);

/* time.c: the domain's wall clock, never behind vd->last_time_us. */
uint64_t vmport_time_us(struct domain *d, struct vmport_domain *vd);

#endif /* __X86_HVM_VMWARE_PRIVATE_H__ */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
