/*
 * stress_html.c: report.html, a self-contained page a person opens in a
 * browser: the summary table and five charts, each drawn by gnuplot's SVG
 * terminal and inlined (no script, no external file).
 *
 * For every chart this writes DIR/charts/NAME.dat (the data) and
 * NAME.gp (the gnuplot script), runs gnuplot, and copies NAME.svg into
 * the page without its XML prologue.  A chart gnuplot could not draw is
 * an error: the page is not written.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stress.h"

#define GNUPLOT "/usr/bin/gnuplot"
#define GNUPLOT_MS 60000
#define TERMINAL "set terminal svg size 860,340 dynamic font 'sans,11'\n"

struct chart {
    const char *name, *title;
    /* Writes the data file; returns how many points it holds. */
    size_t (*data)(FILE *f);
    const char *script;     /* after the terminal/output/data lines */
};

static const char *const outcome_names[] = {
    "migrated", "verify", "refused-v1", "destination-rejected",
    "destination-killed", "source-stalled",
};
#define NR_OUTCOMES (sizeof(outcome_names) / sizeof(outcome_names[0]))

static size_t data_downtime(FILE *f)
{
    size_t nr, i, n = 0;
    struct mig_record *const *r = records(&nr);

    for ( i = 0; i < nr; i++ )
        if ( !strcmp(r[i]->outcome, "migrated") && r[i]->downtime_ms > 0 )
        {
            fprintf(f, "%.3f %.3f %u\n", r[i]->t_ms / 1e3, r[i]->downtime_ms,
                    r[i]->guest);
            n++;
        }
    return n;
}

static size_t data_size(FILE *f)
{
    size_t nr, i;
    struct mig_record *const *r = records(&nr);

    for ( i = 0; i < nr; i++ )
        fprintf(f, "%zu %lu\n", i + 1, r[i]->bytes);
    return nr;
}

/* One row per fault point, one column per outcome. */
static size_t data_outcomes(FILE *f)
{
    size_t nr, i;
    struct mig_record *const *r = records(&nr);
    unsigned long n[FI_NR][NR_OUTCOMES] = { { 0 } };
    unsigned int fi, o;

    for ( i = 0; i < nr; i++ )
        for ( o = 0; o < NR_OUTCOMES; o++ )
            if ( !strcmp(r[i]->outcome, outcome_names[o]) && r[i]->fault < FI_NR )
                n[r[i]->fault][o]++;
    fprintf(f, "fault");
    for ( o = 0; o < NR_OUTCOMES; o++ )
        fprintf(f, " %s", outcome_names[o]);
    fputc('\n', f);
    for ( fi = 0; fi < FI_NR; fi++ )
    {
        fprintf(f, "%u:%s", fi, fault_name(fi));
        for ( o = 0; o < NR_OUTCOMES; o++ )
            fprintf(f, " %lu", n[fi][o]);
        fputc('\n', f);
    }
    return nr;
}

/* Guest, time, outcome (0 migrated, 1 aborted) for every hop. */
static size_t data_timeline(FILE *f)
{
    size_t nr, i;
    struct mig_record *const *r = records(&nr);

    for ( i = 0; i < nr; i++ )
        fprintf(f, "%.3f %u %d\n", r[i]->t_ms / 1e3, r[i]->guest,
                strcmp(r[i]->outcome, "migrated") ? 1 : 0);
    return nr;
}

static const struct chart charts[] = {
    { "downtime-distribution", "Downtime distribution (migrated hops)",
      data_downtime,
      "set xlabel 'downtime (ms, log scale)'\nset ylabel 'migrations'\n"
      "set logscale x\nset style fill solid 0.6\n"
      "bin(x) = 10 ** (floor(log10(x) * 10) / 10.0)\n"
      "plot DATA using (bin($2)):(1) smooth frequency with boxes "
      "lc rgb '#3465a4' title 'migrations per bin'\n" },
    { "downtime-over-time", "Downtime over the run", data_downtime,
      "set xlabel 'time since start (s)'\nset ylabel 'downtime (ms)'\n"
      "set logscale y\n"
      "plot DATA using 1:2:3 with points pt 7 ps 0.5 lc variable "
      "title 'migration (colour: guest)'\n" },
    { "record-size", "State stream size per migration", data_size,
      "set xlabel 'migration'\nset ylabel 'bytes'\n"
      "plot DATA using 1:2 with impulses lc rgb '#73d216' "
      "title 'stream bytes'\n" },
    { "outcomes-by-fault", "Outcomes by fault point", data_outcomes,
      "set style data histograms\nset style histogram rowstacked\n"
      "set style fill solid 0.8 border -1\nset boxwidth 0.6\n"
      "set ylabel 'migrations'\nset key outside right\n"
      "set xtics rotate by -20\n"
      "plot for [c=2:6] DATA using c:xtic(1) title columnheader(c)\n" },
    { "hop-timeline", "Hops per guest over time", data_timeline,
      "set xlabel 'time since start (s)'\nset ylabel 'guest'\n"
      "set ytics 1\nset yrange [0.5:*]\n"
      "plot DATA using 1:($3 == 0 ? $2 : 1/0) with points pt 7 ps 0.6 "
      "lc rgb '#4e9a06' title 'migrated', "
      "DATA using 1:($3 == 1 ? $2 : 1/0) with points pt 2 ps 0.8 "
      "lc rgb '#cc0000' title 'aborted (guest back on its source)'\n" },
};

/* Copy @svg into @out from its <svg element on (no XML prologue). */
static int inline_svg(FILE *out, const char *svg)
{
    FILE *f = fopen(svg, "re");
    char line[4096];
    bool in = false;
    size_t n = 0;

    if ( !f )
        return -1;
    while ( fgets(line, sizeof(line), f) )
    {
        if ( !in && strstr(line, "<svg") )
            in = true;
        if ( in )
        {
            fputs(line, out);
            n++;
        }
    }
    fclose(f);
    return n ? 0 : -1;
}

static int draw(const char *dir, const struct chart *c, FILE *html)
{
    char dat[400], gp[400], svg[400];
    char *argv[] = { GNUPLOT, gp, NULL };
    size_t points;
    FILE *f;

    snprintf(dat, sizeof(dat), "%s/charts/%s.dat", dir, c->name);
    snprintf(gp, sizeof(gp), "%s/charts/%s.gp", dir, c->name);
    snprintf(svg, sizeof(svg), "%s/charts/%s.svg", dir, c->name);
    f = fopen(dat, "we");
    if ( !f )
        return -1;
    points = c->data(f);
    if ( fclose(f) )
        return -1;
    f = fopen(gp, "we");
    if ( !f )
        return -1;
    fprintf(f, TERMINAL "set output '%s'\nDATA = '%s'\nset title '%s'\n"
            "set grid\n", svg, dat, c->title);
    if ( points )
        fputs(c->script, f);
    else
        fputs("set label 1 'no data in this run' at graph 0.5, graph 0.5 "
              "center\nset xrange [0:1]\nset yrange [0:1]\n"
              "plot 1/0 notitle\n", f);
    if ( fclose(f) )
        return -1;
    if ( run_tool(argv, NULL, NULL, GNUPLOT_MS) )
    {
        fprintf(stderr, "vmport-stress: --report: gnuplot failed on %s\n",
                gp);
        return -1;
    }
    fprintf(html, "<figure class=\"chart\" id=\"chart-%s\">\n", c->name);
    if ( inline_svg(html, svg) )
    {
        fprintf(stderr, "vmport-stress: --report: no SVG in %s\n", svg);
        return -1;
    }
    fprintf(html, "<figcaption>%s (%zu points; data and gnuplot script: "
            "charts/%s.dat, .gp)</figcaption>\n</figure>\n", c->title,
            points, c->name);
    return 0;
}

static void row(FILE *f, const char *k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row(FILE *f, const char *k, const char *fmt, ...)
{
    va_list ap;

    fprintf(f, "<tr><th>%s</th><td>", k);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputs("</td></tr>\n", f);
}

static void summary(FILE *f)
{
    unsigned long ab = stats.attempted - stats.succeeded;
    unsigned int i;

    fputs("<table id=\"summary\">\n", f);
    row(f, "backend", "sim (vmport-host processes, Intel and AMD)");
    row(f, "seed", "%u", opts.seed);
    row(f, "guests", "%u (parallel %u)", opts.guests, opts.parallel);
    row(f, "migrations", "%lu attempted, %lu migrated, %lu aborted",
        stats.attempted, stats.succeeded, ab);
    row(f, "rate", "%.2f migrations/s over %.1f s",
        stats.attempted / (run_ms() / 1e3), run_ms() / 1e3);
    row(f, "downtime (ms)", "min %.2f, median %.2f, p90 %.2f, p99 %.2f, "
        "max %.2f over %zu", downtime_pct(0), downtime_pct(50),
        downtime_pct(90), downtime_pct(99), downtime_pct(100),
        stats.nr_downtime);
    for ( i = 1; i < FI_NR; i++ )
    {
        char k[64];

        snprintf(k, sizeof(k), "fault %u %s", i, fault_name(i));
        row(f, k, "%lu injected, %lu aborted cleanly",
            stats.fault_injected[i], stats.fault_clean[i]);
    }
    row(f, "RPCs checked", "%lu", stats.rpcs);
    row(f, "verification failures", "%lu", stats.verify_failures);
    row(f, "guests lost", "%lu", stats.lost_guests);
    row(f, "host errors", "%lu", stats.host_errors);
    if ( !opts.backend_xl )
    {
        row(f, "TCLO commands", "%lu queued = %lu taken once + %lu still "
            "queued + %lu timed out unfetched (%lu guests did not add up)",
            stats.tclo_queued, stats.tclo_taken, stats.tclo_pending,
            stats.tclo_expired, stats.tclo_mismatch);
        row(f, "host memory", "%lu hosts ended holding nothing, %lu "
            "leaked; %lu adoptions held what their source held, %lu did "
            "not", stats.mem_hosts - stats.mem_leaks, stats.mem_leaks,
            stats.mem_pairs - stats.mem_differ, stats.mem_differ);
    }
    fputs("</table>\n", f);
}

int report_html_write(const char *dir)
{
    char path[400], tmp[420];
    unsigned int i;
    FILE *f;

    snprintf(path, sizeof(path), "%s/charts", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/report.html", dir);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "we");
    if ( !f )
        return -1;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
            "<meta charset=\"utf-8\">\n<title>vmport-stress report, seed "
            "%u</title>\n<style>\nbody { font-family: sans-serif; "
            "margin: 2em; }\ntable { border-collapse: collapse; }\n"
            "th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; "
            "text-align: left; }\nfigure { margin: 1.5em 0; }\n"
            "figcaption { color: #555; }\n</style>\n</head>\n<body>\n"
            "<h1>vmport-stress report</h1>\n<p>Every migration is in "
            "report.json beside this page.</p>\n", opts.seed);
    summary(f);
    for ( i = 0; i < sizeof(charts) / sizeof(charts[0]); i++ )
        if ( draw(dir, &charts[i], f) )
        {
            fclose(f);
            unlink(tmp);
            return -1;
        }
    fputs("</body>\n</html>\n", f);
    if ( fclose(f) || rename(tmp, path) )
        return -1;
    return 0;
}
