/*
 * vs_gen.c: a realistic HVM guest image for tests, fuzz seeds and the
 * benchmark: the records and values a 4.17 HVM guest in long mode saves
 * (HEADER, CPU, PIC, IOAPIC, LAPIC, LAPIC_REGS, IRQ routing, PIT, RTC,
 * HPET, PMTIMER, MTRR, CPU_XSAVE, VMCE, TSC_ADJUST, CPU_MSR, END), and
 * PAGE_DATA for RAM with the VGA hole left out, in 1024-pfn batches whose
 * pages are zero (holes in a sparse file) except a stamp in the first.
 */
#include <xenctrl.h>
#include <xen/hvm/save.h>

#include <stdlib.h>
#include <string.h>

#include "vs_priv.h"

#define ADD(b, code, inst, v) \
    vs_hvm_append(b, code, inst, &(v), sizeof(v))

static void gen_cpu(struct hvm_hw_cpu *c, unsigned int vcpu)
{
    memset(c, 0, sizeof(*c));
    c->rip = vcpu ? 0xffffffff81000000ULL : 0xffffffff81c4d8e2ULL;
    c->rsp = 0xffffc90000083e98ULL + 0x4000 * vcpu;
    c->rflags = 0x246;
    c->rax = 0x5658 + vcpu;
    c->cr0 = 0x80050033;
    c->cr3 = 0x1a0c000;
    c->cr4 = 0x3606f0;
    c->dr6 = 0xffff0ff0;
    c->dr7 = 0x400;
    c->cs_sel = 0x10; c->cs_limit = 0xffffffff; c->cs_arbytes = 0xa09b;
    c->ds_limit = 0xffffffff; c->ds_arbytes = 0xc093;
    c->es_limit = 0xffffffff; c->es_arbytes = 0xc093;
    c->ss_sel = 0x18; c->ss_limit = 0xffffffff; c->ss_arbytes = 0xc093;
    c->fs_limit = 0xffffffff; c->fs_arbytes = 0xc093;
    c->gs_limit = 0xffffffff; c->gs_arbytes = 0xc093;
    c->gs_base = 0xffff88807dc00000ULL + 0x40000ULL * vcpu;
    c->tr_sel = 0x40; c->tr_limit = 0x4087; c->tr_arbytes = 0x8b;
    c->tr_base = 0xfffffe0000003000ULL;
    c->ldtr_arbytes = 0x10000;
    c->gdtr_base = 0xfffffe0000001000ULL; c->gdtr_limit = 0x7f;
    c->idtr_base = 0xfffffe0000000000ULL; c->idtr_limit = 0xfff;
    c->msr_efer = 0xd01;
    c->msr_star = 0x0023001000000000ULL;
    c->msr_lstar = 0xffffffff81e00080ULL;
    c->msr_syscall_mask = 0x47700;
    c->sysenter_cs = 0x10;
    c->tsc = 0x2a5c9b1e4ULL;
    c->flags = XEN_X86_FPU_INITIALISED;
    c->fpu_regs[0] = 0x7f;      /* fcw 0x037f */
    c->fpu_regs[1] = 0x03;
    c->fpu_regs[24] = 0x80;     /* mxcsr 0x1f80 */
    c->fpu_regs[25] = 0x1f;
}

static int gen_vcpu_records(struct vs_buf *b, unsigned int n, uint16_t code)
{
    unsigned int v;
    int rc = 0;

    for ( v = 0; v < n && !rc; v++ )
    {
        switch ( code )
        {
        case 2:
        {
            struct hvm_hw_cpu c;

            gen_cpu(&c, v);
            rc = ADD(b, 2, v, c);
            break;
        }
        case 5:
        {
            struct hvm_hw_lapic l = {
                .apic_base_msr = 0xfee00800 | (v ? 0 : 0x100),
                .timer_divisor = 0x10,
            };

            rc = ADD(b, 5, v, l);
            break;
        }
        case 6:
        {
            struct hvm_hw_lapic_regs r = { { 0 } };
            uint32_t id = v << 24, ver = 0x50014, svr = 0x1ff;

            memcpy(&r.data[0x20], &id, 4);
            memcpy(&r.data[0x30], &ver, 4);
            memcpy(&r.data[0xf0], &svr, 4);
            rc = ADD(b, 6, v, r);
            break;
        }
        case 14:
        {
            struct hvm_hw_mtrr m = {
                .msr_pat_cr = 0x0007040600070406ULL,
                .msr_mtrr_cap = 0x508,
                .msr_mtrr_def_type = 0xc06,
            };

            m.msr_mtrr_var[0] = 0xc0000000;
            m.msr_mtrr_var[1] = 0xfc0000800ULL;
            rc = ADD(b, 14, v, m);
            break;
        }
        case CPU_XSAVE_CODE:
        {
            /* x87, SSE and AVX: legacy area, header and 256 YMM bytes. */
            uint8_t x[24 + 512 + 64 + 256] = { 0 };
            uint64_t xcr0 = 7;

            memcpy(x + 8, &xcr0, 8);
            memcpy(x + 16, &xcr0, 8);
            memcpy(x + 24 + 512, &xcr0, 8);
            rc = vs_hvm_append(b, CPU_XSAVE_CODE, v, x, sizeof(x));
            break;
        }
        case 18:
        {
            struct hvm_vmce_vcpu m = { .caps = 0x1000802 };

            rc = ADD(b, 18, v, m);
            break;
        }
        case 19:
        {
            struct hvm_tsc_adjust t = { .tsc_adjust = 0 };

            rc = ADD(b, 19, v, t);
            break;
        }
        case CPU_MSR_CODE:
        {
            uint8_t m[8 + 16] = { 1 };
            uint32_t idx = 0xc0011029;  /* MSR_AMD64_DE_CFG-class */
            uint64_t val = 2;

            memcpy(m + 8, &idx, 4);
            memcpy(m + 16, &val, 8);
            rc = vs_hvm_append(b, CPU_MSR_CODE, v, m, sizeof(m));
            break;
        }
        }
    }
    return rc;
}

static int gen_pic_ioapic(struct vs_buf *b)
{
    struct hvm_hw_vpic pic[2];
    struct hvm_hw_vioapic io;
    unsigned int i;

    memset(pic, 0, sizeof(pic));
    pic[0].irq_base = 0x30;
    pic[0].imr = 0xfa;
    pic[0].is_master = 1;
    pic[1].irq_base = 0x38;
    pic[1].imr = 0xff;
    pic[1].elcr = 0x0c;
    memset(&io, 0, sizeof(io));
    io.base_address = 0xfec00000;
    for ( i = 0; i < VIOAPIC_NUM_PINS; i++ )
        io.redirtbl[i].bits = 1ULL << 16;       /* masked */
    io.redirtbl[2].bits = 0x30;
    return ADD(b, 3, 0, pic[0]) || ADD(b, 3, 1, pic[1]) ||
           ADD(b, 4, 0, io) ? -1 : 0;
}

static int gen_irq_timer_records(struct vs_buf *b)
{
    struct hvm_hw_pci_irqs pci;
    struct hvm_hw_isa_irqs isa;
    struct hvm_hw_pci_link link = { .route = { 5, 10, 11, 5 } };
    struct hvm_hw_pit pit;
    struct hvm_hw_rtc rtc = { .cmos_index = 0x0b };
    struct hvm_hw_hpet hpet;
    struct hvm_hw_pmtimer pm = { .tmr_val = 0x3a1f0c, .pm1a_en = 0x20 };
    unsigned int i;

    memset(&pci, 0, sizeof(pci));
    memset(&isa, 0, sizeof(isa));
    /*
     * The PIT as an HVM Linux guest under 4.17 leaves it (tests/data's
     * HVM image): channel 0 a rate generator, channel 2 programmed by the
     * TSC calibration with its gate raised, and channel 1, which Linux
     * never touches, still as pit_reset() made it: rw_mode 0, mode 0xff.
     */
    memset(&pit, 0, sizeof(pit));
    for ( i = 0; i < 3; i++ )
    {
        pit.channels[i].count = i == 2 ? 0xffff : 0x10000;
        pit.channels[i].gate = 1;
        if ( i == 1 )
        {
            pit.channels[i].mode = 0xff;
            continue;
        }
        pit.channels[i].read_state = 3;
        pit.channels[i].write_state = 3;
        pit.channels[i].rw_mode = 3;
        pit.channels[i].mode = i == 2 ? 0 : 2;
    }
    pit.channels[2].write_latch = 0xff;
    memcpy(rtc.cmos_data, "\x12\x00\x34\x00\x10\x00\x03\x25\x11\x26"
           "\x26\x02\x00\x80", RTC_CMOS_SIZE);
    memset(&hpet, 0, sizeof(hpet));
    hpet.capability = 0x00989680ULL << 32 | 0x8086a201;
    for ( i = 0; i < HPET_TIMER_NUM; i++ )
        hpet.timers[i].config = 0xf0000000000030ULL;

    return ADD(b, 7, 0, pci) || ADD(b, 8, 0, isa) || ADD(b, 9, 0, link) ||
           ADD(b, 10, 0, pit) || ADD(b, 11, 0, rtc) ||
           ADD(b, 12, 0, hpet) || ADD(b, 13, 0, pm) ? -1 : 0;
}

int vs_gen_hvm_context(struct vs_buf *b, const struct vs_gen_opts *o)
{
    struct hvm_save_header h = {
        .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION,
        .changeset = ~0ULL, .cpuid = 0x000806ec, .gtsc_khz = 2808000,
    };
    unsigned int n = o->vcpus ? o->vcpus : 1;
    static const uint16_t per_vcpu_late[] = {
        14, CPU_XSAVE_CODE, 18, 19, CPU_MSR_CODE,
    };
    unsigned int i;

    if ( ADD(b, 1, 0, h) || gen_vcpu_records(b, n, 2) ||
         gen_pic_ioapic(b) || gen_vcpu_records(b, n, 5) ||
         gen_vcpu_records(b, n, 6) )
        return -1;
    if ( gen_irq_timer_records(b) )
        return -1;
    for ( i = 0; i < sizeof(per_vcpu_late) / sizeof(per_vcpu_late[0]); i++ )
        if ( gen_vcpu_records(b, n, per_vcpu_late[i]) )
            return -1;
    if ( o->extra && vs_hvm_append(b, o->extra_type, 0, o->extra,
                                   o->extra_len) )
        return -1;
    return vs_hvm_append(b, 0, 0, NULL, 0);
}

static const char gen_json[] =
    "{\n    \"c_info\": {\n        \"type\": \"hvm\",\n"
    "        \"name\": \"vmport-gen\",\n"
    "        \"uuid\": \"5f1b6c0e-7d3a-4c2e-9b8f-0a6d2e4c1b3a\"\n    },\n"
    "    \"b_info\": {\n        \"max_vcpus\": %u,\n"
    "        \"max_memkb\": %llu,\n        \"target_memkb\": %llu,\n"
    "        \"type.hvm\": {\n            \"vga\": { \"kind\": \"std\" }\n"
    "        }\n    }\n}\n";

/* RAM pfns in batches: [0, 0xa0) and [0xc0, end), the VGA hole omitted. */
static int gen_pages(struct vs_writer *w, const struct vs_gen_opts *o)
{
    uint64_t end = o->mem_bytes >> VS_PAGE_SHIFT, pfn = 0;
    uint64_t *pfns = malloc(VS_PAGE_BATCH_MAX * sizeof(*pfns));
    uint8_t *pages = o->sparse_file ? NULL :
                     calloc(VS_PAGE_BATCH_MAX, VS_PAGE_SIZE);
    uint8_t stamp[VS_PAGE_SIZE];
    int rc = -1;

    if ( !pfns || (!o->sparse_file && !pages) )
        goto out;
    while ( pfn < end )
    {
        uint32_t n = 0;

        while ( n < VS_PAGE_BATCH_MAX && pfn < end )
        {
            if ( pfn == 0xa0 )
            {
                pfn = 0xc0;
                break;
            }
            pfns[n++] = pfn++;
        }
        if ( !n )
            continue;
        memset(stamp, 0, sizeof(stamp));
        memcpy(stamp, &pfns[0], 8);
        memcpy(stamp + 8, "vmport-gen page", 15);
        if ( pages )
            memcpy(pages, stamp, sizeof(stamp));
        if ( vs_writer_page_data(w, pfns, n, pages) )
            goto out;
    }
    /* Special pfns the toolstack allocates but does not send. */
    for ( pfn = 0; pfn < 4; pfn++ )
        pfns[pfn] = ((uint64_t)VS_PFINFO_XTAB << VS_PFN_TYPE_SHIFT) |
                    (0xfeff0 + pfn);
    rc = vs_writer_page_data(w, pfns, 4, NULL);
 out:
    free(pfns);
    free(pages);
    return rc;
}

static int gen_libxc_body(struct vs_writer *w, const struct vs_gen_opts *o,
                          const struct vs_buf *ctx)
{
    struct vs_cpuid_leaf leaves[] = {
        { 0, ~0U, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 },
        { 1, ~0U, 0x806ec, 0x800, 0xfffab223, 0x1f8bfbff },
        { 7, 0, 0, 0x9c2fbb, 0, 0xbc000400 },
    };
    struct vs_msr_entry msrs[] = { { 0xce, 0, 0x80000000 } };
    struct vs_tsc_info tsc = { .mode = 0, .khz = 2808000,
                               .nsec = 1234567890123ULL, .incarnation = 0 };
    struct {
        struct vs_hvm_params_hdr h;
        struct vs_hvm_param p[4];
    } params = {
        { .count = 4 },
        { { 1 /* STORE_PFN */, 0xfeffc }, { 5 /* IOREQ_PFN */, 0xfeff0 },
          { 6 /* BUFIOREQ_PFN */, 0xfeff1 }, { 29, 4 /* FIP width */ } },
    };

    return vs_writer_record(w, VS_REC_X86_CPUID_POLICY, leaves,
                            sizeof(leaves)) ||
           vs_writer_record(w, VS_REC_X86_MSR_POLICY, msrs, sizeof(msrs)) ||
           vs_writer_record(w, VS_REC_STATIC_DATA_END, NULL, 0) ||
           gen_pages(w, o) ||
           vs_writer_record(w, VS_REC_X86_TSC_INFO, &tsc, sizeof(tsc)) ||
           vs_writer_record(w, VS_REC_HVM_CONTEXT, ctx->p, ctx->len) ||
           vs_writer_record(w, VS_REC_HVM_PARAMS, &params,
                            sizeof(params)) ? -1 : 0;
}

static int gen_libxl_tail(struct vs_writer *w)
{
    /*
     * Only the emulator header: Debian's verify-stream-v2 (python3)
     * compares a byte with a str and so rejects any key/value data.
     */
    static const uint8_t xs[8] = { 2 };
    uint8_t qemu[8 + 256] = { 2 };  /* emulator_id 2: qemu-upstream */
    unsigned int i;

    memcpy(qemu + 8, "QEVM\0\0\0\3", 8);
    for ( i = 16; i < sizeof(qemu); i++ )
        qemu[i] = i * 7;
    return vs_writer_libxl_record(w, VS_LIBXL_EMULATOR_XENSTORE_DATA, xs,
                                  sizeof(xs)) ||
           vs_writer_libxl_record(w, VS_LIBXL_EMULATOR_CONTEXT, qemu,
                                  sizeof(qemu)) ? -1 : 0;
}

int vs_gen_image(int fd, const struct vs_gen_opts *o)
{
    struct vs_buf ctx = { 0 };
    struct vs_writer *w = NULL;
    char json[sizeof(gen_json) + 64];
    unsigned int n = o->vcpus ? o->vcpus : 1;
    int rc = -1;

    if ( vs_gen_hvm_context(&ctx, o) )
        goto out;
    if ( o->kind == VS_KIND_HVM )
    {
        struct vs_out out;

        if ( vs_out_init(&out, fd, o->gzip) == 0 &&
             vs_out_write(&out, ctx.p, ctx.len) == 0 &&
             vs_out_finish(&out) == 0 )
            rc = 0;
        vs_out_fini(&out);
        goto out;
    }
    snprintf(json, sizeof(json), gen_json, n,
             (unsigned long long)(o->mem_bytes >> 10),
             (unsigned long long)(o->mem_bytes >> 10));
    w = vs_writer_open(fd, o->kind, o->gzip, json);
    if ( !w || gen_libxc_body(w, o, &ctx) )
        goto out;
    if ( o->kind != VS_KIND_LIBXC && gen_libxl_tail(w) )
        goto out;
    rc = vs_writer_finish(w);
    w = NULL;
 out:
    vs_writer_abort(w);
    vs_buf_free(&ctx);
    return rc;
}
