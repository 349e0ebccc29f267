/*
 * Edits touch only what they edit: dropping, replacing or inserting a
 * record changes exactly those bytes (and the enclosing HVM_CONTEXT
 * length), everything before and after is copied byte for byte.
 */
#include "helpers.h"

struct edit {
    enum vs_level level;
    uint32_t type;
    uint16_t instance;
    int action;                 /* VS_DROP, or 2 replace, 3 insert */
    const void *body;
    uint32_t len;
    uint64_t off, rec_len;      /* where the edited record was */
    uint64_t ctx_off;           /* the HVM_CONTEXT record */
};

static int apply(struct vs_stream *s, const struct vs_rec *r, void *o)
{
    struct edit *e = o;

    if ( r->level == VS_LEVEL_LIBXC && r->type == VS_REC_HVM_CONTEXT )
        e->ctx_off = r->offset;
    if ( r->level != e->level || r->type != e->type ||
         (r->level == VS_LEVEL_HVM && r->instance != e->instance) )
        return VS_KEEP;
    e->off = r->offset;
    e->rec_len = r->length;
    switch ( e->action )
    {
    case VS_DROP:
        return VS_DROP;
    case 2:
        ck_assert(vs_replace(s, e->body, e->len) == 0);
        return VS_KEEP;
    default:
        ck_assert(vs_insert(s, 100, 0, e->body, e->len) == 0);
        return VS_KEEP;
    }
}

static void run_edit(struct edit *e, struct bytes *in, struct bytes *out)
{
    int src = gen_fd(VS_KIND_XL, false, SMALL_MEM, false), dst = mem_fd();
    struct walk_result r = walk(src, dst, apply, e);

    ck_assert_msg(r.rc == 0 || e->action == 3, "edit walk failed: %s",
                  r.msgs);
    *in = fd_bytes(src);
    *out = fd_bytes(dst);
    close(src);
    close(dst);
}

static void assert_range_equal(const uint8_t *a, const uint8_t *b,
                               size_t n, const char *what)
{
    size_t i;

    /* One check-framework assertion, not one per byte. */
    if ( !memcmp(a, b, n) )
        return;
    for ( i = 0; a[i] == b[i]; i++ )
        ;
    ck_abort_msg("%s: byte %#zx changed (%#x -> %#x)", what, i, a[i], b[i]);
}

START_TEST(dropping_a_libxc_record_removes_exactly_its_bytes)
{
    struct edit e = { .level = VS_LEVEL_LIBXC, .type = VS_REC_HVM_PARAMS,
                      .action = VS_DROP };
    struct bytes in, out;
    uint64_t cut;

    run_edit(&e, &in, &out);
    cut = 8 + ((e.rec_len + 7) & ~7ULL);
    ck_assert_msg(out.len == in.len - cut, "length %zu expected, %zu seen",
                  (size_t)(in.len - cut), out.len);
    assert_range_equal(in.p, out.p, e.off, "before");
    assert_range_equal(in.p + e.off + cut, out.p + e.off,
                       in.len - e.off - cut, "after");
    free(in.p);
    free(out.p);
}
END_TEST

START_TEST(replacing_an_hvm_record_in_place_changes_only_its_body)
{
    uint64_t adj = 0x123456789abcdefULL;
    struct edit e = { .level = VS_LEVEL_HVM, .type = 19, .instance = 1,
                      .action = 2, .body = &adj, .len = 8 };
    struct bytes in, out;

    run_edit(&e, &in, &out);
    ck_assert_msg(in.len == out.len, "length changed %zu -> %zu", in.len,
                  out.len);
    assert_range_equal(in.p, out.p, e.off + 8, "before the body");
    ck_assert_msg(!memcmp(out.p + e.off + 8, &adj, 8), "new body not "
                  "written at %#llx", (unsigned long long)e.off + 8);
    assert_range_equal(in.p + e.off + 16, out.p + e.off + 16,
                       in.len - e.off - 16, "after the body");
    free(in.p);
    free(out.p);
}
END_TEST

START_TEST(growing_an_hvm_record_changes_only_it_and_the_context_length)
{
    uint8_t msrs[8 + 32] = { 2 };
    struct edit e = { .level = VS_LEVEL_HVM, .type = 20, .action = 2,
                      .body = msrs, .len = sizeof(msrs) };
    struct bytes in, out;
    uint32_t len_in, len_out;

    run_edit(&e, &in, &out);
    ck_assert_msg(out.len == in.len + 16, "length %zu expected, %zu seen",
                  in.len + 16, out.len);
    assert_range_equal(in.p, out.p, e.ctx_off + 4, "before HVM_CONTEXT");
    memcpy(&len_in, in.p + e.ctx_off + 4, 4);
    memcpy(&len_out, out.p + e.ctx_off + 4, 4);
    ck_assert_msg(len_out == len_in + 16, "HVM_CONTEXT length %u expected, "
                  "%u seen", len_in + 16, len_out);
    assert_range_equal(in.p + e.ctx_off + 8, out.p + e.ctx_off + 8,
                       e.off - e.ctx_off - 8, "HVM records before");
    assert_range_equal(in.p + e.off + 8 + 24, out.p + e.off + 8 + 40,
                       in.len - e.off - 32, "everything after");
    free(in.p);
    free(out.p);
}
END_TEST

START_TEST(inserting_before_the_hvm_end_adds_exactly_one_record)
{
    static const uint8_t body[16] = "inserted-record";
    struct edit e = { .level = VS_LEVEL_HVM, .type = 0, .action = 3,
                      .body = body, .len = sizeof(body) };
    struct bytes in, out;

    /* Typecode 100 is unknown: the copy is made, then reported. */
    run_edit(&e, &in, &out);
    ck_assert_msg(out.len == in.len + 24, "length %zu expected, %zu seen",
                  in.len + 24, out.len);
    assert_range_equal(in.p + e.off, out.p + e.off + 24, in.len - e.off,
                       "END and after");
    ck_assert_msg(!memcmp(out.p + e.off + 8, body, 16), "inserted body "
                  "not at %#llx", (unsigned long long)e.off + 8);
    free(in.p);
    free(out.p);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("edit");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, dropping_a_libxc_record_removes_exactly_its_bytes);
    tcase_add_test(tc, replacing_an_hvm_record_in_place_changes_only_its_body);
    tcase_add_test(tc,
        growing_an_hvm_record_changes_only_it_and_the_context_length);
    tcase_add_test(tc, inserting_before_the_hvm_end_adds_exactly_one_record);
    return run_suite("edit", tc);
}
