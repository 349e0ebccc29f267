/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmport-save.h: the VMPORT save record (HVM_SAVE_CODE_VMPORT) outside
 * hvm_save()/hvm_load(): for the dom0 interface, the tests and tools that
 * want a record of a chosen version, a check without a load, or the size.
 *
 * The record format is public/arch-x86/hvm/vmporttype.h and
 * docs/vmport-record.md.  A record here is the entry body (what follows
 * the struct hvm_save_descriptor).
 */
#ifndef __ASM_X86_HVM_VMPORT_SAVE_H__
#define __ASM_X86_HVM_VMPORT_SAVE_H__

#include <xen/types.h>

struct domain;

enum vmport_save_policy {
    /* State the version cannot carry: fail with -EOPNOTSUPP. */
    VMPORT_SAVE_REFUSE,
    /*
     * Drop what the version cannot carry, VMware style (protocol reference
     * 2.6): partial inbound messages dropped, finished replies kept and
     * rewound, half-delivered TCLO commands left queued, the channels
     * marked so the guest's next payload/status call answers CPT.  Only
     * the record changes; the running domain keeps its state.
     */
    VMPORT_SAVE_CHECKPOINT,
};

/*
 * Write @d's record at record @version (0: current) into @buf of @cap
 * bytes; *@len gets its length.  With @buf NULL only *@len is computed.
 * -ENODEV if vmport is off, -ENOSPC if @cap is too small, -EINVAL for a
 * bad version, -EOPNOTSUPP (REFUSE) if the state does not fit @version.
 */
int vmport_record_save(struct domain *d, void *buf, uint32_t cap,
                       unsigned int version, enum vmport_save_policy policy,
                       uint32_t *len);

/*
 * Validate a record for @d (its limits, or the record's own if vmport is
 * off) without changing anything: 0, -EINVAL or -ENODATA, or what
 * vmport_may_enable() says if the record would turn vmport on.
 */
int vmport_record_check(struct domain *d, const void *buf, uint32_t len);

/*
 * Check, then replace @d's vmport state with the record's.  If vmport is
 * off for @d it is enabled with the record's configuration.  On any error
 * @d is exactly as before.  Version 1 records load as current state.
 */
int vmport_record_load(struct domain *d, const void *buf, uint32_t len);

/* Bytes the current-version record of @d takes (0 if vmport is off): the
 * amount hvm_save_size() adds for the VMPORT entry, beyond its descriptor. */
uint32_t vmport_record_size(struct domain *d);

#endif /* __ASM_X86_HVM_VMPORT_SAVE_H__ */
