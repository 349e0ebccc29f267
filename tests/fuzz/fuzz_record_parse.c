/*
 * fuzz_record_parse: the tools' record library on arbitrary bytes.  The
 * verifier and the parser must agree; whatever parses must emit the same
 * bytes and survive JSON dump and encode unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <zlib.h>

#include <vmport-record.h>

static void one(const uint8_t *data, size_t size)
{
    struct vrec r, r2;
    unsigned int problems = vrec_verify(data, size, NULL, NULL);
    json_object *j;
    uint8_t *out;
    size_t len;
    char err[256];

    if ( vrec_parse(data, size, &r, NULL, NULL) )
    {
        if ( !problems )
            abort();            /* verifier passed what the parser refused */
        return;
    }
    if ( problems )
        abort();
    if ( vrec_emit(&r, &out, &len, err, sizeof(err)) ||
         len != size || memcmp(out, data, size) )
        abort();
    free(out);
    j = vrec_to_json(&r);
    if ( !j || vrec_from_json(j, &r2, err, sizeof(err)) ||
         vrec_emit(&r2, &out, &len, err, sizeof(err)) ||
         len != size || memcmp(out, data, size) )
        abort();
    free(out);
    json_object_put(j);
    vrec_free(&r);
    vrec_free(&r2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *fixed;
    uint32_t crc;

    one(data, size);

    /* Again with the body CRC made right, to reach the deeper checks. */
    if ( size < sizeof(struct hvm_vmport_header) || !(fixed = malloc(size)) )
        return 0;
    memcpy(fixed, data, size);
    crc = crc32(0, fixed + sizeof(struct hvm_vmport_header),
                size - sizeof(struct hvm_vmport_header));
    memcpy(fixed + offsetof(struct hvm_vmport_header, body_crc), &crc,
           sizeof(crc));
    one(fixed, size);
    free(fixed);
    return 0;
}
