/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * time.c: the clock behind GETTIME, GETTIMEFULL and GETTIMEFULL_WITH_LAG.
 *
 * It is the domain's wall clock (get_localtime_us(): the host's wall clock
 * plus the domain's RTC offset), floored at the last value handed out.
 * The floor travels in the save record, so after migrating to a host whose
 * clock is behind, the guest sees time stand still until the new host
 * catches up rather than go backwards (timeSync would otherwise step the
 * guest clock back).
 */

#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/time.h>

#include "private.h"

/* Called without vd->lock held. */
uint64_t vmport_time_us(struct domain *d, struct vmport_domain *vd)
{
    uint64_t now = get_localtime_us(d);

    spin_lock(&vd->lock);
    if ( now < vd->last_time_us )
        now = vd->last_time_us;
    else
        vd->last_time_us = now;
    spin_unlock(&vd->lock);

    return now;
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
