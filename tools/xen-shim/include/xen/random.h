/* Shim of Xen's <xen/random.h>: deterministic, seeded by shim_seed_random(). */
#ifndef __SHIM_XEN_RANDOM_H__
#define __SHIM_XEN_RANDOM_H__
unsigned int get_random(void);
#endif
