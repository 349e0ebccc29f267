/* Shim of Xen's <asm/processor.h>: page-fault error code bits. */
#ifndef __SHIM_ASM_PROCESSOR_H__
#define __SHIM_ASM_PROCESSOR_H__

#define PFEC_page_present   (1U << 0)
#define PFEC_write_access   (1U << 1)
#define PFEC_user_mode      (1U << 2)
#define PFEC_reserved_bit   (1U << 3)
#define PFEC_insn_fetch     (1U << 4)

#define TRAP_gp_fault       13
#define TRAP_page_fault     14

#endif /* __SHIM_ASM_PROCESSOR_H__ */
