/*
 * engine.c: the ptrace loop that plays the hypervisor for a traced program.
 *
 * Every stop is one of: an exit the device model answers (a #GP at an I/O
 * instruction, a CPUID breakpoint), a seccomp stop the host answers (vsock,
 * new executable mappings), a ptrace event that changes the task set
 * (fork, vfork, clone, exec), or something that is not ours and is passed
 * through unchanged.
 */

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpuid_bp.h"
#include "host.h"
#include "seccomp_filter.h"

static void resume(pid_t pid, int sig)
{
    if ( ptrace(PTRACE_CONT, pid, 0, (long)sig) && errno != ESRCH )
        fprintf(stderr, "vmport-host: PTRACE_CONT %d: %s\n", (int)pid,
                strerror(errno));
}

void engine_rescan(struct host *h, struct task *t)
{
    int n = cpuid_bp_scan(t->space, t->pid);

    if ( n < 0 )
        fprintf(stderr, "vmport-host: scanning %d for CPUID failed\n",
                (int)t->pid);
    else if ( n )
        trace_event(h, t->pid, "cpuid-bp planted=%d", n);
}

/* Does the clone the stopped @parent is making share its address space? */
static bool clone_shares_vm(pid_t parent)
{
    struct user_regs_struct r;
    uint64_t flags = 0;

    if ( ptrace(PTRACE_GETREGS, parent, 0, &r) )
        return true;
    if ( r.orig_rax == SYS_clone )
        flags = r.rdi;
    else if ( r.orig_rax == SYS_clone3 )
    {
        struct iovec local = { &flags, sizeof(flags) };
        struct iovec remote = { (void *)r.rdi, sizeof(flags) };

        /* clone_args.flags is the first field. */
        if ( process_vm_readv(parent, &local, 1, &remote, 1, 0) !=
             sizeof(flags) )
            return true;
    }
    return flags & CLONE_VM;
}

void engine_track_child(struct host *h, struct task *parent, int event)
{
    /* task_add() may move the table: keep what we need of the parent. */
    struct space *pspace = parent->space;
    pid_t ppid = parent->pid;
    unsigned long msg;
    struct task *child;
    bool shared;

    if ( ptrace(PTRACE_GETEVENTMSG, ppid, 0, &msg) || !pspace )
        return;
    shared = event == PTRACE_EVENT_VFORK ||
             (event == PTRACE_EVENT_CLONE && clone_shares_vm(ppid));
    child = task_add(&h->tasks, (pid_t)msg);
    if ( !child || child->space )
        return;
    child->space = shared ? space_get(pspace)
                          : space_copy(pspace, child->pid);
    if ( !child->space )
    {
        fprintf(stderr, "vmport-host: cannot track child %lu\n", msg);
        return;
    }
    trace_event(h, child->pid, "%s parent=%d",
                event == PTRACE_EVENT_FORK ? "fork" :
                event == PTRACE_EVENT_VFORK ? "vfork" : "clone",
                (int)ppid);
    child->vfork_child = event == PTRACE_EVENT_VFORK;
    if ( child->held )
    {
        /*
         * Already stopped.  While freezing it stays so, unless it is a
         * vfork child: that one runs to its exec (handoff.c).
         */
        child->held = false;
        child->fresh = false;
        child->frozen = h->freezing && !child->vfork_child;
        if ( !child->frozen )
            resume(child->pid, 0);
    }
    else
        child->fresh = true;
}

void engine_exec_done(struct host *h, struct task *t)
{
    unsigned long former;
    struct space *s;

    /* A non-leader thread that execs takes over the leader's pid. */
    if ( !ptrace(PTRACE_GETEVENTMSG, t->pid, 0, &former) &&
         (pid_t)former != t->pid )
        task_remove(&h->tasks, (pid_t)former);
    t = task_find(&h->tasks, t->pid);
    s = space_open(t->pid);
    if ( !s )
        return;
    if ( t->space )
        space_put(t->space);
    t->space = s;
    t->vfork_child = false;
    trace_event(h, t->pid, "exec");
    if ( !h->freezing )
        engine_rescan(h, t);
}

bool engine_seccomp_answer(struct host *h, struct task *t)
{
    struct user_regs_struct r;
    unsigned long tag;

    if ( ptrace(PTRACE_GETEVENTMSG, t->pid, 0, &tag) )
        return false;
    if ( tag == SECCOMP_TAG_EXEC_MAP )
        return true;
    if ( tag == SECCOMP_TAG_VSOCK &&
         !ptrace(PTRACE_GETREGS, t->pid, 0, &r) )
    {
        r.orig_rax = -1;                /* skip the syscall */
        r.rax = -EAFNOSUPPORT;
        ptrace(PTRACE_SETREGS, t->pid, 0, &r);
        trace_event(h, t->pid, "seccomp socket(AF_VSOCK) -> EAFNOSUPPORT");
    }
    return false;
}

static void seccomp_stop(struct host *h, struct task *t)
{
    if ( engine_seccomp_answer(h, t) )
    {
        /* Scan once the mapping exists: at the syscall's exit stop. */
        t->exec_map_pending = true;
        if ( ptrace(PTRACE_SYSCALL, t->pid, 0, 0) && errno != ESRCH )
            perror("vmport-host: PTRACE_SYSCALL");
        return;
    }
    resume(t->pid, 0);
}

static void event_stop(struct host *h, struct task *t, int event, int sig)
{
    pid_t pid = t->pid;

    switch ( event )
    {
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK:
    case PTRACE_EVENT_CLONE:
        engine_track_child(h, t, event); /* t may move: use pid below */
        break;
    case PTRACE_EVENT_EXEC:
        engine_exec_done(h, t);
        break;
    case PTRACE_EVENT_SECCOMP:
        seccomp_stop(h, t);
        return;
    case PTRACE_EVENT_STOP:
        if ( t->fresh || sig == SIGTRAP )
        {
            /* A new task's first stop, or our own interrupt. */
            t->fresh = false;
            break;
        }
        /* Group-stop: stay stopped until SIGCONT, as without a tracer. */
        if ( ptrace(PTRACE_LISTEN, t->pid, 0, 0) && errno != ESRCH )
            perror("vmport-host: PTRACE_LISTEN");
        return;
    }
    resume(pid, 0);
}

static void signal_stop(struct host *h, struct task *t, int sig)
{
    t->fresh = false;
    if ( sig == SIGSEGV && exit_gp(h, t) )
        return;
    if ( sig == SIGTRAP && exit_cpuid_bp(h, t) )
        return;
    resume(t->pid, sig);
}

void engine_task_ended(struct host *h, pid_t pid, int status)
{
    if ( pid == h->main_pid )
    {
        h->main_status = status;
        h->main_done = true;
    }
    task_remove(&h->tasks, pid);
}

struct task *engine_stopped_task(struct host *h, pid_t pid, int status)
{
    struct task *t;

    if ( WIFEXITED(status) || WIFSIGNALED(status) )
    {
        engine_task_ended(h, pid, status);
        return NULL;
    }
    if ( !WIFSTOPPED(status) )
        return NULL;
    t = task_find(&h->tasks, pid);
    if ( !t )
    {
        /* A new task reporting before its parent's event: hold it. */
        t = task_add(&h->tasks, pid);
        if ( t )
            t->held = true;
        return NULL;
    }
    return t;
}

/* One wait status from @pid. */
void engine_dispatch(struct host *h, pid_t pid, int status)
{
    struct task *t = engine_stopped_task(h, pid, status);
    int sig, event;

    if ( !t )
        return;
    sig = WSTOPSIG(status);
    event = status >> 16;
    if ( sig == (SIGTRAP | 0x80) )
    {
        if ( t->exec_map_pending )
        {
            t->exec_map_pending = false;
            engine_rescan(h, t);
        }
        resume(pid, 0);
    }
    else if ( event )
        event_stop(h, t, event, sig);
    else
        signal_stop(h, t, sig);
}

/*
 * The next wait status of any task.  While a handoff waits for its exit
 * boundary this polls (an empty poll is EINTR, for the caller to look at
 * the flags again): a SIGUSR2 that came between the caller's look and a
 * blocking waitpid would not be answered until the guest's next event,
 * which an idle guest may never have.
 */
static pid_t wait_any(int *status)
{
    pid_t pid;

    if ( !host_handoff_requested )
        return waitpid(-1, status, __WALL);
    pid = waitpid(-1, status, __WALL | WNOHANG);
    if ( pid )
        return pid;
    usleep(500);
    errno = EINTR;
    return -1;
}

int engine_run(struct host *h)
{
    while ( h->tasks.nr && !h->handed_off )
    {
        int status;
        pid_t pid;

        if ( host_stop_signal )
            return handoff_stop_now(h) ? -1 : 0;
        /* A handoff requested but not begun (calloff.c), or none. */
        if ( call_off_wanted() )
            handoff_called_off(h, host_handoff_requested ?
                               "before its freeze" : "with none under way");
        pid = wait_any(&status);

        if ( pid < 0 )
        {
            /*
             * A stop request while every task runs: no exit is being
             * served (this loop serves them one at a time), so this is a
             * boundary; a task interrupted at a backdoor access retries it
             * on the next host.
             */
            if ( errno == EINTR && host_stop_signal && !h->handed_off )
                return handoff_stop_now(h) ? -1 : 0;
            if ( errno == EINTR )
                continue;
            if ( errno == ECHILD )
                break;
            perror("vmport-host: waitpid");
            return -1;
        }
        engine_dispatch(h, pid, status);
    }
    return 0;
}
