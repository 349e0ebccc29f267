/*
 * alloc.c: the shim's xmalloc family and spinlocks.
 *
 * Every block carries a small header with its size so that live blocks and
 * bytes can be counted: tests assert that destroying a domain returns the
 * count to where it was.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/xmalloc.h>
#include <xen/vmap.h>

#include <shim.h>

#define HDR_SIZE        64UL            /* keeps SMP_CACHE_BYTES alignment */
#define HDR_MAGIC       0x5348494d414c4c43ULL
#define HDR_MAGIC_VMAP  0x5348494d564d4150ULL

struct hdr {
    uint64_t magic;
    unsigned long size;
};

static unsigned long live_blocks, live_bytes, calls;
static unsigned long vmalloc_calls, xmalloc_largest;
static long fail_after = -1;

static bool should_fail(void)
{
    calls++;
    if ( fail_after < 0 )
        return false;
    if ( fail_after-- == 0 )
        return true;
    return false;
}

/* A counted block, its header saying which family it belongs to. */
static void *block_alloc(unsigned long size, uint64_t magic)
{
    struct hdr *h;
    void *raw;

    if ( posix_memalign(&raw, HDR_SIZE, HDR_SIZE + size) )
        return NULL;
    h = raw;
    h->magic = magic;
    h->size = size;
    live_blocks++;
    live_bytes += size;
    return (char *)raw + HDR_SIZE;
}

void *_xmalloc(unsigned long size, unsigned long align)
{
    void *p;

    if ( align > HDR_SIZE || should_fail() )
        return NULL;
    p = block_alloc(size, HDR_MAGIC);
    if ( p && size > xmalloc_largest )
        xmalloc_largest = size;
    return p;
}

void *_xzalloc(unsigned long size, unsigned long align)
{
    void *p = _xmalloc(size, align);

    if ( p )
        memset(p, 0, size);
    return p;
}

static struct hdr *hdr_of(void *p, uint64_t magic, const char *what)
{
    struct hdr *h = (struct hdr *)((char *)p - HDR_SIZE);

    if ( h->magic != magic )
        shim_assert_failed(what, __FILE__, __LINE__);
    return h;
}

static void release(struct hdr *h)
{
    h->magic = 0;
    live_blocks--;
    live_bytes -= h->size;
    free(h);
}

void xfree(void *p)
{
    if ( p )
        release(hdr_of(p, HDR_MAGIC,
                       "xfree/xrealloc of a pointer xmalloc never gave"));
}

/* vmalloc(): counted with the rest, told apart by its header's magic. */
void *vmalloc(size_t size)
{
    void *p;

    if ( !size || should_fail() )
        return NULL;
    p = block_alloc(size, HDR_MAGIC_VMAP);
    if ( p )
        vmalloc_calls++;
    return p;
}

void *vzalloc(size_t size)
{
    void *p = vmalloc(size);

    if ( p )
        memset(p, 0, size);
    return p;
}

void vfree(void *p)
{
    if ( p )
        release(hdr_of(p, HDR_MAGIC_VMAP,
                       "vfree of a pointer vmalloc never gave"));
}

void *_xrealloc(void *ptr, unsigned long size, unsigned long align)
{
    void *p;
    unsigned long old;

    if ( !ptr )
        return _xmalloc(size, align);
    old = hdr_of(ptr, HDR_MAGIC,
                 "xfree/xrealloc of a pointer xmalloc never gave")->size;
    p = _xmalloc(size, align);
    if ( !p )
        return NULL;
    memcpy(p, ptr, old < size ? old : size);
    xfree(ptr);
    return p;
}

unsigned long shim_alloc_live(void)
{
    return live_blocks;
}

unsigned long shim_alloc_live_bytes(void)
{
    return live_bytes;
}

unsigned long shim_alloc_calls(void)
{
    return calls;
}

unsigned long shim_alloc_vmalloc_calls(void)
{
    return vmalloc_calls;
}

unsigned long shim_alloc_xmalloc_largest(void)
{
    unsigned long l = xmalloc_largest;

    xmalloc_largest = 0;
    return l;
}

void shim_alloc_fail_after(long n)
{
    fail_after = n;
}

/* Spinlocks: error-checking mutexes, so misuse aborts instead of hanging. */
void spin_lock_init(spinlock_t *l)
{
    pthread_mutexattr_t a;

    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&l->m, &a);
    pthread_mutexattr_destroy(&a);
    l->held = 0;
}

void spin_lock(spinlock_t *l)
{
    if ( pthread_mutex_lock(&l->m) )
        shim_assert_failed("spin_lock: already held by this thread",
                           __FILE__, __LINE__);
    l->held = 1;
}

bool spin_trylock(spinlock_t *l)
{
    if ( pthread_mutex_trylock(&l->m) )
        return false;
    l->held = 1;
    return true;
}

void spin_unlock(spinlock_t *l)
{
    l->held = 0;
    if ( pthread_mutex_unlock(&l->m) )
        shim_assert_failed("spin_unlock: lock not held by this thread",
                           __FILE__, __LINE__);
}
