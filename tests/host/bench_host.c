/*
 * bench_host.c: what the ptrace path costs, side by side in one run.
 *
 *   bench_host VMPORT_HOST GUEST_GETVERSION [EXITS]
 *
 * Rows (exits per second of the same GETVERSION `in eax, dx` loop, the
 * median of interleaved rounds):
 *   dm-call       the device model called directly, no trap at all
 *   in-process    the #GP caught by a SIGSEGV handler in the same process
 *                 that calls the device model (no ptrace)
 *   raw-ptrace    a tracer that only steps RIP past each `in`: waitpid,
 *                 GETREGS, SETREGS, CONT (the floor for any ptrace host)
 *   vmport-host   the real host, process start-up subtracted
 * then the ratios, and the end-to-end latency of `vmware-rpctool
 * info-get` under vmport-host beside the same tool started natively.
 */

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "host.h"

#define MAGIC 0x564d5868U

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void getversion(void)
{
    uint32_t a = MAGIC, b = 0, c = 10, d = 0x5658;

    asm volatile("in %%dx, %%eax"
                 : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
}

static struct host_dm *dm;
static struct host_personality pers;

static double bench_dm_call(unsigned long n)
{
    static const uint8_t insn[] = { 0xed };
    struct host_dm_mode mode = { 64, 3, 0 };
    struct user_regs_struct r;
    unsigned long i;
    double t0 = now_s();

    for ( i = 0; i < n; i++ )
    {
        memset(&r, 0, sizeof(r));
        r.rax = MAGIC;
        r.rcx = 10;
        r.rdx = 0x5658;
        if ( !host_dm_gp_exit(dm, &r, insn, 1, &mode) || r.rax != 6 )
        {
            fprintf(stderr, "bench: the device model did not answer\n");
            exit(1);
        }
    }
    return n / (now_s() - t0);
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    struct host_dm_mode mode = { 64, 3, 0 };
    struct user_regs_struct r = { 0 };
    unsigned int len;

    (void)sig;
    (void)si;
    r.rax = g[REG_RAX];
    r.rbx = g[REG_RBX];
    r.rcx = g[REG_RCX];
    r.rdx = g[REG_RDX];
    r.rsi = g[REG_RSI];
    r.rdi = g[REG_RDI];
    r.rbp = g[REG_RBP];
    r.rip = g[REG_RIP];
    r.eflags = g[REG_EFL];
    r.cs = 0x33;
    len = host_dm_gp_exit(dm, &r, (const uint8_t *)g[REG_RIP], 15, &mode);
    if ( !len )
        abort();
    g[REG_RAX] = r.rax;
    g[REG_RBX] = r.rbx;
    g[REG_RCX] = r.rcx;
    g[REG_RDX] = r.rdx;
    g[REG_RIP] += len;
}

static double bench_in_process(unsigned long n)
{
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
    unsigned long i;
    double t0;

    sigaction(SIGSEGV, &sa, NULL);
    t0 = now_s();
    for ( i = 0; i < n; i++ )
        getversion();
    t0 = now_s() - t0;
    signal(SIGSEGV, SIG_DFL);
    return n / t0;
}

static double bench_raw_ptrace(unsigned long n)
{
    struct user_regs_struct r;
    unsigned long i;
    double t0;
    int status;
    pid_t pid = fork();

    if ( pid == 0 )
    {
        raise(SIGSTOP);
        for ( i = 0; i < n; i++ )
            getversion();
        _exit(0);
    }
    waitpid(pid, &status, WUNTRACED);
    ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_EXITKILL);
    kill(pid, SIGCONT);
    t0 = now_s();
    for ( ;; )
    {
        if ( waitpid(pid, &status, __WALL) != pid || WIFEXITED(status) ||
             WIFSIGNALED(status) )
            break;
        if ( WSTOPSIG(status) != SIGSEGV )
        {
            ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(status) == SIGCONT ?
                   SIGCONT : 0);
            continue;
        }
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        r.rax = 6;
        r.rbx = MAGIC;
        r.rip += 1;
        ptrace(PTRACE_SETREGS, pid, 0, &r);
        ptrace(PTRACE_CONT, pid, 0, 0);
    }
    return n / (now_s() - t0);
}

/* Wall time of one command, in seconds (its output discarded). */
static double run_cmd(const char *cmd)
{
    double t0 = now_s();
    int rc = system(cmd);

    if ( rc == -1 )
        return -1;
    return now_s() - t0;
}

static double bench_vmport_host(const char *host, const char *guest,
                                unsigned long n)
{
    char cmd[4096];
    double base, full;

    snprintf(cmd, sizeof(cmd), "%s -- %s 1 >/dev/null", host, guest);
    base = run_cmd(cmd);
    snprintf(cmd, sizeof(cmd), "%s -- %s %lu >/dev/null", host, guest, n);
    full = run_cmd(cmd);
    return (n - 1) / (full - base);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

#define ROUNDS 3

static double median(double *v)
{
    qsort(v, ROUNDS, sizeof(v[0]), cmp_double);
    return v[ROUNDS / 2];
}

static double median_ms(const char *cmd, int runs)
{
    double t[32];
    int i;

    for ( i = 0; i < runs; i++ )
        t[i] = run_cmd(cmd);
    qsort(t, runs, sizeof(t[0]), cmp_double);
    return t[runs / 2] * 1000;
}

int main(int argc, char **argv)
{
    struct host_dm_config cfg = { .hwver = 7, .hb = true, .pers = &pers };
    unsigned long n = argc > 3 ? strtoul(argv[3], NULL, 0) : 50000;
    double dm_call, in_proc, raw, host, lat_host, lat_native;
    double r_dm[ROUNDS], r_in[ROUNDS], r_raw[ROUNDS], r_host[ROUNDS];
    int i;
    char cmd[4096];

    if ( argc < 3 )
    {
        fprintf(stderr, "usage: bench_host VMPORT_HOST GUEST [EXITS]\n");
        return 2;
    }
    personality_init(&pers, "intel");
    dm = host_dm_create(&cfg);
    if ( !dm )
        return 1;
    host_dm_set_guest(dm, getpid());

    /* Rounds interleave the rows so that load on the machine hits all. */
    for ( i = 0; i < ROUNDS; i++ )
    {
        r_dm[i] = bench_dm_call(n * 10);
        r_in[i] = bench_in_process(n);
        r_raw[i] = bench_raw_ptrace(n);
        r_host[i] = bench_vmport_host(argv[1], argv[2], n);
    }
    dm_call = median(r_dm);
    in_proc = median(r_in);
    raw = median(r_raw);
    host = median(r_host);
    snprintf(cmd, sizeof(cmd), "%s -- vmware-rpctool 'info-get "
             "guestinfo.joejoel' >/dev/null 2>&1", argv[1]);
    lat_host = median_ms(cmd, 11);
    lat_native = median_ms("vmware-rpctool 'info-get guestinfo.joejoel' "
                           ">/dev/null 2>&1", 11);

    printf("backdoor GETVERSION exits/s (%lu exits, median of %d "
           "interleaved rounds):\n", n, ROUNDS);
    printf("  %-34s %12.0f\n", "dm-call (no trap)", dm_call);
    printf("  %-34s %12.0f\n", "in-process SIGSEGV + device model", in_proc);
    printf("  %-34s %12.0f\n", "raw ptrace stop/continue", raw);
    printf("  %-34s %12.0f\n", "vmport-host (ptrace + device model)",
           host);
    printf("ratios:\n");
    printf("  raw ptrace / vmport-host cost    %6.2fx  (goal <= 1.50x)\n",
           raw / host);
    printf("  in-process / vmport-host         %6.2fx\n", in_proc / host);
    printf("  dm-call / vmport-host            %6.2fx\n", dm_call / host);
    printf("vmware-rpctool info-get, median of 11:\n");
    printf("  %-34s %9.2f ms\n", "under vmport-host", lat_host);
    printf("  %-34s %9.2f ms\n", "native (refuses at VmCheck)", lat_native);
    host_dm_destroy(dm);
    return 0;
}
