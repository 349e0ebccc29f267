/*
 * vs_hvm_types.c: what vmport-state knows about each standard Xen 4.17
 * HVM save record: name, length rule, instance rule and the semantic
 * checks 4.17's (and 4.19's stricter) load handlers apply.  Layouts come
 * from Debian's <xen/hvm/save.h>, so the lengths are the hypervisor's.
 */
#include <xenctrl.h>
#include <xen/hvm/save.h>

#include <inttypes.h>
#include <string.h>

#include "vs_priv.h"
#include <public/arch-x86/hvm/vmporttype.h>

#define LOAD(type, var, body, len) \
    type var; \
    memset(&var, 0, sizeof(var)); \
    memcpy(&var, body, (len) < sizeof(var) ? (len) : sizeof(var))

static void check_header(struct vs_stream *s, uint16_t inst,
                         const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_save_header, h, body, len);

    if ( h.magic != HVM_FILE_MAGIC )
        vs_problem(s, off, "hvm: HEADER magic %#x, expected %#x", h.magic,
                   HVM_FILE_MAGIC);
    if ( h.version != HVM_FILE_VERSION )
        vs_problem(s, off + 4, "hvm: HEADER version %u, expected %u",
                   h.version, HVM_FILE_VERSION);
    if ( inst )
        vs_problem(s, off - 8, "hvm: HEADER instance %u, expected 0", inst);
}

#define EFER_KNOWN 0xfd01ULL    /* SCE LME LMA NXE SVME LMSLE FFXSR TCE */
#define CR0_PE 0x1ULL
#define CR0_PG 0x80000000ULL

static void check_cpu(struct vs_stream *s, uint16_t inst,
                      const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_hw_cpu, c, body, len);

    /* The 1016/1024-byte compat layouts carry no flags field. */
    if ( len < sizeof(c) )
        return;
    if ( c.flags & ~XEN_X86_FPU_INITIALISED )
        vs_problem(s, off + offsetof(struct hvm_hw_cpu, flags), "hvm: CPU "
                   "%u flags %#x: unknown bits", inst, c.flags);
    if ( c.pad0 )
        vs_problem(s, off + offsetof(struct hvm_hw_cpu, pad0), "hvm: CPU "
                   "%u pad0 non-zero", inst);
    if ( (c.cr0 & CR0_PG) && !(c.cr0 & CR0_PE) )
        vs_problem(s, off + offsetof(struct hvm_hw_cpu, cr0), "hvm: CPU %u "
                   "cr0 %#" PRIx64 ": PG without PE", inst, c.cr0);
    if ( c.cr0 >> 32 )
        vs_problem(s, off + offsetof(struct hvm_hw_cpu, cr0), "hvm: CPU %u "
                   "cr0 %#" PRIx64 ": reserved upper bits", inst, c.cr0);
    if ( c.msr_efer & ~EFER_KNOWN )
        vs_problem(s, off + offsetof(struct hvm_hw_cpu, msr_efer), "hvm: "
                   "CPU %u efer %#" PRIx64 ": reserved bits", inst,
                   c.msr_efer);
}

static void check_pic(struct vs_stream *s, uint16_t inst,
                      const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_hw_vpic, p, body, len);

    /* 4.19's vpic check: is_master must agree with the instance. */
    if ( p.is_master != !inst )
        vs_problem(s, off, "hvm: PIC instance %u is_master %u", inst,
                   p.is_master);
}

static void check_lapic(struct vs_stream *s, uint16_t inst,
                        const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_hw_lapic, l, body, len);

    if ( l.apic_base_msr & 0x2ffULL )
        vs_problem(s, off, "hvm: LAPIC %u apic_base_msr %#" PRIx64 ": "
                   "reserved bits", inst, l.apic_base_msr);
    if ( l.disabled & ~0x3U )
        vs_problem(s, off + 8, "hvm: LAPIC %u disabled %#x: unknown bits",
                   inst, l.disabled);
}

/* The states hvm_hw_pit_channel's read_state, write_state and
 * count_latched can hold: RW_STATE_LSB (1) to RW_STATE_WORD1 (4), or 0. */
#define PIT_RW_STATE_NUM 5

static void check_pit(struct vs_stream *s, uint16_t inst,
                      const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_hw_pit, p, body, len);
    unsigned int i;

    (void)inst;
    /*
     * Exactly the bounds of 4.19's pit_check() (c53013da6f "x86/vPIT:
     * check values loaded from state save record"), no more: Xen's own
     * images must pass.  A channel the guest never programmed is saved as
     * pit_reset() left it, rw_mode 0 and mode 0xff (4.19 resets it to 7
     * and masks mode on load), so neither rw_mode 0 nor any mode is
     * refused; an HVM Linux guest leaves channel 1 so (tests/data).
     */
    if ( p.speaker_data_on > 1 || p.pad0 )
        vs_problem(s, off + offsetof(struct hvm_hw_pit, speaker_data_on),
                   "hvm: PIT speaker_data_on %u pad0 %u: "
                   "expected 0 or 1, and 0", p.speaker_data_on, p.pad0);
    for ( i = 0; i < 3; i++ )
    {
        const struct hvm_hw_pit_channel *c = &p.channels[i];
        uint64_t o = off + sizeof(*c) * i;

        if ( c->count > 0x10000 )
            vs_problem(s, o, "hvm: PIT channel %u count %#x > 0x10000", i,
                       c->count);
        if ( c->count_latched >= PIT_RW_STATE_NUM ||
             c->read_state >= PIT_RW_STATE_NUM ||
             c->write_state >= PIT_RW_STATE_NUM || c->rw_mode > 3 ||
             c->bcd > 1 || c->gate > 1 )
            vs_problem(s, o, "hvm: PIT channel %u state out of range "
                       "(count_latched %u read_state %u write_state %u "
                       "rw_mode %u bcd %u gate %u)", i, c->count_latched,
                       c->read_state, c->write_state, c->rw_mode, c->bcd,
                       c->gate);
        /* Only the speaker's channel 2 has a gate the guest can close. */
        if ( i != 2 && !c->gate )
            vs_problem(s, o + offsetof(struct hvm_hw_pit_channel, gate),
                       "hvm: PIT channel %u gate 0 (only "
                       "channel 2's gate can be low)", i);
    }
}

static void check_rtc(struct vs_stream *s, uint16_t inst,
                      const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_hw_rtc, r, body, len);

    (void)inst;
    if ( r.cmos_index >= 128 )
        vs_problem(s, off + 14, "hvm: RTC cmos_index %#x >= 0x80",
                   r.cmos_index);
}

static void check_mtrr(struct vs_stream *s, uint16_t inst,
                       const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_hw_mtrr, m, body, len);

    /* 76159f10b1: the variable range count must fit the record. */
    if ( (m.msr_mtrr_cap & 0xff) > MTRR_VCNT )
        vs_problem(s, off + 8, "hvm: MTRR %u cap %#" PRIx64 ": %u variable "
                   "ranges, at most %u", inst, m.msr_mtrr_cap,
                   (unsigned int)(m.msr_mtrr_cap & 0xff), MTRR_VCNT);
    if ( m.msr_mtrr_def_type & ~0xcffULL )
        vs_problem(s, off + 16, "hvm: MTRR %u def_type %#" PRIx64 ": "
                   "reserved bits", inst, m.msr_mtrr_def_type);
}

static void check_xsave(struct vs_stream *s, uint16_t inst,
                        const uint8_t *body, uint32_t len, uint64_t off)
{
    LOAD(struct hvm_hw_cpu_xsave, x, body, len);
    size_t head = offsetof(struct hvm_hw_cpu_xsave, save_area);

    if ( len < head + 512 + 64 )
    {
        vs_problem(s, off, "hvm: CPU_XSAVE %u length %u shorter than the "
                   "legacy area and xsave header", inst, len);
        return;
    }
    if ( !(x.xcr0 & 1) || (x.xcr0 & ~x.xcr0_accum) )
        vs_problem(s, off + 8, "hvm: CPU_XSAVE %u xcr0 %#" PRIx64 " invalid "
                   "for xcr0_accum %#" PRIx64, inst, x.xcr0, x.xcr0_accum);
    if ( x.save_area.xsave_hdr.xstate_bv & ~x.xcr0_accum )
        vs_problem(s, off + head + 512, "hvm: CPU_XSAVE %u xstate_bv "
                   "%#" PRIx64 " outside xcr0_accum", inst,
                   (uint64_t)x.save_area.xsave_hdr.xstate_bv);
}

static void check_msr(struct vs_stream *s, uint16_t inst,
                      const uint8_t *body, uint32_t len, uint64_t off)
{
    uint32_t count, i;

    if ( len < 8 )
    {
        vs_problem(s, off, "hvm: CPU_MSR %u length %u < 8", inst, len);
        return;
    }
    memcpy(&count, body, 4);
    if ( (uint64_t)count * 16 + 8 != len )
    {
        vs_problem(s, off, "hvm: CPU_MSR %u count %u does not match length "
                   "%u", inst, count, len);
        return;
    }
    for ( i = 0; i < count; i++ )
    {
        struct hvm_one_msr m;

        memcpy(&m, body + 8 + 16 * i, sizeof(m));
        if ( m._rsvd )
            vs_problem(s, off + 8 + 16 * i + 4, "hvm: CPU_MSR %u msr[%u] "
                       "reserved field non-zero", inst, i);
    }
}

static void check_viridian_vcpu(struct vs_stream *s, uint16_t inst,
                                const uint8_t *body, uint32_t len,
                                uint64_t off)
{
    LOAD(struct hvm_viridian_vcpu_context, v, body, len);
    unsigned int i;

    for ( i = 0; i < sizeof(v._pad); i++ )
        if ( v._pad[i] )
        {
            vs_problem(s, off + 9, "hvm: VIRIDIAN_VCPU %u _pad non-zero "
                       "(viridian_load_vcpu_ctxt rejects it)", inst);
            break;
        }
}

/* The contents are the record library's: see vs_add_hvm_checker(). */
static void check_vmport(struct vs_stream *s, uint16_t inst,
                         const uint8_t *body, uint32_t len, uint64_t off)
{
    (void)body;
    (void)len;
    if ( inst )
        vs_problem(s, off - 8, "hvm: VMPORT instance %u, expected 0", inst);
}

#define T(code, nm, len_, vcpu, zx, maxi, fn)                               \
    [code] = { .name = nm, .length = len_, .per_vcpu = vcpu,                \
               .zeroextend = zx, .max_instance = maxi, .check = fn }

static const struct vs_hvm_type types[] = {
    T(0, "END", 0, false, false, 0, NULL),
    T(1, "HEADER", HVM_SAVE_LENGTH(HEADER), false, false, 0, check_header),
    T(2, "CPU", HVM_SAVE_LENGTH(CPU), true, true, 0, check_cpu),
    T(3, "PIC", HVM_SAVE_LENGTH(PIC), false, false, 1, check_pic),
    T(4, "IOAPIC", HVM_SAVE_LENGTH(IOAPIC), false, false, 0, NULL),
    T(5, "LAPIC", HVM_SAVE_LENGTH(LAPIC), true, true, 0, check_lapic),
    T(6, "LAPIC_REGS", HVM_SAVE_LENGTH(LAPIC_REGS), true, false, 0, NULL),
    T(7, "PCI_IRQ", HVM_SAVE_LENGTH(PCI_IRQ), false, false, 0, NULL),
    T(8, "ISA_IRQ", HVM_SAVE_LENGTH(ISA_IRQ), false, false, 0, NULL),
    T(9, "PCI_LINK", HVM_SAVE_LENGTH(PCI_LINK), false, false, 0, NULL),
    T(10, "PIT", HVM_SAVE_LENGTH(PIT), false, false, 0, check_pit),
    T(11, "RTC", HVM_SAVE_LENGTH(RTC), false, true, 0, check_rtc),
    T(12, "HPET", HVM_SAVE_LENGTH(HPET), false, false, 0, NULL),
    T(13, "PMTIMER", HVM_SAVE_LENGTH(PMTIMER), false, false, 0, NULL),
    T(14, "MTRR", HVM_SAVE_LENGTH(MTRR), true, false, 0, check_mtrr),
    T(15, "VIRIDIAN_DOMAIN", HVM_SAVE_LENGTH(VIRIDIAN_DOMAIN), false, true,
      0, NULL),
    T(CPU_XSAVE_CODE, "CPU_XSAVE", 0, true, false, 0, check_xsave),
    T(17, "VIRIDIAN_VCPU", HVM_SAVE_LENGTH(VIRIDIAN_VCPU), true, true, 0,
      check_viridian_vcpu),
    T(18, "VMCE_VCPU", HVM_SAVE_LENGTH(VMCE_VCPU), true, true, 0, NULL),
    T(19, "TSC_ADJUST", HVM_SAVE_LENGTH(TSC_ADJUST), true, false, 0, NULL),
    T(CPU_MSR_CODE, "CPU_MSR", 0, true, false, 0, check_msr),
    T(HVM_SAVE_CODE_VMPORT, "VMPORT", 0, false, false, 0, check_vmport),
};

const struct vs_hvm_type *vs_hvm_type(uint16_t typecode)
{
    if ( typecode >= sizeof(types) / sizeof(types[0]) ||
         !types[typecode].name )
        return NULL;
    return &types[typecode];
}
