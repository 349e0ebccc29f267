/*
 * msg_harness.h: GuestRPC helpers for the message/HB/RPCI/TCLO tests.
 *
 * Each helper performs what one guest instruction does: it fills the
 * registers exactly as a real client would (open-vm-tools message.c,
 * iPXE, OpenBSD vmt(4)) and runs the access through vmport_intercept(),
 * the product's entry point, so the tests see the dispatch, the lock and
 * the clobber contract as a guest does.  Higher-level helpers run whole
 * RPCs over the 4-byte LB path or over HB.
 */

#ifndef MSG_HARNESS_H
#define MSG_HARNESS_H

#include <stdlib.h>

#include "harness.h"

#define MAGIC           VMPORT_MAGIC
#define LB_PORT         VMPORT_LB_PORT
#define HB_PORT         VMPORT_HB_PORT
#define CMD_MSG         BDOOR_CMD_MESSAGE
#define PROTO_RPCI      VMPORT_PROTO_RPCI
#define PROTO_TCLO      VMPORT_PROTO_TCLO
#define FLAG_COOKIE     GUESTMSG_FLAG_COOKIE

/* Guest buffers for HB transfers live here (user-accessible). */
#define GUEST_BUF       0x10000000UL
#define GUEST_BUF_LEN   (2UL << 20)


struct chan {
    unsigned int id;
    uint64_t cookie;
};

/* The vCPU mode the helpers use; tests may change it. */
static struct vmport_insn_mode m_mode = { .cs_bits = 64, .cpl = 3 };

/* Tests that set their own segment registers keep them with this. */
static bool m_keep_segs;

/* Run one backdoor instruction (@insn bytes) on @v; returns its length. */
static inline int m_exec(struct vcpu *v, struct cpu_user_regs *r,
                         const uint8_t *insn, unsigned int len)
{
    if ( !m_keep_segs )
        return h_run_mode(v, r, insn, len, m_mode.cs_bits, m_mode.cpl,
                          m_mode.iopl);
    shim_set_current(v);
    return vmport_intercept(v, r, insn, len, &m_mode);
}

/* `in eax, dx` */
static inline void m_in(struct vcpu *v, struct cpu_user_regs *r)
{
    unsigned int n = m_exec(v, r, H_IN_EAX_DX, sizeof(H_IN_EAX_DX));

    ck_assert_msg(n == 1, "in eax,dx: expected length 1, seen %u", n);
}

/*
 * One MESSAGE call: the registers as open-vm-tools' Message_* fill them.
 * Bits 63:32 of every register carry H_HIGH: they must survive.
 */
static inline void m_msg(struct vcpu *v, struct cpu_user_regs *r,
                         unsigned int sub, const struct chan *c, uint32_t ebx)
{
    h_regs_init(r);
    r->eax = MAGIC;
    r->ebx = ebx;
    r->ecx = (sub << 16) | CMD_MSG;
    r->edx = ((c ? c->id : 0) << 16) | LB_PORT;
    r->esi = c ? c->cookie >> 32 : 0;
    r->edi = c ? (uint32_t)c->cookie : 0;
    m_in(v, r);
    ck_assert_msg(r->rax == (H_HIGH | MAGIC),
                  "MESSAGE %u: EAX/RAX changed to %#llx", sub,
                  (unsigned long long)r->rax);
}

/* OPEN; returns ECX and fills @c on success. */
static inline uint32_t m_open(struct vcpu *v, uint32_t ebx, struct chan *c)
{
    struct cpu_user_regs r;

    m_msg(v, &r, MESSAGE_TYPE_OPEN, NULL, ebx);
    if ( r.ecx == 0x00010000 )
    {
        c->id = r.edx >> 16;
        c->cookie = ((uint64_t)r.esi << 32) | r.edi;
    }
    return r.ecx;
}

static inline void m_open_ok(struct vcpu *v, uint32_t ebx, struct chan *c)
{
    uint32_t ecx = m_open(v, ebx, c);

    ck_assert_msg(ecx == 0x00010000, "OPEN %#x: expected ECX 0x00010000, "
                  "seen %#x", ebx, ecx);
}

static inline uint32_t m_close(struct vcpu *v, const struct chan *c)
{
    struct cpu_user_regs r;

    m_msg(v, &r, MESSAGE_TYPE_CLOSE, c, 0);
    return r.ecx;
}

/* Send @len bytes 4 at a time (zero-padded last word): last ECX. */
static inline uint32_t m_send_lb(struct vcpu *v, const struct chan *c,
                                 const void *data, uint32_t len)
{
    struct cpu_user_regs r;
    const uint8_t *p = data;
    uint32_t i;

    m_msg(v, &r, MESSAGE_TYPE_SENDSIZE, c, len);
    if ( !(r.ecx & 0x00010000) )
        return r.ecx;

    for ( i = 0; i < len; i += 4 )
    {
        uint32_t w = 0, n = len - i < 4 ? len - i : 4;

        memcpy(&w, p + i, n);
        m_msg(v, &r, MESSAGE_TYPE_SENDPAYLOAD, c, w);
        if ( r.ecx != 0x00010000 )
            return r.ecx;
    }
    return r.ecx;
}

/*
 * Receive a reply over LB into @buf (at most @max bytes): its length, or
 * -1 on a failed step (with *ecx the failing ECX), or -2 with no message.
 */
static inline long m_recv_lb(struct vcpu *v, const struct chan *c,
                             void *buf, uint32_t max, uint32_t *ecx)
{
    struct cpu_user_regs r;
    uint8_t *p = buf;
    uint32_t len, i;

    m_msg(v, &r, MESSAGE_TYPE_RECVSIZE, c, 0);
    *ecx = r.ecx;
    if ( !(r.ecx & 0x00010000) )
        return -1;
    if ( !(r.ecx & 0x00020000) )
        return -2;
    ck_assert_msg(r.edx >> 16 == 1, "RECVSIZE: expected EDX[31:16] 1, "
                  "seen %#x", r.edx);
    len = r.ebx;
    ck_assert_msg(len <= max, "reply of %u bytes, buffer %u", len, max);

    for ( i = 0; i < len; i += 4 )
    {
        uint32_t n = len - i < 4 ? len - i : 4;

        m_msg(v, &r, MESSAGE_TYPE_RECVPAYLOAD, c, MESSAGE_STATUS_SUCCESS);
        *ecx = r.ecx;
        if ( r.ecx != 0x00010000 )
            return -1;
        ck_assert_msg(r.edx >> 16 == 2, "RECVPAYLOAD: expected EDX[31:16] "
                      "2, seen %#x", r.edx);
        memcpy(p + i, &r.ebx, n);
    }

    m_msg(v, &r, MESSAGE_TYPE_RECVSTATUS, c, MESSAGE_STATUS_SUCCESS);
    *ecx = r.ecx;
    return r.ecx == 0x00010000 ? (long)len : -1;
}

/* A whole RPCI request/reply over LB; the reply NUL-terminated. */
static inline long m_rpc_lb(struct vcpu *v, const struct chan *c,
                            const void *req, uint32_t len,
                            char *reply, uint32_t max)
{
    uint32_t ecx = m_send_lb(v, c, req, len);
    long n;

    ck_assert_msg(ecx == 0x00010000 || (len == 0 && ecx == 0x00810000),
                  "send of %u bytes: expected ECX 0x00010000, seen %#x",
                  len, ecx);
    n = m_recv_lb(v, c, reply, max - 1, &ecx);
    ck_assert_msg(n >= 0, "receive failed (%ld), ECX %#x", n, ecx);
    reply[n] = '\0';
    return n;
}

/* One-shot: open a channel, run @req (a C string), close. */
static inline long m_rpc_str(struct vcpu *v, const char *req, char *reply,
                             uint32_t max)
{
    struct chan c;
    long n;

    m_open_ok(v, PROTO_RPCI | FLAG_COOKIE, &c);
    n = m_rpc_lb(v, &c, req, strlen(req), reply, max);
    ck_assert_msg(m_close(v, &c) == 0x00010000, "CLOSE failed");
    return n;
}

/* ---- HB ---------------------------------------------------------------- */

static inline void m_map_guest_buf(struct domain *d)
{
    ck_assert_int_eq(shim_mem_map(d, GUEST_BUF, GUEST_BUF_LEN,
                                  SHIM_MEM_ALL), 0);
}

/*
 * Registers for an HB transfer as OpenBSD fills them: `rep outsb` (@out)
 * takes ESI = source, EDI:EBP = cookie low:high; `rep insb` takes
 * EDI = destination, ESI:EBP = cookie high:low.
 */
static inline void m_hb_regs(struct cpu_user_regs *r, const struct chan *c,
                             bool out, unsigned long addr, uint32_t count)
{
    h_regs_init(r);
    r->eax = MAGIC;
    r->ebx = (MESSAGE_STATUS_SUCCESS << 16) | BDOORHB_CMD_MESSAGE;
    r->ecx = count;
    r->edx = (c->id << 16) | HB_PORT;
    if ( out )
    {
        r->rsi = addr;
        r->edi = (uint32_t)c->cookie;
        r->ebp = c->cookie >> 32;
    }
    else
    {
        r->esi = c->cookie >> 32;
        r->rdi = addr;
        r->ebp = (uint32_t)c->cookie;
    }
}

/*
 * `rep outsb` of @count bytes at @src: the registers after the call, and
 * what vmport_intercept() returned (VMPORT_RESTART after a fault).
 */
static inline int m_hb_out(struct vcpu *v, struct cpu_user_regs *r,
                           const struct chan *c, unsigned long src,
                           uint32_t count)
{
    m_hb_regs(r, c, true, src, count);
    return m_exec(v, r, H_REP_OUTSB, sizeof(H_REP_OUTSB));
}

/* `rep insb` of @count bytes to @dst. */
static inline int m_hb_in(struct vcpu *v, struct cpu_user_regs *r,
                          const struct chan *c, unsigned long dst,
                          uint32_t count)
{
    m_hb_regs(r, c, false, dst, count);
    return m_exec(v, r, H_REP_INSB, sizeof(H_REP_INSB));
}

/* A whole request/reply over HB, buffers in guest memory. */
static inline long m_rpc_hb(struct vcpu *v, const struct chan *c,
                            const void *req, uint32_t len,
                            char *reply, uint32_t max)
{
    struct domain *d = v->domain;
    struct cpu_user_regs r;
    uint32_t rlen;

    m_msg(v, &r, MESSAGE_TYPE_SENDSIZE, c, len);
    ck_assert_msg(r.ecx == 0x00810000, "SENDSIZE: expected 0x00810000, "
                  "seen %#x", r.ecx);
    if ( len )
    {
        ck_assert_int_eq(shim_mem_write(d, GUEST_BUF, req, len), 0);
        m_hb_out(v, &r, c, GUEST_BUF, len);
        ck_assert_msg(r.ebx == 0x00010000, "HB out: expected EBX "
                      "0x00010000, seen %#x", r.ebx);
    }

    m_msg(v, &r, MESSAGE_TYPE_RECVSIZE, c, 0);
    ck_assert_msg(r.ecx == 0x00830000, "RECVSIZE: expected 0x00830000, "
                  "seen %#x", r.ecx);
    rlen = r.ebx;
    ck_assert_msg(rlen < max, "reply of %u bytes, buffer %u", rlen, max);
    if ( rlen )
    {
        m_hb_in(v, &r, c, GUEST_BUF + GUEST_BUF_LEN / 2, rlen);
        ck_assert_msg(r.ebx == 0x00010000, "HB in: expected EBX "
                      "0x00010000, seen %#x", r.ebx);
        ck_assert_int_eq(shim_mem_read(d, GUEST_BUF + GUEST_BUF_LEN / 2,
                                       reply, rlen), 0);
    }
    reply[rlen] = '\0';

    m_msg(v, &r, MESSAGE_TYPE_RECVSTATUS, c, MESSAGE_STATUS_SUCCESS);
    ck_assert_msg(r.ecx == 0x00010000, "RECVSTATUS: seen %#x", r.ecx);
    return rlen;
}

/* ---- Fixture ------------------------------------------------------------ */

static struct domain *m_d;
static struct vcpu *m_v;

/* A domain with vmport enabled, optionally with non-default limits. */
static inline void m_setup_limits(const struct vmport_limits *l)
{
    m_mode.cs_bits = 64;
    m_mode.cpl = 3;
    m_mode.iopl = 0;
    m_keep_segs = false;
    shim_seed_random(1234);
    m_d = h_domain(1, 2, VMPORT_HWVER_DEFAULT, l);
    m_v = shim_vcpu(m_d, 0);
    m_map_guest_buf(m_d);
    shim_trace_clear();
    shim_log_clear();
}

static inline void m_setup(void)
{
    m_setup_limits(NULL);
}

static inline void m_teardown(void)
{
    shim_domain_destroy(m_d);
    m_d = NULL;
    m_v = NULL;
    ck_assert_msg(shim_alloc_live() == 0, "%lu blocks leaked",
                  shim_alloc_live());
}

static inline struct vmport_domain *m_vd(void)
{
    return vmport_dom(m_d);
}

#endif /* MSG_HARNESS_H */
