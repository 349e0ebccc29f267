/* Shim of Xen's <asm/current.h>: `current` is set by shim_set_current(). */
#ifndef __SHIM_ASM_CURRENT_H__
#define __SHIM_ASM_CURRENT_H__

struct vcpu;
extern struct vcpu *shim_current;

#define current (shim_current)
#define guest_cpu_user_regs() (&current->arch.user_regs)

#endif /* __SHIM_ASM_CURRENT_H__ */
