/*
 * trace_log.c: --trace FILE, one line per exit or event, like xentrace.
 *
 * Exit lines carry the registers the backdoor uses, before and after:
 *   SEQ NS PID PERSONALITY gp|cpuid rip=.. in: rax=.. ... out: ...
 *       ilen=N|nrip=X len=N exit=E
 * ilen (Intel) or nrip (AMD) is the exit information as that vendor
 * gives it; len is the emulated instruction's length (0: not the
 * backdoor's) and E the number of backdoor exits emulated so far, this one
 * included.
 *
 * The trace is bounded (--trace-max-bytes, default TRACE_MAX_DEFAULT): a
 * guest that runs for hours makes millions of exits, and a trace on tmpfs
 * is memory.  The newest lines are kept: once FILE holds half the limit
 * it is renamed FILE.old (replacing the one before) and a new FILE starts
 * with a "trace rotated" event, so FILE and FILE.old never hold more than
 * the limit together and the end of the trace - where a handoff is - is
 * always there.  A write error (a full disk) stops the tracing, said once
 * on stderr; the guest goes on.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/user.h>
#include <time.h>

#include "host.h"

/* The longest line written: an exit line is about 250 bytes. */
#define TRACE_LINE_MAX  1024

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int trace_open(struct host *h)
{
    h->trace = fopen(h->opt.trace_path, "we");
    if ( !h->trace )
    {
        fprintf(stderr, "vmport-host: --trace %s: %s\n", h->opt.trace_path,
                strerror(errno));
        return -1;
    }
    h->trace_bytes = 0;
    return 0;
}

static void trace_stop(struct host *h, int err)
{
    fprintf(stderr, "vmport-host: --trace %s: write error: %s; tracing "
            "stopped (the guest goes on)\n", h->opt.trace_path,
            strerror(err));
    fclose(h->trace);
    h->trace = NULL;
}

/* FILE -> FILE.old, a new FILE: the newest half-limit of lines kept. */
static int trace_rotate(struct host *h)
{
    char old[4200];
    int n;

    if ( fclose(h->trace) )
    {
        h->trace = NULL;
        return errno;
    }
    h->trace = NULL;
    snprintf(old, sizeof(old), "%s.old", h->opt.trace_path);
    if ( rename(h->opt.trace_path, old) )
        return errno;
    if ( !h->trace_rotations++ )
        fprintf(stderr, "vmport-host: --trace %s: %" PRIu64 " bytes "
                "reached; from now on only the newest lines are kept, in "
                "%s and %s (at most %" PRIu64 " bytes together, "
                "--trace-max-bytes)\n", h->opt.trace_path, h->trace_bytes,
                old, h->opt.trace_path, h->opt.trace_max);
    h->trace = fopen(h->opt.trace_path, "we");
    if ( !h->trace )
        return errno;
    n = fprintf(h->trace, "0 %" PRIu64 " %d %s event trace rotated %" PRIu64
                ": older lines dropped, the ones before this are in %s\n",
                now_ns(), (int)h->main_pid, h->opt.pers.name,
                h->trace_rotations, old);
    h->trace_bytes = n > 0 ? n : 0;
    return 0;
}

/* One whole line into the trace, rotating first if it would not fit. */
static void trace_put(struct host *h, const char *line, size_t len)
{
    int err = 0;

    if ( h->trace_bytes + len > h->opt.trace_max / 2 )
        err = trace_rotate(h);
    if ( !err && (fwrite(line, 1, len, h->trace) != len ||
                  fflush(h->trace)) )
        err = errno ? errno : EIO;
    if ( err )
    {
        if ( h->trace )
            trace_stop(h, err);
        else
            fprintf(stderr, "vmport-host: --trace %s: rotating: %s; "
                    "tracing stopped (the guest goes on)\n",
                    h->opt.trace_path, strerror(err));
        return;
    }
    h->trace_bytes += len;
}

/* snprintf() into @buf at *@n, clamped (a line never exceeds the buffer). */
static void put(char *buf, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t *n, const char *fmt, ...)
{
    va_list ap;
    int k;

    if ( *n >= TRACE_LINE_MAX - 1 )
        return;
    va_start(ap, fmt);
    k = vsnprintf(buf + *n, TRACE_LINE_MAX - *n, fmt, ap);
    va_end(ap);
    if ( k > 0 )
        *n += (size_t)k < TRACE_LINE_MAX - *n ? (size_t)k
                                              : TRACE_LINE_MAX - 1 - *n;
}

static void regs(char *buf, size_t *n, const struct user_regs_struct *r)
{
    put(buf, n, "rax=%08llx rbx=%08llx rcx=%08llx rdx=%08llx rsi=%08llx "
        "rdi=%08llx rbp=%08llx", r->rax & 0xffffffffULL,
        r->rbx & 0xffffffffULL, r->rcx & 0xffffffffULL,
        r->rdx & 0xffffffffULL, r->rsi & 0xffffffffULL,
        r->rdi & 0xffffffffULL, r->rbp & 0xffffffffULL);
}

const char *host_mem_str(const struct host *h)
{
    static char buf[96];
    struct host_dm_mem m;

    host_dm_mem(h->dm, &m);
    snprintf(buf, sizeof(buf), "charged=%lu blocks=%lu bytes=%lu", m.charged,
             m.live_blocks, m.live_bytes);
    return buf;
}

void trace_exit(struct host *h, pid_t pid, const char *kind,
                const void *regs_in, const void *regs_out,
                const struct host_exit_info *info, uint64_t exit_no)
{
    const struct user_regs_struct *in = regs_in;
    char line[TRACE_LINE_MAX];
    size_t n = 0;

    h->nr_events++;
    h->last_exit_ns = now_ns();
    if ( !h->trace )
        return;
    put(line, &n, "%" PRIu64 " %" PRIu64 " %d %s %s rip=%llx in: ",
        h->nr_events, h->last_exit_ns, (int)pid, h->opt.pers.name, kind,
        in->rip);
    regs(line, &n, in);
    put(line, &n, " out: ");
    regs(line, &n, regs_out);
    /* The exit information as this vendor reports it. */
    if ( h->opt.pers.reports_next_rip )
        put(line, &n, " nrip=%" PRIx64 " len=%u", info->next_rip,
            (unsigned int)(info->next_rip - info->rip));
    else
        put(line, &n, " ilen=%u len=%u", info->insn_len, info->insn_len);
    put(line, &n, " exit=%" PRIu64 "\n", exit_no);
    trace_put(h, line, n);
}

void trace_event(struct host *h, pid_t pid, const char *fmt, ...)
{
    char line[TRACE_LINE_MAX];
    size_t n = 0, room;
    va_list ap;
    int k;

    h->nr_events++;
    if ( !h->trace )
        return;
    put(line, &n, "%" PRIu64 " %" PRIu64 " %d %s event ", h->nr_events,
        now_ns(), (int)pid, h->opt.pers.name);
    /* The prefix is short: room is left for the text and the newline. */
    room = TRACE_LINE_MAX - 1 - n;
    va_start(ap, fmt);
    k = vsnprintf(line + n, room, fmt, ap);
    va_end(ap);
    if ( k > 0 )
        n += (size_t)k < room ? (size_t)k : room - 1;
    line[n++] = '\n';
    trace_put(h, line, n);
}
