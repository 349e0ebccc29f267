/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmport.h: the VMware "backdoor" device model for HVM guests.
 *
 * This is the interface between the device model under
 * xen/arch/x86/hvm/vmware/ and the rest of Xen (the I/O and #GP intercepts,
 * guest_cpuid(), the save/restore machinery and the dom0 interface).
 *
 * Nothing is allocated for a domain until the toolstack enables vmport, so
 * every other domain pays one NULL pointer in struct hvm_domain.
 */

#ifndef __ASM_X86_HVM_VMPORT_H__
#define __ASM_X86_HVM_VMPORT_H__

#include <xen/types.h>

struct domain;
struct vcpu;
struct cpu_user_regs;
struct cpuid_leaf;

#define VMPORT_LB_PORT          0x5658  /* "VX": low-bandwidth commands */
#define VMPORT_HB_PORT          0x5659  /* "VY": high-bandwidth transfers */
#define VMPORT_MAGIC            0x564d5868U /* "VMXh" in EAX */

/* Hardware versions: the CPUID leaves appear from version 7 on. */
#define VMPORT_HWVER_MIN        1
#define VMPORT_HWVER_MAX        255
#define VMPORT_HWVER_DEFAULT    7
#define VMPORT_HWVER_CPUID      7

/*
 * Per-domain limits.  Every allocation the guest can cause is bounded by
 * these; vmport_mem_limit() turns them into the domain's byte budget.
 */
struct vmport_limits {
    uint32_t max_channels;      /* default 8, 1 .. 128 */
    uint32_t gi_key_max;        /* guestinfo key bytes, default 128 */
    uint32_t gi_value_max;      /* guestinfo value bytes, default 65536 */
    uint32_t gi_max_keys;       /* guestinfo keys, default 256 */
    uint32_t gi_total_max;      /* keys + values, default 1 MiB */
    uint32_t tclo_queue_max;    /* queued host->guest commands per app, 16 */
    uint32_t idle_timeout_ms;   /* idle channel reclaim, default 80000 */
    uint32_t trigger_timeout_ms;/* power trigger outcome, default 60000 */
};

#define VMPORT_MAX_CHANNELS_DEFAULT   8
#define VMPORT_MAX_CHANNELS_LIMIT     128
#define VMPORT_MSG_IN_MAX             65536 /* guest->host message cap */
#define VMPORT_GI_KEY_MAX_DEFAULT     128
#define VMPORT_GI_KEY_MAX_LIMIT       1024
#define VMPORT_GI_VALUE_MAX_DEFAULT   65536
#define VMPORT_GI_VALUE_MAX_LIMIT     65536
#define VMPORT_GI_MAX_KEYS_DEFAULT    256
#define VMPORT_GI_MAX_KEYS_LIMIT      4096
#define VMPORT_GI_TOTAL_MAX_DEFAULT   (1U << 20)
#define VMPORT_GI_TOTAL_MAX_LIMIT     (16U << 20)
#define VMPORT_TCLO_QUEUE_DEFAULT     16
#define VMPORT_TCLO_QUEUE_LIMIT       64
#define VMPORT_TCLO_QUEUE_MIN         2     /* "reset" and a power command */
#define VMPORT_TIMEOUT_MIN_MS         1000
#define VMPORT_TIMEOUT_MAX_MS         (24U * 3600 * 1000)
#define VMPORT_IDLE_TIMEOUT_DEFAULT   80000
#define VMPORT_TRIGGER_TIMEOUT_DEFAULT 60000

void vmport_limits_default(struct vmport_limits *l);
int vmport_limits_check(const struct vmport_limits *l);

/*
 * Lifecycle.  vmport_enable() may be called once, before the guest first
 * runs (the toolstack's write-once knob), and never beside Viridian or
 * nested HVM: -EEXIST, -EBUSY (the domain has run), -EOPNOTSUPP, -EINVAL
 * (hardware version or limits), -ENOMEM.  Every way of enabling (the HVM
 * parameter, a loaded VMPORT record) goes through it.
 * vmport_domain_destroy() frees everything and is safe on a domain that
 * never enabled vmport.
 */
int vmport_enable(struct domain *d, unsigned int hwver,
                  const struct vmport_limits *limits);
/* Those rules alone, changing nothing: 0, -EBUSY or -EOPNOTSUPP. */
int vmport_may_enable(const struct domain *d);
void vmport_domain_destroy(struct domain *d);
bool vmport_enabled(const struct domain *d);
unsigned int vmport_hwver(const struct domain *d);
int vmport_get_limits(const struct domain *d, struct vmport_limits *l);
/*
 * The toolstack's limits for a domain with vmport, set before the guest
 * first runs and before the device model holds any state: -ENODEV, -EBUSY
 * (the domain has run, or holds state), -EINVAL (vmport_limits_check()),
 * -ENOMEM.  A VMPORT record loaded before the guest runs carries its own.
 */
int vmport_set_limits(struct domain *d, const struct vmport_limits *l);
/* Turn the HB port off (the guest then sees no HB bit and uses 4 bytes/exit). */
int vmport_set_hb(struct domain *d, bool enabled);
/* The byte budget the guest can make the device model allocate. */
size_t vmport_mem_limit(const struct vmport_limits *l);
/*
 * A domain's bytes in use and its budget (vmport_mem_limit() of its
 * limits, plus the vCPUs' bounce buffers); 0 and 0 without vmport.
 */
size_t vmport_mem_used(const struct domain *d);
size_t vmport_mem_budget(const struct domain *d);

/*
 * Buffers for the device model and its dom0 interface (dm.c), uncharged:
 * xmalloc up to a page, vmalloc above, so that no request makes Xen find
 * a high-order contiguous block.  Free with the size allocated.
 */
void *vmport_buf_alloc(size_t size, bool zero);
void vmport_buf_free(void *p, size_t size);

/*
 * Instruction check, shared by the #GP intercept and the I/O exit path.
 * The caller fetches at most 15 bytes at CS:RIP exactly once and describes
 * the vCPU mode; the decoder never touches guest memory itself.
 */
struct vmport_insn_mode {
    uint8_t cs_bits;    /* 16, 32 or 64: the code segment's default size */
    uint8_t cpl;        /* 0 .. 3 */
    uint8_t iopl;       /* EFLAGS.IOPL */
};

enum vmport_insn_kind {
    VMPORT_INSN_IN,     /* E4, E5, EC, ED */
    VMPORT_INSN_OUT,    /* E6, E7, EE, EF */
    VMPORT_INSN_INS,    /* 6C, 6D */
    VMPORT_INSN_OUTS,   /* 6E, 6F */
};

struct vmport_insn {
    uint8_t len;        /* whole instruction including prefixes, 1 .. 15 */
    uint8_t kind;       /* enum vmport_insn_kind */
    uint8_t bytes;      /* operand size: 1, 2 or 4 */
    uint8_t addr_bits;  /* address size for INS/OUTS: 16, 32 or 64 */
    uint8_t seg;        /* OUTS source segment, Xen's enum x86_segment order */
    bool rep;           /* F2 or F3 present */
    bool imm_port;      /* port is the imm8 (E4-E7) rather than DX */
    uint8_t imm8;
};

/* 0, or -EINVAL (truncated / over-long / malformed) or -EOPNOTSUPP (no I/O). */
int vmport_insn_decode(const uint8_t *buf, unsigned int nr,
                       const struct vmport_insn_mode *mode,
                       struct vmport_insn *insn);

/*
 * Decode the @nr bytes at @buf (fetched by the caller from CS:RIP once),
 * decide whether this is an access to the backdoor ports and, if it is,
 * emulate it on @regs.  Returns
 *  - the instruction length (1 .. 15), with @regs updated but RIP not
 *    advanced;
 *  - 0 if the access is not ours: the #GP intercept then re-injects #GP,
 *    the I/O path proceeds normally;
 *  - VMPORT_RESTART if the guest must execute the instruction again, with
 *    @regs and RIP unchanged: a page fault on its buffer has been injected
 *    (hvm_inject_page_fault()), or Xen must first page the buffer in.
 */
#define VMPORT_RESTART          (-1)
int vmport_intercept(struct vcpu *v, struct cpu_user_regs *regs,
                     const uint8_t *buf, unsigned int nr,
                     const struct vmport_insn_mode *mode);

/*
 * Port I/O handler (portio_action_t) for 0x5658, for non-string accesses
 * the CPU already allowed (CPL <= IOPL or the I/O bitmap permits).
 */
int vmport_ioport(int dir, unsigned int port, unsigned int bytes,
                  uint32_t *val);

/*
 * CPUID.  With vmport enabled and hardware version >= 7 the VMware leaves
 * own 0x40000000-0x400000ff and Xen's leaves move to 0x40000100.
 */
bool vmport_cpuid_enabled(const struct domain *d);
void cpuid_vmport_leaves(const struct vcpu *v, uint32_t leaf,
                         uint32_t subleaf, struct cpuid_leaf *res);

/* Toolstack (dom0) operations on guestinfo. */
int vmport_guestinfo_get(struct domain *d, const char *key, uint32_t klen,
                         void *val, uint32_t *vlen);
int vmport_guestinfo_set(struct domain *d, const char *key, uint32_t klen,
                         const void *val, uint32_t vlen);
int vmport_guestinfo_unset(struct domain *d, const char *key, uint32_t klen);
/* Key number @idx (0-based, in key order); -ENOENT past the end. */
int vmport_guestinfo_key(struct domain *d, unsigned int idx, char *key,
                         uint32_t *klen);

/* TCLO power triggers and their outcome. */
enum vmport_trigger_op {
    VMPORT_TRIGGER_NONE,
    VMPORT_TRIGGER_HALT,        /* TCLO OS_Halt */
    VMPORT_TRIGGER_REBOOT,      /* TCLO OS_Reboot */
};

enum vmport_trigger_state {
    VMPORT_TRIGGER_IDLE,        /* nothing requested */
    VMPORT_TRIGGER_QUEUED,      /* waiting for the guest's next poll */
    VMPORT_TRIGGER_DELIVERED,   /* the guest fetched the command */
    VMPORT_TRIGGER_REPLIED,     /* the guest answered "OK " */
    VMPORT_TRIGGER_SUCCEEDED,   /* statechange status 1 */
    VMPORT_TRIGGER_FAILED,      /* "ERROR ..." or statechange status 0 */
    VMPORT_TRIGGER_TIMED_OUT,   /* no outcome within trigger_timeout_ms */
};

struct vmport_trigger_status {
    uint8_t op;                 /* enum vmport_trigger_op */
    uint8_t state;              /* enum vmport_trigger_state */
    uint32_t guest_status;      /* statechange <success> as sent */
    int64_t elapsed_ns;         /* since queued */
};

int vmport_trigger(struct domain *d, enum vmport_trigger_op op);
int vmport_trigger_status(struct domain *d, struct vmport_trigger_status *st);

#endif /* __ASM_X86_HVM_VMPORT_H__ */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
