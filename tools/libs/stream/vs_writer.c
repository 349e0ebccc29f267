/*
 * vs_writer.c: emit streams from scratch, in the order Xen 4.17 writes
 * them (libxl_stream_write.c, xg_sr_save.c): xl header and JSON config,
 * libxl header, LIBXC_CONTEXT, the inline libxc stream, libxl records,
 * END.  The walker's copy mode does not use this; this is for new
 * streams (vmport-host's --state-out, the generator).
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "vs_priv.h"

struct vs_writer {
    struct vs_out out;
    enum vs_kind kind;
    bool libxc_open;
};

/* Xen 4.17, the release whose streams this writes. */
#define GEN_XEN_MAJOR 4
#define GEN_XEN_MINOR 17

static int put_rec(struct vs_writer *w, uint32_t type, const void *body,
                   uint32_t len)
{
    static const uint8_t zero[8];
    struct vs_rhdr rh = { .type = type, .length = len };

    if ( len > VS_REC_LENGTH_MAX )
        return -1;
    return vs_out_write(&w->out, &rh, sizeof(rh)) ||
           vs_out_write(&w->out, body, len) ||
           vs_out_write(&w->out, zero, VS_ROUNDUP8(len) - len) ? -1 : 0;
}

static int put_xl_header(struct vs_writer *w, const char *json)
{
    struct vs_xl_hdr h = {
        .byteorder = VS_XL_BYTEORDER,
        .mandatory_flags = VS_XL_MFLAG_STREAMV2,
    };
    uint32_t clen = json ? strlen(json) + 1 : 0;

    memcpy(h.magic, VS_XL_MAGIC, VS_XL_MAGIC_LEN);
    if ( json )
    {
        h.mandatory_flags |= VS_XL_MFLAG_JSON;
        h.optional_data_len = 4 + clen;
    }
    if ( vs_out_write(&w->out, &h, sizeof(h)) )
        return -1;
    if ( json && (vs_out_write(&w->out, &clen, 4) ||
                  vs_out_write(&w->out, json, clen)) )
        return -1;
    return 0;
}

static int put_libxl_header(struct vs_writer *w)
{
    struct vs_libxl_hdr h = {
        .ident = htobe64(VS_LIBXL_IDENT),
        .version = htobe32(VS_LIBXL_VERSION),
    };

    if ( vs_out_write(&w->out, &h, sizeof(h)) )
        return -1;
    return put_rec(w, VS_LIBXL_LIBXC_CONTEXT, NULL, 0);
}

static int put_libxc_headers(struct vs_writer *w)
{
    struct vs_libxc_ihdr ih = {
        .marker = VS_IHDR_MARKER,
        .id = htobe32(VS_IHDR_ID),
        .version = htobe32(3),
    };
    struct vs_libxc_dhdr dh = {
        .type = VS_DHDR_TYPE_X86_HVM,
        .page_shift = VS_PAGE_SHIFT,
        .xen_major = GEN_XEN_MAJOR,
        .xen_minor = GEN_XEN_MINOR,
    };

    w->libxc_open = true;
    return vs_out_write(&w->out, &ih, sizeof(ih)) ||
           vs_out_write(&w->out, &dh, sizeof(dh)) ? -1 : 0;
}

struct vs_writer *vs_writer_open(int fd, enum vs_kind kind, bool gzip,
                                 const char *json_config)
{
    struct vs_writer *w = calloc(1, sizeof(*w));
    int rc = 0;

    if ( !w )
        return NULL;
    w->kind = kind;
    if ( vs_out_init(&w->out, fd, gzip) )
        goto err;
    switch ( kind )
    {
    case VS_KIND_XL:
        rc = put_xl_header(w, json_config);
        /* fall through */
    case VS_KIND_LIBXL:
        rc = rc ? rc : put_libxl_header(w);
        /* fall through */
    case VS_KIND_LIBXC:
        rc = rc ? rc : put_libxc_headers(w);
        break;
    default:
        goto err;
    }
    if ( rc )
        goto err;
    return w;

 err:
    vs_writer_abort(w);
    return NULL;
}

int vs_writer_record(struct vs_writer *w, uint32_t type, const void *body,
                     uint32_t len)
{
    if ( !w->libxc_open )
        return -1;
    return put_rec(w, type, body, len);
}

int vs_writer_page_data(struct vs_writer *w, const uint64_t *pfns,
                        uint32_t count, const void *pages)
{
    struct vs_page_data_hdr ph = { .count = count };
    struct vs_rhdr rh = { .type = VS_REC_PAGE_DATA };
    uint64_t npages = 0, len;
    uint32_t i;

    if ( !w->libxc_open || !count || count > VS_PAGE_BATCH_MAX )
        return -1;
    for ( i = 0; i < count; i++ )
    {
        unsigned int t = pfns[i] >> VS_PFN_TYPE_SHIFT;

        if ( t != VS_PFINFO_BROKEN && t != VS_PFINFO_XALLOC &&
             t != VS_PFINFO_XTAB )
            npages++;
    }
    len = sizeof(ph) + 8ULL * count + npages * VS_PAGE_SIZE;
    rh.length = len;
    if ( vs_out_write(&w->out, &rh, sizeof(rh)) ||
         vs_out_write(&w->out, &ph, sizeof(ph)) ||
         vs_out_write(&w->out, pfns, 8ULL * count) )
        return -1;
    if ( pages )
        return vs_out_write(&w->out, pages, npages * VS_PAGE_SIZE);
    return vs_out_zeros(&w->out, npages * VS_PAGE_SIZE);
}

static int close_libxc(struct vs_writer *w)
{
    if ( !w->libxc_open )
        return 0;
    w->libxc_open = false;
    return put_rec(w, VS_REC_END, NULL, 0);
}

int vs_writer_libxl_record(struct vs_writer *w, uint32_t type,
                           const void *body, uint32_t len)
{
    if ( w->kind == VS_KIND_LIBXC || close_libxc(w) )
        return -1;
    return put_rec(w, type, body, len);
}

int vs_writer_finish(struct vs_writer *w)
{
    int rc = close_libxc(w);

    if ( !rc && w->kind != VS_KIND_LIBXC )
        rc = put_rec(w, VS_LIBXL_END, NULL, 0);
    if ( !rc )
        rc = vs_out_finish(&w->out);
    vs_out_fini(&w->out);
    free(w);
    return rc;
}

void vs_writer_abort(struct vs_writer *w)
{
    if ( !w )
        return;
    vs_out_fini(&w->out);
    free(w);
}

int vs_write_hvm_state(int fd, const uint8_t *blob, uint32_t len)
{
    struct vs_tsc_info tsc = { .mode = 0 };
    struct vs_writer *w = vs_writer_open(fd, VS_KIND_LIBXC, false, NULL);

    if ( !w )
        return -1;
    if ( vs_writer_record(w, VS_REC_STATIC_DATA_END, NULL, 0) ||
         vs_writer_record(w, VS_REC_X86_TSC_INFO, &tsc, sizeof(tsc)) ||
         vs_writer_record(w, VS_REC_HVM_CONTEXT, blob, len) )
    {
        vs_writer_abort(w);
        return -1;
    }
    return vs_writer_finish(w);
}

struct find_ctx {
    struct vs_buf blob;
    bool found;
};

static int find_hvm_context(struct vs_stream *s, const struct vs_rec *r,
                            void *opaque)
{
    struct find_ctx *f = opaque;

    if ( f->found && r->level != VS_LEVEL_HVM )
        return VS_KEEP;
    if ( r->level == VS_LEVEL_LIBXC && r->type == VS_REC_HVM_CONTEXT )
    {
        f->found = true;
        return vs_buf_append(&f->blob, r->body, r->length);
    }
    /* A raw blob input: reassemble it from its descriptors. */
    if ( r->level == VS_LEVEL_HVM && vs_kind(s) == VS_KIND_HVM )
        return vs_hvm_append(&f->blob, r->type, r->instance, r->body,
                             r->length);
    return VS_KEEP;
}

int vs_read_hvm_context(int fd, const char *name, uint8_t **blob,
                        uint32_t *len, FILE *errf)
{
    struct find_ctx f = { .found = false };
    struct vs_stream *s = vs_open(fd, name, -1, VS_OPEN_SKIM, errf);
    int rc = -1;

    if ( !s )
        return -1;
    if ( vs_walk(s, find_hvm_context, &f) == 0 )
    {
        if ( vs_kind(s) == VS_KIND_HVM || f.found )
        {
            *blob = f.blob.p;
            *len = f.blob.len;
            f.blob.p = NULL;
            rc = 0;
        }
        else if ( errf )
            fprintf(errf, "%s: no HVM_CONTEXT record\n", name);
    }
    vs_buf_free(&f.blob);
    vs_close(s);
    return rc;
}
