/*
 * calloff.c: SIGUSR2 calls a handoff off before its point of no return.
 *
 * A driver that asked for a handoff (SIGUSR1, or --handoff-after) and
 * waited for it in vain - the host starved of CPU, a guest task that does
 * not reach a stop - must not kill the host: with PTRACE_O_EXITKILL the
 * guest would die with it.  It sends SIGUSR2 instead.  Until the point of
 * no return the host then drops the handoff and serves its guest on as if
 * it had never been asked: every task the freeze stopped is resumed as
 * the engine would have resumed it (handoff.c), the exit at the boundary
 * keeps its one reply, an access a task was interrupted at is retried and
 * served once, and --handoff-after is spent (a later SIGUSR1 hands off
 * again).  The host says so on stderr ("handoff called off") and in its
 * trace, and runs on.
 *
 * The point of no return is the start of the state write: from its first
 * byte the stream may be on its way to a destination that adopts the
 * guest, and a --state-out-fd descriptor is closed after it, so nothing
 * would be left to hand off with.  A SIGUSR2 from then on changes
 * nothing: the handoff completes, and says that the signal came late.
 *
 * A stop (SIGTERM/SIGINT with --state-out) is this host's end, not a move
 * a driver may call off: SIGUSR2 is not answered then.
 */

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "host.h"

volatile sig_atomic_t host_call_off;

/* How long --test-stall-handoff holds a handoff at most. */
#define TEST_STALL_MAX_MS 120000

bool call_off_wanted(void)
{
    return host_call_off && !host_stop_signal;
}

int handoff_called_off(struct host *h, const char *when)
{
    host_call_off = 0;
    host_handoff_requested = 0;
    /* Spent, or it would be due again at the next exit. */
    h->opt.handoff_after = 0;
    trace_event(h, h->main_pid, "handoff-called-off %s after %llu exits",
                when, (unsigned long long)h->nr_exits);
    fprintf(stderr, "vmport-host: handoff called off (SIGUSR2) %s: guest %d "
            "runs on here\n", when, (int)h->main_pid);
    return 1;
}

/*
 * A test-only fault point (vmport-stress FI 5, tests/host): the guest is
 * frozen and nothing is written yet, so this is the last place a call-off
 * is answered.  Polled: the file may go, or SIGUSR2 come, at any time.
 */
void handoff_test_stall(struct host *h)
{
    long long end = host_now_ms() + TEST_STALL_MAX_MS;
    const char *path = h->opt.test_stall;

    if ( !path || access(path, F_OK) )
        return;
    trace_event(h, h->main_pid, "handoff-stalled");
    fprintf(stderr, "vmport-host: handoff stalled, the guest frozen, while "
            "%s exists (--test-stall-handoff)\n", path);
    while ( !host_call_off && !host_stop_signal && !access(path, F_OK) &&
            host_now_ms() < end )
        usleep(1000);
}
