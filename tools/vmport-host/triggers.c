/*
 * triggers.c: --tclo-every N, TCLO power commands for the migrate-stress
 * harness's "every TCLO command delivered exactly once".
 *
 * Every Nth backdoor exit, when no power command is outstanding (queued,
 * or delivered without an outcome), the host queues one as the toolstack
 * does (vmport_trigger(): OS_Halt and OS_Reboot in turn) and traces a
 * "tclo-queued" event.  Its handoff and end events carry how many it
 * queued (tclo=Q) and its end event how many of the domain's are still
 * queued (tclo_pending=P), so a driver can add up what every host of a
 * guest queued and hold it to what the guest says it took.
 *
 * A power command makes a real tools daemon halt or reboot the machine it
 * runs on, so nothing is queued unless the guest said it is a test guest
 * that only counts them: guestinfo.vmport-stress.tclo = "1", which
 * tests/migration/guest_channels sets and vmtoolsd never does.
 *
 * A command the guest has not fetched within the domain's trigger timeout
 * is timed out and unqueued, as the device model is meant to do (it is
 * never delivered late).  A guest frozen that long, by a handoff that
 * stalled before it was called off, misses its command so.  Such a
 * command is neither taken nor still queued, so the host that sees it go
 * counts it (tclo_expired=, in the same events): it looks at the
 * trigger's state after every exit while a command it knows of is still
 * queued, and a destination learns of a queued command from the record
 * it adopted.  A source stops looking once it froze for its handoff:
 * from then on the command is its destination's to count.
 */

#include <errno.h>
#include <string.h>

#include "host.h"

#define TEST_GUEST_KEY  "guestinfo.vmport-stress.tclo"

/* The record's trigger states (vmporttype.h: 1 queued .. 6 timed out). */
#define TRIGGER_QUEUED      1
#define TRIGGER_TIMED_OUT   6

static bool test_guest(struct host *h)
{
    char val[8];
    uint32_t len = sizeof(val);

    return !host_dm_guestinfo_get(h->dm, TEST_GUEST_KEY, val, &len) &&
           len == 1 && val[0] == '1';
}

/* A command this host saw queued, now timed out: it expired here. */
static void track_expiry(struct host *h)
{
    unsigned int state;

    if ( h->trigger_seen != TRIGGER_QUEUED )
        return;
    state = host_dm_trigger_state(h->dm);
    if ( state == TRIGGER_TIMED_OUT )
    {
        h->tclo_expired++;
        trace_event(h, h->main_pid, "tclo-expired n=%lu", h->tclo_expired);
    }
    h->trigger_seen = state;
}

void triggers_adopted(struct host *h, unsigned int state)
{
    h->trigger_seen = state;
}

void triggers_exit(struct host *h)
{
    bool reboot;
    int rc;

    if ( !h->opt.tclo_every )
        return;
    track_expiry(h);
    if ( h->nr_exits % h->opt.tclo_every || !test_guest(h) )
        return;
    reboot = h->tclo_queued & 1;
    rc = host_dm_trigger(h->dm, reboot);
    if ( rc == -EBUSY )
        return;
    if ( rc )
    {
        fprintf(stderr, "vmport-host: --tclo-every: queueing %s failed "
                "(%d)\n", reboot ? "OS_Reboot" : "OS_Halt", rc);
        return;
    }
    h->tclo_queued++;
    h->trigger_seen = TRIGGER_QUEUED;
    trace_event(h, h->main_pid, "tclo-queued %s n=%lu",
                reboot ? "OS_Reboot" : "OS_Halt", h->tclo_queued);
}
