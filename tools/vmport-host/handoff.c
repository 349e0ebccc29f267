/*
 * handoff.c: hand a live guest from this host process to another.
 *
 * At an exit boundary (the exit's registers are written, the task is still
 * stopped) stop every other traced task, write the domain's state stream,
 * take back everything planted in the guest (INT3s, debug registers: both
 * survive PTRACE_DETACH) and detach, every process with a SIGSTOP of its
 * own, so the whole guest stays stopped until the next host adopts it
 * (adopt.c).
 *
 * Until the state is written the handoff can still be called off
 * (calloff.c): the freeze is then undone, every task resumed as the
 * engine would have resumed it.
 *
 * A forking guest (a shell running vmware-rpctool) is what makes this
 * delicate: tasks stop in fork, vfork and exec events, a vfork parent
 * cannot stop at all until its child execs, and a task detached from
 * anything but a signal-delivery stop ignores the detach's signal.
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
#include <time.h>
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

/* How long the tasks get to reach a stop before the handoff gives up. */
#define FREEZE_MS 20000

long long host_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static bool all_frozen(const struct host *h)
{
    size_t i;

    for ( i = 0; i < h->tasks.nr; i++ )
        if ( !h->tasks.tasks[i].frozen && !h->tasks.tasks[i].held )
            return false;
    return true;
}

/*
 * One wait status while freezing.  A task that stops is frozen where it
 * stands, except a vfork child that has not exec'd yet: its parent is in
 * the kernel's vfork wait, where no ptrace stop can reach it, until the
 * child execs or exits, so the child is let run to its exec (it only runs
 * the shell's code between the two, never the backdoor).  A task that
 * stops with a signal of its own instead of our interrupt keeps it: faults
 * (SIGSEGV, SIGTRAP) happen again when the instruction is retried,
 * anything else is sent back to the thread.  What thaw_task() needs to
 * resume it as the engine would is noted in the task.
 */
static void freeze_status(struct host *h, pid_t pid, int status)
{
    struct task *t = engine_stopped_task(h, pid, status);
    int sig, event;

    if ( !t )
        return;     /* ended, or held (stopped: frozen) */
    sig = WSTOPSIG(status);
    event = status >> 16;
    /* The engine's test (event_stop()): not our interrupt, nor a start. */
    t->group_stop = event == PTRACE_EVENT_STOP && !t->fresh &&
                    sig != SIGTRAP;
    t->fresh = false;
    if ( event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
         event == PTRACE_EVENT_CLONE )
    {
        /* Its child (held, or reporting soon) is frozen as well. */
        engine_track_child(h, t, event);
        t = task_find(&h->tasks, pid);
    }
    else if ( event == PTRACE_EVENT_EXEC )
    {
        engine_exec_done(h, t);
        t = task_find(&h->tasks, pid);
    }
    else if ( event == PTRACE_EVENT_SECCOMP )
        /* Frozen at the syscall's entry, answered as the engine would. */
        t->exec_map_pending = engine_seccomp_answer(h, t);
    else if ( sig == (SIGTRAP | 0x80) )
        /* The mapping exists now: scanned by a thaw or the next host. */
        t->exec_map_pending = false;
    else if ( t->vfork_child )
    {
        /* Not frozen before its exec: see above. */
        if ( ptrace(PTRACE_CONT, pid, 0,
                    event ? 0L : (long)(sig & 0x7f)) && errno != ESRCH )
            perror("vmport-host: PTRACE_CONT");
        return;
    }
    else if ( !event && sig == SIGTRAP )
        rewind_cpuid(t);
    else if ( !event && sig != SIGSEGV && sig != (SIGTRAP | 0x80) )
        syscall(SYS_tgkill, getpid_of(pid), pid, sig);
    if ( t )
        t->frozen = true;
}

/*
 * Stop every task but the one at the exit boundary, and every task they
 * create meanwhile, without waiting on any one task in particular (a vfork
 * parent cannot stop before its child moves on).  Bounded: -1 if some
 * task did not stop within FREEZE_MS.
 */
static int freeze_all(struct host *h, pid_t at_boundary)
{
    long long end = host_now_ms() + FREEZE_MS;
    size_t i;

    h->freezing = true;
    for ( i = 0; i < h->tasks.nr; i++ )
    {
        struct task *t = &h->tasks.tasks[i];

        t->frozen = t->pid == at_boundary || t->held;
        if ( !t->frozen && !t->vfork_child &&
             ptrace(PTRACE_INTERRUPT, t->pid, 0, 0) && errno != ESRCH )
            perror("vmport-host: PTRACE_INTERRUPT");
    }
    while ( !all_frozen(h) && host_now_ms() < end && !call_off_wanted() )
    {
        int status;
        pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);

        if ( pid > 0 )
            freeze_status(h, pid, status);
        else if ( pid < 0 && errno == ECHILD )
            break;
        else
            usleep(200);
    }
    h->freezing = false;
    if ( call_off_wanted() )
        return -1;      /* the caller thaws what stopped */
    if ( all_frozen(h) )
        return 0;
    for ( i = 0; i < h->tasks.nr; i++ )
        if ( !h->tasks.tasks[i].frozen && !h->tasks.tasks[i].held )
            fprintf(stderr, "vmport-host: handoff: task %d did not stop "
                    "within %d ms\n", (int)h->tasks.tasks[i].pid, FREEZE_MS);
    return -1;
}

/*
 * A frozen task resumed as the engine resumes the stop it was frozen in:
 * a group-stop is left to its SIGCONT, the entry of an executable mmap
 * runs to the syscall's exit (scanned there), anything else continues.  A
 * task that had not stopped yet reports our interrupt to the engine,
 * which resumes it.
 */
static void thaw_task(struct task *t)
{
    long r;

    if ( t->group_stop )
        r = ptrace(PTRACE_LISTEN, t->pid, 0, 0);
    else if ( t->exec_map_pending )
        r = ptrace(PTRACE_SYSCALL, t->pid, 0, 0);
    else
        r = ptrace(PTRACE_CONT, t->pid, 0, 0);
    if ( r && errno != ESRCH )
        perror("vmport-host: resuming a frozen task");
}

static bool stopped_by_freeze(const struct task *t)
{
    return t->frozen && !t->held;
}

/* Is task @i the first the freeze stopped in its address space? */
static bool first_stopped_of_space(const struct host *h, size_t i)
{
    const struct task *t = &h->tasks.tasks[i];
    size_t j;

    if ( !t->space || !stopped_by_freeze(t) )
        return false;
    for ( j = 0; j < i; j++ )
        if ( h->tasks.tasks[j].space == t->space &&
             stopped_by_freeze(&h->tasks.tasks[j]) )
            return false;
    return true;
}

/*
 * A freeze that failed or was called off: every task it stopped runs on
 * under this host.  Code an exec or mmap brought in meanwhile was not
 * scanned (the freeze leaves that to the next host): it is now, once per
 * address space, through a task that is stopped.
 */
static void thaw_all(struct host *h, pid_t at_boundary)
{
    size_t i;

    for ( i = 0; i < h->tasks.nr; i++ )
        if ( first_stopped_of_space(h, i) )
            engine_rescan(h, &h->tasks.tasks[i]);
    for ( i = 0; i < h->tasks.nr; i++ )
    {
        struct task *t = &h->tasks.tasks[i];

        if ( stopped_by_freeze(t) && t->pid != at_boundary )
            thaw_task(t);
        t->frozen = false;
        t->group_stop = false;
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
 * after it (the next host's SIGCONT clears it).  The first task whose own
 * SIGSTOP is reported is the boundary: that is reported once no
 * synchronous signal is pending (a #GP or CPUID trap is reported first,
 * and then served as an exit, where the handoff happens as for SIGUSR1).
 * Detaching a task from an interrupt stop instead could let a pending #GP
 * kill it untraced.  No one task is waited for: a vfork parent cannot stop
 * before its child execs or exits, so a vfork child gets no SIGSTOP here
 * and every status is served as the engine would (bounded: FREEZE_MS, then
 * the freeze interrupts whatever still runs).
 */
int handoff_stop_now(struct host *h)
{
    long long end = host_now_ms() + FREEZE_MS;
    size_t i;

    for ( i = 0; i < h->tasks.nr; i++ )
        if ( !h->tasks.tasks[i].vfork_child )
            syscall(SYS_tgkill, getpid_of(h->tasks.tasks[i].pid),
                    h->tasks.tasks[i].pid, SIGSTOP);
    while ( h->tasks.nr && !h->handed_off )
    {
        struct task *t;
        int status;
        pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);

        if ( pid == 0 || (pid < 0 && errno == EINTR) )
        {
            if ( host_now_ms() >= end )
                return handoff_freeze(h, 0);
            usleep(200);
            continue;
        }
        if ( pid < 0 )
            return handoff_freeze(h, 0);
        t = task_find(&h->tasks, pid);
        if ( t && !t->held && !t->vfork_child && WIFSTOPPED(status) &&
             WSTOPSIG(status) == SIGSTOP && !(status >> 16) )
            return handoff_freeze(h, pid);
        engine_dispatch(h, pid, status);    /* an exit: hands off there */
    }
    return 0;
}

/*
 * PTRACE_DETACH delivers its signal only to a task in a signal-delivery
 * stop; one detached from any other ptrace stop (our interrupt, a fork or
 * exec event) would run on with no tracer.  So every process is sent a
 * SIGSTOP of its own first, which it takes once detached.
 */
void handoff_detach_all(struct host *h)
{
    size_t i, j;

    for ( i = 0; i < h->tasks.nr; i++ )
    {
        pid_t tgid = getpid_of(h->tasks.tasks[i].pid);

        for ( j = 0; j < i; j++ )
            if ( getpid_of(h->tasks.tasks[j].pid) == tgid )
                break;
        if ( j == i )
            kill(tgid, SIGSTOP);
    }
    for ( i = 0; i < h->tasks.nr; i++ )
        if ( ptrace(PTRACE_DETACH, h->tasks.tasks[i].pid, 0, SIGSTOP) &&
             errno != ESRCH )
            perror("vmport-host: PTRACE_DETACH");
}

void handoff_release(struct host *h)
{
    if ( remove_planted(h) )
        fprintf(stderr, "vmport-host: could not take every breakpoint back "
                "from the guest\n");
    handoff_detach_all(h);
}

/*
 * The boundary task is left stopped for the caller to resume, whatever
 * happens (its exit's registers are written).
 */
int handoff_freeze(struct host *h, pid_t boundary)
{
    int rc;

    if ( call_off_wanted() )
        return handoff_called_off(h, "before its freeze");
    host_handoff_requested = 0;
    rc = freeze_all(h, boundary);
    if ( !rc )
        handoff_test_stall(h);
    if ( rc || call_off_wanted() )
    {
        thaw_all(h, boundary);
        if ( !call_off_wanted() )
            return -1;
        return handoff_called_off(h, rc ? "while freezing"
                                        : "with the guest frozen");
    }
    /* The point of no return (calloff.c): SIGUSR2 is not answered now. */
    if ( state_out_wanted(h) && state_out_write(h) )
    {
        thaw_all(h, boundary);
        return -1;
    }
    if ( remove_planted(h) )
        return -1;
    handoff_detach_all(h);
    /* Where the guest froze, for a reader of the trace's last line. */
    trace_event(h, h->main_pid, "handoff after %llu exits last_exit_ns=%llu "
                "%s tclo=%lu tclo_expired=%lu", (unsigned long long)h->nr_exits,
                (unsigned long long)h->last_exit_ns, host_mem_str(h),
                h->tclo_queued, h->tclo_expired);
    if ( host_call_off )
        fprintf(stderr, "vmport-host: SIGUSR2 came past the point of no "
                "return (the state was being written): the handoff goes on\n");
    fprintf(stderr, "vmport-host: guest %d handed off after %llu exits\n",
            (int)h->main_pid, (unsigned long long)h->nr_exits);
    h->handed_off = true;
    return 0;
}
