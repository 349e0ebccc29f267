/*
 * handoff.c: hand a live guest from this host process to another.
 *
 * Freeze: at an exit boundary (the exit's registers are written, the task
 * is still stopped) stop every other traced task, write the domain's state
 * stream, take back everything planted in the guest (INT3s, debug
 * registers: both survive PTRACE_DETACH) and detach with SIGSTOP, so the
 * guest stays stopped until the next host adopts it.
 *
 * Adopt: PTRACE_SEIZE every thread of the stopped guest, re-plant the
 * CPUID breakpoints, then SIGCONT.
 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "cpuid_bp.h"
#include "host.h"

volatile sig_atomic_t host_handoff_requested;

bool handoff_due(const struct host *h)
{
    if ( host_handoff_requested )
        return true;
    return h->opt.handoff_after && h->nr_exits >= h->opt.handoff_after;
}

static void clear_debug_regs(pid_t pid)
{
    ptrace(PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[7]), 0);
}

/*
 * Stop every task that is running.  All but the one at the exit boundary
 * are running; a stop other than our interrupt leaves its signal pending
 * again after the detach.
 */
static void interrupt_all(struct host *h, pid_t at_boundary)
{
    size_t i;

    for ( i = 0; i < h->tasks.nr; i++ )
    {
        struct task *t = &h->tasks.tasks[i];
        int status;

        if ( t->pid == at_boundary || t->held )
            continue;
        if ( ptrace(PTRACE_INTERRUPT, t->pid, 0, 0) )
            continue;
        if ( waitpid(t->pid, &status, __WALL) != t->pid ||
             !WIFSTOPPED(status) )
            continue;
        if ( !(status >> 16) && WSTOPSIG(status) != SIGTRAP )
            kill(t->pid, WSTOPSIG(status));
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

static int seize_thread(struct host *h, pid_t tid)
{
    struct task *t, *lead;
    int status;

    if ( ptrace(PTRACE_SEIZE, tid, 0, HOST_PTRACE_OPTIONS) )
    {
        fprintf(stderr, "vmport-host: PTRACE_SEIZE %d: %s\n", (int)tid,
                strerror(errno));
        return -1;
    }
    if ( ptrace(PTRACE_INTERRUPT, tid, 0, 0) ||
         waitpid(tid, &status, __WALL) != tid || !WIFSTOPPED(status) )
    {
        fprintf(stderr, "vmport-host: cannot stop %d\n", (int)tid);
        return -1;
    }
    t = task_add(&h->tasks, tid);
    if ( !t )
        return -1;
    lead = &h->tasks.tasks[0];
    t->space = t == lead ? space_open(tid) : space_get(lead->space);
    return t->space ? 0 : -1;
}

int handoff_adopt(struct host *h, pid_t pid)
{
    char path[64];
    struct dirent *de;
    DIR *dir;
    size_t i;
    int n;

    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    dir = opendir(path);
    if ( !dir )
    {
        fprintf(stderr, "vmport-host: --attach %d: no such process\n",
                (int)pid);
        return -1;
    }
    /* The leader first, so that its space is the one the threads share. */
    if ( seize_thread(h, pid) )
    {
        closedir(dir);
        return -1;
    }
    while ( (de = readdir(dir)) )
    {
        pid_t tid = atoi(de->d_name);

        if ( tid > 0 && tid != pid && seize_thread(h, tid) )
        {
            closedir(dir);
            return -1;
        }
    }
    closedir(dir);
    h->main_pid = pid;
    n = cpuid_bp_scan(h->tasks.tasks[0].space, pid);
    if ( n < 0 )
        return -1;
    trace_event(h, pid, "adopted, cpuid-bp planted=%d", n);
    kill(pid, SIGCONT);
    for ( i = 0; i < h->tasks.nr; i++ )
        ptrace(PTRACE_CONT, h->tasks.tasks[i].pid, 0, 0);
    return 0;
}
