/*
 * test_checker.c: checkers registered per HVM typecode with
 * vs_add_hvm_checker() see every record of their typecode, report at the
 * offsets they are given, and are the only contents check such a record
 * gets.
 */
#include <errno.h>

#include "helpers.h"

struct seen {
    unsigned int calls;
    uint32_t len;
    uint64_t off;
    uint64_t visited_body;      /* the visitor's offset of the body */
    bool complain;
};

static void checker(struct vs_stream *s, uint16_t instance,
                    const uint8_t *body, uint32_t len, uint64_t off,
                    void *opaque)
{
    struct seen *w = opaque;

    (void)body;
    ck_assert_msg(instance == 0, "instance: expected 0, seen %u", instance);
    w->calls++;
    w->len = len;
    w->off = off;
    if ( w->complain )
        vs_report(s, off, "test: checker complains");
}

static int visit(struct vs_stream *s, const struct vs_rec *r, void *opaque)
{
    struct seen *w = opaque;

    (void)s;
    if ( r->level == VS_LEVEL_HVM && r->type == 64 )
        w->visited_body = r->offset + sizeof(struct vs_hvm_desc);
    return VS_KEEP;
}

/* Walk a generated image carrying a 24-byte record of typecode 64. */
static int walk_with(struct seen *w, bool register_it, unsigned int *problems)
{
    int fd = gen_fd(VS_KIND_XL, false, SMALL_MEM, true), rc;
    struct vs_stream *s = vs_open(fd, "input", -1, 0, NULL);

    ck_assert(s != NULL);
    if ( register_it )
        ck_assert_msg(vs_add_hvm_checker(s, 64, checker, w) == 0,
                      "registering the checker failed");
    rc = vs_walk(s, visit, w);
    *problems = vs_problems(s);
    vs_close(s);
    close(fd);
    return rc;
}

START_TEST(a_registered_checker_sees_each_record_of_its_typecode)
{
    struct seen w = { 0 };
    unsigned int problems;

    ck_assert_msg(walk_with(&w, true, &problems) == 0, "walk failed");
    ck_assert_msg(w.calls == 1, "checker calls: expected 1, seen %u",
                  w.calls);
    ck_assert_msg(w.len == 24, "length: expected 24, seen %u", w.len);
    ck_assert_msg(w.off == w.visited_body, "offset: expected %#llx (the "
                  "body's), seen %#llx", (unsigned long long)w.visited_body,
                  (unsigned long long)w.off);
    ck_assert_msg(problems == 0, "problems: expected 0, seen %u", problems);
}
END_TEST

START_TEST(a_checker_problem_fails_the_walk)
{
    struct seen w = { .complain = true };
    unsigned int problems;

    ck_assert_msg(walk_with(&w, true, &problems) != 0,
                  "walk: expected a failure, it succeeded");
    ck_assert_msg(problems == 1, "problems: expected 1, seen %u", problems);
}
END_TEST

START_TEST(without_a_checker_the_record_is_only_framed)
{
    struct seen w = { 0 };
    unsigned int problems;

    ck_assert_msg(walk_with(&w, false, &problems) == 0, "walk failed");
    ck_assert_msg(w.calls == 0, "checker calls: expected 0, seen %u",
                  w.calls);
}
END_TEST

START_TEST(a_second_checker_for_a_typecode_is_refused)
{
    int fd = mem_fd(), rc;
    struct vs_stream *s = vs_open(fd, "input", -1, 0, NULL);
    struct seen w = { 0 };

    ck_assert(s != NULL);
    ck_assert(vs_add_hvm_checker(s, 64, checker, &w) == 0);
    rc = vs_add_hvm_checker(s, 64, checker, &w);
    ck_assert_msg(rc == -EEXIST, "second checker: expected -EEXIST, seen %d",
                  rc);
    vs_close(s);
    close(fd);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("checker");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_registered_checker_sees_each_record_of_its_typecode);
    tcase_add_test(tc, a_checker_problem_fails_the_walk);
    tcase_add_test(tc, without_a_checker_the_record_is_only_framed);
    tcase_add_test(tc, a_second_checker_for_a_typecode_is_refused);
    return run_suite("checker", tc);
}
