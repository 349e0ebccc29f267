/*
 * guest_hostile.c: a guest that abuses the backdoor.
 *
 *   guest_hostile [ITERATIONS]
 *
 * Issues malformed backdoor accesses from user mode: every one- and
 * two-prefix combination on every I/O opcode, HB transfers with absurd
 * lengths, unmapped buffers and DF=1, message calls on channels that were
 * never opened, and a seeded random sweep of registers.  Each access is
 * either emulated by the host or comes back as SIGSEGV (the #GP the host
 * declined) or SIGILL (LOCK), which this guest catches and counts.  At the
 * end a clean GETVERSION must still work.  Prints one summary line; exit 0 if the
 * final GETVERSION was answered.
 */

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MAGIC   0x564d5868ULL
#define LB      0x5658
#define HB      0x5659

struct regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
};

static sigjmp_buf env;
static uint8_t *code;
static unsigned long accesses, faulted;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(env, 1);
}

static uint8_t *put_mov(uint8_t *p, unsigned int reg, uint64_t val)
{
    *p++ = 0x48;                        /* REX.W mov r64, imm64 */
    *p++ = 0xb8 + reg;
    memcpy(p, &val, 8);
    return p + 8;
}

/*
 * Generate: push rbp; load the registers; [std]; the instruction; cld;
 * pop rbp; ret.  Then run it, catching the SIGSEGV of a declined access.
 */
static void run(const struct regs *r, const uint8_t *insn, size_t len,
                int df)
{
    uint8_t *p = code;

    *p++ = 0x55;                        /* push rbp */
    p = put_mov(p, 0, r->rax);
    p = put_mov(p, 3, r->rbx);
    p = put_mov(p, 1, r->rcx);
    p = put_mov(p, 2, r->rdx);
    p = put_mov(p, 6, r->rsi);
    p = put_mov(p, 7, r->rdi);
    p = put_mov(p, 5, r->rbp);
    if ( df )
        *p++ = 0xfd;                    /* std */
    memcpy(p, insn, len);
    p += len;
    *p++ = 0xfc;                        /* cld */
    *p++ = 0x5d;                        /* pop rbp */
    *p++ = 0xc3;                        /* ret */

    accesses++;
    if ( sigsetjmp(env, 1) )
    {
        faulted++;
        return;
    }
    asm volatile("sub $128, %%rsp\n\t"
                 "call *%0\n\t"
                 "add $128, %%rsp"
                 : : "r"(code)
                 : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
                   "r10", "r11", "r12", "r13", "r14", "r15", "memory", "cc");
}

static const uint8_t prefixes[] = {
    0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
    0x40, 0x48, 0x41,
};
static const uint8_t opcodes[][2] = {
    { 0xed }, { 0xec }, { 0xef }, { 0xee }, { 0x6c }, { 0x6d }, { 0x6e },
    { 0x6f }, { 0xe5, 0x58 }, { 0xe4, 0x59 }, { 0xe7, 0x58 },
};

static void prefix_sweep(uint8_t *buf)
{
    static const uint16_t ports[] = { LB, HB };
    size_t a, b, o, pt;

    for ( pt = 0; pt < 2; pt++ )
        for ( o = 0; o < sizeof(opcodes) / sizeof(opcodes[0]); o++ )
            for ( a = 0; a <= sizeof(prefixes); a++ )
                for ( b = 0; b <= sizeof(prefixes); b += (a ? 1 : 99) )
                {
                    struct regs r = {
                        MAGIC, 0, 10, ports[pt], (uintptr_t)buf,
                        (uintptr_t)buf + 4096, 0,
                    };
                    uint8_t insn[4];
                    size_t n = 0;

                    if ( a < sizeof(prefixes) )
                        insn[n++] = prefixes[a];
                    if ( b < sizeof(prefixes) )
                        insn[n++] = prefixes[b];
                    insn[n++] = opcodes[o][0];
                    if ( opcodes[o][0] >= 0xe4 && opcodes[o][0] <= 0xe7 )
                        insn[n++] = opcodes[o][1];
                    /* String forms move a few bytes, not GETVERSION. */
                    if ( opcodes[o][0] < 0x70 )
                        r.rcx = 8;
                    run(&r, insn, n, 0);
                }
}

static void hb_abuse(uint8_t *buf)
{
    static const uint8_t rep_outsb[] = { 0xf3, 0x6e };
    static const uint8_t rep_insb[] = { 0xf3, 0x6c };
    static const uint64_t lens[] = { 0, 1, 4096, 65536, 1 << 20,
                                     0xffffffffULL, 0xffffffffffffffffULL };
    static const uint64_t addrs[] = { 0, 0x10, 0xdead0000ULL,
                                      0x7ffffffff000ULL,
                                      0xffff800000000000ULL };
    size_t i, j;
    int df;

    for ( df = 0; df < 2; df++ )
        for ( i = 0; i < sizeof(lens) / sizeof(lens[0]); i++ )
        {
            for ( j = 0; j < sizeof(addrs) / sizeof(addrs[0]); j++ )
            {
                struct regs r = { MAGIC, 1 << 16, lens[i], HB, addrs[j],
                                  addrs[j], 0 };

                run(&r, rep_outsb, 2, df);
                run(&r, rep_insb, 2, df);
            }
            {
                struct regs r = { MAGIC, 1 << 16, lens[i], HB,
                                  (uintptr_t)buf, (uintptr_t)buf, 0 };

                run(&r, rep_outsb, 2, df);
                run(&r, rep_insb, 2, df);
            }
        }
}

/*
 * Close every channel this guest may have opened (none with cookies), so
 * that what follows finds the channel table as a well-behaved guest would.
 */
static void close_all(void)
{
    static const uint8_t in_eax[] = { 0xed };
    uint64_t chan;

    for ( chan = 0; chan < 128; chan++ )
    {
        struct regs r = { MAGIC, 0, (6 << 16) | 30, LB | (chan << 16), 0, 0,
                          0 };

        run(&r, in_eax, 1, 0);
    }
}

static void message_abuse(void)
{
    static const uint8_t in_eax[] = { 0xed };
    unsigned int sub, chan;

    for ( sub = 0; sub < 9; sub++ )
        for ( chan = 0; chan < 260; chan += 37 )
        {
            struct regs r = { MAGIC, 0xffffffffULL, (sub << 16) | 30,
                              LB | ((uint64_t)chan << 16), 0, 0, 0 };

            run(&r, in_eax, 1, 0);
            r.rbx = 0x49435052;         /* RPCI, no cookies */
            run(&r, in_eax, 1, 0);
        }
    close_all();
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static void random_sweep(unsigned long n, uint8_t *buf)
{
    static const uint8_t insns[][2] = {
        { 0xed }, { 0xf3, 0x6e }, { 0xf3, 0x6c }, { 0xef },
    };
    unsigned long i;

    for ( i = 0; i < n; i++ )
    {
        const uint8_t *insn = insns[rnd() % 4];
        struct regs r = {
            MAGIC, rnd(), rnd() & (rnd() & 1 ? 0xffff001f : 0xffff),
            (rnd() & 1 ? LB : HB) | (rnd() & 0xffff0000),
            rnd() & 1 ? (uintptr_t)buf : rnd(),
            rnd() & 1 ? (uintptr_t)buf : rnd(), rnd(),
        };

        if ( insn[0] == 0xf3 )
            r.rcx &= 0xffff;
        /* No OPEN with random cookies: those channels could not be closed. */
        if ( (r.rcx & 0xffff) == 30 && !(r.rcx >> 16) )
            r.rcx |= 6 << 16;
        run(&r, insn, insn[0] == 0xf3 ? 2 : 1, 0);
    }
}

static int getversion_ok(void)
{
    uint64_t a = MAGIC, b = 0, c = 10, d = LB;

    if ( sigsetjmp(env, 1) )
        return 0;                       /* no host at all */
    asm volatile("in %%dx, %%eax"
                 : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
    return a == 6 && b == MAGIC;
}

int main(int argc, char **argv)
{
    unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
    struct sigaction sa = { .sa_handler = on_segv, .sa_flags = SA_NODEFER };
    uint8_t *buf;

    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);       /* LOCK on I/O is #UD */
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    buf = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ( code == MAP_FAILED || buf == MAP_FAILED )
        return 2;
    /* A hole after two pages: transfers that run off the end fault. */
    munmap(buf + 2 * 4096, 4096);

    prefix_sweep(buf);
    hb_abuse(buf);
    message_abuse();
    random_sweep(iters, buf);
    close_all();
    if ( !getversion_ok() )
    {
        printf("hostile: %lu accesses, %lu declined; final GETVERSION "
               "not answered\n", accesses, faulted);
        return 1;
    }
    printf("hostile: %lu accesses, %lu declined, %lu emulated; still "
           "served\n", accesses, faulted, accesses - faulted);
    return 0;
}
