/*
 * shim_mem.c: guest linear memory behind hvm_copy_{to,from}_guest_linear().
 *
 * The built-in memory is a hash of sparse 4 KiB pages with R/W/USER flags.
 * Copies go page by page, as Xen's __hvm_copy() does, so a fault part way
 * leaves the earlier pages copied and reports the first failing address.
 * A backend (shim_set_guest_mem()) replaces it entirely, and injected
 * results take precedence over both.
 */

#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/hvm/support.h>

#include "shim_priv.h"

#define PAGE_SHIFT  12

static unsigned int bucket_of(unsigned long pfn)
{
    return (pfn * 0x9e3779b1UL) % SHIM_MEM_BUCKETS;
}

static struct shim_page *page_find(struct shim_domain *s, unsigned long pfn)
{
    struct shim_page *p;

    if ( s->last && s->last->pfn == pfn )
        return s->last;
    for ( p = s->buckets[bucket_of(pfn)]; p; p = p->next )
        if ( p->pfn == pfn )
            return s->last = p;
    return NULL;
}

int shim_mem_map(struct domain *d, unsigned long linear, size_t len,
                 unsigned int flags)
{
    struct shim_domain *s = d->shim;
    unsigned long pfn, end;

    if ( !len )
        return 0;
    end = (linear + len - 1) >> PAGE_SHIFT;
    for ( pfn = linear >> PAGE_SHIFT; ; pfn++ )
    {
        struct shim_page *p = page_find(s, pfn);

        if ( !p )
        {
            p = calloc(1, sizeof(*p));
            if ( !p )
                return -ENOMEM;
            p->pfn = pfn;
            p->next = s->buckets[bucket_of(pfn)];
            s->buckets[bucket_of(pfn)] = p;
        }
        p->flags = flags;
        if ( pfn == end )
            break;
    }
    return 0;
}

void shim_mem_unmap(struct domain *d, unsigned long linear, size_t len)
{
    struct shim_domain *s = d->shim;
    unsigned long pfn, end;

    if ( !len )
        return;
    s->last = NULL;
    end = (linear + len - 1) >> PAGE_SHIFT;
    for ( pfn = linear >> PAGE_SHIFT; ; pfn++ )
    {
        struct shim_page **pp = &s->buckets[bucket_of(pfn)];

        for ( ; *pp; pp = &(*pp)->next )
            if ( (*pp)->pfn == pfn )
            {
                struct shim_page *p = *pp;

                *pp = p->next;
                free(p);
                break;
            }
        if ( pfn == end )
            break;
    }
}

void shim_mem_free_all(struct domain *d)
{
    struct shim_domain *s = d->shim;
    unsigned int i;

    for ( i = 0; i < SHIM_MEM_BUCKETS; i++ )
        while ( s->buckets[i] )
        {
            struct shim_page *p = s->buckets[i];

            s->buckets[i] = p->next;
            free(p);
        }
    s->last = NULL;
}

/*
 * Walk [addr, addr + len) page by page.  @check_flags 0 is the host's own
 * access (no permission check).  Returns the first failing address in
 * *fail, with *present saying whether that page was mapped.
 */
static bool mem_walk(struct shim_domain *s, unsigned long addr, uint8_t *buf,
                     size_t len, bool write, unsigned int check_flags,
                     unsigned long *fail, bool *present)
{
    while ( len )
    {
        unsigned long off = addr & (SHIM_PAGE_SIZE - 1);
        size_t chunk = SHIM_PAGE_SIZE - off;
        struct shim_page *p = page_find(s, addr >> PAGE_SHIFT);

        if ( chunk > len )
            chunk = len;
        if ( !p || (p->flags & check_flags) != check_flags )
        {
            *fail = addr;
            *present = p != NULL;
            return false;
        }
        if ( write )
            memcpy(p->data + off, buf, chunk);
        else
            memcpy(buf, p->data + off, chunk);
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return true;
}

int shim_mem_write(struct domain *d, unsigned long linear, const void *buf,
                   size_t len)
{
    unsigned long fail;
    bool present;

    return mem_walk(d->shim, linear, (uint8_t *)buf, len, true, 0, &fail,
                    &present) ? 0 : -EFAULT;
}

int shim_mem_read(struct domain *d, unsigned long linear, void *buf,
                  size_t len)
{
    unsigned long fail;
    bool present;

    return mem_walk(d->shim, linear, buf, len, false, 0, &fail, &present)
           ? 0 : -EFAULT;
}

void shim_mem_inject(struct domain *d, enum hvm_translation_result result,
                     unsigned int count)
{
    d->shim->inject = result;
    d->shim->inject_count = count;
}

unsigned long shim_mem_copies(const struct domain *d)
{
    return d->shim->copies;
}

unsigned long shim_mem_copied_bytes(const struct domain *d)
{
    return d->shim->copied_bytes;
}

void shim_set_guest_mem(struct domain *d,
                        const struct shim_guest_mem_ops *ops, void *priv)
{
    d->shim->ops = ops;
    d->shim->priv = priv;
}

static enum hvm_translation_result copy(unsigned long addr, void *buf,
                                        unsigned int size, uint32_t pfec,
                                        pagefault_info_t *pfinfo, bool write)
{
    struct shim_domain *s;
    unsigned int need = SHIM_MEM_READ;
    unsigned long fail;
    bool present;

    BUG_ON(!current);
    s = current->domain->shim;
    s->copies++;
    if ( s->inject_count )
    {
        s->inject_count--;
        if ( pfinfo && s->inject == HVMTRANS_bad_linear_to_gfn )
        {
            pfinfo->linear = addr;
            pfinfo->ec = pfec | (write ? PFEC_write_access : 0);
        }
        return s->inject;
    }
    if ( s->ops )
    {
        enum hvm_translation_result rc =
            write ? s->ops->write(s->priv, addr, buf, size, pfec, pfinfo)
                  : s->ops->read(s->priv, buf, addr, size, pfec, pfinfo);

        if ( rc == HVMTRANS_okay )
            s->copied_bytes += size;
        return rc;
    }
    if ( write )
        need = SHIM_MEM_WRITE;
    if ( pfec & PFEC_user_mode )
        need |= SHIM_MEM_USER;
    if ( !mem_walk(s, addr, buf, size, write, need, &fail, &present) )
    {
        if ( pfinfo )
        {
            pfinfo->linear = fail;
            pfinfo->ec = (pfec & PFEC_user_mode) |
                         (write ? PFEC_write_access : 0) |
                         (present ? PFEC_page_present : 0);
        }
        return HVMTRANS_bad_linear_to_gfn;
    }
    s->copied_bytes += size;
    return HVMTRANS_okay;
}

enum hvm_translation_result hvm_copy_to_guest_linear(
    unsigned long addr, void *buf, unsigned int size, uint32_t pfec,
    pagefault_info_t *pfinfo)
{
    return copy(addr, buf, size, pfec, pfinfo, true);
}

enum hvm_translation_result hvm_copy_from_guest_linear(
    void *buf, unsigned long addr, unsigned int size, uint32_t pfec,
    pagefault_info_t *pfinfo)
{
    return copy(addr, buf, size, pfec, pfinfo, false);
}
