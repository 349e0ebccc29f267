/*
 * limits.c: the limits and usage replies of XEN_DMOP_vmport.  One table
 * names each limit, where it lives in the reply and the range the
 * hypervisor accepts (the public header's caps, which the device model's
 * vmport_limits_check() is held to at build time), so parsing an edit,
 * refusing a bad value before the call and printing all use it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <public/arch-x86/hvm/vmporttype.h>

#include "limits.h"

#define F(f) #f, offsetof(struct xen_dm_op_vmport_limits, f)

static const struct {
    const char *name;
    size_t off;
    uint32_t min, max;
    const char *what;
} fields[] = {
    { F(max_channels), 1, HVM_VMPORT_CHANNELS_MAX, "GuestRPC channels" },
    { F(gi_key_max), 1, HVM_VMPORT_GI_KEY_MAX, "bytes per guestinfo key" },
    { F(gi_value_max), 0, HVM_VMPORT_GI_VALUE_MAX,
      "bytes per guestinfo value" },
    { F(gi_max_keys), 0, HVM_VMPORT_GI_KEYS_MAX, "guestinfo keys" },
    { F(gi_total_max), 0, HVM_VMPORT_GI_TOTAL_MAX, "guestinfo bytes in all" },
    { F(tclo_queue_max), HVM_VMPORT_QUEUE_MIN, HVM_VMPORT_QUEUE_MAX,
      "TCLO commands queued per application" },
    { F(idle_timeout_ms), HVM_VMPORT_TIMEOUT_MIN_MS, HVM_VMPORT_TIMEOUT_MAX_MS,
      "ms before an idle channel is reclaimed" },
    { F(trigger_timeout_ms), HVM_VMPORT_TIMEOUT_MIN_MS,
      HVM_VMPORT_TIMEOUT_MAX_MS, "ms for a power trigger's outcome" },
};

#undef F

_Static_assert(sizeof(fields) / sizeof(fields[0]) * sizeof(uint32_t) ==
               sizeof(struct xen_dm_op_vmport_limits), "a row per limit");

static uint32_t *field(struct xen_dm_op_vmport_limits *l, unsigned int i)
{
    return (uint32_t *)((char *)l + fields[i].off);
}

static uint32_t field_val(const struct xen_dm_op_vmport_limits *l,
                          unsigned int i)
{
    uint32_t v;

    memcpy(&v, (const char *)l + fields[i].off, sizeof(v));
    return v;
}

int vs_limits_from_reply(const void *buf, size_t len,
                         struct xen_dm_op_vmport_limits *l)
{
    if ( len < sizeof(*l) )
        return -1;
    memcpy(l, buf, sizeof(*l));
    return 0;
}

int vs_usage_from_reply(const void *buf, size_t len,
                        struct xen_dm_op_vmport_usage *u)
{
    if ( len < sizeof(*u) )
        return -1;
    memcpy(u, buf, sizeof(*u));
    return 0;
}

int vs_limits_set(struct xen_dm_op_vmport_limits *l, const char *arg,
                  char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    unsigned long long v;
    char *end;
    unsigned int i;

    if ( !eq || eq == arg )
    {
        snprintf(err, errlen, "'%s': expected NAME=VALUE", arg);
        return -1;
    }
    for ( i = 0; i < sizeof(fields) / sizeof(fields[0]); i++ )
        if ( strlen(fields[i].name) == (size_t)(eq - arg) &&
             !strncmp(fields[i].name, arg, eq - arg) )
            break;
    if ( i == sizeof(fields) / sizeof(fields[0]) )
    {
        snprintf(err, errlen, "'%.*s': no such limit", (int)(eq - arg), arg);
        return -1;
    }
    errno = 0;
    v = strtoull(eq + 1, &end, 0);
    if ( errno || end == eq + 1 || *end || eq[1] == '-' ||
         v < fields[i].min || v > fields[i].max )
    {
        snprintf(err, errlen, "%s=%s: expected %" PRIu32 " to %" PRIu32
                 " (%s)", fields[i].name, eq + 1, fields[i].min,
                 fields[i].max, fields[i].what);
        return -1;
    }
    *field(l, i) = v;
    return 0;
}

void vs_limits_print(FILE *f, const struct xen_dm_op_vmport_limits *l,
                     const struct xen_dm_op_vmport_usage *u)
{
    unsigned int i;

    if ( u )
        fprintf(f, "memory: %" PRIu64 " of %" PRIu64 " bytes in use "
                "(%.1f%%)\n", (uint64_t)u->mem_used, (uint64_t)u->mem_budget,
                u->mem_budget ? 100.0 * u->mem_used / u->mem_budget : 0.0);
    fprintf(f, "limits:\n");
    for ( i = 0; i < sizeof(fields) / sizeof(fields[0]); i++ )
        fprintf(f, "  %-20s %10" PRIu32 "  %s\n", fields[i].name,
                field_val(l, i), fields[i].what);
}
