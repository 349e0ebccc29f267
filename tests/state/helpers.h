/*
 * helpers.h: shared by the tests/state programs.  Images are generated in
 * memory files (memfd: seekable, like a saved image on disk) or fed
 * through pipes (like an `xl migrate` transport).
 */
#ifndef STATE_TEST_HELPERS_H
#define STATE_TEST_HELPERS_H

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vmport-stream.h>
#include <vmport-stream-format.h>

#define SMALL_MEM (2ULL << 20)  /* 512 pfns less the VGA hole */

struct bytes {
    uint8_t *p;
    size_t len;
};

static inline int mem_fd(void)
{
    int fd = memfd_create("state-test", MFD_CLOEXEC);

    ck_assert_msg(fd >= 0, "memfd_create failed");
    return fd;
}

static inline struct bytes fd_bytes(int fd)
{
    struct bytes b = { NULL, 0 };
    off_t end = lseek(fd, 0, SEEK_END);

    ck_assert_msg(end >= 0, "lseek failed");
    b.len = end;
    b.p = malloc(end ? end : 1);
    ck_assert(b.p != NULL);
    ck_assert_msg(pread(fd, b.p, end, 0) == end, "short pread");
    return b;
}

static inline int bytes_fd(const void *p, size_t len)
{
    int fd = mem_fd();

    ck_assert_msg(write(fd, p, len) == (ssize_t)len, "short write");
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static inline int gen_fd(enum vs_kind kind, bool gz, uint64_t mem,
                         bool vmport_extra)
{
    static const uint8_t extra[24] = { 0 };
    struct vs_gen_opts o = {
        .kind = kind, .gzip = gz, .vcpus = 2, .mem_bytes = mem,
    };
    int fd = mem_fd();

    if ( vmport_extra )
    {
        /* An unknown-to-4.17 typecode carried opaquely (its contents
         * are checked only by a checker registered for it). */
        o.extra = extra;
        o.extra_len = sizeof(extra);
        o.extra_type = 64;
    }
    ck_assert_msg(vs_gen_image(fd, &o) == 0, "generator failed");
    lseek(fd, 0, SEEK_SET);
    return fd;
}

struct walk_result {
    int rc;
    unsigned int problems;
    enum vs_kind kind;
    char msgs[8192];
};

/* Walk in (copying to out when out >= 0); messages captured. */
static inline struct walk_result walk(int in, int out, vs_visit_fn *fn,
                                      void *opaque)
{
    struct walk_result r;
    FILE *errf;
    struct vs_stream *s;

    memset(&r, 0, sizeof(r));
    errf = fmemopen(r.msgs, sizeof(r.msgs) - 1, "w");
    ck_assert(errf != NULL);
    setvbuf(errf, NULL, _IONBF, 0);
    s = vs_open(in, "input", out, 0, errf);
    ck_assert(s != NULL);
    r.rc = vs_walk(s, fn, opaque);
    r.problems = vs_problems(s);
    r.kind = vs_kind(s);
    vs_close(s);
    fclose(errf);
    return r;
}

/* Feed bytes through a pipe (a non-seekable input) from a child. */
static inline int pipe_fd(const struct bytes *b)
{
    int p[2];
    pid_t pid;

    ck_assert(pipe(p) == 0);
    pid = fork();
    ck_assert(pid >= 0);
    if ( pid == 0 )
    {
        size_t off = 0;

        close(p[0]);
        while ( off < b->len )
        {
            ssize_t w = write(p[1], b->p + off, b->len - off);

            if ( w <= 0 )
                _exit(1);
            off += w;
        }
        _exit(0);
    }
    close(p[1]);
    return p[0];
}

/* Run the one test case of a program's suite; the exit status. */
static inline int run_suite(const char *name, TCase *tc)
{
    Suite *s = suite_create(name);
    SRunner *sr;
    int failed;

    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static inline void reap(void)
{
    while ( waitpid(-1, NULL, WNOHANG) > 0 )
        ;
}

#endif
