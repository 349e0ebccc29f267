/*
 * test_cpuid.c: the VMware CPUID leaves, by hardware version.
 */

#include "harness.h"

#include <xen/lib/x86/cpu-policy.h>

static void leaf(struct domain *d, uint32_t l, struct cpuid_leaf *res)
{
    memset(res, 0xcc, sizeof(*res));
    cpuid_vmport_leaves(d->vcpu[0], l, 0, res);
}

#define LEAF_EQ(res, ea, eb, ec, ed, what) \
    ck_assert_msg((res).a == (ea) && (res).b == (eb) && (res).c == (ec) && \
                  (res).d == (ed), "%s: expected %08x %08x %08x %08x, seen " \
                  "%08x %08x %08x %08x", what, (ea), (eb), (ec), (ed), \
                  (res).a, (res).b, (res).c, (res).d)

START_TEST(leaf_0x40000000_is_vmware_signature)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct cpuid_leaf res;
    char sig[13];

    leaf(d, 0x40000000, &res);
    memcpy(sig, &res.b, 4);
    memcpy(sig + 4, &res.c, 4);
    memcpy(sig + 8, &res.d, 4);
    sig[12] = '\0';
    ck_assert_str_eq(sig, "VMwareVMware");
    ck_assert_uint_eq(res.a, 0x40000010);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(leaf_0x40000010_is_domain_tsc_and_apic_khz)
{
    struct domain *d = h_domain(1, 1, 7, NULL);
    struct cpuid_leaf res;

    d->arch.tsc_khz = 1999999;          /* the domain's, not the host's */
    leaf(d, 0x40000010, &res);
    LEAF_EQ(res, 1999999U, 100000U, 0U, 0U, "0x40000010");
    shim_domain_destroy(d);
}
END_TEST

START_TEST(other_leaves_in_range_are_zero)
{
    static const uint32_t leaves[] = {
        0x40000001, 0x40000002, 0x4000000f, 0x40000011, 0x40000080,
        0x400000ff,
    };
    struct domain *d = h_domain(1, 1, 21, NULL);
    struct cpuid_leaf res;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(leaves); i++ )
    {
        char what[16];

        snprintf(what, sizeof(what), "%#x", leaves[i]);
        leaf(d, leaves[i], &res);
        LEAF_EQ(res, 0U, 0U, 0U, 0U, what);
    }
    shim_domain_destroy(d);
}
END_TEST

START_TEST(leaves_only_from_hardware_version_7)
{
    static const struct {
        unsigned int hwver;
        bool on;
    } cases[] = {
        { 1, false }, { 4, false }, { 6, false }, { 7, true }, { 8, true },
        { 255, true },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        struct domain *d = h_domain(1, 1, cases[i].hwver, NULL);

        ck_assert_msg(vmport_cpuid_enabled(d) == cases[i].on,
                      "hwver %u: expected %d, seen %d", cases[i].hwver,
                      cases[i].on, vmport_cpuid_enabled(d));
        shim_domain_destroy(d);
    }
}
END_TEST

START_TEST(no_leaves_without_vmport)
{
    struct domain *d = shim_domain_create(1, 1);

    ck_assert(!vmport_cpuid_enabled(d));
    shim_domain_destroy(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpuid");
    TCase *tc = tcase_create("leaves");

    tcase_add_test(tc, leaf_0x40000000_is_vmware_signature);
    tcase_add_test(tc, leaf_0x40000010_is_domain_tsc_and_apic_khz);
    tcase_add_test(tc, other_leaves_in_range_are_zero);
    tcase_add_test(tc, leaves_only_from_hardware_version_7);
    tcase_add_test(tc, no_leaves_without_vmport);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
