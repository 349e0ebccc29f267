/*
 * Shim of Xen's <xen/lib.h>.  printk() and gdprintk() lines are captured
 * by the shim (shim_log_*() in shim.h) so tests can assert on them.
 */
#ifndef __SHIM_XEN_LIB_H__
#define __SHIM_XEN_LIB_H__

#include <stdarg.h>
#include <stdio.h>

#include <xen/types.h>

#define XENLOG_ERR      "<0>"
#define XENLOG_WARNING  "<1>"
#define XENLOG_INFO     "<2>"
#define XENLOG_DEBUG    "<3>"
#define XENLOG_GUEST    "<G>"
#define XENLOG_G_WARNING XENLOG_GUEST XENLOG_WARNING
#define XENLOG_G_INFO   XENLOG_GUEST XENLOG_INFO
#define XENLOG_G_ERR    XENLOG_GUEST XENLOG_ERR
#define XENLOG_G_DEBUG  XENLOG_GUEST XENLOG_DEBUG

void printk(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
void shim_gdprintk(const char *lvl, const char *file, int line,
                   const char *fmt, ...)
    __attribute__((__format__(__printf__, 4, 5)));

#define dprintk(lvl, fmt, args...) \
    printk(lvl "%s:%d: " fmt, __FILE__, __LINE__, ## args)
/* Xen prints the vCPU with %pv; the shim's capture adds d<id>v<id>. */
#define gdprintk(lvl, fmt, args...) \
    shim_gdprintk(lvl, __FILE__, __LINE__, fmt, ## args)
/* Xen's gprintk() is printed in release builds too; the same capture. */
#define gprintk(lvl, fmt, args...) \
    shim_gdprintk(XENLOG_GUEST lvl, __FILE__, __LINE__, fmt, ## args)

void shim_assert_failed(const char *what, const char *file, int line)
    __attribute__((__noreturn__));

#define ASSERT(p) \
    do { if ( unlikely(!(p)) ) shim_assert_failed(#p, __FILE__, __LINE__); \
    } while ( 0 )
#define ASSERT_UNREACHABLE() shim_assert_failed("unreachable", __FILE__, \
                                                __LINE__)
#define BUG() shim_assert_failed("BUG", __FILE__, __LINE__)
#define BUG_ON(p) \
    do { if ( unlikely(p) ) shim_assert_failed(#p, __FILE__, __LINE__); \
    } while ( 0 )
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

#define min(x, y) ({                    \
    const __typeof__(x) _x = (x);       \
    const __typeof__(y) _y = (y);       \
    (void)(&_x == &_y);                 \
    _x < _y ? _x : _y; })
#define max(x, y) ({                    \
    const __typeof__(x) _x = (x);       \
    const __typeof__(y) _y = (y);       \
    (void)(&_x == &_y);                 \
    _x > _y ? _x : _y; })
#define min_t(type, x, y) ({            \
    type _x = (x); type _y = (y); _x < _y ? _x : _y; })
#define max_t(type, x, y) ({            \
    type _x = (x); type _y = (y); _x > _y ? _x : _y; })

#define ROUNDUP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define IS_ALIGNED(val, align) (((val) & ((align) - 1)) == 0)

#define sprintf __xen_has_no_sprintf__
#define vsprintf __xen_has_no_vsprintf__

#endif /* __SHIM_XEN_LIB_H__ */
