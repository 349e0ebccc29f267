/* hvmctx.h: printing HVM context blobs (text as xen-hvmctx, and JSON). */
#ifndef HVMCTX_H
#define HVMCTX_H

#include <stdint.h>
#include <stdio.h>

#define HVMCTX_VMPORT_CODE 64   /* HVM_SAVE_CODE_VMPORT, vmporttype.h */
#define HVMCTX_JSON_SCHEMA "vmport-state/hvmctx/1"

struct json_object;

int hvmctx_print_text(FILE *f, const char *who, const uint8_t *blob,
                      uint32_t len);
/* The VMPORT record, one block in xen-hvmctx style. */
void hvmctx_print_vmport(FILE *f, const uint8_t *body, uint32_t len);
/* {"schema", "source", "records": [...]}; NULL on a framing error. */
struct json_object *hvmctx_json(const char *who, const uint8_t *blob,
                                uint32_t len);
struct json_object *hvmctx_vmport_json(const uint8_t *body, uint32_t len);

#endif
