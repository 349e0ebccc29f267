/*
 * vs_libxl.c: the libxl stream v2 level.  LIBXC_CONTEXT has an empty body
 * and is followed inline by a whole libxc stream, after whose END the
 * libxl records resume (libxl_stream_write.c).
 */
#include <endian.h>
#include <inttypes.h>
#include <string.h>

#include "vs_priv.h"

static const char *const names[] = {
    [VS_LIBXL_END] = "END",
    [VS_LIBXL_LIBXC_CONTEXT] = "LIBXC_CONTEXT",
    [VS_LIBXL_EMULATOR_XENSTORE_DATA] = "EMULATOR_XENSTORE_DATA",
    [VS_LIBXL_EMULATOR_CONTEXT] = "EMULATOR_CONTEXT",
    [VS_LIBXL_CHECKPOINT_END] = "CHECKPOINT_END",
    [VS_LIBXL_CHECKPOINT_STATE] = "CHECKPOINT_STATE",
};

const char *vs_libxl_name(uint32_t type)
{
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

static int read_header(struct vs_stream *s)
{
    struct vs_libxl_hdr h;
    uint64_t off = s->in.off;

    if ( vs_in_read(&s->in, &h, sizeof(h)) )
    {
        vs_problem(s, off, "libxl: truncated stream header");
        return -1;
    }
    if ( be64toh(h.ident) != VS_LIBXL_IDENT )
    {
        vs_problem(s, off, "libxl: bad ident %#" PRIx64 ", expected "
                   "\"LibxlFmt\"", be64toh(h.ident));
        return -1;
    }
    if ( be32toh(h.version) != VS_LIBXL_VERSION )
    {
        vs_problem(s, off + 8, "libxl: version %u, expected %u",
                   be32toh(h.version), VS_LIBXL_VERSION);
        return -1;
    }
    if ( be32toh(h.options) & VS_LIBXL_OPT_BIG_ENDIAN )
    {
        vs_problem(s, off + 12, "libxl: big-endian stream (unsupported)");
        return -1;
    }
    if ( be32toh(h.options) & ~(VS_LIBXL_OPT_BIG_ENDIAN |
                                VS_LIBXL_OPT_LEGACY) )
        vs_problem(s, off + 12, "libxl: unknown options %#x",
                   be32toh(h.options));
    if ( s->copying && vs_out_write(&s->out, &h, sizeof(h)) )
        return -1;
    return 0;
}

/* Semantic checks of the libxl records we understand. */
static void check_record(struct vs_stream *s, const struct vs_rec *r)
{
    if ( !vs_libxl_name(r->type) )
    {
        vs_problem(s, r->offset, "libxl: unknown record type %#x "
                   "(libxl rejects every unknown record)", r->type);
        return;
    }
    switch ( r->type )
    {
    case VS_LIBXL_END:
    case VS_LIBXL_LIBXC_CONTEXT:
    case VS_LIBXL_CHECKPOINT_END:
        if ( r->length )
            vs_problem(s, r->offset, "libxl: %s length %u, expected 0",
                       vs_libxl_name(r->type), r->length);
        break;
    case VS_LIBXL_EMULATOR_XENSTORE_DATA:
    case VS_LIBXL_EMULATOR_CONTEXT:
    {
        uint32_t id;

        if ( r->length < 8 )
        {
            vs_problem(s, r->offset, "libxl: %s length %u, shorter than "
                       "its 8-byte emulator header",
                       vs_libxl_name(r->type), r->length);
            break;
        }
        memcpy(&id, r->body, 4);
        if ( id > 2 )
            vs_problem(s, r->offset + 8, "libxl: %s emulator_id %u "
                       "unknown", vs_libxl_name(r->type), id);
        if ( r->type == VS_LIBXL_EMULATOR_XENSTORE_DATA &&
             r->length > 8 && r->body[r->length - 1] )
            vs_problem(s, r->offset + 8 + r->length - 1, "libxl: "
                       "EMULATOR_XENSTORE_DATA not NUL-terminated");
        break;
    }
    }
}

int vs_walk_libxl(struct vs_stream *s)
{
    struct vs_rhdr rh;
    struct vs_rec rec = { .level = VS_LEVEL_LIBXL };
    const uint8_t *body;
    uint32_t len;
    int rc;

    if ( read_header(s) )
        return -1;
    for ( ;; )
    {
        rec.offset = s->in.off;
        if ( vs_read_rhdr(s, &rh, "libxl") )
            return -1;
        rec.type = rh.type;
        rec.length = rh.length;
        if ( vs_read_body(s, rh.length) )
        {
            vs_problem(s, rec.offset, "libxl: %s record truncated "
                       "(length %u)", vs_rec_name(VS_LEVEL_LIBXL, rh.type),
                       rh.length);
            return -1;
        }
        if ( vs_check_padding(s, rh.length, "libxl") )
            return -1;
        rec.body = s->body.p;
        rec.body_len = rh.length;
        check_record(s, &rec);

        rc = vs_visit(s, &rec, &body, &len);
        if ( rc < 0 )
            return -1;
        if ( rc == VS_KEEP && vs_emit_rec(s, rh.type, body, len) )
            return -1;

        if ( rh.type == VS_LIBXL_LIBXC_CONTEXT )
        {
            /* Dropping it drops nothing else: the inline stream follows. */
            if ( vs_walk_libxc(s) )
                return -1;
        }
        else if ( rh.type == VS_LIBXL_END )
            return 0;
    }
}
