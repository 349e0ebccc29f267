/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * domain.c: the per-domain lifecycle of the device model and the budget
 * every guest-caused allocation is charged against.
 *
 * The toolstack enables vmport once, before the guest runs, with a VMware
 * hardware version and limits; nothing exists for the domain before that.
 * All guest-driven allocations go through vmport_alloc(), which refuses
 * rather than exceed vd->mem_limit, a bound derived from the limits alone,
 * so no sequence of backdoor calls can make Xen allocate beyond it.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/vmap.h>
#include <xen/xmalloc.h>

#include <asm/hvm/hvm.h>
#include <asm/hvm/nestedhvm.h>
#include <asm/page.h>

#include "private.h"

/* Room for the "1 " / "0 ..." framing around a reply's payload. */
#define VMPORT_REPLY_SLACK      64
/* A host->guest TCLO command ("OS_Halt", "Set_Option ...") at most. */
#define VMPORT_TCLO_CMD_BUDGET  256
#define VMPORT_MEM_SLACK        4096

void vmport_limits_default(struct vmport_limits *l)
{
    l->max_channels = VMPORT_MAX_CHANNELS_DEFAULT;
    l->gi_key_max = VMPORT_GI_KEY_MAX_DEFAULT;
    l->gi_value_max = VMPORT_GI_VALUE_MAX_DEFAULT;
    l->gi_max_keys = VMPORT_GI_MAX_KEYS_DEFAULT;
    l->gi_total_max = VMPORT_GI_TOTAL_MAX_DEFAULT;
    l->tclo_queue_max = VMPORT_TCLO_QUEUE_DEFAULT;
    l->idle_timeout_ms = VMPORT_IDLE_TIMEOUT_DEFAULT;
    l->trigger_timeout_ms = VMPORT_TRIGGER_TIMEOUT_DEFAULT;
}

static int limit_in_range(const char *name, uint32_t val, uint32_t min,
                          uint32_t max)
{
    if ( val >= min && val <= max )
        return 0;
    gdprintk(XENLOG_WARNING, "vmport: limit %s = %u outside %u .. %u\n",
             name, val, min, max);
    return -EINVAL;
}

int vmport_limits_check(const struct vmport_limits *l)
{
#define LIMIT_CHECK(f, min, max) \
    do { if ( limit_in_range(#f, l->f, min, max) ) return -EINVAL; } \
    while ( 0 )
    LIMIT_CHECK(max_channels, 1, VMPORT_MAX_CHANNELS_LIMIT);
    LIMIT_CHECK(gi_key_max, 1, VMPORT_GI_KEY_MAX_LIMIT);
    LIMIT_CHECK(gi_value_max, 0, VMPORT_GI_VALUE_MAX_LIMIT);
    LIMIT_CHECK(gi_max_keys, 0, VMPORT_GI_MAX_KEYS_LIMIT);
    LIMIT_CHECK(gi_total_max, 0, VMPORT_GI_TOTAL_MAX_LIMIT);
    LIMIT_CHECK(tclo_queue_max, VMPORT_TCLO_QUEUE_MIN, VMPORT_TCLO_QUEUE_LIMIT);
    LIMIT_CHECK(idle_timeout_ms, VMPORT_TIMEOUT_MIN_MS, VMPORT_TIMEOUT_MAX_MS);
    LIMIT_CHECK(trigger_timeout_ms, VMPORT_TIMEOUT_MIN_MS,
                VMPORT_TIMEOUT_MAX_MS);
#undef LIMIT_CHECK
    return 0;
}

/*
 * The most the model can legitimately hold at once for these limits:
 * per channel an inbound message (64 KiB cap) and a reply (the largest
 * being a guestinfo value); guestinfo keys, values and their sorted array
 * (twice over, for the moment an update holds old and new); the TCLO
 * queues.  Everything is 64-bit arithmetic on 32-bit limits: no overflow.
 */
size_t vmport_mem_limit(const struct vmport_limits *l)
{
    uint64_t chan = sizeof(struct vmport_channel) + VMPORT_MSG_IN_MAX +
                    l->gi_value_max + VMPORT_REPLY_SLACK;
    uint64_t gi = (uint64_t)l->gi_total_max + l->gi_value_max +
                  (uint64_t)l->gi_max_keys *
                  (1 + 2 * sizeof(struct vmport_gi_entry));
    uint64_t tclo = (uint64_t)VMPORT_MAX_APPS * l->tclo_queue_max *
                    (sizeof(struct vmport_tclo_cmd) + VMPORT_TCLO_CMD_BUDGET);

    return l->max_channels * chan + gi + tclo + VMPORT_MEM_SLACK;
}

/*
 * Every buffer of the model, charged or staged.  One above a page (message
 * bodies and guestinfo values reach 64 KiB, a record's channel array more)
 * comes from vmalloc(): single pages mapped together, so a busy domain
 * never asks the heap for a high-order contiguous block.  The size decides
 * the allocator, so vmport_buf_free() must be given the allocated size.
 */
void *vmport_buf_alloc(size_t size, bool zero)
{
    if ( size > PAGE_SIZE )
        return zero ? vzalloc(size) : vmalloc(size);
    return zero ? xzalloc_bytes(size) : xmalloc_bytes(size);
}

void vmport_buf_free(void *p, size_t size)
{
    if ( size > PAGE_SIZE )
        vfree(p);
    else
        xfree(p);
}

static void *budget_alloc(struct vmport_domain *vd, size_t size, bool zero)
{
    void *p;

    if ( !size || size > vd->mem_limit - vd->mem_used )
        return NULL;
    p = vmport_buf_alloc(size, zero);
    if ( p )
        vd->mem_used += size;
    return p;
}

void *vmport_alloc(struct vmport_domain *vd, size_t size)
{
    return budget_alloc(vd, size, true);
}

void *vmport_alloc_uninit(struct vmport_domain *vd, size_t size)
{
    return budget_alloc(vd, size, false);
}

void vmport_free(struct vmport_domain *vd, void *p, size_t size)
{
    if ( !p )
        return;
    ASSERT(vd->mem_used >= size);
    vd->mem_used -= size;
    vmport_buf_free(p, size);
}

/*
 * The vCPUs' HB bounce buffers: allocated with the domain's state, by the
 * toolstack's enable, so no guest exit allocates them.  Charged on top of
 * the budget the limits give.
 */
static size_t bounce_bytes(unsigned int nr_vcpus)
{
    return nr_vcpus * (sizeof(uint8_t *) + VMPORT_HB_CHUNK);
}

size_t vmport_budget_of(const struct vmport_domain *vd,
                        const struct vmport_limits *l)
{
    return vmport_mem_limit(l) + bounce_bytes(vd->nr_bounce);
}

static int bounce_alloc(struct vmport_domain *vd, unsigned int nr_vcpus)
{
    unsigned int i;

    BUILD_BUG_ON(sizeof(*vd->hb_bounce) != sizeof(uint8_t *));
    vd->mem_limit += bounce_bytes(nr_vcpus);
    vd->hb_bounce = vmport_alloc(vd, nr_vcpus * sizeof(*vd->hb_bounce));
    if ( !vd->hb_bounce )
        return -ENOMEM;
    vd->nr_bounce = nr_vcpus;
    for ( i = 0; i < nr_vcpus; i++ )
    {
        vd->hb_bounce[i] = vmport_alloc_uninit(vd, VMPORT_HB_CHUNK);
        if ( !vd->hb_bounce[i] )
            return -ENOMEM;
    }
    return 0;
}

static void bounce_free(struct vmport_domain *vd)
{
    unsigned int i;

    if ( !vd->hb_bounce )
        return;
    for ( i = 0; i < vd->nr_bounce; i++ )
        vmport_free(vd, vd->hb_bounce[i], VMPORT_HB_CHUNK);
    vmport_free(vd, vd->hb_bounce, vd->nr_bounce * sizeof(*vd->hb_bounce));
    vd->hb_bounce = NULL;
}

/* Everything vmport_enable() allocated, in any state of completion. */
static void domain_state_free(struct vmport_domain *vd)
{
    vmport_free(vd, vd->channels,
                vd->limits.max_channels * sizeof(*vd->channels));
    bounce_free(vd);
    ASSERT(vd->mem_used == 0);
    xfree(vd);
}

/*
 * The rules for turning vmport on, whichever way it is asked for (the HVM
 * parameter, or a VMPORT record in a loaded HVM context, both of which end
 * here):
 *  - never on a domain that has run: its CPUID leaves 0x40000000 and the
 *    ports it probed must not change under it (-EBUSY);
 *  - never beside Viridian, which owns CPUID 0x40000000 too, nor nested
 *    HVM, to which the #GP and I/O intercepts are not forwarded
 *    (-EOPNOTSUPP).
 */
static bool has_run(const struct domain *d, const char *what)
{
    if ( !d->creation_finished )
        return false;
    gdprintk(XENLOG_WARNING, "vmport: d%u has already run: %s only before "
             "the first unpause\n", d->domain_id, what);
    return true;
}

int vmport_may_enable(const struct domain *d)
{
    if ( has_run(d, "vmport can be enabled") )
        return -EBUSY;
    if ( is_viridian_domain(d) || nestedhvm_enabled(d) )
    {
        gdprintk(XENLOG_WARNING, "vmport: d%u uses %s: vmport cannot be "
                 "enabled beside it\n", d->domain_id,
                 is_viridian_domain(d) ? "Viridian" : "nested HVM");
        return -EOPNOTSUPP;
    }
    return 0;
}

int vmport_enable(struct domain *d, unsigned int hwver,
                  const struct vmport_limits *limits)
{
    struct vmport_domain *vd;
    struct vmport_limits l;
    unsigned int i;
    int rc;

    if ( vmport_dom(d) )
        return -EEXIST;                 /* write-once */
    rc = vmport_may_enable(d);
    if ( rc )
        return rc;
    if ( hwver < VMPORT_HWVER_MIN || hwver > VMPORT_HWVER_MAX )
    {
        gdprintk(XENLOG_WARNING, "vmport: d%u hardware version %u outside "
                 "%u .. %u\n", d->domain_id, hwver, VMPORT_HWVER_MIN,
                 VMPORT_HWVER_MAX);
        return -EINVAL;
    }
    if ( limits )
        l = *limits;
    else
        vmport_limits_default(&l);
    if ( vmport_limits_check(&l) )
        return -EINVAL;

    vd = xzalloc(struct vmport_domain);
    if ( !vd )
        return -ENOMEM;
    spin_lock_init(&vd->lock);
    vd->hwver = hwver;
    vd->hb_enabled = true;
    vd->limits = l;
    vd->mem_limit = vmport_mem_limit(&l);
    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
        vd->apps[i].channel = 0xff;

    vd->channels = vmport_alloc(vd, l.max_channels * sizeof(*vd->channels));
    if ( !vd->channels || bounce_alloc(vd, d->max_vcpus) )
    {
        domain_state_free(vd);
        return -ENOMEM;
    }

    d->arch.hvm.vmport = vd;
    return 0;
}

void vmport_domain_destroy(struct domain *d)
{
    struct vmport_domain *vd = vmport_dom(d);
    unsigned int i;

    if ( !vd )
        return;

    vmport_tclo_free_all(vd);
    vmport_gi_free_all(vd);
    for ( i = 0; i < vd->limits.max_channels; i++ )
    {
        struct vmport_channel *c = &vd->channels[i];

        vmport_free(vd, c->send.data, c->send.size);
        vmport_free(vd, c->recv.data, c->recv.size);
    }
    d->arch.hvm.vmport = NULL;
    domain_state_free(vd);
}

bool vmport_enabled(const struct domain *d)
{
    return vmport_dom(d) != NULL;
}

unsigned int vmport_hwver(const struct domain *d)
{
    const struct vmport_domain *vd = vmport_dom(d);

    return vd ? vd->hwver : 0;
}

int vmport_get_limits(const struct domain *d, struct vmport_limits *l)
{
    const struct vmport_domain *vd = vmport_dom(d);

    if ( !vd )
        return -ENODEV;
    *l = vd->limits;
    return 0;
}

/* Whether the guest or the toolstack gave the model anything to keep. */
static bool holds_state(const struct vmport_domain *vd)
{
    unsigned int i;

    if ( vd->gi_count )
        return true;
    for ( i = 0; i < vd->limits.max_channels; i++ )
        if ( vd->channels[i].in_use )
            return true;
    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
        if ( vd->apps[i].in_use )
            return true;
    return false;
}

/*
 * The toolstack's limits, replacing those the domain was enabled with.
 * Only before the guest first runs, the rule enabling follows: a guest
 * may have sized what it does by what it saw.  And only while the device
 * model holds nothing but what enabling allocated (the channel table and
 * the bounce buffers), so no state ever outgrows the limits it lives
 * under; the toolstack sets them right after enabling.  The channel table
 * is reallocated for the new channel count.
 */
int vmport_set_limits(struct domain *d, const struct vmport_limits *l)
{
    struct vmport_domain *vd = vmport_dom(d);
    struct vmport_channel *chan;
    size_t old_size, new_size;
    int rc = 0;

    if ( !vd )
        return -ENODEV;
    if ( has_run(d, "its vmport limits can be set") )
        return -EBUSY;
    if ( vmport_limits_check(l) )
        return -EINVAL;

    /* Allocated before taking the lock; zeroed, as vmport_enable()'s is. */
    new_size = l->max_channels * sizeof(*chan);
    chan = vmport_buf_alloc(new_size, true);
    if ( !chan )
        return -ENOMEM;

    spin_lock(&vd->lock);
    old_size = vd->limits.max_channels * sizeof(*vd->channels);
    if ( holds_state(vd) )
        rc = -EBUSY;
    else
    {
        /* An empty guestinfo array may be left from keys since unset. */
        vmport_gi_free_all(vd);
        ASSERT(vd->mem_used == old_size + bounce_bytes(vd->nr_bounce));
        vmport_free(vd, vd->channels, old_size);
        vd->channels = chan;
        chan = NULL;
        vd->mem_used += new_size;
        vd->limits = *l;
        vd->mem_limit = vmport_budget_of(vd, l);
        ASSERT(vd->mem_used <= vd->mem_limit);
    }
    spin_unlock(&vd->lock);

    if ( chan )
        vmport_buf_free(chan, new_size);
    if ( rc )
        gdprintk(XENLOG_WARNING, "vmport: d%u already holds guestinfo, "
                 "channels or TCLO commands: its limits can only be set "
                 "before them\n", d->domain_id);
    return rc;
}

int vmport_set_hb(struct domain *d, bool enabled)
{
    struct vmport_domain *vd = vmport_dom(d);

    if ( !vd )
        return -ENODEV;
    spin_lock(&vd->lock);
    vd->hb_enabled = enabled;
    spin_unlock(&vd->lock);
    return 0;
}

/*
 * Read without the lock, for reports (the DMOP, the 'q' debug key): each
 * is one word, and a report may be a moment old anyway.
 */
size_t vmport_mem_used(const struct domain *d)
{
    const struct vmport_domain *vd = vmport_dom(d);

    return vd ? vd->mem_used : 0;
}

size_t vmport_mem_budget(const struct domain *d)
{
    const struct vmport_domain *vd = vmport_dom(d);

    return vd ? vd->mem_limit : 0;
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
