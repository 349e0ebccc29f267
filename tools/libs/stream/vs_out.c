/*
 * vs_out.c: the output side of vs_io.h.
 *
 * Unchanged bulk data goes from file to file inside the kernel
 * (copy_file_range, which reflinks where the filesystem can), and holes
 * in the input (SEEK_DATA/SEEK_HOLE) stay holes in the output, so copying
 * a sparse 4 GiB image costs what `cp` costs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vs_io.h"

#define OUT_BUF (256U << 10)

static int write_all(struct vs_out *out, const uint8_t *p, size_t n)
{
    while ( n )
    {
        ssize_t r = write(out->fd, p, n);

        if ( r < 0 && errno == EINTR )
            continue;
        if ( r <= 0 )
        {
            out->err = r < 0 ? errno : EIO;
            return -1;
        }
        p += r;
        n -= r;
    }
    return 0;
}

static int flush_buf(struct vs_out *out)
{
    int rc = write_all(out, out->buf, out->len);

    out->len = 0;
    return rc;
}

static int deflate_some(struct vs_out *out, const void *p, size_t n, int flush)
{
    int rc;

    out->zs.next_in = (Bytef *)p;
    out->zs.avail_in = n;
    do {
        out->zs.next_out = out->buf + out->len;
        out->zs.avail_out = OUT_BUF - out->len;
        rc = deflate(&out->zs, flush);
        out->len = OUT_BUF - out->zs.avail_out;
        if ( rc == Z_STREAM_ERROR )
        {
            out->err = EIO;
            return -1;
        }
        if ( out->len == OUT_BUF && flush_buf(out) )
            return -1;
    } while ( out->zs.avail_in ||
              (flush == Z_FINISH && rc != Z_STREAM_END) );
    return 0;
}

/* Compress with xz, as deflate_some() with gzip. */
static int xz_some(struct vs_out *out, const void *p, size_t n,
                   lzma_action action)
{
    lzma_ret rc;

    out->lz.next_in = p;
    out->lz.avail_in = n;
    do {
        out->lz.next_out = out->buf + out->len;
        out->lz.avail_out = OUT_BUF - out->len;
        rc = lzma_code(&out->lz, action);
        out->len = OUT_BUF - out->lz.avail_out;
        if ( rc != LZMA_OK && rc != LZMA_STREAM_END )
        {
            out->err = rc == LZMA_MEM_ERROR ? ENOMEM : EIO;
            return -1;
        }
        if ( out->len == OUT_BUF && flush_buf(out) )
            return -1;
    } while ( out->lz.avail_in ||
              (action != LZMA_RUN && rc != LZMA_STREAM_END) );
    return 0;
}

/* The compressor's entry points: run, sync flush, finish. */
static int comp_some(struct vs_out *out, const void *p, size_t n, int how)
{
    static const lzma_action xz_how[] = {
        LZMA_RUN, LZMA_SYNC_FLUSH, LZMA_FINISH,
    };
    static const int gz_how[] = { Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FINISH };

    return out->xz ? xz_some(out, p, n, xz_how[how])
                   : deflate_some(out, p, n, gz_how[how]);
}

int vs_out_init(struct vs_out *out, int fd, int comp)
{
    struct stat st;
    bool gz = comp == VS_COMP_GZIP;

    memset(out, 0, sizeof(*out));
    out->fd = fd;
    out->gz = comp != VS_COMP_NONE;
    out->xz = comp == VS_COMP_XZ;
    out->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    out->buf = malloc(OUT_BUF);
    if ( !out->buf )
        return -1;
    if ( gz && deflateInit2(&out->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
                            16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK )
        return -1;
    if ( out->xz )
    {
        lzma_stream init = LZMA_STREAM_INIT;

        out->lz = init;
        if ( lzma_easy_encoder(&out->lz, 6, LZMA_CHECK_CRC64) != LZMA_OK )
        {
            out->xz = out->gz = false;      /* nothing to end */
            return -1;
        }
    }
    return 0;
}

int vs_out_write(struct vs_out *out, const void *p, size_t n)
{
    if ( out->closed )
        return -1;
    if ( !n )
        return 0;
    out->off += n;
    if ( out->gz )
        return comp_some(out, p, n, 0);
    if ( out->len + n > OUT_BUF )
    {
        if ( flush_buf(out) )
            return -1;
        if ( n > OUT_BUF / 2 )
            return write_all(out, p, n);
    }
    memcpy(out->buf + out->len, p, n);
    out->len += n;
    return 0;
}

int vs_out_zeros(struct vs_out *out, uint64_t n)
{
    static const uint8_t zero[4096];

    if ( out->closed )
        return -1;
    if ( out->regular && !out->gz )
    {
        if ( flush_buf(out) )
            return -1;
        if ( lseek(out->fd, n, SEEK_CUR) < 0 )
        {
            out->err = errno;
            return -1;
        }
        out->off += n;
        return 0;
    }
    while ( n )
    {
        size_t c = n < sizeof(zero) ? n : sizeof(zero);

        if ( vs_out_write(out, zero, c) )
            return -1;
        n -= c;
    }
    return 0;
}

/* Kernel copy of [*pos, *pos + n) of in_fd; falls back to read/write. */
static int copy_data(struct vs_out *out, int in_fd, uint64_t *pos, uint64_t n)
{
    while ( n )
    {
        loff_t lpos = *pos;
        ssize_t r = copy_file_range(in_fd, &lpos, out->fd, NULL, n, 0);

        if ( r < 0 && errno == EINTR )
            continue;
        if ( r <= 0 )
        {
            uint8_t tmp[64 << 10];
            size_t c = n < sizeof(tmp) ? n : sizeof(tmp);

            r = pread(in_fd, tmp, c, *pos);
            if ( r <= 0 || write_all(out, tmp, r) )
                return -1;
        }
        *pos += r;
        n -= r;
    }
    return 0;
}

static int copy_sparse(struct vs_out *out, struct vs_in *in, uint64_t n)
{
    uint64_t pos = in->fpos, end = in->fpos + n;

    if ( flush_buf(out) )
        return -1;
    while ( pos < end )
    {
        off_t data = lseek(in->fd, pos, SEEK_DATA);
        off_t hole;

        if ( data < 0 || (uint64_t)data > end )
            data = end;
        if ( (uint64_t)data > pos )
        {
            if ( out->regular )
            {
                if ( lseek(out->fd, data - pos, SEEK_CUR) < 0 )
                {
                    out->err = errno;
                    return -1;
                }
            }
            else
            {
                out->off -= data - pos;     /* vs_out_zeros counts again */
                if ( vs_out_zeros(out, data - pos) || flush_buf(out) )
                    return -1;
            }
            pos = data;
        }
        if ( pos == end )
            break;
        hole = lseek(in->fd, pos, SEEK_HOLE);
        if ( hole < 0 || (uint64_t)hole > end )
            hole = end;
        if ( copy_data(out, in->fd, &pos, hole - pos) )
            return -1;
    }
    in->fpos = end;
    in->off += n;
    out->off += n;
    return 0;
}

int vs_out_copy(struct vs_out *out, struct vs_in *in, uint64_t n)
{
    size_t have = in->len - in->pos;

    if ( out->closed )
        return -1;
    if ( have > n )
        have = n;
    if ( have )
    {
        if ( vs_out_write(out, in->buf + in->pos, have) )
            return -1;
        in->pos += have;
        in->off += have;
        n -= have;
    }
    if ( !n )
        return 0;
    if ( in->seekable && !in->gz && !out->gz )
    {
        if ( in->fpos + n > in->size )
            return -1;
        in->pos = in->len = 0;
        return copy_sparse(out, in, n);
    }
    while ( n )
    {
        const uint8_t *p;
        size_t got = vs_in_peek(in, n < VS_IN_BUF ? n : VS_IN_BUF, &p);

        if ( !got || vs_out_write(out, p, got) )
            return -1;
        in->pos += got;
        in->off += got;
        n -= got;
    }
    return 0;
}

/* gzip input: what is left, decompressed, as it comes. */
static int vs_out_copy_rest(struct vs_out *out, struct vs_in *in)
{
    const uint8_t *p;
    size_t got;

    while ( (got = vs_in_peek(in, 1, &p)) > 0 )
    {
        got = in->len - in->pos;
        if ( vs_out_write(out, p, got) )
            return -1;
        in->pos += got;
        in->off += got;
    }
    return 0;
}

int vs_out_relay(struct vs_out *out, struct vs_in *in)
{
    uint8_t tmp[64 << 10];
    ssize_t r;

    if ( out->closed )
        return -1;
    if ( vs_out_write(out, in->buf + in->pos, in->len - in->pos) )
        return -1;
    in->off += in->len - in->pos;
    in->pos = in->len = 0;
    if ( out->gz )
    {
        if ( comp_some(out, NULL, 0, 1) )
            return -1;
    }
    if ( flush_buf(out) )
        return -1;
    if ( in->gz )
        return vs_out_copy_rest(out, in);
    for ( ;; )
    {
        r = in->seekable ? pread(in->fd, tmp, sizeof(tmp), in->fpos) :
            read(in->fd, tmp, sizeof(tmp));
        if ( r < 0 && errno == EINTR )
            continue;
        if ( r <= 0 )
            return r < 0 ? -1 : 0;
        in->fpos += r;
        in->off += r;
        out->off += r;
        if ( write_all(out, tmp, r) )
            return -1;
    }
}

int vs_out_finish(struct vs_out *out)
{
    off_t end;

    if ( out->closed )
        return -1;
    if ( out->gz && comp_some(out, NULL, 0, 2) )
        return -1;
    if ( flush_buf(out) )
        return -1;
    if ( out->regular && !out->gz )
    {
        /* A trailing hole only exists once the length is set. */
        end = lseek(out->fd, 0, SEEK_CUR);
        if ( end < 0 || ftruncate(out->fd, end) )
        {
            out->err = errno;
            return -1;
        }
    }
    return 0;
}

void vs_out_fini(struct vs_out *out)
{
    if ( out->xz )
        lzma_end(&out->lz);
    else if ( out->gz )
        deflateEnd(&out->zs);
    free(out->buf);
    out->buf = NULL;
}
