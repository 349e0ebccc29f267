/*
 * stress_report.c: the soak report, as text or (--json) one JSON object.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "stress.h"

static const char *const fault_names[FI_NR] = {
    [FI_NONE] = "none",
    [FI_CORRUPT_BYTE] = "corrupt-byte",
    [FI_TRUNCATE] = "truncate",
    [FI_KILL_DEST] = "kill-destination",
    [FI_BAD_RECORD] = "bad-record",
    [FI_SOURCE_STALL] = "source-stall",
};

static const char *const abort_names[AB_NR] = {
    [AB_VERIFY] = "verify",
    [AB_REFUSED_V1] = "refused-v1",
    [AB_DEST_REJECTED] = "destination-rejected",
    [AB_DEST_KILLED] = "destination-killed",
    [AB_SOURCE_STALLED] = "source-stalled",
};

const char *abort_name(enum abort_reason r)
{
    return r < AB_NR ? abort_names[r] : "?";
}

const char *fault_name(enum fault f)
{
    return f < FI_NR ? fault_names[f] : "?";
}

void stats_downtime(double ms)
{
    if ( stats.nr_downtime == stats.cap_downtime )
    {
        size_t cap = stats.cap_downtime ? stats.cap_downtime * 2 : 64;
        double *d = realloc(stats.downtime_ms, cap * sizeof(*d));

        if ( !d )
            return;
        stats.downtime_ms = d;
        stats.cap_downtime = cap;
    }
    stats.downtime_ms[stats.nr_downtime++] = ms;
}

void stats_stream(unsigned long bytes)
{
    if ( !stats.nr_streams || bytes < stats.stream_min )
        stats.stream_min = bytes;
    if ( bytes > stats.stream_max )
        stats.stream_max = bytes;
    stats.stream_total += bytes;
    stats.nr_streams++;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Nearest-rank percentile of the sorted downtimes. */
double downtime_pct(unsigned int p)
{
    size_t n = stats.nr_downtime, i;

    if ( !n )
        return 0;
    i = (n * p + 99) / 100;
    return stats.downtime_ms[i ? i - 1 : 0];
}

static unsigned long total_aborted(void)
{
    unsigned long n = 0;
    unsigned int i;

    for ( i = 0; i < AB_NR; i++ )
        n += stats.aborted[i];
    return n;
}

/* What each abort reason means, beside its count in the text report. */
static const char *const abort_whys[AB_NR] = {
    [AB_VERIFY] = "vmport-state verify/filter/convert rejected the stream",
    [AB_REFUSED_V1] = "convert --policy refuse: the state did not fit v1",
    [AB_DEST_REJECTED] = "the destination exited without adopting the guest",
    [AB_DEST_KILLED] = "fault 3 killed the destination before it adopted",
    [AB_SOURCE_STALLED] = "the source did not hand off in time and called "
                          "it off (SIGUSR2): the guest runs on there",
};

/*
 * The text report: every number says what it counts.  The freeze modes
 * (or xl's hop styles) split all attempted migrations, so they are printed
 * apart from the aborts, whose causes add up to the aborted count.
 */
static void print_text(void)
{
    unsigned long ab = total_aborted();
    unsigned int i;

    printf("soak report (seed %u%s)\n", opts.seed,
           stress_stop_signal ? ", interrupted: the report so far" : "");
    printf("  migrations attempted: %lu = %lu succeeded + %lu aborted",
           stats.attempted, stats.succeeded, ab);
    if ( stats.attempted > stats.succeeded + ab )
        printf(" + %lu not finished", stats.attempted - stats.succeeded - ab);
    printf(" (an aborted one leaves its guest on the source)\n");
    printf("  aborted migrations by cause (these add up to the %lu "
           "aborted):\n", ab);
    for ( i = 0; i < AB_NR; i++ )
        printf("    %-22s %4lu  %s\n", abort_names[i], stats.aborted[i],
               abort_whys[i]);
    if ( opts.backend_xl )
        printf("  how each of the %lu attempted migrations moved the domain "
               "(succeeded or aborted alike: not a breakdown of the "
               "aborts):\n"
               "    %-22s %4lu\n    %-22s %4lu\n", stats.attempted,
               "xl save + restore", stats.by_mode[0],
               "live xl migrate", stats.by_mode[1]);
    else
        printf("  freeze modes: how each of the %lu attempted migrations "
               "froze its guest (succeeded or aborted alike: not a "
               "breakdown of the aborts):\n"
               "    %-22s %4lu  the host's own count of exits\n"
               "    %-22s %4lu  this driver's signal to the host\n",
               stats.attempted, "--handoff-after", stats.by_mode[0],
               "SIGUSR1", stats.by_mode[1]);
    printf("  streams converted to version 1: %lu refused (each one of the "
           "refused-v1 aborts), %lu checkpointed, %lu fitted\n",
           stats.converted_refuse, stats.converted_cpt, stats.converted_fit);
    printf("  CPT answers the guests saw (retries after a checkpoint): "
           "%lu\n", stats.guest_cpt);
    printf("  faults, per point: injected / of those aborted cleanly with "
           "the guest back on its source:\n");
    for ( i = 1; i < FI_NR; i++ )
        printf("    FI %u %-18s %lu / %lu\n", i, fault_names[i],
               stats.fault_injected[i], stats.fault_clean[i]);
    printf("  RPC replies the guests received and checked: %lu\n",
           stats.rpcs);
    printf("  verification failures (a wrong or missing reply, a guest "
           "that did not end well): %lu\n", stats.verify_failures);
    printf("  guests lost: %lu; host errors (a host that failed or hung, "
           "a fault not injected): %lu\n", stats.lost_guests,
           stats.host_errors);
    if ( !opts.backend_xl )
    {
        printf("  TCLO power commands (OS_Halt, OS_Reboot) of %lu guests: "
               "%lu queued by their hosts = %lu taken by the guests + %lu "
               "still queued at their end + %lu timed out unfetched (a "
               "guest frozen past the trigger timeout); guests for which "
               "that did not add up (a command lost or taken twice): %lu\n",
               stats.tclo_guests, stats.tclo_queued, stats.tclo_taken,
               stats.tclo_pending, stats.tclo_expired, stats.tclo_mismatch);
        printf("  host memory: %lu hosts ended holding nothing, %lu did "
               "not (leaked); %lu adoptions held what their source held "
               "for the same state, %lu did not\n",
               stats.mem_hosts - stats.mem_leaks, stats.mem_leaks,
               stats.mem_pairs - stats.mem_differ, stats.mem_differ);
    }
    printf("  rate: %.2f migrations attempted per second over %.1f s\n",
           stats.attempted / (run_ms() / 1e3), run_ms() / 1e3);
    printf("  downtime of %zu succeeded migrations, freeze -> resume (ms): "
           "min %.2f median %.2f p90 %.2f p99 %.2f max %.2f\n",
           stats.nr_downtime, downtime_pct(0), downtime_pct(50),
           downtime_pct(90), downtime_pct(99), downtime_pct(100));
    if ( stats.nr_phases )
        printf("    its parts, mean ms over %lu: source host (write+detach) "
               "%.2f, queued in this driver %.2f, transfer (filter/convert/"
               "verify) %.2f, destination start+adopt %.2f\n",
               stats.nr_phases,
               stats.phase_ms[0] / stats.nr_phases,
               stats.phase_ms[1] / stats.nr_phases,
               stats.phase_ms[2] / stats.nr_phases,
               stats.phase_ms[3] / stats.nr_phases);
    printf("  state stream bytes, over the %lu streams the sources wrote: "
           "min %lu mean %lu max %lu\n",
           stats.nr_streams, stats.stream_min,
           stats.nr_streams ? stats.stream_total / stats.nr_streams : 0,
           stats.stream_max);
}

static void add_u(json_object *o, const char *k, unsigned long v)
{
    json_object_object_add(o, k, json_object_new_int64(v));
}

json_object *report_json(void)
{
    json_object *o = json_object_new_object();
    json_object *ab = json_object_new_object();
    json_object *fi = json_object_new_object();
    json_object *dt = json_object_new_object();
    json_object *sz = json_object_new_object();
    unsigned int i;

    add_u(o, "seed", opts.seed);
    json_object_object_add(o, "interrupted",
                           json_object_new_boolean(stress_stop_signal != 0));
    add_u(o, "attempted", stats.attempted);
    add_u(o, "succeeded", stats.succeeded);
    add_u(o, "aborted", total_aborted());
    add_u(o, "by_handoff_after", stats.by_mode[0]);
    add_u(o, "by_sigusr1", stats.by_mode[1]);
    for ( i = 0; i < AB_NR; i++ )
        add_u(ab, abort_names[i], stats.aborted[i]);
    json_object_object_add(o, "aborted_by_reason", ab);
    for ( i = 1; i < FI_NR; i++ )
    {
        json_object *f = json_object_new_object();

        add_u(f, "number", i);
        add_u(f, "injected", stats.fault_injected[i]);
        add_u(f, "aborted_cleanly", stats.fault_clean[i]);
        json_object_object_add(fi, fault_names[i], f);
    }
    json_object_object_add(o, "faults", fi);
    add_u(o, "converted_refused", stats.converted_refuse);
    add_u(o, "converted_checkpoint", stats.converted_cpt);
    add_u(o, "converted_fitted", stats.converted_fit);
    add_u(o, "guest_cpt_retries", stats.guest_cpt);
    add_u(o, "rpcs", stats.rpcs);
    add_u(o, "verification_failures", stats.verify_failures);
    add_u(o, "lost_guests", stats.lost_guests);
    add_u(o, "host_errors", stats.host_errors);
    if ( !opts.backend_xl )
    {
        json_object *t = json_object_new_object();
        json_object *m = json_object_new_object();

        add_u(t, "guests", stats.tclo_guests);
        add_u(t, "queued", stats.tclo_queued);
        add_u(t, "taken", stats.tclo_taken);
        add_u(t, "still_queued", stats.tclo_pending);
        add_u(t, "expired", stats.tclo_expired);
        add_u(t, "mismatches", stats.tclo_mismatch);
        json_object_object_add(o, "tclo", t);
        add_u(m, "hosts_checked", stats.mem_hosts);
        add_u(m, "hosts_leaked", stats.mem_leaks);
        add_u(m, "adoptions_compared", stats.mem_pairs);
        add_u(m, "adoptions_differed", stats.mem_differ);
        json_object_object_add(o, "host_memory", m);
    }
    add_u(dt, "count", stats.nr_downtime);
    for ( i = 0; i < 5; i++ )
    {
        static const char *const name[5] = {
            "min", "median", "p90", "p99", "max",
        };
        static const unsigned int at[5] = { 0, 50, 90, 99, 100 };

        json_object_object_add(dt, name[i],
                               json_object_new_double(downtime_pct(at[i])));
    }
    for ( i = 0; i < 4 && stats.nr_phases; i++ )
    {
        static const char *const part[4] = {
            "mean_source_ms", "mean_queued_ms", "mean_transfer_ms",
            "mean_adopt_ms",
        };

        json_object_object_add(dt, part[i], json_object_new_double(
                                   stats.phase_ms[i] / stats.nr_phases));
    }
    json_object_object_add(o, "downtime_ms", dt);
    add_u(sz, "count", stats.nr_streams);
    add_u(sz, "min", stats.stream_min);
    add_u(sz, "max", stats.stream_max);
    add_u(sz, "total", stats.stream_total);
    json_object_object_add(o, "stream_bytes", sz);
    json_object_object_add(o, "seconds", json_object_new_double(
                               run_ms() / 1e3));
    json_object_object_add(o, "migrations_per_second", json_object_new_double(
                               stats.attempted / (run_ms() / 1e3)));
    return o;
}

static void print_json(void)
{
    json_object *o = report_json();

    printf("%s\n", json_object_to_json_string_ext(o,
                                                  JSON_C_TO_STRING_PRETTY));
    json_object_put(o);
}

void report_print(void)
{
    if ( stats.nr_downtime )
        qsort(stats.downtime_ms, stats.nr_downtime, sizeof(double),
              cmp_double);
    if ( opts.json )
        print_json();
    else
        print_text();
}
