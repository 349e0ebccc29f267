/*
 * options.c: the command line of vmport-host.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vmport-record.h>

#include "options.h"

static const char usage_text[] =
"usage: vmport-host [options] -- PROGRAM ARGS...\n"
"       vmport-host --attach PID --state-in FILE [options]\n"
"Run PROGRAM as the guest of one simulated host, with the VMware backdoor\n"
"served by the vmport device model.\n"
"  --personality intel|amd   the simulated host (default intel)\n"
"  --hwver N                 virtual hardware version (default 7)\n"
"  --guestinfo KEY=VALUE     preload guestinfo (KEY as guestinfo.NAME)\n"
"  --guestinfo-file F        preload every KEY=VALUE line of F\n"
"  --no-hb                   no high-bandwidth port: 4 bytes per exit\n"
"  --state-in FILE|-         start from a state stream (-: stdin)\n"
"  --state-out FILE          write the state stream at exit or handoff\n"
"  --state-out-fd N          ... or to descriptor N (a pipe or socket)\n"
"  --trace FILE              log every exit with its registers\n"
"  --trace-max-bytes N       at most N bytes of trace, the newest lines, in\n"
"                            FILE and FILE.old (default 64 MiB, min 64 KiB)\n"
"  --handoff-after N         after N backdoor exits (or on SIGUSR1) write\n"
"                            its state and leave the guest stopped\n"
"  --attach PID              adopt a guest another host handed off\n"
"  --pid-file FILE           write the guest's pid\n"
"  --tsc-khz N, --clock-skew-ms N   this host's TSC and wall clock skew\n"
"  --tclo-every N            queue OS_Halt/OS_Reboot in turn every N exits\n"
"                            for a test guest that asked for them (never\n"
"                            one that would act on them: see the manual)\n"
"  --trigger-timeout-ms N     the domain's power command timeout (1000..\n"
"                            86400000; default the device model's, 60 s)\n"
"  -h, --help, --version\n"
"With --state-out(-fd), SIGTERM or SIGINT freezes the guest at an exit\n"
"boundary, writes its state and leaves it stopped for --attach (exit\n"
"128 + the signal).  Exit: the guest's status; 1 host error; 2 usage.\n";

void options_usage(FILE *f)
{
    fputs(usage_text, f);
}

static int parse_u64(const char *opt, const char *s, uint64_t max,
                     uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 0);
    if ( errno || !*s || *end || v > max || s[0] == '-' )
    {
        fprintf(stderr, "vmport-host: %s: '%s' is not a number in 0..%"
                PRIu64 "\n", opt, s, max);
        return -1;
    }
    *out = v;
    return 0;
}

static int add_gi(struct host_options *o, const char *key, size_t klen,
                  const char *val, size_t vlen)
{
    struct host_guestinfo *n = realloc(o->gi, (o->nr_gi + 1) * sizeof(*n));

    if ( !n )
        return -1;
    o->gi = n;
    n = &o->gi[o->nr_gi];
    n->key = strndup(key, klen);
    n->val = malloc(vlen + 1);
    if ( !n->key || !n->val )
        return -1;
    memcpy(n->val, val, vlen);
    n->val[vlen] = 0;
    n->vlen = vlen;
    o->nr_gi++;
    return 0;
}

static int gi_arg(struct host_options *o, const char *arg, const char *where)
{
    const char *eq = strchr(arg, '=');

    if ( !eq || eq == arg )
    {
        fprintf(stderr, "vmport-host: %s: expected KEY=VALUE, got '%.40s'\n",
                where, arg);
        return -1;
    }
    return add_gi(o, arg, eq - arg, eq + 1, strlen(eq + 1));
}

static int gi_file(struct host_options *o, const char *path)
{
    char *line = NULL, where[4200];
    size_t cap = 0;
    unsigned int lineno = 0;
    ssize_t n;
    FILE *f = fopen(path, "re");
    int rc = 0;

    if ( !f )
    {
        fprintf(stderr, "vmport-host: --guestinfo-file %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    while ( (n = getline(&line, &cap, f)) >= 0 )
    {
        lineno++;
        if ( n && line[n - 1] == '\n' )
            line[--n] = 0;
        if ( !n || line[0] == '#' )
            continue;
        snprintf(where, sizeof(where), "%s line %u", path, lineno);
        rc = gi_arg(o, line, where);
        if ( rc )
            break;
    }
    free(line);
    fclose(f);
    return rc;
}

enum {
    OPT_PERSONALITY = 256, OPT_HWVER, OPT_GUESTINFO, OPT_GUESTINFO_FILE,
    OPT_NO_HB, OPT_STATE_IN, OPT_STATE_OUT, OPT_TRACE, OPT_HANDOFF_AFTER,
    OPT_ATTACH, OPT_PID_FILE, OPT_TSC_KHZ, OPT_CLOCK_SKEW, OPT_HELP,
    OPT_VERSION, OPT_TRACE_MAX, OPT_STATE_OUT_FD, OPT_TCLO_EVERY,
    OPT_TRIGGER_TIMEOUT,
    OPT_TEST_STALL,
};

static const struct option long_opts[] = {
    { "personality", required_argument, NULL, OPT_PERSONALITY },
    { "hwver", required_argument, NULL, OPT_HWVER },
    { "guestinfo", required_argument, NULL, OPT_GUESTINFO },
    { "guestinfo-file", required_argument, NULL, OPT_GUESTINFO_FILE },
    { "no-hb", no_argument, NULL, OPT_NO_HB },
    { "state-in", required_argument, NULL, OPT_STATE_IN },
    { "state-out", required_argument, NULL, OPT_STATE_OUT },
    { "state-out-fd", required_argument, NULL, OPT_STATE_OUT_FD },
    { "trace", required_argument, NULL, OPT_TRACE },
    { "trace-max-bytes", required_argument, NULL, OPT_TRACE_MAX },
    { "handoff-after", required_argument, NULL, OPT_HANDOFF_AFTER },
    { "attach", required_argument, NULL, OPT_ATTACH },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "tsc-khz", required_argument, NULL, OPT_TSC_KHZ },
    { "clock-skew-ms", required_argument, NULL, OPT_CLOCK_SKEW },
    { "tclo-every", required_argument, NULL, OPT_TCLO_EVERY },
    { "trigger-timeout-ms", required_argument, NULL, OPT_TRIGGER_TIMEOUT },
    /* For tests only, so not in the usage (the manual says it). */
    { "test-stall-handoff", required_argument, NULL, OPT_TEST_STALL },
    { "help", no_argument, NULL, OPT_HELP },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

static int one_option(struct host_options *o, int c, const char *arg)
{
    uint64_t v;

    switch ( c )
    {
    case OPT_PERSONALITY:
        if ( personality_init(&o->pers, arg) )
        {
            fprintf(stderr, "vmport-host: --personality: '%s' is not intel "
                    "or amd\n", arg);
            return -1;
        }
        return 0;
    case OPT_HWVER:
        if ( parse_u64("--hwver", arg, 255, &v) )
            return -1;
        if ( v < 1 )
        {
            fprintf(stderr, "vmport-host: --hwver: must be 1..255\n");
            return -1;
        }
        o->hwver = v;
        return 0;
    case OPT_GUESTINFO:
        return gi_arg(o, arg, "--guestinfo");
    case OPT_GUESTINFO_FILE:
        return gi_file(o, arg);
    case OPT_NO_HB:
        o->hb = false;
        return 0;
    case OPT_STATE_IN:
        o->state_in = arg;
        return 0;
    case OPT_STATE_OUT:
        o->state_out = arg;
        return 0;
    case OPT_TCLO_EVERY:
        if ( parse_u64("--tclo-every", arg, UINT32_MAX, &v) )
            return -1;
        if ( !v )
        {
            fprintf(stderr, "vmport-host: --tclo-every: must be 1..%u\n",
                    UINT32_MAX);
            return -1;
        }
        o->tclo_every = v;
        return 0;
    case OPT_TRIGGER_TIMEOUT:
        if ( parse_u64("--trigger-timeout-ms", arg, UINT32_MAX, &v) )
            return -1;
        if ( v < HVM_VMPORT_TIMEOUT_MIN_MS || v > HVM_VMPORT_TIMEOUT_MAX_MS )
        {
            fprintf(stderr, "vmport-host: --trigger-timeout-ms: %" PRIu64
                    " is out of range (%u..%u)\n", v,
                    HVM_VMPORT_TIMEOUT_MIN_MS, HVM_VMPORT_TIMEOUT_MAX_MS);
            return -1;
        }
        o->trigger_timeout_ms = v;
        return 0;
    case OPT_STATE_OUT_FD:
        if ( parse_u64("--state-out-fd", arg, INT32_MAX, &v) )
            return -1;
        o->state_out_fd = v;
        return 0;
    case OPT_TRACE:
        o->trace_path = arg;
        return 0;
    case OPT_TEST_STALL:
        o->test_stall = arg;
        return 0;
    case OPT_TRACE_MAX:
        if ( parse_u64("--trace-max-bytes", arg, UINT64_MAX, &v) )
            return -1;
        if ( v < TRACE_MAX_MIN )
        {
            fprintf(stderr, "vmport-host: --trace-max-bytes: %" PRIu64
                    " is below the minimum, %llu\n", v, TRACE_MAX_MIN);
            return -1;
        }
        o->trace_max = v;
        return 0;
    case OPT_PID_FILE:
        o->pid_file = arg;
        return 0;
    case OPT_HANDOFF_AFTER:
        return parse_u64("--handoff-after", arg, UINT64_MAX,
                         &o->handoff_after);
    case OPT_ATTACH:
        if ( parse_u64("--attach", arg, INT32_MAX, &v) || !v )
            return -1;
        o->attach_pid = v;
        return 0;
    case OPT_TSC_KHZ:
        if ( parse_u64("--tsc-khz", arg, UINT32_MAX, &v) || !v )
            return -1;
        o->tsc_khz = v;
        return 0;
    case OPT_CLOCK_SKEW:
        if ( parse_u64("--clock-skew-ms", arg, INT32_MAX, &v) )
            return -1;
        o->clock_skew_ms = v;
        o->clock_skew_set = true;
        return 0;
    }
    return -1;
}

int options_parse(struct host_options *o, int argc, char **argv)
{
    int c;

    memset(o, 0, sizeof(*o));
    personality_init(&o->pers, "intel");
    o->hwver = 7;
    o->hb = true;
    o->trace_max = TRACE_MAX_DEFAULT;
    o->state_out_fd = -1;
    opterr = 0;     /* said below as "vmport-host: ...", not by argv[0] */
    while ( (c = getopt_long(argc, argv, "+:h", long_opts, NULL)) != -1 )
    {
        if ( c == ':' )
        {
            fprintf(stderr, "vmport-host: option '%s' needs a value\n",
                    argv[optind - 1]);
            return -1;
        }
        if ( c == '?' )
        {
            if ( optopt )
                fprintf(stderr, "vmport-host: unknown option '-%c'\n",
                        optopt);
            else
                fprintf(stderr, "vmport-host: unknown option '%s'\n",
                        argv[optind - 1]);
            return -1;
        }
        if ( c == 'h' || c == OPT_HELP )
        {
            options_usage(stdout);
            exit(0);
        }
        if ( c == OPT_VERSION )
        {
            printf("vmport-host (xen-vmport) %s\n", XEN_VMPORT_VERSION);
            exit(0);
        }
        if ( one_option(o, c, optarg) )
            return -1;
    }
    /* Applied last so that --personality may come after them. */
    if ( o->tsc_khz )
        o->pers.tsc_khz = o->tsc_khz;
    if ( o->clock_skew_set )
        o->pers.clock_skew_ns = o->clock_skew_ms * 1000000LL;
    o->argv = argv + optind;
    if ( o->attach_pid && *o->argv )
    {
        fprintf(stderr, "vmport-host: --attach takes no PROGRAM\n");
        return -1;
    }
    if ( !o->attach_pid && !*o->argv )
    {
        fprintf(stderr, "vmport-host: no PROGRAM given (after --)\n");
        return -1;
    }
    if ( o->attach_pid && !o->state_in )
    {
        fprintf(stderr, "vmport-host: --attach needs --state-in\n");
        return -1;
    }
    if ( o->state_out && o->state_out_fd >= 0 )
    {
        fprintf(stderr, "vmport-host: --state-out and --state-out-fd: one "
                "or the other\n");
        return -1;
    }
    if ( (o->handoff_after) && !o->state_out && o->state_out_fd < 0 )
    {
        fprintf(stderr, "vmport-host: --handoff-after needs --state-out\n");
        return -1;
    }
    return 0;
}
