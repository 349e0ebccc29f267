/*
 * main.c: vmport-host, a simulated Xen host that runs a program as its
 * guest.
 *
 * The program runs under ptrace.  Its backdoor accesses (#GP at in/out
 * from user mode) and CPUID instructions become exits served by the real
 * device model; everything else runs natively.  The host's job is what a
 * hypervisor does around the device model: trap, fetch, hand over, resume.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "options.h"
#include "seccomp_filter.h"

/* A new request outdates a call-off not yet seen (a stale SIGUSR2). */
static void on_sigusr1(int sig)
{
    (void)sig;
    host_call_off = 0;
    host_handoff_requested = 1;
}

static void on_sigusr2(int sig)
{
    (void)sig;
    host_call_off = 1;
}

/* SIGTERM, SIGINT with --state-out: freeze, write the state, exit. */
static void on_stop(int sig)
{
    host_stop_signal = sig;
    host_handoff_requested = 1;
}

static void child_exec(char **argv)
{
    if ( seccomp_filter_install() )
    {
        perror("vmport-host: installing the seccomp filter");
        _exit(127);
    }
    /* Wait, stopped, until the host has seized us. */
    raise(SIGSTOP);
    execvp(argv[0], argv);
    fprintf(stderr, "vmport-host: %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int spawn(struct host *h)
{
    struct task *t;
    int status;
    pid_t pid = fork();

    if ( pid < 0 )
    {
        perror("vmport-host: fork");
        return -1;
    }
    if ( pid == 0 )
        child_exec(h->opt.argv);
    if ( waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status) )
    {
        fprintf(stderr, "vmport-host: %s did not start\n", h->opt.argv[0]);
        return -1;
    }
    if ( ptrace(PTRACE_SEIZE, pid, 0, HOST_PTRACE_OPTIONS) )
    {
        perror("vmport-host: PTRACE_SEIZE");
        kill(pid, SIGKILL);
        return -1;
    }
    t = task_add(&h->tasks, pid);
    if ( !t )
        return -1;
    /* Its code is still ours until the exec: nothing to plant yet. */
    t->space = space_open(pid);
    t->fresh = true;
    h->main_pid = pid;
    kill(pid, SIGCONT);
    return t->space ? 0 : -1;
}

static int write_pid_file(const char *path, pid_t pid)
{
    FILE *f = fopen(path, "we");

    if ( !f )
    {
        fprintf(stderr, "vmport-host: --pid-file %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    fprintf(f, "%d\n", (int)pid);
    return fclose(f) ? -1 : 0;
}

static int preload_guestinfo(struct host *h)
{
    size_t i;

    for ( i = 0; i < h->opt.nr_gi; i++ )
    {
        const struct host_guestinfo *g = &h->opt.gi[i];
        int rc = host_dm_guestinfo_set(h->dm, g->key, g->val, g->vlen);

        if ( rc )
        {
            fprintf(stderr, "vmport-host: --guestinfo %s (%u bytes): "
                    "refused by the device model (%d)\n", g->key, g->vlen,
                    rc);
            return -1;
        }
    }
    return 0;
}

static int setup(struct host *h)
{
    struct host_dm_config cfg = {
        .hwver = h->opt.hwver, .hb = h->opt.hb, .pers = &h->opt.pers,
        .trigger_timeout_ms = h->opt.trigger_timeout_ms,
    };
    struct sigaction sa = { .sa_handler = on_sigusr1 };
    struct sigaction stop = { .sa_handler = on_stop };
    struct sigaction cancel = { .sa_handler = on_sigusr2 };

    /*
     * No SA_RESTART: each wakes the engine's waitpid.  SIGUSR2 calls off
     * an --attach (adopt.c) or a handoff (calloff.c); the reads and writes
     * of a state stream it may interrupt retry (libvmport-stream).
     */
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &cancel, NULL);
    if ( state_out_wanted(h) )
    {
        if ( state_out_check(h) )
            return -1;
        sigaction(SIGTERM, &stop, NULL);
        sigaction(SIGINT, &stop, NULL);
    }
    if ( h->opt.trace_path && trace_open(h) )
        return -1;
    h->dm = host_dm_create(&cfg);
    if ( !h->dm )
        return -1;
    if ( h->opt.state_in && state_file_read(h, h->opt.state_in) )
        return -1;
    return preload_guestinfo(h);
}

/*
 * The domain is destroyed, and the device model must then hold nothing:
 * the "end" event gives what it still holds (0 blocks), a leak is said
 * and makes the exit status 1.
 */
static int host_end(struct host *h, int rc)
{
    unsigned long pending = h->opt.tclo_every ? state_tclo_pending(h) : 0;
    struct host_dm_mem m;

    host_dm_destroy(h->dm);
    h->dm = NULL;
    host_dm_mem(NULL, &m);
    trace_event(h, h->main_pid, "end status=%d blocks=%lu bytes=%lu tclo=%lu "
                "tclo_pending=%lu tclo_expired=%lu", rc, m.live_blocks,
                m.live_bytes, h->tclo_queued, pending, h->tclo_expired);
    if ( h->trace )
        fclose(h->trace);
    if ( !m.live_blocks )
        return rc;
    fprintf(stderr, "vmport-host: the device model still holds %lu blocks "
            "(%lu bytes) after the domain was destroyed: leaked\n",
            m.live_blocks, m.live_bytes);
    return 1;
}

/* The guest's exit status as ours (128 + signal if it was killed). */
static int guest_exit_code(const struct host *h)
{
    if ( h->handed_off )
        return 0;
    if ( !h->main_done )
        return 1;
    if ( WIFEXITED(h->main_status) )
        return WEXITSTATUS(h->main_status);
    return 128 + WTERMSIG(h->main_status);
}

int main(int argc, char **argv)
{
    static struct host h;
    int rc;

    if ( options_parse(&h.opt, argc, argv) )
    {
        fprintf(stderr, "vmport-host: try --help\n");
        return 2;
    }
    /* Every end goes through host_end(): what the domain held is freed. */
    if ( setup(&h) )
        return host_end(&h, 1);
    rc = h.opt.attach_pid ? handoff_adopt(&h, h.opt.attach_pid)
                          : spawn(&h);
    if ( rc )
        return host_end(&h, 1);
    if ( h.opt.pid_file && write_pid_file(h.opt.pid_file, h.main_pid) )
        return host_end(&h, 1);
    if ( engine_run(&h) )
        return host_end(&h, 1);
    if ( host_stop_signal && h.handed_off )
    {
        fprintf(stderr, "vmport-host: %s: guest %d frozen (stopped) and its "
                "state written to %s; resume it with vmport-host --attach "
                "%d --state-in %s\n", strsignal(host_stop_signal),
                (int)h.main_pid, state_out_name(&h), (int)h.main_pid,
                h.opt.state_out ? h.opt.state_out : "-");
        rc = 128 + host_stop_signal;
    }
    else if ( !h.handed_off && state_out_wanted(&h) && state_out_write(&h) )
        rc = 1;
    else
        rc = guest_exit_code(&h);
    return host_end(&h, rc);
}
