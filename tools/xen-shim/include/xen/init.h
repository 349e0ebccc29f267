/*
 * Shim of Xen's <xen/init.h>: __init code is ordinary code, and an
 * __initcall() runs as a constructor, before main(), as Xen runs it at
 * boot before any domain exists.
 */
#ifndef __SHIM_XEN_INIT_H__
#define __SHIM_XEN_INIT_H__

#include <xen/compiler.h>

#define __initcall(fn)                                                  \
    static void __attribute__((constructor)) shim_initcall_##fn(void)  \
    {                                                                   \
        (void)fn();                                                     \
    }

#endif /* __SHIM_XEN_INIT_H__ */
