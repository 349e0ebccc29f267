/*
 * adopt.c: --attach, taking over a guest another host handed off.
 *
 * The guest is stopped (the previous host detached it with SIGSTOP) and
 * carries nothing of that host.  Every thread of the guest process and of
 * every process descended from it is seized (a vmtoolsd may be waiting for
 * a child), the CPUID breakpoints are planted again in each address space,
 * and the guest is continued.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpuid_bp.h"
#include "host.h"

/* How long one task gets to reach the stop a seize asks for. */
#define SEIZE_STOP_MS 20000

/*
 * The parent of @pid from /proc/PID/stat (after the command's ')'), and
 * whether it has ended (a zombie its parent has not reaped yet: nothing
 * to seize, it runs no more code).
 */
static pid_t parent_of(pid_t pid, bool *ended)
{
    char path[64], buf[1024], *p, state = '?';
    size_t n;
    FILE *f;
    int ppid = 0;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if ( !f )
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    p = strrchr(buf, ')');
    if ( !p || sscanf(p + 1, " %c %d", &state, &ppid) != 2 )
        return 0;
    *ended = state == 'Z' || state == 'X';
    return ppid;
}

/*
 * Wait, bounded, for the stop PTRACE_INTERRUPT asked of @tid.  A task in
 * the kernel's vfork wait cannot stop until its child execs; a handoff
 * never leaves one behind (handoff.c), so this only bounds a guest parked
 * by something else.  An adoption called off (SIGUSR2) still waits: a
 * task seized but not stopped can be neither detached nor left (the
 * host's exit would kill it, PTRACE_O_EXITKILL).
 */
static bool stopped_in_time(pid_t tid)
{
    long long end = host_now_ms() + SEIZE_STOP_MS;
    int status;

    do {
        pid_t r = waitpid(tid, &status, __WALL | WNOHANG);

        if ( r == tid )
            return WIFSTOPPED(status);
        if ( r < 0 && errno != EINTR )
            return false;
        usleep(200);
    } while ( host_now_ms() < end );
    return false;
}

/* @root and every process descended from it, parents before children. */
static int family(pid_t root, pid_t **out, size_t *nr)
{
    pid_t *all = NULL, *fam;
    size_t nall = 0, cap = 0, n = 1, i, j;
    struct dirent *de;
    DIR *dir = opendir("/proc");

    if ( !dir )
        return -1;
    while ( (de = readdir(dir)) )
    {
        if ( !isdigit((unsigned char)de->d_name[0]) )
            continue;
        if ( nall == cap )
        {
            pid_t *g = realloc(all, (cap = cap ? cap * 2 : 256) *
                               sizeof(*g));

            if ( !g )
                break;
            all = g;
        }
        all[nall++] = atoi(de->d_name);
    }
    closedir(dir);
    fam = malloc((nall + 1) * sizeof(*fam));
    if ( !fam )
    {
        free(all);
        return -1;
    }
    fam[0] = root;
    for ( i = 0; i < n; i++ )
        for ( j = 0; j < nall; j++ )
        {
            bool ended = false;

            if ( all[j] != root && parent_of(all[j], &ended) == fam[i] &&
                 !ended )
                fam[n++] = all[j];
        }
    free(all);
    *out = fam;
    *nr = n;
    return 0;
}

static int seize_thread(struct host *h, pid_t tid, struct space **space)
{
    struct task *t;

    if ( ptrace(PTRACE_SEIZE, tid, 0, HOST_PTRACE_OPTIONS) )
    {
        fprintf(stderr, "vmport-host: --attach: PTRACE_SEIZE %d: %s\n",
                (int)tid, strerror(errno));
        return -1;
    }
    /* Ours from now on: given back, stopped, if the adoption fails. */
    t = task_add(&h->tasks, tid);
    if ( !t )
        return -1;
    if ( ptrace(PTRACE_INTERRUPT, tid, 0, 0) || !stopped_in_time(tid) )
    {
        fprintf(stderr, "vmport-host: --attach: cannot stop %d\n", (int)tid);
        return -1;
    }
    /* The first thread seized opens the space the others share. */
    t->space = *space ? space_get(*space) : space_open(tid);
    if ( !t->space )
        return -1;
    *space = t->space;
    return 0;
}

/* Every thread of process @pid, the leader first. */
static int adopt_process(struct host *h, pid_t pid)
{
    struct space *space = NULL;
    char path[64];
    struct dirent *de;
    DIR *dir;
    int rc, n;

    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    dir = opendir(path);
    if ( !dir )
    {
        fprintf(stderr, "vmport-host: --attach %d: no such process\n",
                (int)pid);
        return -1;
    }
    rc = seize_thread(h, pid, &space);
    while ( !rc && (de = readdir(dir)) )
    {
        pid_t tid = atoi(de->d_name);

        if ( tid > 0 && tid != pid )
            rc = seize_thread(h, tid, &space);
    }
    closedir(dir);
    if ( rc )
        return rc;
    n = cpuid_bp_scan(space, pid);
    if ( n < 0 )
        return -1;
    trace_event(h, pid, "seized, cpuid-bp planted=%d", n);
    return 0;
}

/*
 * SIGUSR1 (a handoff request) waits until the whole family is ours: the
 * "adopted" event, which a driver may act on, comes last.
 *
 * SIGUSR2 calls the adoption off, if it comes before that event: a driver
 * that gave up waiting (a host starved of CPU on a loaded machine) must
 * not kill a host that has seized the guest, since PTRACE_O_EXITKILL
 * would kill the guest with it.  Whatever was seized is given back as a
 * handoff gives it (breakpoints taken back, every process stopped, no
 * tracer), and the host exits 1 saying so.  Once adopted, SIGUSR2 does
 * nothing.
 */
int handoff_adopt(struct host *h, pid_t pid)
{
    sigset_t usr1, old;
    pid_t *fam = NULL;
    size_t nr = 0, i;
    int rc = 0;

    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    if ( family(pid, &fam, &nr) )
        rc = -1;
    h->main_pid = pid;
    for ( i = 0; !rc && i < nr && !host_call_off; i++ )
        rc = adopt_process(h, fam[i]);
    if ( host_call_off )
    {
        fprintf(stderr, "vmport-host: --attach %d: adoption called off "
                "(SIGUSR2) after %zu of %zu processes; the guest is left "
                "parked as it was found\n", (int)pid, i, nr);
        rc = -1;
    }
    if ( !rc )
    {
        for ( i = 0; i < nr; i++ )
            kill(fam[i], SIGCONT);
        for ( i = 0; i < h->tasks.nr; i++ )
            ptrace(PTRACE_CONT, h->tasks.tasks[i].pid, 0, 0);
        trace_event(h, pid, "adopted processes=%zu tasks=%zu %s", nr,
                    h->tasks.nr, host_mem_str(h));
    }
    else
        /* Parked again as found, for another host to try. */
        handoff_release(h);
    free(fam);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
