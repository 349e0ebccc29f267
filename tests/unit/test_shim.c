/*
 * test_shim.c: the shim's own promises, which every other test relies on:
 * guest memory faults and backends, allocation accounting, the clock, the
 * random source and the register unions.
 */

#include <errno.h>

#include <xen/lib.h>

#include "harness.h"

#include <xen/random.h>
#include <xen/time.h>
#include <xen/xmalloc.h>

static struct domain *d;

static void setup(void)
{
    d = shim_domain_create(5, 1);
    shim_set_current(d->vcpu[0]);
}

static void teardown(void)
{
    shim_domain_destroy(d);
}

START_TEST(copy_faults_at_first_unmapped_byte_and_keeps_earlier_pages)
{
    uint8_t buf[2 * SHIM_PAGE_SIZE], back[SHIM_PAGE_SIZE];
    pagefault_info_t pf = { 0 };
    enum hvm_translation_result rc;

    memset(buf, 0x5a, sizeof(buf));
    ck_assert_int_eq(shim_mem_map(d, 0x1000, SHIM_PAGE_SIZE, SHIM_MEM_ALL),
                     0);
    rc = hvm_copy_to_guest_linear(0x1800, buf, SHIM_PAGE_SIZE, 0, &pf);
    ck_assert_int_eq(rc, HVMTRANS_bad_linear_to_gfn);
    ck_assert_uint_eq(pf.linear, 0x2000);
    ck_assert_int_eq(pf.ec & PFEC_write_access, PFEC_write_access);
    ck_assert_int_eq(pf.ec & PFEC_page_present, 0);
    ck_assert_int_eq(shim_mem_read(d, 0x1800, back, 0x800), 0);
    ck_assert_uint_eq(back[0x7ff], 0x5a);
}
END_TEST

START_TEST(user_access_to_supervisor_page_faults_present)
{
    uint8_t b;
    pagefault_info_t pf = { 0 };

    shim_mem_map(d, 0x4000, 1, SHIM_MEM_RW);
    ck_assert_int_eq(hvm_copy_from_guest_linear(&b, 0x4000, 1, 0, &pf),
                     HVMTRANS_okay);
    ck_assert_int_eq(hvm_copy_from_guest_linear(&b, 0x4000, 1,
                                                PFEC_user_mode, &pf),
                     HVMTRANS_bad_linear_to_gfn);
    ck_assert_int_eq(pf.ec, PFEC_user_mode | PFEC_page_present);
    shim_mem_unmap(d, 0x4000, 1);
    ck_assert_int_eq(shim_mem_read(d, 0x4000, &b, 1), -EFAULT);
}
END_TEST

START_TEST(injected_results_come_first_then_stop)
{
    uint8_t b = 0;

    shim_mem_map(d, 0x4000, 1, SHIM_MEM_ALL);
    shim_mem_inject(d, HVMTRANS_bad_gfn_to_mfn, 2);
    ck_assert_int_eq(hvm_copy_to_guest_linear(0x4000, &b, 1, 0, NULL),
                     HVMTRANS_bad_gfn_to_mfn);
    ck_assert_int_eq(hvm_copy_from_guest_linear(&b, 0x4000, 1, 0, NULL),
                     HVMTRANS_bad_gfn_to_mfn);
    ck_assert_int_eq(hvm_copy_from_guest_linear(&b, 0x4000, 1, 0, NULL),
                     HVMTRANS_okay);
    ck_assert_uint_eq(shim_mem_copies(d), 3);
}
END_TEST

static unsigned int backend_calls;

static enum hvm_translation_result be_read(void *priv, void *buf,
                                           unsigned long addr,
                                           unsigned int size, uint32_t pfec,
                                           pagefault_info_t *pf)
{
    backend_calls++;
    memset(buf, (int)(uintptr_t)priv, size);
    return HVMTRANS_okay;
}

static enum hvm_translation_result be_write(void *priv, unsigned long addr,
                                            const void *buf,
                                            unsigned int size, uint32_t pfec,
                                            pagefault_info_t *pf)
{
    backend_calls++;
    pf->linear = addr;
    pf->ec = pfec;
    return HVMTRANS_bad_linear_to_gfn;
}

START_TEST(backend_replaces_builtin_memory)
{
    static const struct shim_guest_mem_ops ops = {
        .read = be_read, .write = be_write,
    };
    uint8_t b[4];
    pagefault_info_t pf;

    shim_set_guest_mem(d, &ops, (void *)(uintptr_t)0x77);
    ck_assert_int_eq(hvm_copy_from_guest_linear(b, 0x9000, 4, 0, &pf),
                     HVMTRANS_okay);
    ck_assert_uint_eq(b[3], 0x77);
    ck_assert_int_eq(hvm_copy_to_guest_linear(0x9000, b, 4, 0, &pf),
                     HVMTRANS_bad_linear_to_gfn);
    ck_assert_uint_eq(pf.linear, 0x9000);
    ck_assert_uint_eq(backend_calls, 2);
    shim_set_guest_mem(d, NULL, NULL);
    ck_assert_int_eq(hvm_copy_from_guest_linear(b, 0x9000, 4, 0, &pf),
                     HVMTRANS_bad_linear_to_gfn);
}
END_TEST

START_TEST(allocations_are_counted_and_can_fail)
{
    unsigned long live = shim_alloc_live(), bytes = shim_alloc_live_bytes();
    void *p = xzalloc_bytes(100), *q;

    ck_assert_uint_eq(shim_alloc_live(), live + 1);
    ck_assert_uint_eq(shim_alloc_live_bytes(), bytes + 100);
    shim_alloc_fail_after(1);
    q = xmalloc_bytes(8);
    ck_assert_ptr_nonnull(q);
    ck_assert_ptr_null(xmalloc_bytes(8));
    xfree(q);
    q = xmalloc_bytes(8);               /* failure was one-shot */
    ck_assert_ptr_nonnull(q);
    shim_alloc_fail_after(-1);
    xfree(q);
    xfree(p);
    ck_assert_uint_eq(shim_alloc_live(), live);
    ck_assert_uint_eq(shim_alloc_live_bytes(), bytes);
}
END_TEST

START_TEST(clock_and_random_are_deterministic)
{
    unsigned int a, b;

    shim_clock_set_now(SECONDS(5));
    shim_clock_set_wallclock(1000, 500);
    shim_clock_set_offset(d, -10);
    ck_assert_int_eq(NOW(), SECONDS(5));
    ck_assert_uint_eq(get_localtime_us(d), (995 * 1000000000ULL + 500) / 1000);
    shim_clock_advance(MILLISECS(1));
    ck_assert_int_eq(NOW(), SECONDS(5) + MILLISECS(1));

    shim_seed_random(42);
    a = get_random();
    b = get_random();
    shim_seed_random(42);
    ck_assert_uint_eq(get_random(), a);
    ck_assert_uint_eq(get_random(), b);
    ck_assert_uint_ne(a, b);
}
END_TEST

START_TEST(register_unions_write_only_the_named_width)
{
    struct cpu_user_regs r;

    r.rax = 0x1122334455667788ULL;
    r.eax = 0xaabbccdd;
    ck_assert_uint_eq(r.rax, 0x11223344aabbccddULL);
    r.ax = 0x0102;
    ck_assert_uint_eq(r.rax, 0x11223344aabb0102ULL);
    r.al = 0xff;
    ck_assert_uint_eq(r.rax, 0x11223344aabb01ffULL);
}
END_TEST

START_TEST(gdprintk_lines_are_captured_with_the_vcpu)
{
    shim_log_clear();
    gdprintk(XENLOG_WARNING, "hello %d\n", 7);
    ck_assert_uint_eq(shim_log_count(), 1);
    ck_assert_msg(strstr(shim_log_line(0), "d5v0 hello 7") != NULL,
                  "line: %s", shim_log_line(0));
    ck_assert_int_eq(shim_log_find("nothing like it"), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shim");
    TCase *tc = tcase_create("shim");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc,
                   copy_faults_at_first_unmapped_byte_and_keeps_earlier_pages);
    tcase_add_test(tc, user_access_to_supervisor_page_faults_present);
    tcase_add_test(tc, injected_results_come_first_then_stop);
    tcase_add_test(tc, backend_replaces_builtin_memory);
    tcase_add_test(tc, allocations_are_counted_and_can_fail);
    tcase_add_test(tc, clock_and_random_are_deterministic);
    tcase_add_test(tc, register_unions_write_only_the_named_width);
    tcase_add_test(tc, gdprintk_lines_are_captured_with_the_vcpu);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
