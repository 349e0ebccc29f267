/*
 * shim_priv.h: what the shim keeps per domain, shared by its own files.
 */
#ifndef __SHIM_PRIV_H__
#define __SHIM_PRIV_H__

#include <shim.h>

#define SHIM_MEM_BUCKETS    1024
#define SHIM_MAX_PORTIO     8

struct shim_page {
    struct shim_page *next;
    unsigned long pfn;                  /* linear address >> 12 */
    unsigned int flags;                 /* SHIM_MEM_* */
    uint8_t data[SHIM_PAGE_SIZE];
};

struct shim_portio {
    unsigned int port, size;
    portio_action_t action;
};

struct shim_domain {
    struct domain *next;

    struct shim_page *buckets[SHIM_MEM_BUCKETS];
    struct shim_page *last;             /* lookup cache */
    const struct shim_guest_mem_ops *ops;
    void *priv;
    enum hvm_translation_result inject;
    unsigned int inject_count;
    unsigned long copies, copied_bytes;

    struct shim_portio portio[SHIM_MAX_PORTIO];
    unsigned int nr_portio;
};

void shim_mem_free_all(struct domain *d);

#endif /* __SHIM_PRIV_H__ */
