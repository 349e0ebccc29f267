/*
 * Shim of Xen's <asm/hvm/support.h>: the guest-linear copy helpers.  They
 * act on current's domain, through the shim's sparse guest memory or a
 * backend installed with shim_set_guest_mem() (see shim.h).
 */
#ifndef __SHIM_ASM_HVM_SUPPORT_H__
#define __SHIM_ASM_HVM_SUPPORT_H__

#include <xen/types.h>
#include <asm/processor.h>

enum hvm_translation_result {
    HVMTRANS_okay,
    HVMTRANS_bad_linear_to_gfn,
    HVMTRANS_bad_gfn_to_mfn,
    HVMTRANS_unhandleable,
    HVMTRANS_gfn_paged_out,
    HVMTRANS_gfn_shared,
    HVMTRANS_need_retry,
};

typedef struct pagefault_info
{
    unsigned long linear;
    int ec;
} pagefault_info_t;

enum hvm_translation_result hvm_copy_to_guest_linear(
    unsigned long addr, void *buf, unsigned int size, uint32_t pfec,
    pagefault_info_t *pfinfo);
enum hvm_translation_result hvm_copy_from_guest_linear(
    void *buf, unsigned long addr, unsigned int size, uint32_t pfec,
    pagefault_info_t *pfinfo);

#endif /* __SHIM_ASM_HVM_SUPPORT_H__ */
