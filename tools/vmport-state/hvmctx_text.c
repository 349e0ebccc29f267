/*
 * hvmctx_text.c: an HVM context blob in xen-hvmctx's format, line for
 * line (tools/misc/xen-hvmctx.c, 4.17), so the two can be diffed.  Unlike
 * xen-hvmctx, each body is read by its descriptor's length into a zeroed
 * struct (no desync on older or newer lengths), and CPU_XSAVE, CPU_MSR
 * and VMPORT are decoded instead of skipped.
 */
#include <xenctrl.h>
#include <xen/hvm/save.h>

#include <inttypes.h>
#include <string.h>

#include "hvmctx.h"
#include <vmport-stream-format.h>

#define GET(type, v) \
    type v; \
    memset(&v, 0, sizeof(v)); \
    memcpy(&v, b, len < sizeof(v) ? len : sizeof(v))

static void dump_header(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_save_header, h);
    fprintf(f, "     Header: magic %#lx, version %lu\n",
            (unsigned long)h.magic, (unsigned long)h.version);
    fprintf(f, "             Xen changeset %llx\n",
            (unsigned long long)h.changeset);
    fprintf(f, "             CPUID[0][%%eax] 0x%.8lx\n",
            (unsigned long)h.cpuid);
    fprintf(f, "             gtsc_khz %lu\n", (unsigned long)h.gtsc_khz);
}

static void dump_fpu(FILE *f, const uint8_t *r)
{
    uint16_t fcw, fsw, fop;
    uint64_t ip, dp, lo, hi;
    uint32_t mxcsr, mask;
    uint16_t mhi, pad[3];
    int i;

    memcpy(&fcw, r, 2);
    memcpy(&fsw, r + 2, 2);
    memcpy(&fop, r + 6, 2);
    memcpy(&ip, r + 8, 8);
    memcpy(&dp, r + 16, 8);
    memcpy(&mxcsr, r + 24, 4);
    memcpy(&mask, r + 28, 4);
    fprintf(f, "    FPU:    fcw 0x%4.4x fsw 0x%4.4x\n"
            "            ftw 0x%2.2x (0x%2.2x) fop 0x%4.4x\n"
            "          fpuip 0x%16.16" PRIx64 " fpudp 0x%16.16" PRIx64 "\n"
            "          mxcsr 0x%8.8lx mask 0x%8.8lx\n",
            fcw, fsw, r[4], r[5], fop, ip, dp, (unsigned long)mxcsr,
            (unsigned long)mask);
    for ( i = 0; i < 8; i++ )
    {
        memcpy(&lo, r + 32 + 16 * i, 8);
        memcpy(&mhi, r + 40 + 16 * i, 2);
        memcpy(pad, r + 42 + 16 * i, 6);
        fprintf(f, "            mm%i 0x%4.4x%16.16" PRIx64
                " (0x%4.4x%4.4x%4.4x)\n", i, mhi, lo, pad[2], pad[1],
                pad[0]);
    }
    for ( i = 0; i < 16; i++ )
    {
        memcpy(&lo, r + 160 + 16 * i, 8);
        memcpy(&hi, r + 168 + 16 * i, 8);
        fprintf(f, "          xmm%2.2i 0x%16.16" PRIx64 "%16.16" PRIx64 "\n",
                i, hi, lo);
    }
    for ( i = 0; i < 6; i++ )
    {
        memcpy(&lo, r + 416 + 16 * i, 8);
        memcpy(&hi, r + 424 + 16 * i, 8);
        fprintf(f, "               (0x%16.16" PRIx64 "%16.16" PRIx64 ")\n",
                hi, lo);
    }
}

#define SEG(n, nm) \
    "             " n " %#6.4" PRIx32 " (%#18.8" PRIx64 " + %#10.8" PRIx32 \
    " / %#7.4" PRIx32 ")\n"

static void dump_cpu(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_cpu, c);
    fprintf(f, "    CPU:    rax 0x%16.16llx     rbx 0x%16.16llx\n"
            "            rcx 0x%16.16llx     rdx 0x%16.16llx\n"
            "            rbp 0x%16.16llx     rsi 0x%16.16llx\n"
            "            rdi 0x%16.16llx     rsp 0x%16.16llx\n"
            "             r8 0x%16.16llx      r9 0x%16.16llx\n"
            "            r10 0x%16.16llx     r11 0x%16.16llx\n"
            "            r12 0x%16.16llx     r13 0x%16.16llx\n"
            "            r14 0x%16.16llx     r15 0x%16.16llx\n"
            "            rip 0x%16.16llx  rflags 0x%16.16llx\n"
            "            cr0 0x%16.16llx     cr2 0x%16.16llx\n"
            "            cr3 0x%16.16llx     cr4 0x%16.16llx\n"
            "            dr0 0x%16.16llx     dr1 0x%16.16llx\n"
            "            dr2 0x%16.16llx     dr3 0x%16.16llx\n"
            "            dr6 0x%16.16llx     dr7 0x%16.16llx\n",
            (unsigned long long)c.rax, (unsigned long long)c.rbx,
            (unsigned long long)c.rcx, (unsigned long long)c.rdx,
            (unsigned long long)c.rbp, (unsigned long long)c.rsi,
            (unsigned long long)c.rdi, (unsigned long long)c.rsp,
            (unsigned long long)c.r8, (unsigned long long)c.r9,
            (unsigned long long)c.r10, (unsigned long long)c.r11,
            (unsigned long long)c.r12, (unsigned long long)c.r13,
            (unsigned long long)c.r14, (unsigned long long)c.r15,
            (unsigned long long)c.rip, (unsigned long long)c.rflags,
            (unsigned long long)c.cr0, (unsigned long long)c.cr2,
            (unsigned long long)c.cr3, (unsigned long long)c.cr4,
            (unsigned long long)c.dr0, (unsigned long long)c.dr1,
            (unsigned long long)c.dr2, (unsigned long long)c.dr3,
            (unsigned long long)c.dr6, (unsigned long long)c.dr7);
    /* xen-hvmctx labels ds/es the other way round; so do we. */
    fprintf(f, SEG("cs", c) SEG("es", e) SEG("ds", d) SEG("fs", f)
            SEG("gs", g) SEG("ss", s),
            c.cs_sel, c.cs_base, c.cs_limit, c.cs_arbytes,
            c.ds_sel, c.ds_base, c.ds_limit, c.ds_arbytes,
            c.es_sel, c.es_base, c.es_limit, c.es_arbytes,
            c.fs_sel, c.fs_base, c.fs_limit, c.fs_arbytes,
            c.gs_sel, c.gs_base, c.gs_limit, c.gs_arbytes,
            c.ss_sel, c.ss_base, c.ss_limit, c.ss_arbytes);
    fprintf(f, "             tr %#6.4" PRIx32 " (%#18.8" PRIx64 " + %#10.4"
            PRIx32 " / %#7.4" PRIx32 ")\n"
            "           ldtr %#6.4" PRIx32 " (%#18.8" PRIx64 " + %#10.4"
            PRIx32 " / %#7.4" PRIx32 ")\n"
            "           idtr        (%#18.8" PRIx64 " + %#10.4" PRIx32 ")\n"
            "           gdtr        (%#18.8" PRIx64 " + %#10.4" PRIx32 ")\n",
            c.tr_sel, c.tr_base, c.tr_limit, c.tr_arbytes,
            c.ldtr_sel, c.ldtr_base, c.ldtr_limit, c.ldtr_arbytes,
            c.idtr_base, c.idtr_limit, c.gdtr_base, c.gdtr_limit);
    fprintf(f, "    sysenter cs 0x%8.8llx  eip 0x%16.16llx  esp 0x%16.16llx\n"
            "      shadow gs %#18.16" PRIx64 "   efer %#18.8" PRIx64 "\n"
            "          lstar %#18.16" PRIx64 "  cstar %#18.16" PRIx64 "\n"
            "           star %#18.16" PRIx64 " sfmask %#18.8" PRIx64 "\n"
            "            tsc 0x%16.16llx\n"
            "          event 0x%8.8lx error 0x%8.8lx\n",
            (unsigned long long)c.sysenter_cs,
            (unsigned long long)c.sysenter_eip,
            (unsigned long long)c.sysenter_esp,
            c.shadow_gs, c.msr_efer, c.msr_lstar, c.msr_cstar, c.msr_star,
            c.msr_syscall_mask, (unsigned long long)c.tsc,
            (unsigned long)c.pending_event, (unsigned long)c.error_code);
    if ( c.flags & XEN_X86_FPU_INITIALISED )
        dump_fpu(f, c.fpu_regs);
}

static void dump_pic(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_vpic, p);
    fprintf(f, "    PIC: IRQ base %#x, irr %#x, imr %#x, isr %#x\n",
            p.irq_base, p.irr, p.imr, p.isr);
    fprintf(f, "         init_state %u, priority_add %u, readsel_isr %u, "
            "poll %u\n", p.init_state, p.priority_add, p.readsel_isr,
            p.poll);
    fprintf(f, "         auto_eoi %u, rotate_on_auto_eoi %u\n",
            p.auto_eoi, p.rotate_on_auto_eoi);
    fprintf(f, "         special_fully_nested_mode %u, special_mask_mode "
            "%u\n", p.special_fully_nested_mode, p.special_mask_mode);
    fprintf(f, "         is_master %u, elcr %#x, int_output %#x\n",
            p.is_master, p.elcr, p.int_output);
}

static void dump_ioapic(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_vioapic, p);
    int i;

    fprintf(f, "    IOAPIC: base_address %#llx, ioregsel %#x id %#x\n",
            (unsigned long long)p.base_address, p.ioregsel, p.id);
    for ( i = 0; i < VIOAPIC_NUM_PINS; i++ )
        fprintf(f, "            pin %.2i: 0x%.16llx\n", i,
                (unsigned long long)p.redirtbl[i].bits);
}

static void dump_lapic(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_lapic, p);
    fprintf(f, "    LAPIC: base_msr %#llx, disabled %#x, timer_divisor "
            "%#x\n", (unsigned long long)p.apic_base_msr, p.disabled,
            p.timer_divisor);
}

static void dump_lapic_regs(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_lapic_regs, r);
    unsigned int i;
    uint32_t a, c;

    fprintf(f, "    LAPIC registers:\n");
    for ( i = 0; i < 0x400; i += 32 )
    {
        memcpy(&a, &r.data[i], 4);
        memcpy(&c, &r.data[i + 16], 4);
        fprintf(f, "          0x%03x: 0x%08" PRIx32 "   0x%03x: 0x%08"
                PRIx32 "\n", i, a, i + 16, c);
    }
}

static void dump_pci_irq(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_pci_irqs, i);
    fprintf(f, "    PCI IRQs: 0x%16.16llx%16.16llx\n",
            (unsigned long long)i.pad[0], (unsigned long long)i.pad[1]);
}

static void dump_isa_irq(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_isa_irqs, i);
    fprintf(f, "    ISA IRQs: 0x%4.4llx\n", (unsigned long long)i.pad[0]);
}

static void dump_pci_link(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_pci_link, l);
    fprintf(f, "    PCI LINK: %u %u %u %u\n", l.route[0], l.route[1],
            l.route[2], l.route[3]);
}

static void dump_pit(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_pit, p);
    int i;

    fprintf(f, "    PIT: speaker %s\n", p.speaker_data_on ? "on" : "off");
    for ( i = 0; i < 2; i++ )
    {
        const struct hvm_hw_pit_channel *c = &p.channels[i];

        fprintf(f, "         ch %1i: count %#x, latched_count %#x, "
                "count_latched %u\n", i, c->count, c->latched_count,
                c->count_latched);
        fprintf(f, "               status %#x, status_latched %#x\n",
                c->status, c->status_latched);
        fprintf(f, "               rd_state %#x, wr_state %#x, wr_latch "
                "%#x, rw_mode %#x\n", c->read_state, c->write_state,
                c->write_latch, c->rw_mode);
        fprintf(f, "               mode %#x, bcd %#x, gate %#x\n",
                c->mode, c->bcd, c->gate);
    }
}

static void dump_rtc(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_rtc, r);
    const uint8_t *d = r.cmos_data;

    fprintf(f, "    RTC: regs 0x%2.2x 0x%2.2x 0x%2.2x 0x%2.2x 0x%2.2x "
            "0x%2.2x 0x%2.2x 0x%2.2x\n", d[0], d[1], d[2], d[3], d[4], d[5],
            d[6], d[7]);
    fprintf(f, "              0x%2.2x 0x%2.2x 0x%2.2x 0x%2.2x 0x%2.2x "
            "0x%2.2x, index 0x%2.2x\n", d[8], d[9], d[10], d[11], d[12],
            d[13], r.cmos_index);
}

static void dump_hpet(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_hpet, h);
    unsigned int i;

    fprintf(f, "    HPET: capability %#" PRIx64 " config %#" PRIx64 "\n",
            h.capability, h.config);
    fprintf(f, "          isr %#" PRIx64 " counter %#" PRIx64 "\n",
            h.isr, h.mc64);
    for ( i = 0; i < HPET_TIMER_NUM; i++ )
    {
        fprintf(f, "          timer%u config %#18.16" PRIx64 " cmp %#18.8"
                PRIx64 "\n", i, h.timers[i].config, h.timers[i].cmp);
        fprintf(f, "          timer%u period %#18.8" PRIx64 " fsb %#18.8"
                PRIx64 "\n", i, h.period[i], h.timers[i].fsb);
    }
}

static void dump_pmtimer(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_pmtimer, p);
    fprintf(f, "    ACPI PM: TMR_VAL 0x%x, PM1a_STS 0x%x, PM1a_EN 0x%x\n",
            p.tmr_val, (unsigned)p.pm1a_sts, (unsigned)p.pm1a_en);
}

static void dump_mtrr(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_hw_mtrr, p);
    unsigned int i;

    fprintf(f, "    MTRR: PAT %#" PRIx64 ", cap %#" PRIx64 ", default %#"
            PRIx64 "\n", p.msr_pat_cr, p.msr_mtrr_cap, p.msr_mtrr_def_type);
    for ( i = 0; i < MTRR_VCNT; i++ )
        fprintf(f, "          var %u %#18.13" PRIx64 " %#18.13" PRIx64 "\n",
                i, p.msr_mtrr_var[2 * i], p.msr_mtrr_var[2 * i + 1]);
    for ( i = 0; i < NUM_FIXED_MSR; i++ )
        fprintf(f, "          fixed %02x %#18.16" PRIx64 "\n", i,
                p.msr_mtrr_fixed[i]);
}

static void dump_viridian_domain(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_viridian_domain_context, p);
    fprintf(f, "    VIRIDIAN_DOMAIN: hypercall gpa 0x%llx, guest_os_id "
            "0x%llx\n", (unsigned long long)p.hypercall_gpa,
            (unsigned long long)p.guest_os_id);
}

static void dump_viridian_vcpu(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_viridian_vcpu_context, p);
    fprintf(f, "    VIRIDIAN_VCPU: vp_assist_msr 0x%llx, "
            "apic_assist_pending %s\n", (unsigned long long)p.vp_assist_msr,
            p.apic_assist_pending ? "true" : "false");
}

static void dump_vmce_vcpu(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_vmce_vcpu, p);
    fprintf(f, "    VMCE_VCPU: caps %" PRIx64 "\n", p.caps);
    fprintf(f, "    VMCE_VCPU: bank0 mci_ctl2 %" PRIx64 "\n",
            p.mci_ctl2_bank0);
    fprintf(f, "    VMCE_VCPU: bank1 mci_ctl2 %" PRIx64 "\n",
            p.mci_ctl2_bank1);
}

static void dump_tsc_adjust(FILE *f, const uint8_t *b, uint32_t len)
{
    GET(struct hvm_tsc_adjust, p);
    fprintf(f, "    TSC_ADJUST: tsc_adjust %" PRIx64 "\n", p.tsc_adjust);
}

static void dump_xsave(FILE *f, const uint8_t *b, uint32_t len)
{
    uint64_t v[3] = { 0 };

    memcpy(v, b, len < sizeof(v) ? len : sizeof(v));
    fprintf(f, "    CPU_XSAVE: xfeature_mask %#" PRIx64 ", xcr0 %#" PRIx64
            ", xcr0_accum %#" PRIx64 ", %u bytes of state\n", v[0], v[1],
            v[2], len > 24 ? len - 24 : 0);
}

static void dump_msr(FILE *f, const uint8_t *b, uint32_t len)
{
    uint32_t count = 0, i, idx;
    uint64_t val;

    memcpy(&count, b, len < 4 ? len : 4);
    fprintf(f, "    CPU_MSR: count %u\n", count);
    for ( i = 0; i < count && 8 + 16ULL * (i + 1) <= len; i++ )
    {
        memcpy(&idx, b + 8 + 16 * i, 4);
        memcpy(&val, b + 16 + 16 * i, 8);
        fprintf(f, "             msr %#010x = %#018" PRIx64 "\n", idx, val);
    }
}

typedef void dump_fn(FILE *f, const uint8_t *b, uint32_t len);

static dump_fn *const dumpers[] = {
    [1] = dump_header, [2] = dump_cpu, [3] = dump_pic, [4] = dump_ioapic,
    [5] = dump_lapic, [6] = dump_lapic_regs, [7] = dump_pci_irq,
    [8] = dump_isa_irq, [9] = dump_pci_link, [10] = dump_pit,
    [11] = dump_rtc, [12] = dump_hpet, [13] = dump_pmtimer,
    [14] = dump_mtrr, [15] = dump_viridian_domain,
    [CPU_XSAVE_CODE] = dump_xsave, [17] = dump_viridian_vcpu,
    [18] = dump_vmce_vcpu, [19] = dump_tsc_adjust,
    [CPU_MSR_CODE] = dump_msr,
};

int hvmctx_print_text(FILE *f, const char *who, const uint8_t *blob,
                      uint32_t len)
{
    struct vs_hvm_desc d;
    uint32_t off = 0;
    int entry = 0;

    fprintf(f, "HVM save record for %s\n", who);
    do {
        if ( len - off < sizeof(d) )
        {
            fprintf(stderr, "Error: need another %u bytes, only %u "
                    "available at offset %#x\n", (unsigned)sizeof(d),
                    len - off, off);
            return -1;
        }
        memcpy(&d, blob + off, sizeof(d));
        off += sizeof(d);
        fprintf(f, "Entry %i: type %u instance %u, length %u\n", entry++,
                d.typecode, d.instance, d.length);
        if ( d.length > len - off )
        {
            fprintf(stderr, "Error: entry at offset %#x: length %u, only %u "
                    "bytes left\n", off - 8, d.length, len - off);
            return -1;
        }
        if ( d.typecode < sizeof(dumpers) / sizeof(dumpers[0]) &&
             dumpers[d.typecode] )
            dumpers[d.typecode](f, blob + off, d.length);
        else if ( d.typecode == HVMCTX_VMPORT_CODE )
            hvmctx_print_vmport(f, blob + off, d.length);
        else if ( d.typecode )
            fprintf(f, " ** Don't understand type %u: skipping\n",
                    d.typecode);
        off += d.length;
    } while ( d.typecode && off < len );
    return 0;
}
