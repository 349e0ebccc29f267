/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record.h: reading and writing the VMPORT save record.
 *
 * The walker validates a whole record against the bounds table of
 * public/arch-x86/hvm/vmporttype.h and the rules of docs/vmport-record.md,
 * and hands each valid item to a visitor; the writer lays items out.  Like
 * xen/lib/x86/, this file and record.c build both inside Xen and in the
 * tools (the record library, tools/libs/record, compiles record.c from
 * here and includes this header as <vmware/record.h>), so the hypervisor
 * loader, the offline verifier and the fuzzers share one implementation of
 * every check, and every writer one layout.
 */

#ifndef __X86_HVM_VMWARE_RECORD_H__
#define __X86_HVM_VMWARE_RECORD_H__

#ifdef __XEN__
# include <xen/errno.h>
# include <xen/lib.h>
# include <xen/string.h>
# include <xen/types.h>
# include <public/hvm/save.h>
uint32_t vmport_crc32(uint32_t crc, const void *buf, size_t len);
#else
# ifndef __XEN_TOOLS__
#  define __XEN_TOOLS__ 1
# endif
# include <errno.h>
# include <stdbool.h>
# include <stdint.h>
# include <stdio.h>
# include <string.h>
# include <zlib.h>
# include <xen/xen.h>
# include <xen/hvm/save.h>
# ifndef BUILD_BUG_ON
#  define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))
# endif
# ifndef __maybe_unused
#  define __maybe_unused __attribute__((__unused__))
# endif
static inline uint32_t vmport_crc32(uint32_t crc, const void *buf,
                                    size_t len)
{
    return crc32(crc, buf, len);
}
/*
 * In the tools this code is part of the record library and carries its
 * prefix, so a program that links the hypervisor's build of it too
 * (vmport-host runs the device model) has one of each, not two objects
 * defining the same symbols.
 */
# define vmport_rec_bounds          vrec_bounds
# define vmport_rec_walk            vrec_walk
# define vmport_rec_sect_flags      vrec_sect_flags
# define vmport_rec_w_init          vrec_w_init
# define vmport_rec_w_section       vrec_w_section
# define vmport_rec_w_put           vrec_w_put
# define vmport_rec_w_pad           vrec_w_pad
# define vmport_rec_w_end_section   vrec_w_end_section
# define vmport_rec_w_finish        vrec_w_finish
# define vmport_rec_w_fixed         vrec_w_fixed
# define vmport_rec_w_channel       vrec_w_channel
# define vmport_rec_w_gi_begin      vrec_w_gi_begin
# define vmport_rec_w_gi_entry      vrec_w_gi_entry
# define vmport_rec_w_app_begin     vrec_w_app_begin
# define vmport_rec_w_cmd           vrec_w_cmd
# define vmport_rec_ch_v1_misfit    vrec_ch_v1_misfit
# define vmport_rec_ch_checkpoint   vrec_ch_checkpoint
# define vmport_rec_cmd_kind_v1     vrec_cmd_kind_v1
# define vmport_rec_gi_key_fold     vrec_gi_key_fold
# define vmport_rec_gi_key_prefixed vrec_gi_key_prefixed
#endif
#include <public/arch-x86/hvm/vmporttype.h>

/* The bounds table, expanded once (record.c). */
extern const struct hvm_vmport_bound vmport_rec_bounds[HVM_VMPORT_B_NR];

#define VMPORT_REC_PAD8(n)  (((n) + 7U) & ~7U)

/*
 * Guestinfo keys: the one rule, kept here so the device model (its guest
 * and dom0 operations, guestinfo.c), the walker (a record's stored keys)
 * and the tools (the record library's edits, vmport-state's key names)
 * all run the same code.  A key is "guestinfo." and a non-empty name,
 * every byte printable and not a space (0x21..0x7e), compared with A-Z
 * folded to a-z and nothing else folded: "GUESTINFO.x" is the key
 * "guestinfo.x", and it is stored lower-cased.
 */
#define VMPORT_GI_PREFIX        "guestinfo."
#define VMPORT_GI_PREFIX_LEN    (sizeof(VMPORT_GI_PREFIX) - 1)

/*
 * Fold the @klen bytes of @key into @buf (not terminated): 0, or
 * -ENAMETOOLONG if @klen is over @max (checked first), or -EINVAL if it is
 * not a key.
 */
int vmport_rec_gi_key_fold(const void *key, uint32_t klen, uint32_t max,
                           char *buf);
/* True if @key starts with "guestinfo." in any case (folded as above). */
bool vmport_rec_gi_key_prefixed(const void *key, uint32_t klen);

/*
 * Visitor.  problem() is told about every defect (err is -EINVAL, or
 * -ENODATA for a record cut short); the item callbacks see only items that
 * passed their checks, in record order.  Any may be NULL.  A non-zero
 * return from an item callback stops the walk with that value.
 */
struct vmport_rec_ops {
    void (*problem)(void *opaque, int err, uint32_t off, const char *field,
                    const char *msg);
    int (*header)(void *opaque, const struct hvm_vmport_header *h);
    int (*config)(void *opaque, const struct hvm_vmport_config *c);
    int (*time)(void *opaque, const struct hvm_vmport_time *t);
    int (*channel)(void *opaque, const struct hvm_vmport_channel *c,
                   const uint8_t *send, const uint8_t *recv);
    int (*gi)(void *opaque, const uint8_t *key, uint32_t klen,
              const uint8_t *val, uint32_t vlen);
    int (*app)(void *opaque, const struct hvm_vmport_tclo_app *a);
    int (*cmd)(void *opaque, const struct hvm_vmport_tclo_app *a,
               const struct hvm_vmport_tclo_cmd *c, const uint8_t *data);
    int (*trigger)(void *opaque, const struct hvm_vmport_trigger *t);
    int (*extra)(void *opaque, const struct hvm_vmport_section *s,
                 const uint8_t *data);
};

struct vmport_rec_walk {
    /* In. */
    const uint8_t *buf;         /* the record, from its header */
    uint32_t len;
    /* Limits the state must fit; NULL means the record's own CONFIG. */
    const struct hvm_vmport_config *limits;
    bool all;                   /* go on after a problem (verify) */
    bool crc_known_good;        /* a second walk of checked bytes */
    const struct vmport_rec_ops *ops;
    void *opaque;

    /* Out. */
    unsigned int problems;
    int rc;                     /* first error, 0 if none */
    uint16_t version;

    /* Private to record.c. */
    uint64_t refs[HVM_VMPORT_REF_NR];
    bool have_config, have_gi, have_trigger;
    int last_chan, last_app;
    uint8_t chan_app[HVM_VMPORT_CHANNELS_MAX];  /* 0xfe: not open */
    uint8_t chan_proto[HVM_VMPORT_CHANNELS_MAX];
    uint8_t app_chan[HVM_VMPORT_APPS_MAX];      /* 0xfe: no such app */
    unsigned int power_cmds;
    uint8_t trigger_state;
};

/* 0, or the first error (-EINVAL, -ENODATA, or a visitor's). */
int vmport_rec_walk(struct vmport_rec_walk *w);

/*
 * Writer.  With buf NULL it only measures.  Errors stick: the first one
 * (-ENOSPC) is returned by vmport_rec_w_finish().
 */
struct vmport_rec_writer {
    uint8_t *buf;
    uint32_t cap;
    uint32_t off;
    uint32_t sect;              /* offset of the open section's header */
    int rc;
};

void vmport_rec_w_init(struct vmport_rec_writer *w, void *buf, uint32_t cap,
                       uint16_t version, uint32_t flags);
void vmport_rec_w_section(struct vmport_rec_writer *w, uint16_t type,
                          uint16_t flags);
void vmport_rec_w_put(struct vmport_rec_writer *w, const void *p,
                      uint32_t len);
/* Zero bytes up to the next multiple of 8. */
void vmport_rec_w_pad(struct vmport_rec_writer *w);
void vmport_rec_w_end_section(struct vmport_rec_writer *w);
/* Fill in body_len and body_crc; the record's length in *len. */
int vmport_rec_w_finish(struct vmport_rec_writer *w, uint32_t *len);

/* The flags a known section type carries (HVM_VMPORT_SF_MUST or 0). */
uint16_t vmport_rec_sect_flags(uint16_t type);

/*
 * Section writers: each lays out one section as docs/vmport-record.md
 * says (its flags from vmport_rec_sect_flags()), so every writer of the
 * record - the hypervisor's save, the tools' emit - writes the same bytes
 * with the same code.
 */
void vmport_rec_w_fixed(struct vmport_rec_writer *w, uint16_t type,
                        const void *p, uint32_t len);
/* ch->send_pos bytes of @send, ch->recv_size bytes of @recv. */
void vmport_rec_w_channel(struct vmport_rec_writer *w,
                          const struct hvm_vmport_channel *ch,
                          const uint8_t *send, const uint8_t *recv);
/* GUESTINFO: the totals, then one entry per key, then end_section(). */
void vmport_rec_w_gi_begin(struct vmport_rec_writer *w, uint32_t count,
                           uint32_t bytes);
void vmport_rec_w_gi_entry(struct vmport_rec_writer *w, const void *key,
                           uint32_t klen, const void *val, uint32_t vlen);
/* TCLO_APP: the application (a->count commands), each command, then
 * end_section(). */
void vmport_rec_w_app_begin(struct vmport_rec_writer *w,
                            const struct hvm_vmport_tclo_app *a);
void vmport_rec_w_cmd(struct vmport_rec_writer *w, uint8_t kind,
                      const void *data, uint32_t len);

/*
 * Record version 1 (docs/vmport-record.md): a channel in the middle of a
 * transfer does not fit it.  The checkpoint policy makes one fit: the
 * partial message from the guest is dropped, a finished reply kept and
 * rewound, a half-delivered TCLO command left to its queue (the queue
 * holds the original), and the channel marked CHECKPOINTED so the guest's
 * next payload or status call answers CPT.  No-op on a channel that fits.
 */
bool vmport_rec_ch_v1_misfit(const struct hvm_vmport_channel *ch);
void vmport_rec_ch_checkpoint(struct hvm_vmport_channel *ch);
/* Version 1 has no trigger: its power command is an ordinary one. */
uint8_t vmport_rec_cmd_kind_v1(uint8_t kind);

#endif /* __X86_HVM_VMWARE_RECORD_H__ */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
