/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * guestinfo.c: the per-domain guestinfo store.
 *
 * Keys are stored whole ("guestinfo.<name>") and lower-cased, as VMware
 * treats them case-insensitively, in an array kept sorted by key bytes so
 * lookups are a binary search and the dom0 listing comes out in order.
 * The key rule itself is record.c's vmport_rec_gi_key_fold(), which the
 * tools build too.
 * Every key, value and the array itself are charged to the domain, and
 * the limits in vd->limits (key length, value length, key count, total
 * key + value bytes) are checked before anything is allocated.
 *
 * vmport_gi_*() run with vd->lock held (the guest path already holds it);
 * the dom0 operations vmport_guestinfo_*() take it themselves.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>

#include "private.h"
#include "record.h"

/* Compare stored key @e with the (already lower-cased) @key. */
static int gi_cmp(const struct vmport_gi_entry *e, const char *key,
                  uint32_t klen)
{
    uint32_t n = min(e->klen, klen);
    int r = memcmp(e->key, key, n);

    if ( r )
        return r;
    return e->klen < klen ? -1 : e->klen > klen;
}

/* Index of @key, or of where it would be inserted (*found = false). */
static uint32_t gi_search(const struct vmport_domain *vd, const char *key,
                          uint32_t klen, bool *found)
{
    uint32_t lo = 0, hi = vd->gi_count;

    while ( lo < hi )
    {
        uint32_t mid = lo + (hi - lo) / 2;
        int r = gi_cmp(&vd->gi[mid], key, klen);

        if ( !r )
        {
            *found = true;
            return mid;
        }
        if ( r < 0 )
            lo = mid + 1;
        else
            hi = mid;
    }

    *found = false;
    return lo;
}

/*
 * Normalise @key into @buf (lower case): 0, or -EINVAL if it is not
 * "guestinfo.<name>" with a non-empty name of printable non-space bytes,
 * or -ENAMETOOLONG past the key limit.  The rule is record.c's, which the
 * tools run too, so a key means the same to both.
 */
static int gi_key_normalise(const struct vmport_domain *vd, const char *key,
                            uint32_t klen, char *buf)
{
    return vmport_rec_gi_key_fold(key, klen,
                                  min_t(uint32_t, vd->limits.gi_key_max,
                                        VMPORT_GI_KEY_MAX_LIMIT),
                                  buf);
}

/* The index of an existing @key: 0, -ENOENT or a key error. */
static int gi_lookup(const struct vmport_domain *vd, const char *key,
                     uint32_t klen, uint32_t *idx)
{
    char buf[VMPORT_GI_KEY_MAX_LIMIT];
    bool found;
    int rc = gi_key_normalise(vd, key, klen, buf);

    if ( rc )
        return rc;

    *idx = gi_search(vd, buf, klen, &found);
    return found ? 0 : -ENOENT;
}

int vmport_gi_get(struct vmport_domain *vd, const char *key, uint32_t klen,
                  const struct vmport_gi_entry **e)
{
    uint32_t idx;
    int rc = gi_lookup(vd, key, klen, &idx);

    if ( !rc )
        *e = &vd->gi[idx];
    return rc;
}

/* Make room for one more entry, growing the array by doubling. */
static int gi_reserve(struct vmport_domain *vd)
{
    struct vmport_gi_entry *n;
    uint32_t want;

    if ( vd->gi_count < vd->gi_alloc )
        return 0;

    want = vd->gi_alloc ? vd->gi_alloc * 2 : 8;
    want = min(want, vd->limits.gi_max_keys);
    if ( want <= vd->gi_count )
        return -EMFILE;

    n = vmport_alloc(vd, want * sizeof(*n));
    if ( !n )
        return -ENOMEM;

    if ( vd->gi_count )
        memcpy(n, vd->gi, vd->gi_count * sizeof(*n));
    if ( vd->gi )
        vmport_free(vd, vd->gi, vd->gi_alloc * sizeof(*vd->gi));
    vd->gi = n;
    vd->gi_alloc = want;
    return 0;
}

static void gi_entry_free(struct vmport_domain *vd, struct vmport_gi_entry *e)
{
    vmport_free(vd, e->key, e->klen + 1);
    if ( e->val )
        vmport_free(vd, e->val, e->vlen);
    vd->gi_bytes -= e->klen + e->vlen;
    e->key = NULL;
    e->val = NULL;
}

/* Replace the value of @e (vlen may be 0). */
static int gi_entry_set_value(struct vmport_domain *vd,
                              struct vmport_gi_entry *e,
                              const uint8_t *val, uint32_t vlen)
{
    uint8_t *v = NULL;

    if ( vlen )
    {
        v = vmport_alloc_uninit(vd, vlen);
        if ( !v )
            return -ENOMEM;
        memcpy(v, val, vlen);
    }

    if ( e->val )
        vmport_free(vd, e->val, e->vlen);
    vd->gi_bytes = vd->gi_bytes - e->vlen + vlen;
    e->val = v;
    e->vlen = vlen;
    return 0;
}

static int gi_insert(struct vmport_domain *vd, uint32_t idx, const char *key,
                     uint32_t klen, const uint8_t *val, uint32_t vlen)
{
    struct vmport_gi_entry e = { .klen = klen };
    int rc;

    if ( vd->gi_count >= vd->limits.gi_max_keys )
        return -EMFILE;

    rc = gi_reserve(vd);
    if ( rc )
        return rc;

    e.key = vmport_alloc_uninit(vd, klen + 1);
    if ( !e.key )
        return -ENOMEM;
    memcpy(e.key, key, klen);
    e.key[klen] = '\0';
    vd->gi_bytes += klen;

    rc = gi_entry_set_value(vd, &e, val, vlen);
    if ( rc )
    {
        gi_entry_free(vd, &e);
        return rc;
    }

    memmove(&vd->gi[idx + 1], &vd->gi[idx],
            (vd->gi_count - idx) * sizeof(*vd->gi));
    vd->gi[idx] = e;
    vd->gi_count++;
    return 0;
}

/*
 * 0, or -ENAMETOOLONG (key), -EINVAL (not a guestinfo key), -E2BIG
 * (value), -EMFILE (key count), -ENOSPC (total bytes), -ENOMEM.
 */
int vmport_gi_set(struct vmport_domain *vd, const char *key, uint32_t klen,
                  const uint8_t *val, uint32_t vlen)
{
    char buf[VMPORT_GI_KEY_MAX_LIMIT];
    bool found;
    uint32_t idx, old = 0;
    int rc = gi_key_normalise(vd, key, klen, buf);

    if ( rc )
        return rc;
    if ( vlen > vd->limits.gi_value_max )
        return -E2BIG;

    idx = gi_search(vd, buf, klen, &found);
    if ( found )
        old = klen + vd->gi[idx].vlen;
    if ( (uint64_t)vd->gi_bytes - old + klen + vlen > vd->limits.gi_total_max )
        return -ENOSPC;

    if ( found )
        return gi_entry_set_value(vd, &vd->gi[idx], val, vlen);

    return gi_insert(vd, idx, buf, klen, val, vlen);
}

int vmport_gi_unset(struct vmport_domain *vd, const char *key, uint32_t klen)
{
    uint32_t idx;
    int rc = gi_lookup(vd, key, klen, &idx);

    if ( rc )
        return rc;

    gi_entry_free(vd, &vd->gi[idx]);
    vd->gi_count--;
    memmove(&vd->gi[idx], &vd->gi[idx + 1],
            (vd->gi_count - idx) * sizeof(*vd->gi));
    return 0;
}

void vmport_gi_free_all(struct vmport_domain *vd)
{
    uint32_t i;

    for ( i = 0; i < vd->gi_count; i++ )
        gi_entry_free(vd, &vd->gi[i]);

    if ( vd->gi )
        vmport_free(vd, vd->gi, vd->gi_alloc * sizeof(*vd->gi));
    vd->gi = NULL;
    vd->gi_count = 0;
    vd->gi_alloc = 0;
    vd->gi_bytes = 0;
}

/* Toolstack operations: take the lock around the store. */

int vmport_guestinfo_get(struct domain *d, const char *key, uint32_t klen,
                         void *val, uint32_t *vlen)
{
    struct vmport_domain *vd = vmport_dom(d);
    const struct vmport_gi_entry *e;
    int rc;

    if ( !vd )
        return -ENODEV;

    spin_lock(&vd->lock);
    rc = vmport_gi_get(vd, key, klen, &e);
    if ( !rc )
    {
        /* Too small a buffer: say how much is needed. */
        if ( !val || *vlen < e->vlen )
            rc = -ENOBUFS;
        else if ( e->vlen )
            memcpy(val, e->val, e->vlen);
        *vlen = e->vlen;
    }
    spin_unlock(&vd->lock);

    return rc;
}

int vmport_guestinfo_set(struct domain *d, const char *key, uint32_t klen,
                         const void *val, uint32_t vlen)
{
    struct vmport_domain *vd = vmport_dom(d);
    int rc;

    if ( !vd )
        return -ENODEV;

    spin_lock(&vd->lock);
    rc = vmport_gi_set(vd, key, klen, val, vlen);
    spin_unlock(&vd->lock);

    return rc;
}

int vmport_guestinfo_unset(struct domain *d, const char *key, uint32_t klen)
{
    struct vmport_domain *vd = vmport_dom(d);
    int rc;

    if ( !vd )
        return -ENODEV;

    spin_lock(&vd->lock);
    rc = vmport_gi_unset(vd, key, klen);
    spin_unlock(&vd->lock);

    return rc;
}

int vmport_guestinfo_key(struct domain *d, unsigned int idx, char *key,
                         uint32_t *klen)
{
    struct vmport_domain *vd = vmport_dom(d);
    int rc = 0;

    if ( !vd )
        return -ENODEV;

    spin_lock(&vd->lock);
    if ( idx >= vd->gi_count )
        rc = -ENOENT;
    else
    {
        const struct vmport_gi_entry *e = &vd->gi[idx];

        if ( !key || *klen < e->klen )
            rc = -ENOBUFS;
        else
            memcpy(key, e->key, e->klen);
        *klen = e->klen;
    }
    spin_unlock(&vd->lock);

    return rc;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
