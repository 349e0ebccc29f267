/*
 * test_dmop.c: XEN_DMOP_vmport's handler in the hypervisor series, run
 * through the shim with the real device model.
 *
 * The files under test are the real ones: the handler (dm_op_vmport() and
 * its helpers) and the public ABI are the fragments of
 * xen/arch/x86/hvm/dm.c and public/hvm/dm_op.h that scripts/gen-xen-series
 * puts into patch 0007 (xen/arch/x86/hvm/dm/, xen/include/public/hvm/dm_op/),
 * included below (reached by name through -Ixen/arch/x86/hvm and
 * -Ixen/include, as test_glue.c reaches vmport.c).  What they use of dm.c
 * itself (struct dmop_args, the buffer copies) is recorded here, as Xen
 * 4.17 has it, with guest handles as plain pointers.
 */

#include <errno.h>
#include <stddef.h>

#include <xen/lib.h>
#include <xen/xmalloc.h>
#include <asm/page.h>

#include "harness.h"

typedef uint64_t uint64_aligned_t __attribute__((aligned(8)));

struct xen_dm_op_buf {
    void *h;                    /* XEN_GUEST_HANDLE(void) */
    uint64_t size;
};

struct dmop_args {
    domid_t domid;
    unsigned int nr_bufs;
    struct xen_dm_op_buf buf[3];
};

static int copy_to_guest_offset(void *h, size_t off, const void *src,
                                size_t len)
{
    memcpy((uint8_t *)h + off, src, len);
    return 0;
}

/* dm.c's own, unchanged by the series. */
static bool _raw_copy_from_guest_buf_offset(void *dst,
                                            const struct dmop_args *args,
                                            unsigned int buf_idx,
                                            size_t offset_bytes,
                                            size_t dst_bytes)
{
    size_t buf_bytes;

    if ( buf_idx >= args->nr_bufs )
        return false;
    buf_bytes = args->buf[buf_idx].size;
    if ( (offset_bytes + dst_bytes) < offset_bytes ||
         (offset_bytes + dst_bytes) > buf_bytes )
        return false;
    memcpy(dst, (const uint8_t *)args->buf[buf_idx].h + offset_bytes,
           dst_bytes);
    return true;
}

#define COPY_FROM_GUEST_BUF_OFFSET(dst, bufs, buf_idx, offset_bytes) \
    _raw_copy_from_guest_buf_offset(&(dst), bufs, buf_idx, offset_bytes, \
                                    sizeof(dst))

static bool hvm_vmport_domain(const struct domain *d)
{
    return d->arch.hvm.vmport;
}

#include <public/hvm/dm_op/xen_dm_op_vmport.h>
#include "dm/dm_op_vmport.c"

/* One call, with buffers 1 and 2 as given (NULL: absent). */
static int call(struct domain *d, struct xen_dm_op_vmport *op, void *b1,
                size_t s1, void *b2, size_t s2)
{
    struct dmop_args args = {
        .domid = d->domain_id, .nr_bufs = b2 ? 3 : b1 ? 2 : 1,
        .buf = { { op, sizeof(*op) }, { b1, s1 }, { b2, s2 } },
    };

    return dm_op_vmport(d, &args, op);
}

static int limits_call(struct domain *d, uint32_t cmd,
                       struct xen_dm_op_vmport_limits *pl)
{
    struct xen_dm_op_vmport op = { .cmd = cmd };

    return call(d, &op, pl, sizeof(*pl), NULL, 0);
}

static void check_no_leaks(void)
{
    ck_assert_msg(shim_alloc_live() == 0, "leaked: expected 0 blocks, seen "
                  "%lu (%lu bytes)", shim_alloc_live(),
                  shim_alloc_live_bytes());
}

START_TEST(abi_sizes)
{
    ck_assert_uint_eq(sizeof(struct xen_dm_op_vmport), 32);
    ck_assert_uint_eq(sizeof(struct xen_dm_op_vmport_limits), 32);
    ck_assert_uint_eq(sizeof(struct xen_dm_op_vmport_usage), 16);
}
END_TEST

/*
 * A 64 KiB value set and read back through the DMOP: every buffer above a
 * page is vmalloc()ed (single pages), none an xmalloc() above a page.
 */
START_TEST(value_buffer_is_page_mapped_not_contiguous)
{
    static uint8_t val[65536], got[65536];
    struct domain *d = h_domain(1, 1, 7, NULL);
    const char *key = "guestinfo.big";
    struct xen_dm_op_vmport op = {
        .cmd = XEN_DMOP_VMPORT_GI_SET, .key_len = strlen(key),
        .val_len = sizeof(val),
    };
    unsigned long vm0 = shim_alloc_vmalloc_calls();

    memset(val, 'v', sizeof(val));
    shim_alloc_xmalloc_largest();       /* reset */
    ck_assert_int_eq(call(d, &op, (void *)key, op.key_len, val, sizeof(val)),
                     0);
    ck_assert_msg(shim_alloc_vmalloc_calls() >= vm0 + 2, "expected the "
                  "DMOP's and the store's value vmalloc()ed, seen %lu calls",
                  shim_alloc_vmalloc_calls() - vm0);

    op = (struct xen_dm_op_vmport){
        .cmd = XEN_DMOP_VMPORT_GI_GET, .key_len = strlen(key),
        .val_len = sizeof(got),
    };
    vm0 = shim_alloc_vmalloc_calls();
    ck_assert_int_eq(call(d, &op, (void *)key, op.key_len, got, sizeof(got)),
                     0);
    ck_assert_uint_eq(op.val_len, sizeof(val));
    ck_assert(memcmp(got, val, sizeof(val)) == 0);
    ck_assert_uint_gt(shim_alloc_vmalloc_calls(), vm0);
    ck_assert_msg(shim_alloc_xmalloc_largest() <= PAGE_SIZE, "an xmalloc() "
                  "of %lu bytes: contiguous above a page",
                  shim_alloc_xmalloc_largest());
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

START_TEST(limits_set_and_got_through_the_dmop)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct xen_dm_op_vmport_limits pl, got;
    struct vmport_limits l;

    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_GET_LIMITS, &pl), 0);
    ck_assert_uint_eq(pl.max_channels, 8);
    ck_assert_uint_eq(pl.gi_value_max, 65536);
    ck_assert_uint_eq(pl.trigger_timeout_ms, 60000);

    pl.max_channels = 16;
    pl.gi_value_max = 4096;
    pl.gi_total_max = 65536;
    pl.idle_timeout_ms = 5000;
    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_SET_LIMITS, &pl), 0);
    ck_assert_int_eq(vmport_get_limits(d, &l), 0);
    ck_assert_uint_eq(l.max_channels, 16);
    ck_assert_uint_eq(l.gi_value_max, 4096);
    ck_assert_uint_eq(l.gi_total_max, 65536);
    ck_assert_uint_eq(l.idle_timeout_ms, 5000);
    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_GET_LIMITS, &got), 0);
    ck_assert(memcmp(&pl, &got, sizeof(pl)) == 0);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

START_TEST(set_limits_refused_after_the_first_run_or_out_of_range)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct xen_dm_op_vmport_limits pl;
    struct xen_dm_op_vmport op = { .cmd = XEN_DMOP_VMPORT_SET_LIMITS };

    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_GET_LIMITS, &pl), 0);
    pl.gi_key_max = 0;
    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_SET_LIMITS, &pl),
                     -EINVAL);
    pl.gi_key_max = 128;
    pl.tclo_queue_max = 65;
    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_SET_LIMITS, &pl),
                     -EINVAL);
    pl.tclo_queue_max = 16;
    /* No buffer, or one too short, is a fault, not a read past it. */
    ck_assert_int_eq(call(d, &op, NULL, 0, NULL, 0), -EFAULT);
    ck_assert_int_eq(call(d, &op, &pl, sizeof(pl) - 1, NULL, 0), -EFAULT);

    d->creation_finished = true;
    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_SET_LIMITS, &pl),
                     -EBUSY);
    shim_domain_destroy(d);

    d = shim_domain_create(1, 1);
    ck_assert_int_eq(limits_call(d, XEN_DMOP_VMPORT_GET_LIMITS, &pl),
                     -ENODEV);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

START_TEST(usage_is_reported_through_the_dmop)
{
    struct domain *d = h_domain(1, 2, 7, NULL);
    struct xen_dm_op_vmport_usage u;
    struct xen_dm_op_vmport op = { .cmd = XEN_DMOP_VMPORT_GET_USAGE };

    memset(&u, 0xff, sizeof(u));
    ck_assert_int_eq(call(d, &op, &u, sizeof(u), NULL, 0), 0);
    ck_assert_uint_eq(u.mem_used, vmport_mem_used(d));
    ck_assert_uint_eq(u.mem_budget, vmport_mem_budget(d));
    ck_assert_uint_gt(u.mem_used, 0);
    ck_assert_uint_lt(u.mem_used, u.mem_budget);

    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.a", 11, "12345", 5),
                     0);
    ck_assert_int_eq(call(d, &op, &u, sizeof(u), NULL, 0), 0);
    ck_assert_uint_eq(u.mem_used, vmport_mem_used(d));
    ck_assert_int_eq(call(d, &op, &u, sizeof(u) - 1, NULL, 0), -EFAULT);
    shim_domain_destroy(d);
    check_no_leaks();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("patches-dmop");
    TCase *tc = tcase_create("XEN_DMOP_vmport");

    tcase_add_test(tc, abi_sizes);
    tcase_add_test(tc, value_buffer_is_page_mapped_not_contiguous);
    tcase_add_test(tc, limits_set_and_got_through_the_dmop);
    tcase_add_test(tc, set_limits_refused_after_the_first_run_or_out_of_range);
    tcase_add_test(tc, usage_is_reported_through_the_dmop);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
