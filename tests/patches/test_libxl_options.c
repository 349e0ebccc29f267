/*
 * test_libxl_options.c: the toolstack series' validation of xl's
 * vmware_port= and vmware_hwver= options (libxl fills in defaults and
 * refuses bad combinations before any domain is built).
 *
 * The files under test are the real ones: vmware_port_setdefault(),
 * vmware_port_limits_check() (the limits vmware_port_channels=,
 * vmware_guestinfo_value_max= and vmware_guestinfo_max_kb=) and the
 * hardware version's range are the fragments of tools/libs/light/libxl_x86.c
 * that scripts/gen-xen-series puts into the series (tools/xen-glue),
 * included below in the order the series places them; the limits' ranges
 * are the public header's caps (vmporttype.h).  What they use of libxl is
 * recorded here: defbools, the domain types, LOG().
 */

#include <check.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * The caps the limits are checked against, from the public header, as
 * libxl_x86.c has them (xenctrl.h's <xen/domctl.h> -> <xen/hvm/save.h>).
 */
#include <public/arch-x86/hvm/vmporttype.h>

/* The parts of libxl the function uses, with libxl's meanings. */
typedef struct {
    int val;                    /* 0 default, > 0 true, < 0 false */
} libxl_defbool;

static bool libxl_defbool_is_default(libxl_defbool db)
{
    return !db.val;
}

static void libxl_defbool_setdefault(libxl_defbool *db, bool b)
{
    if ( !db->val )
        db->val = b ? 1 : -1;
}

static bool libxl_defbool_val(libxl_defbool db)
{
    ck_assert_msg(db.val, "libxl_defbool_val() of a default defbool");
    return db.val > 0;
}

enum {
    LIBXL_DOMAIN_TYPE_INVALID = -1,
    LIBXL_DOMAIN_TYPE_HVM = 1,
    LIBXL_DOMAIN_TYPE_PV,
    LIBXL_DOMAIN_TYPE_PVH,
};

#define ERROR_INVAL (-6)

/* libxl_bitmap as libxl_utils.h sees it: the list form of viridian=. */
typedef struct {
    uint32_t size;              /* bytes */
    uint8_t *map;
} libxl_bitmap;

static bool libxl_bitmap_is_empty(const libxl_bitmap *b)
{
    for ( uint32_t i = 0; i < b->size; i++ )
        if ( b->map[i] )
            return false;
    return true;
}

typedef struct {
    int type;
    libxl_defbool nested_hvm;
    struct {
        libxl_defbool vmware_port;
        uint32_t vmware_hwver;
        uint32_t vmware_port_channels;
        uint32_t vmware_guestinfo_value_max;
        uint32_t vmware_guestinfo_max_kb;
    } arch_x86;
    union {
        struct {
            libxl_defbool viridian;
            libxl_bitmap viridian_enable;
        } hvm;
    } u;
} libxl_domain_build_info;

typedef struct libxl__gc libxl__gc;

static char logged[512];

#define LOG(level, fmt, ...) \
    snprintf(logged, sizeof(logged), fmt, ##__VA_ARGS__)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "libxl_x86/vmware_hwver_range.c"
#include "libxl_x86/vmware_port_limits_check.c"
#include "libxl_x86/vmware_port_setdefault.c"

/* As libxl__arch_domain_build_info_setdefault() calls them. */
static int setdefault(libxl_domain_build_info *b)
{
    int rc = vmware_port_setdefault(NULL, b);

    return rc ? rc : vmware_port_limits_check(NULL, b);
}

#define ON  { 1 }
#define OFF { -1 }

static libxl_domain_build_info info(int type, int port, uint32_t hwver)
{
    libxl_domain_build_info b;

    memset(&b, 0, sizeof(b));
    b.type = type;
    b.arch_x86.vmware_port.val = port;
    b.arch_x86.vmware_hwver = hwver;
    logged[0] = '\0';
    return b;
}

#define EXPECT_REFUSED(b, words) do {                                        \
    int rc_ = vmware_port_setdefault(NULL, &(b));                           \
    ck_assert_msg(rc_ == ERROR_INVAL, "expected ERROR_INVAL, seen %d", rc_);\
    ck_assert_msg(strstr(logged, (words)), "expected a message naming "     \
                  "'%s', seen '%s'", (words), logged);                      \
} while ( 0 )

START_TEST(default_is_off_and_leaves_hwver_unset)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 0, 0);

    ck_assert_int_eq(vmware_port_setdefault(NULL, &b), 0);
    ck_assert_msg(b.arch_x86.vmware_port.val < 0, "expected off");
    ck_assert_uint_eq(b.arch_x86.vmware_hwver, 0);
}
END_TEST

START_TEST(port_on_defaults_hwver_to_7)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);

    ck_assert_int_eq(vmware_port_setdefault(NULL, &b), 0);
    ck_assert_msg(b.arch_x86.vmware_hwver == 7, "expected hwver 7, seen %u",
                  b.arch_x86.vmware_hwver);
}
END_TEST

START_TEST(pvh_guests_may_have_it)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_PVH, 1, 21);

    ck_assert_int_eq(vmware_port_setdefault(NULL, &b), 0);
    ck_assert_uint_eq(b.arch_x86.vmware_hwver, 21);
}
END_TEST

START_TEST(hwver_range_ends_are_accepted)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 1);

    ck_assert_int_eq(vmware_port_setdefault(NULL, &b), 0);
    b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 255);
    ck_assert_int_eq(vmware_port_setdefault(NULL, &b), 0);
}
END_TEST

START_TEST(hwver_256_is_refused)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 256);

    EXPECT_REFUSED(b, "vmware_hwver=256 is out of range (1-255)");
}
END_TEST

START_TEST(hwver_without_port_is_refused)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 0, 7);

    EXPECT_REFUSED(b, "vmware_hwver=7 needs vmware_port=1");
}
END_TEST

START_TEST(pv_guests_are_refused)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_PV, 1, 0);

    EXPECT_REFUSED(b, "only available to HVM and PVH");
}
END_TEST

START_TEST(viridian_together_is_refused)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);
    libxl_defbool on = ON;

    b.u.hvm.viridian = on;
    EXPECT_REFUSED(b, "vmware_port=1 and viridian are mutually exclusive");
}
END_TEST

START_TEST(viridian_list_form_is_refused)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);
    uint8_t groups[1] = { 1 };          /* viridian = [ "base" ] */

    b.u.hvm.viridian_enable.size = sizeof(groups);
    b.u.hvm.viridian_enable.map = groups;
    EXPECT_REFUSED(b, "vmware_port=1 and viridian are mutually exclusive");
}
END_TEST

START_TEST(viridian_off_is_fine)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);
    libxl_defbool off = OFF;

    b.u.hvm.viridian = off;
    ck_assert_int_eq(vmware_port_setdefault(NULL, &b), 0);
}
END_TEST

START_TEST(nested_hvm_together_is_refused)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);
    libxl_defbool on = ON;

    b.nested_hvm = on;
    EXPECT_REFUSED(b, "nested_hvm=1");
}
END_TEST

#define EXPECT_LIMIT_REFUSED(b, words) do {                                  \
    int rc_ = setdefault(&(b));                                             \
    ck_assert_msg(rc_ == ERROR_INVAL, "expected ERROR_INVAL, seen %d", rc_);\
    ck_assert_msg(strstr(logged, (words)), "expected a message naming "     \
                  "'%s', seen '%s'", (words), logged);                      \
} while ( 0 )

START_TEST(limits_unset_leave_xen_defaults)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);

    ck_assert_int_eq(setdefault(&b), 0);
    ck_assert_uint_eq(b.arch_x86.vmware_port_channels, 0);
    ck_assert_uint_eq(b.arch_x86.vmware_guestinfo_value_max, 0);
    ck_assert_uint_eq(b.arch_x86.vmware_guestinfo_max_kb, 0);
}
END_TEST

START_TEST(limits_at_their_range_ends_are_accepted)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);

    b.arch_x86.vmware_port_channels = 1;
    b.arch_x86.vmware_guestinfo_value_max = 1;
    b.arch_x86.vmware_guestinfo_max_kb = 1;
    ck_assert_int_eq(setdefault(&b), 0);
    b = info(LIBXL_DOMAIN_TYPE_PVH, 1, 0);
    b.arch_x86.vmware_port_channels = 128;
    b.arch_x86.vmware_guestinfo_value_max = 65536;
    b.arch_x86.vmware_guestinfo_max_kb = 16384;
    ck_assert_int_eq(setdefault(&b), 0);
    ck_assert_uint_eq(b.arch_x86.vmware_port_channels, 128);
}
END_TEST

START_TEST(limits_out_of_range_are_refused_by_name)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);

    b.arch_x86.vmware_port_channels = 129;
    EXPECT_LIMIT_REFUSED(b, "vmware_port_channels=129 is out of range "
                            "(1-128)");
    b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);
    b.arch_x86.vmware_guestinfo_value_max = 65537;
    EXPECT_LIMIT_REFUSED(b, "vmware_guestinfo_value_max=65537 is out of "
                            "range (1-65536)");
    b = info(LIBXL_DOMAIN_TYPE_HVM, 1, 0);
    b.arch_x86.vmware_guestinfo_max_kb = 16385;
    EXPECT_LIMIT_REFUSED(b, "vmware_guestinfo_max_kb=16385 is out of range "
                            "(1-16384)");
}
END_TEST

START_TEST(limits_without_port_are_refused)
{
    libxl_domain_build_info b = info(LIBXL_DOMAIN_TYPE_HVM, 0, 0);

    b.arch_x86.vmware_guestinfo_max_kb = 64;
    EXPECT_LIMIT_REFUSED(b, "vmware_guestinfo_max_kb=64 needs vmware_port=1");
    b = info(LIBXL_DOMAIN_TYPE_HVM, -1, 0);
    b.arch_x86.vmware_port_channels = 4;
    EXPECT_LIMIT_REFUSED(b, "vmware_port_channels=4 needs vmware_port=1");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("patches-libxl-options");
    TCase *tc = tcase_create("vmware_port");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, default_is_off_and_leaves_hwver_unset);
    tcase_add_test(tc, port_on_defaults_hwver_to_7);
    tcase_add_test(tc, pvh_guests_may_have_it);
    tcase_add_test(tc, hwver_range_ends_are_accepted);
    tcase_add_test(tc, hwver_256_is_refused);
    tcase_add_test(tc, hwver_without_port_is_refused);
    tcase_add_test(tc, pv_guests_are_refused);
    tcase_add_test(tc, viridian_together_is_refused);
    tcase_add_test(tc, viridian_list_form_is_refused);
    tcase_add_test(tc, viridian_off_is_fine);
    tcase_add_test(tc, nested_hvm_together_is_refused);
    tcase_add_test(tc, limits_unset_leave_xen_defaults);
    tcase_add_test(tc, limits_at_their_range_ends_are_accepted);
    tcase_add_test(tc, limits_out_of_range_are_refused_by_name);
    tcase_add_test(tc, limits_without_port_are_refused);
    suite_add_tcase(s, tc);

    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    return failed ? 1 : 0;
}
