/* Shim of Xen's <xen/compiler.h>: the few attributes the device model uses. */
#ifndef __SHIM_XEN_COMPILER_H__
#define __SHIM_XEN_COMPILER_H__

#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)
#ifndef __must_check
#define __must_check    __attribute__((__warn_unused_result__))
#endif
#define __maybe_unused  __attribute__((__unused__))
#define __packed        __attribute__((__packed__))
#define __read_mostly
#define __init
#define __initdata
/* Xen's CET-IBT marking of indirect-call targets: nothing in user space. */
#ifndef cf_check
# define cf_check
#endif
#define noinline        __attribute__((__noinline__))
#define ACCESS_ONCE(x)  (*(volatile __typeof__(x) *)&(x))
#define barrier()       __asm__ __volatile__("" ::: "memory")

#endif /* __SHIM_XEN_COMPILER_H__ */
