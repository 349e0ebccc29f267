/*
 * hvmctx_json.c: an HVM context blob as JSON, schema
 * "vmport-state/hvmctx/1": {"schema", "source", "records": [{"entry",
 * "type", "name", "instance", "length", "fields": {...}}]}.  Field names
 * are the member names of Xen 4.17's public structs; integers are JSON
 * numbers (unsigned 64-bit), byte arrays are lower-case hex strings.
 * Fields come from one table per record type, so adding a field is one
 * line and the schema only ever grows.
 */
#include <xenctrl.h>
#include <xen/hvm/save.h>

#include <json-c/json.h>
#include <stddef.h>
#include <string.h>

#include "hvmctx.h"
#include <vmport-stream.h>
#include <vmport-stream-format.h>

struct fld {
    const char *name;
    uint16_t off, size, count;  /* size 1/2/4/8 numbers, else bytes */
};

#define F(t, m) { #m, offsetof(t, m), sizeof(((t *)0)->m), 1 }
#define FA(t, m, n) { #m, offsetof(t, m), sizeof(((t *)0)->m[0]), n }
#define FB(t, m) { #m, offsetof(t, m), sizeof(((t *)0)->m), 0 }
#define END_F { NULL, 0, 0, 0 }

#define HDR struct hvm_save_header
static const struct fld f_header[] = {
    F(HDR, magic), F(HDR, version), F(HDR, changeset), F(HDR, cpuid),
    F(HDR, gtsc_khz), END_F,
};
#define CPU struct hvm_hw_cpu
static const struct fld f_cpu[] = {
    FB(CPU, fpu_regs), F(CPU, rax), F(CPU, rbx), F(CPU, rcx), F(CPU, rdx),
    F(CPU, rbp), F(CPU, rsi), F(CPU, rdi), F(CPU, rsp), F(CPU, r8),
    F(CPU, r9), F(CPU, r10), F(CPU, r11), F(CPU, r12), F(CPU, r13),
    F(CPU, r14), F(CPU, r15), F(CPU, rip), F(CPU, rflags), F(CPU, cr0),
    F(CPU, cr2), F(CPU, cr3), F(CPU, cr4), F(CPU, dr0), F(CPU, dr1),
    F(CPU, dr2), F(CPU, dr3), F(CPU, dr6), F(CPU, dr7),
    F(CPU, cs_sel), F(CPU, ds_sel), F(CPU, es_sel), F(CPU, fs_sel),
    F(CPU, gs_sel), F(CPU, ss_sel), F(CPU, tr_sel), F(CPU, ldtr_sel),
    F(CPU, cs_limit), F(CPU, ds_limit), F(CPU, es_limit), F(CPU, fs_limit),
    F(CPU, gs_limit), F(CPU, ss_limit), F(CPU, tr_limit),
    F(CPU, ldtr_limit), F(CPU, idtr_limit), F(CPU, gdtr_limit),
    F(CPU, cs_base), F(CPU, ds_base), F(CPU, es_base), F(CPU, fs_base),
    F(CPU, gs_base), F(CPU, ss_base), F(CPU, tr_base), F(CPU, ldtr_base),
    F(CPU, idtr_base), F(CPU, gdtr_base), F(CPU, cs_arbytes),
    F(CPU, ds_arbytes), F(CPU, es_arbytes), F(CPU, fs_arbytes),
    F(CPU, gs_arbytes), F(CPU, ss_arbytes), F(CPU, tr_arbytes),
    F(CPU, ldtr_arbytes), F(CPU, sysenter_cs), F(CPU, sysenter_esp),
    F(CPU, sysenter_eip), F(CPU, shadow_gs), F(CPU, msr_flags),
    F(CPU, msr_lstar), F(CPU, msr_star), F(CPU, msr_cstar),
    F(CPU, msr_syscall_mask), F(CPU, msr_efer), F(CPU, msr_tsc_aux),
    F(CPU, tsc), F(CPU, pending_event), F(CPU, error_code), F(CPU, flags),
    F(CPU, pad0), END_F,
};
#define IOA struct hvm_hw_vioapic
static const struct fld f_ioapic[] = {
    F(IOA, base_address), F(IOA, ioregsel), F(IOA, id),
    FA(IOA, redirtbl, VIOAPIC_NUM_PINS), END_F,
};
#define LAP struct hvm_hw_lapic
static const struct fld f_lapic[] = {
    F(LAP, apic_base_msr), F(LAP, disabled), F(LAP, timer_divisor),
    F(LAP, tdt_msr), END_F,
};
static const struct fld f_lapic_regs[] = {
    FB(struct hvm_hw_lapic_regs, data), END_F,
};
static const struct fld f_pci_irq[] = {
    FA(struct hvm_hw_pci_irqs, pad, 2), END_F,
};
static const struct fld f_isa_irq[] = {
    FA(struct hvm_hw_isa_irqs, pad, 1), END_F,
};
static const struct fld f_pci_link[] = {
    FA(struct hvm_hw_pci_link, route, 4), END_F,
};
#define PIT struct hvm_hw_pit
static const struct fld f_pit[] = {
    FB(PIT, channels), F(PIT, speaker_data_on), F(PIT, pad0), END_F,
};
#define RTC struct hvm_hw_rtc
static const struct fld f_rtc[] = {
    FA(RTC, cmos_data, RTC_CMOS_SIZE), F(RTC, cmos_index), F(RTC, pad0),
    F(RTC, rtc_offset), END_F,
};
#define HPET struct hvm_hw_hpet
static const struct fld f_hpet[] = {
    F(HPET, capability), F(HPET, config), F(HPET, isr), F(HPET, mc64),
    FB(HPET, timers), FA(HPET, period, HPET_TIMER_NUM), END_F,
};
#define PM struct hvm_hw_pmtimer
static const struct fld f_pmtimer[] = {
    F(PM, tmr_val), F(PM, pm1a_sts), F(PM, pm1a_en), END_F,
};
#define MTRR struct hvm_hw_mtrr
static const struct fld f_mtrr[] = {
    F(MTRR, msr_pat_cr), F(MTRR, msr_mtrr_cap), F(MTRR, msr_mtrr_def_type),
    FA(MTRR, msr_mtrr_var, MTRR_VCNT * 2),
    FA(MTRR, msr_mtrr_fixed, NUM_FIXED_MSR), END_F,
};
#define VD struct hvm_viridian_domain_context
static const struct fld f_vir_dom[] = {
    F(VD, hypercall_gpa), F(VD, guest_os_id), F(VD, time_ref_count),
    F(VD, reference_tsc), END_F,
};
#define XS struct hvm_hw_cpu_xsave
static const struct fld f_xsave[] = {
    F(XS, xfeature_mask), F(XS, xcr0), F(XS, xcr0_accum), END_F,
};
#define VV struct hvm_viridian_vcpu_context
static const struct fld f_vir_vcpu[] = {
    F(VV, vp_assist_msr), F(VV, apic_assist_pending), F(VV, simp_msr),
    FA(VV, sint_msr, 16), FA(VV, stimer_config_msr, 4),
    FA(VV, stimer_count_msr, 4), END_F,
};
#define VM struct hvm_vmce_vcpu
static const struct fld f_vmce[] = {
    F(VM, caps), F(VM, mci_ctl2_bank0), F(VM, mci_ctl2_bank1),
    F(VM, mcg_ext_ctl), END_F,
};
static const struct fld f_tsc_adjust[] = {
    F(struct hvm_tsc_adjust, tsc_adjust), END_F,
};

static const struct fld *const tables[] = {
    [1] = f_header, [2] = f_cpu, [4] = f_ioapic, [5] = f_lapic,
    [6] = f_lapic_regs, [7] = f_pci_irq, [8] = f_isa_irq,
    [9] = f_pci_link, [10] = f_pit, [11] = f_rtc, [12] = f_hpet,
    [13] = f_pmtimer, [14] = f_mtrr, [15] = f_vir_dom,
    [CPU_XSAVE_CODE] = f_xsave, [17] = f_vir_vcpu, [18] = f_vmce,
    [19] = f_tsc_adjust,
};

static struct json_object *num(const uint8_t *p, unsigned int size)
{
    uint64_t v = 0;

    memcpy(&v, p, size);
    return json_object_new_uint64(v);
}

static struct json_object *hex(const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 1);
    struct json_object *o;
    size_t i;

    if ( !s )
        return NULL;
    for ( i = 0; i < n; i++ )
    {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[2 * n] = 0;
    o = json_object_new_string(s);
    free(s);
    return o;
}

/* Fields present in a (possibly shorter, zero-extended) body. */
static void add_fields(struct json_object *fo, const struct fld *t,
                       const uint8_t *b, uint32_t len)
{
    for ( ; t->name; t++ )
    {
        uint32_t span = t->count ? t->size * t->count : t->size;
        struct json_object *v;
        unsigned int i;

        if ( t->off + span > len )
            continue;
        if ( !t->count )
            v = hex(b + t->off, t->size);
        else if ( t->count == 1 )
            v = num(b + t->off, t->size);
        else
        {
            v = json_object_new_array();
            for ( i = 0; i < t->count; i++ )
                json_object_array_add(v, num(b + t->off + i * t->size,
                                             t->size));
        }
        json_object_object_add(fo, t->name, v);
    }
}

static void add_pic(struct json_object *fo, const uint8_t *b, uint32_t len)
{
    struct hvm_hw_vpic p;

    memset(&p, 0, sizeof(p));
    memcpy(&p, b, len < sizeof(p) ? len : sizeof(p));
#define PF(m) json_object_object_add(fo, #m, json_object_new_uint64(p.m))
    PF(irr); PF(imr); PF(isr); PF(irq_base); PF(init_state);
    PF(priority_add); PF(readsel_isr); PF(poll); PF(auto_eoi);
    PF(rotate_on_auto_eoi); PF(special_fully_nested_mode);
    PF(special_mask_mode); PF(is_master); PF(elcr); PF(int_output);
#undef PF
}

static void add_msrs(struct json_object *fo, const uint8_t *b, uint32_t len)
{
    struct json_object *a = json_object_new_array();
    uint32_t count = 0, i;

    memcpy(&count, b, len < 4 ? len : 4);
    json_object_object_add(fo, "count", json_object_new_uint64(count));
    for ( i = 0; i < count && 8 + 16ULL * (i + 1) <= len; i++ )
    {
        struct json_object *m = json_object_new_object();

        json_object_object_add(m, "index", num(b + 8 + 16 * i, 4));
        json_object_object_add(m, "val", num(b + 16 + 16 * i, 8));
        json_object_array_add(a, m);
    }
    json_object_object_add(fo, "msr", a);
}

static struct json_object *record_fields(const struct vs_hvm_desc *d,
                                         const uint8_t *b)
{
    struct json_object *fo;

    if ( d->typecode == HVMCTX_VMPORT_CODE )
        return hvmctx_vmport_json(b, d->length);
    if ( d->typecode != 3 && d->typecode != CPU_MSR_CODE &&
         (d->typecode >= sizeof(tables) / sizeof(tables[0]) ||
          !tables[d->typecode]) )
        return hex(b, d->length);       /* unknown: the raw bytes */
    fo = json_object_new_object();
    if ( d->typecode == 3 )
        add_pic(fo, b, d->length);
    else if ( d->typecode == CPU_MSR_CODE )
        add_msrs(fo, b, d->length);
    else
        add_fields(fo, tables[d->typecode], b, d->length);
    return fo;
}

struct json_object *hvmctx_json(const char *who, const uint8_t *blob,
                                uint32_t len)
{
    struct json_object *root = json_object_new_object();
    struct json_object *recs = json_object_new_array();
    struct vs_hvm_desc d;
    uint32_t off = 0;
    int entry = 0;

    json_object_object_add(root, "schema",
                           json_object_new_string(HVMCTX_JSON_SCHEMA));
    json_object_object_add(root, "source", json_object_new_string(who));
    json_object_object_add(root, "records", recs);
    do {
        struct json_object *r;
        const uint8_t *b;

        if ( len - off < sizeof(d) )
            goto err;
        memcpy(&d, blob + off, sizeof(d));
        off += sizeof(d);
        if ( d.length > len - off )
            goto err;
        b = blob + off;
        r = json_object_new_object();
        json_object_object_add(r, "entry", json_object_new_int(entry++));
        json_object_object_add(r, "type", json_object_new_int(d.typecode));
        json_object_object_add(r, "name", json_object_new_string(
                                   vs_rec_name(VS_LEVEL_HVM, d.typecode)));
        json_object_object_add(r, "instance",
                               json_object_new_int(d.instance));
        json_object_object_add(r, "length", json_object_new_int64(d.length));
        json_object_object_add(r, "offset", json_object_new_int64(off - 8));
        if ( d.typecode )
            json_object_object_add(r, "fields", record_fields(&d, b));
        json_object_array_add(recs, r);
        off += d.length;
    } while ( d.typecode && off < len );
    return root;

 err:
    json_object_put(root);
    return NULL;
}
