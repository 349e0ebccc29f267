/*
 * test_domain.c: enabling vmport (write-once, validated), the limits, the
 * allocation budget, and that destroying a domain frees everything.
 */

#include <errno.h>
#include <stddef.h>

#include <asm/hvm/vmport-save.h>

#include "harness.h"

static void teardown_check_leaks(void)
{
    ck_assert_msg(shim_alloc_live() == 0, "leaked: expected 0 blocks, seen "
                  "%lu (%lu bytes)", shim_alloc_live(),
                  shim_alloc_live_bytes());
}

START_TEST(enable_is_write_once)
{
    struct domain *d = h_domain(1, 1, 7, NULL);

    ck_assert_int_eq(vmport_enable(d, 9, NULL), -EEXIST);
    ck_assert_uint_eq(vmport_hwver(d), 7);
    ck_assert(vmport_enabled(d));
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

/* A record of a vmport domain with @hwver, in @buf; its length. */
static uint32_t record_of(unsigned int hwver, uint8_t *buf, uint32_t cap)
{
    struct domain *src = h_domain(9, 1, hwver, NULL);
    uint32_t len;

    ck_assert_int_eq(vmport_record_save(src, buf, cap, 2,
                                        VMPORT_SAVE_REFUSE, &len), 0);
    shim_domain_destroy(src);
    return len;
}

START_TEST(enable_refused_once_the_domain_has_run)
{
    static uint8_t rec[4096];
    struct domain *d = shim_domain_create(1, 1);
    uint32_t len = record_of(7, rec, sizeof(rec));

    d->creation_finished = true;
    shim_log_clear();
    ck_assert_int_eq(vmport_enable(d, 7, NULL), -EBUSY);
    ck_assert(shim_log_find("has already run") >= 0);
    /* The other way in: a VMPORT record in a loaded HVM context. */
    ck_assert_int_eq(vmport_record_load(d, rec, len), -EBUSY);
    ck_assert(!vmport_enabled(d));
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(enable_refused_beside_viridian_or_nested)
{
    static uint8_t rec[4096];
    struct domain *d = shim_domain_create(1, 1);
    uint32_t len = record_of(7, rec, sizeof(rec));

    d->arch.hvm.shim_viridian = true;
    ck_assert_int_eq(vmport_enable(d, 7, NULL), -EOPNOTSUPP);
    ck_assert_int_eq(vmport_record_load(d, rec, len), -EOPNOTSUPP);
    d->arch.hvm.shim_viridian = false;
    d->arch.hvm.shim_nested = true;
    shim_log_clear();
    ck_assert_int_eq(vmport_enable(d, 7, NULL), -EOPNOTSUPP);
    ck_assert(shim_log_find("nested HVM") >= 0);
    ck_assert_int_eq(vmport_record_load(d, rec, len), -EOPNOTSUPP);
    ck_assert(!vmport_enabled(d));
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(record_with_another_hardware_version_is_refused)
{
    static uint8_t rec[4096];
    struct domain *d = h_domain(1, 1, 7, NULL);
    uint32_t len = record_of(8, rec, sizeof(rec));

    shim_log_clear();
    ck_assert_int_eq(vmport_record_load(d, rec, len), -EINVAL);
    ck_assert(shim_log_find("hardware version 8, the domain has 7") >= 0);
    ck_assert_uint_eq(vmport_hwver(d), 7);
    /* The same version loads. */
    len = record_of(7, rec, sizeof(rec));
    ck_assert_int_eq(vmport_record_load(d, rec, len), 0);
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(hardware_version_is_validated)
{
    static const unsigned int bad[] = { 0, 256, 100000 };
    struct domain *d = shim_domain_create(1, 1);
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        char needle[48];

        shim_log_clear();
        ck_assert_int_eq(vmport_enable(d, bad[i], NULL), -EINVAL);
        snprintf(needle, sizeof(needle), "hardware version %u", bad[i]);
        ck_assert_msg(shim_log_find(needle) >= 0, "no log line naming '%s'",
                      needle);
        ck_assert(!vmport_enabled(d));
    }
    ck_assert_int_eq(vmport_hwver(d), 0);
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(defaults_are_the_documented_ones)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vmport_limits l;

    ck_assert_int_eq(vmport_get_limits(d, &l), 0);
    ck_assert_uint_eq(l.max_channels, 8);
    ck_assert_uint_eq(l.gi_key_max, 128);
    ck_assert_uint_eq(l.gi_value_max, 65536);
    ck_assert_uint_eq(l.gi_max_keys, 256);
    ck_assert_uint_eq(l.gi_total_max, 1U << 20);
    ck_assert_uint_eq(l.tclo_queue_max, 16);
    ck_assert_uint_eq(l.idle_timeout_ms, 80000);
    ck_assert_uint_eq(l.trigger_timeout_ms, 60000);
    shim_domain_destroy(d);
}
END_TEST

#define LIM(f) offsetof(struct vmport_limits, f), #f

/* Each field just outside its range is refused, naming the field. */
START_TEST(each_limit_is_range_checked)
{
    static const struct {
        size_t off;
        const char *name;
        uint32_t bad;
    } cases[] = {
        { LIM(max_channels), 0 }, { LIM(max_channels), 129 },
        { LIM(gi_key_max), 0 }, { LIM(gi_key_max), 1025 },
        { LIM(gi_value_max), 65537 },
        { LIM(gi_max_keys), 4097 },
        { LIM(gi_total_max), (16U << 20) + 1 },
        { LIM(tclo_queue_max), 1 }, { LIM(tclo_queue_max), 65 },
        { LIM(idle_timeout_ms), 999 },
        { LIM(trigger_timeout_ms), 0 },
        { LIM(trigger_timeout_ms), 24U * 3600 * 1000 + 1 },
    };
    struct domain *d = shim_domain_create(1, 1);
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        struct vmport_limits l;
        char needle[64];

        vmport_limits_default(&l);
        *(uint32_t *)((char *)&l + cases[i].off) = cases[i].bad;
        shim_log_clear();
        ck_assert_msg(vmport_limits_check(&l) == -EINVAL,
                      "%s = %u: expected -EINVAL", cases[i].name,
                      cases[i].bad);
        ck_assert_int_eq(vmport_enable(d, 7, &l), -EINVAL);
        snprintf(needle, sizeof(needle), "%s = %u", cases[i].name,
                 cases[i].bad);
        ck_assert_msg(shim_log_find(needle) >= 0, "no log line naming '%s'",
                      needle);
        ck_assert(!vmport_enabled(d));
    }
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(limits_at_their_maximum_are_accepted)
{
    struct vmport_limits l = {
        .max_channels = 128, .gi_key_max = 1024, .gi_value_max = 65536,
        .gi_max_keys = 4096, .gi_total_max = 16U << 20,
        .tclo_queue_max = 64, .idle_timeout_ms = 1000,
        .trigger_timeout_ms = 24U * 3600 * 1000,
    };
    struct domain *d = h_domain(1, 1, 7, &l);
    struct vmport_limits got;

    ck_assert_int_eq(vmport_get_limits(d, &got), 0);
    ck_assert(memcmp(&l, &got, sizeof(l)) == 0);
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(queries_on_a_domain_without_vmport)
{
    struct domain *d = shim_domain_create(1, 1);
    struct vmport_limits l;

    ck_assert(!vmport_enabled(d));
    ck_assert_int_eq(vmport_get_limits(d, &l), -ENODEV);
    ck_assert_int_eq(vmport_set_hb(d, false), -ENODEV);
    ck_assert_uint_eq(vmport_mem_used(d), 0);
    vmport_domain_destroy(d);           /* safe when never enabled */
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(set_hb_toggles_the_hb_port)
{
    struct domain *d = h_domain(1, 1, 7, NULL);

    ck_assert(vmport_dom(d)->hb_enabled);
    ck_assert_int_eq(vmport_set_hb(d, false), 0);
    ck_assert(!vmport_dom(d)->hb_enabled);
    ck_assert_int_eq(vmport_set_hb(d, true), 0);
    ck_assert(vmport_dom(d)->hb_enabled);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(channel_table_is_charged_to_the_budget)
{
    /* Each vCPU's HB bounce buffer and its pointer, on top of the limits. */
    const size_t per_vcpu = sizeof(uint8_t *) + VMPORT_HB_CHUNK;
    struct vmport_limits l;
    struct domain *d;

    vmport_limits_default(&l);
    l.max_channels = 128;
    d = h_domain(1, 3, 7, &l);
    ck_assert_uint_eq(vmport_mem_used(d),
                      128 * sizeof(struct vmport_channel) + 3 * per_vcpu);
    ck_assert_uint_eq(vmport_dom(d)->mem_limit,
                      vmport_mem_limit(&l) + 3 * per_vcpu);
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(alloc_refuses_beyond_the_budget)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vmport_domain *vd = vmport_dom(d);
    size_t room = vd->mem_limit - vd->mem_used, before = vd->mem_used;
    void *p, *q;

    p = vmport_alloc(vd, room);
    ck_assert_msg(p != NULL, "the whole remaining budget (%zu) refused",
                  room);
    ck_assert_uint_eq(vd->mem_used, vd->mem_limit);
    q = vmport_alloc(vd, 1);
    ck_assert_msg(q == NULL, "allocated past the budget");
    ck_assert_ptr_null(vmport_alloc(vd, 0));
    vmport_free(vd, p, room);
    ck_assert_uint_eq(vd->mem_used, before);
    ck_assert_ptr_null(vmport_alloc(vd, vd->mem_limit));
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(uninit_alloc_shares_the_budget)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vmport_domain *vd = vmport_dom(d);
    size_t room = vd->mem_limit - vd->mem_used;
    void *p = vmport_alloc_uninit(vd, room - 8);

    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_null(vmport_alloc_uninit(vd, 9));
    ck_assert_ptr_null(vmport_alloc(vd, 9));
    ck_assert_ptr_null(vmport_alloc_uninit(vd, 0));
    vmport_free(vd, p, room - 8);
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

START_TEST(enable_failing_allocation_leaves_nothing)
{
    struct domain *d = shim_domain_create(1, 1);
    long n;

    for ( n = 0; n < 2; n++ )
    {
        shim_alloc_fail_after(n);
        ck_assert_int_eq(vmport_enable(d, 7, NULL), -ENOMEM);
        ck_assert(!vmport_enabled(d));
        teardown_check_leaks();
    }
    shim_alloc_fail_after(-1);
    ck_assert_int_eq(vmport_enable(d, 7, NULL), 0);
    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

/* One LB MESSAGE call with the channel in EDX[31:16] and no cookie. */
static uint32_t msg(struct vcpu *v, unsigned int sub, unsigned int id,
                    uint64_t cookie, uint32_t ebx)
{
    struct cpu_user_regs r;

    h_regs_cmd(&r, BDOOR_CMD_MESSAGE | (sub << 16), ebx, VMPORT_LB_PORT);
    r.edx = (id << 16) | VMPORT_LB_PORT;
    r.esi = cookie >> 32;
    r.edi = (uint32_t)cookie;
    h_run(v, &r, H_IN_EAX_DX, 1, 3);
    if ( sub == MESSAGE_TYPE_OPEN )
        return r.edx >> 16;
    return r.ecx;
}

/*
 * A guest filling every channel with a 64 KiB message fits the budget,
 * and destroying the domain frees it all, with guestinfo and TCLO state.
 */
START_TEST(destroy_frees_everything_the_guest_caused)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct vcpu *v = d->vcpu[0];
    unsigned int i;

    for ( i = 0; i < 8; i++ )
    {
        unsigned int id = msg(v, MESSAGE_TYPE_OPEN, 0, 0, VMPORT_PROTO_RPCI);
        uint32_t ecx = msg(v, MESSAGE_TYPE_SENDSIZE, id, 0, VMPORT_MSG_IN_MAX);

        ck_assert_msg(ecx & 0x00010000, "channel %u: SENDSIZE 64 KiB refused "
                      "(ecx %#x)", id, ecx);
    }
    for ( i = 0; i < 32; i++ )
    {
        char key[32];

        snprintf(key, sizeof(key), "guestinfo.k%u", i);
        ck_assert_int_eq(vmport_guestinfo_set(d, key, strlen(key), "value",
                                              5), 0);
    }
    ck_assert_int_eq(vmport_trigger(d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_uint_gt(vmport_mem_used(d), 8 * VMPORT_MSG_IN_MAX);
    ck_assert_uint_le(vmport_mem_used(d), vmport_dom(d)->mem_limit);

    shim_domain_destroy(d);
    teardown_check_leaks();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("domain");
    TCase *tc = tcase_create("lifecycle");

    tcase_add_test(tc, enable_is_write_once);
    tcase_add_test(tc, hardware_version_is_validated);
    tcase_add_test(tc, defaults_are_the_documented_ones);
    tcase_add_test(tc, each_limit_is_range_checked);
    tcase_add_test(tc, limits_at_their_maximum_are_accepted);
    tcase_add_test(tc, queries_on_a_domain_without_vmport);
    tcase_add_test(tc, set_hb_toggles_the_hb_port);
    tcase_add_test(tc, channel_table_is_charged_to_the_budget);
    tcase_add_test(tc, alloc_refuses_beyond_the_budget);
    tcase_add_test(tc, uninit_alloc_shares_the_budget);
    tcase_add_test(tc, enable_failing_allocation_leaves_nothing);
    tcase_add_test(tc, enable_refused_once_the_domain_has_run);
    tcase_add_test(tc, enable_refused_beside_viridian_or_nested);
    tcase_add_test(tc, record_with_another_hardware_version_is_refused);
    tcase_add_test(tc, destroy_frees_everything_the_guest_caused);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
