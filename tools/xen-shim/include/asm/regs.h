/*
 * Shim of Xen's <asm/regs.h>: struct cpu_user_regs with the hypervisor's
 * register unions (public/arch-x86/xen-x86_64.h under __XEN__), so that
 * `regs->eax = x` writes only the low 32 bits of rax, as in Xen.
 */
#ifndef __SHIM_ASM_REGS_H__
#define __SHIM_ASM_REGS_H__

#include <xen/types.h>

#define SHIM_REG_ABCD(n) union {                        \
    uint64_t r ## n ## x;                               \
    uint32_t e ## n ## x;                               \
    uint16_t n ## x;                                    \
    struct { uint8_t n ## l, n ## h; };                 \
}
#define SHIM_REG_LO8(n) union {                         \
    uint64_t r ## n;                                    \
    uint32_t e ## n;                                    \
    uint16_t n;                                         \
    uint8_t n ## l;                                     \
}
#define SHIM_REG_LO16(n) union {                        \
    uint64_t r ## n;                                    \
    uint32_t e ## n;                                    \
    uint16_t n;                                         \
}
#define SHIM_REG_HI(num) union {                        \
    uint64_t r ## num;                                  \
    uint32_t r ## num ## d;                             \
    uint16_t r ## num ## w;                             \
    uint8_t r ## num ## b;                              \
}

struct cpu_user_regs {
    SHIM_REG_HI(15);
    SHIM_REG_HI(14);
    SHIM_REG_HI(13);
    SHIM_REG_HI(12);
    SHIM_REG_LO8(bp);
    SHIM_REG_ABCD(b);
    SHIM_REG_HI(11);
    SHIM_REG_HI(10);
    SHIM_REG_HI(9);
    SHIM_REG_HI(8);
    SHIM_REG_ABCD(a);
    SHIM_REG_ABCD(c);
    SHIM_REG_ABCD(d);
    SHIM_REG_LO8(si);
    SHIM_REG_LO8(di);
    uint32_t error_code;
    uint32_t entry_vector;
    SHIM_REG_LO16(ip);
    uint16_t cs, _pad0[1];
    uint8_t saved_upcall_mask;
    uint8_t _pad1[3];
    SHIM_REG_LO16(flags);
    SHIM_REG_LO8(sp);
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};

#undef SHIM_REG_ABCD
#undef SHIM_REG_LO8
#undef SHIM_REG_LO16
#undef SHIM_REG_HI

#define X86_EFLAGS_DF   0x00000400
#define X86_EFLAGS_IOPL 0x00003000

#endif /* __SHIM_ASM_REGS_H__ */
