/*
 * stress_record.c: one record per migration attempted, kept for the run's
 * report.json (--report DIR), which lists them all beside the summary.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress.h"

/* Far more than a soak run attempts; past it, records are not kept. */
#define MAX_RECORDS 200000

/*
 * One allocation per record: a --parallel thread keeps its record's
 * address across the sleeps where another thread adds records.
 */
static struct mig_record **recs;
static size_t nr_recs, cap_recs;
static double t0_ms = -1;

/* Milliseconds since the first call (made when the run starts). */
double run_ms(void)
{
    if ( t0_ms < 0 )
        t0_ms = now_ms();
    return now_ms() - t0_ms;
}

/* A record for a migration of @g starting now, or NULL (not kept). */
struct mig_record *record_new(const struct guest *g)
{
    struct mig_record *r;

    if ( nr_recs == cap_recs )
    {
        size_t cap = cap_recs ? cap_recs * 2 : 8;
        struct mig_record **n;

        if ( cap > MAX_RECORDS )
            return NULL;
        n = realloc(recs, cap * sizeof(*n));
        if ( !n )
            return NULL;
        recs = n;
        cap_recs = cap;
    }
    r = calloc(1, sizeof(*r));
    if ( !r )
        return NULL;
    recs[nr_recs++] = r;
    r->guest = g->idx;
    r->hop = g->hop;
    r->kind = g->kind == GK_RPCTOOL ? "rpctool" : "channels";
    r->from = r->to = g->pers;
    r->t_ms = run_ms();
    r->outcome = "?";
    return r;
}

struct mig_record *const *records(size_t *nr)
{
    *nr = nr_recs;
    return recs;
}

static json_object *record_json(const struct mig_record *r)
{
    json_object *o = json_object_new_object();
    json_object *parts = json_object_new_object();
    static const char *const part[4] = {
        "source", "queued", "transfer", "adopt",
    };
    unsigned int i;

    json_object_object_add(o, "seed", json_object_new_int64(opts.seed));
    json_object_object_add(o, "guest", json_object_new_int(r->guest));
    json_object_object_add(o, "guest_kind", json_object_new_string(r->kind));
    json_object_object_add(o, "hop", json_object_new_int(r->hop));
    json_object_object_add(o, "backend", json_object_new_string(
                               r->backend ? r->backend : "sim"));
    json_object_object_add(o, "from", json_object_new_string(
                               r->from_host[0] ? r->from_host
                                               : pers_name[r->from]));
    json_object_object_add(o, "to", json_object_new_string(
                               r->to_host[0] ? r->to_host
                                             : pers_name[r->to]));
    json_object_object_add(o, "freeze", json_object_new_string(
                               r->freeze_str ? r->freeze_str :
                               r->by_signal ? "sigusr1" : "handoff-after"));
    json_object_object_add(o, "fault", json_object_new_string(
                               fault_name(r->fault)));
    json_object_object_add(o, "fault_aborted_cleanly",
                           json_object_new_boolean(r->fault_clean));
    json_object_object_add(o, "outcome", json_object_new_string(r->outcome));
    json_object_object_add(o, "t_s", json_object_new_double(r->t_ms / 1e3));
    json_object_object_add(o, "downtime_ms",
                           json_object_new_double(r->downtime_ms));
    for ( i = 0; i < 4; i++ )
        json_object_object_add(parts, part[i],
                               json_object_new_double(r->part_ms[i]));
    json_object_object_add(o, "downtime_parts_ms", parts);
    json_object_object_add(o, "record_bytes",
                           json_object_new_int64(r->bytes));
    json_object_object_add(o, "guest_rpcs", json_object_new_int64(r->rpcs));
    return o;
}

/* report.json: {"summary": the --json report, "migrations": [...]} */
int records_write_json(const char *path)
{
    json_object *o = json_object_new_object();
    json_object *a = json_object_new_array();
    size_t i;
    int rc;

    json_object_object_add(o, "summary", report_json());
    for ( i = 0; i < nr_recs; i++ )
        json_object_array_add(a, record_json(recs[i]));
    json_object_object_add(o, "migrations", a);
    rc = json_object_to_file_ext(path, o, JSON_C_TO_STRING_PRETTY);
    json_object_put(o);
    if ( rc )
        fprintf(stderr, "vmport-stress: --report: cannot write %s\n", path);
    return rc ? -1 : 0;
}
