/* Shim of Xen's <asm/hvm/io.h>: port I/O handlers. */
#ifndef __SHIM_ASM_HVM_IO_H__
#define __SHIM_ASM_HVM_IO_H__

#include <xen/types.h>

#define IOREQ_READ      1
#define IOREQ_WRITE     0

struct domain;

typedef int (*portio_action_t)(
    int dir, unsigned int port, unsigned int bytes, uint32_t *val);

/* Records the handler; shim_portio() in shim.h runs it as Xen would. */
void register_portio_handler(struct domain *d, unsigned int port,
                             unsigned int size, portio_action_t action);

#endif /* __SHIM_ASM_HVM_IO_H__ */
