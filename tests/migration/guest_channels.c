/*
 * guest_channels.c: a guest that keeps several GuestRPC channels open at
 * once, with messages half sent and replies half fetched on all of them at
 * the same time, so a migration always lands in the middle of something.
 *
 *   guest_channels ID CHANNELS ROUNDS [STOPFILE [tclo]]
 *
 * Every round, each channel sends "info-set guestinfo.stress.ID.C VALUE"
 * (VALUE deterministic, up to 12 KiB) and then "info-get" of the same key;
 * the channels are stepped round-robin one backdoor call at a time, so
 * their transfers interleave.  Odd channels use the HB port when the host
 * offers it, even ones move 4 bytes per exit.  A CPT status restarts the
 * message (protocol reference 2.6) as open-vm-tools does.  Every reply is
 * checked; a transcript line per round carries a CRC of all replies.
 * Stops after ROUNDS rounds (0: unbounded) or when STOPFILE exists.
 * Exit 0 only if every reply was right.
 *
 * With "tclo" it also keeps a TCLO channel, polled every round as the
 * tools' rpcin loop polls it (the command's answer goes with the next
 * poll): "reset" is answered "OK ATR toolbox", "ping" "OK ", and OS_Halt
 * and OS_Reboot - which it only counts, halting nothing - "OK " and then
 * tools.os.statechange.status on channel 0.  A command counts once its
 * RECVSTATUS succeeded, which is when the host dequeues it; the final
 * line's tclo= is the count, which vmport-stress holds to what its hosts
 * queued.  It sets guestinfo.vmport-stress.tclo=1 first: vmport-host
 * --tclo-every queues nothing for a guest that did not (vmtoolsd never
 * does: it would halt the machine).  GUEST_CHANNELS_TCLO_PAUSE_MS=N (a
 * test of commands that time out unfetched) stops its TCLO polls for N ms
 * once, after its first power command's statechange, as a tools daemon
 * that stalls would; its other channels go on.  GUEST_CHANNELS_TCLO_SKEW=N
 * (a test of
 * that check) adds N to the count it reports.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest_clock.h"

#define MAGIC       0x564d5868U
#define LB_PORT     0x5658U
#define HB_PORT     0x5659U
#define CMD_MSG     30U
#define RPCI        0x49435052U
#define TCLO        0x4f4c4354U
#define FLAG_COOKIE 0x80000000U
#define ST_SUCCESS  0x0001U
#define ST_DORECV   0x0002U
#define ST_CPT      0x0010U
#define ST_HB       0x0080U
#define MAX_CH      8
#define MAX_MSG     (13 * 1024)

enum step {
    S_SENDSIZE, S_SENDPAYLOAD, S_RECVSIZE, S_RECVPAYLOAD, S_RECVSTATUS,
    S_DONE,
};

struct chan {
    uint16_t id;
    uint32_t ck_hi, ck_lo;
    bool use_hb;
    bool tclo;                  /* RECVSIZE without DORECV: no command */
    enum step step;
    char req[MAX_MSG];
    uint32_t req_len, pos;
    char rep[MAX_MSG + 8];
    uint32_t rep_len;
};

struct regs {
    uint32_t a, b, c, d, si, di;
};

static unsigned long nr_cpt, nr_bad, nr_rpcs, nr_tclo;

static void lb_call(struct regs *r)
{
    asm volatile("in %%dx, %%eax"
                 : "+a"(r->a), "+b"(r->b), "+c"(r->c), "+d"(r->d),
                   "+S"(r->si), "+D"(r->di)
                 : : "memory");
}

static struct regs msg_call(struct chan *ch, unsigned int sub, uint32_t ebx)
{
    struct regs r = {
        .a = MAGIC, .b = ebx, .c = (sub << 16) | CMD_MSG,
        .d = ((uint32_t)ch->id << 16) | LB_PORT,
        .si = ch->ck_hi, .di = ch->ck_lo,
    };

    lb_call(&r);
    return r;
}

/* HB status (EBX[31:16]); the guest is built with -mno-red-zone. */
static uint32_t hb_send(struct chan *ch)
{
    uint64_t b = 0x10000, c = ch->req_len, si = (uintptr_t)ch->req;
    uint64_t a = MAGIC, d = ((uint32_t)ch->id << 16) | HB_PORT;
    uint64_t di = ch->ck_lo, bp = ch->ck_hi;

    asm volatile("push %%rbp\n\tmov %[bp], %%rbp\n\tcld\n\trep outsb\n\t"
                 "pop %%rbp"
                 : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "+S"(si), "+D"(di)
                 : [bp] "r"(bp) : "memory");
    return (uint32_t)b >> 16;
}

static uint32_t hb_recv(struct chan *ch)
{
    uint64_t b = 0x10000, c = ch->rep_len, di = (uintptr_t)ch->rep;
    uint64_t a = MAGIC, d = ((uint32_t)ch->id << 16) | HB_PORT;
    uint64_t si = ch->ck_hi, bp = ch->ck_lo;

    asm volatile("push %%rbp\n\tmov %[bp], %%rbp\n\tcld\n\trep insb\n\t"
                 "pop %%rbp"
                 : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "+S"(si), "+D"(di)
                 : [bp] "r"(bp) : "memory");
    return (uint32_t)b >> 16;
}

static int chan_open(struct chan *ch)
{
    struct regs r = {
        .a = MAGIC, .b = (ch->tclo ? TCLO : RPCI) | FLAG_COOKIE, .c = CMD_MSG,
        .d = LB_PORT,
    };

    lb_call(&r);
    if ( !((r.c >> 16) & ST_SUCCESS) )
        return -1;
    ch->id = r.d >> 16;
    ch->ck_hi = r.si;
    ch->ck_lo = r.di;
    return 0;
}

static void chan_fail(struct chan *ch, const char *what, uint32_t st)
{
    printf("FAIL channel %u: %s, status 0x%04x\n", ch->id, what, st);
    nr_bad++;
    ch->step = S_DONE;
}

/* A CPT restarts the whole message from its size call (message.c). */
static bool chan_cpt(struct chan *ch, uint32_t st, enum step restart)
{
    if ( (st & ST_SUCCESS) || !(st & ST_CPT) )
        return false;
    nr_cpt++;
    ch->step = restart;
    ch->pos = 0;
    return true;
}

static void step_send(struct chan *ch)
{
    struct regs r;
    uint32_t st, w = 0;

    if ( ch->step == S_SENDSIZE )
    {
        r = msg_call(ch, 1, ch->req_len);
        st = r.c >> 16;
        if ( !(st & ST_SUCCESS) )
            return chan_fail(ch, "SENDSIZE", st);
        ch->pos = 0;
        ch->step = S_SENDPAYLOAD;
        if ( ch->use_hb && (st & ST_HB) )
        {
            st = hb_send(ch);
            if ( chan_cpt(ch, st, S_SENDSIZE) )
                return;
            if ( !(st & ST_SUCCESS) )
                return chan_fail(ch, "HB send", st);
            ch->pos = ch->req_len;
        }
        if ( ch->pos >= ch->req_len )
            ch->step = S_RECVSIZE;
        return;
    }
    memcpy(&w, ch->req + ch->pos,
           ch->req_len - ch->pos < 4 ? ch->req_len - ch->pos : 4);
    r = msg_call(ch, 2, w);
    st = r.c >> 16;
    if ( chan_cpt(ch, st, S_SENDSIZE) )
        return;
    if ( !(st & ST_SUCCESS) )
        return chan_fail(ch, "SENDPAYLOAD", st);
    ch->pos += 4;
    if ( ch->pos >= ch->req_len )
        ch->step = S_RECVSIZE;
}

static void step_recv(struct chan *ch)
{
    struct regs r;
    uint32_t st, n;

    switch ( ch->step )
    {
    case S_RECVSIZE:
        r = msg_call(ch, 3, 0);
        st = r.c >> 16;
        if ( ch->tclo && (st & ST_SUCCESS) && !(st & ST_DORECV) )
        {
            ch->rep_len = 0;        /* no command waiting */
            ch->step = S_DONE;
            return;
        }
        if ( !(st & ST_SUCCESS) || !(st & ST_DORECV) || (r.d >> 16) != 1 ||
             r.b > MAX_MSG )
            return chan_fail(ch, "RECVSIZE", st);
        ch->rep_len = r.b;
        ch->pos = 0;
        ch->step = ch->rep_len ? S_RECVPAYLOAD : S_RECVSTATUS;
        if ( ch->rep_len && ch->use_hb && (st & ST_HB) )
        {
            st = hb_recv(ch);
            if ( chan_cpt(ch, st, S_RECVSIZE) )
                return;
            if ( !(st & ST_SUCCESS) )
                return chan_fail(ch, "HB receive", st);
            ch->step = S_RECVSTATUS;
        }
        return;
    case S_RECVPAYLOAD:
        r = msg_call(ch, 4, 1);
        st = r.c >> 16;
        if ( chan_cpt(ch, st, S_RECVSIZE) )
            return;
        if ( !(st & ST_SUCCESS) || (r.d >> 16) != 2 )
            return chan_fail(ch, "RECVPAYLOAD", st);
        n = ch->rep_len - ch->pos < 4 ? ch->rep_len - ch->pos : 4;
        memcpy(ch->rep + ch->pos, &r.b, n);
        ch->pos += n;
        if ( ch->pos >= ch->rep_len )
            ch->step = S_RECVSTATUS;
        return;
    default:
        r = msg_call(ch, 5, 1);
        st = r.c >> 16;
        if ( chan_cpt(ch, st, S_RECVSIZE) )
            return;
        if ( !(st & ST_SUCCESS) )
            return chan_fail(ch, "RECVSTATUS", st);
        ch->step = S_DONE;
        if ( !ch->tclo )
            nr_rpcs++;
    }
}

/* One request on every channel at once, stepped round-robin. */
static void exchange(struct chan *chs, unsigned int n)
{
    unsigned int i, busy;

    for ( i = 0; i < n; i++ )
        chs[i].step = S_SENDSIZE;
    do {
        busy = 0;
        for ( i = 0; i < n; i++ )
        {
            if ( chs[i].step == S_DONE )
                continue;
            busy++;
            if ( chs[i].step <= S_SENDPAYLOAD )
                step_send(&chs[i]);
            else
                step_recv(&chs[i]);
        }
    } while ( busy );
}

static uint32_t crc32_update(uint32_t crc, const void *p, size_t len)
{
    const uint8_t *b = p;
    unsigned int k;

    crc = ~crc;
    while ( len-- )
    {
        crc ^= *b++;
        for ( k = 0; k < 8; k++ )
            crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
    }
    return ~crc;
}

/* Deterministic value of (guest, channel, round): lengths 1..12 KiB. */
static uint32_t make_value(char *buf, unsigned int id, unsigned int c,
                           unsigned long round)
{
    uint32_t x = id * 2654435761U ^ c * 40503U ^ (uint32_t)round * 97U;
    uint32_t len = 1 + (x % 7 == 0 ? 12000 : x % 300), i;

    for ( i = 0; i < len; i++ )
    {
        x = x * 1103515245U + 12345U;
        buf[i] = 'a' + (x >> 16) % 26;
    }
    return len;
}

static void check_replies(struct chan *chs, unsigned int n, bool get,
                          unsigned int id, unsigned long round)
{
    static char want[MAX_MSG];
    unsigned int c;

    for ( c = 0; c < n; c++ )
    {
        struct chan *ch = &chs[c];
        uint32_t len = get ? make_value(want, id, c, round) : 0;

        if ( ch->rep_len != len + 2 || memcmp(ch->rep, "1 ", 2) ||
             memcmp(ch->rep + 2, want, len) )
        {
            printf("FAIL round %lu channel %u %s: expected '1 ' + %u bytes, "
                   "seen %u bytes '%.20s'\n", round, c, get ? "get" : "set",
                   len, ch->rep_len, ch->rep);
            nr_bad++;
        }
    }
}

static void fill_requests(struct chan *chs, unsigned int n, bool get,
                          unsigned int id, unsigned long round)
{
    unsigned int c;
    int k;

    for ( c = 0; c < n; c++ )
    {
        struct chan *ch = &chs[c];

        k = snprintf(ch->req, sizeof(ch->req), "info-%s guestinfo.stress.%u.%u%s",
                     get ? "get" : "set", id, c, get ? "" : " ");
        ch->req_len = k;
        if ( !get )
            ch->req_len += make_value(ch->req + k, id, c, round);
    }
}

/*
 * The domain's clock seen from the guest, checked every round on whatever
 * host it runs (guest_clock.h, the check every guest of ours makes).
 */
static void check_clock(unsigned long round)
{
    static struct guest_clock_seen seen;
    char why[160];

    if ( guest_clock_check(&seen, why, sizeof(why)) )
    {
        printf("FAIL clock round %lu: %s\n", round, why);
        nr_bad++;
    }
}

/* One RPC on channel 0 whose reply must be "1 ". */
static void rpc_ok(struct chan *chs, const char *req, const char *what)
{
    struct chan *ch = &chs[0];

    ch->req_len = snprintf(ch->req, sizeof(ch->req), "%s", req);
    exchange(chs, 1);
    if ( ch->rep_len != 2 || memcmp(ch->rep, "1 ", 2) )
    {
        printf("FAIL %s: expected '1 ', seen %u bytes '%.20s'\n", what,
               ch->rep_len, ch->rep);
        nr_bad++;
    }
}

static bool is_cmd(const struct chan *t, const char *cmd)
{
    return t->rep_len == strlen(cmd) + 1 && !memcmp(t->rep, cmd, t->rep_len);
}

/*
 * GUEST_CHANNELS_TCLO_PAUSE_MS: the one pause of the TCLO polls, from the
 * first power command's statechange (tclo_pause_start()) for N ms.
 */
static uint64_t tclo_pause_end_ns;     /* 0: no pause started */

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void tclo_pause_start(void)
{
    const char *ms = getenv("GUEST_CHANNELS_TCLO_PAUSE_MS");

    if ( tclo_pause_end_ns || !ms )
        return;
    tclo_pause_end_ns = monotonic_ns() + strtoull(ms, NULL, 0) * 1000000ULL;
}

static bool tclo_paused(void)
{
    return tclo_pause_end_ns && monotonic_ns() < tclo_pause_end_ns;
}

/*
 * A round of the TCLO channel @t: send the last command's answer (or ""),
 * take the next command, until none waits (at most four).  A power
 * command's statechange goes on channel 0 once its "OK " went.
 */
static void tclo_round(struct chan *t, struct chan *chs)
{
    static const char *answer = "";
    static unsigned int state;          /* statechange due: 1 halt, 2 reboot */
    unsigned int i;

    for ( i = 0; i < 4 && !tclo_paused(); i++ )
    {
        t->req_len = snprintf(t->req, sizeof(t->req), "%s", answer);
        exchange(t, 1);
        answer = "";
        if ( state )
        {
            char req[64];

            snprintf(req, sizeof(req), "tools.os.statechange.status 1 %u",
                     state);
            rpc_ok(chs, req, "statechange");
            state = 0;
            tclo_pause_start();
        }
        if ( !t->rep_len )
            break;
        if ( is_cmd(t, "reset") )
            answer = "OK ATR toolbox";
        else if ( is_cmd(t, "ping") )
            answer = "OK ";
        else if ( is_cmd(t, "OS_Halt") || is_cmd(t, "OS_Reboot") )
        {
            nr_tclo++;
            answer = "OK ";
            state = is_cmd(t, "OS_Halt") ? 1 : 2;
        }
        else
        {
            printf("FAIL tclo: unknown command, %u bytes '%.20s'\n",
                   t->rep_len, t->rep);
            nr_bad++;
        }
    }
}

/*
 * GUEST_CHANNELS_REPORT=1 (vmport-stress --backend xl): after every round
 * the guest's counters go to guestinfo.stress.ID.counters on channel 0,
 * "rounds=R rpcs=C failures=F crc=X", where dom0 reads them with
 * `vmport-state guestinfo get --domain`.
 */
static void report_counters(struct chan *chs, unsigned int id,
                            unsigned long rounds, uint32_t crc)
{
    char req[160], what[48];

    snprintf(req, sizeof(req), "info-set guestinfo.stress.%u.counters "
             "rounds=%lu rpcs=%lu failures=%lu crc=%08x", id, rounds,
             nr_rpcs, nr_bad, crc);
    snprintf(what, sizeof(what), "counters after round %lu", rounds);
    rpc_ok(chs, req, what);
}

int main(int argc, char **argv)
{
    static struct chan chs[MAX_CH], tclo = { .tclo = true };
    unsigned int id, n, c;
    unsigned long rounds, r;
    const char *stop;
    bool report = getenv("GUEST_CHANNELS_REPORT") != NULL;
    bool use_tclo = argc > 5 && !strcmp(argv[5], "tclo");

    if ( argc < 4 )
    {
        fprintf(stderr, "usage: guest_channels ID CHANNELS ROUNDS "
                "[STOPFILE]\n");
        return 2;
    }
    id = strtoul(argv[1], NULL, 0);
    n = strtoul(argv[2], NULL, 0);
    rounds = strtoul(argv[3], NULL, 0);
    stop = argc > 4 && strcmp(argv[4], "-") ? argv[4] : NULL;
    if ( n < 1 || n > MAX_CH )
        n = MAX_CH;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for ( c = 0; c < n; c++ )
    {
        chs[c].use_hb = c & 1;
        if ( chan_open(&chs[c]) )
        {
            printf("FAIL open channel %u\n", c);
            return 1;
        }
    }
    /* No channel left for it (CHANNELS at the domain's limit): none. */
    if ( use_tclo && chan_open(&tclo) )
    {
        printf("tclo: no channel left, not used\n");
        use_tclo = false;
    }
    if ( use_tclo )
        rpc_ok(chs, "info-set guestinfo.vmport-stress.tclo 1", "tclo key");
    for ( r = 0; (!rounds || r < rounds) && !(stop && !access(stop, F_OK));
          r++ )
    {
        uint32_t crc = 0;

        fill_requests(chs, n, false, id, r);
        exchange(chs, n);
        check_replies(chs, n, false, id, r);
        fill_requests(chs, n, true, id, r);
        exchange(chs, n);
        check_replies(chs, n, true, id, r);
        for ( c = 0; c < n; c++ )
            crc = crc32_update(crc, chs[c].rep, chs[c].rep_len);
        check_clock(r);
        if ( use_tclo )
            tclo_round(&tclo, chs);
        printf("round %lu crc=%08x\n", r, crc);
        if ( report )
            report_counters(chs, id, r + 1, crc);
    }
    for ( c = 0; c < n; c++ )
        msg_call(&chs[c], 6, 0);
    if ( use_tclo )
        msg_call(&tclo, 6, 0);
    if ( getenv("GUEST_CHANNELS_TCLO_SKEW") )
        nr_tclo += strtol(getenv("GUEST_CHANNELS_TCLO_SKEW"), NULL, 0);
    printf("channels: id=%u channels=%u rounds=%lu rpcs=%lu cpt=%lu "
           "failures=%lu tclo=%lu\n", id, n, r, nr_rpcs, nr_cpt, nr_bad,
           nr_tclo);
    return nr_bad ? 1 : 0;
}
