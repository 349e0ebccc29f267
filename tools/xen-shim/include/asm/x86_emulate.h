/* Shim of Xen's <asm/x86_emulate.h>: segments and return codes. */
#ifndef __SHIM_ASM_X86_EMULATE_H__
#define __SHIM_ASM_X86_EMULATE_H__

#include <xen/types.h>

enum x86_segment {
    x86_seg_es,
    x86_seg_cs,
    x86_seg_ss,
    x86_seg_ds,
    x86_seg_fs,
    x86_seg_gs,
    x86_seg_tr,
    x86_seg_ldtr,
    x86_seg_gdtr,
    x86_seg_idtr,
    x86_seg_none
};

struct segment_register {
    uint16_t sel;
    union {
        uint16_t attr;
        struct {
            uint16_t type:4;
            uint16_t s:   1;
            uint16_t dpl: 2;
            uint16_t p:   1;
            uint16_t avl: 1;
            uint16_t l:   1;
            uint16_t db:  1;
            uint16_t g:   1;
            uint16_t pad: 4;
        };
    };
    uint32_t limit;
    uint64_t base;
};

#define X86EMUL_OKAY           0
#define X86EMUL_UNHANDLEABLE   1
#define X86EMUL_EXCEPTION      2
#define X86EMUL_RETRY          3

#endif /* __SHIM_ASM_X86_EMULATE_H__ */
