/*
 * stress_xl.c: --backend xl, a vmport domain moved between real Xen hosts
 * with xl, checked after every hop through its guestinfo.
 *
 * The hosts come from a small file (--hosts FILE), one per line:
 *
 *     NAME TARGET        # TARGET: localhost, or an ssh destination
 *
 * The domain (--domain NAME) already runs on the first host, with the
 * project's guest program inside reporting its counters through guestinfo
 * (guest_channels with GUEST_CHANNELS_REPORT=1: the key
 * guestinfo.stress.ID.counters holds "rounds=R rpcs=C failures=F
 * crc=X").  Each hop, chosen with the seed:
 *   - live:  xl migrate DOMAIN TARGET
 *   - save:  xl save DOMAIN FILE, then xl restore FILE on the destination
 *            (the file copied over ssh when the hosts differ)
 * and, with --fault-pct, a hop may instead be made to fail:
 *   - FI 4 bad-record: xl save -c (the domain keeps running), the image's
 *     VMPORT record version set to 99, xl restore on the destination must
 *     refuse it;
 *   - FI 2 truncate: xl migrate through a pipe this driver cuts (the
 *     receiving command is "head -c N | xl migrate-receive"), which xl
 *     must survive by resuming the domain on its source.
 * After every hop the domain must run where it should (xl list) and its
 * counters, read from dom0 with `vmport-state guestinfo get --domain`,
 * must advance with no failure.  xl info's free_memory is compared before
 * and after the run on every host.
 *
 * Commands run through /bin/sh, locally for localhost and through
 * "ssh -o BatchMode=yes TARGET" otherwise; --xl and --bin name the xl and
 * vmport-state to run (a test points them at test doubles).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stress.h"

#define MAX_HOSTS 8
#define XL_MS 300000            /* one xl command, at most */
#define ADVANCE_MS 60000        /* the guest's counters must move by then */
#define MEM_SLACK_MB 64         /* free memory may differ this much */

struct xl_host {
    char name[64], target[192];
    long free_mb_start, free_mb_end;
};

struct counters {
    unsigned long rounds, rpcs, failures;
};

static struct xl_host hosts[MAX_HOSTS];
static unsigned int nr_hosts;
static char logpath[400];

static int read_hosts(const char *path)
{
    char line[512];
    FILE *f = fopen(path, "re");

    if ( !f )
    {
        fprintf(stderr, "vmport-stress: --hosts %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    while ( fgets(line, sizeof(line), f) && nr_hosts < MAX_HOSTS )
    {
        struct xl_host *h = &hosts[nr_hosts];
        char *hash = strchr(line, '#');

        if ( hash )
            *hash = 0;
        if ( sscanf(line, "%63s %191s", h->name, h->target) == 2 )
            nr_hosts++;
    }
    fclose(f);
    if ( !nr_hosts )
        fprintf(stderr, "vmport-stress: --hosts %s: no 'NAME TARGET' "
                "line\n", path);
    return nr_hosts ? 0 : -1;
}

/* @s single-quoted for sh into @out. */
static void quote(char *out, size_t len, const char *s)
{
    size_t n = 0;

    if ( len < 3 )
        return;
    out[n++] = '\'';
    for ( ; *s && n + 5 < len; s++ )
    {
        if ( *s == '\'' )
        {
            memcpy(out + n, "'\\''", 4);
            n += 4;
        }
        else
            out[n++] = *s;
    }
    out[n++] = '\'';
    out[n] = 0;
}

/*
 * Run @cmd (a sh command line) on host @h, its stdout into @out (or the
 * log), its stderr into the log.  The exit status, -1 if it timed out.
 */
static int on_host(const struct xl_host *h, const char *cmd,
                   const char *out)
{
    char full[4096], q[2048], redir[440];
    char *argv[] = { "/bin/sh", "-c", full, NULL };
    FILE *log = fopen(logpath, "ae");

    /* stdout to @out (or the log), stderr to the log. */
    snprintf(redir, sizeof(redir), "%s2>>%s", out ? "" : ">>", logpath);
    if ( !out )
        snprintf(redir, sizeof(redir), ">>%s 2>&1", logpath);
    else
        snprintf(redir, sizeof(redir), "2>>%s", logpath);
    if ( !strcmp(h->target, "localhost") )
        snprintf(full, sizeof(full), "%s %s", cmd, redir);
    else
    {
        quote(q, sizeof(q), cmd);
        snprintf(full, sizeof(full), "ssh -o BatchMode=yes %s %s %s",
                 h->target, q, redir);
    }
    if ( log )
    {
        fprintf(log, "[%s] %s\n", h->name, cmd);
        fclose(log);
    }
    return run_tool(argv, NULL, out, XL_MS);
}

static const char *xl_bin(void)
{
    return opts.xl_bin ? opts.xl_bin : "xl";
}

static long free_mb(const struct xl_host *h, const char *tmp)
{
    char cmd[512], line[256];
    long mb = -1;
    FILE *f;

    snprintf(cmd, sizeof(cmd), "%s info", xl_bin());
    if ( on_host(h, cmd, tmp) )
        return -1;
    f = fopen(tmp, "re");
    while ( f && fgets(line, sizeof(line), f) )
        if ( sscanf(line, "free_memory : %ld", &mb) == 1 )
            break;
    if ( f )
        fclose(f);
    return mb;
}

static bool domain_on(const struct xl_host *h)
{
    char cmd[512], d[256];

    quote(d, sizeof(d), opts.domain);
    snprintf(cmd, sizeof(cmd), "%s list %s", xl_bin(), d);
    return on_host(h, cmd, NULL) == 0;
}

static int read_counters(const struct xl_host *h, const char *tmp,
                         struct counters *c)
{
    char cmd[800], d[256], vs[400], line[512];
    int rc = -1;
    FILE *f;

    quote(d, sizeof(d), opts.domain);
    snprintf(vs, sizeof(vs), "%s/vmport-state", opts.bin);
    snprintf(cmd, sizeof(cmd), "%s guestinfo get --domain %s "
             "guestinfo.stress.%u.counters", vs, d, opts.guest_id);
    if ( on_host(h, cmd, tmp) )
        return -1;
    f = fopen(tmp, "re");
    if ( f && fgets(line, sizeof(line), f) &&
         sscanf(line, "rounds=%lu rpcs=%lu failures=%lu", &c->rounds,
                &c->rpcs, &c->failures) == 3 )
        rc = 0;
    if ( f )
        fclose(f);
    return rc;
}

/*
 * The domain runs on @h and its counters moved past @last with no
 * failure (within ADVANCE_MS).  Updates @last.
 */
static bool guest_advanced(const struct xl_host *h, const char *tmp,
                           struct counters *last, const char **why)
{
    double end = now_ms() + ADVANCE_MS;
    struct counters c;

    if ( !domain_on(h) )
    {
        *why = "the domain is not running where expected";
        return false;
    }
    do {
        if ( !read_counters(h, tmp, &c) )
        {
            if ( c.failures )
            {
                *why = "the guest counted a failed call";
                *last = c;
                return false;
            }
            if ( c.rounds > last->rounds && c.rpcs > last->rpcs )
            {
                *last = c;
                return true;
            }
        }
        stress_sleep_us(200000);
    } while ( now_ms() < end );
    *why = "the guest's counters did not advance";
    return false;
}

/* FI_BAD_RECORD on a saved image: the VMPORT record's version 99. */
static int damage_image(const struct xl_host *src, const char *img,
                        const char *tmp)
{
    char cmd[2048], q[400], vs[400];

    quote(q, sizeof(q), img);
    snprintf(vs, sizeof(vs), "%s/vmport-state", opts.bin);
    /*
     * records --json gives the body offset; the version is the u16 at
     * body + 4 (docs/vmport-record.md).
     */
    snprintf(cmd, sizeof(cmd),
             "off=$(%s records --json %s | sed -n "
             "'/\"name\": *\"VMPORT\"/s/.*\"body_offset\": *\\([0-9]*\\).*/"
             "\\1/p' | head -n 1) && [ -n \"$off\" ] && "
             "printf 'c\\000' | dd of=%s bs=1 seek=$((off + 4)) "
             "conv=notrunc status=none", vs, q, q);
    return on_host(src, cmd, tmp);
}

/*
 * Move the saved image @img from @src's machine to @dst's (same path),
 * through this driver: fetched over ssh unless the source is localhost,
 * sent over ssh unless the destination is.
 */
static int copy_image(const struct xl_host *src, const struct xl_host *dst,
                      const char *img)
{
    char local[420], cmd[1200], q[420];
    char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    int rc = 0;

    quote(q, sizeof(q), img);
    snprintf(local, sizeof(local), "%s.xfer", img);
    if ( strcmp(src->target, "localhost") )
    {
        snprintf(cmd, sizeof(cmd), "cat %s", q);
        rc = on_host(src, cmd, local);
    }
    else
        rc = link(img, local);
    if ( !rc && strcmp(dst->target, "localhost") )
    {
        snprintf(cmd, sizeof(cmd), "ssh -o BatchMode=yes %s 'cat > '%s",
                 dst->target, q);
        rc = run_tool(argv, local, NULL, XL_MS);
    }
    else if ( !rc )
        rc = rename(local, img);
    unlink(local);
    return rc;
}

/* One hop of the domain from hosts[*cur]; fills @r. 0 if checks held. */
static int xl_hop(unsigned int *cur, unsigned int hop, const char *dir,
                  struct counters *last, struct mig_record *r)
{
    const struct xl_host *src = &hosts[*cur];
    unsigned int to = nr_hosts > 1 ? (*cur + 1 + rnd(nr_hosts - 1)) %
                                     nr_hosts : *cur;
    const struct xl_host *dst = &hosts[to];
    bool live = rnd(2);
    enum fault f = rnd(100) < opts.fault_pct ?
                   (live ? FI_TRUNCATE : FI_BAD_RECORD) : FI_NONE;
    char cmd[2048], d[256], img[400], qimg[420], tmp[400], q[1200];
    const char *why = NULL;
    struct stat st;
    double t;
    int rc;

    quote(d, sizeof(d), opts.domain);
    snprintf(img, sizeof(img), "%s/hop%u.save", dir, hop);
    quote(qimg, sizeof(qimg), img);
    snprintf(tmp, sizeof(tmp), "%s/tool.out", dir);
    if ( r )
    {
        snprintf(r->from_host, sizeof(r->from_host), "%s", src->name);
        snprintf(r->to_host, sizeof(r->to_host), "%s", dst->name);
        r->freeze_str = live ? "xl-migrate" : "xl-save-restore";
        r->fault = f;
    }
    t = now_ms();
    if ( live )
    {
        if ( f == FI_TRUNCATE )
        {
            /* The receiving end reads a few KiB and the pipe breaks. */
            bool remote = strcmp(dst->target, "localhost");
            char recv[600];

            snprintf(recv, sizeof(recv), "head -c %u | %s%s%s "
                     "migrate-receive", 4096 + rnd(60000),
                     remote ? "ssh -o BatchMode=yes " : "",
                     remote ? dst->target : "", remote ? " xl" : xl_bin());
            quote(q, sizeof(q), recv);
            snprintf(cmd, sizeof(cmd), "%s migrate -s '' %s %s", xl_bin(), d,
                     q);
        }
        else if ( !strcmp(dst->target, "localhost") )
        {
            /* -s '': the "host" is the receiving command (no sshd). */
            snprintf(q, sizeof(q), "'%s migrate-receive'", xl_bin());
            snprintf(cmd, sizeof(cmd), "%s migrate -s '' %s %s", xl_bin(),
                     d, q);
        }
        else
            snprintf(cmd, sizeof(cmd), "%s migrate %s %s", xl_bin(), d,
                     dst->target);
        rc = on_host(src, cmd, NULL);
    }
    else
    {
        snprintf(cmd, sizeof(cmd), "%s save %s%s %s", xl_bin(),
                 f == FI_BAD_RECORD ? "-c " : "", d, qimg);
        rc = on_host(src, cmd, NULL);
        if ( !rc && f == FI_BAD_RECORD )
            rc = damage_image(src, img, tmp) ? -2 : 0;
        if ( !rc && strcmp(src->target, dst->target) )
            rc = copy_image(src, dst, img);
        if ( !rc )
        {
            if ( !stat(img, &st) && r )
                r->bytes = st.st_size;
            snprintf(cmd, sizeof(cmd), "%s restore %s", xl_bin(), qimg);
            rc = on_host(dst, cmd, NULL);
        }
        unlink(img);
    }
    if ( r )
        r->downtime_ms = now_ms() - t;
    stats.attempted++;
    stats.by_mode[live]++;
    if ( f != FI_NONE )
    {
        stats.fault_injected[f]++;
        if ( rc == 0 )
        {
            why = "the fault was not caught: the hop succeeded";
            rc = -1;
        }
        else if ( rc == -2 )
            why = "could not damage the saved image";
        else if ( guest_advanced(src, tmp, last, &why) )
        {
            /* Aborted, and the domain runs on, on its source. */
            stats.fault_clean[f]++;
            stats.aborted[f == FI_TRUNCATE ? AB_DEST_KILLED
                                           : AB_DEST_REJECTED]++;
            if ( r )
            {
                r->outcome = f == FI_TRUNCATE ? "stream-cut"
                                              : "destination-rejected";
                r->fault_clean = true;
            }
            return 0;
        }
    }
    else if ( rc )
        why = live ? "xl migrate failed" : "xl save or restore failed";
    else if ( guest_advanced(dst, tmp, last, &why) )
    {
        stats.succeeded++;
        stats_downtime(r ? r->downtime_ms : 0);
        *cur = to;
        if ( r )
            r->outcome = "migrated";
        return 0;
    }
    fprintf(stderr, "vmport-stress: xl hop %u %s -> %s (%s%s%s): %s (log "
            "%s)\n", hop, src->name, dst->name, live ? "live" : "save",
            f ? ", fault " : "", f ? fault_name(f) : "", why, logpath);
    stats.verify_failures++;
    if ( r )
        r->outcome = "failed";
    return -1;
}

int run_xl(const char *dir)
{
    struct counters last = { 0 };
    double end = now_ms() + opts.seconds * 1e3;
    unsigned int cur = 0, hop, i;
    char tmp[400];
    const char *why = NULL;
    int rc = 0;

    if ( !opts.hosts_file || !opts.domain )
    {
        fprintf(stderr, "vmport-stress: --backend xl needs --hosts FILE "
                "and --domain NAME\n");
        return -1;
    }
    if ( read_hosts(opts.hosts_file) )
        return -1;
    snprintf(logpath, sizeof(logpath), "%s/xl.log", dir);
    snprintf(tmp, sizeof(tmp), "%s/tool.out", dir);
    for ( i = 0; i < nr_hosts; i++ )
        hosts[i].free_mb_start = free_mb(&hosts[i], tmp);
    if ( !guest_advanced(&hosts[0], tmp, &last, &why) )
    {
        fprintf(stderr, "vmport-stress: domain %s on %s: %s\n",
                opts.domain, hosts[0].name, why);
        stats.verify_failures++;
        return -1;
    }
    for ( hop = 1; (!opts.migrations || hop <= opts.migrations) &&
                   (!opts.seconds || now_ms() < end) &&
                   !stress_stop_signal; hop++ )
    {
        struct guest g = { .idx = opts.guest_id, .hop = hop };
        struct mig_record *r = record_new(&g);

        if ( r )
        {
            r->kind = "xl-domain";
            r->backend = "xl";
        }
        if ( xl_hop(&cur, hop, dir, &last, r) )
        {
            rc = -1;
            break;
        }
        if ( r )
            r->rpcs = last.rpcs;
    }
    stats.rpcs = last.rpcs;
    for ( i = 0; i < nr_hosts; i++ )
    {
        struct xl_host *h = &hosts[i];
        /* Compare only where the domain was both times, or neither. */
        bool had = !strcmp(h->target, hosts[0].target);
        bool has = !strcmp(h->target, hosts[cur].target);

        h->free_mb_end = free_mb(h, tmp);
        fprintf(stderr, "vmport-stress: host %s: free memory %ld -> %ld "
                "MiB\n", h->name, h->free_mb_start, h->free_mb_end);
        if ( had == has && h->free_mb_start >= 0 &&
             (h->free_mb_end < 0 ||
              h->free_mb_end + MEM_SLACK_MB < h->free_mb_start) )
        {
            fprintf(stderr, "vmport-stress: host %s: expected free memory "
                    "within %d MiB of %ld at the end, seen %ld\n", h->name,
                    MEM_SLACK_MB, h->free_mb_start, h->free_mb_end);
            stats.host_errors++;
        }
    }
    return rc;
}
