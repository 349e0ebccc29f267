/*
 * handoff.c: hand a live guest from this host process to another.
 *
 * At an exit boundary (the exit's registers are written, the task is still
 * stopped) stop every other traced task, write the domain's state stream,
 * take back everything planted in the guest (INT3s, debug registers: both
 * survive PTRACE_DETACH) and detach with SIGSTOP, so the guest stays
 * stopped until the next host adopts it (adopt.c).
 */

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpuid_bp.h"
#include "host.h"

volatile sig_atomic_t host_handoff_requested;
volatile sig_atomic_t host_stop_signal;

bool handoff_due(const struct host *h)
{
    if ( host_handoff_requested )
        return true;
    return h->opt.handoff_after && h->nr_exits >= h->opt.handoff_after;
}

/* The thread group of @tid (for tgkill). */
static pid_t getpid_of(pid_t tid)
{
    char path[64], line[256];
    pid_t tgid = tid;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
    f = fopen(path, "re");
    if ( !f )
        return tid;
    while ( fgets(line, sizeof(line), f) )
        if ( sscanf(line, "Tgid: %d", &tgid) == 1 )
            break;
    fclose(f);
    return tgid;
}

static void clear_debug_regs(pid_t pid)
{
    ptrace(PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[7]), 0);
}

/*
 * A task caught at one of our INT3s goes back onto the CPUID, which it
 * will execute again (natively, or at the next host's breakpoint).
 */
static void rewind_cpuid(struct task *t)
{
    struct user_regs_struct r;

    if ( !t->space || ptrace(PTRACE_GETREGS, t->pid, 0, &r) ||
         !cpuid_bp_find(t->space, r.rip - 1) )
        return;
    r.rip--;
    ptrace(PTRACE_SETREGS, t->pid, 0, &r);
}

/*
 * Stop every task that is running (all but the one at the exit boundary).
 * A task that stops with a signal of its own instead of our interrupt
 * keeps it: faults (SIGSEGV, SIGTRAP) happen again when the instruction
 * is retried, anything else is sent back to the thread.
 */
static void interrupt_all(struct host *h, pid_t at_boundary)
{
    size_t i;

    /* The table grows while we go if a task was caught forking. */
    for ( i = 0; i < h->tasks.nr; i++ )
    {
        struct task *t = &h->tasks.tasks[i];
        int status, sig, event;

        if ( t->pid == at_boundary || t->held )
            continue;
        if ( ptrace(PTRACE_INTERRUPT, t->pid, 0, 0) )
            continue;
        if ( waitpid(t->pid, &status, __WALL) != t->pid ||
             !WIFSTOPPED(status) )
            continue;
        sig = WSTOPSIG(status);
        event = status >> 16;
        if ( event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
             event == PTRACE_EVENT_CLONE )
            /* Its child must be stopped and cleaned as well. */
            engine_track_child(h, t, event);
        else if ( event )
            continue;
        else if ( sig == SIGTRAP )
            rewind_cpuid(t);
        else if ( sig != SIGSEGV && sig != (SIGTRAP | 0x80) )
            syscall(SYS_tgkill, getpid_of(t->pid), t->pid, sig);
    }
}

static int remove_planted(struct host *h)
{
    size_t i, j;
    int rc = 0;

    for ( i = 0; i < h->tasks.nr; i++ )
    {
        struct space *s = h->tasks.tasks[i].space;

        clear_debug_regs(h->tasks.tasks[i].pid);
        if ( !s )
            continue;
        /* A space shared by several tasks is cleaned once. */
        for ( j = 0; j < i; j++ )
            if ( h->tasks.tasks[j].space == s )
                break;
        if ( j == i && cpuid_bp_remove_all(s) )
            rc = -1;
    }
    return rc;
}

/*
 * A stop request (SIGTERM/SIGINT) while the engine waits: every task gets
 * a SIGSTOP, which stays pending through the detach, so each stays stopped
 * after it (the next host's SIGCONT clears it).  The first task's own stop
 * is the boundary: its SIGSTOP is reported once no synchronous signal is
 * pending (a #GP or CPUID trap is reported first, and then served as an
 * exit, where the handoff happens as for SIGUSR1).  Detaching a task from
 * an interrupt stop instead could let a pending #GP kill it untraced.
 */
int handoff_stop_now(struct host *h)
{
    size_t i;

    for ( i = 0; i < h->tasks.nr; i++ )
        syscall(SYS_tgkill, getpid_of(h->tasks.tasks[i].pid),
                h->tasks.tasks[i].pid, SIGSTOP);
    while ( h->tasks.nr && !h->handed_off )
    {
        pid_t pid = h->tasks.tasks[0].pid;
        int status;

        if ( waitpid(pid, &status, __WALL) != pid )
        {
            if ( errno == EINTR )
                continue;
            return handoff_freeze(h, 0);
        }
        if ( WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP &&
             !(status >> 16) )
            return handoff_freeze(h, pid);
        engine_dispatch(h, pid, status);    /* an exit: hands off there */
    }
    return 0;
}

int handoff_freeze(struct host *h, pid_t boundary)
{
    size_t i;

    host_handoff_requested = 0;
    interrupt_all(h, boundary);
    if ( h->opt.state_out && state_file_write(h, h->opt.state_out) )
        return -1;
    if ( remove_planted(h) )
        return -1;
    for ( i = 0; i < h->tasks.nr; i++ )
        if ( ptrace(PTRACE_DETACH, h->tasks.tasks[i].pid, 0, SIGSTOP) &&
             errno != ESRCH )
            perror("vmport-host: PTRACE_DETACH");
    trace_event(h, h->main_pid, "handoff after %llu exits",
                (unsigned long long)h->nr_exits);
    fprintf(stderr, "vmport-host: guest %d handed off after %llu exits\n",
            (int)h->main_pid, (unsigned long long)h->nr_exits);
    h->handed_off = true;
    return 0;
}
