/*
 * bench_record: the VMPORT record's size and the cost of save and of
 * check + load, from an idle domain to the largest state the default
 * limits allow and the largest the configurable limits allow.  Each cost
 * is printed beside memcpy() of the same number of bytes, measured in the
 * same run, as a ratio (goal: within 3x; idle record under 128 bytes).
 *
 * Then the VMPORT share of a migration - save the record, send it over a
 * loopback TCP connection, receive it, check and load it into another
 * domain - beside moving the same bytes over the same connection, the two
 * measured in turn (three times each, the median kept), as a ratio.
 *
 * The states are reached through the real device model (guest backdoor
 * calls and the dom0 guestinfo API); the program runs as one check test
 * case because the harness's helpers assert.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "states.h"
#include "vmware/record.h"

static double seconds = 0.2;
static domid_t next_domid = 500;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Mean seconds per run of @stmt: at least 3 runs and `seconds`. */
#define TIME_IT(result, stmt) do {                                       \
    unsigned long n_ = 0;                                                \
    double t0_ = now_s(), t_;                                            \
    do {                                                                 \
        stmt;                                                            \
        n_++;                                                            \
    } while ( (t_ = now_s()) - t0_ < seconds || n_ < 3 );                \
    (result) = (t_ - t0_) / n_;                                          \
} while ( 0 )

/* @nchan channels each holding a ~64 KiB reply and a ~64 KiB partial
 * request; guestinfo filled to @gi_bytes in @gi_keys keys. */
static struct domain *build(const struct vmport_limits *l, unsigned int nchan,
                            unsigned int gi_keys, uint32_t gi_bytes)
{
    struct domain *d = h_domain(next_domid++, 1, VMPORT_HWVER_DEFAULT, l);
    struct vcpu *v = d->vcpu[0];
    uint32_t vmax = l ? l->gi_value_max : VMPORT_GI_VALUE_MAX_DEFAULT;
    uint32_t vlen = gi_keys ? gi_bytes / gi_keys - 24 : 0;
    static char val[65536];
    struct cpu_user_regs r;
    unsigned int i, w;
    char key[40];

    memset(val, 'v', sizeof(val));
    if ( vlen > vmax )
        vlen = vmax;
    for ( i = 0; i < gi_keys; i++ )
    {
        snprintf(key, sizeof(key), "guestinfo.bench%018u", i);
        ck_assert_int_eq(vmport_guestinfo_set(d, key, strlen(key), val,
                                              vlen), 0);
    }
    if ( nchan )
        ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.big", 13, val,
                                              vmax - 2), 0);
    for ( i = 0; i < nchan; i++ )
    {
        struct chan c;

        m_open_ok(v, PROTO_RPCI | FLAG_COOKIE, &c);
        ck_assert_uint_eq(m_send_lb(v, &c, "info-get guestinfo.big", 22),
                          0x00010000);
        m_msg(v, &r, MESSAGE_TYPE_SENDSIZE, &c, VMPORT_MSG_IN_MAX);
        for ( w = 0; w + 4 < VMPORT_MSG_IN_MAX; w += 4 )
            m_msg(v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 0x64636261);
    }
    return d;
}

/*
 * A domain with @d's limits, to load @d's record into, and in *@cap the
 * most that record can take.
 */
static struct domain *twin(struct domain *d, uint32_t *cap)
{
    struct domain *e = h_domain(next_domid++, 1, VMPORT_HWVER_DEFAULT, NULL);
    struct vmport_limits l;

    vmport_get_limits(d, &l);
    vmport_domain_destroy(e);
    ck_assert_int_eq(vmport_enable(e, VMPORT_HWVER_DEFAULT, &l), 0);
    ck_assert_int_eq(vmport_record_save(d, NULL, 0, 0, VMPORT_SAVE_REFUSE,
                                        cap), 0);
    return e;
}

/* @n bytes, touched: no first-touch page faults are timed. */
static uint8_t *touched(size_t n)
{
    uint8_t *p = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(p);
    memset(p, 1, n);
    return p;
}

static void row(const char *name, struct domain *d)
{
    uint32_t len, cap;
    struct domain *e = twin(d, &cap);
    uint8_t *buf = touched(cap), *copy = touched(cap);
    double t_save, t_load, t_cpy, t_crc;
    volatile uint32_t sink;
    int rc = 0;

    /* Warm-up (untimed): the heap grows to its steady-state size once. */
    ck_assert_int_eq(vmport_record_save(d, buf, cap, 0, VMPORT_SAVE_REFUSE,
                                        &len), 0);
    ck_assert_int_eq(vmport_record_load(e, buf, len), 0);
    ck_assert_int_eq(vmport_record_load(e, buf, len), 0);
    TIME_IT(t_save, vmport_record_save(d, buf, cap, 0, VMPORT_SAVE_REFUSE,
                                       &len));
    TIME_IT(t_load, rc |= vmport_record_load(e, buf, len));
    ck_assert_int_eq(rc, 0);
    TIME_IT(t_crc, sink = vmport_crc32(0, buf + 24, len - 24));
    (void)sink;
    TIME_IT(t_cpy, memcpy(copy, buf, len);
                   __asm__ volatile("" : : "r"(copy) : "memory"));
    printf("%-26s %9u %10.2f %10.2f %7.2fx %10.2f %7.2fx %10.2f %6.2fx\n",
           name, len, t_cpy * 1e6, t_save * 1e6, t_save / t_cpy,
           t_load * 1e6, t_load / t_cpy, t_crc * 1e6, t_crc / t_cpy);
    free(buf);
    free(copy);
    shim_domain_destroy(d);
    shim_domain_destroy(e);
}

/*
 * One loopback TCP connection, its sending end served by a thread that
 * writes whatever buffer it is handed; the device model runs only in the
 * main thread, which receives.
 */
struct xfer {
    int tx, rx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    const uint8_t *buf;
    size_t len;
    bool go, sent, quit;
};

static void *sender(void *arg)
{
    struct xfer *x = arg;

    pthread_mutex_lock(&x->lock);
    for ( ;; )
    {
        size_t off = 0;

        while ( !x->go && !x->quit )
            pthread_cond_wait(&x->cond, &x->lock);
        if ( x->quit )
            break;
        x->go = false;
        pthread_mutex_unlock(&x->lock);
        while ( off < x->len )
        {
            ssize_t n = write(x->tx, x->buf + off, x->len - off);

            if ( n <= 0 && errno != EINTR )
                abort();
            off += n > 0 ? n : 0;
        }
        pthread_mutex_lock(&x->lock);
        x->sent = true;
        pthread_cond_broadcast(&x->cond);
    }
    pthread_mutex_unlock(&x->lock);
    return NULL;
}

static void xfer_open(struct xfer *x)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t alen = sizeof(a);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_ge(l, 0);
    ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &alen), 0);
    ck_assert_int_eq(listen(l, 1), 0);
    x->tx = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(connect(x->tx, (struct sockaddr *)&a, sizeof(a)), 0);
    x->rx = accept(l, NULL, NULL);
    ck_assert_int_ge(x->rx, 0);
    close(l);
    setsockopt(x->tx, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    pthread_mutex_init(&x->lock, NULL);
    pthread_cond_init(&x->cond, NULL);
    ck_assert_int_eq(pthread_create(&x->thread, NULL, sender, x), 0);
}

static void xfer_close(struct xfer *x)
{
    pthread_mutex_lock(&x->lock);
    x->quit = true;
    pthread_cond_broadcast(&x->cond);
    pthread_mutex_unlock(&x->lock);
    pthread_join(x->thread, NULL);
    close(x->tx);
    close(x->rx);
}

/* @len bytes of @buf from one end of the connection into @out. */
static void xfer_move(struct xfer *x, const uint8_t *buf, size_t len,
                      uint8_t *out)
{
    size_t off = 0;

    pthread_mutex_lock(&x->lock);
    x->buf = buf;
    x->len = len;
    x->sent = false;
    x->go = true;
    pthread_cond_broadcast(&x->cond);
    pthread_mutex_unlock(&x->lock);
    while ( off < len )
    {
        ssize_t n = read(x->rx, out + off, len - off);

        if ( n <= 0 && errno != EINTR )
            abort();
        off += n > 0 ? n : 0;
    }
    pthread_mutex_lock(&x->lock);
    while ( !x->sent )
        pthread_cond_wait(&x->cond, &x->lock);
    pthread_mutex_unlock(&x->lock);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/*
 * A migration's VMPORT share for the state of @d: save, move over @x,
 * check+load into another domain; beside moving the bytes alone.
 */
static void share_row(struct xfer *x, const char *name, struct domain *d)
{
    uint32_t len, cap;
    struct domain *e = twin(d, &cap);
    uint8_t *buf = touched(cap), *in = touched(cap);
    double t_share[3], t_bytes[3];
    unsigned int k;
    int rc = 0;

    /* Warm-up (untimed), and the record really goes across. */
    ck_assert_int_eq(vmport_record_save(d, buf, cap, 0, VMPORT_SAVE_REFUSE,
                                        &len), 0);
    xfer_move(x, buf, len, in);
    ck_assert_int_eq(vmport_record_load(e, in, len), 0);
    for ( k = 0; k < 3; k++ )
    {
        TIME_IT(t_bytes[k], xfer_move(x, buf, len, in));
        TIME_IT(t_share[k],
                rc |= vmport_record_save(d, buf, cap, 0, VMPORT_SAVE_REFUSE,
                                         &len);
                xfer_move(x, buf, len, in);
                rc |= vmport_record_load(e, in, len));
    }
    ck_assert_int_eq(rc, 0);
    qsort(t_bytes, 3, sizeof(double), cmp_d);
    qsort(t_share, 3, sizeof(double), cmp_d);
    printf("%-26s %9u %12.2f %16.2f %7.2fx\n", name, len, t_bytes[1] * 1e6,
           t_share[1] * 1e6, t_share[1] / t_bytes[1]);
    free(buf);
    free(in);
    shim_domain_destroy(d);
    shim_domain_destroy(e);
}

START_TEST(bench)
{
    struct xfer x = { 0 };
    struct vmport_limits def, max;
    struct domain *d;
    uint32_t len;
    uint8_t *rec;

    vmport_limits_default(&def);
    max = def;
    max.max_channels = VMPORT_MAX_CHANNELS_LIMIT;
    max.gi_key_max = VMPORT_GI_KEY_MAX_LIMIT;
    max.gi_value_max = VMPORT_GI_VALUE_MAX_LIMIT;
    max.gi_max_keys = VMPORT_GI_MAX_KEYS_LIMIT;
    max.gi_total_max = VMPORT_GI_TOTAL_MAX_LIMIT;
    max.tclo_queue_max = VMPORT_TCLO_QUEUE_LIMIT;

    d = st_build(next_domid++, ST_IDLE, NULL);
    rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    printf("idle record: %u bytes + 8-byte descriptor = %u (goal < 128): "
           "%s\n", len, len + 8, len + 8 < 128 ? "met" : "MISSED");
    free(rec);
    shim_domain_destroy(d);

    printf("%-26s %9s %10s %10s %8s %10s %8s %10s %7s\n", "state", "bytes",
           "memcpy us", "save us", "ratio", "chk+load", "ratio",
           "crc32 us", "ratio");
    row("idle", st_build(next_domid++, ST_IDLE, NULL));
    row("busy", st_build(next_domid++, ST_BUSY, NULL));
    row("default: 1 channel", build(&def, 1, 0, 0));
    row("default: guestinfo full", build(&def, 0, 255, 1U << 19));
    row("default: all full", build(&def, def.max_channels - 1, 255,
                                   (1U << 20) - 2 * 65536));
    row("max limits: 16 channels", build(&max, 16, 0, 0));
    row("max limits: guestinfo full", build(&max, 0, 4095,
                                            (16U << 20) - 65536 * 2));
    row("max limits: all full", build(&max, max.max_channels - 1, 4095,
                                      (16U << 20) - 65536 * 2));

    printf("\na migration's VMPORT share (save, send over a loopback TCP "
           "connection,\nreceive, check+load) beside the same bytes over the "
           "same connection, measured\nin turn, median of 3 (ratio = share "
           "/ bytes alone):\n");
    printf("%-26s %9s %12s %16s %8s\n", "state", "bytes", "bytes us",
           "save+move+load", "ratio");
    xfer_open(&x);
    share_row(&x, "idle", st_build(next_domid++, ST_IDLE, NULL));
    share_row(&x, "busy", st_build(next_domid++, ST_BUSY, NULL));
    share_row(&x, "default: 1 channel", build(&def, 1, 0, 0));
    share_row(&x, "default: all full", build(&def, def.max_channels - 1,
                                             255, (1U << 20) - 2 * 65536));
    share_row(&x, "max limits: all full",
              build(&max, max.max_channels - 1, 4095,
                    (16U << 20) - 65536 * 2));
    xfer_close(&x);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("bench-record");
    TCase *tc = tcase_create("bench");

    if ( argc > 1 )
        seconds = atof(argv[1]);
    /*
     * Xen's heap is mapped once; glibc would hand freed megabytes back to
     * the kernel between runs and fault them in again, a cost the
     * hypervisor does not have.  Keep freed memory in the process.
     */
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    printf("bench_record: glibc trimming and mmap off (Xen's heap does "
           "not fault); ratios are to memcpy of the record's bytes\n");
    tcase_set_timeout(tc, 0);
    tcase_add_test(tc, bench);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
