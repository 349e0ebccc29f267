/*
 * test_record_tools: the tools-side record library over every golden
 * record: parse + emit and JSON dump + encode are byte-identical, the
 * verifier finds nothing in them and names the offset of each defect,
 * conversion and edits produce records the shared walker accepts.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <json-c/json.h>

#include <vmport-record.h>
#include "golden_files.h"

static char names[64][64];
static unsigned int nr_names;

static uint8_t *load_golden(unsigned int i, size_t *len)
{
    uint8_t *buf = golden_read(names[i], len);

    ck_assert_msg(buf != NULL, "%s: unreadable", names[i]);
    return buf;
}

static void same(const uint8_t *a, size_t alen, const uint8_t *b,
                 size_t blen, const char *what, const char *name)
{
    ck_assert_msg(alen == blen && !memcmp(a, b, alen), "%s %s: expected the "
                  "original %zu bytes, seen %zu differing", name, what, alen,
                  blen);
}

static struct vrec parse_ok(const uint8_t *buf, size_t len,
                            const char *name)
{
    struct vrec r;
    int rc = vrec_parse(buf, len, &r, NULL, NULL);

    ck_assert_msg(rc == 0, "%s: parse expected 0, seen %d", name, rc);
    return r;
}

START_TEST(parse_then_emit_is_byte_identical)
{
    size_t len = 0, len2 = 0;
    uint8_t *buf = load_golden(_i, &len), *out;
    struct vrec r = parse_ok(buf, len, names[_i]);
    char err[256];

    ck_assert_int_eq(vrec_verify(buf, len, NULL, NULL), 0);
    ck_assert_msg(vrec_emit(&r, &out, &len2, err, sizeof(err)) == 0,
                  "%s: emit: %s", names[_i], err);
    same(buf, len, out, len2, "parse+emit", names[_i]);
    vrec_free(&r);
    free(out);
    free(buf);
}
END_TEST

START_TEST(json_dump_then_encode_is_byte_identical)
{
    size_t len = 0, len2 = 0;
    uint8_t *buf = load_golden(_i, &len), *out;
    struct vrec r = parse_ok(buf, len, names[_i]), r2;
    json_object *j = vrec_to_json(&r), *j2;
    const char *text;
    char err[256];
    int rc;

    ck_assert_ptr_nonnull(j);
    text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY);
    j2 = json_tokener_parse(text);
    ck_assert_msg(j2 != NULL, "%s: dump is not JSON", names[_i]);
    rc = vrec_from_json(j2, &r2, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s: encode: %s", names[_i], err);
    rc = vrec_emit(&r2, &out, &len2, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s: emit: %s", names[_i], err);
    same(buf, len, out, len2, "dump --json | encode", names[_i]);
    json_object_put(j);
    json_object_put(j2);
    vrec_free(&r);
    vrec_free(&r2);
    free(out);
    free(buf);
}
END_TEST

/* A member the schema does not have is an error naming it. */
START_TEST(json_unknown_member_is_refused_by_name)
{
    size_t len = 0;
    uint8_t *buf = golden_read("v2-busy.bin", &len);
    struct vrec r = parse_ok(buf, len, "v2-busy.bin"), r2;
    json_object *j = vrec_to_json(&r), *cfg, *ch;
    char err[256] = "";

    ck_assert(json_object_object_get_ex(j, "config", &cfg));
    json_object_object_add(cfg, "max_chanels", json_object_new_int(9));
    ck_assert_int_eq(vrec_from_json(j, &r2, err, sizeof(err)),
                     -EINVAL);
    ck_assert_msg(strstr(err, "config.max_chanels") != NULL,
                  "expected the error to name config.max_chanels, seen "
                  "\"%s\"", err);
    json_object_object_del(cfg, "max_chanels");
    ch = json_object_array_get_idx(json_object_object_get(j, "channels"), 0);
    json_object_object_add(json_object_object_get(ch, "send"), "pos",
                           json_object_new_int(1));
    ck_assert_int_eq(vrec_from_json(j, &r2, err, sizeof(err)),
                     -EINVAL);
    ck_assert_msg(strstr(err, "channel.send.pos") != NULL,
                  "expected the error to name channel.send.pos, seen \"%s\"",
                  err);
    json_object_put(j);
    vrec_free(&r);
    free(buf);
}
END_TEST

struct seen {
    unsigned int nr;
    uint32_t first_off;
    char first_field[64];
};

static void note(void *opaque, uint32_t off, const char *field,
                 const char *msg)
{
    struct seen *s = opaque;

    (void)msg;
    if ( !s->nr++ )
    {
        s->first_off = off;
        snprintf(s->first_field, sizeof(s->first_field), "%s", field);
    }
}

static void fix_crc(uint8_t *b, size_t len)
{
    uint32_t crc = crc32(0, b + 24, len - 24);

    memcpy(b + offsetof(struct hvm_vmport_header, body_crc), &crc, 4);
}

/* The first section (config) starts at 32: its hwver is there. */
START_TEST(verify_names_field_and_offset)
{
    size_t len = 0;
    uint8_t *buf = load_golden(_i, &len);
    struct seen s = { 0 };
    uint32_t bad = 0;

    memcpy(buf + 32, &bad, 4);
    fix_crc(buf, len);
    ck_assert_uint_ge(vrec_verify(buf, len, note, &s), 1);
    ck_assert_msg(s.first_off == 32 && !strcmp(s.first_field,
                                               "config.hwver"),
                  "%s: expected config.hwver at 32, seen %s at %u",
                  names[_i], s.first_field, s.first_off);
    memset(&s, 0, sizeof(s));
    buf[len - 1] ^= 1;
    ck_assert_uint_ge(vrec_verify(buf, len, note, &s), 2);
    ck_assert_uint_eq(vrec_verify(buf, len - 3, NULL, NULL), 1);
    free(buf);
}
END_TEST

START_TEST(convert_down_and_up_gives_loadable_records)
{
    size_t len = 0, len2 = 0;
    uint8_t *buf = load_golden(_i, &len), *out;
    struct vrec r = parse_ok(buf, len, names[_i]);
    bool fits;
    char err[256];
    int rc;

    fits = r.version == 1 ||
           vrec_convert(&r, 1, VREC_REFUSE, err,
                        sizeof(err)) == 0;
    if ( !fits )
    {
        ck_assert_msg(strstr(err, "version 1") != NULL, "refusal: %s", err);
        rc = vrec_convert(&r, 1, VREC_CHECKPOINT, err,
                          sizeof(err));
        ck_assert_msg(rc == 0, "%s: checkpoint: %s", names[_i], err);
        ck_assert(r.flags & HVM_VMPORT_F_CHECKPOINT);
    }
    rc = vrec_emit(&r, &out, &len2, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s: emit v1: %s", names[_i], err);
    free(out);
    ck_assert_int_eq(vrec_convert(&r, 2, VREC_REFUSE, err,
                                  sizeof(err)), 0);
    rc = vrec_emit(&r, &out, &len2, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s: emit v2: %s", names[_i], err);
    free(out);
    vrec_free(&r);
    free(buf);
}
END_TEST

START_TEST(guestinfo_edits_touch_only_their_key)
{
    size_t len = 0, len2 = 0;
    uint8_t *buf = golden_read("v2-busy.bin", &len), *out;
    struct vrec r = parse_ok(buf, len, "v2-busy.bin");
    const struct vrec_gi *g;
    char err[256];

    ck_assert_ptr_nonnull(vrec_gi_get(&r, "GuestInfo.HostName"));
    ck_assert_int_eq(vrec_gi_set(&r, "guestinfo.new", "v", 1, err,
                                 sizeof(err)), 0);
    g = vrec_gi_get(&r, "guestinfo.new");
    ck_assert_msg(g && g->vlen == 1 && g->val[0] == 'v', "set then get");
    ck_assert_int_eq(vrec_gi_set(&r, "nope", "v", 1, err,
                                 sizeof(err)), -EINVAL);
    ck_assert_int_eq(vrec_gi_unset(&r, "guestinfo.new"), 0);
    ck_assert_int_eq(vrec_gi_unset(&r, "guestinfo.new"), -ENOENT);
    ck_assert_int_eq(vrec_emit(&r, &out, &len2, err, sizeof(err)), 0);
    same(buf, len, out, len2, "set+unset", "v2-busy.bin");
    vrec_free(&r);
    free(out);
    free(buf);
}
END_TEST

/* A key that sorts before existing ones is inserted, not aliased. */
START_TEST(guestinfo_set_of_a_key_sorting_first_keeps_the_others)
{
    size_t len = 0;
    uint8_t *buf = golden_read("v2-busy.bin", &len);
    struct vrec r = parse_ok(buf, len, "v2-busy.bin");
    const struct vrec_gi *g;
    unsigned int before = r.nr_gi;
    char err[256];

    ck_assert_int_gt(before, 0);
    ck_assert_int_eq(vrec_gi_set(&r, "guestinfo.0", "first", 5, err,
                                 sizeof(err)), 0);
    ck_assert_uint_eq(r.nr_gi, before + 1);
    g = vrec_gi_get(&r, "guestinfo.0");
    ck_assert_msg(g && g->vlen == 5 && !memcmp(g->val, "first", 5),
                  "the new first key reads back its own value");
    ck_assert_ptr_nonnull(vrec_gi_get(&r, "GuestInfo.HostName"));
    vrec_free(&r);
    free(buf);
}
END_TEST

START_TEST(trigger_queues_os_halt_for_toolbox)
{
    size_t len = 0, len2 = 0;
    uint8_t *buf = golden_read("v2-busy.bin", &len), *out;
    struct vrec r = parse_ok(buf, len, "v2-busy.bin");
    char err[256];

    ck_assert_int_eq(vrec_trigger(&r, 1, err, sizeof(err)), 0);
    ck_assert_int_eq(vrec_trigger(&r, 2, err, sizeof(err)), -EBUSY);
    ck_assert_int_eq(vrec_emit(&r, &out, &len2, err, sizeof(err)), 0);
    ck_assert_msg(memmem(out, len2, "OS_Halt", 8) != NULL, "OS_Halt queued");
    vrec_free(&r);
    free(out);
    free(buf);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("record-tools");
    TCase *tc = tcase_create("tools");

    if ( argc > 1 )
        golden_dir = argv[1];
    nr_names = golden_list(names, 64);
    tcase_add_loop_test(tc, parse_then_emit_is_byte_identical, 0, nr_names);
    tcase_add_loop_test(tc, json_dump_then_encode_is_byte_identical, 0,
                        nr_names);
    tcase_add_loop_test(tc, verify_names_field_and_offset, 0, nr_names);
    tcase_add_loop_test(tc, convert_down_and_up_gives_loadable_records, 0,
                        nr_names);
    tcase_add_test(tc, json_unknown_member_is_refused_by_name);
    tcase_add_test(tc, guestinfo_edits_touch_only_their_key);
    tcase_add_test(tc, guestinfo_set_of_a_key_sorting_first_keeps_the_others);
    tcase_add_test(tc, trigger_queues_os_halt_for_toolbox);
    suite_add_tcase(s, tc);
    {
        SRunner *sr = srunner_create(s);
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? 1 : 0;
    }
}
