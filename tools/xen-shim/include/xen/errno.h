/* Shim of Xen's <xen/errno.h>: Xen's values are Linux's. */
#ifndef __SHIM_XEN_ERRNO_H__
#define __SHIM_XEN_ERRNO_H__
#include <errno.h>
#endif
