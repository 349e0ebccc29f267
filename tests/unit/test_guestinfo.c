/*
 * test_guestinfo.c: the guestinfo store, its limits (each one reached
 * from the guest and from dom0, with the exact "0 ..." reply) and the dom0
 * operations of vmport.h.
 */

#include <errno.h>

#include <asm/hvm/save.h>
#include <asm/hvm/vmport-save.h>
#include <asm/page.h>

#include "msg_harness.h"

static char reply[70000];

static const char *rpc_str(const char *req)
{
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_rpc_lb(m_v, &c, req, strlen(req), reply, sizeof(reply));
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
    return reply;
}

static void setup_small(void)
{
    struct vmport_limits l;

    vmport_limits_default(&l);
    l.gi_key_max = 16;
    l.gi_value_max = 100;
    l.gi_max_keys = 4;
    l.gi_total_max = 200;
    m_setup_limits(&l);
}

static int set(const char *key, const char *val)
{
    return vmport_guestinfo_set(m_d, key, strlen(key), val, strlen(val));
}

START_TEST(key_length_limit_is_exact)
{
    /* "guestinfo.abcdef" is 16 bytes: the limit. */
    ck_assert_str_eq(rpc_str("info-set guestinfo.abcdef 1"), "1 ");
    ck_assert_str_eq(rpc_str("info-set guestinfo.abcdefg 1"),
                     "0 Key too long");
    ck_assert_int_eq(set("guestinfo.abcdefg", "1"), -ENAMETOOLONG);
    ck_assert_str_eq(rpc_str("info-get guestinfo.abcdefg"),
                     "0 No value found");
}
END_TEST

START_TEST(value_length_limit_is_exact)
{
    char req[200], val[102];

    memset(val, 'v', 101);
    val[101] = '\0';
    snprintf(req, sizeof(req), "info-set guestinfo.a %s", val);
    ck_assert_str_eq(rpc_str(req), "0 Value too long");
    ck_assert_int_eq(set("guestinfo.a", val), -E2BIG);
    val[100] = '\0';
    snprintf(req, sizeof(req), "info-set guestinfo.a %s", val);
    ck_assert_str_eq(rpc_str(req), "1 ");
}
END_TEST

START_TEST(key_count_limit_is_exact)
{
    ck_assert_str_eq(rpc_str("info-set guestinfo.a 1"), "1 ");
    ck_assert_str_eq(rpc_str("info-set guestinfo.b 1"), "1 ");
    ck_assert_str_eq(rpc_str("info-set guestinfo.c 1"), "1 ");
    ck_assert_str_eq(rpc_str("info-set guestinfo.d 1"), "1 ");
    ck_assert_str_eq(rpc_str("info-set guestinfo.e 1"), "0 Too many keys");
    ck_assert_int_eq(set("guestinfo.e", "1"), -EMFILE);
    /* Updating an existing key still works at the limit. */
    ck_assert_str_eq(rpc_str("info-set guestinfo.b 22"), "1 ");
    ck_assert_int_eq(vmport_guestinfo_unset(m_d, "guestinfo.a", 11), 0);
    ck_assert_str_eq(rpc_str("info-set guestinfo.e 1"), "1 ");
}
END_TEST

START_TEST(total_bytes_limit_is_exact)
{
    char val[101];

    /* Three keys of 11 + 50 bytes = 183; 17 bytes left. */
    memset(val, 'x', 50);
    val[50] = '\0';
    ck_assert_int_eq(set("guestinfo.a", val), 0);
    ck_assert_int_eq(set("guestinfo.b", val), 0);
    ck_assert_int_eq(set("guestinfo.c", val), 0);
    ck_assert_uint_eq(m_vd()->gi_bytes, 183);
    ck_assert_str_eq(rpc_str("info-set guestinfo.d 1234567"),
                     "0 Guestinfo size limit reached");
    ck_assert_int_eq(set("guestinfo.d", "1234567"), -ENOSPC);
    ck_assert_str_eq(rpc_str("info-set guestinfo.d 123456"), "1 ");
    ck_assert_uint_eq(m_vd()->gi_bytes, 200);
    /* Growing a value past the total fails; shrinking one is fine. */
    ck_assert_str_eq(rpc_str("info-set guestinfo.d 1234567"),
                     "0 Guestinfo size limit reached");
    ck_assert_str_eq(rpc_str("info-set guestinfo.a x"), "1 ");
    ck_assert_uint_eq(m_vd()->gi_bytes, 151);
}
END_TEST

START_TEST(invalid_keys_are_refused)
{
    ck_assert_int_eq(set("foo", "1"), -EINVAL);
    ck_assert_int_eq(set("guestinfo.", "1"), -EINVAL);
    ck_assert_int_eq(vmport_guestinfo_set(m_d, "guestinfo.a\0b", 13, "1", 1),
                     -EINVAL);
    ck_assert_int_eq(vmport_guestinfo_set(m_d, "guestinfo.\xff", 11, "1", 1),
                     -EINVAL);
    ck_assert_uint_eq(m_vd()->gi_count, 0);
}
END_TEST

START_TEST(dom0_get_reports_needed_size_and_binary_values)
{
    static const char bin[] = { 'a', 0, 'b', 0 };
    char buf[8];
    uint32_t len = sizeof(buf);

    ck_assert_int_eq(vmport_guestinfo_set(m_d, "GuestInfo.Bin", 13, bin,
                                          sizeof(bin)), 0);
    ck_assert_int_eq(vmport_guestinfo_get(m_d, "guestinfo.bin", 13, buf,
                                          &len), 0);
    ck_assert_uint_eq(len, 4);
    ck_assert_int_eq(memcmp(buf, bin, 4), 0);
    len = 2;
    ck_assert_int_eq(vmport_guestinfo_get(m_d, "guestinfo.bin", 13, buf,
                                          &len), -ENOBUFS);
    ck_assert_uint_eq(len, 4);
    ck_assert_int_eq(vmport_guestinfo_get(m_d, "guestinfo.nope", 14, buf,
                                          &len), -ENOENT);
    ck_assert_int_eq(vmport_guestinfo_unset(m_d, "guestinfo.nope", 14),
                     -ENOENT);
}
END_TEST

START_TEST(dom0_listing_is_sorted_and_bounded)
{
    static const char *keys[] = { "guestinfo.d", "guestinfo.a",
                                  "guestinfo.c", "guestinfo.b" };
    char key[32];
    uint32_t klen;
    unsigned int i;

    for ( i = 0; i < 4; i++ )
        ck_assert_int_eq(set(keys[i], "v"), 0);
    for ( i = 0; i < 4; i++ )
    {
        klen = sizeof(key);
        ck_assert_int_eq(vmport_guestinfo_key(m_d, i, key, &klen), 0);
        ck_assert_uint_eq(klen, 11);
        ck_assert_int_eq(key[10], 'a' + i);
    }
    klen = sizeof(key);
    ck_assert_int_eq(vmport_guestinfo_key(m_d, 4, key, &klen), -ENOENT);
    klen = 3;
    ck_assert_int_eq(vmport_guestinfo_key(m_d, 0, key, &klen), -ENOBUFS);
    ck_assert_uint_eq(klen, 11);
}
END_TEST

START_TEST(dom0_operations_need_vmport)
{
    struct domain *d = shim_domain_create(7, 1);
    char buf[4];
    uint32_t len = sizeof(buf);

    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.a", 11, "1", 1),
                     -ENODEV);
    ck_assert_int_eq(vmport_guestinfo_get(d, "guestinfo.a", 11, buf, &len),
                     -ENODEV);
    ck_assert_int_eq(vmport_guestinfo_unset(d, "guestinfo.a", 11), -ENODEV);
    ck_assert_int_eq(vmport_guestinfo_key(d, 0, buf, &len), -ENODEV);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(allocation_failure_says_out_of_memory_and_keeps_state)
{
    ck_assert_str_eq(rpc_str("info-set guestinfo.a old"), "1 ");
    shim_alloc_fail_after(0);
    ck_assert_int_eq(set("guestinfo.a", "new"), -ENOMEM);
    shim_alloc_fail_after(0);
    ck_assert_int_eq(set("guestinfo.b", "new"), -ENOMEM);
    shim_alloc_fail_after(1);
    ck_assert_int_eq(set("guestinfo.b", "new"), -ENOMEM);
    shim_alloc_fail_after(-1);
    ck_assert_uint_eq(m_vd()->gi_count, 1);
    ck_assert_uint_eq(m_vd()->gi_bytes, 14);
    ck_assert_str_eq(rpc_str("info-get guestinfo.a"), "1 old");
}
END_TEST

/* Default limits: fill the store completely; the budget always holds. */
START_TEST(full_store_stays_within_the_memory_budget)
{
    static char val[VMPORT_GI_VALUE_MAX_DEFAULT];
    char key[32];
    unsigned int i, ok = 0;

    for ( i = 0; i < 300; i++ )
    {
        snprintf(key, sizeof(key), "guestinfo.s%03u", i);
        if ( !vmport_guestinfo_set(m_d, key, strlen(key), "1", 1) )
            ok++;
    }
    ck_assert_uint_eq(ok, VMPORT_GI_MAX_KEYS_DEFAULT);
    ck_assert_uint_le(vmport_mem_used(m_d), m_vd()->mem_limit);
    for ( i = 0; i < 300; i++ )
    {
        snprintf(key, sizeof(key), "guestinfo.s%03u", i);
        vmport_guestinfo_unset(m_d, key, strlen(key));
    }
    ck_assert_uint_eq(m_vd()->gi_count, 0);

    /* Values of 64 KiB - 64: sixteen fit in the 1 MiB total. */
    memset(val, 'z', sizeof(val));
    ok = 0;
    for ( i = 0; i < 40; i++ )
    {
        snprintf(key, sizeof(key), "guestinfo.k%02u", i);
        if ( !vmport_guestinfo_set(m_d, key, strlen(key), val,
                                   sizeof(val) - 64) )
            ok++;
        ck_assert_uint_le(vmport_mem_used(m_d), m_vd()->mem_limit);
    }
    ck_assert_uint_eq(ok, 16);
    ck_assert_uint_le(m_vd()->gi_bytes, VMPORT_GI_TOTAL_MAX_DEFAULT);
}
END_TEST

START_TEST(store_stays_sorted_under_random_updates)
{
    char key[32];
    unsigned int i, n;

    srandom(7);
    for ( i = 0; i < 2000; i++ )
    {
        n = random() % 64;
        snprintf(key, sizeof(key), "guestinfo.%u", n);
        if ( random() % 3 )
            vmport_guestinfo_set(m_d, key, strlen(key), key, n % 5);
        else
            vmport_guestinfo_unset(m_d, key, strlen(key));
    }
    for ( i = 1; i < m_vd()->gi_count; i++ )
        ck_assert_msg(strcmp(m_vd()->gi[i - 1].key, m_vd()->gi[i].key) < 0,
                      "keys %u and %u out of order", i - 1, i);
    n = 0;
    for ( i = 0; i < m_vd()->gi_count; i++ )
        n += m_vd()->gi[i].klen + m_vd()->gi[i].vlen;
    ck_assert_uint_eq(n, m_vd()->gi_bytes);
}
END_TEST

/*
 * Item 6 of the review: large buffers (a 60 KiB value as the guest sends it
 * over the HB port and reads it back, the reply, the staged state of a
 * record load) come from vmalloc(), never from a single xmalloc() above a
 * page, so a busy domain needs no high-order contiguous heap block.
 */
START_TEST(large_buffers_are_page_mapped_not_contiguous)
{
    static char req[61500], got[62000];
    const char *key = "guestinfo.big";
    struct domain *e;
    struct chan c;
    unsigned long vm0 = shim_alloc_vmalloc_calls();
    uint32_t len, cap;
    uint8_t *rec;
    int n;

    m_map_guest_buf(m_d);
    shim_alloc_xmalloc_largest();       /* reset */
    n = snprintf(req, sizeof(req), "info-set %s ", key);
    memset(req + n, 'v', 61440);
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    ck_assert_int_eq(m_rpc_hb(m_v, &c, req, n + 61440, got, sizeof(got)), 2);
    n = snprintf(req, sizeof(req), "info-get %s", key);
    ck_assert_int_eq(m_rpc_hb(m_v, &c, req, n, got, sizeof(got)), 61442);
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);

    ck_assert_int_eq(vmport_record_save(m_d, NULL, 0, HVM_VMPORT_VERSION_CURRENT,
                                        VMPORT_SAVE_REFUSE, &len), 0);
    cap = len;
    rec = malloc(cap);
    ck_assert_ptr_nonnull(rec);
    ck_assert_int_eq(vmport_record_save(m_d, rec, cap, HVM_VMPORT_VERSION_CURRENT,
                                        VMPORT_SAVE_REFUSE, &len), 0);
    e = h_domain(m_d->domain_id + 100, 1, VMPORT_HWVER_DEFAULT, NULL);
    ck_assert_int_eq(vmport_record_load(e, rec, len), 0);
    free(rec);

    ck_assert_uint_le(shim_alloc_xmalloc_largest(), PAGE_SIZE);
    ck_assert_uint_gt(shim_alloc_vmalloc_calls(), vm0);
    shim_domain_destroy(e);
}
END_TEST

static Suite *guestinfo_suite(void)
{
    Suite *s = suite_create("guestinfo");
    TCase *t = tcase_create("limits");

    tcase_add_checked_fixture(t, setup_small, m_teardown);
    tcase_add_test(t, key_length_limit_is_exact);
    tcase_add_test(t, value_length_limit_is_exact);
    tcase_add_test(t, key_count_limit_is_exact);
    tcase_add_test(t, total_bytes_limit_is_exact);
    tcase_add_test(t, invalid_keys_are_refused);
    tcase_add_test(t, dom0_get_reports_needed_size_and_binary_values);
    tcase_add_test(t, dom0_listing_is_sorted_and_bounded);
    tcase_add_test(t, allocation_failure_says_out_of_memory_and_keeps_state);
    suite_add_tcase(s, t);

    t = tcase_create("defaults");
    tcase_add_checked_fixture(t, m_setup, m_teardown);
    tcase_add_test(t, dom0_operations_need_vmport);
    tcase_add_test(t, full_store_stays_within_the_memory_budget);
    tcase_add_test(t, store_stays_sorted_under_random_updates);
    tcase_add_test(t, large_buffers_are_page_mapped_not_contiguous);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return h_run_suite(guestinfo_suite());
}
