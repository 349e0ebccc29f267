/*
 * vmport-record-priv.h: helpers shared by the vmport-record files.
 */
#ifndef VMPORT_RECORD_PRIV_H
#define VMPORT_RECORD_PRIV_H

#include <stddef.h>

#include <vmware/record.h>     /* the walker and writer, shared with Xen */

#include <vmport-record.h>

void vrec_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* malloc()ed copy of @len bytes followed by @extra zero bytes. */
void *vrec_dup(const void *p, size_t len, size_t extra);
/* Append one zeroed element of @size to the array *@arr_p of *@nr. */
void *vrec_push(void *arr_p, unsigned int *nr, size_t size);
void vrec_free_cmds(struct vrec_app *a);

#endif /* VMPORT_RECORD_PRIV_H */
