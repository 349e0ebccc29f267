/*
 * limits.h: a domain's vmport limits and memory use as XEN_DMOP_vmport
 * reports them (GET_LIMITS, GET_USAGE), read, edited and printed without
 * Xen (limits.c), so tests can drive them with reply bytes.
 */
#ifndef VMPORT_STATE_LIMITS_H
#define VMPORT_STATE_LIMITS_H

#include <stddef.h>
#include <stdio.h>

#include "dmop_abi.h"

/* The reply to GET_LIMITS / GET_USAGE (buf[1]); -1 if @len is short. */
int vs_limits_from_reply(const void *buf, size_t len,
                         struct xen_dm_op_vmport_limits *l);
int vs_usage_from_reply(const void *buf, size_t len,
                        struct xen_dm_op_vmport_usage *u);

/*
 * NAME=VALUE, NAME a field of struct xen_dm_op_vmport_limits, VALUE in
 * the range the hypervisor accepts; 0, or -1 with a message in @err.
 */
int vs_limits_set(struct xen_dm_op_vmport_limits *l, const char *arg,
                  char *err, size_t errlen);

/* Usage (NULL: unknown) and the limits, one per line. */
void vs_limits_print(FILE *f, const struct xen_dm_op_vmport_limits *l,
                     const struct xen_dm_op_vmport_usage *u);

#endif /* VMPORT_STATE_LIMITS_H */
