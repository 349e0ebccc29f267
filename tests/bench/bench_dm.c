/*
 * bench_dm.c: what the device model itself costs per backdoor exit.
 *
 * Every row drives real instruction bytes through vmport_intercept(), the
 * entry point the #GP and I/O exit paths use, on a shim domain, and is
 * timed beside memcpy() of the same payload in the same run:
 *   GETVERSION                 one LB call
 *   info-set N bytes, LB/HB    guest -> host payload, reply "1 "
 *   info-get N bytes, LB/HB    host -> guest payload ("1 " + value)
 *   HB send only               SENDSIZE + one rep outsb of an unknown
 *                              command ("x <data>"), its "0 Unknown command"
 *                              reply: the transfer with no guestinfo work
 * Requests and replies use separate guest buffers, and every reply's
 * length is checked, so each timed RPC really is the one its row names.
 * GETVERSION has no payload; its memcpy column is a 4-byte copy.
 * Columns: calls (backdoor exits) per operation, ns per operation, ns per
 * exit, ns of a memcpy of the payload, and the ratio op / memcpy.  Trace
 * recording is off, as in a Xen without xentrace running.
 *
 * Usage: bench-dm [seconds per row [only rows containing this]]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <shim.h>
#include <xen/lib.h>
#include <asm/hvm/vmport.h>

#include "vmware/private.h"

#define GUEST_BUF   0x10000000UL            /* requests (rep outsb) */
#define GUEST_LEN   (128UL << 10)
#define GUEST_REPLY (GUEST_BUF + GUEST_LEN)     /* replies (rep insb) */
#define KEY         "guestinfo.bench"

static const uint8_t in_eax_dx[] = { 0xed };
static const uint8_t rep_outsb[] = { 0xf3, 0x6e };
static const uint8_t rep_insb[] = { 0xf3, 0x6c };
static const struct vmport_insn_mode mode = { .cs_bits = 64, .cpl = 3 };

static struct domain *d;
static struct vcpu *v;
static unsigned int chan;
static uint64_t cookie;
static unsigned long exits;
static double seconds = 0.2;
static const char *only;                /* run only rows containing this */

/*
 * The thread's CPU time, not the wall clock: on a shared machine time spent
 * descheduled would otherwise land on whichever row was running.
 */
static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, uint32_t seen)
{
    fprintf(stderr, "bench-dm: %s failed (status %#x)\n", what, seen);
    exit(1);
}

static void run(struct cpu_user_regs *r, const uint8_t *insn, unsigned int n)
{
    exits++;
    if ( vmport_intercept(v, r, insn, n, &mode) <= 0 )
        die("vmport_intercept", 0);
}

/* One LB MESSAGE call on the bench channel; returns ECX. */
static uint32_t msg(struct cpu_user_regs *r, unsigned int sub, uint32_t ebx)
{
    memset(r, 0, sizeof(*r));
    r->eax = VMPORT_MAGIC;
    r->ebx = ebx;
    r->ecx = BDOOR_CMD_MESSAGE | (sub << 16);
    r->edx = (chan << 16) | VMPORT_LB_PORT;
    r->esi = cookie >> 32;
    r->edi = (uint32_t)cookie;
    run(r, in_eax_dx, sizeof(in_eax_dx));
    return r->ecx;
}

static void hb(struct cpu_user_regs *r, bool out, uint32_t len)
{
    memset(r, 0, sizeof(*r));
    r->eax = VMPORT_MAGIC;
    r->ebx = (MESSAGE_STATUS_SUCCESS << 16) | BDOORHB_CMD_MESSAGE;
    r->ecx = len;
    r->edx = (chan << 16) | VMPORT_HB_PORT;
    if ( out )
    {
        r->rsi = GUEST_BUF;
        r->edi = (uint32_t)cookie;
        r->ebp = cookie >> 32;
        run(r, rep_outsb, sizeof(rep_outsb));
    }
    else
    {
        r->esi = cookie >> 32;
        r->rdi = GUEST_REPLY;
        r->ebp = (uint32_t)cookie;
        run(r, rep_insb, sizeof(rep_insb));
    }
    if ( r->ebx != 0x00010000 )
        die(out ? "HB out" : "HB in", r->ebx);
}

/* Send @len bytes at GUEST_BUF, then fetch the reply; its length. */
static uint32_t rpc(const uint8_t *req, uint32_t len, bool use_hb)
{
    struct cpu_user_regs r;
    uint32_t i, rlen, word;

    if ( !(msg(&r, MESSAGE_TYPE_SENDSIZE, len) & 0x10000) )
        die("SENDSIZE", r.ecx);
    if ( use_hb )
        hb(&r, true, len);
    else
        for ( i = 0; i < len; i += 4 )
        {
            word = 0;
            memcpy(&word, req + i, len - i < 4 ? len - i : 4);
            if ( msg(&r, MESSAGE_TYPE_SENDPAYLOAD, word) != 0x10000 )
                die("SENDPAYLOAD", r.ecx);
        }
    if ( !(msg(&r, MESSAGE_TYPE_RECVSIZE, 0) & 0x20000) )
        die("RECVSIZE", r.ecx);
    rlen = r.ebx;
    if ( use_hb && rlen )
        hb(&r, false, rlen);
    else
        for ( i = 0; i < rlen; i += 4 )
            if ( msg(&r, MESSAGE_TYPE_RECVPAYLOAD, 1) != 0x10000 )
                die("RECVPAYLOAD", r.ecx);
    if ( msg(&r, MESSAGE_TYPE_RECVSTATUS, 1) != 0x10000 )
        die("RECVSTATUS", r.ecx);
    return rlen;
}

static volatile uint8_t sink;

/*
 * ns per memcpy of @len bytes, measured for about `seconds`.  The buffers
 * are written first (not the shared zero page) and dst is 1088 bytes off
 * src's 4 KiB alignment, so the baseline does not pay 4K-aliasing stalls
 * that the model's own buffers do not have either.
 */
static double memcpy_ns(uint32_t len)
{
    static uint8_t src_buf[GUEST_LEN], dst_buf[GUEST_LEN + 4096];
    uint8_t *src = src_buf, *dst = dst_buf + 1088;
    unsigned long n = 0, batch = 1 + (16UL << 20) / (len + 64);
    double t0, t;

    memset(src_buf, 0x3c, sizeof(src_buf));
    memset(dst_buf, 0xc3, sizeof(dst_buf));
    t0 = now_ns();

    do {
        for ( unsigned long i = 0; i < batch; i++ )
        {
            memcpy(dst, src, len);
            __asm__ __volatile__("" :: "r"(dst) : "memory");
        }
        n += batch;
        t = now_ns() - t0;
    } while ( t < seconds * 1e9 );
    sink = dst[0];
    return t / n;
}

static void row(const char *name, uint32_t payload, unsigned long ops,
                unsigned long nexits, double ns)
{
    double per_op = ns / ops;
    double mc = payload ? memcpy_ns(payload) : memcpy_ns(4);

    printf("%-26s %7u %7.0f %12.1f %9.1f %10.1f %8.1f\n", name, payload,
           (double)nexits / ops, per_op, per_op * ops / nexits, mc,
           per_op / mc);
}

static void bench_getversion(void)
{
    struct cpu_user_regs r;
    unsigned long n = 0;
    double t0 = now_ns(), t;

    if ( only && !strstr("GETVERSION (LB)", only) )
        return;
    exits = 0;
    do {
        for ( unsigned int i = 0; i < 4096; i++ )
        {
            r.eax = VMPORT_MAGIC;
            r.ecx = BDOOR_CMD_GETVERSION;
            r.edx = VMPORT_LB_PORT;
            run(&r, in_eax_dx, sizeof(in_eax_dx));
        }
        n += 4096;
        t = now_ns() - t0;
    } while ( t < seconds * 1e9 );
    if ( r.ebx != VMPORT_MAGIC )
        die("GETVERSION", r.ebx);
    row("GETVERSION (LB)", 0, n, exits, t);
}

/* Time @fn-like loop: repeat rpc() for about `seconds`. */
static void bench_rpc(const char *name, const uint8_t *req, uint32_t len,
                      uint32_t payload, bool use_hb)
{
    unsigned long n = 0;
    double t0, t;

    uint32_t rlen, want;
    char head[2];
    unsigned long batch = 1 + (4UL << 20) / (len + 64); /* per clock read */

    if ( only && !strstr(name, only) )
        return;
    shim_mem_write(d, GUEST_BUF, req, len);
    /* Warm up, and check the reply is the one the row claims to measure. */
    rlen = rpc(req, len, use_hb);
    want = !memcmp(req, "info-get", 8) ? payload + 2 :
           !memcmp(req, "info-set", 8) ? 2 : 17;  /* "0 Unknown command" */
    if ( rlen != want )
        die(name, rlen);
    if ( use_hb && rlen )
    {
        shim_mem_read(d, GUEST_REPLY, head, 2);
        if ( head[0] != (want == 17 ? '0' : '1') )
            die(name, head[0]);
    }
    exits = 0;
    t0 = now_ns();
    do {
        for ( unsigned long i = 0; i < batch; i++ )
            if ( rpc(req, len, use_hb) != want )
                die(name, 0);
        n += batch;
        t = now_ns() - t0;
    } while ( t < seconds * 1e9 );
    row(name, payload, n, exits, t);
}

int main(int argc, char **argv)
{
    static const uint32_t sizes[] = { 16, 1024, 60 * 1024 };
    static uint8_t req[GUEST_LEN];
    struct cpu_user_regs r;
    char name[64];
    unsigned int i;

    if ( argc > 1 )
        seconds = atof(argv[1]);
    if ( seconds <= 0 )
        seconds = 0.2;
    if ( argc > 2 )
        only = argv[2];

    shim_trace_enable(false);
    d = shim_domain_create(1, 1);
    if ( vmport_enable(d, 7, NULL) ||
         shim_mem_map(d, GUEST_BUF, 2 * GUEST_LEN, SHIM_MEM_ALL) )
        die("setup", 0);
    v = d->vcpu[0];
    shim_vcpu_set_mode(v, 64, 3, 0);
    shim_set_current(v);

    chan = 0;
    msg(&r, MESSAGE_TYPE_OPEN, VMPORT_PROTO_RPCI | GUESTMSG_FLAG_COOKIE);
    if ( r.ecx != 0x10000 )
        die("OPEN", r.ecx);
    chan = r.edx >> 16;
    cookie = ((uint64_t)r.esi << 32) | r.edi;

    printf("%-26s %7s %7s %12s %9s %10s %8s\n", "operation", "payload",
           "exits", "ns/op", "ns/exit", "memcpy ns", "ratio");
    bench_getversion();

    for ( i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        uint32_t n = sizes[i], len;
        bool use_hb;

        len = snprintf((char *)req, sizeof(req), "info-set " KEY " ");
        memset(req + len, 'a' + i, n);
        len += n;
        for ( use_hb = false; ; use_hb = true )
        {
            snprintf(name, sizeof(name), "info-set %u B (%s)", n,
                     use_hb ? "HB" : "LB");
            bench_rpc(name, req, len, n, use_hb);
            if ( use_hb )
                break;
        }
        /* The value stays set: info-get now returns n bytes. */
        len = snprintf((char *)req, sizeof(req), "info-get " KEY);
        for ( use_hb = false; ; use_hb = true )
        {
            snprintf(name, sizeof(name), "info-get %u B (%s)", n,
                     use_hb ? "HB" : "LB");
            bench_rpc(name, req, len, n, use_hb);
            if ( use_hb )
                break;
        }
        /* "x <data>": an unknown command whose name ends at once. */
        memset(req, 'z', n);
        req[0] = 'x';
        req[1] = ' ';
        snprintf(name, sizeof(name), "HB send only %u B", n);
        bench_rpc(name, req, n, n, true);
    }

    shim_domain_destroy(d);
    return 0;
}
