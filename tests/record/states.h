/*
 * states.h: device states for the record tests, the golden-file generator
 * and the benchmark, reached by driving the real device model through the
 * shim exactly as a guest would (backdoor calls) plus the dom0 API.
 * Deterministic: a fixed random seed and a fixed clock.
 */
#ifndef RECORD_STATES_H
#define RECORD_STATES_H

#include <asm/hvm/save.h>
#include <asm/hvm/vmport-save.h>

#include "msg_harness.h"

enum st_kind {
    ST_IDLE,            /* vmport on, nothing open */
    ST_BUSY,            /* RPCI + bound TCLO channels, some guestinfo */
    ST_MID_SEND,        /* a request half sent */
    ST_MID_RECV,        /* a reply half fetched */
    ST_FULL_GI,         /* guestinfo at its key-count limit */
    ST_TRIGGER,         /* OS_Halt queued for the bound toolbox */
    ST_NR
};

static const char *const st_names[ST_NR] = {
    "idle", "busy", "mid-send", "mid-recv", "full-guestinfo",
    "queued-trigger",
};

#define ST_NOW  (SECONDS(100))

static inline void st_gi(struct domain *d, const char *key, const char *val)
{
    int rc = vmport_guestinfo_set(d, key, strlen(key), val, strlen(val));

    ck_assert_msg(rc == 0, "guestinfo set %s: expected 0, seen %d", key, rc);
}

/* A TCLO channel answered "reset" with "OK ATR <app>": bound. */
static inline void st_tclo_bind(struct vcpu *v, struct chan *t,
                                const char *app)
{
    char buf[64], atr[64];
    uint32_t ecx;
    long n;

    m_open_ok(v, PROTO_TCLO | FLAG_COOKIE, t);
    n = m_recv_lb(v, t, buf, sizeof(buf), &ecx);
    ck_assert_msg(n == 6 && !memcmp(buf, "reset", 6),
                  "TCLO open: expected \"reset\", seen %ld bytes", n);
    snprintf(atr, sizeof(atr), "OK ATR %s", app);
    ecx = m_send_lb(v, t, atr, strlen(atr));
    ck_assert_msg(ecx == 0x00010000, "ATR: ECX %#x", ecx);
}

/* A domain (vmport on, @l or default limits) in state @k. */
static inline struct domain *st_build(domid_t domid, enum st_kind k,
                                      const struct vmport_limits *l)
{
    struct domain *d;
    struct vcpu *v;
    struct chan r1, r2, t;
    struct cpu_user_regs regs;
    char key[64], val[80];
    unsigned int i;

    shim_seed_random(0x5eed0000 + k);
    shim_clock_set_now(SECONDS(1));
    d = h_domain(domid, 1, VMPORT_HWVER_DEFAULT, l);
    v = d->vcpu[0];

    switch ( k )
    {
    case ST_IDLE:
        break;
    case ST_BUSY:
        m_open_ok(v, PROTO_RPCI | FLAG_COOKIE, &r1);
        m_open_ok(v, PROTO_RPCI, &r2);
        st_tclo_bind(v, &t, "toolbox");
        st_gi(d, "guestinfo.hostname", "golden-vm");
        st_gi(d, "guestinfo.ip", "192.0.2.10");
        break;
    case ST_MID_SEND:
        m_open_ok(v, PROTO_RPCI | FLAG_COOKIE, &r1);
        m_msg(v, &regs, MESSAGE_TYPE_SENDSIZE, &r1, 26);
        m_msg(v, &regs, MESSAGE_TYPE_SENDPAYLOAD, &r1, 0x6f666e69);
        m_msg(v, &regs, MESSAGE_TYPE_SENDPAYLOAD, &r1, 0x7465672d);
        break;
    case ST_MID_RECV:
        st_gi(d, "guestinfo.answer", "forty-two and then some");
        m_open_ok(v, PROTO_RPCI | FLAG_COOKIE, &r1);
        ck_assert_uint_eq(m_send_lb(v, &r1, "info-get guestinfo.answer",
                                    25), 0x00010000);
        m_msg(v, &regs, MESSAGE_TYPE_RECVSIZE, &r1, 0);
        m_msg(v, &regs, MESSAGE_TYPE_RECVPAYLOAD, &r1, 1);
        m_msg(v, &regs, MESSAGE_TYPE_RECVPAYLOAD, &r1, 1);
        break;
    case ST_FULL_GI:
        for ( i = 0; i < VMPORT_GI_MAX_KEYS_DEFAULT; i++ )
        {
            snprintf(key, sizeof(key), "guestinfo.key%04u", i);
            snprintf(val, sizeof(val), "value %u of a full store", i);
            st_gi(d, key, val);
        }
        break;
    case ST_TRIGGER:
        st_tclo_bind(v, &t, "toolbox");
        ck_assert_int_eq(vmport_trigger(d, VMPORT_TRIGGER_HALT), 0);
        break;
    default:
        break;
    }
    shim_clock_set_now(ST_NOW);
    return d;
}

/* The record of @d at @version under @policy, malloc()ed. */
static inline uint8_t *st_save(struct domain *d, unsigned int version,
                               enum vmport_save_policy policy,
                               uint32_t *len)
{
    uint8_t *buf;
    int rc = vmport_record_save(d, NULL, 0, version, policy, len);

    ck_assert_msg(rc == 0, "measure: expected 0, seen %d", rc);
    buf = malloc(*len);
    ck_assert_ptr_nonnull(buf);
    rc = vmport_record_save(d, buf, *len, version, policy, len);
    ck_assert_msg(rc == 0, "save v%u: expected 0, seen %d", version, rc);
    return buf;
}

#endif /* RECORD_STATES_H */
