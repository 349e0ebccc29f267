/*
 * vs_io.h: buffered input (plain or gzip, seekable or a pipe) and output
 * (plain or gzip) for the stream walker.  Offsets are logical, i.e. in the
 * decompressed byte stream.  Large bodies bypass the buffer: skips seek,
 * copies use copy_file_range() and keep holes as holes.
 */
#ifndef VS_IO_H
#define VS_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <lzma.h>
#include <zlib.h>

/* Compression of an input or output (gzip through zlib, xz through
 * liblzma); an input's is detected from its first bytes. */
enum vs_comp { VS_COMP_NONE, VS_COMP_GZIP, VS_COMP_XZ };

#define VS_IN_BUF   (64U << 10)
#define VS_IN_CHUNK (4U << 10)    /* small reads: a header after a seek */

struct vs_in {
    int fd;
    bool seekable;          /* a regular file: pread and seeks */
    bool gz;                /* compressed (gzip, or xz if xz) */
    bool xz;
    bool raw_eof;
    uint64_t off;           /* logical offset of buf[pos] */
    uint64_t fpos;          /* file offset of the next raw byte to read */
    uint64_t size;          /* file size when seekable, else 0 */
    int err;                /* errno of a failed read, or Z_ error */
    uint8_t *buf;           /* logical bytes */
    size_t pos, len;
    uint8_t *raw;           /* compressed bytes (gzip only) */
    size_t raw_pos, raw_len;
    z_stream zs;
    lzma_stream lz;
};

int vs_in_init(struct vs_in *in, int fd);
void vs_in_fini(struct vs_in *in);
/* Make up to n (<= VS_IN_BUF) bytes available at *p; returns how many. */
size_t vs_in_peek(struct vs_in *in, size_t n, const uint8_t **p);
/* Read exactly n bytes; -1 on a short read (in->err says why, 0 = EOF). */
int vs_in_read(struct vs_in *in, void *dst, size_t n);
/* Skip exactly n bytes; -1 if the input ends first. */
int vs_in_skip(struct vs_in *in, uint64_t n);
/* True when no byte is left. */
bool vs_in_at_eof(struct vs_in *in);

struct vs_out {
    int fd;
    bool gz;                /* compressed (gzip, or xz if xz) */
    bool xz;
    bool regular;           /* a regular file: holes by seeking */
    uint64_t off;           /* logical bytes written */
    int err;
    bool closed;            /* VS_OPEN_STOP_AT_PROBLEM: a problem was seen,
                               every later write fails (err stays 0) */
    uint8_t *buf;
    size_t len;
    z_stream zs;
    lzma_stream lz;
};

/* comp: enum vs_comp (a bool "gzip" reads as VS_COMP_GZIP). */
int vs_out_init(struct vs_out *out, int fd, int comp);
int vs_out_write(struct vs_out *out, const void *p, size_t n);
int vs_out_zeros(struct vs_out *out, uint64_t n);
/* Move n bytes from in to out unchanged (fast paths where possible). */
int vs_out_copy(struct vs_out *out, struct vs_in *in, uint64_t n);
/* Relay the rest of in to out as it arrives (plain input), flushing. */
int vs_out_relay(struct vs_out *out, struct vs_in *in);
/* Flush everything, end the gzip member, set the file length. */
int vs_out_finish(struct vs_out *out);
void vs_out_fini(struct vs_out *out);

#endif /* VS_IO_H */
