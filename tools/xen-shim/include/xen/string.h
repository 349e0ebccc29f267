/* Shim of Xen's <xen/string.h>: the same functions libc provides. */
#ifndef __SHIM_XEN_STRING_H__
#define __SHIM_XEN_STRING_H__
#include <string.h>
#endif
