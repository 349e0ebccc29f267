/*
 * vmport-record: the VMPORT save record (HVM_SAVE_CODE_VMPORT) as a plain
 * C model, for offline tools.  No domain is involved.
 *
 * The record is the body of the HVM context entry (what follows the
 * struct hvm_save_descriptor), starting with struct hvm_vmport_header.
 * Parsing runs the very walker the hypervisor's loader uses
 * (xen/arch/x86/hvm/vmware/record.c), so the bounds, ordering and padding
 * rules are the same ones, from the same table; the layout and rules are
 * in docs/vmport-record.md.
 *
 *   vrec_parse()    bytes -> model; only canonical records parse, so
 *   vrec_emit()     model -> bytes gives the same bytes back.
 *   vrec_verify()   every problem, each with its offset.
 *   vrec_convert()  to record version 1 or 2, refuse or checkpoint.
 *   vrec_gi_*()     guestinfo on the model, with the record's limits.
 *   vrec_trigger()  queue a TCLO power operation in the model.
 *   vrec_print()    the record as text (the tools' one printer).
 *   vrec_to_json() / vrec_from_json(): the stable JSON schema of
 *                   docs/vmport-record.md ("dump --json | encode" gives
 *                   the same bytes).
 *
 * Functions return 0 or a negative errno value and, where they take
 * err/errlen, leave a one-line explanation there.  The model owns every
 * buffer it points to; vrec_free() releases them.
 *
 * The library's prefix is vrec_; the walker it runs keeps the hypervisor's
 * names (vmport_rec_*) and is not part of this interface.
 * Build: -I tools/libs/record/include -I xen/include; link
 * libvmport-record.a, -ljson-c -lz (tools/libs/record/module.mk).
 */
#ifndef VMPORT_RECORD_H
#define VMPORT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef __XEN_TOOLS__
# define __XEN_TOOLS__ 1
#endif
#include <xen/xen.h>
#include <xen/hvm/save.h>
#include <public/arch-x86/hvm/vmporttype.h>

struct json_object;

struct vrec_channel {
    struct hvm_vmport_channel ch;   /* wire fields, as in the record */
    uint8_t *send;                  /* ch.send_pos bytes received so far */
    uint8_t *recv;                  /* ch.recv_size bytes for the guest */
};

struct vrec_gi {
    char *key;                      /* klen bytes + NUL */
    uint32_t klen;
    uint8_t *val;                   /* vlen bytes (+ NUL, for printing) */
    uint32_t vlen;
};

struct vrec_cmd {
    uint8_t kind;                   /* HVM_VMPORT_CMD_* */
    uint32_t len;
    uint8_t *data;
};

struct vrec_app {
    struct hvm_vmport_tclo_app app; /* app.count = number of cmds */
    struct vrec_cmd *cmds;    /* oldest first */
};

/* A section this reader does not know (never must-understand). */
struct vrec_extra {
    struct hvm_vmport_section s;
    uint8_t *data;                  /* s.length bytes */
};

struct vrec {
    uint16_t version;               /* HVM_VMPORT_VERSION_* */
    uint32_t flags;                 /* HVM_VMPORT_F_* */
    struct hvm_vmport_config config;
    bool has_time;
    struct hvm_vmport_time time;
    unsigned int nr_channels;       /* increasing ch.id */
    struct vrec_channel *channels;
    unsigned int nr_gi;             /* increasing key order */
    struct vrec_gi *gi;
    unsigned int nr_apps;           /* increasing app.index */
    struct vrec_app *apps;
    bool has_trigger;
    struct hvm_vmport_trigger trigger;
    unsigned int nr_extra;          /* increasing s.type */
    struct vrec_extra *extra;
};

enum vrec_policy {
    VREC_REFUSE,              /* state that does not fit: -EOPNOTSUPP */
    VREC_CHECKPOINT,          /* drop in-flight transfers, mark CPT */
};

/* Called once per problem; offset from the start of the record. */
typedef void vrec_report_fn(void *opaque, uint32_t offset,
                            const char *field, const char *msg);

/* Parse @len bytes at @buf.  On failure @r is empty and @report (may be
 * NULL) has been told every problem; -EINVAL, -ENODATA or -ENOMEM. */
int vrec_parse(const void *buf, size_t len, struct vrec *r,
               vrec_report_fn *report, void *opaque);

/* Report every problem; returns how many there are (0: valid). */
unsigned int vrec_verify(const void *buf, size_t len,
                         vrec_report_fn *report, void *opaque);

/* The bytes of @r in a malloc()ed buffer.  The model is validated first
 * (by walking the result), so a model edited into nonsense is refused. */
int vrec_emit(const struct vrec *r, uint8_t **buf, size_t *len,
              char *err, size_t errlen);

void vrec_init(struct vrec *r);     /* empty, current version */
/*
 * The tools' one default configuration (what `vmport-state enable` gives
 * a domain): HB on, 8 channels, guestinfo keys of 128 bytes and values of
 * HVM_VMPORT_GI_VALUE_MAX, 256 keys, 1 MiB in all, 8 queued TCLO commands,
 * 60 s idle and 30 s trigger timeouts.
 */
void vrec_default_config(struct vrec *r, unsigned int hwver);
void vrec_free(struct vrec *r);

/*
 * Change @r to record @version.  Down to 1: -EOPNOTSUPP if it carries
 * anything version 1 cannot (partial transfers, a trigger) under REFUSE;
 * under CHECKPOINT partial transfers are dropped, their channels marked
 * checkpointed (CPT on the next payload/status call), finished replies
 * kept and rewound, half-delivered TCLO commands re-queued, the trigger's
 * progress dropped (its command, if still queued, stays queued).  Up to 2:
 * no state changes.  Time continuity is not carried by version 1.
 */
int vrec_convert(struct vrec *r, unsigned int version,
                 enum vrec_policy policy, char *err,
                 size_t errlen);

/*
 * Guestinfo.  Keys are "guestinfo.<name>", compared lower-cased by the
 * device model's own code: the key rule lives once, in
 * xen/arch/x86/hvm/vmware/record.c (vmport_rec_gi_key_fold(), built here
 * as vrec_gi_key_fold(): printable non-space bytes, A-Z folded to a-z, the
 * "guestinfo." prefix), which the device model's guestinfo.c runs too, so
 * "GUESTINFO.x" is the key "guestinfo.x" to both.
 */
/* A key as a user types it: NAME or guestinfo.NAME (prefix in any case)
 * to the full key; malloc()ed, NULL on -ENOMEM. */
char *vrec_gi_key_name(const char *key);
const struct vrec_gi *vrec_gi_get(const struct vrec *r,
                                              const char *key);
/* -EINVAL bad key, -ENAMETOOLONG/-EFBIG/-ENOSPC past the record's limits. */
int vrec_gi_set(struct vrec *r, const char *key,
                const void *val, uint32_t vlen, char *err,
                size_t errlen);
int vrec_gi_unset(struct vrec *r, const char *key);  /* -ENOENT */

/*
 * Queue TCLO "OS_Halt" (op 1) or "OS_Reboot" (op 2) for the "toolbox"
 * application (created unbound if absent) and record a queued trigger,
 * so it fires when the restored guest next polls.  -EBUSY if a trigger is
 * still in progress, -ENOSPC if the queue is full, -EOPNOTSUPP for a
 * version 1 record.
 */
int vrec_trigger(struct vrec *r, unsigned int op, char *err,
                 size_t errlen);

/* JSON (json-c).  to_json returns a new object (NULL on -ENOMEM). */
struct json_object *vrec_to_json(const struct vrec *r);
/* One guestinfo entry as the schema spells it: {"key", "value"}, the
 * value a string if every byte is printable ASCII, else {"hex": ...}. */
struct json_object *vrec_gi_to_json(const char *key, uint32_t klen,
                                    const uint8_t *val, uint32_t vlen);
int vrec_from_json(struct json_object *j, struct vrec *r,
                   char *err, size_t errlen);

/* Names for printing. */
const char *vrec_sect_name(unsigned int type);

/* The record as text: every field and byte in flight (FULL), or the
 * block an HVM context listing shows (SUMMARY, xen-hvmctx's layout). */
enum vrec_print_style {
    VREC_PRINT_FULL,
    VREC_PRINT_SUMMARY,
};
void vrec_print(FILE *f, const struct vrec *r,
                enum vrec_print_style style);

#endif /* VMPORT_RECORD_H */
