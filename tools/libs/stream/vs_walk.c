/*
 * vs_walk.c: the generic walk.  Detects the input kind, runs the xl
 * level itself and hands the inner levels to vs_libxl.c, vs_libxc.c and
 * vs_hvm.c.  Every record goes through vs_visit(), so the visitor
 * contract (keep, drop, replace, insert) lives in one place.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vs_priv.h"

static const char *const kind_names[] = {
    [VS_KIND_UNKNOWN] = "unknown", [VS_KIND_XL] = "xl",
    [VS_KIND_LIBXL] = "libxl", [VS_KIND_LIBXC] = "libxc",
    [VS_KIND_HVM] = "hvm",
};

static const char *const level_names[] = {
    [VS_LEVEL_XL] = "xl", [VS_LEVEL_LIBXL] = "libxl",
    [VS_LEVEL_LIBXC] = "libxc", [VS_LEVEL_HVM] = "hvm",
};

const char *vs_kind_name(enum vs_kind k)
{
    return (unsigned int)k <= VS_KIND_HVM ? kind_names[k] : "?";
}

const char *vs_level_name(enum vs_level l)
{
    return (unsigned int)l <= VS_LEVEL_HVM ? level_names[l] : "?";
}

void vs_problem(struct vs_stream *s, uint64_t off, const char *fmt, ...)
{
    va_list ap;

    s->problems++;
    if ( s->flags & VS_OPEN_STOP_AT_PROBLEM )
        s->out.closed = true;       /* nothing more goes out */
    if ( !s->errf )
        return;
    va_start(ap, fmt);
    fprintf(s->errf, "%s: offset 0x%" PRIx64 ": ", s->name, off);
    vfprintf(s->errf, fmt, ap);
    fputc('\n', s->errf);
    va_end(ap);
}

void vs_report(struct vs_stream *s, uint64_t off, const char *fmt, ...)
{
    va_list ap;
    char msg[512];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    vs_problem(s, off, "%s", msg);
}

int vs_buf_append(struct vs_buf *b, const void *p, size_t len)
{
    if ( b->len + len > b->cap )
    {
        size_t cap = b->cap ? b->cap : 4096;
        uint8_t *n;

        while ( cap < b->len + len )
            cap *= 2;
        n = realloc(b->p, cap);
        if ( !n )
            return -1;
        b->p = n;
        b->cap = cap;
    }
    if ( len && p )
        memcpy(b->p + b->len, p, len);
    else if ( len )
        memset(b->p + b->len, 0, len);     /* reserve, zeroed */
    b->len += len;
    return 0;
}

void vs_buf_free(struct vs_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

struct vs_stream *vs_open(int in_fd, const char *name, int out_fd,
                          unsigned int flags, FILE *errf)
{
    struct vs_stream *s = calloc(1, sizeof(*s));

    if ( !s )
        return NULL;
    s->name = name;
    s->errf = errf;
    s->flags = flags;
    s->progress_pct = ~0U;
    if ( vs_in_init(&s->in, in_fd) )
        goto err;
    if ( out_fd >= 0 )
    {
        /* Compressed as asked, else as the input was. */
        int comp = (flags & VS_OPEN_XZ_OUT) ? VS_COMP_XZ :
                   (flags & VS_OPEN_GZIP_OUT) ? VS_COMP_GZIP :
                   (flags & VS_OPEN_PLAIN_OUT) ? VS_COMP_NONE :
                   s->in.xz ? VS_COMP_XZ :
                   s->in.gz ? VS_COMP_GZIP : VS_COMP_NONE;

        if ( vs_out_init(&s->out, out_fd, comp) )
            goto err;
        s->copying = true;
    }
    return s;

 err:
    vs_close(s);
    return NULL;
}

int vs_add_hvm_checker(struct vs_stream *s, uint16_t typecode,
                       vs_hvm_check_fn *fn, void *opaque)
{
    unsigned int i;

    for ( i = 0; i < s->nr_checkers; i++ )
        if ( s->checkers[i].typecode == typecode )
            return -EEXIST;
    if ( s->nr_checkers == VS_CHECKERS_MAX )
        return -ENOSPC;
    s->checkers[s->nr_checkers++] = (struct vs_checker){
        .typecode = typecode, .fn = fn, .opaque = opaque,
    };
    return 0;
}

void vs_run_hvm_checkers(struct vs_stream *s, uint16_t typecode,
                         uint16_t instance, const uint8_t *body,
                         uint32_t len, uint64_t off)
{
    unsigned int i;

    for ( i = 0; i < s->nr_checkers; i++ )
        if ( s->checkers[i].typecode == typecode )
            s->checkers[i].fn(s, instance, body, len, off,
                              s->checkers[i].opaque);
}

void vs_close(struct vs_stream *s)
{
    if ( !s )
        return;
    vs_in_fini(&s->in);
    if ( s->copying )
        vs_out_fini(&s->out);
    vs_buf_free(&s->replacement);
    vs_buf_free(&s->body);
    vs_buf_free(&s->hvm_out);
    free(s);
}

enum vs_kind vs_kind(const struct vs_stream *s)
{
    return s->kind;
}

int vs_write_error(const struct vs_stream *s)
{
    return s->copying ? s->out.err : 0;
}

int vs_read_error(const struct vs_stream *s)
{
    return s->in.err == EILSEQ ? 0 : s->in.err;
}

const char *vs_input_compression(const struct vs_stream *s)
{
    return s->in.xz ? "xz" : s->in.gz ? "gzip" : NULL;
}

bool vs_input_gzip(const struct vs_stream *s)
{
    return s->in.gz && !s->in.xz;
}

unsigned int vs_problems(const struct vs_stream *s)
{
    return s->problems;
}

uint64_t vs_input_offset(const struct vs_stream *s)
{
    return s->in.off;
}

int vs_replace(struct vs_stream *s, const void *body, uint32_t len)
{
    s->replacement.len = 0;
    if ( vs_buf_append(&s->replacement, body, len) )
        return -1;
    s->replaced = true;
    return 0;
}

int vs_emit_rec(struct vs_stream *s, uint32_t type, const void *body,
                uint32_t len)
{
    static const uint8_t zero[8];
    struct vs_rhdr rh = { .type = type, .length = len };

    if ( !s->copying )
        return 0;
    if ( vs_out_write(&s->out, &rh, sizeof(rh)) ||
         vs_out_write(&s->out, body, len) ||
         vs_out_write(&s->out, zero, VS_ROUNDUP8(len) - len) )
        return -1;
    return 0;
}

int vs_insert(struct vs_stream *s, uint32_t type, uint16_t instance,
              const void *body, uint32_t len)
{
    switch ( s->level )
    {
    case VS_LEVEL_HVM:
        return vs_hvm_append(&s->hvm_out, type, instance, body, len);
    case VS_LEVEL_LIBXL:
    case VS_LEVEL_LIBXC:
        return vs_emit_rec(s, type, body, len);
    default:
        return -1;      /* the xl header is unique */
    }
}

int vs_visit(struct vs_stream *s, struct vs_rec *rec,
             const uint8_t **body, uint32_t *len)
{
    int rc = VS_KEEP;

    if ( s->problems && (s->flags & VS_OPEN_STOP_AT_PROBLEM) )
        return -1;                  /* stop at the first bad record */
    s->level = rec->level;
    s->replaced = false;
    if ( s->fn )
        rc = s->fn(s, rec, s->opaque);
    s->level = rec->level;  /* a nested walk in the visitor changed it */
    if ( rc < 0 || rc == VS_DROP )
        return rc;
    if ( s->replaced )
    {
        *body = s->replacement.p;
        *len = s->replacement.len;
    }
    else
    {
        *body = rec->body;
        *len = rec->body_len;
    }
    return VS_KEEP;
}

int vs_read_rhdr(struct vs_stream *s, struct vs_rhdr *rh, const char *lvl)
{
    uint64_t off = s->in.off;

    if ( vs_in_read(&s->in, rh, sizeof(*rh)) )
    {
        vs_problem(s, off, "%s: truncated record header (no END record)",
                   lvl);
        return -1;
    }
    if ( rh->length > VS_REC_LENGTH_MAX )
    {
        vs_problem(s, off, "%s: record type %#x length %#x exceeds "
                   "REC_LENGTH_MAX %#x", lvl, rh->type, rh->length,
                   VS_REC_LENGTH_MAX);
        return -1;
    }
    return 0;
}

/*
 * Load a body of len bytes.  The buffer grows as the bytes arrive, so a
 * length field that lies costs no more memory than the input really
 * holds (a truncated 128 MiB claim is found after what is there).
 */
int vs_read_body(struct vs_stream *s, uint32_t len)
{
    uint32_t done = 0;

    s->body.len = 0;
    while ( done < len )
    {
        uint32_t chunk = len - done < (1U << 20) ? len - done : 1U << 20;

        if ( s->body.cap < done + chunk )
        {
            size_t cap = s->body.cap ? s->body.cap : 4096;
            uint8_t *n;

            while ( cap < done + chunk )
                cap *= 2;
            n = realloc(s->body.p, cap);
            if ( !n )
                return -1;
            s->body.p = n;
            s->body.cap = cap;
        }
        if ( vs_in_read(&s->in, s->body.p + done, chunk) )
            return -1;
        done += chunk;
    }
    s->body.len = len;
    return 0;
}

/* Read and check the zero padding after a body of len bytes. */
int vs_check_padding(struct vs_stream *s, uint32_t len, const char *what)
{
    uint8_t pad[8];
    unsigned int n = VS_ROUNDUP8(len) - len, i;
    uint64_t off = s->in.off;

    if ( !n )
        return 0;
    if ( vs_in_read(&s->in, pad, n) )
    {
        vs_problem(s, off, "%s: truncated padding", what);
        return -1;
    }
    for ( i = 0; i < n; i++ )
        if ( pad[i] )
        {
            vs_problem(s, off + i, "%s: non-zero padding byte %#x", what,
                       pad[i]);
            break;
        }
    return 0;
}

void vs_progress(struct vs_stream *s)
{
    unsigned int pct;

    if ( !(s->flags & VS_OPEN_PROGRESS) || s->in.size < (1ULL << 30) )
        return;
    pct = s->in.fpos * 100 / s->in.size;
    if ( pct == s->progress_pct )
        return;
    s->progress_pct = pct;
    fprintf(stderr, "\r%s: %u%% (%" PRIu64 " of %" PRIu64 " MiB)", s->name,
            pct, s->in.fpos >> 20, s->in.size >> 20);
    if ( pct == 100 )
        fputc('\n', stderr);
}

static int walk_xl(struct vs_stream *s)
{
    struct vs_xl_hdr h;
    struct vs_rec rec = { .level = VS_LEVEL_XL, .offset = s->in.off };
    const uint8_t *body;
    uint32_t len;
    int rc;

    if ( vs_in_read(&s->in, &h, sizeof(h)) )
    {
        vs_problem(s, 0, "xl: truncated header");
        return -1;
    }
    if ( h.byteorder != VS_XL_BYTEORDER )
    {
        vs_problem(s, 32, "xl: byteorder %#x, expected %#x (little-endian)",
                   h.byteorder, VS_XL_BYTEORDER);
        return -1;
    }
    if ( h.mandatory_flags & ~VS_XL_MFLAGS_KNOWN )
        vs_problem(s, 36, "xl: unknown mandatory flags %#x",
                   h.mandatory_flags & ~VS_XL_MFLAGS_KNOWN);
    if ( h.optional_data_len > VS_XL_OPTDATA_MAX )
    {
        vs_problem(s, 44, "xl: optional_data_len %#x exceeds %#x",
                   h.optional_data_len, VS_XL_OPTDATA_MAX);
        return -1;
    }
    if ( vs_read_body(s, h.optional_data_len) )
    {
        vs_problem(s, sizeof(h), "xl: truncated optional data (%u bytes)",
                   h.optional_data_len);
        return -1;
    }
    if ( h.mandatory_flags & VS_XL_MFLAG_JSON )
    {
        uint32_t clen;

        if ( h.optional_data_len < 4 )
            vs_problem(s, sizeof(h), "xl: JSON flag set but no config");
        else if ( memcpy(&clen, s->body.p, 4),
                  clen != h.optional_data_len - 4 )
            vs_problem(s, sizeof(h), "xl: config_len %u, optional data "
                       "holds %u", clen, h.optional_data_len - 4);
    }

    rec.length = rec.body_len = h.optional_data_len;
    rec.body = s->body.p;
    rc = vs_visit(s, &rec, &body, &len);
    if ( rc < 0 )
        return -1;
    if ( rc == VS_DROP )
    {
        vs_problem(s, 0, "xl: the xl header cannot be dropped");
        return -1;
    }
    h.optional_data_len = len;
    if ( s->copying && (vs_out_write(&s->out, &h, sizeof(h)) ||
                        vs_out_write(&s->out, body, len)) )
        return -1;

    if ( !(h.mandatory_flags & VS_XL_MFLAG_STREAMV2) )
    {
        vs_problem(s, 36, "xl: legacy (pre-4.6) stream; convert it with "
                   "convert-legacy-stream first");
        return -1;
    }
    return vs_walk_libxl(s);
}

static enum vs_kind detect(struct vs_stream *s)
{
    const uint8_t *p;
    size_t n = vs_in_peek(&s->in, 32, &p);
    struct vs_hvm_desc d;
    uint32_t magic;

    if ( n >= VS_XL_MAGIC_LEN && !memcmp(p, VS_XL_MAGIC, VS_XL_MAGIC_LEN) )
        return VS_KIND_XL;
    if ( n >= 8 && be64toh(*(const uint64_t *)p) == VS_LIBXL_IDENT )
        return VS_KIND_LIBXL;
    if ( n >= 12 && *(const uint64_t *)p == VS_IHDR_MARKER &&
         be32toh(*(const uint32_t *)(p + 8)) == VS_IHDR_ID )
        return VS_KIND_LIBXC;
    if ( n >= 12 )
    {
        memcpy(&d, p, sizeof(d));
        memcpy(&magic, p + 8, 4);
        if ( d.typecode == 1 && magic == VS_HVM_FILE_MAGIC )
            return VS_KIND_HVM;
    }
    return VS_KIND_UNKNOWN;
}

int vs_walk(struct vs_stream *s, vs_visit_fn *fn, void *opaque)
{
    int rc;

    s->fn = fn;
    s->opaque = opaque;
    s->kind = detect(s);

    switch ( s->kind )
    {
    case VS_KIND_XL:
        rc = walk_xl(s);
        break;
    case VS_KIND_LIBXL:
        rc = vs_walk_libxl(s);
        break;
    case VS_KIND_LIBXC:
        rc = vs_walk_libxc(s);
        break;
    case VS_KIND_HVM:
        rc = vs_walk_hvm_input(s);
        break;
    default:
        vs_problem(s, 0, "%s", s->in.err ? strerror(s->in.err) :
                   "not an xl save file, libxl or libxc stream or HVM "
                   "context (bad magic)");
        return -1;
    }
    if ( rc == 0 && s->copying && (s->flags & VS_OPEN_PASS_TRAILING) )
    {
        if ( vs_out_relay(&s->out, &s->in) && !s->out.err &&
             !s->out.closed )
            vs_problem(s, s->in.off, "relaying the bytes after END failed");
    }
    else if ( rc == 0 && !vs_in_at_eof(&s->in) )
        vs_problem(s, s->in.off, "%s: trailing bytes after the END record",
                   vs_kind_name(s->kind));
    if ( s->in.err && s->in.err != EILSEQ )
        vs_problem(s, s->in.off, "read error: %s", strerror(s->in.err));
    else if ( s->in.err == EILSEQ )
        vs_problem(s, s->in.off, "%s: corrupt or truncated compressed "
                   "data", s->in.xz ? "xz" : "gzip");
    /* A failed write is the output's fault, not a problem of the input:
     * vs_write_error() tells the caller, who names the output. */
    if ( rc == 0 && s->copying && vs_out_finish(&s->out) )
    {
        if ( !s->out.err )
            s->out.err = errno ? errno : EIO;
        rc = -1;
    }
    if ( (s->flags & VS_OPEN_PROGRESS) && s->progress_pct != ~0U &&
         s->progress_pct != 100 )
        fputc('\n', stderr);
    return rc || s->problems ? -1 : 0;
}

const char *vs_rec_name(enum vs_level l, uint32_t type)
{
    const char *n = NULL;

    switch ( l )
    {
    case VS_LEVEL_XL:
        n = "XL_HEADER";
        break;
    case VS_LEVEL_LIBXL:
        n = vs_libxl_name(type);
        break;
    case VS_LEVEL_LIBXC:
        n = vs_libxc_name(type);
        break;
    case VS_LEVEL_HVM:
    {
        const struct vs_hvm_type *t = vs_hvm_type(type);

        n = t ? t->name : NULL;
        break;
    }
    }
    return n ? n : "?";
}
