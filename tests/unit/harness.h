/*
 * harness.h: helpers shared by the device-model unit tests.
 *
 * A test builds a domain with vmport enabled, fills registers, and runs
 * one real instruction (its bytes) through vmport_intercept() in a given
 * vCPU mode; then it compares every register against what it expected.
 * The mode is applied to both sides: the decoder's struct
 * vmport_insn_mode and the vCPU's segment registers (SS.DPL is the CPL
 * hvm_get_cpl() reports), so the two can never disagree.
 */

#ifndef HARNESS_H
#define HARNESS_H

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <shim.h>
#include <asm/hvm/vmport.h>

#include "vmware/private.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

/* Instruction bytes every test uses. */
static const uint8_t H_IN_EAX_DX[] = { 0xed };
static const uint8_t H_IN_AX_DX[] = { 0x66, 0xed };
static const uint8_t H_IN_AL_DX[] = { 0xec };
static const uint8_t H_OUT_DX_EAX[] = { 0xef };
static const uint8_t H_OUT_DX_AX[] = { 0x66, 0xef };
static const uint8_t H_OUT_DX_AL[] = { 0xee };
static const uint8_t H_REP_OUTSB[] = { 0xf3, 0x6e };
static const uint8_t H_REP_INSB[] = { 0xf3, 0x6c };

/* Upper halves of every register: must survive every call. */
#define H_HIGH  0xa5a5a5a500000000ULL

/* A domain with vmport enabled (default limits when @l is NULL). */
static inline struct domain *h_domain(domid_t domid, unsigned int nr_vcpus,
                                      unsigned int hwver,
                                      const struct vmport_limits *l)
{
    struct domain *d = shim_domain_create(domid, nr_vcpus);
    int rc = vmport_enable(d, hwver, l);

    ck_assert_msg(rc == 0, "vmport_enable(d%u, hwver %u): expected 0, "
                  "seen %d", domid, hwver, rc);
    shim_set_current(d->vcpu[0]);
    return d;
}

/*
 * Registers with a distinct value in every GPR and H_HIGH in bits 63:32,
 * so any register written when it should not be shows up.
 */
static inline void h_regs_init(struct cpu_user_regs *r)
{
    memset(r, 0, sizeof(*r));
    r->rax = H_HIGH | 0x11111111;
    r->rbx = H_HIGH | 0x22222222;
    r->rcx = H_HIGH | 0x33333333;
    r->rdx = H_HIGH | 0x44444444;
    r->rsi = H_HIGH | 0x55555555;
    r->rdi = H_HIGH | 0x66666666;
    r->rbp = H_HIGH | 0x77777777;
    r->r8 = H_HIGH | 0x88888888;
    r->r9 = H_HIGH | 0x99999999;
    r->rsp = H_HIGH | 0xaaaaaaa0;
    r->rip = 0x1000;
    r->rflags = 0x2;
}

/* Registers for a backdoor call: magic, @cmd, @ebx, DX = @port. */
static inline void h_regs_cmd(struct cpu_user_regs *r, uint32_t cmd,
                              uint32_t ebx, uint16_t port)
{
    h_regs_init(r);
    r->eax = VMPORT_MAGIC;
    r->ecx = cmd;
    r->ebx = ebx;
    r->edx = (r->edx & 0xffff0000U) | port;
}

/*
 * Run @bytes through vmport_intercept() on @v in mode @cs_bits/@cpl/@iopl;
 * returns what it returned (the length, 0 for "not ours" or VMPORT_RESTART).
 */
static inline int h_run_mode(struct vcpu *v, struct cpu_user_regs *r,
                             const uint8_t *bytes, unsigned int nr,
                             unsigned int cs_bits, unsigned int cpl,
                             unsigned int iopl)
{
    struct vmport_insn_mode mode = {
        .cs_bits = cs_bits, .cpl = cpl, .iopl = iopl,
    };

    shim_vcpu_set_mode(v, cs_bits, cpl, iopl);
    shim_set_current(v);
    return vmport_intercept(v, r, bytes, nr, &mode);
}

/* The common case: 64-bit code, IOPL 0. */
static inline int h_run(struct vcpu *v, struct cpu_user_regs *r,
                        const uint8_t *bytes, unsigned int nr,
                        unsigned int cpl)
{
    return h_run_mode(v, r, bytes, nr, 64, cpl, 0);
}

/* `in eax, dx` with @cmd at @cpl; asserts the access was ours. */
static inline void h_cmd(struct vcpu *v, struct cpu_user_regs *r,
                         uint32_t cmd, uint32_t ebx, unsigned int cpl)
{
    unsigned int len;

    h_regs_cmd(r, cmd, ebx, VMPORT_LB_PORT);
    len = h_run(v, r, H_IN_EAX_DX, sizeof(H_IN_EAX_DX), cpl);
    ck_assert_msg(len == 1, "in eax,dx cmd %#x: expected length 1, seen %u",
                  cmd, len);
}

#define H_CMP(exp, seen, reg) \
    ck_assert_msg((exp)->reg == (seen)->reg, \
                  "%s: expected %#" PRIx64 ", seen %#" PRIx64, #reg, \
                  (uint64_t)(exp)->reg, (uint64_t)(seen)->reg)

/* Every general-purpose register, RIP and RFLAGS must match. */
static inline void h_regs_expect(const struct cpu_user_regs *exp,
                                 const struct cpu_user_regs *seen)
{
    H_CMP(exp, seen, rax);
    H_CMP(exp, seen, rbx);
    H_CMP(exp, seen, rcx);
    H_CMP(exp, seen, rdx);
    H_CMP(exp, seen, rsi);
    H_CMP(exp, seen, rdi);
    H_CMP(exp, seen, rbp);
    H_CMP(exp, seen, rsp);
    H_CMP(exp, seen, r8);
    H_CMP(exp, seen, r9);
    H_CMP(exp, seen, r10);
    H_CMP(exp, seen, r11);
    H_CMP(exp, seen, r12);
    H_CMP(exp, seen, r13);
    H_CMP(exp, seen, r14);
    H_CMP(exp, seen, r15);
    H_CMP(exp, seen, rip);
    H_CMP(exp, seen, rflags);
}

/* Run @s; the exit status for main(): 0 when every test passed. */
static inline int h_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif /* HARNESS_H */
