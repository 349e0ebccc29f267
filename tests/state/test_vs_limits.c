/*
 * test_vs_limits.c: vmport-state's reading of XEN_DMOP_vmport's GET_LIMITS
 * and GET_USAGE replies, its --set NAME=VALUE edits and what `limits`
 * prints (tools/vmport-state/limits.c, linked in).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/vmport-state/limits.h"

/* GET_LIMITS' reply as the hypervisor writes it: 8 little-endian words. */
static const uint8_t limits_reply[32] = {
    8, 0, 0, 0,   128, 0, 0, 0,   0, 0, 1, 0,   0, 1, 0, 0,
    0, 0, 16, 0,  16, 0, 0, 0,    0x80, 0x38, 1, 0,  0x60, 0xea, 0, 0,
};

/* GET_USAGE's: 38912 bytes of 1472128. */
static const uint8_t usage_reply[16] = {
    0x00, 0x98, 0, 0, 0, 0, 0, 0,   0x80, 0x76, 0x16, 0, 0, 0, 0, 0,
};

static char *printed(const struct xen_dm_op_vmport_limits *l,
                     const struct xen_dm_op_vmport_usage *u)
{
    static char out[2048];
    FILE *f = fmemopen(out, sizeof(out), "w");

    ck_assert_ptr_nonnull(f);
    vs_limits_print(f, l, u);
    fclose(f);
    return out;
}

START_TEST(replies_are_read_field_by_field)
{
    struct xen_dm_op_vmport_limits l;
    struct xen_dm_op_vmport_usage u;

    ck_assert_int_eq(vs_limits_from_reply(limits_reply, 32, &l), 0);
    ck_assert_uint_eq(l.max_channels, 8);
    ck_assert_uint_eq(l.gi_key_max, 128);
    ck_assert_uint_eq(l.gi_value_max, 65536);
    ck_assert_uint_eq(l.gi_max_keys, 256);
    ck_assert_uint_eq(l.gi_total_max, 1U << 20);
    ck_assert_uint_eq(l.tclo_queue_max, 16);
    ck_assert_uint_eq(l.idle_timeout_ms, 80000);
    ck_assert_uint_eq(l.trigger_timeout_ms, 60000);
    ck_assert_int_eq(vs_usage_from_reply(usage_reply, 16, &u), 0);
    ck_assert_uint_eq(u.mem_used, 38912);
    ck_assert_uint_eq(u.mem_budget, 1472128);
}
END_TEST

START_TEST(short_replies_are_refused)
{
    struct xen_dm_op_vmport_limits l;
    struct xen_dm_op_vmport_usage u;

    ck_assert_int_eq(vs_limits_from_reply(limits_reply, 31, &l), -1);
    ck_assert_int_eq(vs_usage_from_reply(usage_reply, 15, &u), -1);
}
END_TEST

START_TEST(usage_and_every_limit_are_printed)
{
    struct xen_dm_op_vmport_limits l;
    struct xen_dm_op_vmport_usage u;
    const char *out;

    vs_limits_from_reply(limits_reply, 32, &l);
    vs_usage_from_reply(usage_reply, 16, &u);
    out = printed(&l, &u);
    ck_assert_msg(strstr(out, "memory: 38912 of 1472128 bytes in use (2.6%)"),
                  "expected the usage line, seen:\n%s", out);
    ck_assert_msg(strstr(out, "  max_channels                  8  GuestRPC"),
                  "expected max_channels, seen:\n%s", out);
    ck_assert(strstr(out, "  gi_value_max              65536  bytes per "
                          "guestinfo value"));
    ck_assert(strstr(out, "  trigger_timeout_ms        60000  ms"));
    out = printed(&l, NULL);
    ck_assert_msg(!strstr(out, "memory:"), "no usage given, seen:\n%s", out);
}
END_TEST

START_TEST(set_accepts_names_and_ranges_as_xen_does)
{
    struct xen_dm_op_vmport_limits l;
    char err[160];

    vs_limits_from_reply(limits_reply, 32, &l);
    ck_assert_int_eq(vs_limits_set(&l, "max_channels=128", err, sizeof(err)),
                     0);
    ck_assert_uint_eq(l.max_channels, 128);
    ck_assert_int_eq(vs_limits_set(&l, "gi_total_max=0x100000", err,
                                   sizeof(err)), 0);
    ck_assert_uint_eq(l.gi_total_max, 1U << 20);
    ck_assert_int_eq(vs_limits_set(&l, "gi_value_max=0", err, sizeof(err)),
                     0);
    ck_assert_uint_eq(l.gi_value_max, 0);
}
END_TEST

START_TEST(set_refuses_bad_edits_naming_the_range)
{
    struct xen_dm_op_vmport_limits l, before;
    char err[160];

    vs_limits_from_reply(limits_reply, 32, &l);
    before = l;
    ck_assert_int_eq(vs_limits_set(&l, "max_channels=129", err, sizeof(err)),
                     -1);
    ck_assert_msg(strstr(err, "max_channels=129: expected 1 to 128"),
                  "seen '%s'", err);
    ck_assert_int_eq(vs_limits_set(&l, "tclo_queue_max=1", err, sizeof(err)),
                     -1);
    ck_assert_int_eq(vs_limits_set(&l, "gi_key_max=-1", err, sizeof(err)),
                     -1);
    ck_assert_int_eq(vs_limits_set(&l, "gi_key_max=12x", err, sizeof(err)),
                     -1);
    ck_assert_int_eq(vs_limits_set(&l, "gi_key_max=", err, sizeof(err)), -1);
    ck_assert_int_eq(vs_limits_set(&l, "channels=4", err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "'channels': no such limit"), "seen '%s'", err);
    ck_assert_int_eq(vs_limits_set(&l, "max_channels", err, sizeof(err)), -1);
    ck_assert_int_eq(vs_limits_set(&l, "max_channels=99999999999999999999",
                                   err, sizeof(err)), -1);
    ck_assert(memcmp(&l, &before, sizeof(l)) == 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vmport-state-limits");
    TCase *tc = tcase_create("limits");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, replies_are_read_field_by_field);
    tcase_add_test(tc, short_replies_are_refused);
    tcase_add_test(tc, usage_and_every_limit_are_printed);
    tcase_add_test(tc, set_accepts_names_and_ranges_as_xen_does);
    tcase_add_test(tc, set_refuses_bad_edits_naming_the_range);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
