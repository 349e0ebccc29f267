/*
 * stress_migrate.c: one migration of one guest between two vmport-host
 * processes, with an optional fault on the way.
 *
 * What makes "a failed migration leaves the guest running on its source"
 * true: the source host freezes the guest, writes its state S and
 * detaches, leaving the guest stopped and untouched.  The stream the
 * destination gets is a copy of S (filtered, converted, maybe damaged);
 * S itself is never modified.  A destination reads and checks its stream
 * before it seizes the guest (vmport-host's setup() runs before
 * handoff_adopt()), so a bad stream or a dead destination leaves the guest
 * stopped with no tracer, and a new host of the source's personality
 * adopts it again from S: the source's own state, as if the migration had
 * never been tried.
 */
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

/*
 * Limits on a host or tool that should answer at once.  They are generous
 * because a host fsyncs the state it writes, and on a machine whose disk
 * is busy one fsync was seen to take over 10 s.
 */
#define HOST_WAIT_MS    30000
#define ADOPT_WAIT_MS   30000
#define CANCEL_WAIT_MS  60000
#define TOOL_MS         30000
/* FI_SOURCE_STALL: the wait before the call-off, HOST_WAIT_MS's stand-in. */
#define STALL_WAIT_MS   1000

const char *const pers_name[2] = { "intel", "amd" };
static unsigned long fault_turn;
bool stress_ending;

/* The wall clock skew of the hosts of personality @pers, drawn once. */
static unsigned int clock_skew_ms(int pers)
{
    static unsigned int skew[2];
    static bool drawn;

    if ( !drawn && opts.clock_skew )
    {
        skew[0] = rnd(3000);
        skew[1] = rnd(3000);
        drawn = true;
    }
    return skew[pers];
}

static void path_of(char *buf, size_t len, const struct guest *g,
                    const char *what, unsigned int hop)
{
    snprintf(buf, len, "%s/%s.%u", g->dir, what, hop);
}

/* The file whose existence stalls a host's handoff (FI_SOURCE_STALL). */
static void stall_path(char *buf, size_t len, const struct guest *g)
{
    snprintf(buf, len, "%s/stall", g->dir);
}

/* The trace of the host of hop @hop, once read: FILE and FILE.old. */
static void unlink_trace(const struct guest *g, unsigned int hop)
{
    char tr[304];

    path_of(tr, sizeof(tr) - 4, g, "trace", hop);
    unlink(tr);
    strcat(tr, ".old");
    unlink(tr);
}

/*
 * Start a host for hop g->hop: spawning the guest (@attach false) or
 * adopting it from a stream this driver then writes to *@in_wr (its
 * stdin).  The host writes its own state to a new pipe, whose read end
 * becomes g->state_fd.  Half the hosts hand off by themselves after a
 * random number of exits; the others wait for SIGUSR1.
 */
static pid_t start_host(struct guest *g, bool attach, int *in_wr)
{
    char host[300], tr[300], err[300], pidf[300], hoff[16];
    char pidarg[16], id[16], chans[16], stop[300], script[1024], skew[16];
    char trmax[24], tclo[16], stall[300];
    char *argv[40];
    int n = 0, state[2], in[2] = { -1, -1 };
    pid_t pid;

    if ( stream_pipe(state) )
        return -1;
    if ( attach && stream_pipe(in) )
    {
        close(state[0]);
        close(state[1]);
        return -1;
    }
    snprintf(host, sizeof(host), "%s/vmport-host", opts.bin);
    path_of(tr, sizeof(tr), g, "trace", g->hop);
    path_of(err, sizeof(err), g, "err", g->hop);
    snprintf(pidf, sizeof(pidf), "%s/pid", g->dir);
    snprintf(stop, sizeof(stop), "%s/stop", g->dir);
    stall_path(stall, sizeof(stall), g);
    argv[n++] = host;
    argv[n++] = "--personality";
    argv[n++] = (char *)pers_name[g->pers];
    argv[n++] = "--state-out-fd";
    argv[n++] = "3";
    argv[n++] = "--trace";
    argv[n++] = tr;
    snprintf(trmax, sizeof(trmax), "%llu", STRESS_TRACE_MAX);
    argv[n++] = "--trace-max-bytes";
    argv[n++] = trmax;
    /* FI_SOURCE_STALL's fault point, in place while the file exists. */
    argv[n++] = "--test-stall-handoff";
    argv[n++] = stall;
    /*
     * Each personality's wall clock is skewed its own way for the run.  A
     * version 1 record carries no TIME section (docs/vmport-record.md:
     * GETTIME keeps the destination's own continuity), so the destination
     * of a converted stream gets the later of the two clocks: only there
     * may GETTIME not go on from where the guest left it.
     */
    snprintf(skew, sizeof(skew), "%u", attach && g->stream_v1 ?
             (clock_skew_ms(0) > clock_skew_ms(1) ? clock_skew_ms(0)
                                                  : clock_skew_ms(1)) :
             clock_skew_ms(g->pers));
    argv[n++] = "--clock-skew-ms";
    argv[n++] = skew;
    /* TCLO power commands for guest_channels, which only counts them. */
    if ( g->kind == GK_CHANNELS )
    {
        snprintf(tclo, sizeof(tclo), "%u", STRESS_TCLO_EVERY);
        argv[n++] = "--tclo-every";
        argv[n++] = tclo;
    }
    g->handoff_after = !stress_ending && rnd(2);
    if ( g->handoff_after )
    {
        snprintf(hoff, sizeof(hoff), "%u", 1 + rnd(400));
        argv[n++] = "--handoff-after";
        argv[n++] = hoff;
    }
    if ( attach )
    {
        snprintf(pidarg, sizeof(pidarg), "%d", (int)g->pid);
        argv[n++] = "--attach";
        argv[n++] = pidarg;
        argv[n++] = "--state-in";
        argv[n++] = "-";
    }
    else
    {
        argv[n++] = "--pid-file";
        argv[n++] = pidf;
        argv[n++] = "--";
        if ( g->kind == GK_CHANNELS )
        {
            snprintf(id, sizeof(id), "%u", g->idx);
            snprintf(chans, sizeof(chans), "%u", opts.channels);
            argv[n++] = (char *)opts.guest_bin;
            argv[n++] = id;
            argv[n++] = chans;
            argv[n++] = "0";
            argv[n++] = stop;
            argv[n++] = "tclo";
        }
        else
        {
            /* Unmodified vmware-rpctool: set a value, read it back. */
            snprintf(script, sizeof(script),
                     "i=0; while [ ! -e %s ]; do "
                     "v=\"g%uv$i.$(printf '%%0*d' $((i %% 97)) 0)\"; "
                     "if vmware-rpctool \"info-set guestinfo.sh.%u $v\" "
                     ">/dev/null; then "
                     "got=$(vmware-rpctool 'info-get guestinfo.sh.%u'); "
                     "if [ \"$got\" = \"$v\" ]; then echo \"ok $i\"; "
                     "else echo \"FAIL get $i: $got\"; fi; "
                     "else echo \"FAIL set $i\"; fi; i=$((i + 1)); done; "
                     "echo \"rpctool: done $i\"",
                     stop, g->idx, g->idx, g->idx);
            argv[n++] = "/bin/sh";
            argv[n++] = "-c";
            argv[n++] = script;
        }
    }
    argv[n] = NULL;
    pid = spawn_host(g, argv, err, in[0], state[1]);
    close(state[1]);
    if ( in[0] >= 0 )
        close(in[0]);
    if ( g->state_fd >= 0 )
        close(g->state_fd);
    g->state_fd = state[0];
    if ( in_wr )
        *in_wr = in[1];
    else if ( in[1] >= 0 )
        close(in[1]);
    return pid;
}

int start_guest(struct guest *g)
{
    char pidf[300];
    double end = now_ms() + 5000;
    FILE *f;

    snprintf(pidf, sizeof(pidf), "%s/pid", g->dir);
    g->state_fd = -1;
    g->out.tclo_taken = -1;
    g->host = start_host(g, false, NULL);
    if ( g->host < 0 )
        return -1;
    g->pgid = g->host;      /* spawn_host()'s setpgid */
    while ( now_ms() < end )
    {
        f = fopen(pidf, "re");
        if ( f )
        {
            int pid = 0;

            if ( fscanf(f, "%d", &pid) == 1 && pid > 0 )
                g->pid = pid;
            fclose(f);
            if ( g->pid > 0 )
                return 0;
        }
        stress_sleep_us(2000);
    }
    fprintf(stderr, "vmport-stress: guest %u did not start\n", g->idx);
    return -1;
}

/* State letter and tracer of @pid from /proc; -1 if it is gone. */
static int proc_state(pid_t pid, char *state, int *tracer)
{
    char path[64], line[256];
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "re");
    if ( !f )
        return -1;
    *state = '?';
    *tracer = -1;
    while ( fgets(line, sizeof(line), f) )
    {
        sscanf(line, "State: %c", state);
        sscanf(line, "TracerPid: %d", tracer);
    }
    fclose(f);
    return 0;
}

/*
 * Is the process tree at @pid where it should be: with @host 0, parked as
 * a handoff leaves it, every process stopped (T) with no tracer; else
 * served by @host, every process traced by it, whatever its state.  Below
 * the top, a process that ended while the tree was read counts as either:
 * a zombie its parent has not reaped (its tracer already took its exit,
 * so it has none left) or one reaped and gone.  *seen: what was not (+
 * traced by another, 0 by none, - gone, or the state).
 */
static bool tree_held(pid_t pid, pid_t host, char *seen, int depth)
{
    char path[80], state = '?';
    int tracer = -1, child;
    bool ok = true;
    FILE *f;

    if ( depth > 16 )
    {
        *seen = '-';
        return false;
    }
    if ( proc_state(pid, &state, &tracer) )
    {
        *seen = '-';
        return depth > 0;
    }
    if ( (state == 'Z' || state == 'X') && depth )
        return true;
    if ( tracer != host )
    {
        *seen = tracer > 0 ? '+' : tracer ? '-' : '0';
        return false;
    }
    if ( !host && state != 'T' )
    {
        *seen = state;
        return false;
    }
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
             (int)pid);
    f = fopen(path, "re");
    while ( f && ok && fscanf(f, "%d", &child) == 1 )
        ok = tree_held(child, host, seen, depth + 1);
    if ( f )
        fclose(f);
    return ok;
}

/* What a hung host and its guest are waiting in, for the log. */
static void report_stuck(const struct guest *g, const char *when)
{
    char cmd[1200], out[300];
    char *argv[] = { "/bin/sh", "-c", cmd, NULL };

    /*
     * The host, every process of the guest (its group: the spawning
     * host's) with its state, tracer, pending signals and kernel stack,
     * and the machine's load.
     */
    snprintf(cmd, sizeof(cmd), "pg=$(ps -o pgid= -p %d | tr -d ' '); "
             "ps -o pid,ppid,pgid,stat,wchan:24,comm -p %d; "
             "ps -eo pid,ppid,pgid,stat,wchan:24,comm | "
             "awk -v g=\"$pg\" 'NR > 1 && $3 == g'; "
             "for p in %d $(ps -eo pid=,pgid= | "
             "awk -v g=\"$pg\" '$2 == g {print $1}'); do "
             "echo \"== $p $(cat /proc/$p/comm 2>/dev/null)\"; "
             "grep -E 'State|TracerPid|SigPnd|ShdPnd|SigBlk' "
             "/proc/$p/status; cat /proc/$p/stack; done 2>/dev/null; "
             "cat /proc/loadavg /proc/pressure/cpu 2>/dev/null",
             (int)g->pid, (int)g->host, (int)g->host);
    snprintf(out, sizeof(out), "%s/stuck.%u%s", g->dir, g->hop, when);
    run_tool(argv, NULL, out, 5000);
    fprintf(stderr, "vmport-stress: what they wait in: %s\n", out);
}

/*
 * Is the guest parked?  The SIGSTOP a detach passes on takes effect a
 * moment later, so look for a bounded while.
 */
static bool guest_parked(pid_t pid, char *seen)
{
    double end = now_ms() + 500;

    do {
        if ( tree_held(pid, 0, seen, 0) )
            return true;
        stress_sleep_us(1000);
    } while ( now_ms() < end );
    return false;
}

/*
 * Wait until the host of hop @hop adopted the guest: its trace holds the
 * "adopted" event.  A host that exits first without it was rejected.
 * The exited host is not reaped here (WNOWAIT): its status is the next
 * migration's business.  Returns the adopt time in ns, or -1.
 */
static long long adopted_within(const char *tr, pid_t host, unsigned int ms)
{
    double end = now_ms() + ms;
    long long ns;

    while ( now_ms() < end )
    {
        siginfo_t si = { 0 };

        ns = trace_ns(tr, TR_ADOPTED);
        if ( ns >= 0 )
            return ns;
        if ( !waitid(P_PID, host, &si, WEXITED | WNOHANG | WNOWAIT) &&
             si.si_pid == host )
            return trace_ns(tr, TR_ADOPTED);
        stress_sleep_us(500);
    }
    return -2;
}

/*
 * A host that has not adopted in ADOPT_WAIT_MS (starved of CPU on a loaded
 * machine: a 37 s stall was seen at load 16) is not killed: it may have
 * seized the guest already, and its death would kill the guest with it
 * (PTRACE_O_EXITKILL), which then cannot be adopted again (PTRACE_SEIZE
 * of a dying process: EPERM).  It is asked to call the adoption off
 * (SIGUSR2): it then gives back whatever it seized, parked as found, and
 * exits; or it had adopted meanwhile, which counts.  Killed only if it
 * does neither within CANCEL_WAIT_MS.
 */
static long long wait_adopted(struct guest *g, pid_t host, unsigned int hop)
{
    char tr[300];
    long long ns;

    path_of(tr, sizeof(tr), g, "trace", hop);
    ns = adopted_within(tr, host, ADOPT_WAIT_MS);
    if ( ns != -2 )
        return ns;
    fprintf(stderr, "vmport-stress: guest %u: host %d did not adopt it in "
            "%d s; asking it to call the adoption off (SIGUSR2)\n", g->idx,
            (int)host, ADOPT_WAIT_MS / 1000);
    report_stuck(g, ".adopt");
    kill(host, SIGUSR2);
    ns = adopted_within(tr, host, CANCEL_WAIT_MS);
    return ns == -2 ? -1 : ns;
}

static void report_stuck(const struct guest *g, const char *when);

/*
 * A host adopting the guest of hop g->hop from @x, which it reads on a
 * pipe (its stdin).  Its pid, or -1.
 */
static pid_t start_destination(struct guest *g, const struct sbuf *x)
{
    int in_wr = -1;
    pid_t host = start_host(g, true, &in_wr);

    if ( in_wr >= 0 )
        stream_send(in_wr, x, TOOL_MS);
    return host;
}

/*
 * The source takes the guest back from its own, untouched state, and
 * holds what it held then (@held).
 */
static int readopt(struct guest *g, const struct sbuf *state,
                   const struct host_mem *held)
{
    char tr[300];
    pid_t host;
    int rc;

    g->hop++;
    g->stream_v1 = false;       /* S itself, as the source wrote it */
    host = start_destination(g, state);
    if ( host > 0 && wait_adopted(g, host, g->hop) >= 0 )
    {
        g->host = host;
        path_of(tr, sizeof(tr), g, "trace", g->hop);
        inv_adopted(g, tr, held);
        return 0;
    }
    fprintf(stderr, "vmport-stress: guest %u lost: its source could not "
            "adopt it again\n", g->idx);
    g->host = host;
    report_stuck(g, "");
    if ( host > 0 && !wait_host(host, 100, &rc) )
        host = 0;
    if ( host > 0 )
        kill(host, SIGKILL);
    stats.lost_guests++;
    g->done = true;
    g->host = 0;
    g->exit_rc = -1;
    return -1;
}

/* A string member of @o equals @want. */
static bool json_is(struct json_object *o, const char *key, const char *want)
{
    struct json_object *v;

    return json_object_object_get_ex(o, key, &v) &&
           !strcmp(json_object_get_string(v), want);
}

/*
 * Offset and length of the first VMPORT record's body in stream @x, from
 * `vmport-state records --json -` (one object per record and line).
 */
static int vmport_body(const struct sbuf *x, long *off, long *len)
{
    char tool[300], *line, *nl;
    char *argv[] = { tool, "records", "--json", "-", NULL };
    struct sbuf out = { 0 };
    int rc = -1;

    snprintf(tool, sizeof(tool), "%s/vmport-state", opts.bin);
    if ( stream_tool(argv, x, &out, TOOL_MS) || sbuf_put(&out, "", 1) )
    {
        sbuf_free(&out);
        return -1;
    }
    for ( line = (char *)out.p; rc && line && *line; line = nl )
    {
        struct json_object *o, *b, *l;

        nl = strchr(line, '\n');
        if ( nl )
            *nl++ = 0;
        o = json_tokener_parse(line);
        if ( o && json_is(o, "level", "hvm") &&
             json_is(o, "name", "VMPORT") &&
             json_object_object_get_ex(o, "body_offset", &b) &&
             json_object_object_get_ex(o, "length", &l) )
        {
            *off = json_object_get_int64(b);
            *len = json_object_get_int64(l);
            rc = *off >= 0 && *len >= 0 &&
                 (size_t)*off + (size_t)*len <= x->len ? 0 : -1;
        }
        json_object_put(o);
    }
    sbuf_free(&out);
    return rc;
}

/* Damage the stream @x as fault @f says; -1 if it could not. */
static int inject(enum fault f, struct sbuf *x)
{
    long off, len;
    uint16_t ver = 99;

    if ( vmport_body(x, &off, &len) )
        return -1;
    switch ( f )
    {
    case FI_CORRUPT_BYTE:
        /* Inside the CRC-covered body, after the 24-byte header. */
        if ( len <= 24 )
            return -1;
        x->p[off + 24 + rnd(len - 24)] ^= 1 << rnd(8);
        return 0;
    case FI_TRUNCATE:
        x->len = off + rnd(x->len - off);
        return 0;
    case FI_BAD_RECORD:
        if ( len < 6 )
            return -1;
        memcpy(x->p + off + 4, &ver, sizeof(ver));
        return 0;
    default:
        return 0;
    }
}

/* Did the conversion mark channels CPT (header flag CHECKPOINT)? */
static bool checkpointed(const struct sbuf *x)
{
    long off, len;
    uint32_t flags;

    if ( vmport_body(x, &off, &len) || len < 12 )
        return false;
    memcpy(&flags, x->p + off + 8, sizeof(flags));
    return flags & 1;
}

static enum fault pick_fault(void)
{
    unsigned int i;

    /* --require-coverage: every point early, so short runs reach them. */
    for ( i = 1; opts.require_coverage && opts.only_fault < 0 && i < FI_NR;
          i++ )
        if ( !stats.fault_injected[i] )
            return i;
    if ( rnd(100) >= opts.fault_pct )
        return FI_NONE;
    if ( opts.only_fault >= 0 )
        return opts.only_fault;
    return 1 + fault_turn++ % (FI_NR - 1);
}

/*
 * Make the stream the destination reads, @x, from S: through the optional
 * filter, version 1 conversion and verify, each a vmport-state process
 * reading and writing pipes.  0, or 1 with *why if it must not go.
 */
static int prepare_stream(struct guest *g, const struct sbuf *s,
                          struct sbuf *x, enum abort_reason *why)
{
    char tool[300];
    char *filter[] = { tool, "filter", NULL };
    char *verify[] = { tool, "verify", "-", NULL };
    char *convert[] = { tool, "filter", "--record-version", "1", "--policy",
                        NULL, NULL };
    struct sbuf x1 = { 0 };
    int rc;

    snprintf(tool, sizeof(tool), "%s/vmport-state", opts.bin);
    g->stream_v1 = false;
    rc = opts.filter ? stream_tool(filter, s, x, TOOL_MS) : sbuf_copy(x, s);
    if ( rc )
    {
        *why = AB_VERIFY;
        return 1;
    }
    if ( rnd(100) < opts.convert_pct ||
         (opts.require_coverage &&
          (!stats.converted_refuse || stats.converted_cpt < 3)) )
    {
        bool refuse = opts.require_coverage && !stats.converted_refuse ?
                      true : opts.require_coverage &&
                      stats.converted_cpt < 3 ? false : rnd(2);

        convert[5] = refuse ? "refuse" : "checkpoint";
        rc = stream_tool(convert, x, &x1, TOOL_MS);
        if ( rc == 7 && refuse )
        {
            stats.converted_refuse++;
            *why = AB_REFUSED_V1;
            sbuf_free(&x1);
            return 1;
        }
        if ( rc )
        {
            *why = AB_VERIFY;
            sbuf_free(&x1);
            return 1;
        }
        if ( refuse )
            stats.converted_fit++;
        else if ( checkpointed(&x1) )
            stats.converted_cpt++;
        else
            stats.converted_fit++;
        sbuf_free(x);
        *x = x1;
        g->stream_v1 = true;
    }
    if ( opts.verify && stream_tool(verify, x, NULL, TOOL_MS) )
    {
        *why = AB_VERIFY;
        return 1;
    }
    return 0;
}

/*
 * FI_KILL_DEST: the destination waits on its pipe for a stream that never
 * comes, and is killed.
 */
static void kill_waiting_destination(struct guest *g)
{
    int in_wr = -1, rc;
    pid_t host;

    g->hop++;
    host = start_host(g, true, &in_wr);
    if ( host > 0 )
    {
        stress_sleep_us(rnd(20000));
        kill(host, SIGKILL);
        wait_host(host, 5000, &rc);
    }
    if ( in_wr >= 0 )
        close(in_wr);
}

/* Try to move the handed-off guest; 0 moved, 1 aborted (back on source). */
static int move(struct guest *g, const struct sbuf *s,
                const struct host_mem *held, enum fault f,
                long long freeze_ns, double handoff_ms, double exit_ms,
                struct mig_record *r)
{
    char line[200], tr[300];
    struct sbuf x = { 0 };
    enum abort_reason why = AB_DEST_REJECTED;
    unsigned int src_hop = g->hop;
    int src_pers = g->pers;
    long long adopt_ns;
    double start_ms;
    char state;
    pid_t host;
    int rc;

    if ( prepare_stream(g, s, &x, &why) )
    {
        /* Stopped before the fault point: nothing was injected. */
        if ( f != FI_NONE )
            stats.fault_injected[f]--;
        f = FI_NONE;
        goto abort;
    }
    if ( f == FI_KILL_DEST )
    {
        kill_waiting_destination(g);
        why = AB_DEST_KILLED;
        goto abort;
    }
    if ( f != FI_NONE && inject(f, &x) )
    {
        fprintf(stderr, "vmport-stress: could not inject %s\n",
                fault_name(f));
        stats.host_errors++;
        stats.fault_injected[f]--;
        f = FI_NONE;
    }
    g->hop++;
    g->pers = !src_pers;
    start_ms = now_ms();
    host = start_destination(g, &x);
    adopt_ns = host > 0 ? wait_adopted(g, host, g->hop) : -1;
    path_of(tr, sizeof(tr), g, "trace", g->hop);
    if ( adopt_ns >= 0 )
    {
        g->host = host;
        stats.succeeded++;
        /* The same state, unless converted (version 1 drops some). */
        inv_adopted(g, tr, g->stream_v1 ? NULL : held);
        if ( r )
        {
            r->outcome = "migrated";
            r->to = g->pers;
            r->fault = f;
        }
        if ( freeze_ns >= 0 )
        {
            stats_downtime((adopt_ns - freeze_ns) / 1e6);
            double part[4] = {
                handoff_ms - freeze_ns / 1e6, exit_ms - handoff_ms,
                start_ms - exit_ms, adopt_ns / 1e6 - start_ms,
            };
            unsigned int i;

            snprintf(line, sizeof(line), "source %.2f ms, queued %.2f ms, "
                     "transfer %.2f ms, adopt %.2f ms", part[0], part[1],
                     part[2], part[3]);
            log_migration(g, line);
            for ( i = 0; i < 4; i++ )
            {
                stats.phase_ms[i] += part[i];
                if ( r )
                    r->part_ms[i] = part[i];
            }
            stats.nr_phases++;
            if ( r )
                r->downtime_ms = (adopt_ns - freeze_ns) / 1e6;
        }
        if ( f != FI_NONE )
            fprintf(stderr, "vmport-stress: guest %u: fault %s was NOT "
                    "caught: the destination adopted the guest\n", g->idx,
                    fault_name(f));
        sbuf_free(&x);
        prune_hop_files(g);
        return 0;
    }
    if ( host > 0 && wait_host(host, 5000, &rc) )
    {
        kill(host, SIGKILL);
        wait_host(host, 5000, &rc);
    }
    g->pers = src_pers;
 abort:
    sbuf_free(&x);
    if ( g->hop != src_hop )
    {
        /* The destination's: it failed, and must have freed it all. */
        path_of(tr, sizeof(tr), g, "trace", g->hop);
        inv_ended(g, tr, false);
        unlink_trace(g, g->hop);
    }
    stats.aborted[why]++;
    if ( r )
    {
        r->outcome = abort_name(why);
        r->fault = f;
    }
    if ( !guest_parked(g->pid, &state) )
    {
        fprintf(stderr, "vmport-stress: guest %u: expected every process "
                "of it stopped (T) with no tracer after an aborted "
                "migration, seen %c (+ traced, - gone)\n",
                g->idx, state);
        stats.lost_guests++;
    }
    if ( readopt(g, s, held) )
        return -1;
    if ( f != FI_NONE )
        stats.fault_clean[f]++;
    if ( r )
        r->fault_clean = f != FI_NONE;
    return 1;
}

/*
 * FI_SOURCE_STALL on (@on) or off: a handoff this guest's host begins
 * meanwhile stalls, the guest frozen, before its point of no return
 * (vmport-host --test-stall-handoff).  False if it could not be set.
 */
static bool stall_source(const struct guest *g, bool on)
{
    char path[300];
    FILE *f;

    stall_path(path, sizeof(path), g);
    if ( !on )
        return !unlink(path);
    f = fopen(path, "we");
    return f && !fclose(f);
}

/*
 * Wait up to @ms for g's host to hand off or end, reading its stream; a
 * third of the way, what the host and guest wait in goes to stuck.HOP.early
 * (not for a stall of our own making, @quiet).  0 once it ended, -1 if not.
 */
static int wait_source(struct guest *g, unsigned int ms, bool quiet, int *rc,
                       struct sbuf *s)
{
    if ( !wait_host_reading(g->host, ms / 3, rc, g->state_fd, s) )
        return 0;
    if ( !quiet )
        report_stuck(g, ".early");
    return wait_host_reading(g->host, ms - ms / 3, rc, g->state_fd, s);
}

/*
 * A source that neither handed off nor ended in time is not killed: its
 * guest would die with it (PTRACE_O_EXITKILL).  It is asked to call the
 * handoff off (SIGUSR2).  Before its point of no return, the first byte
 * of its stream, it says "handoff called off" on stderr and serves the
 * guest on; past it, it completes the handoff.  1 called off, 0 it handed
 * off or ended after all (which counts), -1 neither in CANCEL_WAIT_MS.
 */
static int call_off_source(struct guest *g, bool quiet, int *rc,
                           struct sbuf *s)
{
    char err[300];
    double end = now_ms() + CANCEL_WAIT_MS;
    long from;

    path_of(err, sizeof(err), g, "err", g->hop);
    from = file_size(err);
    if ( !quiet )
    {
        fprintf(stderr, "vmport-stress: guest %u: host %d did not hand off "
                "or end in %d s; asking it to call the handoff off "
                "(SIGUSR2)\n", g->idx, (int)g->host, HOST_WAIT_MS / 1000);
        report_stuck(g, "");
    }
    kill(g->host, SIGUSR2);
    while ( now_ms() < end )
    {
        if ( !wait_host_reading(g->host, 20, rc, g->state_fd, s) )
            return 0;
        if ( file_has_from(err, from, "handoff called off") )
            return 1;
    }
    return -1;
}

/*
 * The handoff was called off: the guest runs on under its source, which
 * keeps its hop, trace and state pipe.  With a handoff asked, an aborted
 * migration (source-stalled), checked as the others are: nothing of the
 * stream written (the call-off came before the point of no return) and
 * every process of the guest still traced by its source, whose guest's
 * transcript goes on being checked.  Its --handoff-after is spent: the
 * next migration asks with SIGUSR1.
 */
static void source_kept(struct guest *g, const struct sbuf *s, enum fault f,
                        bool asked, bool by_signal)
{
    struct mig_record *r;
    char seen = '?';
    bool ok;

    g->handoff_after = false;
    out_consume(g, false);
    /* A stream's fault was not injected: there is no stream. */
    if ( f != FI_SOURCE_STALL )
        f = FI_NONE;
    ok = !s->len && tree_held(g->pid, g->host, &seen, 0);
    if ( !ok )
    {
        fprintf(stderr, "vmport-stress: guest %u: its handoff called off, "
                "expected no stream and every process traced by host %d, "
                "seen %zu bytes, %c (+ another tracer, 0 none, - gone)\n",
                g->idx, (int)g->host, s->len, seen);
        stats.host_errors++;
    }
    if ( f != FI_NONE )
    {
        stats.fault_injected[f]++;
        stats.fault_clean[f] += ok;
    }
    if ( !asked )
        return;
    stats.attempted++;
    stats.by_mode[by_signal]++;
    stats.aborted[AB_SOURCE_STALLED]++;
    r = record_new(g);
    if ( r )
    {
        r->rpcs = g->out.rpcs_so_far;
        r->by_signal = by_signal;
        r->outcome = abort_name(AB_SOURCE_STALLED);
        r->fault = f;
        r->fault_clean = f != FI_NONE && ok;
    }
    log_migration(g, "source stalled: handoff called off, the guest runs "
                  "on there");
}

/*
 * One migration of @g: freeze it on its current host (by SIGUSR1, or by
 * the host's own --handoff-after), then move it.  A host that does not
 * hand off in time is asked to call it off and keeps its guest.  Returns
 * -1 on a harness or host error, 0 otherwise (also when the guest simply
 * ended or stayed on its source).
 */
int migrate_guest(struct guest *g)
{
    char err[300], tr[300];
    unsigned int hop = g->hop;
    long long freeze_ns;
    struct sbuf s = { 0 };
    struct host_mem held;
    bool by_signal = !stress_ending;
    bool asked = !stress_ending || g->handoff_after;
    long long signal_ns = -1, handoff_ns;
    double exit_ms;
    struct mig_record *r;
    enum fault f = stress_ending ? FI_NONE : pick_fault();
    int rc = 0, waited = 0;

    path_of(err, sizeof(err), g, "err", g->hop);
    path_of(tr, sizeof(tr), g, "trace", g->hop);
    if ( f == FI_SOURCE_STALL && !stall_source(g, true) )
        f = FI_NONE;
    if ( !stress_ending && g->handoff_after &&
         !wait_host_reading(g->host, 2000, &rc, g->state_fd, &s) )
        by_signal = false;      /* it handed off (or ended) by itself */
    else
    {
        /* A guest told to stop (stress_ending) is let end by itself. */
        if ( !stress_ending )
        {
            stress_sleep_us(10000 + rnd(150000));
            signal_ns = now_ms() * 1e6;
            kill(g->host, SIGUSR1);
        }
        waited = wait_source(g, f == FI_SOURCE_STALL ? STALL_WAIT_MS
                                                     : HOST_WAIT_MS,
                             f == FI_SOURCE_STALL, &rc, &s);
        if ( waited )
            waited = call_off_source(g, f == FI_SOURCE_STALL, &rc, &s);
    }
    /* Never left for the next migration, nor for the destination. */
    if ( f == FI_SOURCE_STALL )
        stall_source(g, false);
    if ( waited > 0 )
    {
        source_kept(g, &s, f, asked, by_signal);
        sbuf_free(&s);
        return 0;
    }
    if ( waited < 0 )
    {
        fprintf(stderr, "vmport-stress: guest %u: host %d did not hand off, "
                "call it off or end in time: killed, and its guest with "
                "it\n", g->idx, (int)g->host);
        report_stuck(g, "");
        kill(g->host, SIGKILL);
        wait_host(g->host, 5000, &rc);
        stats.host_errors++;
        stats.lost_guests++;
        g->done = true;
        g->exit_rc = -1;
        sbuf_free(&s);
        return -1;
    }
    /* It handed off or ended without stalling: nothing was injected. */
    if ( f == FI_SOURCE_STALL )
        f = FI_NONE;
    exit_ms = now_ms();
    g->host = 0;
    /* The host is gone: the rest of its stream is in the pipe. */
    if ( stream_read_all(g->state_fd, &s, 5000) &&
         file_has(err, "handed off") )
    {
        fprintf(stderr, "vmport-stress: guest %u: the state stream of host "
                "%u did not end (or passed %lu bytes)\n", g->idx, hop,
                STREAM_MAX);
        stats.host_errors++;
    }
    close(g->state_fd);
    g->state_fd = -1;
    if ( !file_has(err, "handed off") )
    {
        /* The guest ended under this host, its last one. */
        inv_ended(g, tr, true);
        g->done = true;
        g->exit_rc = rc;
        sbuf_free(&s);
        return 0;
    }
    inv_source(g, tr, &held);
    stats.attempted++;
    stats.by_mode[by_signal]++;
    /* Frozen: nothing writes its transcript, which may be emptied now. */
    out_consume(g, true);
    r = record_new(g);
    if ( r )
        r->rpcs = g->out.rpcs_so_far;
    stats_stream(s.len);
    if ( r )
        r->bytes = s.len;
    if ( r )
        r->by_signal = by_signal;
    /* Frozen at its last exit, or when asked if it was running then. */
    freeze_ns = trace_ns(tr, TR_FREEZE);
    handoff_ns = trace_ns(tr, TR_HANDOFF);
    if ( by_signal && signal_ns > freeze_ns )
        freeze_ns = signal_ns;
    if ( f != FI_NONE )
        stats.fault_injected[f]++;
    rc = move(g, &s, &held, f, freeze_ns, handoff_ns / 1e6, exit_ms, r);
    sbuf_free(&s);
    unlink_trace(g, hop);
    return rc < 0 ? -1 : 0;
}
