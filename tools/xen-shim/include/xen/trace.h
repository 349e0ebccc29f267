/*
 * Shim of Xen's <xen/trace.h>.  The shim's trace buffer is always on and
 * records every event (shim_trace_*() in shim.h) for tests to assert on.
 */
#ifndef __SHIM_XEN_TRACE_H__
#define __SHIM_XEN_TRACE_H__

#include <xen/types.h>
#include <public/trace.h>

#define tb_init_done true

void __trace_var(uint32_t event, bool cycles, unsigned int extra,
                 const void *extra_data);

static inline void trace_var(uint32_t event, bool cycles, unsigned int extra,
                             const void *extra_data)
{
    if ( unlikely(tb_init_done) )
        __trace_var(event, cycles, extra, extra_data);
}

#define TRACE_0D(_e)                            \
    do {                                        \
        trace_var(_e, 1, 0, NULL);              \
    } while ( 0 )

#define TRACE_varD(_e, ...)                             \
    do {                                                \
        if ( unlikely(tb_init_done) )                   \
        {                                               \
            uint32_t _d[] = { __VA_ARGS__ };            \
            __trace_var(_e, true, sizeof(_d), _d);      \
        }                                               \
    } while ( 0 )

#define TRACE_1D(_e, d1) TRACE_varD(_e, d1)
#define TRACE_2D(_e, d1, d2) TRACE_varD(_e, d1, d2)
#define TRACE_3D(_e, d1, d2, d3) TRACE_varD(_e, d1, d2, d3)
#define TRACE_4D(_e, d1, d2, d3, d4) TRACE_varD(_e, d1, d2, d3, d4)
#define TRACE_5D(_e, d1, d2, d3, d4, d5) TRACE_varD(_e, d1, d2, d3, d4, d5)
#define TRACE_6D(_e, d1, d2, d3, d4, d5, d6) \
    TRACE_varD(_e, d1, d2, d3, d4, d5, d6)

#endif /* __SHIM_XEN_TRACE_H__ */
