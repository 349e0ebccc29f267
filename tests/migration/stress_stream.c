/*
 * stress_stream.c: state streams over pipes, never through a file.
 *
 * Every host writes its state to a pipe (vmport-host --state-out-fd 3)
 * whose other end this driver reads as the host runs; the stream S it
 * gets at a handoff is kept in memory, untouched.  What the destination
 * reads is made from a copy: each vmport-state stage (filter, the version
 * 1 conversion, verify, records) runs with the stream on a pipe to its
 * stdin and its output on a pipe from its stdout, a fault is injected in
 * memory, and the destination host reads the result on a pipe (its
 * --state-in -).  So the driver is the wire between the two host
 * processes, and the place where the network's failures are made.
 *
 * Every wait is bounded and sleeps through stress_poll(), which gives the
 * --parallel lock up meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

/* A pipe holds a whole stream of a few hundred KiB: no host waits on us. */
#define PIPE_BYTES      (1 << 20)

void sbuf_free(struct sbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

int sbuf_put(struct sbuf *b, const void *p, size_t n)
{
    if ( n > STREAM_MAX - b->len )
        return -1;
    if ( b->len + n > b->cap )
    {
        size_t cap = b->cap ? b->cap : 65536;
        uint8_t *q;

        while ( cap < b->len + n )
            cap *= 2;
        q = realloc(b->p, cap);
        if ( !q )
            return -1;
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return 0;
}

int sbuf_copy(struct sbuf *to, const struct sbuf *from)
{
    to->len = 0;
    return sbuf_put(to, from->p, from->len);
}

/* A pipe, both ends close-on-exec, as large as the system allows. */
int stream_pipe(int fds[2])
{
    if ( pipe2(fds, O_CLOEXEC) )
        return -1;
    fcntl(fds[1], F_SETPIPE_SZ, PIPE_BYTES);
    return 0;
}

/*
 * Read what @fd has now into @b without waiting: 1 at end of stream, 0 if
 * more may come, -1 on an error or a stream past STREAM_MAX.
 */
int stream_drain(int fd, struct sbuf *b)
{
    char buf[65536];
    unsigned int i;

    /* Bounded: a pipe holds PIPE_BYTES, STREAM_MAX stops a flood. */
    for ( i = 0; i < STREAM_MAX / sizeof(buf) + 2; i++ )
    {
        ssize_t n = read(fd, buf, sizeof(buf));

        if ( n == 0 )
            return 1;
        if ( n < 0 )
            return errno == EAGAIN || errno == EINTR ? 0 : -1;
        if ( sbuf_put(b, buf, n) )
            return -1;
    }
    return -1;
}

/* Read @fd to its end, within @ms: 0, or -1 (error, too big, too slow). */
int stream_read_all(int fd, struct sbuf *b, unsigned int ms)
{
    double end = now_ms() + ms;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int rc;

    fcntl(fd, F_SETFL, O_NONBLOCK);
    while ( !(rc = stream_drain(fd, b)) && now_ms() < end )
        stress_poll(&p, 1, 10);
    return rc == 1 ? 0 : -1;
}

/*
 * Write @b to @fd (then closed) within @ms.  A reader that goes away
 * (EPIPE: the destination refused the stream early) ends it as well:
 * 0 if everything went, -1 otherwise.
 */
int stream_send(int fd, const struct sbuf *b, unsigned int ms)
{
    double end = now_ms() + ms;
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    size_t off = 0;

    fcntl(fd, F_SETFL, O_NONBLOCK);
    while ( off < b->len && now_ms() < end )
    {
        ssize_t n = write(fd, b->p + off, b->len - off);

        if ( n > 0 )
            off += n;
        else if ( n < 0 && errno != EAGAIN && errno != EINTR )
            break;
        else
            stress_poll(&p, 1, 10);
    }
    close(fd);
    return off == b->len ? 0 : -1;
}

/* Move @fd to @to in a child about to exec (async-signal-safe calls). */
static void child_fd(int fd, int to)
{
    if ( fd == to )
        fcntl(fd, F_SETFD, 0);
    else
        dup2(fd, to);
}

/*
 * Run a vmport-state stage: @in on its stdin, its stdout into @out (NULL:
 * dropped), within @ms.  Its exit status, or -1 (could not run, killed at
 * the limit, output past STREAM_MAX).
 */
int stream_tool(char *const argv[], const struct sbuf *in, struct sbuf *out,
                unsigned int ms)
{
    double end = now_ms() + ms;
    int ip[2], op[2], rc = -1, status, done = 0;
    size_t off = 0;
    pid_t pid;

    if ( stream_pipe(ip) )
        return -1;
    if ( stream_pipe(op) )
    {
        close(ip[0]);
        close(ip[1]);
        return -1;
    }
    pid = fork();
    if ( !pid )
    {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

        /* Both read ends away from 0 and 1 before either is taken. */
        ip[0] = fcntl(ip[0], F_DUPFD_CLOEXEC, 10);
        op[1] = fcntl(op[1], F_DUPFD_CLOEXEC, 10);
        child_fd(ip[0], STDIN_FILENO);
        child_fd(op[1], STDOUT_FILENO);
        child_fd(null, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    close(ip[0]);
    close(op[1]);
    if ( pid < 0 )
    {
        close(ip[1]);
        close(op[0]);
        return -1;
    }
    fcntl(ip[1], F_SETFL, O_NONBLOCK);
    fcntl(op[0], F_SETFL, O_NONBLOCK);
    if ( out )
        out->len = 0;
    /* Feed and drain at once: a stage's output may fill its pipe first. */
    while ( now_ms() < end && (ip[1] >= 0 || !done) )
    {
        struct pollfd p[2] = {
            { .fd = op[0], .events = POLLIN },
            { .fd = ip[1], .events = POLLOUT },
        };
        struct sbuf scratch = { 0 };

        if ( ip[1] >= 0 && off < in->len )
        {
            ssize_t n = write(ip[1], in->p + off, in->len - off);

            if ( n > 0 )
                off += n;
            else if ( n < 0 && errno != EAGAIN && errno != EINTR )
                off = in->len;      /* it stopped reading: it says why */
        }
        if ( ip[1] >= 0 && off >= in->len )
        {
            close(ip[1]);
            ip[1] = -1;
        }
        done = stream_drain(op[0], out ? out : &scratch);
        sbuf_free(&scratch);
        if ( done < 0 )
            break;
        if ( ip[1] >= 0 || !done )
            stress_poll(p, ip[1] >= 0 ? 2 : 1, 10);
    }
    if ( ip[1] >= 0 )
        close(ip[1]);
    close(op[0]);
    /* Its output ended: it is exiting, give it a moment even at the end. */
    if ( done == 1 && !wait_host(pid, 5000 + (end > now_ms() ?
                                              end - now_ms() : 0), &status) )
        return status;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return rc;
}
