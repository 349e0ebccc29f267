/*
 * gen_golden: freeze the golden VMPORT records.  Each state of states.h is
 * reached through the real device model and saved at record version 2
 * and version 1 (checkpoint policy where version 1 cannot carry it):
 *
 *   gen_golden DIR      writes DIR/v<N>-<state>.bin
 *
 * The files are committed under tests/golden/; test_record_golden checks
 * every future build still loads them to the same state.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "states.h"

static const char *out_dir;

/* Inside a check test case: the harness's assertions need one. */
START_TEST(generate)
{
    unsigned int k, ver;

    for ( k = 0; k < ST_NR; k++ )
    {
        for ( ver = 1; ver <= HVM_VMPORT_VERSION_CURRENT; ver++ )
        {
            struct domain *d;

            d = st_build(1 + k, k, NULL);
            char path[512];
            uint32_t len;
            uint8_t *rec = st_save(d, ver, VMPORT_SAVE_CHECKPOINT, &len);
            FILE *f;

            snprintf(path, sizeof(path), "%s/v%u-%s.bin", out_dir, ver,
                     st_names[k]);
            f = fopen(path, "wb");
            ck_assert_msg(f && fwrite(rec, 1, len, f) == len && !fclose(f),
                          "%s: cannot write", path);
            printf("%s: %u bytes\n", path, len);
            free(rec);
            shim_domain_destroy(d);
        }
    }
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("gen-golden");
    TCase *tc = tcase_create("generate");

    if ( argc != 2 )
    {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    out_dir = argv[1];
    tcase_add_test(tc, generate);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
