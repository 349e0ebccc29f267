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
 */

#include <inttypes.h>
#include <stdarg.h>
#include <sys/user.h>
#include <time.h>

#include "host.h"

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void regs(FILE *f, const struct user_regs_struct *r)
{
    fprintf(f, "rax=%08llx rbx=%08llx rcx=%08llx rdx=%08llx rsi=%08llx "
            "rdi=%08llx rbp=%08llx", r->rax & 0xffffffffULL,
            r->rbx & 0xffffffffULL, r->rcx & 0xffffffffULL,
            r->rdx & 0xffffffffULL, r->rsi & 0xffffffffULL,
            r->rdi & 0xffffffffULL, r->rbp & 0xffffffffULL);
}

void trace_exit(struct host *h, pid_t pid, const char *kind,
                const void *regs_in, const void *regs_out,
                const struct host_exit_info *info, uint64_t exit_no)
{
    const struct user_regs_struct *in = regs_in;

    h->nr_events++;
    if ( !h->trace )
        return;
    fprintf(h->trace, "%" PRIu64 " %" PRIu64 " %d %s %s rip=%llx in: ",
            h->nr_events, now_ns(), (int)pid, h->opt.pers.name, kind,
            in->rip);
    regs(h->trace, in);
    fprintf(h->trace, " out: ");
    regs(h->trace, regs_out);
    /* The exit information as this vendor reports it. */
    if ( h->opt.pers.reports_next_rip )
        fprintf(h->trace, " nrip=%" PRIx64 " len=%u", info->next_rip,
                (unsigned int)(info->next_rip - info->rip));
    else
        fprintf(h->trace, " ilen=%u len=%u", info->insn_len, info->insn_len);
    fprintf(h->trace, " exit=%" PRIu64 "\n", exit_no);
    fflush(h->trace);
}

void trace_event(struct host *h, pid_t pid, const char *fmt, ...)
{
    va_list ap;

    h->nr_events++;
    if ( !h->trace )
        return;
    fprintf(h->trace, "%" PRIu64 " %" PRIu64 " %d %s event ", h->nr_events,
            now_ns(), (int)pid, h->opt.pers.name);
    va_start(ap, fmt);
    vfprintf(h->trace, fmt, ap);
    va_end(ap);
    fputc('\n', h->trace);
    fflush(h->trace);
}
