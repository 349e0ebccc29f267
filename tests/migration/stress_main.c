/*
 * vmport-stress: start guests under simulated Intel and AMD hosts, migrate
 * them between host processes with real state streams and injected
 * faults, and print a soak report.  See docs/migrate-stress.md.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

#define MAX_GUESTS 16

struct stress_opts opts = {
    .guests = 3, .parallel = 1, .guest_id = 1, .seconds = 20,
    .migrations = 0, .channels = 4,
    .convert_pct = 20, .fault_pct = 30, .only_fault = -1, .filter = true,
    .verify = true, .out_max_kb = 4096,
};
struct stress_stats stats;
volatile sig_atomic_t stress_stop_signal;
static struct guest *all_guests;

/*
 * SIGINT, SIGTERM: the run stops after the migration in flight, every host
 * and guest it started is killed (stop_everything()) and the report so far
 * printed.  A second one (an impatient ^C, a timeout's second kill) does
 * not wait: hosts and guests are in process groups of their own
 * (spawn_host()), which a terminal's ^C or a kill of this driver would not
 * reach, so they are taken down first, and the driver dies of the signal.
 */
static void on_stop(int sig)
{
    unsigned int i;

    if ( !stress_stop_signal )
    {
        stress_stop_signal = sig;
        return;
    }
    for ( i = 0; all_guests && i < opts.guests; i++ )
    {
        if ( all_guests[i].host > 0 )
            kill(-all_guests[i].host, SIGKILL);
        if ( all_guests[i].pgid > 0 )
            kill(-all_guests[i].pgid, SIGKILL);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: vmport-stress [options]\n"
"  --guests N        guests (default 3); guest 1 runs vmware-rpctool, the\n"
"                    others guest_channels (up to %d)\n"
"  --seconds N       stop migrating after N seconds (default 20)\n"
"  --migrations N    stop after N migrations (default: no limit)\n"
"  --channels N      channels each guest_channels keeps open (default 4)\n"
"  --fault-pct P     %% of migrations with a fault injected (default 30)\n"
"  --fault N         inject only fault point N (1..%d)\n"
"  --convert-pct P   %% of streams converted to record version 1 (20)\n"
"  --no-filter, --no-verify   skip vmport-state filter / verify\n"
"  --seed N          random seed (default: time)\n"
"  --bin DIR         where vmport-host and vmport-state are (build/bin)\n"
"  --guest PATH      the guest_channels program\n"
"  --workdir DIR     keep the streams and logs there (default: a\n"
"                    temporary directory in /dev/shm, or /tmp if that has\n"
"                    no room, removed when all passed)\n"
"  --guest-out-max-kb N  a guest's transcript is read as the run goes and\n"
"                    emptied past N KiB (0..1048576, default 4096)\n"
"  --min-free-mb N   the work directory's filesystem must have N MiB free\n"
"                    to start (default: what the run may write, plus 64)\n"
"  --json            the report as JSON\n"
"  --quiet           no progress line\n"
"  --parallel N      up to N guests migrate at once (1..%d, at most\n"
"                    --guests; default 1)\n"
"  --clock-skew      skew each personality's host clocks (0..3 s)\n"
"  --backend sim|xl  simulated hosts (default), or real Xen hosts with xl:\n"
"  --hosts FILE      xl: 'NAME TARGET' lines (localhost or ssh target)\n"
"  --domain NAME     xl: the vmport domain, running on the first host\n"
"  --guest-id N      xl: the guest_channels ID inside it (default 1)\n"
"  --xl PATH         xl: the xl to run (default xl)\n"
"  --report DIR      write DIR/report.json (every migration) and\n"
"                    DIR/report.html (summary and gnuplot charts)\n"
"  --require-coverage  also fail unless every fault point, both freeze\n"
"                    modes, a refused and a checkpointed version 1\n"
"                    conversion and a guest CPT retry were seen; the run\n"
"                    goes on past --seconds until they were, at most\n"
"                    until --max-seconds (default 3 x --seconds)\n"
"  --max-seconds N   that hard stop, 0..86400 (0: 3 x --seconds)\n"
"  -h, --help, --version\n"
"SIGINT or SIGTERM stops every host and guest it started after the\n"
"migration in flight and prints the report so far (exit 128 + the\n"
"signal); a second one kills them at once.\n"
"Exit: 0 if no verification failure, no lost guest, no host error, every\n"
"TCLO command taken once, no host memory leaked or differing, and every\n"
"injected fault aborted cleanly; 1 otherwise (the reasons on stdout); 2\n"
"usage.\n",
            MAX_GUESTS, FI_NR - 1, MAX_PARALLEL);
}

/* The value of numeric option @opt: a number in min..max, or a message
 * naming the option and the value. */
static int num(const char *opt, const char *arg, unsigned long min,
               unsigned long max, unsigned int *out)
{
    unsigned long v;
    char *end;

    errno = 0;
    v = strtoul(arg, &end, 0);
    if ( !(arg[0] >= '0' && arg[0] <= '9') || *end || errno || v < min ||
         v > max )
    {
        fprintf(stderr, "vmport-stress: %s: '%s' is not a number in "
                "%lu..%lu\n", opt, arg, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

/* @opt's @path (or @path/@name) must be an executable file: 0, or -1 said. */
static int need_exec(const char *opt, const char *path, const char *name)
{
    char buf[PATH_MAX];
    struct stat st;

    snprintf(buf, sizeof(buf), "%s%s%s", path, name ? "/" : "",
             name ? name : "");
    errno = 0;
    if ( stat(buf, &st) || !S_ISREG(st.st_mode) ||
         access(buf, X_OK) )
    {
        if ( name )
            fprintf(stderr, "vmport-stress: %s: no %s in '%s' (%s: %s)\n",
                    opt, name, path, buf,
                    errno ? strerror(errno) : "not an executable file");
        else
            fprintf(stderr, "vmport-stress: %s: '%s': %s\n", opt, buf,
                    errno ? strerror(errno) : "not an executable file");
        return -1;
    }
    return 0;
}
static int parse(int argc, char **argv)
{
    static const struct option lo[] = {
        { "guests", 1, NULL, 'g' }, { "seconds", 1, NULL, 's' },
        { "migrations", 1, NULL, 'm' }, { "channels", 1, NULL, 'c' },
        { "fault-pct", 1, NULL, 'f' }, { "fault", 1, NULL, 'F' },
        { "convert-pct", 1, NULL, 'v' }, { "no-filter", 0, NULL, 'n' },
        { "no-verify", 0, NULL, 'N' }, { "seed", 1, NULL, 'S' },
        { "bin", 1, NULL, 'b' }, { "guest", 1, NULL, 'G' },
        { "workdir", 1, NULL, 'w' }, { "json", 0, NULL, 'j' },
        { "quiet", 0, NULL, 'q' }, { "help", 0, NULL, 'h' },
        { "require-coverage", 0, NULL, 'r' },
        { "max-seconds", 1, NULL, 'M' }, { "version", 0, NULL, 'V' },
        { "parallel", 1, NULL, 'P' }, { "report", 1, NULL, 'R' },
        { "backend", 1, NULL, 'B' }, { "hosts", 1, NULL, 'H' },
        { "domain", 1, NULL, 'D' }, { "guest-id", 1, NULL, 'I' },
        { "xl", 1, NULL, 'X' }, { "clock-skew", 0, NULL, 'K' },
        { "guest-out-max-kb", 1, NULL, 'O' }, { "min-free-mb", 1, NULL, 'W' },
        { NULL, 0, NULL, 0 },
    };
    unsigned int fault;
    int c, rc = 0;

    opts.seed = time(NULL) ^ getpid();
    opterr = 0;
    while ( !rc && (c = getopt_long(argc, argv, "h", lo, NULL)) != -1 )
    {
        switch ( c )
        {
        case 'g':
            rc = num("--guests", optarg, 1, MAX_GUESTS, &opts.guests);
            break;
        case 's':
            rc = num("--seconds", optarg, 0, 86400, &opts.seconds);
            break;
        case 'm':
            rc = num("--migrations", optarg, 0, UINT_MAX, &opts.migrations);
            break;
        case 'c': rc = num("--channels", optarg, 1, 8, &opts.channels); break;
        case 'f': rc = num("--fault-pct", optarg, 0, 100, &opts.fault_pct); break;
        case 'F':
            rc = num("--fault", optarg, 1, FI_NR - 1, &fault);
            opts.only_fault = fault;
            break;
        case 'v':
            rc = num("--convert-pct", optarg, 0, 100, &opts.convert_pct);
            break;
        case 'n': opts.filter = false; break;
        case 'N': opts.verify = false; break;
        case 'S': rc = num("--seed", optarg, 0, UINT_MAX, &opts.seed); break;
        case 'b': opts.bin = optarg; break;
        case 'G': opts.guest_bin = optarg; break;
        case 'w': opts.workdir = optarg; break;
        case 'j': opts.json = true; break;
        case 'q': opts.quiet = true; break;
        case 'r': opts.require_coverage = true; break;
        case 'M':
            rc = num("--max-seconds", optarg, 0, 86400, &opts.max_seconds);
            break;
        case 'P':
            rc = num("--parallel", optarg, 1, MAX_PARALLEL, &opts.parallel);
            break;
        case 'R': opts.report_dir = optarg; break;
        case 'B':
            if ( strcmp(optarg, "sim") && strcmp(optarg, "xl") )
            {
                fprintf(stderr, "vmport-stress: --backend: '%s' is not "
                        "sim or xl\n", optarg);
                rc = -1;
                break;
            }
            opts.backend_xl = !strcmp(optarg, "xl");
            break;
        case 'H': opts.hosts_file = optarg; break;
        case 'D': opts.domain = optarg; break;
        case 'I':
            rc = num("--guest-id", optarg, 0, UINT_MAX, &opts.guest_id);
            break;
        case 'X': opts.xl_bin = optarg; break;
        case 'K': opts.clock_skew = true; break;
        case 'O':
            rc = num("--guest-out-max-kb", optarg, 0, 1048576,
                     &opts.out_max_kb);
            break;
        case 'W':
            rc = num("--min-free-mb", optarg, 0, UINT_MAX, &opts.min_free_mb);
            break;
        case 'h': usage(stdout); exit(0);
        case 'V':
            printf("vmport-stress (xen-vmport) %s\n", XEN_VMPORT_VERSION);
            exit(0);
        default:
            if ( optopt && argv[optind - 1][1] == '-' )
                fprintf(stderr, "vmport-stress: option '%s' needs a "
                        "value\n", argv[optind - 1]);
            else
                fprintf(stderr, "vmport-stress: unknown option '%s'\n",
                        argv[optind - 1]);
            return -1;
        }
    }
    if ( rc )
        return -1;
    if ( optind != argc )
    {
        fprintf(stderr, "vmport-stress: unexpected '%s'\n", argv[optind]);
        return -1;
    }
    if ( !opts.seconds && !opts.migrations )
    {
        fprintf(stderr, "vmport-stress: --seconds 0 needs --migrations N\n");
        return -1;
    }
    if ( opts.parallel > opts.guests )
    {
        fprintf(stderr, "vmport-stress: --parallel: '%u' is more than the "
                "%u guests\n", opts.parallel, opts.guests);
        return -1;
    }
    if ( !opts.bin )
        opts.bin = "build/bin";
    if ( !opts.guest_bin )
        opts.guest_bin = "build/tests/migration/guest_channels";
    /* What the run will execute, checked before anything starts. */
    if ( need_exec("--bin", opts.bin, "vmport-state") ||
         (!opts.backend_xl &&
          (need_exec("--bin", opts.bin, "vmport-host") ||
           need_exec("--guest", opts.guest_bin, NULL))) )
        return -1;
    return 0;
}

static bool all_faults_clean(void)
{
    unsigned int i;

    for ( i = 1; i < FI_NR; i++ )
        if ( stats.fault_clean[i] != stats.fault_injected[i] )
            return false;
    return true;
}

/* Did the run reach every point it is meant to exercise? */
static bool covered(bool say)
{
    bool ok = true;
    unsigned int i;

    for ( i = 1; i < FI_NR; i++ )
        if ( opts.only_fault < 0 && !stats.fault_injected[i] )
        {
            if ( say )
                fprintf(stderr, "vmport-stress: coverage: expected fault %u "
                        "(%s) injected, seen none\n", i, fault_name(i));
            ok = false;
        }
    if ( !stats.by_mode[0] || !stats.by_mode[1] )
    {
        if ( say )
            fprintf(stderr, "vmport-stress: coverage: expected freezes by "
                    "--handoff-after and by SIGUSR1, seen %lu and %lu\n",
                    stats.by_mode[0], stats.by_mode[1]);
        ok = false;
    }
    if ( !stats.converted_refuse || !stats.converted_cpt ||
         !stats.guest_cpt )
    {
        if ( say )
            fprintf(stderr, "vmport-stress: coverage: expected a refused "
                    "and a checkpointed conversion and a CPT retry, seen "
                    "%lu, %lu, %lu\n", stats.converted_refuse,
                    stats.converted_cpt, stats.guest_cpt);
        ok = false;
    }
    return ok;
}

static void progress(double t0, bool last)
{
    unsigned long ab = stats.attempted - stats.succeeded;

    static double printed;
    bool tty = isatty(STDERR_FILENO);

    /* On a terminal one line redrawn; elsewhere a line every 5 s. */
    if ( opts.quiet || (!tty && !last && now_ms() - printed < 5000) )
        return;
    printed = now_ms();
    fprintf(stderr, "%svmport-stress: %5.1fs  migrations %lu ok %lu "
            "aborted %lu  lost %lu%s", tty ? "\r" : "",
            (now_ms() - t0) / 1e3, stats.attempted, stats.succeeded, ab,
            stats.lost_guests, last || !tty ? "\n" : "");
}

/*
 * A guest whose host already handed it off (--handoff-after) waits frozen
 * for this driver: serve it before @i to keep its downtime short.
 */
static unsigned int next_frozen(struct guest *gs, unsigned int i)
{
    unsigned int k;

    for ( k = 0; k < opts.guests; k++ )
    {
        siginfo_t si = { 0 };

        if ( !gs[k].done && gs[k].host > 0 &&
             !waitid(P_PID, gs[k].host, &si, WEXITED | WNOHANG | WNOWAIT) &&
             si.si_pid == gs[k].host )
            return k;
    }
    return i;
}

/* Kill @pid and every process under it (the rpctool guest's shell runs
 * vmware-rpctool as its children), children first. */
static void kill_tree(pid_t pid, unsigned int depth)
{
    char path[96];
    FILE *f;
    int child;

    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
             (int)pid);
    f = depth < 8 ? fopen(path, "re") : NULL;
    if ( f )
    {
        while ( fscanf(f, "%d", &child) == 1 )
            kill_tree(child, depth + 1);
        fclose(f);
    }
    kill(pid, SIGKILL);
}

/*
 * SIGINT/SIGTERM: every host this driver started (its children) and every
 * guest (a host's child, or frozen between hosts) is killed and reaped.
 * Hosts and guests are in process groups of their own (spawn_host()), so
 * a terminal's ^C or a kill of this driver does not reach them.
 */
static void stop_everything(struct guest *gs)
{
    unsigned int i;
    int rc;

    for ( i = 0; i < opts.guests; i++ )
    {
        /* The guest first: with its host gone it would be reparented. */
        if ( gs[i].pid > 0 && !gs[i].done )
            kill_tree(gs[i].pid, 0);
        if ( gs[i].pgid > 0 )
            kill(-gs[i].pgid, SIGKILL);
        if ( gs[i].host > 0 )
        {
            kill(-gs[i].host, SIGKILL);
            kill(gs[i].host, SIGKILL);
            wait_host(gs[i].host, 5000, &rc);
        }
    }
    /* Guests parked between hosts are ours to reap (the subreaper). */
    for ( i = 0; i < opts.guests; i++ )
        if ( gs[i].pid > 0 )
            waitpid(gs[i].pid, NULL, WNOHANG);
    while ( waitpid(-1, NULL, WNOHANG) > 0 )
        ;
}

static double t0, end_ms, hard_end_ms, last_progress;
static struct guest *run_guests;
static const char *run_dir;

/*
 * Has the run reached its time or migration count, or was it stopped
 * (SIGINT/SIGTERM)?  Which interleavings a time-bounded run reaches
 * depends on the machine's speed, so a run that must cover every point
 * goes on until it has, within a hard limit: the check then fails only
 * when a point stays unreachable, not when a slow machine is unlucky.
 * Prints the progress line now and then.
 */
static bool time_to_stop(void)
{
    struct guest *all = run_guests;
    unsigned int i;

    if ( stress_stop_signal || workdir_low(run_dir) )
        return true;
    /* Nothing left to migrate: every guest ended or was lost. */
    for ( i = 0; all && i < opts.guests && all[i].done; i++ )
        ;
    if ( all && i == opts.guests )
        return true;
    if ( now_ms() - last_progress > 250 )
    {
        progress(t0, false);
        last_progress = now_ms();
    }
    return (opts.seconds && now_ms() >= end_ms &&
            (!opts.require_coverage || covered(false) ||
             now_ms() >= hard_end_ms)) ||
           (opts.migrations && stats.attempted >= opts.migrations);
}

/* How long guests told to stop may take to end on their hosts. */
#define ENDING_MS 120000

static int run(struct guest *gs, const char *dir)
{
    unsigned int i, live;
    double ending_ms;
    char stop[300];

    t0 = now_ms();
    run_guests = gs;
    run_dir = dir;
    end_ms = t0 + opts.seconds * 1e3;
    hard_end_ms = t0 + (opts.max_seconds ? opts.max_seconds
                                         : 3 * opts.seconds) * 1e3;
    for ( i = 0; i < opts.guests; i++ )
    {
        struct guest *g = &gs[i];

        g->idx = i + 1;
        g->kind = i == 0 && opts.guests > 1 ? GK_RPCTOOL : GK_CHANNELS;
        g->pers = rnd(2);
        snprintf(g->dir, sizeof(g->dir), "%s/g%u", dir, g->idx);
        if ( mkdir(g->dir, 0700) || start_guest(g) )
            return -1;
    }
    if ( opts.parallel > 1 )
        run_parallel(gs, opts.guests, opts.parallel, time_to_stop);
    /* Round-robin over the guests, every loop bounded by time or count. */
    for ( i = 0; opts.parallel == 1 && !time_to_stop();
          i = (i + 1) % opts.guests )
        if ( !gs[i].done )
            migrate_guest(&gs[next_frozen(gs, i)]);
    progress(t0, true);
    if ( stress_stop_signal )
    {
        stop_everything(gs);
        return 0;
    }
    /* Tell every guest to stop and let each end on its host. */
    stress_ending = true;
    for ( i = 0; i < opts.guests; i++ )
    {
        FILE *f;

        snprintf(stop, sizeof(stop), "%s/stop", gs[i].dir);
        /* A guest whose directory is gone (or a full disk) cannot be told:
         * say so; the loop below gives up on it after ENDING_MS. */
        f = fopen(stop, "we");
        if ( !f || fclose(f) )
            fprintf(stderr, "vmport-stress: guest %u: cannot create %s: %s\n",
                    i, stop, strerror(errno));
    }
    /* Each guest ends at its next look at the stop file: bounded anyway. */
    ending_ms = now_ms() + ENDING_MS;
    for ( live = 1; live && !stress_stop_signal && now_ms() < ending_ms; )
    {
        live = 0;
        for ( i = 0; i < opts.guests; i++ )
            if ( !gs[i].done )
            {
                migrate_guest(&gs[i]);
                live++;
            }
    }
    if ( live && !stress_stop_signal )
    {
        fprintf(stderr, "vmport-stress: %u guest(s) did not stop within %d s "
                "of being told to; stopped here and counted as lost\n",
                live, ENDING_MS / 1000);
        stats.lost_guests += live;
        stop_everything(gs);
        return 0;
    }
    if ( stress_stop_signal )
    {
        stop_everything(gs);
        return 0;
    }
    for ( i = 0; i < opts.guests; i++ )
    {
        /* Its first process, ours to reap since its spawning host left. */
        waitpid(gs[i].pid, NULL, WNOHANG);
        out_finish(&gs[i]);
    }
    return 0;
}

static bool dir_empty(const char *path)
{
    struct dirent *e;
    bool empty = true;
    DIR *d = opendir(path);

    if ( !d )
        return false;
    while ( empty && (e = readdir(d)) )
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

/* A failed run says why on stdout, beside its report. */
static void print_failure(int rc, const char *dir)
{
    unsigned int i;

    printf("vmport-stress: FAILED (seed %u):", opts.seed);
    if ( rc )
        printf(" a guest could not be started (see %s/g*/);", dir);
    if ( stats.verify_failures )
        printf(" %lu guest verification failures;", stats.verify_failures);
    if ( stats.lost_guests )
        printf(" %lu guests lost;", stats.lost_guests);
    if ( stats.host_errors )
        printf(" %lu host errors;", stats.host_errors);
    for ( i = 1; i < FI_NR; i++ )
        if ( stats.fault_clean[i] != stats.fault_injected[i] )
            printf(" fault %u (%s): %lu of %lu injected aborted cleanly;", i,
                   fault_name(i), stats.fault_clean[i],
                   stats.fault_injected[i]);
    if ( stats.low_space )
        printf(" stopped early: the work directory's filesystem ran low "
               "(stderr says how low);");
    if ( stats.tclo_mismatch )
        printf(" %lu guests took other than every TCLO command once;",
               stats.tclo_mismatch);
    if ( stats.mem_leaks || stats.mem_differ )
        printf(" host memory: %lu hosts leaked, %lu adoptions held other "
               "than their source;", stats.mem_leaks, stats.mem_differ);
    if ( opts.require_coverage && !covered(false) )
        printf(" --require-coverage: not every point was reached (stderr "
               "names them);");
    printf(" logs in %s\n", dir);
}

/* --report DIR: report.json and report.html. */
static int write_report(const char *dir)
{
    char path[400];

    if ( mkdir(dir, 0755) && errno != EEXIST )
    {
        fprintf(stderr, "vmport-stress: --report %s: %s\n", dir,
                strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/report.json", dir);
    if ( records_write_json(path) || report_html_write(dir) )
        return -1;
    fprintf(stderr, "vmport-stress: report written: %s/report.html "
            "(every migration in %s)\n", dir, path);
    return 0;
}

int main(int argc, char **argv)
{
    static struct guest gs[MAX_GUESTS];
    char tmpl[64], *dir;
    bool ok, made;
    int rc;

    struct sigaction stop = { .sa_handler = on_stop };

    if ( parse(argc, argv) )
    {
        fprintf(stderr, "vmport-stress: try --help\n");
        return 2;
    }
    srandom(opts.seed);
    /* Parked guests outlive the host that spawned them: see spawn_host(). */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    all_guests = gs;
    sigaction(SIGINT, &stop, NULL);     /* no SA_RESTART: wake the waits */
    sigaction(SIGTERM, &stop, NULL);
    /*
     * Streams are scratch data: on tmpfs a host's fsync costs nothing, so
     * the migrations measured are not the disk's writeback queue.
     */
    snprintf(tmpl, sizeof(tmpl), "%s/vmport-stress.XXXXXX",
             !access("/dev/shm", W_OK) && workdir_room("/dev/shm", false) ?
             "/dev/shm" : "/tmp");
    signal(SIGPIPE, SIG_IGN);
    made = !opts.workdir || !mkdir(opts.workdir, 0700);
    dir = opts.workdir ? (char *)opts.workdir : mkdtemp(tmpl);
    if ( !dir || (opts.workdir && !made && errno != EEXIST) )
    {
        fprintf(stderr, "vmport-stress: work directory %s: %s\n",
                dir ? dir : tmpl, strerror(errno));
        return 1;
    }
    if ( opts.workdir && !dir_empty(dir) )
    {
        fprintf(stderr, "vmport-stress: --workdir %s is not empty (a "
                "previous run's guests and streams?); give a new or empty "
                "directory\n", dir);
        return 2;
    }
    /* On tmpfs every byte is memory: the run must fit, with room left. */
    if ( !workdir_room(dir, true) )
    {
        if ( made )
            rmdir(dir);
        return 1;
    }
    if ( !opts.quiet )
        fprintf(stderr, "vmport-stress: seed %u, %u guests, work dir %s\n",
                opts.seed, opts.guests, dir);
    run_ms();
    stress_lock();      /* held by this thread except in --parallel */
    rc = opts.backend_xl ? run_xl(dir) : run(gs, dir);
    report_print();
    if ( opts.report_dir && write_report(opts.report_dir) )
        rc = -1;
    if ( stress_stop_signal )
    {
        printf("vmport-stress: interrupted by %s (seed %u): every host and "
               "guest it started was stopped; logs in %s\n",
               strsignal(stress_stop_signal), opts.seed, dir);
        return 128 + stress_stop_signal;
    }
    ok = !rc && !stats.verify_failures && !stats.lost_guests &&
         !stats.host_errors && !stats.low_space && !stats.tclo_mismatch &&
         !stats.mem_leaks && !stats.mem_differ && all_faults_clean() &&
         (!opts.require_coverage || covered(true));
    if ( ok && !opts.workdir )
    {
        char *argv_rm[] = { "/bin/rm", "-rf", dir, NULL };

        run_tool(argv_rm, NULL, NULL, 30000);
    }
    else if ( !ok )
        print_failure(rc, dir);
    return ok ? 0 : 1;
}
