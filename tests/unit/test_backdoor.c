/*
 * test_backdoor.c: the LB commands register-exact, through real `in`/`out`
 * instruction bytes, at CPL 0 and CPL 3, and the port-level behaviour
 * (wrong magic, widths, directions, what is and is not a backdoor access).
 */

#include "harness.h"

static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
    shim_trace_clear();
    d = h_domain(1, 2, 7, NULL);
    v = d->vcpu[0];
}

static void teardown(void)
{
    shim_domain_destroy(d);
    ck_assert_msg(shim_alloc_live() == 0, "leaked blocks: %lu",
                  shim_alloc_live());
}

/* Expected registers after a command: the input ones, with changes. */
static void expect_cmd(struct cpu_user_regs *exp, uint32_t cmd, uint32_t ebx)
{
    h_regs_cmd(exp, cmd, ebx, VMPORT_LB_PORT);
}

START_TEST(getversion_sets_eax_ebx_ecx_only)
{
    struct cpu_user_regs r, exp;
    unsigned int cpl = _i ? 3 : 0;

    h_cmd(v, &r, BDOOR_CMD_GETVERSION, 0, cpl);
    expect_cmd(&exp, BDOOR_CMD_GETVERSION, 0);
    exp.eax = 6;
    exp.ebx = VMPORT_MAGIC;
    exp.ecx = BDOOR_PRODUCT_ESX;
    h_regs_expect(&exp, &r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("backdoor");
    TCase *tc = tcase_create("lb");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, getversion_sets_eax_ebx_ecx_only, 0, 2);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
