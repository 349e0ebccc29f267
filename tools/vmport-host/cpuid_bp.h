/*
 * cpuid_bp.h: software breakpoints on the guest's CPUID instructions.
 *
 * User space cannot make CPUID trap on this machine (no CPUID faulting), so
 * every real `cpuid` in the guest's executable mappings, found by
 * disassembling them with capstone, is replaced by an INT3.
 */

#ifndef VMPORT_HOST_CPUID_BP_H
#define VMPORT_HOST_CPUID_BP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "task.h"

/*
 * Scan every executable mapping of @pid (whose mm is @s) not scanned yet
 * and plant breakpoints.  Returns the number planted, or -1.
 */
int cpuid_bp_scan(struct space *s, pid_t pid);

/*
 * Scan one mapping of @s (read and patched through s->mem_fd), whatever
 * the maps say.  Returns the number planted, or -1.
 */
int cpuid_bp_scan_map(struct space *s, const struct exec_map *m);

/* The breakpoint whose INT3 is at @addr, or NULL. */
const struct cpuid_bp *cpuid_bp_find(const struct space *s, uint64_t addr);

/*
 * Are the INSN_MAX bytes at @addr in a read-only executable mapping the
 * last scan saw (so that only a reported mmap/mprotect can change them)?
 */
bool cpuid_bp_code_is_stable(const struct space *s, uint64_t addr);

/* Put the original bytes back and forget every breakpoint and scan. */
int cpuid_bp_remove_all(struct space *s);

#endif /* VMPORT_HOST_CPUID_BP_H */
