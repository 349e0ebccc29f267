/*
 * Shim of Xen's <xen/time.h>.  NOW() and the wall clock are the shim's
 * virtual clock (shim_clock_*() in shim.h), so tests control time.
 */
#ifndef __SHIM_XEN_TIME_H__
#define __SHIM_XEN_TIME_H__

#include <xen/types.h>

struct domain;

s_time_t get_s_time(void);
uint64_t get_localtime_us(struct domain *d);
uint64_t get_localtime(struct domain *d);

#define SYSTEM_TIME_HZ  1000000000ULL
#define NOW()           ((s_time_t)get_s_time())
#define SECONDS(_s)     ((s_time_t)((_s)  * 1000000000ULL))
#define MILLISECS(_ms)  ((s_time_t)((_ms) * 1000000ULL))
#define MICROSECS(_us)  ((s_time_t)((_us) * 1000ULL))
#define STIME_MAX ((s_time_t)((uint64_t)~0ull>>1))

#endif /* __SHIM_XEN_TIME_H__ */
