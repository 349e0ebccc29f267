/*
 * Shim of Xen's <xen/vmap.h>: vmalloc(), vzalloc(), vfree().  In Xen these
 * map single pages together, so a large buffer never needs a high-order
 * contiguous allocation.  The shim counts them beside the xmalloc family
 * (shim_alloc_*() in shim.h), and xfree()/vfree() of the other family's
 * pointer is an assertion failure, as it would corrupt Xen's heap.
 */
#ifndef __SHIM_XEN_VMAP_H__
#define __SHIM_XEN_VMAP_H__

#include <xen/types.h>

void *vmalloc(size_t size);
void *vzalloc(size_t size);
void vfree(void *va);

#endif /* __SHIM_XEN_VMAP_H__ */
