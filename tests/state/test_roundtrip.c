/*
 * Round trips: a copy through the walker with a visitor that changes
 * nothing is byte-identical, at every level, from a file or a pipe, plain
 * or gzip (for gzip: the decompressed bytes); the writer's own streams
 * read back with every record where it was put.
 */
#include <zlib.h>

#include "helpers.h"

static const enum vs_kind kinds[] = {
    VS_KIND_XL, VS_KIND_LIBXL, VS_KIND_LIBXC, VS_KIND_HVM,
};

static int keep_all(struct vs_stream *s, const struct vs_rec *r, void *o)
{
    unsigned int *n = o;

    (void)s;
    n[r->level]++;
    return VS_KEEP;
}

static void assert_same(const struct bytes *a, const struct bytes *b,
                        const char *what)
{
    size_t i;

    ck_assert_msg(a->len == b->len, "%s: length %zu expected, %zu seen",
                  what, a->len, b->len);
    if ( !memcmp(a->p, b->p, a->len) )
        return;
    for ( i = 0; a->p[i] == b->p[i]; i++ )
        ;
    ck_abort_msg("%s: byte %#zx expected %#x, seen %#x", what, i, a->p[i],
                 b->p[i]);
}

START_TEST(copy_with_no_edit_is_byte_identical_for_every_kind)
{
    enum vs_kind k = kinds[_i];
    int in = gen_fd(k, false, SMALL_MEM, false), out = mem_fd();
    unsigned int n[4] = { 0 };
    struct walk_result r = walk(in, out, keep_all, n);
    struct bytes a = fd_bytes(in), b = fd_bytes(out);

    ck_assert_msg(r.rc == 0, "walk failed: %s", r.msgs);
    ck_assert_msg(r.kind == k, "kind %s detected, %s expected",
                  vs_kind_name(r.kind), vs_kind_name(k));
    ck_assert_msg(n[VS_LEVEL_HVM] > 20, "only %u HVM records visited",
                  n[VS_LEVEL_HVM]);
    assert_same(&a, &b, vs_kind_name(k));
    free(a.p);
    free(b.p);
    close(in);
    close(out);
}
END_TEST

START_TEST(copy_from_a_pipe_is_byte_identical)
{
    enum vs_kind k = kinds[_i];
    int src = gen_fd(k, false, SMALL_MEM, false), out = mem_fd(), in;
    struct bytes a = fd_bytes(src), b;
    struct walk_result r;

    in = pipe_fd(&a);
    r = walk(in, out, NULL, NULL);
    ck_assert_msg(r.rc == 0, "walk of a pipe failed: %s", r.msgs);
    b = fd_bytes(out);
    assert_same(&a, &b, "pipe");
    reap();
    free(a.p);
    free(b.p);
    close(in);
    close(src);
    close(out);
}
END_TEST

static struct bytes gunzip_fd(int fd)
{
    struct bytes z = fd_bytes(fd), b = { malloc(64 << 20), 0 };
    z_stream zs;

    memset(&zs, 0, sizeof(zs));
    ck_assert(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK);
    zs.next_in = z.p;
    zs.avail_in = z.len;
    zs.next_out = b.p;
    zs.avail_out = 64 << 20;
    ck_assert_msg(inflate(&zs, Z_FINISH) == Z_STREAM_END,
                  "output is not one complete gzip stream");
    b.len = zs.total_out;
    inflateEnd(&zs);
    free(z.p);
    return b;
}

START_TEST(gzip_input_is_read_and_copied_as_gzip)
{
    enum vs_kind k = kinds[_i];
    int plain = gen_fd(k, false, SMALL_MEM, false);
    int gz = gen_fd(k, true, SMALL_MEM, false), out = mem_fd();
    struct walk_result r = walk(gz, out, NULL, NULL);
    struct bytes a = fd_bytes(plain), b;

    ck_assert_msg(r.rc == 0, "gzip walk failed: %s", r.msgs);
    ck_assert_msg(r.kind == k, "gzip: kind %s detected",
                  vs_kind_name(r.kind));
    b = gunzip_fd(out);
    assert_same(&a, &b, "gunzip(copy of gzip)");
    free(a.p);
    free(b.p);
    close(plain);
    close(gz);
    close(out);
}
END_TEST

START_TEST(hvm_state_writer_output_reads_back_the_same_context)
{
    struct vs_gen_opts o = { .kind = VS_KIND_HVM, .vcpus = 3 };
    struct vs_buf ctx = { 0 };
    int fd = mem_fd();
    uint8_t *blob;
    uint32_t len;

    ck_assert(vs_gen_hvm_context(&ctx, &o) == 0);
    ck_assert_msg(vs_write_hvm_state(fd, ctx.p, ctx.len) == 0,
                  "vs_write_hvm_state failed");
    lseek(fd, 0, SEEK_SET);
    ck_assert_msg(vs_read_hvm_context(fd, "state", &blob, &len, stderr) ==
                  0, "reading the state stream back failed");
    ck_assert_msg(len == ctx.len && !memcmp(blob, ctx.p, len),
                  "context read back differs (%u bytes, %zu written)", len,
                  ctx.len);
    free(blob);
    vs_buf_free(&ctx);
    close(fd);
}
END_TEST

START_TEST(sparse_generator_leaves_holes_and_copy_keeps_them)
{
    struct vs_gen_opts o = { .kind = VS_KIND_XL, .vcpus = 1,
                             .mem_bytes = 64ULL << 20, .sparse_file = true };
    char in_path[] = "/tmp/state-sparse-XXXXXX";
    char out_path[] = "/tmp/state-sparse-out-XXXXXX";
    int in = mkstemp(in_path), out = mkstemp(out_path);
    struct walk_result r;
    struct stat a, b;

    ck_assert(in >= 0 && out >= 0);
    ck_assert(vs_gen_image(in, &o) == 0);
    lseek(in, 0, SEEK_SET);
    r = walk(in, out, NULL, NULL);
    ck_assert_msg(r.rc == 0, "walk failed: %s", r.msgs);
    ck_assert(fstat(in, &a) == 0 && fstat(out, &b) == 0);
    ck_assert_msg(a.st_size == b.st_size, "size %ld expected, %ld seen",
                  (long)a.st_size, (long)b.st_size);
    ck_assert_msg(b.st_blocks * 512 < b.st_size / 4, "copy not sparse: %ld "
                  "bytes allocated for %ld", (long)b.st_blocks * 512,
                  (long)b.st_size);
    unlink(in_path);
    unlink(out_path);
    close(in);
    close(out);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("roundtrip");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, copy_with_no_edit_is_byte_identical_for_every_kind,
                        0, 4);
    tcase_add_loop_test(tc, copy_from_a_pipe_is_byte_identical, 0, 4);
    tcase_add_loop_test(tc, gzip_input_is_read_and_copied_as_gzip, 0, 4);
    tcase_add_test(tc, hvm_state_writer_output_reads_back_the_same_context);
    tcase_add_test(tc, sparse_generator_leaves_holes_and_copy_keeps_them);
    return run_suite("roundtrip", tc);
}
