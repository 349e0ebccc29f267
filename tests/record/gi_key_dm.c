/*
 * gi_key_dm.c: the device model's side of test_gi_key_agree, compiled as
 * hypervisor code against the shim (like vmport-host's dm_xen.c): a key
 * goes through guestinfo.c exactly as a dom0 operation sends it.
 */

#include "harness.h"
#include "gi_key_dm.h"

int dm_gi_set_key(const char *key, size_t klen, unsigned int key_max,
                  char *stored, size_t cap, size_t *slen, int *found)
{
    struct vmport_limits l;
    struct domain *d;
    uint8_t val[8];
    uint32_t n = cap, vlen = sizeof(val);
    int rc;

    vmport_limits_default(&l);
    l.gi_key_max = key_max;
    d = h_domain(7, 1, VMPORT_HWVER_DEFAULT, &l);
    rc = vmport_guestinfo_set(d, key, klen, "v", 1);
    if ( !rc )
    {
        rc = vmport_guestinfo_key(d, 0, stored, &n);
        *slen = n;
        *found = !vmport_guestinfo_get(d, key, klen, val, &vlen);
    }
    shim_domain_destroy(d);
    return rc;
}
