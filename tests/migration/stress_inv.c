/*
 * stress_inv.c: two invariants of the sim backend, checked on every hop
 * from what each host writes in its trace (vmport-host's handoff, adopted
 * and end events).
 *
 * No host process leaks memory.  Every host ends by destroying its
 * domain, and its "end" event says what the device model still holds
 * (blocks=, bytes=: the shim counts every xmalloc and vmalloc), which
 * must be nothing: sources that handed off, destinations that refused a
 * stream, a guest's last host.  And a destination that adopted a stream
 * as its source wrote it (not converted to version 1, which drops state)
 * must hold exactly what the source held when it wrote it (charged=, the
 * domain's budget, blocks= and bytes=): memory that grew from hop to hop
 * would show there even where destroy frees it.
 *
 * Every TCLO command is delivered exactly once.  The hosts of a
 * guest_channels guest queue OS_Halt and OS_Reboot as the toolstack would
 * (--tclo-every); each says in its handoff or end event how many it
 * queued (tclo=), and a guest's last host how many are still queued when
 * the guest ends (tclo_pending=).  The guest counts every command it took
 * (its final line's tclo=, counted when RECVSTATUS succeeded, which is
 * when the device model dequeues it).  Queued = taken + still queued +
 * expired, or a command was lost or delivered twice on the way - through
 * handoffs, aborted migrations (the source takes its guest back from its
 * own state) and version 1 conversions.  Expired: a command the guest did
 * not fetch within the trigger timeout is timed out, never delivered late
 * (a source frozen that long before its handoff was called off); the
 * host that saw it go counts it (tclo_expired=, vmport-host's triggers.c).
 */
#include <stdio.h>
#include <string.h>

#include "stress.h"

static void mem_of(const char *line, struct host_mem *m)
{
    m->charged = trace_field(line, "charged");
    m->blocks = trace_field(line, "blocks");
    m->bytes = trace_field(line, "bytes");
}

/* A host's tclo= and tclo_expired=, added to its guest's. */
static void add_tclo(struct guest *g, const char *line)
{
    long long q = trace_field(line, "tclo");
    long long e = trace_field(line, "tclo_expired");

    if ( q > 0 )
        g->tclo_queued += q;
    if ( e > 0 )
        g->tclo_expired += e;
}

/* A host's end event: it must hold nothing once its domain is destroyed. */
static void check_end(const struct guest *g, const char *trace,
                      const char *line)
{
    long long blocks = trace_field(line, "blocks");

    if ( blocks < 0 )
        return;
    stats.mem_hosts++;
    if ( !blocks )
        return;
    stats.mem_leaks++;
    fprintf(stderr, "vmport-stress: guest %u: expected the host of %s to "
            "hold no memory once its domain was destroyed, seen %lld "
            "blocks (%lld bytes)\n", g->idx, trace, blocks,
            trace_field(line, "bytes"));
}

int inv_source(struct guest *g, const char *trace, struct host_mem *held)
{
    char line[1024];

    held->charged = held->blocks = held->bytes = -1;
    if ( trace_line(trace, TR_HANDOFF, line, sizeof(line)) )
        return -1;
    mem_of(line, held);
    add_tclo(g, line);
    if ( !trace_line(trace, TR_END, line, sizeof(line)) )
        check_end(g, trace, line);
    return 0;
}

void inv_adopted(struct guest *g, const char *trace,
                 const struct host_mem *src)
{
    struct host_mem m;
    char line[1024];

    if ( !src || src->blocks < 0 ||
         trace_line(trace, TR_ADOPTED, line, sizeof(line)) )
        return;
    mem_of(line, &m);
    if ( m.blocks < 0 )
        return;
    stats.mem_pairs++;
    if ( m.charged == src->charged && m.blocks == src->blocks &&
         m.bytes == src->bytes )
        return;
    stats.mem_differ++;
    fprintf(stderr, "vmport-stress: guest %u: expected the host of %s to "
            "hold what its source held for the same state, charged=%lld "
            "blocks=%lld bytes=%lld, seen charged=%lld blocks=%lld "
            "bytes=%lld\n", g->idx, trace, src->charged, src->blocks,
            src->bytes, m.charged, m.blocks, m.bytes);
}

void inv_ended(struct guest *g, const char *trace, bool last)
{
    char line[1024];
    long long q, p;

    if ( trace_line(trace, TR_END, line, sizeof(line)) )
        return;
    check_end(g, trace, line);
    if ( !last )
        return;
    q = trace_field(line, "tclo");
    p = trace_field(line, "tclo_pending");
    if ( q < 0 || p < 0 )
        return;
    add_tclo(g, line);
    g->tclo_pending = p;
    g->tclo_end_seen = true;
}

void inv_guest_end(struct guest *g)
{
    if ( g->kind != GK_CHANNELS || !g->tclo_end_seen ||
         g->out.tclo_taken < 0 )
        return;
    stats.tclo_guests++;
    stats.tclo_queued += g->tclo_queued;
    stats.tclo_taken += g->out.tclo_taken;
    stats.tclo_pending += g->tclo_pending;
    stats.tclo_expired += g->tclo_expired;
    if ( g->tclo_queued ==
         g->out.tclo_taken + g->tclo_pending + g->tclo_expired )
        return;
    stats.tclo_mismatch++;
    fprintf(stderr, "vmport-stress: guest %u: expected every TCLO command "
            "its hosts queued (%lu) taken once, still queued (%lu) or "
            "expired unfetched (%lu), seen %ld taken\n", g->idx,
            g->tclo_queued, g->tclo_pending, g->tclo_expired,
            g->out.tclo_taken);
}
