/*
 * vs_in.c: the input side of vs_io.h.
 *
 * A regular file is read with pread() at an explicit file position, so a
 * skip is only arithmetic and a copy can hand the range to the kernel.
 * Small refills (VS_IN_CHUNK) keep a header read after a skip cheap: a
 * read-only walk touches a few KiB per 4 MiB PAGE_DATA record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vs_io.h"

static const uint8_t gzip_magic[2] = { 0x1f, 0x8b };
static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

static ssize_t raw_read(struct vs_in *in, void *dst, size_t n)
{
    ssize_t r;

    do {
        if ( in->seekable )
            r = pread(in->fd, dst, n, in->fpos);
        else
            r = read(in->fd, dst, n);
    } while ( r < 0 && errno == EINTR );

    if ( r < 0 )
        in->err = errno;
    else
        in->fpos += r;
    return r;
}

/* Compressed bytes into in->raw; returns false at EOF or error. */
static bool raw_fill(struct vs_in *in)
{
    ssize_t r;

    if ( in->raw_pos < in->raw_len )
        return true;
    if ( in->raw_eof )
        return false;
    r = raw_read(in, in->raw, VS_IN_BUF);
    if ( r <= 0 )
    {
        in->raw_eof = true;
        return false;
    }
    in->raw_pos = 0;
    in->raw_len = r;
    return true;
}

/* Inflate into buf[len..want); false when nothing more can come. */
static bool gz_fill(struct vs_in *in, size_t want)
{
    int rc;

    while ( in->len < want )
    {
        if ( !raw_fill(in) )
            return false;
        in->zs.next_in = in->raw + in->raw_pos;
        in->zs.avail_in = in->raw_len - in->raw_pos;
        in->zs.next_out = in->buf + in->len;
        in->zs.avail_out = VS_IN_BUF - in->len;
        rc = inflate(&in->zs, Z_NO_FLUSH);
        in->raw_pos = in->raw_len - in->zs.avail_in;
        in->len = VS_IN_BUF - in->zs.avail_out;
        if ( rc == Z_STREAM_END )
        {
            /* Concatenated members are one stream (as gzip -d does). */
            if ( !raw_fill(in) || inflateReset(&in->zs) != Z_OK )
                return in->len >= want;
        }
        else if ( rc != Z_OK && rc != Z_BUF_ERROR )
        {
            in->err = EILSEQ;
            in->raw_eof = true;
            return false;
        }
    }
    return true;
}

/* Decompress xz into buf[len..want), as gz_fill() does gzip. */
static bool xz_fill(struct vs_in *in, size_t want)
{
    lzma_ret rc;

    while ( in->len < want )
    {
        bool more = raw_fill(in);

        if ( !more && in->err )
            return false;
        in->lz.next_in = in->raw + in->raw_pos;
        in->lz.avail_in = in->raw_len - in->raw_pos;
        in->lz.next_out = in->buf + in->len;
        in->lz.avail_out = VS_IN_BUF - in->len;
        /* Concatenated streams are one (as xz -d does): FINISH at EOF. */
        rc = lzma_code(&in->lz, more ? LZMA_RUN : LZMA_FINISH);
        in->raw_pos = in->raw_len - in->lz.avail_in;
        in->len = VS_IN_BUF - in->lz.avail_out;
        if ( rc == LZMA_STREAM_END )
            return in->len >= want;
        if ( rc != LZMA_OK && rc != LZMA_BUF_ERROR )
        {
            in->err = EILSEQ;
            in->raw_eof = true;
            return false;
        }
        if ( !more && rc == LZMA_BUF_ERROR )
        {
            in->err = EILSEQ;           /* truncated xz */
            return false;
        }
    }
    return true;
}

static bool plain_fill(struct vs_in *in, size_t want)
{
    while ( in->len < want && !in->raw_eof )
    {
        size_t room = VS_IN_BUF - in->len;
        size_t n = want - in->len;
        ssize_t r;

        n = n < VS_IN_CHUNK ? VS_IN_CHUNK : (n + 4095) & ~(size_t)4095;
        if ( n > room )
            n = room;
        r = raw_read(in, in->buf + in->len, n);
        if ( r <= 0 )
            in->raw_eof = true;
        else
            in->len += r;
    }
    return in->len >= want;
}

int vs_in_init(struct vs_in *in, int fd)
{
    struct stat st;
    const uint8_t *p;

    memset(in, 0, sizeof(*in));
    in->fd = fd;
    if ( fstat(fd, &st) == 0 && S_ISREG(st.st_mode) )
    {
        in->seekable = true;
        in->size = st.st_size;
        in->fpos = lseek(fd, 0, SEEK_CUR);
        if ( in->fpos == (uint64_t)-1 )
            in->fpos = 0;
    }
    in->buf = malloc(VS_IN_BUF);
    if ( !in->buf )
        return -1;

    if ( vs_in_peek(in, 6, &p) == 6 && !memcmp(p, xz_magic, 6) )
    {
        /* As for gzip below, through liblzma; memory bounded by the
         * decoder's limit (xz -9 needs 65 MiB). */
        lzma_stream init = LZMA_STREAM_INIT;

        in->lz = init;
        in->raw = malloc(VS_IN_BUF);
        if ( !in->raw ||
             lzma_stream_decoder(&in->lz, 256U << 20,
                                 LZMA_CONCATENATED) != LZMA_OK )
            return -1;
        memcpy(in->raw, in->buf, in->len);
        in->raw_len = in->len;
        in->raw_pos = 0;
        in->pos = in->len = 0;
        in->gz = in->xz = true;
    }
    else if ( vs_in_peek(in, 2, &p) == 2 && !memcmp(p, gzip_magic, 2) )
    {
        /* Hand the bytes read so far to zlib as the first raw chunk. */
        in->raw = malloc(VS_IN_BUF);
        if ( !in->raw || inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK )
            return -1;
        memcpy(in->raw, in->buf, in->len);
        in->raw_len = in->len;
        in->raw_pos = 0;
        in->pos = in->len = 0;
        in->gz = true;
    }
    return 0;
}

void vs_in_fini(struct vs_in *in)
{
    if ( in->xz )
        lzma_end(&in->lz);
    else if ( in->gz )
        inflateEnd(&in->zs);
    free(in->buf);
    free(in->raw);
    in->buf = in->raw = NULL;
}

size_t vs_in_peek(struct vs_in *in, size_t n, const uint8_t **p)
{
    size_t have = in->len - in->pos;

    if ( n > VS_IN_BUF )
        n = VS_IN_BUF;
    if ( have < n )
    {
        memmove(in->buf, in->buf + in->pos, have);
        in->len = have;
        in->pos = 0;
        if ( in->xz )
            xz_fill(in, n);
        else if ( in->gz )
            gz_fill(in, n);
        else
            plain_fill(in, n);
        have = in->len;
    }
    *p = in->buf + in->pos;
    return have < n ? have : n;
}

int vs_in_read(struct vs_in *in, void *dst, size_t n)
{
    uint8_t *d = dst;

    while ( n )
    {
        size_t have = in->len - in->pos;

        if ( !have && !in->gz && n >= VS_IN_BUF )
        {
            /* A large body: straight into the caller's buffer. */
            ssize_t r = raw_read(in, d, n);

            if ( r <= 0 )
                return -1;
            d += r;
            n -= r;
            in->off += r;
            continue;
        }
        if ( !have )
        {
            const uint8_t *p;

            have = vs_in_peek(in, n < VS_IN_BUF ? n : VS_IN_BUF, &p);
            if ( !have )
                return -1;
        }
        if ( have > n )
            have = n;
        memcpy(d, in->buf + in->pos, have);
        in->pos += have;
        in->off += have;
        d += have;
        n -= have;
    }
    return 0;
}

int vs_in_skip(struct vs_in *in, uint64_t n)
{
    size_t have = in->len - in->pos;

    if ( have >= n )
    {
        in->pos += n;
        in->off += n;
        return 0;
    }
    in->pos = in->len = 0;
    in->off += have;
    n -= have;

    if ( in->seekable && !in->gz )
    {
        if ( in->fpos + n > in->size )
        {
            in->off += in->size - in->fpos;
            in->fpos = in->size;
            return -1;
        }
        in->fpos += n;
        in->off += n;
        return 0;
    }
    while ( n )
    {
        const uint8_t *p;
        size_t got = vs_in_peek(in, n < VS_IN_BUF ? n : VS_IN_BUF, &p);

        if ( !got )
            return -1;
        in->pos += got;
        in->off += got;
        n -= got;
    }
    return 0;
}

bool vs_in_at_eof(struct vs_in *in)
{
    const uint8_t *p;

    return vs_in_peek(in, 1, &p) == 0;
}
