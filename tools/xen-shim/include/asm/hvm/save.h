/*
 * Shim of Xen 4.17's <asm/hvm/save.h>: the marshalling API the save
 * handlers use, with 4.17's semantics (docs: xen-save-and-streams.md 2.2):
 *
 *  - _hvm_init_entry() fails with -ENOSPC unless descriptor + body fit,
 *    then writes the descriptor;
 *  - _hvm_check_entry() fails unless a whole descriptor is left, the
 *    typecode matches, the length is exact (strict) or not longer than
 *    the struct (zero-extend), and the body is there; then steps past it;
 *  - _hvm_read_entry() copies the body and zero-fills the rest of dst;
 *  - HVM_REGISTER_SAVE_RESTORE() registers at start-up (a constructor
 *    stands in for __initcall) into the table tools/xen-shim/save.c drives.
 */
#ifndef __SHIM_ASM_HVM_SAVE_H__
#define __SHIM_ASM_HVM_SAVE_H__

#include <xen/string.h>
#include <xen/types.h>
#include <public/hvm/save.h>

struct domain;
struct vcpu;

typedef struct hvm_domain_context {
    uint32_t cur;
    uint32_t size;
    uint8_t *data;
} hvm_domain_context_t;

int _hvm_init_entry(struct hvm_domain_context *h, uint16_t tc, uint16_t inst,
                    uint32_t len);
void _hvm_write_entry(struct hvm_domain_context *h, void *src,
                      uint32_t src_len);
int _hvm_check_entry(struct hvm_domain_context *h, uint16_t type,
                     uint32_t len, bool strict_length);
void _hvm_read_entry(struct hvm_domain_context *h, void *dest,
                     uint32_t dest_len);

#define hvm_save_entry(_x, _inst, _h, _src) ({                          \
    int r_ = _hvm_init_entry((_h), HVM_SAVE_CODE(_x), (_inst),          \
                             HVM_SAVE_LENGTH(_x));                      \
    if ( r_ == 0 )                                                      \
        _hvm_write_entry((_h), (_src), HVM_SAVE_LENGTH(_x));            \
    r_; })

/* No shimmed type has a compat layout, so only the native length. */
#define _hvm_load_entry(_x, _h, _dst, _strict) ({                       \
    int r_ = _hvm_check_entry((_h), HVM_SAVE_CODE(_x),                  \
                              HVM_SAVE_LENGTH(_x), (_strict));          \
    if ( r_ == 0 )                                                      \
        _hvm_read_entry((_h), (_dst), HVM_SAVE_LENGTH(_x));             \
    r_; })

#define hvm_load_entry(_x, _h, _dst) _hvm_load_entry(_x, _h, _dst, 1)
#define hvm_load_entry_zeroextend(_x, _h, _dst) \
    _hvm_load_entry(_x, _h, _dst, 0)

static inline unsigned int hvm_load_instance(const struct hvm_domain_context *h)
{
    struct hvm_save_descriptor d;

    memcpy(&d, &h->data[h->cur], sizeof(d));
    return d.instance;
}

typedef int (*hvm_save_handler)(struct vcpu *v, hvm_domain_context_t *h);
typedef int (*hvm_load_handler)(struct domain *d, hvm_domain_context_t *h);

void hvm_register_savevm(uint16_t typecode, const char *name,
                         hvm_save_handler save_state,
                         hvm_load_handler load_state, size_t size, int kind);

#define HVMSR_PER_DOM  0
#define HVMSR_PER_VCPU 1

#ifndef __init
# define __init
#endif
#ifndef cf_check
# define cf_check
#endif

#define HVM_REGISTER_SAVE_RESTORE(_x, _save, _load, _num, _k)           \
static void __attribute__((constructor))                                \
__hvm_register_##_x##_save_and_restore(void)                            \
{                                                                       \
    hvm_register_savevm(HVM_SAVE_CODE(_x), #_x, &_save, &_load,         \
                        (_num) * (HVM_SAVE_LENGTH(_x) +                 \
                                  sizeof(struct hvm_save_descriptor)),  \
                        _k);                                            \
}

/*
 * A record whose length depends on the domain's state registers a size
 * handler, which hvm_save_size() and hvm_save_one() ask (as the patch
 * series adds to Xen's save.c).
 */
typedef size_t (*hvm_size_handler)(struct domain *d);
void hvm_register_savevm_size(uint16_t typecode, hvm_size_handler size);

#define HVM_REGISTER_SAVE_RESTORE_SIZED(_x, _save, _load, _size, _k)    \
static void __attribute__((constructor))                                \
__hvm_register_##_x##_save_and_restore(void)                            \
{                                                                       \
    hvm_register_savevm(HVM_SAVE_CODE(_x), #_x, &_save, &_load,         \
                        sizeof(struct hvm_save_descriptor), _k);        \
    hvm_register_savevm_size(HVM_SAVE_CODE(_x), &_size);                \
}

size_t hvm_save_size(struct domain *d);
int hvm_save(struct domain *d, hvm_domain_context_t *h);
int hvm_load(struct domain *d, hvm_domain_context_t *h);

#endif /* __SHIM_ASM_HVM_SAVE_H__ */
