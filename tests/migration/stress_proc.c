/*
 * stress_proc.c: starting and reaping host and tool processes, with every
 * wait bounded in time, and reading what they left in files.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

unsigned int rnd(unsigned int n)
{
    return n ? (unsigned int)random() % n : 0;
}

static void redirect(int fd, const char *path, int flags)
{
    int f = open(path, flags, 0644);

    if ( f >= 0 )
    {
        dup2(f, fd);
        close(f);
    }
}

/*
 * A host whose stdout (the guest's, when it spawns one) is g's out file,
 * with @in_fd as its stdin (-1: /dev/null) and @state_fd as its fd 3
 * (-1: none).  Every other descriptor of this driver is close-on-exec.
 */
pid_t spawn_host(struct guest *g, char *const argv[], const char *err_path,
                 int in_fd, int state_fd)
{
    char out[300];
    pid_t pid;

    snprintf(out, sizeof(out), "%s/out", g->dir);
    pid = fork();
    if ( pid )
        return pid;
    /* Out of the way of 0..3 first, then put where they belong. */
    if ( in_fd >= 0 )
        in_fd = fcntl(in_fd, F_DUPFD_CLOEXEC, 10);
    if ( state_fd >= 0 )
        state_fd = fcntl(state_fd, F_DUPFD_CLOEXEC, 10);
    /*
     * A process group of its own, whose guest's parent (this driver, the
     * subreaper, once the spawning host is gone) is outside it: never an
     * orphaned group, which the kernel would hang up (SIGHUP, then
     * SIGCONT) as soon as a host exits while the parked guest is stopped.
     */
    setpgid(0, 0);
    redirect(STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_APPEND);
    redirect(STDERR_FILENO, err_path, O_WRONLY | O_CREAT | O_APPEND);
    if ( in_fd >= 0 )
        dup2(in_fd, STDIN_FILENO);
    else
        redirect(STDIN_FILENO, "/dev/null", O_RDONLY);
    if ( state_fd >= 0 )
        dup2(state_fd, 3);
    execv(argv[0], argv);
    perror(argv[0]);
    _exit(127);
}

/* 0 and *rc once @pid ended; -1 if it was still running after timeout. */
int wait_host(pid_t pid, unsigned int timeout_ms, int *rc)
{
    return wait_host_reading(pid, timeout_ms, rc, -1, NULL);
}

int wait_host_reading(pid_t pid, unsigned int timeout_ms, int *rc, int fd,
                      struct sbuf *b)
{
    double end = now_ms() + timeout_ms;
    int status;

    if ( fd >= 0 )
        fcntl(fd, F_SETFL, O_NONBLOCK);
    for ( ;; )
    {
        if ( fd >= 0 )
            stream_drain(fd, b);
        pid_t r = waitpid(pid, &status, WNOHANG);

        if ( r == pid )
        {
            *rc = WIFEXITED(status) ? WEXITSTATUS(status)
                                    : 128 + WTERMSIG(status);
            return 0;
        }
        if ( r < 0 && errno != EINTR )
            return -1;
        if ( now_ms() > end )
            return -1;
        stress_sleep_us(1000);
    }
}

/* Run a tool to completion (killed after @ms); its exit status. */
int run_tool(char *const argv[], const char *in_path, const char *out_path,
             unsigned int ms)
{
    pid_t pid = fork();
    int rc;

    if ( pid < 0 )
        return -1;
    if ( !pid )
    {
        redirect(STDOUT_FILENO, out_path ? out_path : "/dev/null",
                 O_WRONLY | O_CREAT | O_TRUNC);
        redirect(STDERR_FILENO, "/dev/null", O_WRONLY);
        redirect(STDIN_FILENO, in_path ? in_path : "/dev/null", O_RDONLY);
        execv(argv[0], argv);
        _exit(127);
    }
    if ( wait_host(pid, ms, &rc) )
    {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return rc;
}

bool file_has(const char *path, const char *needle)
{
    return file_has_from(path, 0, needle);
}

bool file_has_from(const char *path, long from, const char *needle)
{
    char line[512];
    bool found = false;
    FILE *f = fopen(path, "re");

    if ( !f )
        return false;
    if ( from && fseek(f, from, SEEK_SET) )
    {
        fclose(f);
        return false;
    }
    while ( !found && fgets(line, sizeof(line), f) )
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) ? 0 : (long)st.st_size;
}

/*
 * The line of event @p in a --trace file, into @line: TR_FREEZE and
 * TR_HANDOFF the handoff event, TR_ADOPTED the "adopted" event, TR_END the
 * "end" event every host writes last.  vmport-host keeps the trace's
 * newest lines (FILE, and FILE.old once it rotated): the handoff and end
 * events are at FILE's end, the adopted event, one of the first lines, is
 * looked for in both.  0, or -1 if absent.
 */
static int trace_line_in(const char *path, enum trace_point p, char *line,
                         size_t len)
{
    static const char *const ev[] = {
        [TR_FREEZE] = " event handoff ", [TR_HANDOFF] = " event handoff ",
        [TR_ADOPTED] = " event adopted ", [TR_END] = " event end ",
    };
    char buf[1024];
    int rc = -1;
    FILE *f = fopen(path, "re");

    if ( !f )
        return -1;
    /* Only the tail matters but for the adopted event. */
    if ( p != TR_ADOPTED && !fseek(f, -4096, SEEK_END) )
        (void)!fgets(buf, sizeof(buf), f);
    else
        rewind(f);
    while ( fgets(buf, sizeof(buf), f) )
        if ( strstr(buf, ev[p]) )
        {
            snprintf(line, len, "%s", buf);
            rc = 0;
            if ( p == TR_ADOPTED )
                break;
        }
    fclose(f);
    return rc;
}

int trace_line(const char *path, enum trace_point p, char *line, size_t len)
{
    char old[320];

    if ( !trace_line_in(path, p, line, len) )
        return 0;
    if ( p != TR_ADOPTED )
        return -1;
    snprintf(old, sizeof(old), "%s.old", path);
    return trace_line_in(old, p, line, len);
}

/* The number after " @key=" in a trace line, or -1. */
long long trace_field(const char *line, const char *key)
{
    char pat[40];
    const char *at;
    long long v;

    snprintf(pat, sizeof(pat), " %s=", key);
    at = strstr(line, pat);
    if ( !at || sscanf(at + strlen(pat), "%lld", &v) != 1 )
        return -1;
    return v;
}

/*
 * A CLOCK_MONOTONIC ns from a --trace file: TR_FREEZE where the guest froze
 * (the handoff event's last_exit_ns), TR_HANDOFF that event (state
 * written, guest detached), TR_ADOPTED the "adopted" event (where it
 * resumes).  -1 if absent.
 */
long long trace_ns(const char *path, enum trace_point p)
{
    char line[1024] = "";
    long long t;

    if ( trace_line(path, p, line, sizeof(line)) )
        return -1;
    if ( p == TR_FREEZE )
    {
        t = trace_field(line, "last_exit_ns");
        return t > 0 ? t : -1;
    }
    return sscanf(line, "%*u %lld", &t) == 1 ? t : -1;
}
