/*
 * save.c (shim): Xen 4.17's whole-context save and load (hvm_save,
 * hvm_load and the entry marshalling of xen/arch/x86/hvm/save.c) for shim
 * domains, so tests can do full HVM-context round trips through the real
 * VMPORT handlers.  Semantics follow docs xen-save-and-streams.md 2.2-2.3:
 * HEADER first, records in typecode order, END last; load stops at END,
 * fails -ENODATA without one and -EINVAL on an unknown typecode.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>

#include <asm/hvm/save.h>
#include <asm/hvm/vmport-save.h>

static struct {
    hvm_save_handler save;
    hvm_load_handler load;
    hvm_size_handler size_fn;
    const char *name;
    size_t size;
    int kind;
} handlers[HVM_SAVE_CODE_MAX + 1];

void hvm_register_savevm_size(uint16_t typecode, hvm_size_handler size)
{
    ASSERT(typecode <= HVM_SAVE_CODE_MAX && handlers[typecode].save);
    handlers[typecode].size_fn = size;
}

void hvm_register_savevm(uint16_t typecode, const char *name,
                         hvm_save_handler save_state,
                         hvm_load_handler load_state, size_t size, int kind)
{
    ASSERT(typecode <= HVM_SAVE_CODE_MAX);
    ASSERT(!handlers[typecode].save && !handlers[typecode].load);
    handlers[typecode].save = save_state;
    handlers[typecode].load = load_state;
    handlers[typecode].name = name;
    handlers[typecode].size = size;
    handlers[typecode].kind = kind;
}

int _hvm_init_entry(struct hvm_domain_context *h, uint16_t tc, uint16_t inst,
                    uint32_t len)
{
    struct hvm_save_descriptor d = {
        .typecode = tc, .instance = inst, .length = len,
    };

    if ( h->size - h->cur < len + sizeof(d) )
    {
        printk(XENLOG_G_WARNING "HVM save: no room for %u + %zu bytes for "
               "typecode %u\n", len, sizeof(d), tc);
        return -ENOSPC;
    }
    memcpy(&h->data[h->cur], &d, sizeof(d));
    h->cur += sizeof(d);
    return 0;
}

void _hvm_write_entry(struct hvm_domain_context *h, void *src,
                      uint32_t src_len)
{
    memcpy(&h->data[h->cur], src, src_len);
    h->cur += src_len;
}

int _hvm_check_entry(struct hvm_domain_context *h, uint16_t type,
                     uint32_t len, bool strict_length)
{
    struct hvm_save_descriptor d;

    if ( sizeof(d) > h->size - h->cur )
    {
        printk(XENLOG_G_WARNING "HVM restore: not enough data left to read "
               "%zu bytes for type %u header\n", sizeof(d), type);
        return -1;
    }
    memcpy(&d, &h->data[h->cur], sizeof(d));
    if ( d.typecode != type || (strict_length && len != d.length) ||
         (!strict_length && len < d.length) ||
         d.length > h->size - h->cur - sizeof(d) )
    {
        printk(XENLOG_G_WARNING "HVM restore mismatch: expected %s type %u "
               "length %u, saw type %u length %u.  %zu bytes remaining\n",
               strict_length ? "strict" : "zeroextended", type, len,
               d.typecode, d.length, h->size - h->cur - sizeof(d));
        return -1;
    }
    h->cur += sizeof(d);
    return 0;
}

void _hvm_read_entry(struct hvm_domain_context *h, void *dest,
                     uint32_t dest_len)
{
    struct hvm_save_descriptor d;

    memcpy(&d, &h->data[h->cur - sizeof(d)], sizeof(d));
    BUG_ON(d.length > dest_len);
    memcpy(dest, &h->data[h->cur], d.length);
    if ( d.length < dest_len )
        memset((char *)dest + d.length, 0, dest_len - d.length);
    h->cur += d.length;
}

/* The 4.17 bound, with the size handler of a variable-size record. */
size_t hvm_save_size(struct domain *d)
{
    size_t sz = 2 * sizeof(struct hvm_save_descriptor) +
                HVM_SAVE_LENGTH(HEADER);
    unsigned int i;

    for ( i = 0; i <= HVM_SAVE_CODE_MAX; i++ )
        if ( handlers[i].size_fn )
            sz += handlers[i].size_fn(d);
        else
            sz += handlers[i].size *
                  (handlers[i].kind == HVMSR_PER_VCPU ? d->max_vcpus : 1);
    return sz;
}

int hvm_save(struct domain *d, hvm_domain_context_t *h)
{
    struct hvm_save_header hdr = {
        .magic = HVM_FILE_MAGIC,
        .version = HVM_FILE_VERSION,
        .changeset = ~0ULL,
        .gtsc_khz = d->arch.tsc_khz,
    };
    struct hvm_save_end end = {};
    struct vcpu *v;
    unsigned int i;
    int rc;

    if ( hvm_save_entry(HEADER, 0, h, &hdr) )
        return -ENOSPC;
    for ( i = 0; i <= HVM_SAVE_CODE_MAX; i++ )
    {
        if ( !handlers[i].save )
            continue;
        if ( handlers[i].kind == HVMSR_PER_VCPU )
        {
            for_each_vcpu ( d, v )
                if ( (rc = handlers[i].save(v, h)) )
                    return rc;
        }
        else if ( (rc = handlers[i].save(d->vcpu[0], h)) )
            return rc;
    }
    return hvm_save_entry(END, 0, h, &end) ? -ENOSPC : 0;
}

int hvm_load(struct domain *d, hvm_domain_context_t *h)
{
    struct hvm_save_header hdr;
    struct hvm_save_descriptor desc;
    int rc;

    if ( hvm_load_entry(HEADER, h, &hdr) )
        return -ENODATA;
    if ( hdr.magic != HVM_FILE_MAGIC || hdr.version != HVM_FILE_VERSION )
        return -EINVAL;
    if ( hdr.gtsc_khz )
        d->arch.tsc_khz = hdr.gtsc_khz;

    for ( ;; )
    {
        if ( h->size - h->cur < sizeof(desc) )
        {
            printk(XENLOG_G_ERR "HVM d%u restore: save did not end with a "
                   "null entry\n", d->domain_id);
            return -ENODATA;
        }
        memcpy(&desc, &h->data[h->cur], sizeof(desc));
        if ( desc.typecode == 0 )
            break;
        if ( desc.typecode > HVM_SAVE_CODE_MAX ||
             !handlers[desc.typecode].load )
        {
            printk(XENLOG_G_ERR "HVM d%u restore: unknown entry typecode "
                   "%u\n", d->domain_id, desc.typecode);
            return -EINVAL;
        }
        rc = handlers[desc.typecode].load(d, h);
        if ( rc )
            return rc;
    }
    return 0;
}
