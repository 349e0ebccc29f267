/*
 * live_dmop.h: a running domain's guestinfo and power triggers through
 * XEN_DMOP_vmport (live_dmop.c).  Every function returns an exit code
 * (cli.h) and has printed what went wrong.
 */
#ifndef VMPORT_STATE_LIVE_DMOP_H
#define VMPORT_STATE_LIVE_DMOP_H

#include <stdint.h>

/* KEY is the whole key, guestinfo.NAME.  *val is malloc()ed, *vlen its length. */
int live_gi_get(const char *domain, const char *key, uint8_t **val,
                uint32_t *vlen);
int live_gi_set(const char *domain, const char *key, const void *val,
                uint32_t vlen);
int live_gi_unset(const char *domain, const char *key);

/* Every key in key order, as "guestinfo.NAME", with its value. */
typedef void live_gi_fn(const char *key, const uint8_t *val, uint32_t vlen,
                        void *opaque);
int live_gi_each(const char *domain, live_gi_fn *fn, void *opaque);

#define LIVE_TRIGGER_HALT       1       /* TCLO OS_Halt */
#define LIVE_TRIGGER_REBOOT     2       /* TCLO OS_Reboot */
/* Queue a LIVE_TRIGGER_*; EXIT_REFUSED if one is pending. */
int live_trigger(const char *domain, unsigned int op);

struct live_trigger_status {
    unsigned int op, state;     /* state: as the record's trigger state */
    uint32_t guest_status;
    uint64_t elapsed_ns;
};
int live_trigger_status(const char *domain, struct live_trigger_status *st);

/*
 * The domain's limits, new ones (EXIT_REFUSED once the guest has run or
 * holds state), and the Xen memory its backdoor holds against its budget.
 */
struct xen_dm_op_vmport_limits;
struct xen_dm_op_vmport_usage;
int live_limits_get(const char *domain, struct xen_dm_op_vmport_limits *l);
int live_limits_set(const char *domain,
                    const struct xen_dm_op_vmport_limits *l);
int live_usage_get(const char *domain, struct xen_dm_op_vmport_usage *u);

#endif /* VMPORT_STATE_LIVE_DMOP_H */
