/*
 * stress_out.c: what the run keeps in its work directory, and its bounds.
 *
 * The work directory is on tmpfs by default (/dev/shm), where every byte
 * is memory: a trace once grew to 16 GB there and the OOM killer took the
 * machine.  So everything the run writes has a bound:
 *
 *  - each host's --trace holds at most STRESS_TRACE_MAX bytes (vmport-host
 *    keeps the newest lines: FILE and FILE.old), and at most two hosts of
 *    a guest have one (the source until its migration ends, and the
 *    destination);
 *  - each guest's transcript (`out`) is read as the run goes (every line
 *    accounted once: FAIL lines, checked RPCs, the final line), and
 *    emptied when it passes --guest-out-max-kb, at a moment the guest is
 *    frozen between hosts (an unfinished last line is carried over);
 *  - host stderr files (`err.HOP`) are kept for the last KEEP_HOPS hops;
 *  - migrations.log stops at LOG_MAX bytes, saying so.
 *
 * Before the run, the work directory's filesystem must have room for all
 * of that plus a reserve (workdir_room()); during the run, a filesystem
 * that falls below the reserve (something else filling it) stops the run,
 * which then fails saying why (workdir_low()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "stress.h"

#define KEEP_HOPS       8
#define LOG_MAX         (8UL << 20)
/* Per guest beside its traces and transcript: streams, stderr files. */
#define GUEST_SLACK     (4ULL << 20)
/* What must stay free on the work directory's filesystem meanwhile. */
#define RESERVE         (64ULL << 20)

/* One line of a guest's transcript. */
static void out_line(struct guest *g, const char *line)
{
    unsigned long rpcs, cpt, fails;

    if ( !strncmp(line, "FAIL", 4) )
    {
        stats.verify_failures++;
        fprintf(stderr, "vmport-stress: guest %u: %s\n", g->idx, line);
    }
    else if ( !strncmp(line, "ok ", 3) )
    {
        g->out.ok_rpcs += 2;
        g->out.rpcs_so_far += 2;
    }
    else if ( !strncmp(line, "round ", 6) )
        g->out.rpcs_so_far += 2 * opts.channels;
    else if ( !strncmp(line, "rpctool: done", 13) )
        g->out.ended = true;
    else if ( sscanf(line, "channels: id=%*u channels=%*u rounds=%*u "
                     "rpcs=%lu cpt=%lu failures=%lu", &rpcs, &cpt,
                     &fails) == 3 )
    {
        const char *t = strstr(line, " tclo=");

        g->out.final_rpcs = rpcs;
        g->out.final_cpt = cpt;
        g->out.ended = true;
        if ( !t || sscanf(t, " tclo=%ld", &g->out.tclo_taken) != 1 )
            g->out.tclo_taken = -1;
    }
}

/*
 * Read what the guest wrote since the last call, every complete line
 * accounted once.  With @trim (only while the guest is frozen: nothing
 * writes the file then) a transcript past --guest-out-max-kb is emptied.
 */
void out_consume(struct guest *g, bool trim)
{
    char path[300], buf[65536];
    struct stat st;
    off_t left;
    int fd;

    snprintf(path, sizeof(path), "%s/out", g->dir);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if ( fd < 0 )
        return;
    if ( fstat(fd, &st) || st.st_size < g->out.off )
    {
        close(fd);
        return;
    }
    /* What is there now: a guest writing meanwhile is read next time. */
    for ( left = st.st_size - g->out.off; left > 0; )
    {
        ssize_t n = pread(fd, buf, left < (off_t)sizeof(buf) ? left
                                                         : (off_t)sizeof(buf),
                          g->out.off);
        ssize_t i;

        if ( n <= 0 )
            break;
        g->out.off += n;
        left -= n;
        for ( i = 0; i < n; i++ )
        {
            /* A line longer than the carry is taken in pieces. */
            if ( buf[i] != '\n' &&
                 g->out.carry_len < sizeof(g->out.carry) - 1 )
            {
                g->out.carry[g->out.carry_len++] = buf[i];
                continue;
            }
            g->out.carry[g->out.carry_len] = 0;
            out_line(g, g->out.carry);
            g->out.carry_len = 0;
            if ( buf[i] != '\n' )
                g->out.carry[g->out.carry_len++] = buf[i];
        }
    }
    if ( trim && g->out.off > (off_t)opts.out_max_kb * 1024 &&
         g->out.off == st.st_size && !ftruncate(fd, 0) )
    {
        g->out.trimmed += g->out.off;
        g->out.off = 0;
    }
    close(fd);
}

/* The end of the run: the rest of the transcript, and how it ended. */
void out_finish(struct guest *g)
{
    out_consume(g, false);
    if ( g->out.carry_len )
    {
        g->out.carry[g->out.carry_len] = 0;
        out_line(g, g->out.carry);
        g->out.carry_len = 0;
    }
    stats.rpcs += g->out.ok_rpcs + g->out.final_rpcs;
    stats.guest_cpt += g->out.final_cpt;
    if ( !g->out.ended || g->exit_rc )
    {
        fprintf(stderr, "vmport-stress: guest %u: expected a final line "
                "and exit 0, seen %s and exit %d\n", g->idx,
                g->out.ended ? "it" : "none", g->exit_rc);
        stats.verify_failures++;
    }
    inv_guest_end(g);
    if ( g->out.trimmed && !opts.quiet )
        fprintf(stderr, "vmport-stress: guest %u: %lu bytes of its "
                "transcript were read and dropped as the run went "
                "(--guest-out-max-kb %u)\n", g->idx, g->out.trimmed,
                opts.out_max_kb);
}

/* Host stderr files of hops long gone (successful ones) are not kept. */
void prune_hop_files(struct guest *g)
{
    char path[300];

    for ( ; g->pruned_hop + KEEP_HOPS < g->hop; g->pruned_hop++ )
    {
        snprintf(path, sizeof(path), "%s/err.%u", g->dir, g->pruned_hop);
        unlink(path);
    }
}

/* One line per successful migration in WORKDIR/migrations.log, bounded. */
void log_migration(const struct guest *g, const char *line)
{
    static unsigned long written;
    char path[300];
    FILE *f;
    int n;

    if ( written >= LOG_MAX )
        return;
    snprintf(path, sizeof(path), "%s/../migrations.log", g->dir);
    f = fopen(path, "ae");
    if ( !f )
        return;
    n = fprintf(f, "guest %u hop %u to %s: %s\n", g->idx, g->hop,
                pers_name[g->pers], line);
    written += n > 0 ? n : 0;
    if ( written >= LOG_MAX )
        fprintf(f, "(migrations.log stops at %lu bytes: every migration "
                "is in --report's report.json)\n", LOG_MAX);
    fclose(f);
}

/* Bytes free for us on @dir's filesystem, or -1 (said). */
static long long free_bytes(const char *dir)
{
    struct statvfs sv;

    if ( statvfs(dir, &sv) )
        return -1;
    return (long long)sv.f_bavail * sv.f_frsize;
}

/* What this run may write at most, with the reserve. */
unsigned long long workdir_need(void)
{
    return opts.guests * (2 * STRESS_TRACE_MAX +
                          (unsigned long long)opts.out_max_kb * 1024 +
                          GUEST_SLACK) + LOG_MAX + RESERVE;
}

/* Is there room for the run in @dir?  With @say, the message if not. */
bool workdir_room(const char *dir, bool say)
{
    long long free_ = free_bytes(dir);
    unsigned long long need = workdir_need();

    if ( opts.min_free_mb )
        need = (unsigned long long)opts.min_free_mb << 20;
    if ( free_ >= 0 && (unsigned long long)free_ >= need )
        return true;
    if ( say && free_ < 0 )
        fprintf(stderr, "vmport-stress: work directory %s: %s\n", dir,
                strerror(errno));
    else if ( say && opts.min_free_mb )
        fprintf(stderr, "vmport-stress: work directory %s: %lld MiB free, "
                "the run needs %u MiB (--min-free-mb)\n", dir, free_ >> 20,
                opts.min_free_mb);
    else if ( say )
        fprintf(stderr, "vmport-stress: work directory %s: %lld MiB free, "
                "the run needs %llu MiB (%u guests: traces of %llu MiB, "
                "transcripts of %u KiB, and %llu MiB kept free); give "
                "--workdir elsewhere, fewer --guests or a smaller "
                "--guest-out-max-kb\n", dir, free_ >> 20, need >> 20,
                opts.guests, 2 * STRESS_TRACE_MAX >> 20, opts.out_max_kb,
                RESERVE >> 20);
    return false;
}

/*
 * During the run: has something filled the work directory's filesystem
 * below the reserve?  Said once; the run then stops and fails.
 */
bool workdir_low(const char *dir)
{
    long long free_ = free_bytes(dir);

    if ( stats.low_space )
        return true;
    if ( free_ < 0 || (unsigned long long)free_ >= RESERVE )
        return false;
    fprintf(stderr, "vmport-stress: stopping: %s has %lld MiB free, below "
            "the %llu MiB this run keeps free\n", dir, free_ >> 20,
            RESERVE >> 20);
    stats.low_space = true;
    return true;
}
