/*
 * libFuzzer targets for the vmport-state parsers, one per parser: the
 * input is prefixed with that parser's magic (FUZZ_PREFIX) so every run
 * reaches it, then walked read-only (seek path) and as a copy (copy and
 * rebuild paths), with the record library's VMPORT checks registered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vmport-record.h>
#include <vmport-stream.h>

static void check_vmport(struct vs_stream *s, uint16_t instance,
                         const uint8_t *body, uint32_t len, uint64_t off,
                         void *opaque)
{
    (void)s;
    (void)instance;
    (void)off;
    (void)opaque;
    vrec_verify(body, len, NULL, NULL);
}

static int in_fd = -1, out_fd = -1;

static int visit(struct vs_stream *s, const struct vs_rec *r, void *o)
{
    (void)o;
    /* Exercise the edit paths on a few record kinds. */
    if ( r->level == VS_LEVEL_HVM && r->type == 19 )
        return VS_DROP;
    if ( r->level == VS_LEVEL_LIBXC && r->type == 0x0a )
        return vs_replace(s, r->body, r->body_len) ? -1 : VS_KEEP;
    return VS_KEEP;
}

static void run(int out)
{
    struct vs_stream *s;

    lseek(in_fd, 0, SEEK_SET);
    if ( out >= 0 )
    {
        if ( ftruncate(out, 0) )
            abort();
        lseek(out, 0, SEEK_SET);
    }
    s = vs_open(in_fd, "fuzz", out, 0, NULL);
    if ( !s || vs_add_hvm_checker(s, HVM_SAVE_CODE_VMPORT, check_vmport,
                                  NULL) )
        abort();
    vs_walk(s, visit, NULL);
    vs_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char prefix[] = FUZZ_PREFIX;
    size_t plen = sizeof(prefix) - 1;

    if ( in_fd < 0 )
    {
        in_fd = memfd_create("fuzz-in", 0);
        out_fd = memfd_create("fuzz-out", 0);
    }
    if ( ftruncate(in_fd, 0) || pwrite(in_fd, prefix, plen, 0) != (ssize_t)plen ||
         (size && pwrite(in_fd, data, size, plen) != (ssize_t)size) )
        abort();
    run(-1);
    run(out_fd);
    return 0;
}
