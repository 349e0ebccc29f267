/*
 * test_glue.c: the HVM glue of the Xen 4.17 series, run through the shim.
 *
 * The file under test is the real one: xen/arch/x86/hvm/vmport.c, which
 * scripts/gen-xen-series puts into the series, is included whole below
 * (reached by name through -Ixen/arch/x86/hvm, as Xen's x86_emulator test
 * includes x86_emulate.c), linked with the real device model.  What Xen
 * provides to that file and neither the device model nor the shim needs
 * (exception injection, the interrupt shadow hooks) is recorded here;
 * xentrace events land in the shim's trace buffer.
 */

#include "harness.h"

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/lib/x86/cpu-policy.h>
#include <asm/page.h>

/* Xen definitions vmport.c uses that the device model does not need. */
#define MAX_INST_LEN            15
#define MASK_EXTR(v, m)         (((v) & (m)) / ((m) & -(m)))
#define X86_EFLAGS_TF           0x00000100
#define X86_EFLAGS_RF           0x00010000
#ifndef PAGE_MASK
#define PAGE_MASK               (~(PAGE_SIZE - 1))
#endif
#define TRAP_debug              1
#define X86_EVENT_NO_EC         (-1)
#define is_hvm_domain(d)        ((void)(d), true)
/* The shim has no EFER: 64-bit code (CS.L) stands for long mode. */
#define hvm_long_mode_active(v) ((v)->shim_seg[x86_seg_cs].l)

static struct {
    unsigned int count;
    unsigned int vector;
    int ec;
} injected;

static void hvm_inject_hw_exception(unsigned int vector, int ec)
{
    injected.count++;
    injected.vector = vector;
    injected.ec = ec;
}

static unsigned int intr_shadow;

static unsigned int get_shadow(struct vcpu *v)
{
    (void)v;
    return intr_shadow;
}

static void set_shadow(struct vcpu *v, unsigned int shadow)
{
    (void)v;
    intr_shadow = shadow;
}

static const struct {
    unsigned int (*get_interrupt_shadow)(struct vcpu *v);
    void (*set_interrupt_shadow)(struct vcpu *v, unsigned int shadow);
} hvm_funcs = { get_shadow, set_shadow };

#define alternative_call(fn, ...)   fn(__VA_ARGS__)
#define alternative_vcall(fn, ...)  fn(__VA_ARGS__)

#include "vmport.c"

/* xentrace: the last VMPORT_GP event and how the last access came in. */
static struct {
    unsigned int gp_count;
    uint32_t gp_ec;
    uint32_t gp_done;
    uint32_t io_via;
} traced;

static void collect_trace(void)
{
    const struct shim_trace_rec *r;
    unsigned int i;

    memset(&traced, 0, sizeof(traced));
    for ( i = 0; (r = shim_trace_get(i)) != NULL; i++ )
    {
        if ( r->event == TRC_HVM_VMPORT_GP )
        {
            traced.gp_count++;
            traced.gp_ec = r->data[0];
            traced.gp_done = r->data[1];
        }
        else if ( r->event == TRC_HVM_VMPORT_IO )
            traced.io_via = r->data[2];
    }
}

#define CODE        0x400000UL
#define PORT_LB     VMPORT_LB_PORT

static struct domain *dom;
static struct vcpu *vcpu;
static struct cpu_user_regs regs;
/* A fresh domid per test: a failed test (no teardown) cannot clash. */
static domid_t next_domid = 1;

/* A 64-bit CPL 3 caller with IOPL 0, about to run @insn at CODE. */
static void setup_caller(unsigned int hwver, const uint8_t *insn,
                         unsigned int len, unsigned long rip)
{
    if ( hwver )
        dom = h_domain(next_domid++, 1, hwver, NULL);
    else
    {
        dom = shim_domain_create(next_domid++, 1);
        shim_set_current(dom->vcpu[0]);
    }
    vcpu = dom->vcpu[0];
    shim_vcpu_set_mode(vcpu, 64, 3, 0);
    ck_assert_int_eq(shim_mem_map(dom, CODE, 2 * PAGE_SIZE, SHIM_MEM_ALL), 0);
    if ( len )
        ck_assert_int_eq(shim_mem_write(dom, rip, insn, len), 0);
    h_regs_cmd(&regs, 10 /* GETVERSION */, 0, PORT_LB);
    regs.rip = rip;
    memset(&injected, 0, sizeof(injected));
    shim_trace_clear();
    intr_shadow = 0;
}

static void teardown_caller(void)
{
    shim_domain_destroy(dom);
}

#define EXPECT_REINJECTED(ec_) do {                                         \
    ck_assert_msg(injected.count == 1 && injected.vector == TRAP_gp_fault &&\
                  injected.ec == (ec_),                                     \
                  "expected #GP(%#x) re-injected once, seen %u injections " \
                  "(last vector %u ec %#x)", (ec_), injected.count,         \
                  injected.vector, injected.ec);                            \
    ck_assert_msg(regs.rip == CODE, "expected RIP unchanged at %#lx, "      \
                  "seen %#lx", CODE, (unsigned long)regs.rip);              \
    ck_assert_msg(regs.rbx == (H_HIGH | 0), "expected EBX untouched, "      \
                  "seen %#lx", (unsigned long)regs.rbx);                    \
} while ( 0 )

static const uint8_t in_eax_dx[] = { 0xed };

START_TEST(gp_from_cpl3_backdoor_in_is_emulated_and_retired)
{
    setup_caller(7, in_eax_dx, 1, CODE);
    hvm_vmport_gp_intercept(&regs, 0);
    ck_assert_msg(injected.count == 0, "expected no exception, seen vector "
                  "%u", injected.vector);
    ck_assert_msg(regs.rip == CODE + 1, "expected RIP %#lx, seen %#lx",
                  CODE + 1, (unsigned long)regs.rip);
    ck_assert_msg(regs.ebx == VMPORT_MAGIC, "expected EBX magic %#x, seen "
                  "%#x", VMPORT_MAGIC, regs.ebx);
    collect_trace();
    ck_assert_uint_eq(traced.gp_count, 1);
    ck_assert_uint_eq(traced.gp_done, 1);
    ck_assert_uint_eq(traced.io_via, TRC_HVM_VMPORT_VIA_GP);
    teardown_caller();
}
END_TEST

START_TEST(gp_with_nonzero_error_code_is_reinjected_untouched)
{
    setup_caller(7, in_eax_dx, 1, CODE);
    regs.rbx = H_HIGH;
    hvm_vmport_gp_intercept(&regs, 0x18);
    EXPECT_REINJECTED(0x18);
    collect_trace();
    ck_assert_uint_eq(traced.gp_count, 1);
    ck_assert_uint_eq(traced.gp_ec, 0x18);
    ck_assert_uint_eq(traced.gp_done, 0);
    teardown_caller();
}
END_TEST

/*
 * VMX reports no error code unless INTR_INFO_DELIVER_CODE_MASK is set; the
 * intercept then passes X86_EVENT_NO_EC (review item 3), which is never
 * the backdoor's #GP(0) and must go back as it came: without a code.
 */
START_TEST(gp_without_an_error_code_is_reinjected_without_one)
{
    setup_caller(7, in_eax_dx, 1, CODE);
    regs.rbx = H_HIGH;
    hvm_vmport_gp_intercept(&regs, X86_EVENT_NO_EC);
    EXPECT_REINJECTED(X86_EVENT_NO_EC);
    collect_trace();
    ck_assert_uint_eq(traced.gp_count, 1);
    ck_assert_uint_eq(traced.gp_done, 0);
    teardown_caller();
}
END_TEST

START_TEST(gp_on_another_port_is_reinjected)
{
    setup_caller(7, in_eax_dx, 1, CODE);
    regs.rbx = H_HIGH;
    regs.edx = 0x60;
    hvm_vmport_gp_intercept(&regs, 0);
    EXPECT_REINJECTED(0);
    teardown_caller();
}
END_TEST

START_TEST(gp_on_a_non_io_instruction_is_reinjected)
{
    static const uint8_t wrmsr[] = { 0x0f, 0x30 };

    setup_caller(7, wrmsr, sizeof(wrmsr), CODE);
    regs.rbx = H_HIGH;
    hvm_vmport_gp_intercept(&regs, 0);
    EXPECT_REINJECTED(0);
    teardown_caller();
}
END_TEST

START_TEST(gp_with_unreadable_code_is_reinjected)
{
    setup_caller(7, NULL, 0, CODE);
    shim_mem_unmap(dom, CODE, 2 * PAGE_SIZE);
    regs.rbx = H_HIGH;
    hvm_vmport_gp_intercept(&regs, 0);
    EXPECT_REINJECTED(0);
    teardown_caller();
}
END_TEST

START_TEST(gp_in_a_domain_without_vmport_is_reinjected)
{
    setup_caller(0, in_eax_dx, 1, CODE);
    regs.rbx = H_HIGH;
    hvm_vmport_gp_intercept(&regs, 0);
    EXPECT_REINJECTED(0);
    teardown_caller();
}
END_TEST

START_TEST(gp_on_the_last_byte_before_an_unmapped_page_is_emulated)
{
    unsigned long rip = CODE + PAGE_SIZE - 1;

    setup_caller(7, in_eax_dx, 1, rip);
    shim_mem_unmap(dom, CODE + PAGE_SIZE, PAGE_SIZE);
    hvm_vmport_gp_intercept(&regs, 0);
    ck_assert_msg(injected.count == 0, "expected no exception, seen vector "
                  "%u", injected.vector);
    ck_assert_msg(regs.rip == rip + 1, "expected RIP %#lx, seen %#lx",
                  rip + 1, (unsigned long)regs.rip);
    teardown_caller();
}
END_TEST

START_TEST(gp_retire_clears_shadow_and_rf_and_single_steps)
{
    setup_caller(7, in_eax_dx, 1, CODE);
    intr_shadow = 1;
    regs.rflags |= X86_EFLAGS_TF | X86_EFLAGS_RF;
    hvm_vmport_gp_intercept(&regs, 0);
    ck_assert_msg(intr_shadow == 0, "expected the interrupt shadow cleared, "
                  "seen %u", intr_shadow);
    ck_assert_msg(!(regs.rflags & X86_EFLAGS_RF), "expected RF clear");
    ck_assert_msg(injected.count == 1 && injected.vector == TRAP_debug,
                  "expected #DB for EFLAGS.TF, seen %u injections (vector "
                  "%u)", injected.count, injected.vector);
    teardown_caller();
}
END_TEST

START_TEST(gp_in_32bit_code_keeps_rip_32bit)
{
    setup_caller(7, in_eax_dx, 1, CODE);
    shim_vcpu_set_mode(vcpu, 32, 3, 0);
    hvm_vmport_gp_intercept(&regs, 0);
    ck_assert_msg(regs.rip == CODE + 1, "expected RIP %#lx, seen %#lx",
                  CODE + 1, (unsigned long)regs.rip);
    ck_assert_msg(injected.count == 0, "expected no exception");
    teardown_caller();
}
END_TEST

START_TEST(string_io_to_other_ports_is_left_to_xen)
{
    static const uint8_t rep_insb[] = { 0xf3, 0x6c };

    setup_caller(7, rep_insb, sizeof(rep_insb), CODE);
    regs.edx = 0x1f0;
    ck_assert_msg(!hvm_vmport_string_io(&regs, 0x1f0),
                  "expected port 0x1f0 not claimed");
    ck_assert_msg(regs.rip == CODE, "expected RIP unchanged");
    teardown_caller();
}
END_TEST

START_TEST(string_io_without_vmport_is_left_to_xen)
{
    static const uint8_t rep_outsb[] = { 0xf3, 0x6e };

    setup_caller(0, rep_outsb, sizeof(rep_outsb), CODE);
    ck_assert_msg(!hvm_vmport_string_io(&regs, VMPORT_HB_PORT),
                  "expected no claim without vmport");
    teardown_caller();
}
END_TEST

/* CPUID: which leaves are VMware's, and where Xen's go. */

START_TEST(cpuid_hwver7_moves_xen_leaves_to_0x40000100)
{
    struct cpuid_leaf res;
    char sig[13];

    setup_caller(7, NULL, 0, CODE);
    ck_assert_uint_eq(hvm_vmport_xen_cpuid_base(dom), 0x40000100);
    memset(&res, 0, sizeof(res));
    ck_assert_msg(hvm_vmport_cpuid(vcpu, 0x40000000, 0, &res),
                  "expected leaf 0x40000000 to be VMware's");
    memcpy(sig, &res.b, 4);
    memcpy(sig + 4, &res.c, 4);
    memcpy(sig + 8, &res.d, 4);
    sig[12] = '\0';
    ck_assert_str_eq(sig, "VMwareVMware");
    ck_assert_msg(hvm_vmport_cpuid(vcpu, 0x400000ff, 0, &res),
                  "expected leaf 0x400000ff to be VMware's");
    ck_assert_msg(!hvm_vmport_cpuid(vcpu, 0x40000100, 0, &res),
                  "expected leaf 0x40000100 left to Xen");
    ck_assert_msg(!hvm_vmport_cpuid(vcpu, 0x3fffffff, 0, &res),
                  "expected leaf 0x3fffffff left to Xen");
    teardown_caller();
}
END_TEST

START_TEST(cpuid_hwver6_keeps_xen_leaves_at_0x40000000)
{
    struct cpuid_leaf res;

    setup_caller(6, NULL, 0, CODE);
    ck_assert_uint_eq(hvm_vmport_xen_cpuid_base(dom), 0x40000000);
    ck_assert_msg(!hvm_vmport_cpuid(vcpu, 0x40000000, 0, &res),
                  "expected no VMware leaves before hardware version 7");
    teardown_caller();
}
END_TEST

START_TEST(cpuid_without_vmport_keeps_xen_leaves_at_0x40000000)
{
    struct cpuid_leaf res;

    setup_caller(0, NULL, 0, CODE);
    ck_assert_uint_eq(hvm_vmport_xen_cpuid_base(dom), 0x40000000);
    ck_assert_msg(!hvm_vmport_cpuid(vcpu, 0x40000000, 0, &res),
                  "expected no VMware leaves without vmport");
    teardown_caller();
}
END_TEST

/* Enabling: the HVM parameter and the restore path. */

/* A domain without vmport, current on its first vCPU. */
static struct domain *plain_domain(unsigned int nr_vcpus)
{
    struct domain *d = shim_domain_create(next_domid++, nr_vcpus);

    shim_set_current(d->vcpu[0]);
    shim_trace_clear();
    return d;
}

static void expect_armed(struct domain *d, unsigned int hwver)
{
    unsigned int i;

    ck_assert_msg(vmport_enabled(d), "expected vmport enabled on d%u",
                  d->domain_id);
    ck_assert_msg(d->arch.hvm.vmport_armed, "expected d%u armed",
                  d->domain_id);
    ck_assert_msg(d->arch.hvm.params[HVM_PARAM_VMPORT_HWVER] == hwver,
                  "expected HVM_PARAM_VMPORT_HWVER %u, seen %" PRIu64, hwver,
                  d->arch.hvm.params[HVM_PARAM_VMPORT_HWVER]);
    for ( i = 0; i < d->max_vcpus; i++ )
        ck_assert_msg(d->vcpu[i]->shim_policy_changed == 1,
                      "expected vCPU %u's intercepts re-derived once, seen "
                      "%u times", i, d->vcpu[i]->shim_policy_changed);
}

START_TEST(set_hwver_enables_and_arms_every_vcpu_once)
{
    struct domain *d = plain_domain(2);
    int rc;

    rc = hvm_vmport_set_hwver(d, 7);
    ck_assert_msg(rc == 0, "expected 0, seen %d", rc);
    expect_armed(d, 7);

    rc = hvm_vmport_set_hwver(d, 7);
    ck_assert_msg(rc == 0, "expected writing the same value to be 0, seen %d",
                  rc);
    expect_armed(d, 7);

    rc = hvm_vmport_set_hwver(d, 8);
    ck_assert_msg(rc == -EEXIST, "expected -EEXIST for a second value, seen "
                  "%d", rc);
    expect_armed(d, 7);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(set_hwver_after_the_first_unpause_is_refused)
{
    struct domain *d = plain_domain(1);
    int rc;

    d->creation_finished = true;
    rc = hvm_vmport_set_hwver(d, 7);
    ck_assert_msg(rc == -EBUSY, "expected -EBUSY, seen %d", rc);
    ck_assert_msg(!vmport_enabled(d) && !d->arch.hvm.vmport_armed &&
                  !d->vcpu[0]->shim_policy_changed,
                  "expected nothing enabled or armed");
    shim_domain_destroy(d);
}
END_TEST

START_TEST(port_handler_runs_the_backdoor_and_traces_portio)
{
    struct domain *d = plain_domain(1);
    struct cpu_user_regs *r = guest_cpu_user_regs();
    uint32_t val = 0;
    int rc;

    ck_assert_int_eq(hvm_vmport_set_hwver(d, 7), 0);
    h_regs_cmd(r, 10 /* GETVERSION */, 0, PORT_LB);
    rc = shim_portio(PORT_LB, IOREQ_READ, 4, &val);
    ck_assert_msg(rc == X86EMUL_OKAY, "expected the registered handler to "
                  "answer, seen %d", rc);
    ck_assert_msg(r->ebx == VMPORT_MAGIC, "expected EBX magic %#x, seen %#x",
                  VMPORT_MAGIC, r->ebx);
    collect_trace();
    ck_assert_uint_eq(traced.io_via, TRC_HVM_VMPORT_VIA_PORTIO);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(load_done_arms_a_domain_its_record_enabled)
{
    struct domain *d = plain_domain(2);
    struct domain *plain = plain_domain(1);

    /* What loading a VMPORT record on a fresh domain does. */
    ck_assert_int_eq(vmport_enable(d, 6, NULL), 0);
    ck_assert_msg(!d->arch.hvm.vmport_armed, "expected not yet armed");
    hvm_vmport_load_done(d);
    expect_armed(d, 6);

    hvm_vmport_load_done(plain);
    ck_assert_msg(!plain->arch.hvm.vmport_armed &&
                  !plain->vcpu[0]->shim_policy_changed,
                  "expected a domain without vmport left alone");
    shim_domain_destroy(plain);
    shim_domain_destroy(d);
}
END_TEST

/*
 * A context as hvm_load() sees it after the header: a PIT-sized stand-in
 * entry (type 10, 16 bytes), @d's VMPORT record if @with_vmport, the end.
 * Returns its length in @buf.
 */
static uint32_t context_with_record(struct domain *src, bool with_vmport,
                                    uint8_t *buf, uint32_t cap)
{
    struct hvm_save_descriptor desc = { .typecode = 10, .length = 16 };
    uint32_t len = 0, rec = 0;

    memcpy(buf, &desc, sizeof(desc));
    memset(buf + sizeof(desc), 0xa5, 16);
    len = sizeof(desc) + 16;
    if ( with_vmport )
    {
        ck_assert_int_eq(vmport_record_save(src, buf + len + sizeof(desc),
                                            cap - len - 2 * sizeof(desc), 0,
                                            VMPORT_SAVE_REFUSE, &rec), 0);
        desc.typecode = HVM_SAVE_CODE(VMPORT);
        desc.length = rec;
        memcpy(buf + len, &desc, sizeof(desc));
        len += sizeof(desc) + rec;
    }
    memset(&desc, 0, sizeof(desc));
    memcpy(buf + len, &desc, sizeof(desc));
    return len + sizeof(desc);
}

/*
 * hvm_load() asks before loading any entry: a VMPORT record that would turn
 * vmport on in a domain that has run is refused then, so the entries before
 * it (CPU, LAPIC, timers) are never loaded again into a running guest.
 */
START_TEST(check_context_refuses_before_any_entry_is_loaded)
{
    static uint8_t buf[64 * 1024];
    struct domain *src = plain_domain(1);
    struct domain *ran = plain_domain(1);
    struct domain *fresh = plain_domain(1);
    hvm_domain_context_t h = { .data = buf };

    ck_assert_int_eq(vmport_enable(src, 7, NULL), 0);
    ran->creation_finished = true;

    h.size = context_with_record(src, true, buf, sizeof(buf));
    ck_assert_int_eq(hvm_vmport_check_context(ran, &h), -EBUSY);
    ck_assert_msg(!vmport_enabled(ran), "expected vmport still off");
    ck_assert_int_eq(hvm_vmport_check_context(fresh, &h), 0);
    ck_assert_msg(!vmport_enabled(fresh), "expected the check to change "
                  "nothing");

    /* No VMPORT record: nothing to refuse, running or not. */
    h.size = context_with_record(src, false, buf, sizeof(buf));
    ck_assert_int_eq(hvm_vmport_check_context(ran, &h), 0);

    /* A running vmport domain takes a record of its own hardware version. */
    src->creation_finished = true;
    h.size = context_with_record(src, true, buf, sizeof(buf));
    ck_assert_int_eq(hvm_vmport_check_context(src, &h), 0);

    /* A descriptor running past the end is left to hvm_load(). */
    h.size -= 2 * sizeof(struct hvm_save_descriptor) + 1;
    ck_assert_int_eq(hvm_vmport_check_context(ran, &h), 0);

    shim_domain_destroy(fresh);
    shim_domain_destroy(ran);
    shim_domain_destroy(src);
}
END_TEST

/* The 'q' debug key's lines: bytes used of the budget, and the limits. */
START_TEST(dump_shows_memory_used_of_the_budget)
{
    struct domain *d = plain_domain(2);
    struct domain *plain = plain_domain(1);
    char needle[96];

    ck_assert_int_eq(vmport_enable(d, 7, NULL), 0);
    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.a", 11, "v", 1), 0);
    shim_log_clear();
    hvm_vmport_dump_domain_info(d);
    snprintf(needle, sizeof(needle), "vmport: hwver 7, memory %zu of %zu "
             "bytes in use", vmport_mem_used(d), vmport_mem_budget(d));
    ck_assert_msg(shim_log_find(needle) >= 0, "no line '%s'", needle);
    ck_assert(shim_log_find("8 channels, guestinfo 256 keys of 128+65536 "
                            "bytes, 1048576 bytes in all, TCLO queue 16") >= 0);

    shim_log_clear();
    hvm_vmport_dump_domain_info(plain);
    ck_assert_msg(shim_log_find("vmport") < 0,
                  "expected nothing for a domain without vmport");
    shim_domain_destroy(plain);
    shim_domain_destroy(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("patches-glue");
    TCase *gp = tcase_create("gp");
    TCase *io = tcase_create("string-io");
    TCase *cpuid = tcase_create("cpuid");
    TCase *enable = tcase_create("enable");

    tcase_add_test(gp, gp_from_cpl3_backdoor_in_is_emulated_and_retired);
    tcase_add_test(gp, gp_with_nonzero_error_code_is_reinjected_untouched);
    tcase_add_test(gp, gp_without_an_error_code_is_reinjected_without_one);
    tcase_add_test(gp, gp_on_another_port_is_reinjected);
    tcase_add_test(gp, gp_on_a_non_io_instruction_is_reinjected);
    tcase_add_test(gp, gp_with_unreadable_code_is_reinjected);
    tcase_add_test(gp, gp_in_a_domain_without_vmport_is_reinjected);
    tcase_add_test(gp, gp_on_the_last_byte_before_an_unmapped_page_is_emulated);
    tcase_add_test(gp, gp_retire_clears_shadow_and_rf_and_single_steps);
    tcase_add_test(gp, gp_in_32bit_code_keeps_rip_32bit);
    tcase_add_test(io, string_io_to_other_ports_is_left_to_xen);
    tcase_add_test(io, string_io_without_vmport_is_left_to_xen);
    tcase_add_test(cpuid, cpuid_hwver7_moves_xen_leaves_to_0x40000100);
    tcase_add_test(cpuid, cpuid_hwver6_keeps_xen_leaves_at_0x40000000);
    tcase_add_test(cpuid, cpuid_without_vmport_keeps_xen_leaves_at_0x40000000);
    tcase_add_test(enable, set_hwver_enables_and_arms_every_vcpu_once);
    tcase_add_test(enable, set_hwver_after_the_first_unpause_is_refused);
    tcase_add_test(enable, port_handler_runs_the_backdoor_and_traces_portio);
    tcase_add_test(enable, load_done_arms_a_domain_its_record_enabled);
    tcase_add_test(enable, check_context_refuses_before_any_entry_is_loaded);
    tcase_add_test(enable, dump_shows_memory_used_of_the_budget);
    suite_add_tcase(s, gp);
    suite_add_tcase(s, io);
    suite_add_tcase(s, cpuid);
    suite_add_tcase(s, enable);

    return h_run_suite(s);
}
