/*
 * vs_libxc.c: the libxc stream v2/v3 level (Xen 4.17's xg_sr_*).
 *
 * PAGE_DATA is the only bulk record: its header and pfn array are loaded
 * and checked, its pages are skipped (seek) or copied (kernel copy).
 * HVM_CONTEXT is loaded and walked at the HVM level; when copying, the
 * blob is rebuilt from what the HVM visitor kept.
 */
#include <endian.h>
#include <inttypes.h>
#include <string.h>

#include "vs_priv.h"

static const char *const names[VS_REC_TYPE_COUNT] = {
    "END", "PAGE_DATA", "X86_PV_INFO", "X86_PV_P2M_FRAMES",
    "X86_PV_VCPU_BASIC", "X86_PV_VCPU_EXTENDED", "X86_PV_VCPU_XSAVE",
    "SHARED_INFO", "X86_TSC_INFO", "HVM_CONTEXT", "HVM_PARAMS",
    "TOOLSTACK", "X86_PV_VCPU_MSRS", "VERIFY", "CHECKPOINT",
    "CHECKPOINT_DIRTY_PFN_LIST", "STATIC_DATA_END", "X86_CPUID_POLICY",
    "X86_MSR_POLICY",
};

const char *vs_libxc_name(uint32_t type)
{
    return type < VS_REC_TYPE_COUNT ? names[type] : NULL;
}

static int read_headers(struct vs_stream *s)
{
    struct vs_libxc_ihdr ih;
    struct vs_libxc_dhdr dh;
    uint64_t off = s->in.off;

    if ( vs_in_read(&s->in, &ih, sizeof(ih)) )
    {
        vs_problem(s, off, "libxc: truncated image header");
        return -1;
    }
    if ( ih.marker != VS_IHDR_MARKER || be32toh(ih.id) != VS_IHDR_ID )
    {
        vs_problem(s, off, "libxc: bad image header marker/id "
                   "(%#" PRIx64 "/%#x), expected XENF", ih.marker,
                   be32toh(ih.id));
        return -1;
    }
    s->xc_version = be32toh(ih.version);
    if ( s->xc_version != 2 && s->xc_version != 3 )
    {
        vs_problem(s, off + 12, "libxc: version %u, expected 2 or 3",
                   s->xc_version);
        return -1;
    }
    if ( be16toh(ih.options) & VS_IHDR_OPT_BIG_ENDIAN )
    {
        vs_problem(s, off + 16, "libxc: big-endian stream (unsupported)");
        return -1;
    }
    if ( be16toh(ih.options) || ih.res1 || ih.res2 )
        vs_problem(s, off + 16, "libxc: non-zero reserved image header "
                   "fields");

    off = s->in.off;
    if ( vs_in_read(&s->in, &dh, sizeof(dh)) )
    {
        vs_problem(s, off, "libxc: truncated domain header");
        return -1;
    }
    s->xc_dtype = dh.type;
    if ( dh.type != VS_DHDR_TYPE_X86_HVM && dh.type != VS_DHDR_TYPE_X86_PV )
        vs_problem(s, off, "libxc: domain type %u unknown", dh.type);
    if ( dh.page_shift != VS_PAGE_SHIFT )
    {
        vs_problem(s, off + 4, "libxc: page_shift %u, expected 12",
                   dh.page_shift);
        return -1;
    }
    if ( dh.res1 )
        vs_problem(s, off + 6, "libxc: non-zero reserved field");
    s->xc_static_end = s->xc_hvm_context = s->xc_pages = false;

    if ( s->copying && (vs_out_write(&s->out, &ih, sizeof(ih)) ||
                        vs_out_write(&s->out, &dh, sizeof(dh))) )
        return -1;
    return 0;
}

/* Pages with data: every pfn whose type is not BROKEN, XALLOC or XTAB. */
static uint64_t page_data_pages(struct vs_stream *s, const uint64_t *pfns,
                                uint32_t count, uint64_t off)
{
    uint64_t pages = 0;
    uint32_t i;

    for ( i = 0; i < count; i++ )
    {
        unsigned int t = pfns[i] >> VS_PFN_TYPE_SHIFT;

        if ( pfns[i] & VS_PFN_TYPE_RES )
            vs_problem(s, off + 8 + 8 * i, "libxc: PAGE_DATA pfn[%u] "
                       "%#" PRIx64 " has reserved bits set", i, pfns[i]);
        if ( t >= 5 && t <= 8 )
            vs_problem(s, off + 8 + 8 * i, "libxc: PAGE_DATA pfn[%u] "
                       "type %#x unknown", i, t);
        if ( t != VS_PFINFO_BROKEN && t != VS_PFINFO_XALLOC &&
             t != VS_PFINFO_XTAB )
            pages++;
    }
    return pages;
}

/* PAGE_DATA: header and pfns loaded, pages skipped or copied. */
static int page_data(struct vs_stream *s, struct vs_rec *rec)
{
    struct vs_page_data_hdr ph = { 0 };
    uint32_t head = 0, count = 0;
    uint64_t data, pages;
    bool skim = (s->flags & VS_OPEN_SKIM) && !s->copying;
    const uint8_t *body;
    uint32_t len;
    int rc;

    if ( s->xc_version >= 3 && !s->xc_static_end )
        vs_problem(s, rec->offset, "libxc: PAGE_DATA before "
                   "STATIC_DATA_END");
    s->xc_pages = true;
    if ( rec->length >= sizeof(ph) )
    {
        if ( vs_in_read(&s->in, &ph, sizeof(ph)) )
            goto trunc;
        count = ph.count;
        head = sizeof(ph);
        if ( !count || count > VS_PAGE_BATCH_MAX )
            vs_problem(s, rec->offset + 8, "libxc: PAGE_DATA count %u "
                       "outside 1..%u", count, VS_PAGE_BATCH_MAX);
        if ( ph.res1 )
            vs_problem(s, rec->offset + 12, "libxc: PAGE_DATA reserved "
                       "field %#x", ph.res1);
        if ( (uint64_t)count * 8 > rec->length - head )
        {
            vs_problem(s, rec->offset, "libxc: PAGE_DATA count %u needs "
                       "%" PRIu64 " bytes of pfns, record has %u", count,
                       (uint64_t)count * 8, rec->length - head);
            count = (rec->length - head) / 8;
        }
    }
    else
        vs_problem(s, rec->offset, "libxc: PAGE_DATA length %u shorter "
                   "than its header", rec->length);

    /* A count past Xen's batch size is not loaded: it bounds memory. */
    if ( count > VS_PAGE_BATCH_MAX )
    {
        count = 0;
        skim = true;
    }
    /* Skimming, only the first pfn is loaded and nothing is counted. */
    if ( skim && count > 1 )
        count = 1;
    s->body.len = 0;
    if ( vs_buf_append(&s->body, &ph, head) ||
         vs_buf_append(&s->body, NULL, 8 * count) )
        return -1;
    if ( count && vs_in_read(&s->in, s->body.p + head, 8 * count) )
        goto trunc;
    head += 8 * count;
    pages = count ? page_data_pages(s, (const uint64_t *)(s->body.p + 8),
                                    count, rec->offset + 8) : 0;
    data = rec->length - head;
    if ( !skim && data != pages * VS_PAGE_SIZE )
        vs_problem(s, rec->offset, "libxc: PAGE_DATA length %u, expected "
                   "%" PRIu64 " for %u pfns with %" PRIu64 " pages",
                   rec->length, head + pages * VS_PAGE_SIZE, count, pages);

    rec->body = s->body.p;
    rec->body_len = head;
    rc = vs_visit(s, rec, &body, &len);
    if ( rc < 0 )
        return -1;
    if ( rc == VS_KEEP && s->copying && !s->replaced )
    {
        struct vs_rhdr rh = { .type = rec->type, .length = rec->length };

        if ( vs_out_write(&s->out, &rh, sizeof(rh)) ||
             vs_out_write(&s->out, body, len) ||
             vs_out_copy(&s->out, &s->in, VS_ROUNDUP8(rec->length) - head) )
            goto trunc;
        return 0;
    }
    if ( rc == VS_KEEP && vs_emit_rec(s, rec->type, body, len) )
        return -1;
    if ( vs_in_skip(&s->in, data) )
        goto trunc;
    return vs_check_padding(s, rec->length, "libxc: PAGE_DATA");

 trunc:
    if ( s->out.err || s->out.closed )
        return -1;                      /* the output failed, not the input */
    vs_problem(s, rec->offset, "libxc: PAGE_DATA record truncated (length "
               "%u, input ends at %#" PRIx64 ")", rec->length, s->in.off);
    return -1;
}

static void check_length(struct vs_stream *s, const struct vs_rec *r,
                         uint32_t unit, uint32_t head)
{
    if ( r->length < head || (unit && (r->length - head) % unit) ||
         (!unit && r->length != head) )
        vs_problem(s, r->offset, "libxc: %s length %u invalid (%s %u%s)",
                   vs_libxc_name(r->type), r->length,
                   unit ? "header" : "expected", head,
                   unit ? " + a multiple of the entry size" : "");
}

static void check_record(struct vs_stream *s, const struct vs_rec *r)
{
    const char *name = vs_libxc_name(r->type);
    bool hvm = s->xc_dtype == VS_DHDR_TYPE_X86_HVM;

    if ( !name )
    {
        if ( !(r->type & VS_REC_OPTIONAL) )
            vs_problem(s, r->offset, "libxc: unknown mandatory record type "
                       "%#x", r->type);
        return;
    }
    switch ( r->type )
    {
    case VS_REC_END:
    case VS_REC_VERIFY:
    case VS_REC_CHECKPOINT:
    case VS_REC_STATIC_DATA_END:
        check_length(s, r, 0, 0);
        break;
    case VS_REC_X86_TSC_INFO:
        check_length(s, r, 0, sizeof(struct vs_tsc_info));
        if ( r->length == sizeof(struct vs_tsc_info) )
        {
            struct vs_tsc_info t;

            memcpy(&t, r->body, sizeof(t));
            if ( t.mode > 3 )
                vs_problem(s, r->offset + 8, "libxc: X86_TSC_INFO mode %u "
                           "unknown", t.mode);
            if ( t.res1 )
                vs_problem(s, r->offset + 28, "libxc: X86_TSC_INFO "
                           "reserved field non-zero");
        }
        break;
    case VS_REC_HVM_PARAMS:
    {
        struct vs_hvm_params_hdr h;

        check_length(s, r, sizeof(struct vs_hvm_param), sizeof(h));
        if ( r->length < sizeof(h) )
            break;
        memcpy(&h, r->body, sizeof(h));
        if ( (uint64_t)h.count * 16 != r->length - sizeof(h) )
            vs_problem(s, r->offset + 8, "libxc: HVM_PARAMS count %u does "
                       "not match length %u", h.count, r->length);
        if ( h.res1 )
            vs_problem(s, r->offset + 12, "libxc: HVM_PARAMS reserved "
                       "field non-zero");
        break;
    }
    case VS_REC_X86_CPUID_POLICY:
        check_length(s, r, sizeof(struct vs_cpuid_leaf), 0);
        if ( s->xc_static_end )
            vs_problem(s, r->offset, "libxc: X86_CPUID_POLICY after "
                       "STATIC_DATA_END");
        break;
    case VS_REC_X86_MSR_POLICY:
        check_length(s, r, sizeof(struct vs_msr_entry), 0);
        if ( s->xc_static_end )
            vs_problem(s, r->offset, "libxc: X86_MSR_POLICY after "
                       "STATIC_DATA_END");
        break;
    case VS_REC_HVM_CONTEXT:
        if ( !r->length )
            vs_problem(s, r->offset, "libxc: HVM_CONTEXT is empty");
        if ( !hvm )
            vs_problem(s, r->offset, "libxc: HVM_CONTEXT in a PV stream");
        break;
    case VS_REC_X86_PV_INFO ... VS_REC_SHARED_INFO:
    case VS_REC_X86_PV_VCPU_MSRS:
        if ( hvm )
            vs_problem(s, r->offset, "libxc: PV record %s in an HVM "
                       "stream", name);
        break;
    }
}

/* HVM_CONTEXT: visit, then descend, then emit the (rebuilt) blob. */
static int hvm_context(struct vs_stream *s, struct vs_rec *rec)
{
    const uint8_t *body;
    uint32_t len;
    int rc;

    s->xc_hvm_context = true;
    rc = vs_visit(s, rec, &body, &len);
    if ( rc < 0 )
        return -1;
    if ( rc == VS_DROP )
        return 0;
    if ( s->replaced )
        return vs_emit_rec(s, rec->type, body, len);

    s->hvm_out.len = 0;
    if ( vs_walk_hvm_blob(s, rec->body, rec->length, rec->offset + 8) < 0 )
        return -1;
    s->level = VS_LEVEL_LIBXC;
    return vs_emit_rec(s, rec->type, s->hvm_out.p, s->hvm_out.len);
}

int vs_walk_libxc(struct vs_stream *s)
{
    struct vs_rhdr rh;
    struct vs_rec rec = { .level = VS_LEVEL_LIBXC };
    const uint8_t *body;
    uint32_t len;
    int rc;

    if ( read_headers(s) )
        return -1;
    for ( ;; )
    {
        vs_progress(s);
        rec.offset = s->in.off;
        if ( vs_read_rhdr(s, &rh, "libxc") )
            return -1;
        rec.type = rh.type;
        rec.length = rh.length;
        if ( rh.type == VS_REC_PAGE_DATA )
        {
            if ( page_data(s, &rec) )
                return -1;
            continue;
        }
        if ( vs_read_body(s, rh.length) )
        {
            vs_problem(s, rec.offset, "libxc: %s record truncated (length "
                       "%u)", vs_rec_name(VS_LEVEL_LIBXC, rh.type),
                       rh.length);
            return -1;
        }
        if ( vs_check_padding(s, rh.length, "libxc") )
            return -1;
        rec.body = s->body.p;
        rec.body_len = rh.length;
        check_record(s, &rec);

        if ( rh.type == VS_REC_HVM_CONTEXT )
        {
            if ( hvm_context(s, &rec) )
                return -1;
            continue;
        }
        if ( rh.type == VS_REC_STATIC_DATA_END )
            s->xc_static_end = true;
        if ( rh.type == VS_REC_END && s->xc_dtype == VS_DHDR_TYPE_X86_HVM &&
             !s->xc_hvm_context )
            vs_problem(s, rec.offset, "libxc: HVM stream ended without an "
                       "HVM_CONTEXT record");
        if ( rh.type == VS_REC_END && s->xc_version >= 3 &&
             !s->xc_static_end )
            vs_problem(s, rec.offset, "libxc: stream ended without "
                       "STATIC_DATA_END");

        rc = vs_visit(s, &rec, &body, &len);
        if ( rc < 0 )
            return -1;
        if ( rc == VS_KEEP && vs_emit_rec(s, rh.type, body, len) )
            return -1;
        if ( rh.type == VS_REC_END )
            return 0;
    }
}
