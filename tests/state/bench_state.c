/*
 * bench_state: vmport-state on a generated 4 GiB HVM save image (a sparse
 * file) against reading it whole and copying it, in the same run, as
 * ratios; peak RSS from wait4()'s rusage, at 1 GiB and 4 GiB, to show
 * that memory does not grow with the guest.
 *
 *   bench_state VMPORT-STATE WORKDIR
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 5

struct result {
    double secs;        /* median wall time */
    double cpu;         /* median user + system time */
    long rss_kib;       /* largest peak RSS of the runs */
};

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Run argv with stdout to /dev/null; wall time and peak RSS. */
static int run_once(char *const argv[], double *secs, double *cpu,
                    long *rss)
{
    struct rusage ru;
    double t0 = now();
    int status;
    pid_t pid = fork();

    if ( pid == 0 )
    {
        int fd = open("/dev/null", O_WRONLY);

        dup2(fd, STDOUT_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    if ( pid < 0 || wait4(pid, &status, 0, &ru) != pid )
        return -1;
    *secs = now() - t0;
    *cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    *rss = ru.ru_maxrss;
    if ( !WIFEXITED(status) || WEXITSTATUS(status) )
    {
        fprintf(stderr, "bench_state: %s %s failed (status %#x)\n", argv[0],
                argv[1] ? argv[1] : "", status);
        return -1;
    }
    return 0;
}

static struct result measure(char *const argv[])
{
    double t[RUNS], c[RUNS];
    struct result r = { 0, 0, 0 };
    long rss;
    int i;

    for ( i = 0; i < RUNS; i++ )
    {
        if ( run_once(argv, &t[i], &c[i], &rss) )
            exit(1);
        if ( rss > r.rss_kib )
            r.rss_kib = rss;
    }
    qsort(t, RUNS, sizeof(t[0]), cmp_double);
    qsort(c, RUNS, sizeof(c[0]), cmp_double);
    r.secs = t[RUNS / 2];
    r.cpu = c[RUNS / 2] > 1e-4 ? c[RUNS / 2] : 1e-4;
    return r;
}

static void report(const char *what, const struct result *r,
                   const struct result *base, const char *goal)
{
    printf("  %-16s wall %8.4f s  cpu %8.4f s  RSS %6ld KiB", what, r->secs,
           r->cpu, r->rss_kib);
    if ( base )
        printf("  wall %6.1fx  cpu %7.1fx %s", base->secs / r->secs,
               base->cpu / r->cpu, goal);
    putchar('\n');
}

static void gen(const char *vs, const char *path, const char *mib)
{
    char *argv[] = { (char *)vs, "gen", "--kind", "xl", "--sparse",
                     "--vmport", "--vcpus", "4", "--mem-mib", (char *)mib,
                     (char *)path, NULL };
    double t, c;
    long rss;

    if ( run_once(argv, &t, &c, &rss) )
        exit(1);
}

int main(int argc, char **argv)
{
    char img[512], img1[512], copy[512], cmd_vs[512];
    struct result cat, rec, hvm, dump, set, cp, cps, rec1, nop;
    char cp_sync[1600];

    if ( argc != 3 )
    {
        fprintf(stderr, "usage: bench_state VMPORT-STATE WORKDIR\n");
        return 2;
    }
    snprintf(cmd_vs, sizeof(cmd_vs), "%s", argv[1]);
    snprintf(img, sizeof(img), "%s/guest-4g.xl", argv[2]);
    snprintf(img1, sizeof(img1), "%s/guest-1g.xl", argv[2]);
    snprintf(copy, sizeof(copy), "%s/guest-4g.cp", argv[2]);
    gen(cmd_vs, img, "4096");
    gen(cmd_vs, img1, "1024");

    {
        char *a_cat[] = { "/bin/cat", img, NULL };
        char *a_rec[] = { cmd_vs, "records", img, NULL };
        char *a_rec1[] = { cmd_vs, "records", img1, NULL };
        char *a_hvm[] = { cmd_vs, "hvmctx", img, NULL };
        char *a_dump[] = { cmd_vs, "dump", img, NULL };
        char *a_set[] = { cmd_vs, "guestinfo", "set", img, "zz-bench", "1",
                          NULL };
        char *a_cp[] = { "/bin/cp", img, copy, NULL };
        char *a_nop[] = { "/bin/true", NULL };
        char *a_cps[] = { "/bin/sh", "-c", cp_sync, NULL };

        nop = measure(a_nop);
        cat = measure(a_cat);
        rec = measure(a_rec);
        hvm = measure(a_hvm);
        dump = measure(a_dump);
        cp = measure(a_cp);
        snprintf(cp_sync, sizeof(cp_sync), "cp '%s' '%s' && sync '%s'", img,
                 copy, copy);
        cps = measure(a_cps);
        set = measure(a_set);
        rec1 = measure(a_rec1);
    }
    unlink(copy);

    printf("bench-state: 4 GiB sparse xl save image, median of %d runs "
           "(wall; cpu = user+sys, floor 0.1 ms)\n", RUNS);
    report("/bin/true", &nop, NULL, NULL);
    report("cat > /dev/null", &cat, NULL, NULL);
    report("records", &rec, &cat, "faster than cat (goal >= 100x)");
    report("hvmctx", &hvm, &cat, "faster than cat (goal >= 100x)");
    report("dump", &dump, &cat, "faster than cat (goal >= 100x)");
    report("cp", &cp, NULL, NULL);
    report("cp + sync", &cps, NULL, NULL);
    report("guestinfo set", &set, &cp, "faster than cp (goal >= 1x)");
    printf("  guestinfo set (it fsyncs) vs cp + sync: wall %.2fx, cpu "
           "%.2fx faster\n", cps.secs / set.secs, cps.cpu / set.cpu);
    report("records, 1 GiB", &rec1, NULL, NULL);
    printf("  records above the process-start floor (/bin/true): cpu "
           "%.1fx faster than cat\n", cat.cpu / (rec.cpu > nop.cpu ?
           rec.cpu - nop.cpu : 1e-4));
    printf("  peak RSS of records: %ld KiB at 1 GiB, %ld KiB at 4 GiB "
           "(ratio %.2f; goal: flat)\n", rec1.rss_kib, rec.rss_kib,
           (double)rec.rss_kib / rec1.rss_kib);
    return 0;
}
