/*
 * test_hb.c: high-bandwidth transfers on port 0x5659.
 *
 * The whole buffer moves in one exit; EBX is the only register written
 * (0x00010000 exactly on success, as OpenBSD demands); ECX/ESI/EDI/EBP
 * keep their values rather than the architectural side effects of rep
 * ins/outs; every error (fault, bad length, wrong cookie, nothing pending,
 * DF=1, wrong form) is a status without SUCCESS and moves nothing.
 */

#include <asm/hvm/hvm.h>

#include "msg_harness.h"

#define SRC     GUEST_BUF
#define DST     (GUEST_BUF + GUEST_BUF_LEN / 2)

/* SENDSIZE @len on @c, asserting the HB offer. */
static void sendsize(const struct chan *c, uint32_t len)
{
    struct cpu_user_regs r;

    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, c, len);
    ck_assert_msg(r.ecx == 0x00810000, "SENDSIZE: ECX %#x", r.ecx);
}

/* RECVSIZE on @c: the reply length (DORECV asserted). */
static uint32_t recvsize(const struct chan *c)
{
    struct cpu_user_regs r;

    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, c, 0);
    ck_assert_msg(r.ecx == 0x00830000, "RECVSIZE: ECX %#x", r.ecx);
    return r.ebx;
}

static void put(unsigned long addr, const char *s)
{
    ck_assert_int_eq(shim_mem_write(m_d, addr, s, strlen(s)), 0);
}

/* The registers after an HB call are the input ones with EBX = @ebx. */
static void expect_only_ebx(const struct cpu_user_regs *in,
                            const struct cpu_user_regs *out, uint32_t ebx)
{
    struct cpu_user_regs exp = *in;

    exp.ebx = ebx;
    h_regs_expect(&exp, out);
}

START_TEST(hb_round_trip_of_20000_bytes_is_byte_exact)
{
    static char req[20100], reply[20100];
    struct chan c;
    uint32_t i;
    long n;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    n = snprintf(req, sizeof(req), "info-set guestinfo.big ");
    for ( i = 0; i < 20000; i++ )
        req[n + i] = 'A' + i % 26;
    ck_assert_int_eq(m_rpc_hb(m_v, &c, req, n + 20000, reply,
                              sizeof(reply)), 2);
    ck_assert_str_eq(reply, "1 ");

    n = m_rpc_hb(m_v, &c, "info-get guestinfo.big", 22, reply,
                 sizeof(reply));
    ck_assert_int_eq(n, 20002);
    ck_assert_int_eq(memcmp(reply + 2, req + 23, 20000), 0);
    /*
     * One guest copy per bounce chunk each way (hb.c), not one per byte:
     * 20,000 bytes span at most 20000 / VMPORT_HB_CHUNK + 2 chunks.
     */
    ck_assert_uint_le(shim_mem_copies(m_d),
                      2 * (20000 / VMPORT_HB_CHUNK + 2) + 2);
}
END_TEST

START_TEST(hb_out_writes_only_ebx_exactly)
{
    struct cpu_user_regs r, in;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 9);
    put(SRC, "log hello");
    m_hb_out(m_v, &r, &c, SRC, 9);
    m_hb_regs(&in, &c, true, SRC, 9);
    expect_only_ebx(&in, &r, 0x00010000);

    /* Failure too writes EBX alone: nothing is pending any more. */
    m_hb_out(m_v, &r, &c, SRC, 9);
    expect_only_ebx(&in, &r, 0);
}
END_TEST

START_TEST(hb_in_writes_only_ebx_exactly)
{
    struct cpu_user_regs r, in;
    struct chan c;
    char buf[8] = "";

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log x", 5), 0x00010000);
    ck_assert_uint_eq(recvsize(&c), 2);
    m_hb_in(m_v, &r, &c, DST, 2);
    m_hb_regs(&in, &c, false, DST, 2);
    expect_only_ebx(&in, &r, 0x00010000);
    ck_assert_int_eq(shim_mem_read(m_d, DST, buf, 2), 0);
    ck_assert_str_eq(buf, "1 ");
}
END_TEST

START_TEST(hb_without_pending_transfer_fails)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_hb_out(m_v, &r, &c, SRC, 4);
    ck_assert_msg(r.ebx == 0, "out before SENDSIZE: EBX %#x", r.ebx);
    m_hb_in(m_v, &r, &c, DST, 4);
    ck_assert_msg(r.ebx == 0, "in before RECVSIZE: EBX %#x", r.ebx);
    /* A reply waiting but RECVSIZE not done yet. */
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log x", 5), 0x00010000);
    m_hb_in(m_v, &r, &c, DST, 2);
    ck_assert_uint_eq(r.ebx, 0);
}
END_TEST

START_TEST(hb_wrong_cookie_or_channel_fails)
{
    struct cpu_user_regs r;
    struct chan c, bad;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    put(SRC, "log x");
    /* LB order (ESI high, EDI low) used on HB is a wrong cookie. */
    bad = c;
    bad.cookie = (c.cookie << 32) | (c.cookie >> 32);
    m_hb_out(m_v, &r, &bad, SRC, 5);
    ck_assert_uint_eq(r.ebx, 0);
    bad = c;
    bad.id = 99;
    m_hb_out(m_v, &r, &bad, SRC, 5);
    ck_assert_uint_eq(r.ebx, 0);
    m_hb_out(m_v, &r, &c, SRC, 5);
    ck_assert_uint_eq(r.ebx, 0x00010000);
}
END_TEST

START_TEST(hb_bad_lengths_fail_and_move_nothing)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    put(SRC, "log x");
    m_hb_out(m_v, &r, &c, SRC, 0);
    ck_assert_uint_eq(r.ebx, 0);
    m_hb_out(m_v, &r, &c, SRC, 6);
    ck_assert_uint_eq(r.ebx, 0);
    m_hb_out(m_v, &r, &c, SRC, 0xffffffff);
    ck_assert_uint_eq(r.ebx, 0);
    ck_assert_uint_eq(shim_mem_copies(m_d), 0);
    /* Two partial transfers make the whole message. */
    m_hb_out(m_v, &r, &c, SRC, 3);
    ck_assert_uint_eq(r.ebx, 0x00010000);
    m_hb_out(m_v, &r, &c, SRC + 3, 2);
    ck_assert_uint_eq(r.ebx, 0x00010000);

    ck_assert_uint_eq(recvsize(&c), 2);
    m_hb_in(m_v, &r, &c, DST, 3);
    ck_assert_uint_eq(r.ebx, 0);
    m_hb_in(m_v, &r, &c, DST, 2);
    ck_assert_uint_eq(r.ebx, 0x00010000);
}
END_TEST

/*
 * @r (the registers after the call) equals @in: the instruction is to be
 * executed again, and a page fault with @ec at @cr2 was injected.
 */
static void expect_restart_with_pf(int rc, const struct cpu_user_regs *in,
                                   const struct cpu_user_regs *r,
                                   uint32_t ec, unsigned long cr2)
{
    uint32_t got_ec;
    unsigned long got_cr2;

    ck_assert_int_eq(rc, VMPORT_RESTART);
    h_regs_expect(in, r);
    ck_assert_msg(shim_vcpu_take_pf(m_v, &got_ec, &got_cr2),
                  "no page fault injected");
    ck_assert_uint_eq(got_ec, ec);
    ck_assert_uint_eq(got_cr2, cr2);
}

/* Registers of an HB call, as the guest sets them before the instruction. */
static struct cpu_user_regs hb_in_regs(const struct chan *c, bool out,
                                       unsigned long addr, uint32_t count)
{
    struct cpu_user_regs r;

    m_hb_regs(&r, c, out, addr, count);
    return r;
}

START_TEST(hb_guest_memory_faults_restart_the_instruction)
{
    const unsigned long fresh = 0x30000000UL;   /* not mapped yet */
    struct cpu_user_regs r, in;
    struct chan c;
    char reply[64];
    int rc;

    shim_vcpu_take_pf(m_v, NULL, NULL);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);

    /* An absent source page: #PF (user, read), nothing else changes. */
    in = hb_in_regs(&c, true, fresh, 5);
    rc = m_hb_out(m_v, &r, &c, fresh, 5);
    expect_restart_with_pf(rc, &in, &r, PFEC_user_mode, fresh);
    /* The guest's kernel maps it and the instruction runs again. */
    ck_assert_int_eq(shim_mem_map(m_d, fresh, 4096,
                                  SHIM_MEM_RW | SHIM_MEM_USER), 0);
    ck_assert_int_eq(shim_mem_write(m_d, fresh, "log x", 5), 0);
    ck_assert_int_eq(m_hb_out(m_v, &r, &c, fresh, 5), sizeof(H_REP_OUTSB));
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert(!shim_vcpu_take_pf(m_v, NULL, NULL));

    /* A reply into a buffer running into an absent page: #PF on it. */
    ck_assert_uint_eq(recvsize(&c), 2);
    in = hb_in_regs(&c, false, fresh + 4096 - 1, 2);
    rc = m_hb_in(m_v, &r, &c, fresh + 4096 - 1, 2);
    expect_restart_with_pf(rc, &in, &r, PFEC_user_mode | PFEC_write_access,
                           fresh + 4096);
    /* Paged out in Xen: restarted without a fault for the guest. */
    shim_mem_inject(m_d, HVMTRANS_gfn_paged_out, 1);
    rc = m_hb_in(m_v, &r, &c, DST, 2);
    ck_assert_int_eq(rc, VMPORT_RESTART);
    ck_assert(!shim_vcpu_take_pf(m_v, NULL, NULL));
    /* Nothing was consumed: the whole reply still arrives. */
    ck_assert_int_eq(m_hb_in(m_v, &r, &c, DST, 2), sizeof(H_REP_INSB));
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert_int_eq(shim_mem_read(m_d, DST, reply, 2), 0);
    ck_assert_int_eq(memcmp(reply, "1 ", 2), 0);
}
END_TEST

/*
 * A guest memory backend that records whether vd->lock was held during
 * any copy: Xen may block inside a guest copy (paging, sharing), so the
 * device model must never hold its spinlock there.
 */
static uint8_t lockcheck_mem[2 * 4096];
static unsigned int lockcheck_copies, lockcheck_locked;
#define LOCKCHECK_BASE  0x40000000UL

static bool lockcheck_range(unsigned long addr, unsigned int size)
{
    lockcheck_copies++;
    if ( spin_is_locked(&m_vd()->lock) )
        lockcheck_locked++;
    return addr >= LOCKCHECK_BASE &&
           addr + size <= LOCKCHECK_BASE + sizeof(lockcheck_mem);
}

static enum hvm_translation_result lockcheck_read(
    void *priv, void *buf, unsigned long addr, unsigned int size,
    uint32_t pfec, pagefault_info_t *pfinfo)
{
    if ( !lockcheck_range(addr, size) )
        return HVMTRANS_unhandleable;
    memcpy(buf, lockcheck_mem + (addr - LOCKCHECK_BASE), size);
    return HVMTRANS_okay;
}

static enum hvm_translation_result lockcheck_write(
    void *priv, unsigned long addr, const void *buf, unsigned int size,
    uint32_t pfec, pagefault_info_t *pfinfo)
{
    if ( !lockcheck_range(addr, size) )
        return HVMTRANS_unhandleable;
    memcpy(lockcheck_mem + (addr - LOCKCHECK_BASE), buf, size);
    return HVMTRANS_okay;
}

START_TEST(hb_copies_guest_memory_without_the_lock)
{
    static const struct shim_guest_mem_ops ops = {
        .read = lockcheck_read, .write = lockcheck_write,
    };
    static const char req[] = "info-set guestinfo.x 0123456789";
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    shim_set_guest_mem(m_d, &ops, NULL);
    lockcheck_copies = lockcheck_locked = 0;
    memcpy(lockcheck_mem + 4096 - 10, req, sizeof(req) - 1);
    sendsize(&c, sizeof(req) - 1);
    /* Across a page boundary: two copies. */
    m_hb_out(m_v, &r, &c, LOCKCHECK_BASE + 4096 - 10, sizeof(req) - 1);
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert_uint_eq(recvsize(&c), 2);
    m_hb_in(m_v, &r, &c, LOCKCHECK_BASE, 2);
    ck_assert_uint_eq(r.ebx, 0x00010000);
    shim_set_guest_mem(m_d, NULL, NULL);

    ck_assert_int_eq(memcmp(lockcheck_mem, "1 ", 2), 0);
    ck_assert_uint_eq(lockcheck_copies, 3);
    ck_assert_uint_eq(lockcheck_locked, 0);
}
END_TEST

START_TEST(hb_unusable_address_fails_without_host_damage)
{
    struct cpu_user_regs r;
    struct chan c;
    char reply[64];

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    /* Non-canonical: no page to fault in, a failure status. */
    ck_assert_int_eq(m_hb_out(m_v, &r, &c, 0x8000000000000000UL, 5),
                     sizeof(H_REP_OUTSB));
    ck_assert_uint_eq(r.ebx, 0);
    put(SRC, "log x");
    ck_assert_int_eq(m_hb_out(m_v, &r, &c, SRC, 5), sizeof(H_REP_OUTSB));
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert_uint_eq(recvsize(&c), 2);
    /* An unhandleable copy fails the call; the reply survives for LB. */
    shim_mem_inject(m_d, HVMTRANS_unhandleable, 1);
    ck_assert_int_eq(m_hb_in(m_v, &r, &c, DST, 2), sizeof(H_REP_INSB));
    ck_assert_uint_eq(r.ebx, 0);
    ck_assert_int_eq(m_recv_lb(m_v, &c, reply, sizeof(reply), &r.ecx), 2);
}
END_TEST

START_TEST(hb_respects_user_mode_page_permissions)
{
    struct cpu_user_regs r, in;
    struct chan c;
    int rc;

    shim_vcpu_take_pf(m_v, NULL, NULL);
    ck_assert_int_eq(shim_mem_map(m_d, 0x20000000UL, 4096, SHIM_MEM_RW), 0);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    /* CPL 3 may not read a supervisor page: a protection #PF... */
    in = hb_in_regs(&c, true, 0x20000000UL, 5);
    rc = m_hb_out(m_v, &r, &c, 0x20000000UL, 5);
    expect_restart_with_pf(rc, &in, &r, PFEC_user_mode | PFEC_page_present,
                           0x20000000UL);
    /* ...CPL 0 may. */
    ck_assert_int_eq(shim_mem_write(m_d, 0x20000000UL, "log x", 5), 0);
    m_mode.cpl = 0;
    m_hb_out(m_v, &r, &c, 0x20000000UL, 5);
    ck_assert_uint_eq(r.ebx, 0x00010000);
}
END_TEST

START_TEST(hb_with_df_set_is_refused)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    put(SRC, "log x");
    m_hb_regs(&r, &c, true, SRC, 5);
    r.rflags |= X86_EFLAGS_DF;
    ck_assert_uint_eq(m_exec(m_v, &r, H_REP_OUTSB, sizeof(H_REP_OUTSB)), 2);
    ck_assert_uint_eq(r.ebx, 0);
    ck_assert_uint_eq(shim_mem_copies(m_d), 0);
}
END_TEST

START_TEST(hb_wrong_forms_are_refused)
{
    static const uint8_t outsb[] = { 0x6e };
    static const uint8_t rep_outsw[] = { 0xf3, 0x66, 0x6f };
    static const uint8_t rep_outsd[] = { 0xf3, 0x6f };
    const uint8_t *forms[] = { outsb, rep_outsw, rep_outsd };
    const unsigned int lens[] = { 1, 3, 2 };
    struct cpu_user_regs r;
    struct chan c;
    unsigned int i;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 4);
    put(SRC, "logx");
    for ( i = 0; i < 3; i++ )
    {
        m_hb_regs(&r, &c, true, SRC, 4);
        m_exec(m_v, &r, forms[i], lens[i]);
        ck_assert_msg(r.ebx == 0, "form %u: EBX %#x", i, r.ebx);
    }
    /* A non-MESSAGE HB command (VASSERT). */
    m_hb_regs(&r, &c, true, SRC, 4);
    r.ebx = 0x00010000 | BDOORHB_CMD_VASSERT;
    m_exec(m_v, &r, H_REP_OUTSB, sizeof(H_REP_OUTSB));
    ck_assert_uint_eq(r.ebx, 0);
    ck_assert_uint_eq(shim_mem_copies(m_d), 0);
}
END_TEST

START_TEST(hb_disabled_domain_refuses_transfers)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_int_eq(vmport_set_hb(m_d, false), 0);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, 5);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    put(SRC, "log x");
    m_hb_out(m_v, &r, &c, SRC, 5);
    ck_assert_uint_eq(r.ebx, 0);
}
END_TEST

/* 0x67 in 64-bit code: ESI/ECX, not RSI/RCX, give address and count. */
START_TEST(hb_address_size_prefix_uses_32_bit_registers)
{
    static const uint8_t a32_rep_outsb[] = { 0x67, 0xf3, 0x6e };
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    put(SRC, "log x");
    m_hb_regs(&r, &c, true, 0xffff000000000000ULL | SRC, 5);
    /* Without the prefix the high bits make it non-canonical: refused. */
    m_exec(m_v, &r, H_REP_OUTSB, sizeof(H_REP_OUTSB));
    ck_assert_uint_eq(r.ebx, 0);
    r.ebx = 0x00010000;
    ck_assert_uint_eq(m_exec(m_v, &r, a32_rep_outsb, 3), 3);
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert_uint_eq(r.rsi, 0xffff000000000000ULL | SRC);
}
END_TEST

/* 16-bit code: SI with the DS base, ES:DI for insb. */
START_TEST(hb_in_16_bit_mode_uses_segment_bases)
{
    struct segment_register seg;
    struct cpu_user_regs r;
    struct chan c;
    char buf[4] = "";

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    put(SRC + 0x100, "log x");

    shim_vcpu_set_mode(m_v, 16, 0, 0);
    hvm_get_segment_register(m_v, x86_seg_ds, &seg);
    seg.base = SRC;
    seg.limit = 0xffff;
    shim_set_segment(m_v, x86_seg_ds, &seg);
    seg.base = DST;
    shim_set_segment(m_v, x86_seg_es, &seg);
    m_mode.cs_bits = 16;
    m_mode.cpl = 0;
    m_keep_segs = true;

    m_hb_out(m_v, &r, &c, 0xabcd0100, 5);    /* only SI counts */
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert_uint_eq(recvsize(&c), 2);
    m_hb_in(m_v, &r, &c, 0x20, 2);
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert_int_eq(shim_mem_read(m_d, DST + 0x20, buf, 2), 0);
    ck_assert_str_eq(buf, "1 ");
    /* Past the 64 KiB segment limit. */
    sendsize(&c, 5);
    m_hb_out(m_v, &r, &c, 0xfffe, 5);
    ck_assert_uint_eq(r.ebx, 0);
}
END_TEST

START_TEST(hb_segment_override_is_honoured_for_outsb)
{
    static const uint8_t fs_rep_outsb[] = { 0x64, 0xf3, 0x6e };
    struct segment_register seg;
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    put(SRC + 0x40, "log x");
    shim_vcpu_set_mode(m_v, 64, 3, 0);
    hvm_get_segment_register(m_v, x86_seg_fs, &seg);
    seg.base = SRC;
    shim_set_segment(m_v, x86_seg_fs, &seg);
    m_keep_segs = true;

    m_hb_regs(&r, &c, true, 0x40, 5);
    ck_assert_uint_eq(m_exec(m_v, &r, fs_rep_outsb, 3), 3);
    ck_assert_uint_eq(r.ebx, 0x00010000);
}
END_TEST

START_TEST(hb_checkpoint_answers_cpt_then_retry_succeeds)
{
    struct cpu_user_regs r;
    struct chan c;
    char reply[16];

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 5);
    put(SRC, "log x");
    m_vd()->channels[c.id].checkpointed = true;
    m_hb_out(m_v, &r, &c, SRC, 5);
    ck_assert_msg(r.ebx == 0x00100000, "expected CPT alone, seen %#x",
                  r.ebx);
    ck_assert_int_eq(m_rpc_hb(m_v, &c, "log x", 5, reply, sizeof(reply)),
                     2);

    ck_assert_uint_eq(m_send_lb(m_v, &c, "log y", 5), 0x00010000);
    ck_assert_uint_eq(recvsize(&c), 2);
    m_vd()->channels[c.id].checkpointed = true;
    m_hb_in(m_v, &r, &c, DST, 2);
    ck_assert_uint_eq(r.ebx, 0x00100000);
    /* The finished reply is kept for the retry. */
    ck_assert_uint_eq(recvsize(&c), 2);
    m_hb_in(m_v, &r, &c, DST, 2);
    ck_assert_uint_eq(r.ebx, 0x00010000);
}
END_TEST

/* OpenBSD truncates long replies: a short insb then RECVSTATUS succeed. */
START_TEST(openbsd_truncated_receive_completes)
{
    static char value[5000];
    struct cpu_user_regs r;
    struct chan c;

    memset(value, 'v', sizeof(value));
    ck_assert_int_eq(vmport_guestinfo_set(m_d, "guestinfo.long", 14, value,
                                          sizeof(value)), 0);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    sendsize(&c, 23);
    put(SRC, "info-get guestinfo.long");
    m_hb_out(m_v, &r, &c, SRC, 23);
    ck_assert_uint_eq(r.ebx, 0x00010000);
    ck_assert_uint_eq(recvsize(&c), 5002);
    m_hb_in(m_v, &r, &c, DST, 4095);
    ck_assert_uint_eq(r.ebx, 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, 1);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
}
END_TEST

static Suite *hb_suite(void)
{
    Suite *s = suite_create("hb");
    TCase *t = tcase_create("hb");

    tcase_add_checked_fixture(t, m_setup, m_teardown);
    tcase_add_test(t, hb_round_trip_of_20000_bytes_is_byte_exact);
    tcase_add_test(t, hb_out_writes_only_ebx_exactly);
    tcase_add_test(t, hb_in_writes_only_ebx_exactly);
    tcase_add_test(t, hb_without_pending_transfer_fails);
    tcase_add_test(t, hb_wrong_cookie_or_channel_fails);
    tcase_add_test(t, hb_bad_lengths_fail_and_move_nothing);
    tcase_add_test(t, hb_guest_memory_faults_restart_the_instruction);
    tcase_add_test(t, hb_unusable_address_fails_without_host_damage);
    tcase_add_test(t, hb_copies_guest_memory_without_the_lock);
    tcase_add_test(t, hb_respects_user_mode_page_permissions);
    tcase_add_test(t, hb_with_df_set_is_refused);
    tcase_add_test(t, hb_wrong_forms_are_refused);
    tcase_add_test(t, hb_disabled_domain_refuses_transfers);
    tcase_add_test(t, hb_address_size_prefix_uses_32_bit_registers);
    tcase_add_test(t, hb_in_16_bit_mode_uses_segment_bases);
    tcase_add_test(t, hb_segment_override_is_honoured_for_outsb);
    tcase_add_test(t, hb_checkpoint_answers_cpt_then_retry_succeeds);
    tcase_add_test(t, openbsd_truncated_receive_completes);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return h_run_suite(hb_suite());
}
