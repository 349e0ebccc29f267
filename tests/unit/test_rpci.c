/*
 * test_rpci.c: RPCI requests and their exact replies, framed as the real
 * clients frame them (protocol reference 3.1): with the C terminator
 * (vmtoolsd), without the trailing space (RpcOut_sendOne), and as a whole
 * zero-padded 4 KiB buffer (OpenBSD).
 */

#include "msg_harness.h"

static char reply[70000];

/* Run @req (@len bytes, may hold NULs) on a fresh channel. */
static const char *rpc(const void *req, uint32_t len)
{
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_rpc_lb(m_v, &c, req, len, reply, sizeof(reply));
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
    return reply;
}

static const char *rpc_str(const char *req)
{
    return rpc(req, strlen(req));
}

START_TEST(info_get_of_unset_key_says_no_value_found)
{
    ck_assert_str_eq(rpc_str("info-get guestinfo.joejoel"),
                     "0 No value found");
}
END_TEST

START_TEST(info_set_then_info_get_round_trips)
{
    ck_assert_str_eq(rpc_str("info-set guestinfo.joejoel short"), "1 ");
    ck_assert_str_eq(rpc_str("info-get guestinfo.joejoel"), "1 short");
}
END_TEST

START_TEST(info_set_value_keeps_spaces_and_may_be_empty)
{
    ck_assert_str_eq(rpc_str("info-set guestinfo.k a b  c "), "1 ");
    ck_assert_str_eq(rpc_str("info-get guestinfo.k"), "1 a b  c ");
    ck_assert_str_eq(rpc_str("info-set guestinfo.k "), "1 ");
    ck_assert_str_eq(rpc_str("info-get guestinfo.k"), "1 ");
}
END_TEST

START_TEST(keys_are_case_insensitive)
{
    ck_assert_str_eq(rpc_str("info-set GuestInfo.SVGA.GL3 TRUE"), "1 ");
    ck_assert_str_eq(rpc_str("info-get guestinfo.svga.gl3"), "1 TRUE");
    ck_assert_str_eq(rpc_str("info-get GUESTINFO.Svga.Gl3"), "1 TRUE");
    ck_assert_uint_eq(m_vd()->gi_count, 1);
    ck_assert_str_eq(m_vd()->gi[0].key, "guestinfo.svga.gl3");
}
END_TEST

START_TEST(guestinfo_prefix_is_required)
{
    ck_assert_str_eq(rpc_str("info-set foo bar"), "0 Invalid key");
    ck_assert_str_eq(rpc_str("info-set guestinfo. bar"), "0 Invalid key");
    ck_assert_str_eq(rpc_str("info-get foo"), "0 No value found");
    ck_assert_uint_eq(m_vd()->gi_count, 0);
}
END_TEST

START_TEST(trailing_nul_is_tolerated)
{
    static const char set[] = "info-set guestinfo.vmtools.description x y";
    static const char get[] = "info-get guestinfo.vmtools.description";

    /* sizeof includes the terminator, as vmtoolsd sends it. */
    ck_assert_str_eq(rpc(set, sizeof(set)), "1 ");
    ck_assert_str_eq(rpc(get, sizeof(get)), "1 x y");
    ck_assert_str_eq(rpc("log abc", 8), "1 ");
    ck_assert_str_eq(rpc("tools.set.version 2147483647", 29), "1 ");
}
END_TEST

START_TEST(openbsd_zero_padded_buffer_stops_at_first_nul)
{
    static char buf[4096];

    memset(buf, 0, sizeof(buf));
    strcpy(buf, "info-set guestinfo.ip 192.0.2.7");
    ck_assert_str_eq(rpc(buf, sizeof(buf)), "1 ");
    memset(buf, 0, sizeof(buf));
    strcpy(buf, "info-get guestinfo.ip");
    ck_assert_str_eq(rpc(buf, sizeof(buf)), "1 192.0.2.7");
}
END_TEST

START_TEST(missing_space_and_missing_arguments_are_tolerated)
{
    ck_assert_str_eq(rpc_str("info-get"), "0 No value found");
    ck_assert_str_eq(rpc("info-get", 9), "0 No value found");
    ck_assert_str_eq(rpc_str("info-get "), "0 No value found");
    ck_assert_str_eq(rpc_str("info-set"),
                     "0 Two and exactly two arguments expected");
    ck_assert_str_eq(rpc_str("info-set guestinfo.x"),
                     "0 Two and exactly two arguments expected");
    /* RpcOut_sendOne cuts the space of bare commands. */
    ck_assert_str_eq(rpc_str("log"), "1 ");
    ck_assert_str_eq(rpc_str("tools.capability.statechange"), "1 ");
}
END_TEST

START_TEST(log_reply_fits_rpcvmx_16_byte_buffer)
{
    static char big[60000];

    memset(big, 'x', sizeof(big));
    memcpy(big, "log ", 4);
    rpc(big, sizeof(big));
    ck_assert_uint_le(strlen(reply), 15);
    ck_assert_str_eq(reply, "1 ");
}
END_TEST

START_TEST(tools_commands_are_acknowledged)
{
    ck_assert_str_eq(rpc_str("tools.set.version 2147483647"), "1 ");
    ck_assert_str_eq(rpc_str("tools.set.versiontype 2147483647 4"), "1 ");
    ck_assert_str_eq(rpc_str("tools.capability.softpowerop_retry "), "1 ");
    ck_assert_str_eq(rpc_str("tools.capability.features 0=1 1=1"), "1 ");
    ck_assert_str_eq(rpc_str("vmx.capability.unified_loop toolbox"), "1 ");
    ck_assert_str_eq(rpc_str("tools.os.statechange.status 1 1"), "1 ");
}
END_TEST

START_TEST(unknown_commands_get_exact_reply)
{
    ck_assert_str_eq(rpc_str("SetGuestInfo  4 xyz"), "0 Unknown command");
    ck_assert_str_eq(rpc_str("update.tools.health normal"),
                     "0 Unknown command");
    ck_assert_str_eq(rpc_str("info-getx guestinfo.a"), "0 Unknown command");
    ck_assert_str_eq(rpc_str("tools.capability"), "0 Unknown command");
    ck_assert_str_eq(rpc_str("LOG x"), "0 Unknown command");
    ck_assert_str_eq(rpc("", 0), "0 Unknown command");
    ck_assert_str_eq(rpc("\0\0\0\0", 4), "0 Unknown command");
}
END_TEST

START_TEST(statechange_with_bad_arguments_is_refused)
{
    ck_assert_str_eq(rpc_str("tools.os.statechange.status"),
                     "0 Invalid arguments");
    ck_assert_str_eq(rpc_str("tools.os.statechange.status 1"),
                     "0 Invalid arguments");
    ck_assert_str_eq(rpc_str("tools.os.statechange.status x 1"),
                     "0 Invalid arguments");
    ck_assert_str_eq(rpc_str("tools.os.statechange.status "
                             "99999999999999999999 1"), "1 ");
}
END_TEST

START_TEST(value_of_64k_minus_request_round_trips_over_hb)
{
    static char req[VMPORT_MSG_IN_MAX];
    struct chan c;
    uint32_t n = strlen("info-set guestinfo.v "), vlen;
    long got;

    vlen = sizeof(req) - n;
    memcpy(req, "info-set guestinfo.v ", n);
    memset(req + n, 'q', vlen);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_int_eq(m_rpc_hb(m_v, &c, req, sizeof(req), reply,
                              sizeof(reply)), 2);
    got = m_rpc_hb(m_v, &c, "info-get guestinfo.v", 20, reply,
                   sizeof(reply));
    ck_assert_int_eq(got, vlen + 2);
    ck_assert_int_eq(memcmp(reply + 2, req + n, vlen), 0);
}
END_TEST

START_TEST(the_same_request_on_a_persistent_channel_repeats)
{
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_int_eq(m_rpc_lb(m_v, &c, "info-set guestinfo.n 1", 22, reply,
                              sizeof(reply)), 2);
    ck_assert_int_eq(m_rpc_lb(m_v, &c, "info-get guestinfo.n", 20, reply,
                              sizeof(reply)), 3);
    ck_assert_str_eq(reply, "1 1");
    ck_assert_int_eq(m_rpc_lb(m_v, &c, "info-set guestinfo.n 22", 23, reply,
                              sizeof(reply)), 2);
    ck_assert_int_eq(m_rpc_lb(m_v, &c, "info-get guestinfo.n", 20, reply,
                              sizeof(reply)), 4);
    ck_assert_str_eq(reply, "1 22");
}
END_TEST

static Suite *rpci_suite(void)
{
    Suite *s = suite_create("rpci");
    TCase *t = tcase_create("rpci");

    tcase_add_checked_fixture(t, m_setup, m_teardown);
    tcase_add_test(t, info_get_of_unset_key_says_no_value_found);
    tcase_add_test(t, info_set_then_info_get_round_trips);
    tcase_add_test(t, info_set_value_keeps_spaces_and_may_be_empty);
    tcase_add_test(t, keys_are_case_insensitive);
    tcase_add_test(t, guestinfo_prefix_is_required);
    tcase_add_test(t, trailing_nul_is_tolerated);
    tcase_add_test(t, openbsd_zero_padded_buffer_stops_at_first_nul);
    tcase_add_test(t, missing_space_and_missing_arguments_are_tolerated);
    tcase_add_test(t, log_reply_fits_rpcvmx_16_byte_buffer);
    tcase_add_test(t, tools_commands_are_acknowledged);
    tcase_add_test(t, unknown_commands_get_exact_reply);
    tcase_add_test(t, statechange_with_bad_arguments_is_refused);
    tcase_add_test(t, value_of_64k_minus_request_round_trips_over_hb);
    tcase_add_test(t, the_same_request_on_a_persistent_channel_repeats);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return h_run_suite(rpci_suite());
}
