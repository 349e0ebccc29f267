/* Shim of Xen's <xen/types.h>. */
#ifndef __SHIM_XEN_TYPES_H__
#define __SHIM_XEN_TYPES_H__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/compiler.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef bool bool_t;
typedef uint64_t paddr_t;
typedef uint16_t domid_t;
typedef unsigned long xen_ulong_t;
typedef uint8_t xen_domain_handle_t[16];
typedef int64_t s_time_t;

#endif /* __SHIM_XEN_TYPES_H__ */
