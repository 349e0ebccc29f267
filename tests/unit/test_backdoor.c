/*
 * test_backdoor.c: the LB commands register-exact, through real `in`/`out`
 * instruction bytes, at CPL 0 and CPL 3, and the port-level behaviour
 * (wrong magic, widths, directions, what is and is not a backdoor access).
 *
 * Every register starts with H_HIGH in bits 63:32 and a distinct low half
 * (h_regs_init), and every test compares all of them, so a write outside
 * the clobber contract or to an upper half fails.
 */

#include "harness.h"

#ifndef max_t
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#endif

#define WALLCLOCK_SEC   1767225600ULL       /* 2026-01-01 00:00:00 UTC */

static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
    shim_trace_clear();
    shim_log_clear();
    shim_clock_set_now(SECONDS(1));
    shim_clock_set_wallclock(WALLCLOCK_SEC, 0);
    d = h_domain(1, 2, 7, NULL);
    v = d->vcpu[0];
}

static void teardown(void)
{
    shim_domain_destroy(d);
    ck_assert_msg(shim_alloc_live() == 0, "leaked blocks: %lu",
                  shim_alloc_live());
}

/* Loop tests run with _i = 0 (CPL 0) and 1 (CPL 3). */
#define CPL (_i ? 3U : 0U)

START_TEST(getmhz_sets_eax_only)
{
    struct cpu_user_regs r, exp;

    d->arch.tsc_khz = 2793012;
    h_cmd(v, &r, BDOOR_CMD_GETMHZ, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETMHZ, 0, VMPORT_LB_PORT);
    exp.eax = 2793;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(getversion_sets_eax_ebx_ecx_only)
{
    struct cpu_user_regs r, exp;

    h_cmd(v, &r, BDOOR_CMD_GETVERSION, ~VMPORT_MAGIC, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETVERSION, ~VMPORT_MAGIC, VMPORT_LB_PORT);
    exp.eax = 6;
    exp.ebx = VMPORT_MAGIC;
    exp.ecx = BDOOR_PRODUCT_ESX;
    h_regs_expect(&exp, &r);
}
END_TEST

/* Callers put 0xffff in ECX[31:16]: the command is ECX[15:0]. */
START_TEST(getversion_ignores_ecx_high_half)
{
    struct cpu_user_regs r, exp;

    h_cmd(v, &r, 0xffff000a, 0, CPL);
    h_regs_cmd(&exp, 0xffff000a, 0, VMPORT_LB_PORT);
    exp.eax = 6;
    exp.ebx = VMPORT_MAGIC;
    exp.ecx = 2;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(gethwversion_sets_eax_ebx_only)
{
    struct cpu_user_regs r, exp;

    h_cmd(v, &r, BDOOR_CMD_GETHWVERSION, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETHWVERSION, 0, VMPORT_LB_PORT);
    exp.eax = 7;
    exp.ebx = VMPORT_MAGIC;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(getuuid_returns_handle_bytes_little_endian)
{
    static const uint8_t uuid[16] = {
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    };
    struct cpu_user_regs r, exp;

    memcpy(d->handle, uuid, sizeof(uuid));
    h_cmd(v, &r, BDOOR_CMD_GETUUID, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETUUID, 0, VMPORT_LB_PORT);
    exp.eax = 0x33221100;
    exp.ebx = 0x77665544;
    exp.ecx = 0xbbaa9988;
    exp.edx = 0xffeeddcc;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(getmemsize_returns_megabytes)
{
    struct cpu_user_regs r, exp;

    d->tot_pages = 0x140000;            /* 5 GiB: bytes would not fit */
    h_cmd(v, &r, BDOOR_CMD_GETMEMSIZE, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETMEMSIZE, 0, VMPORT_LB_PORT);
    exp.eax = 5120;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(gettime_returns_wallclock_sec_usec_lag)
{
    struct cpu_user_regs r, exp;

    shim_clock_set_now(SECONDS(10) + MICROSECS(123456));
    h_cmd(v, &r, BDOOR_CMD_GETTIME, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETTIME, 0, VMPORT_LB_PORT);
    exp.eax = (uint32_t)(WALLCLOCK_SEC + 10);
    exp.ebx = 123456;
    exp.ecx = 1000000;
    exp.edx = 0;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(gettimefull_splits_seconds_esi_edx)
{
    struct cpu_user_regs r, exp;

    /* Past 2106: the seconds need more than 32 bits. */
    shim_clock_set_wallclock(0x100000005ULL, 0);
    shim_clock_set_now(SECONDS(2) + MICROSECS(7));
    h_cmd(v, &r, BDOOR_CMD_GETTIMEFULL, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETTIMEFULL, 0, VMPORT_LB_PORT);
    exp.eax = VMPORT_MAGIC;
    exp.esi = 1;
    exp.edx = 7;
    exp.ebx = 7;
    exp.ecx = 1000000;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(gettimefull_with_lag_also_sets_edi)
{
    struct cpu_user_regs r, exp;

    shim_clock_set_now(SECONDS(3));
    h_cmd(v, &r, BDOOR_CMD_GETTIMEFULL_WITH_LAG, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GETTIMEFULL_WITH_LAG, 0, VMPORT_LB_PORT);
    exp.eax = VMPORT_MAGIC;
    exp.esi = 0;
    exp.edx = (uint32_t)(WALLCLOCK_SEC + 3);
    exp.ebx = 0;
    exp.ecx = 1000000;
    exp.edi = 0;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(gettime_includes_domain_rtc_offset)
{
    struct cpu_user_regs r;

    shim_clock_set_offset(d, 3600);
    h_cmd(v, &r, BDOOR_CMD_GETTIME, 0, CPL);
    ck_assert_msg(r.eax == (uint32_t)(WALLCLOCK_SEC + 1 + 3600),
                  "eax: expected %#x, seen %#x",
                  (uint32_t)(WALLCLOCK_SEC + 1 + 3600), r.eax);
}
END_TEST

START_TEST(gettime_never_goes_backwards)
{
    struct cpu_user_regs r;

    shim_clock_set_now(SECONDS(100));
    h_cmd(v, &r, BDOOR_CMD_GETTIME, 0, CPL);
    ck_assert_uint_eq(r.eax, (uint32_t)(WALLCLOCK_SEC + 100));
    /* The host's wall clock is stepped back an hour. */
    shim_clock_set_wallclock(WALLCLOCK_SEC - 3600, 0);
    h_cmd(v, &r, BDOOR_CMD_GETTIME, 0, CPL);
    ck_assert_msg(r.eax == (uint32_t)(WALLCLOCK_SEC + 100) && r.ebx == 0,
                  "after a clock step back: expected %#x.000000, seen "
                  "%#x.%06u", (uint32_t)(WALLCLOCK_SEC + 100), r.eax, r.ebx);
    ck_assert_uint_eq(vmport_dom(d)->last_time_us,
                      (WALLCLOCK_SEC + 100) * 1000000);
}
END_TEST

START_TEST(gethz_at_cpl0_returns_tsc_and_apic_hz)
{
    struct cpu_user_regs r, exp;

    d->arch.tsc_khz = 5000000;          /* 5 GHz: Hz needs EBX */
    h_cmd(v, &r, BDOOR_CMD_GETHZ, ~0U, 0);
    h_regs_cmd(&exp, BDOOR_CMD_GETHZ, ~0U, VMPORT_LB_PORT);
    exp.eax = (uint32_t)5000000000ULL;
    exp.ebx = 1;
    exp.ecx = 100000000;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(gethz_at_cpl3_is_unsupported)
{
    struct cpu_user_regs r, exp;

    h_cmd(v, &r, BDOOR_CMD_GETHZ, 0x1234, 3);
    h_regs_cmd(&exp, BDOOR_CMD_GETHZ, 0x1234, VMPORT_LB_PORT);
    exp.eax = ~0U;
    exp.ebx = ~0U;
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(get_vcpu_info_is_implemented_without_features)
{
    struct cpu_user_regs r, exp;

    h_cmd(v, &r, BDOOR_CMD_GET_VCPU_INFO, 0, CPL);
    h_regs_cmd(&exp, BDOOR_CMD_GET_VCPU_INFO, 0, VMPORT_LB_PORT);
    exp.eax = 0;
    h_regs_expect(&exp, &r);
}
END_TEST

/* kvm-unit-tests vmware_backdoors: command 0xfff, EBX unchanged. */
START_TEST(unknown_command_sets_eax_all_ones_only)
{
    static const uint32_t cmds[] = { 0xfff, 0, 2, 21, 105, 0xffff };
    struct cpu_user_regs r, exp;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
        h_cmd(v, &r, cmds[i], 0xabcdef01, CPL);
        h_regs_cmd(&exp, cmds[i], 0xabcdef01, VMPORT_LB_PORT);
        exp.eax = ~0U;
        h_regs_expect(&exp, &r);
    }
}
END_TEST

START_TEST(message_open_reaches_message_handler)
{
    struct cpu_user_regs r;

    h_cmd(v, &r, BDOOR_CMD_MESSAGE | (MESSAGE_TYPE_OPEN << 16),
          VMPORT_PROTO_RPCI | GUESTMSG_FLAG_COOKIE, CPL);
    ck_assert_msg(r.ecx == 0x00010000, "ecx: expected 0x10000, seen %#x",
                  r.ecx);
    ck_assert_msg(r.eax == VMPORT_MAGIC, "eax: expected magic, seen %#x",
                  r.eax);
    ck_assert_msg((r.rdx >> 32) == (H_HIGH >> 32), "rdx upper half changed");
}
END_TEST

START_TEST(wrong_magic_in_reads_all_ones_in_width)
{
    static const struct {
        const uint8_t *bytes;
        unsigned int len;
        uint64_t rax;
    } cases[] = {
        { H_IN_EAX_DX, sizeof(H_IN_EAX_DX), H_HIGH | 0xffffffff },
        { H_IN_AX_DX, sizeof(H_IN_AX_DX), H_HIGH | 0x1234ffff },
        { H_IN_AL_DX, sizeof(H_IN_AL_DX), H_HIGH | 0x123456ff },
    };
    struct cpu_user_regs r, exp;
    unsigned int i, len;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
        r.eax = 0x12345678;
        exp = r;
        exp.rax = cases[i].rax;
        len = h_run(v, &r, cases[i].bytes, cases[i].len, CPL);
        ck_assert_msg(len == cases[i].len, "case %u: length %u", i, len);
        h_regs_expect(&exp, &r);
    }
    ck_assert_uint_eq(shim_trace_count_event(TRC_HVM_VMPORT_EMPTY), 3);
    ck_assert_uint_eq(shim_trace_count_event(TRC_HVM_VMPORT_LB), 0);
}
END_TEST

START_TEST(wrong_magic_out_changes_nothing)
{
    struct cpu_user_regs r, exp;

    h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
    r.eax = ~VMPORT_MAGIC;
    exp = r;
    ck_assert_uint_eq(h_run(v, &r, H_OUT_DX_EAX, sizeof(H_OUT_DX_EAX), CPL),
                      1);
    h_regs_expect(&exp, &r);
}
END_TEST

/* The magic is compared on all 32 bits, not just the upper half. */
START_TEST(magic_upper_half_of_rax_is_ignored)
{
    struct cpu_user_regs r, exp;

    h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
    r.rax = 0xffffffff00000000ULL | VMPORT_MAGIC;
    exp = r;
    exp.rax = 0xffffffff00000006ULL;
    exp.ebx = VMPORT_MAGIC;
    exp.ecx = 2;
    h_run(v, &r, H_IN_EAX_DX, sizeof(H_IN_EAX_DX), CPL);
    h_regs_expect(&exp, &r);
}
END_TEST

START_TEST(out_leaves_eax_and_sets_other_results)
{
    static const struct {
        const uint8_t *bytes;
        unsigned int len;
    } cases[] = {
        { H_OUT_DX_EAX, sizeof(H_OUT_DX_EAX) },
        { H_OUT_DX_AX, sizeof(H_OUT_DX_AX) },
        { H_OUT_DX_AL, sizeof(H_OUT_DX_AL) },
    };
    struct cpu_user_regs r, exp;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
        exp = r;
        exp.ebx = VMPORT_MAGIC;
        exp.ecx = 2;
        ck_assert_uint_eq(h_run(v, &r, cases[i].bytes, cases[i].len, CPL),
                          cases[i].len);
        h_regs_expect(&exp, &r);
    }
}
END_TEST

START_TEST(narrow_in_changes_only_al_or_ax)
{
    struct cpu_user_regs r, exp;

    h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
    exp = r;
    exp.rax = H_HIGH | (VMPORT_MAGIC & 0xffffff00) | 6;
    exp.ebx = VMPORT_MAGIC;
    exp.ecx = 2;
    ck_assert_uint_eq(h_run(v, &r, H_IN_AL_DX, sizeof(H_IN_AL_DX), CPL), 1);
    h_regs_expect(&exp, &r);

    h_regs_cmd(&r, BDOOR_CMD_GETHWVERSION, 0, VMPORT_LB_PORT);
    exp = r;
    exp.rax = H_HIGH | (VMPORT_MAGIC & 0xffff0000) | 7;
    exp.ebx = VMPORT_MAGIC;
    ck_assert_uint_eq(h_run(v, &r, H_IN_AX_DX, sizeof(H_IN_AX_DX), CPL), 2);
    h_regs_expect(&exp, &r);
}
END_TEST

/* In 16-bit code `ed` is a 16-bit IN and `66 ed` a 32-bit one. */
START_TEST(operand_size_follows_code_segment)
{
    static const uint8_t in32_16[] = { 0x66, 0xed };
    struct cpu_user_regs r, exp;

    h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
    exp = r;
    exp.rax = H_HIGH | (VMPORT_MAGIC & 0xffff0000) | 6;
    exp.ebx = VMPORT_MAGIC;
    exp.ecx = 2;
    ck_assert_uint_eq(h_run_mode(v, &r, H_IN_EAX_DX, 1, 16, CPL, 0), 1);
    h_regs_expect(&exp, &r);

    h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
    exp = r;
    exp.eax = 6;
    exp.ebx = VMPORT_MAGIC;
    exp.ecx = 2;
    ck_assert_uint_eq(h_run_mode(v, &r, in32_16, 2, 16, CPL, 0), 2);
    h_regs_expect(&exp, &r);
}
END_TEST

/* Nothing but DX = 0x5658 (non-string) or 0x5659 (string) is ours. */
START_TEST(other_accesses_are_not_ours)
{
    static const struct {
        const char *what;
        uint8_t bytes[3];
        unsigned int len;
        uint16_t dx;
    } cases[] = {
        { "in eax, 0x58 (imm8)", { 0xe5, 0x58 }, 2, VMPORT_LB_PORT },
        { "out 0x58, al (imm8)", { 0xe6, 0x58 }, 2, VMPORT_LB_PORT },
        { "in eax, dx on 0x5657", { 0xed }, 1, 0x5657 },
        { "in eax, dx on 0x0058", { 0xed }, 1, 0x0058 },
        { "in eax, dx on 0x5659 (HB, not string)", { 0xed }, 1,
          VMPORT_HB_PORT },
        { "rep insb on 0x5658 (LB, string)", { 0xf3, 0x6c }, 2,
          VMPORT_LB_PORT },
        { "rep outsd on 0x5658", { 0xf3, 0x6f }, 2, VMPORT_LB_PORT },
        { "nop", { 0x90 }, 1, VMPORT_LB_PORT },
        { "lock in", { 0xf0, 0xed }, 2, VMPORT_LB_PORT },
    };
    struct cpu_user_regs r, exp;
    unsigned int i, len;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, cases[i].dx);
        exp = r;
        len = h_run(v, &r, cases[i].bytes, cases[i].len, CPL);
        ck_assert_msg(len == 0, "%s: expected 0 (not ours), seen %u",
                      cases[i].what, len);
        h_regs_expect(&exp, &r);
    }
    ck_assert_uint_eq(shim_trace_count(), 0);
}
END_TEST

START_TEST(domain_without_vmport_has_no_backdoor)
{
    struct domain *plain = shim_domain_create(9, 1);
    struct cpu_user_regs r, exp;

    h_regs_cmd(&r, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
    exp = r;
    ck_assert_uint_eq(h_run(plain->vcpu[0], &r, H_IN_EAX_DX, 1, CPL), 0);
    h_regs_expect(&exp, &r);
    shim_domain_destroy(plain);
}
END_TEST

START_TEST(hb_with_wrong_magic_is_a_no_op)
{
    struct cpu_user_regs r, exp;

    h_regs_cmd(&r, 0x00010000, 0x00010000, VMPORT_HB_PORT);
    r.eax = 0;
    exp = r;
    ck_assert_uint_eq(h_run(v, &r, H_REP_INSB, sizeof(H_REP_INSB), CPL), 2);
    h_regs_expect(&exp, &r);
    ck_assert_uint_eq(shim_mem_copies(d), 0);
}
END_TEST

/* A non-rep HB access is ours but moves nothing: EBX says failure. */
START_TEST(hb_without_rep_fails_in_ebx_only)
{
    static const uint8_t outsb[] = { 0x6e };
    struct cpu_user_regs r, exp;

    h_regs_cmd(&r, 0x10, 0x00010000, VMPORT_HB_PORT);
    exp = r;
    exp.ebx = 0;
    ck_assert_uint_eq(h_run(v, &r, outsb, sizeof(outsb), CPL), 1);
    h_regs_expect(&exp, &r);
    ck_assert_uint_eq(shim_mem_copies(d), 0);
    ck_assert_uint_eq(shim_trace_count_event(TRC_HVM_VMPORT_HB), 1);
}
END_TEST

START_TEST(every_exit_is_traced_with_command_and_result)
{
    const struct shim_trace_rec *t;
    struct cpu_user_regs r;

    h_cmd(v, &r, 0xffff000a, 0, CPL);
    t = shim_trace_find(TRC_HVM_VMPORT_LB, 0);
    ck_assert_msg(t != NULL, "no TRC_HVM_VMPORT_LB record");
    ck_assert_uint_eq(t->nr, 4);
    ck_assert_uint_eq(t->data[0], 0xffff000a);
    ck_assert_uint_eq(t->data[1], 6);
    ck_assert_uint_eq(t->data[2], (IOREQ_READ << 8) | 4);
    ck_assert_uint_eq(t->data[3], CPL);
    ck_assert_uint_eq(t->domid, 1);
}
END_TEST

START_TEST(second_vcpu_and_second_domain_are_independent)
{
    struct domain *d2 = h_domain(2, 1, 4, NULL);
    struct cpu_user_regs r;

    h_cmd(d->vcpu[1], &r, BDOOR_CMD_GETHWVERSION, 0, CPL);
    ck_assert_uint_eq(r.eax, 7);
    h_cmd(d2->vcpu[0], &r, BDOOR_CMD_GETHWVERSION, 0, CPL);
    ck_assert_uint_eq(r.eax, 4);
    h_cmd(d2->vcpu[0], &r, BDOOR_CMD_GETUUID, 0, CPL);
    ck_assert_uint_eq(r.eax & 0xff, d2->handle[0]);
    ck_assert_uint_ne(d2->handle[0], d->handle[0]);
    shim_domain_destroy(d2);
}
END_TEST

/* The portio handler (accesses the CPU allowed) gives the same answers. */
START_TEST(ioport_handler_answers_through_val)
{
    struct cpu_user_regs *regs = &v->arch.user_regs;
    uint32_t val = 0;

    shim_vcpu_set_mode(v, 64, CPL, 3);
    shim_set_current(v);
    h_regs_cmd(regs, BDOOR_CMD_GETVERSION, 0, VMPORT_LB_PORT);
    ck_assert_int_eq(vmport_ioport(IOREQ_READ, VMPORT_LB_PORT, 4, &val),
                     X86EMUL_OKAY);
    ck_assert_uint_eq(val, 6);
    ck_assert_uint_eq(regs->ebx, VMPORT_MAGIC);
    ck_assert_uint_eq(regs->ecx, 2);
    ck_assert_uint_eq(regs->rax, H_HIGH | VMPORT_MAGIC);

    regs->eax = 0;
    ck_assert_int_eq(vmport_ioport(IOREQ_READ, VMPORT_LB_PORT, 4, &val),
                     X86EMUL_OKAY);
    ck_assert_uint_eq(val, ~0U);
}
END_TEST

/*
 * Hostile register sequences: 200000 random accesses on one domain while
 * another watches.  Mostly well-formed enough to get deep: the magic,
 * MESSAGE sub-commands with real protocol magics, channels and cookies
 * learnt from earlier OPENs, sizes up to past the 64 KiB cap, guest
 * addresses in and out of mapped memory, every instruction form, both
 * CPLs, time jumps (idle reclaim).  Invariants: the budget holds after
 * every call, the bystander never changes, and destroying the attacked
 * domain frees everything (teardown).
 */
static uint64_t storm_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

struct storm_chan {
    uint32_t id;
    uint64_t cookie;
};

static void storm_regs(struct cpu_user_regs *r, uint64_t *seed, bool hb,
                       const struct storm_chan *known)
{
    uint64_t x = storm_rand(seed), y = storm_rand(seed);
    const struct storm_chan *c = &known[y % 16];
    unsigned int sub = x % 8;

    h_regs_init(r);
    r->eax = (x & 0xf00) ? VMPORT_MAGIC : (uint32_t)y;
    r->ecx = (x & 0x7000) ? BDOOR_CMD_MESSAGE | (sub << 16) : (uint32_t)y;
    r->edx = ((x & 0x8000) ? c->id : (y >> 8) % 10) << 16;
    r->edx |= hb ? VMPORT_HB_PORT : VMPORT_LB_PORT;
    r->esi = c->cookie >> 32;
    r->edi = (uint32_t)c->cookie;
    if ( sub == MESSAGE_TYPE_OPEN )
        r->ebx = ((x & 0x10000) ? VMPORT_PROTO_RPCI : VMPORT_PROTO_TCLO) |
                 ((x & 0x20000) ? GUESTMSG_FLAG_COOKIE : 0);
    else
        r->ebx = (x & 0x40000) ? (y >> 20) % 70000 : (uint32_t)(y >> 32);
    if ( !hb )
        return;
    r->ebx = (x & 0x80000) ? 0x00010000 : (uint32_t)y;
    r->ecx = (y >> 11) % 70000;
    if ( x & 0x100000 )
    {
        r->rsi = 0x100000 + (y % (300 << 10));        /* rep outsb */
        r->edi = (uint32_t)c->cookie;
        r->ebp = c->cookie >> 32;
    }
    else
    {
        r->esi = c->cookie >> 32;                      /* rep insb */
        r->rdi = 0x100000 + ((y >> 3) % (300 << 10));
        r->ebp = (uint32_t)c->cookie;
    }
}

START_TEST(random_register_storm_keeps_invariants)
{
    static const struct {
        uint8_t b[3];
        uint8_t n;
        bool hb;
    } insns[] = {
        { { 0xed }, 1, false }, { { 0xec }, 1, false },
        { { 0x66, 0xed }, 2, false }, { { 0xef }, 1, false },
        { { 0xee }, 1, false }, { { 0xe5, 0x58 }, 2, false },
        { { 0xf3, 0x6e }, 2, true }, { { 0xf3, 0x6c }, 2, true },
        { { 0x6e }, 1, true }, { { 0xf3, 0x6f }, 2, true },
        { { 0x67, 0xf3, 0x6e }, 3, true },
    };
    struct domain *bystander = h_domain(2, 1, 7, NULL);
    struct vmport_domain *vd = vmport_dom(d), *bd = vmport_dom(bystander);
    size_t bystander_used = bd->mem_used, peak = 0;
    struct storm_chan known[16] = { { 0 } };
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    unsigned int i, opened = 0;

    shim_mem_map(d, 0x100000, 256 << 10, SHIM_MEM_ALL);
    shim_trace_enable(false);
    for ( i = 0; i < 200000; i++ )
    {
        uint64_t x = storm_rand(&seed);
        unsigned int k = x % ARRAY_SIZE(insns);
        struct cpu_user_regs r;
        bool open;

        storm_regs(&r, &seed, insns[k].hb, known);
        open = !insns[k].hb && r.eax == VMPORT_MAGIC &&
               r.ecx == (BDOOR_CMD_MESSAGE | (MESSAGE_TYPE_OPEN << 16));
        if ( x & 0x100000000ULL )
            shim_clock_advance(MILLISECS(x >> 48));
        h_run_mode(v, &r, insns[k].b, insns[k].n,
                   (x & 0x200000000ULL) ? 32 : 64,
                   (x & 0x400000000ULL) ? 3 : 0, 0);
        if ( open && r.ecx == 0x00010000 )
        {
            known[opened % 16].id = r.edx >> 16;
            known[opened % 16].cookie = ((uint64_t)r.esi << 32) | r.edi;
            opened++;
        }
        peak = max_t(size_t, peak, vd->mem_used);
        ck_assert_msg(vd->mem_used <= vd->mem_limit, "step %u: mem_used %zu "
                      "> limit %zu", i, vd->mem_used, vd->mem_limit);
    }
    shim_trace_enable(true);
    /* The storm must have got somewhere for the invariants to mean much. */
    ck_assert_msg(opened > 1000, "only %u channels opened", opened);
    ck_assert_msg(peak > 64 * 1024, "peak budget use only %zu bytes", peak);
    ck_assert_uint_eq(bd->mem_used, bystander_used);
    for ( i = 0; i < bd->limits.max_channels; i++ )
        ck_assert_msg(!bd->channels[i].in_use, "bystander channel %u open",
                      i);
    ck_assert_uint_eq(bd->gi_count, 0);
    shim_domain_destroy(bystander);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("backdoor");
    TCase *tc = tcase_create("lb");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, getmhz_sets_eax_only, 0, 2);
    tcase_add_loop_test(tc, getversion_sets_eax_ebx_ecx_only, 0, 2);
    tcase_add_loop_test(tc, getversion_ignores_ecx_high_half, 0, 2);
    tcase_add_loop_test(tc, gethwversion_sets_eax_ebx_only, 0, 2);
    tcase_add_loop_test(tc, getuuid_returns_handle_bytes_little_endian, 0, 2);
    tcase_add_loop_test(tc, getmemsize_returns_megabytes, 0, 2);
    tcase_add_loop_test(tc, gettime_returns_wallclock_sec_usec_lag, 0, 2);
    tcase_add_loop_test(tc, gettimefull_splits_seconds_esi_edx, 0, 2);
    tcase_add_loop_test(tc, gettimefull_with_lag_also_sets_edi, 0, 2);
    tcase_add_loop_test(tc, gettime_includes_domain_rtc_offset, 0, 2);
    tcase_add_loop_test(tc, gettime_never_goes_backwards, 0, 2);
    tcase_add_test(tc, gethz_at_cpl0_returns_tsc_and_apic_hz);
    tcase_add_test(tc, gethz_at_cpl3_is_unsupported);
    tcase_add_loop_test(tc, get_vcpu_info_is_implemented_without_features,
                        0, 2);
    tcase_add_loop_test(tc, unknown_command_sets_eax_all_ones_only, 0, 2);
    tcase_add_loop_test(tc, message_open_reaches_message_handler, 0, 2);
    tcase_add_loop_test(tc, wrong_magic_in_reads_all_ones_in_width, 0, 2);
    tcase_add_loop_test(tc, wrong_magic_out_changes_nothing, 0, 2);
    tcase_add_loop_test(tc, magic_upper_half_of_rax_is_ignored, 0, 2);
    tcase_add_loop_test(tc, out_leaves_eax_and_sets_other_results, 0, 2);
    tcase_add_loop_test(tc, narrow_in_changes_only_al_or_ax, 0, 2);
    tcase_add_loop_test(tc, operand_size_follows_code_segment, 0, 2);
    tcase_add_loop_test(tc, other_accesses_are_not_ours, 0, 2);
    tcase_add_loop_test(tc, domain_without_vmport_has_no_backdoor, 0, 2);
    tcase_add_loop_test(tc, hb_with_wrong_magic_is_a_no_op, 0, 2);
    tcase_add_loop_test(tc, hb_without_rep_fails_in_ebx_only, 0, 2);
    tcase_add_loop_test(tc, every_exit_is_traced_with_command_and_result,
                        0, 2);
    tcase_add_test(tc, second_vcpu_and_second_domain_are_independent);
    tcase_add_loop_test(tc, ioport_handler_answers_through_val, 0, 2);
    tcase_add_test(tc, random_register_storm_keeps_invariants);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
