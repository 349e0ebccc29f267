/*
 * cli_record.c: the VMPORT record inside vmport-state.  Parsing, checking,
 * editing, printing and JSON are the record library's (<vmport-record.h>,
 * which runs the hypervisor loader's own walker and bounds table); this
 * file plugs it into the streams the CLI opens (as their VMPORT checker)
 * and into the HVM printers, and edits the record of a file or a domain.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include <vmport-record.h>
#include <vmport-stream-format.h>

#include "cli.h"
#include "hvmctx.h"

_Static_assert(HVMCTX_VMPORT_CODE == HVM_SAVE_CODE_VMPORT,
               "hvmctx.h and vmporttype.h agree on the typecode");

struct report_ctx {
    struct vs_stream *s;
    uint64_t base;
};

static void report(void *opaque, uint32_t offset, const char *field,
                   const char *msg)
{
    struct report_ctx *r = opaque;

    vs_report(r->s, r->base + offset, "hvm: VMPORT %s: %s",
              field ? field : "record", msg);
}

/* The stream library's checker of VMPORT records: the record library's
 * verifier, every problem at its offset in the input. */
static void check_vmport(struct vs_stream *s, uint16_t instance,
                         const uint8_t *body, uint32_t len, uint64_t off,
                         void *opaque)
{
    struct report_ctx r = { s, off };

    (void)instance;
    (void)opaque;
    vrec_verify(body, len, report, &r);
}

struct vs_stream *cli_stream_open(int in_fd, const char *name, int out_fd,
                                  unsigned int flags)
{
    struct vs_stream *s = vs_open(in_fd, name, out_fd, flags, stderr);

    if ( s && vs_add_hvm_checker(s, HVM_SAVE_CODE_VMPORT, check_vmport,
                                 NULL) )
    {
        vs_close(s);
        s = NULL;
    }
    return s;
}

int cli_rec_find(const uint8_t *blob, uint32_t len, uint32_t *desc_off)
{
    struct vs_hvm_desc d;
    uint32_t off = 0;

    while ( len - off >= sizeof(d) )
    {
        memcpy(&d, blob + off, sizeof(d));
        if ( d.length > len - off - sizeof(d) || !d.typecode )
            break;
        if ( d.typecode == HVM_SAVE_CODE_VMPORT )
        {
            *desc_off = off;
            return 0;
        }
        off += sizeof(d) + d.length;
    }
    return -1;
}

void hvmctx_print_vmport(FILE *f, const uint8_t *body, uint32_t len)
{
    struct vrec r;

    if ( vrec_parse(body, len, &r, NULL, NULL) )
    {
        fprintf(f, "    VMPORT: invalid record (see vmport-state verify)\n");
        return;
    }
    vrec_print(f, &r, VREC_PRINT_SUMMARY);
    vrec_free(&r);
}

struct json_object *hvmctx_vmport_json(const uint8_t *body, uint32_t len)
{
    struct vrec r;
    struct json_object *o;

    if ( vrec_parse(body, len, &r, NULL, NULL) )
        return json_object_new_string("invalid VMPORT record");
    o = vrec_to_json(&r);
    vrec_free(&r);
    return o;
}

int cli_rec_rewrite(const uint8_t *body, uint32_t len, cli_rec_edit_fn *fn,
                    void *opaque, uint8_t **out, size_t *outlen, char *err,
                    size_t errlen)
{
    struct vrec r;
    int rc;

    if ( !body )
        vrec_init(&r);
    else if ( vrec_parse(body, len, &r, NULL, NULL) )
        return -1;
    rc = fn(&r, opaque, err, errlen);
    if ( !rc && vrec_emit(&r, out, outlen, err, errlen) )
        rc = EXIT_PROBLEMS;
    vrec_free(&r);
    return rc;
}

struct file_edit {
    cli_rec_edit_fn *fn;
    void *opaque;
    int rc;
    bool found;
};

/* Rewrite the one VMPORT record of a stream through fn. */
static int edit_visitor(struct vs_stream *s, const struct vs_rec *rec,
                        void *opaque)
{
    struct file_edit *e = opaque;
    char err[256] = "";
    uint8_t *buf;
    size_t len;

    if ( rec->level != VS_LEVEL_HVM || rec->type != HVM_SAVE_CODE_VMPORT )
        return VS_KEEP;
    if ( e->found )
    {
        vs_report(s, rec->offset, "hvm: a second VMPORT record");
        return -1;
    }
    e->found = true;
    e->rc = cli_rec_rewrite(rec->body, rec->length, e->fn, e->opaque, &buf,
                            &len, err, sizeof(err));
    if ( e->rc < 0 )
    {
        vs_report(s, rec->offset, "hvm: VMPORT record invalid (run "
                  "vmport-state verify); not editing it");
        e->rc = EXIT_PROBLEMS;
        return -1;
    }
    if ( e->rc )
    {
        fprintf(stderr, "vmport-state: %s\n", err[0] ? err : "edit failed");
        return -1;
    }
    if ( vs_replace(s, buf, len) )
        e->rc = EXIT_IO;
    free(buf);
    return e->rc ? -1 : VS_KEEP;
}

int cli_rec_edit_file(const char *file, cli_rec_edit_fn *fn, void *opaque)
{
    struct file_edit e = { .fn = fn, .opaque = opaque };
    int rc = cli_rewrite(file, edit_visitor, &e);

    if ( e.rc )
        return e.rc;
    if ( !rc && !e.found )
    {
        fprintf(stderr, "vmport-state: %s: no VMPORT record (vmport was "
                "off for this guest); %s unchanged\n", file, file);
        return EXIT_PROBLEMS;
    }
    return rc;
}

/* Put a VMPORT record at off in place of the remove bytes there. */
static int splice_blob(uint8_t **blob, uint32_t *len, uint32_t off,
                       uint32_t remove, const uint8_t *body,
                       uint32_t body_len)
{
    struct vs_buf b = { 0 };
    uint32_t tail = off + remove;

    if ( vs_buf_append(&b, *blob, off) ||
         vs_hvm_append(&b, HVM_SAVE_CODE_VMPORT, 0, body, body_len) ||
         vs_buf_append(&b, *blob + tail, *len - tail) )
    {
        vs_buf_free(&b);
        return EXIT_IO;
    }
    free(*blob);
    *blob = b.p;
    *len = b.len;
    return EXIT_OK;
}

/* The edit to apply to the record in a domain's HVM context. */
struct dom_edit {
    cli_rec_edit_fn *fn;
    void *opaque;
};

static int edit_blob(uint8_t **blob, uint32_t *len, void *opaque)
{
    struct dom_edit *e = opaque;
    struct vs_hvm_desc d = { 0 };
    const uint8_t *body = NULL;
    uint32_t off;
    char err[256] = "";
    uint8_t *buf;
    size_t blen;
    int rc;

    if ( cli_rec_find(*blob, *len, &off) )
        /* No record yet: start from an empty one, inserted before END. */
        off = *len - sizeof(d);
    else
    {
        memcpy(&d, *blob + off, sizeof(d));
        body = *blob + off + sizeof(d);
    }
    rc = cli_rec_rewrite(body, d.length, e->fn, e->opaque, &buf, &blen, err,
                         sizeof(err));
    if ( rc < 0 )
    {
        fprintf(stderr, "vmport-state: the domain's VMPORT record does not "
                "parse\n");
        return EXIT_PROBLEMS;
    }
    if ( rc )
    {
        fprintf(stderr, "vmport-state: %s\n", err[0] ? err : "edit failed");
        return rc;
    }
    rc = splice_blob(blob, len, off, d.typecode ? sizeof(d) + d.length : 0,
                     buf, blen);
    free(buf);
    return rc;
}

int cli_rec_create_domain(const char *domain, cli_rec_edit_fn *fn,
                          void *opaque)
{
    struct dom_edit e = { fn, opaque };

    return live_edit_context(domain, edit_blob, &e);
}

int cli_rec_load(const char *file, const char *domain, struct vrec *r)
{
    struct vs_hvm_desc d;
    uint8_t *blob = NULL;
    uint32_t len, off;
    char who[256];
    int rc;

    if ( domain && (rc = live_check_vmport(domain)) )
        return rc;
    rc = cli_load_context(file, domain, &blob, &len, who, sizeof(who));
    if ( rc )
        return rc;
    if ( cli_rec_find(blob, len, &off) )
    {
        fprintf(stderr, "vmport-state: %s: no VMPORT record (vmport is off "
                "for this guest)\n", who);
        rc = EXIT_PROBLEMS;
    }
    else
    {
        memcpy(&d, blob + off, sizeof(d));
        if ( vrec_parse(blob + off + sizeof(d), d.length, r, NULL,
                        NULL) )
        {
            fprintf(stderr, "vmport-state: %s: the VMPORT record at offset "
                    "%#x does not parse (run vmport-state verify)\n", who,
                    off);
            rc = EXIT_PROBLEMS;
        }
    }
    free(blob);
    return rc;
}
