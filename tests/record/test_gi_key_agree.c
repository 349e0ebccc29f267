/*
 * test_gi_key_agree.c: the tools and the device model read a guestinfo key
 * the same way.  Both run record.c's key rule (vmport_rec_gi_key_fold());
 * this feeds the same keys through the device model (gi_key_dm.c: the
 * dom0 set, compiled as hypervisor code) and through the record library
 * (vrec_gi_set(), what vmport-state edits with) and asserts the same
 * verdict and the same stored key: every byte in every position of the
 * prefix, every byte of a name, the length limit from both sides.
 */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmport-record.h>
#include "gi_key_dm.h"

#define PREFIX      "guestinfo."
#define PREFIX_LEN  (sizeof(PREFIX) - 1)

static unsigned int nr_keys, nr_ok;

static void show(char *out, size_t cap, const char *key, size_t klen)
{
    size_t i, o = 0;

    for ( i = 0; i < klen && o + 5 < cap; i++ )
    {
        unsigned char c = key[i];

        o += snprintf(out + o, cap - o, c > ' ' && c < 0x7f ? "%c" :
                      "\\x%02x", c);
    }
    out[o] = '\0';
}

/* @key through both paths, with key limit @max: the same verdict. */
static void agree(const char *key, unsigned int max)
{
    size_t klen = strlen(key), slen = 0;
    char dm_key[2048], err[256], shown[256];
    int dm_rc, dm_found = 0, rc;
    struct vrec r;

    show(shown, sizeof(shown), key, klen);
    dm_rc = dm_gi_set_key(key, klen, max, dm_key, sizeof(dm_key), &slen,
                          &dm_found);

    memset(&r, 0, sizeof(r));
    r.version = HVM_VMPORT_VERSION_CURRENT;
    vrec_default_config(&r, 7);
    r.config.gi_key_max = max;
    rc = vrec_gi_set(&r, key, "v", 1, err, sizeof(err));
    ck_assert_msg(rc == dm_rc, "\"%s\" (limit %u): the device model says "
                  "%d, the tools %d (%s)", shown, max, dm_rc, rc,
                  rc ? err : "set");
    if ( !rc )
    {
        ck_assert_uint_eq(r.nr_gi, 1);
        ck_assert_msg(r.gi[0].klen == slen &&
                      !memcmp(r.gi[0].key, dm_key, slen),
                      "\"%s\": stored as \"%.*s\" by the device model, "
                      "\"%s\" by the tools", shown, (int)slen, dm_key,
                      r.gi[0].key);
        ck_assert_msg(dm_found && vrec_gi_get(&r, key),
                      "\"%s\": set but not found again", shown);
        nr_ok++;
    }
    vrec_free(&r);
    nr_keys++;
}

/* Every byte (but NUL, which a C string cannot hold) in every position
 * of the prefix, then in the name. */
START_TEST(every_byte_of_prefix_and_name)
{
    char key[32];
    unsigned int pos, b;

    for ( pos = 0; pos < PREFIX_LEN + 2; pos++ )
        for ( b = 1; b < 256; b++ )
        {
            snprintf(key, sizeof(key), PREFIX "ab");
            key[pos] = b;
            agree(key, 64);
        }
}
END_TEST

START_TEST(named_cases)
{
    static const char *const keys[] = {
        "guestinfo.x", "GUESTINFO.x", "GuestInfo.HostName",
        "gUeStInFo.A.b-C_d", "guestinfo.", "GUESTINFO.", "guestinfo",
        "guestinfox", "", "x", "xguestinfo.a", " guestinfo.a",
        "guestinfo. a", "guestinfo.a b", "guestinfo.a\tb", "guestinfo.\x7f",
        "guestinfo.\xc3\xa9t\xc3\xa9", "guestinfo.@[`{", "GUESTINFO.@[`{",
        "guestinfo.ZZ", "guestinfo.zz",
    };
    unsigned int i;

    for ( i = 0; i < sizeof(keys) / sizeof(keys[0]); i++ )
        agree(keys[i], 64);
}
END_TEST

/* At, under and over the limit; over it with a bad byte too (the length
 * is checked first, by both). */
START_TEST(key_length_limit)
{
    static const unsigned int maxes[] = { 11, 12, 16, 128, 1024 };
    char key[1100];
    unsigned int i, len;

    for ( i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++ )
        for ( len = maxes[i] - 1; len <= maxes[i] + 1; len++ )
        {
            memcpy(key, "GuestInfo.", PREFIX_LEN);
            memset(key + PREFIX_LEN, 'K', len - PREFIX_LEN);
            key[len] = '\0';
            agree(key, maxes[i]);
            key[len - 1] = ' ';
            agree(key, maxes[i]);
        }
}
END_TEST

/* What vmport-state does with what a user types: NAME gets the prefix,
 * a key with the prefix in any case is kept as typed. */
START_TEST(key_names_follow_the_same_prefix_rule)
{
    static const struct { const char *in, *out; } names[] = {
        { "HostName", "guestinfo.HostName" },
        { "GUESTINFO.HostName", "GUESTINFO.HostName" },
        { "guestinfo.x", "guestinfo.x" },
        { "guestinfo", "guestinfo.guestinfo" },
        { "guestinfo_x", "guestinfo.guestinfo_x" },
        { "GUESTINF0.x", "guestinfo.GUESTINF0.x" },
    };
    unsigned int i;

    for ( i = 0; i < sizeof(names) / sizeof(names[0]); i++ )
    {
        char *k = vrec_gi_key_name(names[i].in);

        ck_assert_ptr_nonnull(k);
        ck_assert_str_eq(k, names[i].out);
        agree(k, 64);
        free(k);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gi-key-agree");
    TCase *tc = tcase_create("agree");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, every_byte_of_prefix_and_name);
    tcase_add_test(tc, named_cases);
    tcase_add_test(tc, key_length_limit);
    tcase_add_test(tc, key_names_follow_the_same_prefix_rule);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("%u keys through both paths, %u of them valid\n", nr_keys, nr_ok);
    return failed ? 1 : 0;
}
