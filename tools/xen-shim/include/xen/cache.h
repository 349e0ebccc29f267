/*
 * Shim of Xen's <xen/cache.h>: __ro_after_init data is written by
 * __initcall()s (constructors here) and only read afterwards.
 */
#ifndef __SHIM_XEN_CACHE_H__
#define __SHIM_XEN_CACHE_H__

#define __ro_after_init

#endif /* __SHIM_XEN_CACHE_H__ */
