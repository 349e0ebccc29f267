/*
 * shim_domain.c: domains, vCPUs, `current`, segment registers and port I/O
 * handler registration.
 *
 * The shim's own bookkeeping uses libc malloc, not xmalloc, so that the
 * allocation counters only see what the device model allocates.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/vmport.h>

#include "shim_priv.h"

struct vcpu *shim_current;
static struct domain *domains;

static void *must_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);

    if ( !p )
    {
        fprintf(stderr, "shim: out of memory\n");
        abort();
    }
    return p;
}

struct domain *shim_domain_find(domid_t domid)
{
    struct domain *d;

    for ( d = domains; d; d = d->shim->next )
        if ( d->domain_id == domid )
            return d;
    return NULL;
}

struct domain *shim_domain_create(domid_t domid, unsigned int nr_vcpus)
{
    struct domain *d;
    unsigned int i;

    if ( shim_domain_find(domid) || !nr_vcpus )
        shim_assert_failed("shim_domain_create: duplicate domid or no vCPU",
                           __FILE__, __LINE__);
    d = must_calloc(1, sizeof(*d));
    d->shim = must_calloc(1, sizeof(*d->shim));
    d->domain_id = domid;
    for ( i = 0; i < sizeof(d->handle); i++ )
        d->handle[i] = (uint8_t)(domid * 16 + i + 1);
    d->arch.tsc_khz = SHIM_DEFAULT_TSC_KHZ;
    d->tot_pages = SHIM_DEFAULT_TOT_PAGES;
    d->max_vcpus = nr_vcpus;
    d->vcpu = must_calloc(nr_vcpus, sizeof(*d->vcpu));
    for ( i = 0; i < nr_vcpus; i++ )
    {
        struct vcpu *v = must_calloc(1, sizeof(*v));

        v->vcpu_id = i;
        v->domain = d;
        d->vcpu[i] = v;
        shim_vcpu_set_mode(v, 32, 0, 0);
    }
    d->shim->next = domains;
    domains = d;
    return d;
}

void shim_domain_destroy(struct domain *d)
{
    struct domain **pp;
    unsigned int i;

    vmport_domain_destroy(d);
    for ( pp = &domains; *pp; pp = &(*pp)->shim->next )
        if ( *pp == d )
        {
            *pp = d->shim->next;
            break;
        }
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        if ( shim_current == d->vcpu[i] )
            shim_current = NULL;
        free(d->vcpu[i]);
    }
    shim_mem_free_all(d);
    free(d->vcpu);
    free(d->shim);
    free(d);
}

struct vcpu *shim_vcpu(struct domain *d, unsigned int id)
{
    return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

void shim_set_current(struct vcpu *v)
{
    shim_current = v;
}

/*
 * Xen injects into current; so does the shim, for the test to collect (a
 * test that does not look keeps the latest: each guest exit would have
 * delivered its fault before the next).
 */
void hvm_inject_page_fault(int errcode, unsigned long cr2)
{
    struct vcpu *v = current;

    v->shim_pf_pending = true;
    v->shim_pf_ec = errcode;
    v->shim_pf_cr2 = cr2;
}

bool shim_vcpu_take_pf(struct vcpu *v, uint32_t *ec, unsigned long *cr2)
{
    if ( !v->shim_pf_pending )
        return false;
    v->shim_pf_pending = false;
    if ( ec )
        *ec = v->shim_pf_ec;
    if ( cr2 )
        *cr2 = v->shim_pf_cr2;
    return true;
}

void shim_vcpu_set_mode(struct vcpu *v, unsigned int cs_bits,
                        unsigned int cpl, unsigned int iopl)
{
    unsigned int s;

    for ( s = 0; s < x86_seg_none; s++ )
    {
        struct segment_register *r = &v->shim_seg[s];

        memset(r, 0, sizeof(*r));
        r->limit = 0xffffffffU;
        r->p = 1;
        r->s = s <= x86_seg_gs;
        r->type = s == x86_seg_cs ? 0xb : 0x3;
        r->g = 1;
        r->db = s <= x86_seg_gs && cs_bits != 16;
        r->dpl = s <= x86_seg_gs ? cpl : 0;
        r->sel = s <= x86_seg_gs ? (uint16_t)(((s + 1) << 3) | cpl) : 0;
    }
    v->shim_seg[x86_seg_cs].l = cs_bits == 64;
    if ( cs_bits == 64 )
        v->shim_seg[x86_seg_cs].db = 0;
    v->arch.user_regs.rflags = (v->arch.user_regs.rflags & ~X86_EFLAGS_IOPL) |
                               ((iopl & 3) << 12) | 2;
    v->arch.user_regs.cs = v->shim_seg[x86_seg_cs].sel;
    v->arch.user_regs.ss = v->shim_seg[x86_seg_ss].sel;
}

void shim_set_segment(struct vcpu *v, enum x86_segment seg,
                      const struct segment_register *reg)
{
    BUG_ON(seg >= x86_seg_none);
    v->shim_seg[seg] = *reg;
}

void hvm_get_segment_register(struct vcpu *v, enum x86_segment seg,
                              struct segment_register *reg)
{
    BUG_ON(seg >= x86_seg_none);
    *reg = v->shim_seg[seg];
}

void hvm_set_segment_register(struct vcpu *v, enum x86_segment seg,
                              struct segment_register *reg)
{
    shim_set_segment(v, seg, reg);
}

unsigned int hvm_get_cpl(const struct vcpu *v)
{
    return v->shim_seg[x86_seg_ss].dpl;
}

static bool is_canonical(uint64_t a)
{
    return ((int64_t)(a << 16) >> 16) == (int64_t)a;
}

bool hvm_vcpu_virtual_to_linear(
    struct vcpu *v, enum x86_segment seg, const struct segment_register *reg,
    unsigned long offset, unsigned int bytes,
    enum hvm_access_type access_type,
    const struct segment_register *active_cs, unsigned long *linear_addr)
{
    uint64_t last;

    (void)v;
    (void)access_type;
    if ( active_cs->l )
    {
        /* 64-bit: only FS and GS have bases; the result must be canonical. */
        uint64_t base = (seg == x86_seg_fs || seg == x86_seg_gs) ? reg->base
                                                                 : 0;

        *linear_addr = base + offset;
        last = *linear_addr + (bytes ? bytes - 1 : 0);
        return is_canonical(*linear_addr) && is_canonical(last);
    }
    /* Expand-up segments only: offset .. offset+bytes-1 within the limit. */
    last = (uint64_t)offset + (bytes ? bytes - 1 : 0);
    if ( !reg->p || last > reg->limit || last > 0xffffffffULL )
        return false;
    *linear_addr = (uint32_t)(reg->base + offset);
    return true;
}

bool hvm_virtual_to_linear_addr(
    enum x86_segment seg, const struct segment_register *reg,
    unsigned long offset, unsigned int bytes,
    enum hvm_access_type access_type,
    const struct segment_register *active_cs, unsigned long *linear)
{
    return hvm_vcpu_virtual_to_linear(current, seg, reg, offset, bytes,
                                      access_type, active_cs, linear);
}

void register_portio_handler(struct domain *d, unsigned int port,
                             unsigned int size, portio_action_t action)
{
    struct shim_domain *s = d->shim;

    BUG_ON(s->nr_portio >= SHIM_MAX_PORTIO);
    s->portio[s->nr_portio].port = port;
    s->portio[s->nr_portio].size = size;
    s->portio[s->nr_portio].action = action;
    s->nr_portio++;
}

int shim_portio(unsigned int port, int dir, unsigned int bytes,
                uint32_t *val)
{
    struct shim_domain *s;
    unsigned int i;

    BUG_ON(!current);
    s = current->domain->shim;
    for ( i = 0; i < s->nr_portio; i++ )
        if ( port >= s->portio[i].port &&
             port < s->portio[i].port + s->portio[i].size )
            return s->portio[i].action(dir, port, bytes, val);
    return -ENOENT;
}
