/*
 * test_record_save.c: the VMPORT record through the real device model:
 * round trips, versions and policies, corruption, truncation, extension.
 */
#include <check.h>
#include <stdlib.h>
#include <zlib.h>

#include <asm/hvm/save.h>

#include "states.h"
#include "vmware/record.h"

static domid_t next_domid = 100;

static void expect_same(const uint8_t *a, uint32_t alen, const uint8_t *b,
                        uint32_t blen, const char *what)
{
    uint32_t i;

    ck_assert_msg(alen == blen, "%s: expected %u bytes, seen %u", what, alen,
                  blen);
    for ( i = 0; i < alen && a[i] == b[i]; i++ )
        ;
    ck_assert_msg(i == alen, "%s: first difference at offset %u "
                  "(expected 0x%02x, seen 0x%02x)", what, i, a[i], b[i]);
}

/* Load @rec into a fresh default domain and save it again at @version. */
static uint8_t *reload(const uint8_t *rec, uint32_t len, unsigned int version,
                       uint32_t *out_len)
{
    struct domain *d = h_domain(next_domid++, 1, VMPORT_HWVER_DEFAULT, NULL);
    uint8_t *again;
    int rc = vmport_record_load(d, rec, len);

    ck_assert_msg(rc == 0, "load: expected 0, seen %d", rc);
    again = st_save(d, version, VMPORT_SAVE_REFUSE, out_len);
    shim_domain_destroy(d);
    return again;
}

static void fix_crc(uint8_t *rec, uint32_t len)
{
    uint32_t crc = crc32(0, rec + 24, len - 24);

    memcpy(rec + offsetof(struct hvm_vmport_header, body_crc), &crc, 4);
}

START_TEST(idle_record_is_under_128_bytes)
{
    struct domain *d = st_build(next_domid++, ST_IDLE, NULL);
    uint32_t len;
    uint8_t *rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);

    ck_assert_msg(len + sizeof(struct hvm_save_descriptor) < 128,
                  "idle record: expected < 128 bytes with descriptor, seen "
                  "%zu", len + sizeof(struct hvm_save_descriptor));
    free(rec);
    shim_domain_destroy(d);
}
END_TEST

/* Only live state is stored: the limits change no size. */
START_TEST(record_size_does_not_grow_with_limits)
{
    struct vmport_limits max;
    struct domain *d = st_build(next_domid++, _i, NULL), *e;
    uint32_t len, len2;
    uint8_t *a, *b;

    vmport_limits_default(&max);
    max.max_channels = VMPORT_MAX_CHANNELS_LIMIT;
    max.gi_max_keys = VMPORT_GI_MAX_KEYS_LIMIT;
    max.gi_total_max = VMPORT_GI_TOTAL_MAX_LIMIT;
    max.tclo_queue_max = VMPORT_TCLO_QUEUE_LIMIT;
    e = st_build(next_domid++, _i, &max);
    a = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    b = st_save(e, 0, VMPORT_SAVE_REFUSE, &len2);
    ck_assert_msg(len == len2, "%s: expected %u bytes under the largest "
                  "limits too, seen %u", st_names[_i], len, len2);
    free(a);
    free(b);
    shim_domain_destroy(d);
    shim_domain_destroy(e);
}
END_TEST

START_TEST(save_load_save_is_byte_identical)
{
    struct domain *d = st_build(next_domid++, _i, NULL);
    uint32_t len, len2;
    uint8_t *rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    uint8_t *again = reload(rec, len, 0, &len2);

    expect_same(rec, len, again, len2, st_names[_i]);
    free(rec);
    free(again);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(version1_round_trips_where_it_fits)
{
    struct domain *d = st_build(next_domid++, _i, NULL);
    uint32_t len, len2;
    uint8_t *rec;
    int rc = vmport_record_save(d, NULL, 0, 1, VMPORT_SAVE_REFUSE, &len);

    if ( _i == ST_MID_SEND || _i == ST_MID_RECV || _i == ST_TRIGGER )
    {
        ck_assert_msg(rc == -EOPNOTSUPP, "%s at v1 with refuse: expected "
                      "-EOPNOTSUPP, seen %d", st_names[_i], rc);
        rec = st_save(d, 1, VMPORT_SAVE_CHECKPOINT, &len);
    }
    else
    {
        ck_assert_msg(rc == 0, "%s fits v1: expected 0, seen %d",
                      st_names[_i], rc);
        rec = st_save(d, 1, VMPORT_SAVE_REFUSE, &len);
    }
    {
        uint8_t *again = reload(rec, len, 1, &len2);

        /* The reloaded state fits v1 as is: no checkpoint flag any more. */
        memset(rec + offsetof(struct hvm_vmport_header, flags), 0, 4);
        fix_crc(rec, len);

        expect_same(rec, len, again, len2, "v1 -> current -> v1");
        free(again);
    }
    free(rec);
    shim_domain_destroy(d);
}
END_TEST

/* After a checkpointed move the guest's next payload call gets CPT. */
START_TEST(checkpoint_answers_cpt_then_the_guest_restarts)
{
    struct domain *d = st_build(next_domid++, ST_MID_SEND, NULL), *e;
    struct cpu_user_regs r;
    struct chan c;
    uint32_t len;
    uint8_t *rec = st_save(d, 1, VMPORT_SAVE_CHECKPOINT, &len);
    char reply[64];
    long n;

    e = h_domain(next_domid++, 1, VMPORT_HWVER_DEFAULT, NULL);
    ck_assert_int_eq(vmport_record_load(e, rec, len), 0);
    c.id = 0;
    c.cookie = d->arch.hvm.vmport->channels[0].cookie;
    m_msg(e->vcpu[0], &r, MESSAGE_TYPE_SENDPAYLOAD, &c, 0x41414141);
    ck_assert_msg(r.ecx == (MESSAGE_STATUS_CPT << 16),
                  "payload after checkpoint: expected ECX %#x, seen %#x",
                  MESSAGE_STATUS_CPT << 16, r.ecx);
    n = m_rpc_lb(e->vcpu[0], &c, "info-get guestinfo.none", 23, reply,
                 sizeof(reply));
    ck_assert_msg(n >= 2 && reply[0] == '0', "retried request: expected a "
                  "\"0 ...\" reply, seen %ld bytes", n);
    free(rec);
    shim_domain_destroy(d);
    shim_domain_destroy(e);
}
END_TEST

/* A trigger saved as v1 under checkpoint still fires: OS_Halt queued. */
START_TEST(checkpoint_keeps_the_queued_power_command)
{
    struct domain *d = st_build(next_domid++, ST_TRIGGER, NULL);
    uint32_t len;
    uint8_t *rec = st_save(d, 1, VMPORT_SAVE_CHECKPOINT, &len);
    const uint8_t *p = memmem(rec, len, "OS_Halt", 8);

    ck_assert_msg(p != NULL, "v1 checkpoint record: expected OS_Halt queued");
    free(rec);
    shim_domain_destroy(d);
}
END_TEST

/* The domain a bad record was offered to: state and charge untouched. */
struct target {
    struct domain *d;
    uint8_t *pre;
    uint32_t pre_len;
    size_t mem;
};

static void target_init(struct target *t)
{
    t->d = st_build(next_domid++, ST_BUSY, NULL);
    t->pre = st_save(t->d, 0, VMPORT_SAVE_REFUSE, &t->pre_len);
    t->mem = vmport_mem_used(t->d);
}

static void target_unchanged(struct target *t, const char *what)
{
    uint32_t len;
    uint8_t *now = st_save(t->d, 0, VMPORT_SAVE_REFUSE, &len);

    expect_same(t->pre, t->pre_len, now, len, what);
    ck_assert_msg(vmport_mem_used(t->d) == t->mem, "%s: memory charge "
                  "expected %zu, seen %zu", what, t->mem,
                  vmport_mem_used(t->d));
    free(now);
}

static void target_fini(struct target *t)
{
    free(t->pre);
    shim_domain_destroy(t->d);
}

START_TEST(every_truncation_is_rejected_and_changes_nothing)
{
    struct domain *d = st_build(next_domid++, _i, NULL);
    struct target t;
    uint32_t len, cut;
    uint8_t *rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);

    target_init(&t);
    for ( cut = 0; cut < len; cut++ )
    {
        int rc = vmport_record_load(t.d, rec, cut);

        ck_assert_msg(rc == -ENODATA, "%s cut to %u of %u: expected "
                      "-ENODATA, seen %d", st_names[_i], cut, len, rc);
    }
    target_unchanged(&t, "after truncations");
    target_fini(&t);
    free(rec);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(extension_is_rejected_and_changes_nothing)
{
    struct domain *d = st_build(next_domid++, _i, NULL);
    struct target t;
    uint32_t len, body;
    uint8_t *rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    uint8_t *big = calloc(1, len + 16);

    target_init(&t);
    memcpy(big, rec, len);
    ck_assert_int_eq(vmport_record_load(t.d, big, len + 8), -EINVAL);
    /* A well-framed extra section of unknown type that must be understood */
    big[len] = 99;
    big[len + 2] = HVM_VMPORT_SF_MUST;
    body = len + 8 - 24;
    memcpy(big + 12, &body, 4);
    fix_crc(big, len + 8);
    ck_assert_int_eq(vmport_record_load(t.d, big, len + 8), -EINVAL);
    target_unchanged(&t, "after extensions");
    /* ... while an optional one is skipped. */
    big[len + 2] = 0;
    fix_crc(big, len + 8);
    ck_assert_int_eq(vmport_record_load(t.d, big, len + 8), 0);
    target_fini(&t);
    free(big);
    free(rec);
    shim_domain_destroy(d);
}
END_TEST

/* Each byte corrupted: the CRC catches it; with the CRC fixed up, the
 * walker either rejects it (domain unchanged) or it is a valid state. */
START_TEST(every_corrupted_byte_is_rejected_or_valid)
{
    struct domain *d = st_build(next_domid++, _i, NULL);
    struct target t;
    uint32_t len, off;
    uint8_t *rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    uint8_t *bad = malloc(len);
    static const uint8_t pats[] = { 0xff, 0x01, 0x80 };
    unsigned int p, accepted = 0;

    target_init(&t);
    for ( off = 0; off < len; off++ )
    {
        for ( p = 0; p < sizeof(pats); p++ )
        {
            int rc;

            memcpy(bad, rec, len);
            bad[off] ^= pats[p];
            if ( off >= 24 )
            {
                rc = vmport_record_load(t.d, bad, len);
                ck_assert_msg(rc == -EINVAL, "%s byte %u ^ %#x, CRC kept: "
                              "expected -EINVAL, seen %d", st_names[_i],
                              off, pats[p], rc);
            }
            if ( off < 16 || off >= 20 )
                fix_crc(bad, len);
            rc = vmport_record_load(t.d, bad, len);
            if ( rc )
            {
                ck_assert_msg(rc == -EINVAL || rc == -ENODATA, "%s byte %u "
                              "^ %#x: expected -EINVAL/-ENODATA, seen %d",
                              st_names[_i], off, pats[p], rc);
                continue;
            }
            /* Accepted: a valid state; put the target back. */
            accepted++;
            ck_assert_int_eq(vmport_record_load(t.d, t.pre, t.pre_len), 0);
        }
        if ( off % 64 == 0 )
            target_unchanged(&t, "during corruption");
    }
    target_unchanged(&t, "after corruption");
    target_fini(&t);
    free(bad);
    free(rec);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(full_context_round_trips_through_hvm_save_and_load)
{
    struct domain *d = st_build(next_domid++, ST_BUSY, NULL), *e;
    hvm_domain_context_t h = { .size = hvm_save_size(d) }, h2;
    uint32_t len, len2;
    uint8_t *rec, *rec2;

    h.data = calloc(1, h.size);
    ck_assert_int_eq(hvm_save(d, &h), 0);
    e = shim_domain_create(next_domid++, 1);
    h2 = (hvm_domain_context_t){ .size = h.cur, .data = h.data };
    ck_assert_int_eq(hvm_load(e, &h2), 0);
    ck_assert_msg(vmport_enabled(e), "restored domain: vmport expected on");
    rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    rec2 = st_save(e, 0, VMPORT_SAVE_REFUSE, &len2);
    expect_same(rec, len, rec2, len2, "hvm_save -> hvm_load");
    free(rec);
    free(rec2);
    free(h.data);
    shim_domain_destroy(d);
    shim_domain_destroy(e);
}
END_TEST

START_TEST(save_size_follows_the_domain_state_exactly)
{
    static char big[20000];
    struct domain *d = st_build(next_domid++, ST_IDLE, NULL);
    struct domain *off = shim_domain_create(next_domid++, 1);
    size_t before = hvm_save_size(d);
    uint32_t rec_before = vmport_record_size(d), len;
    uint8_t *rec;

    /* A domain without vmport has no VMPORT entry to size. */
    ck_assert_uint_eq(hvm_save_size(off) +
                      sizeof(struct hvm_save_descriptor) + rec_before,
                      before);
    memset(big, 'x', sizeof(big));
    ck_assert_int_eq(vmport_guestinfo_set(d, "guestinfo.big", 13, big,
                                          sizeof(big)), 0);
    rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    /* The size handler reports the record as it is now. */
    ck_assert_uint_eq(hvm_save_size(d) - before, len - rec_before);
    free(rec);
    shim_domain_destroy(d);
    shim_domain_destroy(off);
}
END_TEST

START_TEST(hypervisor_crc32_equals_zlib)
{
    uint8_t buf[4099];
    unsigned int i, n, at;

    for ( i = 0; i < sizeof(buf); i++ )
        buf[i] = i * 131 + (i >> 3);
    for ( at = 0; at < 16; at++ )
        for ( n = 0; n < sizeof(buf) - at; n += 97 - at )
            ck_assert_msg(vmport_crc32(0, buf + at, n) ==
                          crc32(0, buf + at, n),
                          "crc32 of %u bytes at +%u: zlib %#lx, seen %#x", n,
                          at, crc32(0, buf + at, n),
                          vmport_crc32(0, buf + at, n));
    /* Chained, as zlib allows: crc(a + b) = crc(crc(a), b). */
    ck_assert_uint_eq(vmport_crc32(vmport_crc32(0, buf, 1000), buf + 1000,
                                   3099), crc32(0, buf, 4099));
}
END_TEST

/* Random guest activity, then save -> load -> save. */
START_TEST(random_states_round_trip)
{
    struct domain *d;
    struct vcpu *v;
    struct chan c[8];
    struct cpu_user_regs r;
    unsigned int n = 0, i;
    uint32_t len, len2;
    uint8_t *rec, *again;
    char key[40];

    srand(1000 + _i);
    shim_seed_random(_i);
    d = h_domain(next_domid++, 1, VMPORT_HWVER_DEFAULT, NULL);
    v = d->vcpu[0];
    for ( i = 0; i < 40; i++ )
    {
        unsigned int op = rand() % 6, k = n ? rand() % n : 0;

        if ( op == 0 && n < 8 )
            m_open_ok(v, (rand() & 1 ? PROTO_RPCI : PROTO_TCLO) |
                         (rand() & 1 ? FLAG_COOKIE : 0), &c[n++]);
        else if ( op == 1 && n )
            m_msg(v, &r, MESSAGE_TYPE_SENDSIZE, &c[k], rand() % 64);
        else if ( op == 2 && n )
            m_msg(v, &r, MESSAGE_TYPE_SENDPAYLOAD, &c[k], rand());
        else if ( op == 3 && n )
            m_msg(v, &r, MESSAGE_TYPE_RECVSIZE, &c[k], 0);
        else if ( op == 4 && n )
            m_msg(v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c[k], 1);
        else
        {
            snprintf(key, sizeof(key), "guestinfo.r%u", rand() % 20);
            st_gi(d, key, key + rand() % 10);
        }
        shim_clock_advance(MILLISECS(rand() % 500));
    }
    rec = st_save(d, 0, VMPORT_SAVE_REFUSE, &len);
    again = reload(rec, len, 0, &len2);
    expect_same(rec, len, again, len2, "random state");
    free(rec);
    free(again);
    shim_domain_destroy(d);
}
END_TEST

static Suite *record_suite(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("save");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, idle_record_is_under_128_bytes);
    tcase_add_loop_test(tc, record_size_does_not_grow_with_limits, 0,
                        ST_NR);
    tcase_add_loop_test(tc, save_load_save_is_byte_identical, 0, ST_NR);
    tcase_add_loop_test(tc, version1_round_trips_where_it_fits, 0, ST_NR);
    tcase_add_test(tc, checkpoint_answers_cpt_then_the_guest_restarts);
    tcase_add_test(tc, checkpoint_keeps_the_queued_power_command);
    tcase_add_loop_test(tc, every_truncation_is_rejected_and_changes_nothing,
                        0, ST_NR);
    tcase_add_loop_test(tc, extension_is_rejected_and_changes_nothing, 0,
                        ST_NR);
    tcase_add_loop_test(tc, every_corrupted_byte_is_rejected_or_valid, 0,
                        ST_NR);
    tcase_add_test(tc, full_context_round_trips_through_hvm_save_and_load);
    tcase_add_test(tc, hypervisor_crc32_equals_zlib);
    tcase_add_test(tc, save_size_follows_the_domain_state_exactly);
    tcase_add_loop_test(tc, random_states_round_trip, 0, 50);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run_suite(record_suite());
}
