/*
 * Shim of Xen's <xen/xmalloc.h>.  Every allocation is counted (live blocks
 * and bytes, shim_alloc_*() in shim.h) so tests can assert that destroying
 * a domain frees everything; failures can be injected.
 */
#ifndef __SHIM_XEN_XMALLOC_H__
#define __SHIM_XEN_XMALLOC_H__

#include <xen/types.h>

#define SMP_CACHE_BYTES 64

void *_xmalloc(unsigned long size, unsigned long align);
void *_xzalloc(unsigned long size, unsigned long align);
void *_xrealloc(void *ptr, unsigned long size, unsigned long align);
void xfree(void *p);

#define xmalloc(_type) ((_type *)_xmalloc(sizeof(_type), __alignof__(_type)))
#define xzalloc(_type) ((_type *)_xzalloc(sizeof(_type), __alignof__(_type)))
#define xmalloc_array(_type, _num) \
    ((_type *)_xmalloc_array(sizeof(_type), __alignof__(_type), _num))
#define xzalloc_array(_type, _num) \
    ((_type *)_xzalloc_array(sizeof(_type), __alignof__(_type), _num))
#define xmalloc_bytes(_bytes) _xmalloc(_bytes, SMP_CACHE_BYTES)
#define xzalloc_bytes(_bytes) _xzalloc(_bytes, SMP_CACHE_BYTES)
#define XFREE(p) do { xfree(p); (p) = NULL; } while ( 0 )

static inline void *_xmalloc_array(unsigned long size, unsigned long align,
                                   unsigned long num)
{
    if ( size && num > UINT32_MAX / size )
        return NULL;
    return _xmalloc(size * num, align);
}

static inline void *_xzalloc_array(unsigned long size, unsigned long align,
                                   unsigned long num)
{
    if ( size && num > UINT32_MAX / size )
        return NULL;
    return _xzalloc(size * num, align);
}

#endif /* __SHIM_XEN_XMALLOC_H__ */
