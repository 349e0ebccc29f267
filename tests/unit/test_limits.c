/*
 * test_limits.c: the limits a toolstack sets (vmport_set_limits(), what
 * XEN_DMOP_VMPORT_SET_LIMITS calls), the budget that follows them, the
 * usage reported, and a VMPORT record carrying them to a restored domain.
 */

#include <errno.h>
#include <stddef.h>

#include <asm/hvm/save.h>
#include <asm/hvm/vmport-save.h>

#include "harness.h"

/* What enabling charges beside the channel table: the HB bounce buffers. */
#define PER_VCPU (sizeof(uint8_t *) + VMPORT_HB_CHUNK)

static void check_no_leaks(void)
{
    ck_assert_msg(shim_alloc_live() == 0, "leaked: expected 0 blocks, seen "
                  "%lu (%lu bytes)", shim_alloc_live(),
                  shim_alloc_live_bytes());
}

static struct vmport_limits small_limits(void)
{
    struct vmport_limits l;

    vmport_limits_default(&l);
    l.max_channels = 2;
    l.gi_value_max = 1024;
    l.gi_max_keys = 4;
    l.gi_total_max = 4096;
    return l;
}

START_TEST(set_limits_before_the_first_run_replaces_them)
{
    struct domain *d = h_domain(1, 2, 7, NULL);
    struct vmport_limits l = small_limits(), got;

    ck_assert_int_eq(vmport_set_limits(d, &l), 0);
    ck_assert_int_eq(vmport_get_limits(d, &got), 0);
    ck_assert_msg(memcmp(&l, &got, sizeof(l)) == 0,
                  "vmport_get_limits() is not what was set");
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

/* The budget and the channel table follow the limits, both ways. */
START_TEST(budget_and_channel_table_follow_the_limits)
{
    struct domain *d = h_domain(1, 2, 7, NULL);
    struct vmport_limits l = small_limits();
    size_t big;

    big = vmport_mem_budget(d);
    ck_assert_uint_eq(big, vmport_mem_limit(&(struct vmport_limits){
        VMPORT_MAX_CHANNELS_DEFAULT, VMPORT_GI_KEY_MAX_DEFAULT,
        VMPORT_GI_VALUE_MAX_DEFAULT, VMPORT_GI_MAX_KEYS_DEFAULT,
        VMPORT_GI_TOTAL_MAX_DEFAULT, VMPORT_TCLO_QUEUE_DEFAULT,
        VMPORT_IDLE_TIMEOUT_DEFAULT, VMPORT_TRIGGER_TIMEOUT_DEFAULT })
        + 2 * PER_VCPU);

    ck_assert_int_eq(vmport_set_limits(d, &l), 0);
    ck_assert_uint_eq(vmport_mem_budget(d), vmport_mem_limit(&l) + 2 * PER_VCPU);
    ck_assert_uint_lt(vmport_mem_budget(d), big);
    ck_assert_uint_eq(vmport_mem_used(d),
                      2 * sizeof(struct vmport_channel) + 2 * PER_VCPU);

    l.max_channels = 128;
    ck_assert_int_eq(vmport_set_limits(d, &l), 0);
    ck_assert_uint_eq(vmport_mem_budget(d), vmport_mem_limit(&l) + 2 * PER_VCPU);
    ck_assert_uint_eq(vmport_mem_used(d),
                      128 * sizeof(struct vmport_channel) + 2 * PER_VCPU);
    /* The last of 128 channels is there to be used: ASan sees the table. */
    vmport_dom(d)->channels[127].app = 0xff;
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

/* The guestinfo limits set are the ones the guest meets. */
START_TEST(guestinfo_limits_set_are_enforced)
{
    static uint8_t val[2048];
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vmport_limits l = small_limits();

    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.a", 11, val, 2048),
                     0);
    ck_assert_int_eq(vmport_guestinfo_unset(d, "guestinfo.a", 11), 0);
    ck_assert_int_eq(vmport_set_limits(d, &l), 0);
    ck_assert_int_ne(vmport_guestinfo_set(d, "guestinfo.a", 11, val, 2048),
                     0);
    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.a", 11, val, 1024),
                     0);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

START_TEST(set_limits_refused_once_the_domain_has_run)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vmport_limits l = small_limits(), got;
    size_t budget = vmport_mem_budget(d);

    d->creation_finished = true;
    shim_log_clear();
    ck_assert_int_eq(vmport_set_limits(d, &l), -EBUSY);
    ck_assert_msg(shim_log_find("has already run") >= 0,
                  "no log line saying the domain has run");
    ck_assert_int_eq(vmport_get_limits(d, &got), 0);
    ck_assert_uint_eq(got.max_channels, VMPORT_MAX_CHANNELS_DEFAULT);
    ck_assert_uint_eq(vmport_mem_budget(d), budget);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

START_TEST(set_limits_refused_while_state_is_held)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vmport_limits l = small_limits();

    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.x", 11, "1", 1), 0);
    shim_log_clear();
    ck_assert_int_eq(vmport_set_limits(d, &l), -EBUSY);
    ck_assert(shim_log_find("already holds guestinfo") >= 0);
    ck_assert_int_eq(vmport_guestinfo_unset(d, "guestinfo.x", 11), 0);
    ck_assert_int_eq(vmport_set_limits(d, &l), 0);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

START_TEST(set_limits_out_of_range_is_refused)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vmport_limits l = small_limits(), got;
    size_t used = vmport_mem_used(d), budget = vmport_mem_budget(d);

    l.max_channels = VMPORT_MAX_CHANNELS_LIMIT + 1;
    shim_log_clear();
    ck_assert_int_eq(vmport_set_limits(d, &l), -EINVAL);
    ck_assert(shim_log_find("max_channels = 129") >= 0);
    l = small_limits();
    l.gi_value_max = VMPORT_GI_VALUE_MAX_LIMIT + 1;
    ck_assert_int_eq(vmport_set_limits(d, &l), -EINVAL);
    ck_assert_int_eq(vmport_get_limits(d, &got), 0);
    ck_assert_uint_eq(got.max_channels, VMPORT_MAX_CHANNELS_DEFAULT);
    ck_assert_uint_eq(got.gi_value_max, VMPORT_GI_VALUE_MAX_DEFAULT);
    ck_assert_uint_eq(vmport_mem_used(d), used);
    ck_assert_uint_eq(vmport_mem_budget(d), budget);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

START_TEST(set_limits_without_vmport_or_memory)
{
    struct domain *d = shim_domain_create(1, 1);
    struct vmport_limits l = small_limits();

    ck_assert_int_eq(vmport_set_limits(d, &l), -ENODEV);
    ck_assert_uint_eq(vmport_mem_budget(d), 0);
    shim_domain_destroy(d);

    d = h_domain(1, 1, 7, NULL);
    shim_alloc_fail_after(0);
    ck_assert_int_eq(vmport_set_limits(d, &l), -ENOMEM);
    shim_alloc_fail_after(-1);
    ck_assert_int_eq(vmport_set_limits(d, &l), 0);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

/* Usage counts what the guest and the toolstack make the model hold. */
START_TEST(usage_is_reported)
{
    static uint8_t val[3000];
    struct domain *d = h_domain(1, 1, 7, NULL);
    size_t used = vmport_mem_used(d);

    ck_assert_uint_eq(used, VMPORT_MAX_CHANNELS_DEFAULT *
                            sizeof(struct vmport_channel) + PER_VCPU);
    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.k", 11, val,
                                          sizeof(val)), 0);
    ck_assert_uint_ge(vmport_mem_used(d), used + 11 + sizeof(val));
    ck_assert_uint_le(vmport_mem_used(d), vmport_mem_budget(d));
    ck_assert_int_eq(vmport_guestinfo_unset(d, "guestinfo.k", 11), 0);
    ck_assert_uint_le(vmport_mem_used(d), used + 64 *
                      sizeof(struct vmport_gi_entry));
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

static uint32_t save(struct domain *d, uint8_t *buf, uint32_t cap)
{
    uint32_t len;

    ck_assert_int_eq(vmport_record_save(d, buf, cap, HVM_VMPORT_VERSION_CURRENT,
                                        VMPORT_SAVE_REFUSE, &len), 0);
    return len;
}

/*
 * Restore and migration: the destination's toolstack enables vmport with
 * the default limits (HVM_PARAM_VMPORT_HWVER) and does not set any; the
 * record brings the source's, and state only they allow.
 */
START_TEST(record_carries_the_limits_to_a_restored_domain)
{
    static uint8_t rec[65536];
    struct vmport_limits l = small_limits(), got;
    struct domain *src, *dst;
    uint32_t len;

    l.max_channels = 32;
    l.gi_key_max = 512;
    src = h_domain(1, 1, 7, NULL);
    ck_assert_int_eq(vmport_set_limits(src, &l), 0);
    src->creation_finished = true;
    /* A 300-byte key: more than the default gi_key_max of 128. */
    {
        char key[301];

        memcpy(key, "guestinfo.", 10);
        memset(key + 10, 'k', sizeof(key) - 10);
        ck_assert_int_eq(vmport_guestinfo_set(src, key, sizeof(key), "v", 1),
                         0);
    }
    len = save(src, rec, sizeof(rec));

    dst = h_domain(2, 1, 7, NULL);
    ck_assert_int_eq(vmport_record_load(dst, rec, len), 0);
    ck_assert_int_eq(vmport_get_limits(dst, &got), 0);
    ck_assert_msg(memcmp(&l, &got, sizeof(l)) == 0,
                  "the restored domain does not have the source's limits");
    ck_assert_uint_eq(vmport_mem_budget(dst), vmport_mem_budget(src));
    ck_assert_uint_le(vmport_mem_used(dst), vmport_mem_budget(dst));
    dst->creation_finished = true;
    ck_assert_int_eq(vmport_set_limits(dst, &l), -EBUSY);
    shim_domain_destroy(dst);

    /* A domain that has run keeps its own limits: the state must fit them. */
    dst = h_domain(2, 1, 7, NULL);
    dst->creation_finished = true;
    ck_assert_int_eq(vmport_record_load(dst, rec, len), -EINVAL);
    ck_assert_int_eq(vmport_get_limits(dst, &got), 0);
    ck_assert_uint_eq(got.max_channels, VMPORT_MAX_CHANNELS_DEFAULT);
    shim_domain_destroy(dst);
    shim_domain_destroy(src);
    check_no_leaks();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");

    tcase_add_test(tc, set_limits_before_the_first_run_replaces_them);
    tcase_add_test(tc, budget_and_channel_table_follow_the_limits);
    tcase_add_test(tc, guestinfo_limits_set_are_enforced);
    tcase_add_test(tc, set_limits_refused_once_the_domain_has_run);
    tcase_add_test(tc, set_limits_refused_while_state_is_held);
    tcase_add_test(tc, set_limits_out_of_range_is_refused);
    tcase_add_test(tc, set_limits_without_vmport_or_memory);
    tcase_add_test(tc, usage_is_reported);
    tcase_add_test(tc, record_carries_the_limits_to_a_restored_domain);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
