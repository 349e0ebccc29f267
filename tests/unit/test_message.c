/*
 * test_message.c: BDOOR_CMD_MESSAGE over the LB port, register-exact.
 *
 * The values are those strict clients compare: iPXE the whole ECX
 * (0x00010000, 0x00810000, 0x00830000), OpenBSD ECX[15:0] == 0 after
 * CLOSE and DX == 0 after OPEN, open-vm-tools the EDX high halves.  Every
 * call also proves that EAX and bits 63:32 of every register survive and
 * that only the clobber-contract registers change.
 */

#include "msg_harness.h"

#define HI(x)   ((x) & ~0xffffffffULL)

static void assert_untouched(const struct cpu_user_regs *r, const char *regs)
{
    if ( strchr(regs, 'b') )
        ck_assert_msg(HI(r->rbx) == H_HIGH, "RBX high half changed: %#llx",
                      (unsigned long long)r->rbx);
    ck_assert_msg(HI(r->rcx) == H_HIGH, "RCX high half changed");
    ck_assert_msg(HI(r->rdx) == H_HIGH, "RDX high half changed");
    ck_assert_msg(HI(r->rsi) == H_HIGH, "RSI high half changed");
    ck_assert_msg(HI(r->rdi) == H_HIGH, "RDI high half changed");
    ck_assert_msg(r->rbp == (H_HIGH | 0x77777777), "RBP changed: %#llx",
                  (unsigned long long)r->rbp);
    ck_assert_msg(r->r8 == (H_HIGH | 0x88888888), "R8 changed");
}

START_TEST(open_with_cookie_flag_sets_exact_registers)
{
    struct cpu_user_regs r;

    m_msg(m_v, &r, MESSAGE_TYPE_OPEN, NULL, PROTO_RPCI | FLAG_COOKIE);
    ck_assert_msg(r.ecx == 0x00010000, "ECX: expected 0x00010000, seen %#x",
                  r.ecx);
    ck_assert_msg((r.edx & 0xffff) == 0, "EDX low half: expected 0 "
                  "(OpenBSD checks DX), seen %#x", r.edx);
    ck_assert_msg(r.ebx == (PROTO_RPCI | FLAG_COOKIE), "EBX changed to %#x",
                  r.ebx);
    ck_assert_msg(r.esi || r.edi, "cookie is zero");
    assert_untouched(&r, "");
}
END_TEST

START_TEST(open_without_cookie_flag_is_accepted_and_not_checked)
{
    struct chan c;
    char reply[64];

    /* iPXE never sets the flag and never echoes a cookie. */
    m_open_ok(m_v, PROTO_RPCI, &c);
    c.cookie = 0;
    ck_assert_int_eq(m_rpc_lb(m_v, &c, "log x", 5, reply, sizeof(reply)),
                     2);
    ck_assert_str_eq(reply, "1 ");
}
END_TEST

START_TEST(open_refuses_unknown_protocol)
{
    struct chan c;

    ck_assert_uint_eq(m_open(m_v, 0x12345678 | FLAG_COOKIE, &c), 0);
    ck_assert_uint_eq(m_open(m_v, 0, &c), 0);
    ck_assert_uint_eq(m_vd()->channels[0].in_use, false);
}
END_TEST

/* iPXE's guestrpc.c compares each whole ECX with these constants. */
START_TEST(ipxe_sequence_gets_exact_ecx_values)
{
    static const char req[] = "info-get guestinfo.ipxe.filename";
    struct cpu_user_regs r;
    struct chan c;
    uint32_t i, len, w;
    char reply[64] = "";

    m_open_ok(m_v, PROTO_RPCI, &c);

    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, sizeof(req) - 1);
    ck_assert_msg(r.ecx == 0x00810000, "SENDSIZE ECX %#x", r.ecx);
    assert_untouched(&r, "b");
    ck_assert_uint_eq(r.ebx, sizeof(req) - 1);

    for ( i = 0; i < sizeof(req) - 1; i += 4 )
    {
        w = 0;
        memcpy(&w, req + i, sizeof(req) - 1 - i < 4 ? sizeof(req) - 1 - i
                                                     : 4);
        m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, w);
        ck_assert_msg(r.ecx == 0x00010000, "SENDPAYLOAD ECX %#x", r.ecx);
        ck_assert_uint_eq(r.ebx, w);
        ck_assert_uint_eq(r.edx, (c.id << 16) | LB_PORT);
    }

    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_msg(r.ecx == 0x00830000, "RECVSIZE ECX %#x", r.ecx);
    ck_assert_msg(r.edx == ((1U << 16) | LB_PORT), "RECVSIZE EDX %#x",
                  r.edx);
    len = r.ebx;
    ck_assert_uint_eq(len, strlen("0 No value found"));

    for ( i = 0; i < len; i += 4 )
    {
        m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, MESSAGE_STATUS_SUCCESS);
        ck_assert_msg(r.ecx == 0x00010000, "RECVPAYLOAD ECX %#x", r.ecx);
        ck_assert_msg(r.edx >> 16 == 2, "RECVPAYLOAD EDX %#x", r.edx);
        memcpy(reply + i, &r.ebx, len - i < 4 ? len - i : 4);
    }
    ck_assert_str_eq(reply, "0 No value found");

    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, MESSAGE_STATUS_SUCCESS);
    ck_assert_msg(r.ecx == 0x00010000, "RECVSTATUS ECX %#x", r.ecx);
    assert_untouched(&r, "b");

    m_msg(m_v, &r, MESSAGE_TYPE_CLOSE, &c, 0);
    ck_assert_msg(r.ecx == 0x00010000, "CLOSE ECX %#x", r.ecx);
}
END_TEST

START_TEST(close_leaves_ecx_low_half_zero_and_other_registers_alone)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_TCLO | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_CLOSE, &c, 0x1234);
    ck_assert_msg((r.ecx & 0xffff) == 0, "CLOSE ECX[15:0]: seen %#x", r.ecx);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    ck_assert_uint_eq(r.ebx, 0x1234);
    ck_assert_uint_eq(r.edx, (c.id << 16) | LB_PORT);
    ck_assert_uint_eq(r.esi, (uint32_t)(c.cookie >> 32));
    ck_assert_uint_eq(r.edi, (uint32_t)c.cookie);
    assert_untouched(&r, "b");
    ck_assert(!m_vd()->channels[c.id].in_use);
}
END_TEST

START_TEST(recvsize_without_message_touches_only_ecx)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0x77);
    ck_assert_msg(r.ecx == 0x00810000, "ECX %#x", r.ecx);
    ck_assert_uint_eq(r.ebx, 0x77);
    ck_assert_uint_eq(r.edx, (c.id << 16) | LB_PORT);
}
END_TEST

START_TEST(hb_bit_follows_the_domain_setting)
{
    struct cpu_user_regs r;
    struct chan c;

    ck_assert_int_eq(vmport_set_hb(m_d, false), 0);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, 5);
    ck_assert_msg(r.ecx == 0x00010000, "SENDSIZE without HB: ECX %#x",
                  r.ecx);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log a", 5), 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_msg(r.ecx == 0x00030000, "RECVSIZE without HB: ECX %#x",
                  r.ecx);
}
END_TEST

START_TEST(every_open_gets_a_fresh_cookie)
{
    struct chan a, b, a2;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &a);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &b);
    ck_assert_uint_ne(a.id, b.id);
    ck_assert(a.cookie != b.cookie);
    ck_assert_uint_eq(m_close(m_v, &a), 0x00010000);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &a2);
    ck_assert_uint_eq(a2.id, a.id);
    ck_assert_msg(a2.cookie != a.cookie, "reopened channel reused cookie");
}
END_TEST

START_TEST(wrong_cookie_is_refused_and_logged)
{
    struct cpu_user_regs r;
    struct chan c, bad;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    bad = c;
    bad.cookie ^= 1ULL << 40;
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &bad, 4);
    ck_assert_msg(r.ecx == 0, "wrong cookie: ECX %#x", r.ecx);
    ck_assert_int_ge(shim_log_find("wrong cookie"), 0);
    bad.cookie = c.cookie ^ 1;
    m_msg(m_v, &r, MESSAGE_TYPE_CLOSE, &bad, 0);
    ck_assert_uint_eq(r.ecx, 0);
    ck_assert(m_vd()->channels[c.id].in_use);
    /* The real owner is unaffected. */
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log", 3), 0x00010000);
}
END_TEST

START_TEST(closed_and_unknown_channels_are_refused)
{
    struct cpu_user_regs r;
    struct chan c, far = { .id = 200 }, edge = { .id = 8 };
    unsigned int sub;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
    for ( sub = MESSAGE_TYPE_SENDSIZE; sub <= MESSAGE_TYPE_CLOSE; sub++ )
    {
        m_msg(m_v, &r, sub, &c, 1);
        ck_assert_msg(r.ecx == 0, "sub %u on closed channel: ECX %#x", sub,
                      r.ecx);
        m_msg(m_v, &r, sub, &far, 1);
        ck_assert_uint_eq(r.ecx, 0);
        m_msg(m_v, &r, sub, &edge, 1);
        ck_assert_uint_eq(r.ecx, 0);
    }
}
END_TEST

START_TEST(unknown_subcommand_fails)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_msg(m_v, &r, 7, &c, 0);
    ck_assert_uint_eq(r.ecx, 0);
    m_msg(m_v, &r, 0xffff, &c, 0);
    ck_assert_uint_eq(r.ecx, 0);
}
END_TEST

static void exhaust(unsigned int n)
{
    struct chan c[VMPORT_MAX_CHANNELS_LIMIT], extra;
    unsigned int i, j;

    for ( i = 0; i < n; i++ )
    {
        m_open_ok(m_v, (i & 1 ? PROTO_TCLO : PROTO_RPCI) | FLAG_COOKIE,
                  &c[i]);
        for ( j = 0; j < i; j++ )
            ck_assert_uint_ne(c[i].id, c[j].id);
    }
    ck_assert_msg(m_open(m_v, PROTO_RPCI | FLAG_COOKIE, &extra) == 0,
                  "OPEN number %u succeeded", n + 1);

    ck_assert_uint_eq(m_close(m_v, &c[n / 2]), 0x00010000);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &extra);
    ck_assert_uint_eq(extra.id, c[n / 2].id);
}

START_TEST(eight_channels_by_default_then_open_fails)
{
    exhaust(VMPORT_MAX_CHANNELS_DEFAULT);
}
END_TEST

START_TEST(configured_128_channels_then_open_fails)
{
    exhaust(VMPORT_MAX_CHANNELS_LIMIT);
}
END_TEST

START_TEST(idle_channel_is_reclaimed_when_table_is_full)
{
    struct chan c[8], extra;
    struct cpu_user_regs r;
    unsigned int i;

    for ( i = 0; i < 8; i++ )
    {
        m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c[i]);
        shim_clock_advance(MILLISECS(10));
    }
    /* Everyone but channel 3 stays busy. */
    shim_clock_advance(MILLISECS(VMPORT_IDLE_TIMEOUT_DEFAULT - 50));
    for ( i = 0; i < 8; i++ )
        if ( i != 3 )
            m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c[i], 0);
    ck_assert_uint_eq(m_open(m_v, PROTO_RPCI | FLAG_COOKIE, &extra), 0);

    shim_clock_advance(MILLISECS(100));
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &extra);
    ck_assert_uint_eq(extra.id, c[3].id);
    /* The old owner's calls now fail on the cookie. */
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c[3], 1);
    ck_assert_uint_eq(r.ecx, 0);
}
END_TEST

START_TEST(interleaved_channels_keep_their_own_messages)
{
    static const char ra[] = "info-set guestinfo.a alpha";
    static const char rb[] = "info-set guestinfo.b bravo!";
    struct cpu_user_regs r;
    struct chan a, b;
    char reply[64];
    uint32_t i, w;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &a);
    m_open_ok(m_v, PROTO_RPCI, &b);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &a, sizeof(ra) - 1);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &b, sizeof(rb) - 1);
    for ( i = 0; i < sizeof(rb) - 1; i += 4 )
    {
        if ( i < sizeof(ra) - 1 )
        {
            w = 0;
            memcpy(&w, ra + i, sizeof(ra) - i < 4 ? sizeof(ra) - i : 4);
            m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &a, w);
            ck_assert_uint_eq(r.ecx, 0x00010000);
        }
        w = 0;
        memcpy(&w, rb + i, sizeof(rb) - i < 4 ? sizeof(rb) - i : 4);
        m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &b, w);
        ck_assert_uint_eq(r.ecx, 0x00010000);
    }
    ck_assert_int_eq(m_recv_lb(m_v, &b, reply, sizeof(reply), &w), 2);
    ck_assert_int_eq(m_recv_lb(m_v, &a, reply, sizeof(reply), &w), 2);

    ck_assert_int_eq(m_rpc_str(m_v, "info-get guestinfo.a", reply,
                               sizeof(reply)), 7);
    ck_assert_str_eq(reply, "1 alpha");
    m_rpc_str(m_v, "info-get guestinfo.b", reply, sizeof(reply));
    ck_assert_str_eq(reply, "1 bravo!");
}
END_TEST

START_TEST(sendsize_caps_inbound_messages_at_64k)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, VMPORT_MSG_IN_MAX + 1);
    ck_assert_msg(r.ecx == 0, "65537 bytes: ECX %#x", r.ecx);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, 0xffffffff);
    ck_assert_uint_eq(r.ecx, 0);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, VMPORT_MSG_IN_MAX);
    ck_assert_msg(r.ecx == 0x00810000, "65536 bytes: ECX %#x", r.ecx);
    ck_assert_uint_le(vmport_mem_used(m_d), m_vd()->mem_limit);
}
END_TEST

START_TEST(zero_length_send_is_a_complete_message)
{
    struct cpu_user_regs r;
    struct chan c;
    char reply[64];
    uint32_t ecx;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, 0);
    ck_assert_uint_eq(r.ecx, 0x00810000);
    /* Nothing more to send: a payload word is refused. */
    m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 0x41414141);
    ck_assert_uint_eq(r.ecx, 0);
    ck_assert_int_eq(m_recv_lb(m_v, &c, reply, sizeof(reply) - 1, &ecx),
                     17);
    reply[17] = '\0';
    ck_assert_str_eq(reply, "0 Unknown command");
}
END_TEST

START_TEST(garbage_in_the_last_word_is_ignored)
{
    struct cpu_user_regs r;
    struct chan c;
    char reply[64];
    uint32_t ecx;

    /* "log ab" then a last word whose padding bytes are not zero. */
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, 6);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 0x20676f6c);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 0xa5ff6261);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    ck_assert_int_eq(m_recv_lb(m_v, &c, reply, sizeof(reply), &ecx), 2);
}
END_TEST

START_TEST(hostile_sequences_fail_without_success)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    /* Payload before size. */
    m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 1);
    ck_assert_uint_eq(r.ecx, 0);
    /* Receive steps with nothing to receive. */
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    ck_assert_uint_eq(r.ecx, 0);
    ck_assert_uint_eq(r.ebx, 1);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, 1);
    ck_assert_uint_eq(r.ecx, 0);
    /* Payload past the declared size. */
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log", 3), 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 1);
    ck_assert_uint_eq(r.ecx, 0);
    /* Status before the payload was fetched, then payload after it. */
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, 1);
    ck_assert_uint_eq(r.ecx, 0);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_uint_eq(r.ecx, 0x00830000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, 1);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    ck_assert_uint_eq(r.ecx, 0);
    ck_assert_uint_le(vmport_mem_used(m_d), m_vd()->mem_limit);
}
END_TEST

START_TEST(recvpayload_past_the_end_fails)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log", 3), 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_uint_eq(r.ebx, 2);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    ck_assert_uint_eq(r.ebx, 0x2031);        /* "1 " zero-padded */
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    ck_assert_uint_eq(r.ecx, 0);
}
END_TEST

START_TEST(guest_status_is_masked_to_bit_0)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log", 3), 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    /* Garbage above bit 0 reads as success. */
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 0xffff0001);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    ck_assert_uint_eq(r.ebx, 0x2031);
    /* Bit 0 clear with garbage above reads as failure: reply dropped. */
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, 0xfffffffe);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    ck_assert_uint_eq(m_vd()->channels[c.id].recv_state, VMPORT_RECV_NONE);
}
END_TEST

START_TEST(recvpayload_with_failed_previous_step_aborts_the_reply)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "log", 3), 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 0);
    ck_assert_uint_eq(r.ecx, 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_uint_eq(r.ecx, 0x00810000);
}
END_TEST

/* ---- Checkpoint (protocol reference 2.6) -------------------------------- */

START_TEST(cpt_on_sendpayload_then_sendsize_restarts_cleanly)
{
    struct cpu_user_regs r;
    struct chan c;
    char reply[64];

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, 5);
    m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 0x20676f6c);
    m_vd()->channels[c.id].checkpointed = true;
    m_msg(m_v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 0x41);
    ck_assert_msg(r.ecx == 0x00100000, "expected CPT without SUCCESS, "
                  "seen %#x", r.ecx);
    /* The retry from SENDSIZE gets no CPT and completes. */
    ck_assert_int_eq(m_rpc_lb(m_v, &c, "log A", 5, reply, sizeof(reply)),
                     2);
    ck_assert_int_ge(shim_trace_count_event(TRC_HVM_VMPORT_RPC), 1);
}
END_TEST

START_TEST(cpt_is_never_returned_on_size_calls)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_vd()->channels[c.id].checkpointed = true;
    m_msg(m_v, &r, MESSAGE_TYPE_SENDSIZE, &c, 3);
    ck_assert_uint_eq(r.ecx, 0x00810000);
    ck_assert(!m_vd()->channels[c.id].checkpointed);
    m_vd()->channels[c.id].checkpointed = true;
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_uint_eq(r.ecx, 0x00810000);
    ck_assert(!m_vd()->channels[c.id].checkpointed);
}
END_TEST

START_TEST(cpt_mid_receive_keeps_the_finished_reply)
{
    struct cpu_user_regs r;
    struct chan c;
    char reply[64];
    uint32_t ecx;

    ck_assert_int_eq(vmport_guestinfo_set(m_d, "guestinfo.k", 11,
                                          "value-123", 9), 0);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "info-get guestinfo.k", 20),
                      0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    m_vd()->channels[c.id].checkpointed = true;
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    ck_assert_uint_eq(r.ecx, 0x00100000);
    /* As open-vm-tools does: RECVSIZE again and fetch from byte 0. */
    ck_assert_int_eq(m_recv_lb(m_v, &c, reply, sizeof(reply) - 1, &ecx),
                     11);
    reply[11] = '\0';
    ck_assert_str_eq(reply, "1 value-123");
}
END_TEST

START_TEST(cpt_on_recvstatus_then_retry_gets_the_reply)
{
    struct cpu_user_regs r;
    struct chan c;
    char reply[64];
    uint32_t ecx;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "bogus", 5), 0x00010000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    m_vd()->channels[c.id].checkpointed = true;
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, 1);
    ck_assert_uint_eq(r.ecx, 0x00100000);
    ck_assert_int_eq(m_recv_lb(m_v, &c, reply, sizeof(reply) - 1, &ecx),
                     17);
}
END_TEST

START_TEST(open_and_close_ignore_the_checkpoint_flag)
{
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_vd()->channels[c.id].checkpointed = true;
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
}
END_TEST

START_TEST(every_rpc_step_is_traced)
{
    char reply[64];
    const struct shim_trace_rec *t;

    m_rpc_str(m_v, "log hello", reply, sizeof(reply));
    t = shim_trace_find(TRC_HVM_VMPORT_RPC, 0);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->data[0] >> 16, VMPORT_TRC_OPEN);
    ck_assert_int_ge(shim_trace_count_event(TRC_HVM_VMPORT_RPC), 5);
}
END_TEST

/* iPXE runs at CPL 0 in 32-bit code, vmtoolsd at CPL 3 in 64-bit code. */
START_TEST(rpc_works_in_every_mode_and_privilege)
{
    static const uint8_t modes[][2] = {
        { 64, 3 }, { 64, 0 }, { 32, 3 }, { 32, 0 }, { 16, 0 },
    };
    char reply[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(modes); i++ )
    {
        m_mode.cs_bits = modes[i][0];
        m_mode.cpl = modes[i][1];
        ck_assert_int_eq(m_rpc_str(m_v, "info-get guestinfo.x", reply,
                                   sizeof(reply)), 16);
        ck_assert_str_eq(reply, "0 No value found");
    }
}
END_TEST

START_TEST(domains_share_no_channels_or_guestinfo)
{
    struct domain *d2 = h_domain(2, 1, VMPORT_HWVER_DEFAULT, NULL);
    struct vcpu *v2 = shim_vcpu(d2, 0);
    struct cpu_user_regs r;
    struct chan a, b;
    char reply[64];

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &a);
    m_open_ok(v2, PROTO_RPCI | FLAG_COOKIE, &b);
    ck_assert_uint_eq(a.id, b.id);
    ck_assert(a.cookie != b.cookie);
    /* d1's channel and cookie mean nothing in d2. */
    m_msg(v2, &r, MESSAGE_TYPE_SENDSIZE, &a, 4);
    ck_assert_uint_eq(r.ecx, 0);
    m_rpc_lb(m_v, &a, "info-set guestinfo.only.d1 x", 28, reply,
             sizeof(reply));
    m_rpc_lb(v2, &b, "info-get guestinfo.only.d1", 26, reply,
             sizeof(reply));
    ck_assert_str_eq(reply, "0 No value found");
    ck_assert_uint_eq(vmport_dom(d2)->gi_count, 0);
    shim_domain_destroy(d2);
}
END_TEST

static void setup_128(void)
{
    struct vmport_limits l;

    vmport_limits_default(&l);
    l.max_channels = VMPORT_MAX_CHANNELS_LIMIT;
    m_setup_limits(&l);
}

static Suite *message_suite(void)
{
    Suite *s = suite_create("message");
    TCase *t = tcase_create("lb");

    tcase_add_checked_fixture(t, m_setup, m_teardown);
    tcase_add_test(t, open_with_cookie_flag_sets_exact_registers);
    tcase_add_test(t, open_without_cookie_flag_is_accepted_and_not_checked);
    tcase_add_test(t, open_refuses_unknown_protocol);
    tcase_add_test(t, ipxe_sequence_gets_exact_ecx_values);
    tcase_add_test(t, close_leaves_ecx_low_half_zero_and_other_registers_alone);
    tcase_add_test(t, recvsize_without_message_touches_only_ecx);
    tcase_add_test(t, hb_bit_follows_the_domain_setting);
    tcase_add_test(t, every_open_gets_a_fresh_cookie);
    tcase_add_test(t, wrong_cookie_is_refused_and_logged);
    tcase_add_test(t, closed_and_unknown_channels_are_refused);
    tcase_add_test(t, unknown_subcommand_fails);
    tcase_add_test(t, eight_channels_by_default_then_open_fails);
    tcase_add_test(t, idle_channel_is_reclaimed_when_table_is_full);
    tcase_add_test(t, interleaved_channels_keep_their_own_messages);
    tcase_add_test(t, sendsize_caps_inbound_messages_at_64k);
    tcase_add_test(t, zero_length_send_is_a_complete_message);
    tcase_add_test(t, garbage_in_the_last_word_is_ignored);
    tcase_add_test(t, hostile_sequences_fail_without_success);
    tcase_add_test(t, recvpayload_past_the_end_fails);
    tcase_add_test(t, guest_status_is_masked_to_bit_0);
    tcase_add_test(t, recvpayload_with_failed_previous_step_aborts_the_reply);
    tcase_add_test(t, cpt_on_sendpayload_then_sendsize_restarts_cleanly);
    tcase_add_test(t, cpt_is_never_returned_on_size_calls);
    tcase_add_test(t, cpt_mid_receive_keeps_the_finished_reply);
    tcase_add_test(t, cpt_on_recvstatus_then_retry_gets_the_reply);
    tcase_add_test(t, open_and_close_ignore_the_checkpoint_flag);
    tcase_add_test(t, every_rpc_step_is_traced);
    tcase_add_test(t, rpc_works_in_every_mode_and_privilege);
    tcase_add_test(t, domains_share_no_channels_or_guestinfo);
    suite_add_tcase(s, t);

    t = tcase_create("limits128");
    tcase_add_checked_fixture(t, setup_128, m_teardown);
    tcase_add_test(t, configured_128_channels_then_open_fails);
    suite_add_tcase(s, t);

    return s;
}

int main(void)
{
    return h_run_suite(message_suite());
}
