/* Shim of Xen's <asm/page.h>: the page size. */
#ifndef __SHIM_ASM_PAGE_H__
#define __SHIM_ASM_PAGE_H__
#define PAGE_SHIFT  12
#define PAGE_SIZE   (1UL << PAGE_SHIFT)
#define PAGE_MASK   (~(PAGE_SIZE - 1))
#endif
