/*
 * vs_hvm.c: the HVM context level, the blob that XEN_DOMCTL_gethvmcontext
 * returns: packed {typecode, instance, length} descriptors and bodies,
 * HEADER first, END last, no padding (xen/include/public/hvm/save.h).
 * The checks mirror 4.17's hvm_load(): what it would refuse is a problem.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vs_priv.h"

int vs_hvm_append(struct vs_buf *b, uint16_t typecode, uint16_t instance,
                  const void *body, uint32_t len)
{
    struct vs_hvm_desc d = {
        .typecode = typecode, .instance = instance, .length = len,
    };

    if ( vs_buf_append(b, &d, sizeof(d)) || vs_buf_append(b, body, len) )
        return -1;
    return 0;
}

static void check_length(struct vs_stream *s, const struct vs_hvm_type *t,
                         const struct vs_hvm_desc *d, uint64_t off)
{
    if ( !t->length )
        return;
    if ( d->length > t->length ||
         (d->length < t->length && !t->zeroextend) )
        vs_problem(s, off, "hvm: %s instance %u length %u, expected %u%s",
                   t->name, d->instance, d->length, t->length,
                   t->zeroextend ? " or less" : "");
}

static void check_instance(struct vs_stream *s, const struct vs_hvm_type *t,
                           const struct vs_hvm_desc *d,
                           const struct vs_hvm_desc *prev, uint64_t off)
{
    if ( !t->per_vcpu && d->instance > t->max_instance )
        vs_problem(s, off, "hvm: %s instance %u, at most %u", t->name,
                   d->instance, t->max_instance);
    if ( prev->typecode > d->typecode && d->typecode )
        vs_problem(s, off, "hvm: %s (type %u) after type %u: records out "
                   "of typecode order", t->name, d->typecode,
                   prev->typecode);
    else if ( prev->typecode == d->typecode &&
              prev->instance >= d->instance )
        vs_problem(s, off, "hvm: %s instance %u after instance %u: "
                   "duplicate or out of order", t->name, d->instance,
                   prev->instance);
}

int vs_walk_hvm_blob(struct vs_stream *s, const uint8_t *blob, uint32_t len,
                     uint64_t base)
{
    struct vs_hvm_desc d, prev = { 0 };
    struct vs_rec rec = { .level = VS_LEVEL_HVM };
    uint32_t off = 0;
    const uint8_t *body;
    uint32_t blen;
    int rc;

    for ( ;; )
    {
        const struct vs_hvm_type *t;

        if ( len - off < sizeof(d) )
        {
            vs_problem(s, base + off, "hvm: context truncated: %u bytes "
                       "left, no END record", len - off);
            return -1;
        }
        memcpy(&d, blob + off, sizeof(d));
        if ( d.length > len - off - sizeof(d) )
        {
            vs_problem(s, base + off, "hvm: type %u instance %u length %u "
                       "exceeds the %u bytes left", d.typecode, d.instance,
                       d.length, len - off - (uint32_t)sizeof(d));
            return -1;
        }
        t = vs_hvm_type(d.typecode);
        if ( !off && d.typecode != 1 )
            vs_problem(s, base, "hvm: first record is type %u, expected "
                       "HEADER", d.typecode);
        if ( !t )
            vs_problem(s, base + off, "hvm: unknown mandatory record type "
                       "%u (hvm_load fails with -EINVAL)", d.typecode);
        else
        {
            if ( off && d.typecode == 1 )
                vs_problem(s, base + off, "hvm: second HEADER");
            check_length(s, t, &d, base + off);
            check_instance(s, t, &d, &prev, base + off);
            if ( t->check )
                t->check(s, d.instance, blob + off + sizeof(d), d.length,
                         base + off + sizeof(d));
            vs_run_hvm_checkers(s, d.typecode, d.instance,
                                blob + off + sizeof(d), d.length,
                                base + off + sizeof(d));
        }

        rec.type = d.typecode;
        rec.instance = d.instance;
        rec.length = rec.body_len = d.length;
        rec.offset = base + off;
        rec.body = blob + off + sizeof(d);
        rc = vs_visit(s, &rec, &body, &blen);
        if ( rc < 0 )
            return -1;
        if ( rc == VS_KEEP && s->copying &&
             vs_hvm_append(&s->hvm_out, d.typecode, d.instance, body, blen) )
            return -1;
        off += sizeof(d) + d.length;
        prev = d;
        if ( !d.typecode )
            break;
    }
    if ( off != len )
        vs_problem(s, base + off, "hvm: %u bytes after the END record",
                   len - off);
    return 0;
}

int vs_walk_hvm_input(struct vs_stream *s)
{
    struct vs_buf all = { 0 };
    const uint8_t *p;
    size_t n;
    int rc = -1;

    /* A raw blob has no framing around it: read it all, bounded. */
    while ( (n = vs_in_peek(&s->in, VS_IN_BUF, &p)) > 0 )
    {
        if ( all.len + n > VS_REC_LENGTH_MAX )
        {
            vs_problem(s, all.len, "hvm: context larger than %u bytes",
                       VS_REC_LENGTH_MAX);
            goto out;
        }
        if ( vs_buf_append(&all, p, n) )
            goto out;
        s->in.pos += n;
        s->in.off += n;
    }
    s->hvm_out.len = 0;
    rc = vs_walk_hvm_blob(s, all.p, all.len, 0);
    if ( rc == 0 && s->copying &&
         vs_out_write(&s->out, s->hvm_out.p, s->hvm_out.len) )
        rc = -1;
 out:
    vs_buf_free(&all);
    return rc;
}
