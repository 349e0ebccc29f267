/*
 * exits.c: the two exits the device model answers.
 *
 * A user-mode in/out/ins/outs at IOPL 0 raises #GP, which the kernel turns
 * into SIGSEGV with si_code SI_KERNEL (a real page fault has SEGV_MAPERR or
 * SEGV_ACCERR): that is this host's #GP intercept.  A CPUID breakpoint is
 * SIGTRAP with SI_KERNEL one byte past an INT3 we planted.
 */

#include <cpuid.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>

#include "cpuid_bp.h"
#include "host.h"

#define MAX_INSN_LEN INSN_MAX
#define PAGE_SIZE_4K 4096UL
#define CS_64BIT 0x33

static bool from_kernel(pid_t pid, int sig)
{
    siginfo_t si;

    if ( ptrace(PTRACE_GETSIGINFO, pid, 0, &si) )
        return false;
    return si.si_signo == sig && si.si_code == SI_KERNEL;
}

/*
 * Fetch the instruction bytes at @rip once.  The read is split at the page
 * boundary so that an instruction at the end of the last mapped page still
 * yields its bytes.
 */
static unsigned int fetch_insn(pid_t pid, uint64_t rip, uint8_t *buf)
{
    size_t first = PAGE_SIZE_4K - (rip & (PAGE_SIZE_4K - 1));
    struct iovec local = { buf, MAX_INSN_LEN };
    struct iovec remote[2];
    ssize_t got;

    if ( first >= MAX_INSN_LEN )
    {
        remote[0] = (struct iovec){ (void *)rip, MAX_INSN_LEN };
        got = process_vm_readv(pid, &local, 1, remote, 1, 0);
    }
    else
    {
        remote[0] = (struct iovec){ (void *)rip, first };
        remote[1] = (struct iovec){ (void *)(rip + first),
                                    MAX_INSN_LEN - first };
        got = process_vm_readv(pid, &local, 1, remote, 2, 0);
    }
    return got > 0 ? got : 0;
}

/* The instruction bytes at @rip, from the cache when they cannot change. */
static unsigned int insn_at(struct task *t, uint64_t rip, uint8_t *buf)
{
    struct insn_cache_slot *slot = NULL;
    unsigned int nr;

    if ( t->space && cpuid_bp_code_is_stable(t->space, rip) )
    {
        slot = &t->space->insn_cache[(rip ^ (rip >> 6)) % INSN_CACHE_SLOTS];
        if ( slot->nr && slot->rip == rip )
        {
            memcpy(buf, slot->bytes, slot->nr);
            return slot->nr;
        }
    }
    nr = fetch_insn(t->pid, rip, buf);
    if ( slot && nr )
    {
        slot->rip = rip;
        slot->nr = nr;
        memcpy(slot->bytes, buf, nr);
    }
    return nr;
}

/*
 * Must this SIGSEGV's si_code be checked?  IN and OUT with an immediate or
 * DX port have no memory operand, so their SIGSEGV can only be the #GP;
 * INS/OUTS (and anything else) could also be a page fault.
 */
static bool needs_siginfo(const uint8_t *b, unsigned int nr, bool rex)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        switch ( b[i] )
        {
        case 0x66: case 0x67: case 0xf2: case 0xf3: case 0xf0:
        case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
            continue;
        }
        if ( rex && (b[i] & 0xf0) == 0x40 )
            continue;
        return !((b[i] >= 0xe4 && b[i] <= 0xe7) ||
                 (b[i] >= 0xec && b[i] <= 0xef));
    }
    return true;
}

static void mode_of(const struct user_regs_struct *r, struct host_dm_mode *m)
{
    m->cs_bits = r->cs == CS_64BIT ? 64 : 32;
    m->cpl = r->cs & 3;
    m->iopl = (r->eflags >> 12) & 3;
}

static void finish_exit(struct host *h, struct task *t)
{
    h->nr_exits++;
    triggers_exit(h);
    if ( handoff_due(h) )
    {
        int rc = handoff_freeze(h, t->pid);

        if ( rc == 0 )
            return;
        if ( rc < 0 )
            fprintf(stderr, "vmport-host: handoff failed, continuing\n");
    }
    if ( ptrace(PTRACE_CONT, t->pid, 0, 0) && errno != ESRCH )
        perror("vmport-host: PTRACE_CONT");
}

bool exit_gp(struct host *h, struct task *t)
{
    struct user_regs_struct in, out;
    struct host_exit_info info;
    struct host_dm_mode mode;
    uint8_t insn[MAX_INSN_LEN];
    unsigned int nr, len;

    if ( ptrace(PTRACE_GETREGS, t->pid, 0, &in) )
        return false;
    nr = insn_at(t, in.rip, insn);
    if ( !nr )
        return false;
    if ( needs_siginfo(insn, nr, in.cs == CS_64BIT) &&
         !from_kernel(t->pid, SIGSEGV) )
        return false;
    mode_of(&in, &mode);
    out = in;
    host_dm_set_guest(h->dm, t->pid);
    len = host_dm_gp_exit(h->dm, &out, insn, nr, &mode);
    personality_fill_exit(&h->opt.pers, &info, in.rip, len);
    trace_exit(h, t->pid, "gp", &in, &out, &info, h->nr_exits + !!len);
    if ( !len )
        return false;
    out.rip = personality_resume_rip(&h->opt.pers, &info);
    if ( ptrace(PTRACE_SETREGS, t->pid, 0, &out) )
        return false;
    finish_exit(h, t);
    return true;
}

bool exit_cpuid_bp(struct host *h, struct task *t)
{
    struct user_regs_struct in, out;
    struct host_exit_info info;
    const struct cpuid_bp *bp;
    uint32_t res[4];

    if ( !t->space || ptrace(PTRACE_GETREGS, t->pid, 0, &in) )
        return false;
    /*
     * Right after one of our INT3s: a SIGTRAP sent by someone else would
     * find RIP elsewhere (after a syscall), so si_code need not be read.
     */
    bp = cpuid_bp_find(t->space, in.rip - 1);
    if ( !bp )
        return false;
    if ( !host_dm_cpuid(h->dm, in.rax, in.rcx, res) )
        __cpuid_count((uint32_t)in.rax, (uint32_t)in.rcx, res[0], res[1],
                      res[2], res[3]);
    out = in;
    out.rax = res[0];
    out.rbx = res[1];
    out.rcx = res[2];
    out.rdx = res[3];
    out.rip = bp->addr + 2;             /* 0F A2 */
    personality_fill_exit(&h->opt.pers, &info, bp->addr, 2);
    trace_exit(h, t->pid, "cpuid", &in, &out, &info, h->nr_exits);
    if ( ptrace(PTRACE_SETREGS, t->pid, 0, &out) )
        return false;
    if ( ptrace(PTRACE_CONT, t->pid, 0, 0) && errno != ESRCH )
        perror("vmport-host: PTRACE_CONT");
    return true;
}
