/*
 * test_record_golden: every frozen record in tests/golden/ still loads
 * into the device model and saves back byte for byte at its version.
 * (A v1 record written with the checkpoint policy comes back without its
 * informational checkpoint flag: the state it carries fits v1 as is.)
 */
#include <check.h>
#include <zlib.h>

#include "states.h"
#include "golden_files.h"

static char names[64][64];
static unsigned int nr_names;

START_TEST(golden_record_loads_and_saves_back_identically)
{
    struct domain *d = h_domain(200 + _i, 1, VMPORT_HWVER_DEFAULT, NULL);
    size_t len;
    uint8_t *rec = golden_read(names[_i], &len), *again;
    struct hvm_vmport_header h;
    uint32_t len2, crc, i;
    int rc;

    ck_assert_msg(rec != NULL, "%s: unreadable", names[_i]);
    memcpy(&h, rec, sizeof(h));
    rc = vmport_record_load(d, rec, len);
    ck_assert_msg(rc == 0, "%s: load expected 0, seen %d", names[_i], rc);
    again = st_save(d, h.version, VMPORT_SAVE_REFUSE, &len2);

    h.flags &= ~HVM_VMPORT_F_CHECKPOINT;
    memcpy(rec, &h, sizeof(h));
    crc = crc32(0, rec + sizeof(h), len - sizeof(h));
    memcpy(rec + offsetof(struct hvm_vmport_header, body_crc), &crc, 4);
    ck_assert_msg(len2 == len, "%s: expected %zu bytes, seen %u", names[_i],
                  len, len2);
    for ( i = 0; i < len && rec[i] == again[i]; i++ )
        ;
    ck_assert_msg(i == len, "%s: first difference at offset %u", names[_i],
                  i);
    free(rec);
    free(again);
    shim_domain_destroy(d);
}
END_TEST

START_TEST(golden_set_is_complete)
{
    ck_assert_msg(nr_names == 2 * ST_NR, "expected %u golden records (two "
                  "versions of %u states), seen %u", 2 * ST_NR, ST_NR,
                  nr_names);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("record-golden");
    TCase *tc = tcase_create("golden");

    if ( argc > 1 )
        golden_dir = argv[1];
    nr_names = golden_list(names, 64);
    shim_clock_set_now(ST_NOW);
    tcase_add_test(tc, golden_set_is_complete);
    tcase_add_loop_test(tc, golden_record_loads_and_saves_back_identically,
                        0, nr_names);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
