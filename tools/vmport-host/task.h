/*
 * task.h: the traced threads and the address spaces they share.
 *
 * CPUID breakpoints belong to an address space, not to a thread: threads
 * and vfork children share one, a fork child gets a copy, an exec starts a
 * new one.  Each space keeps the breakpoints it planted (to answer hits and
 * to remove them before any detach) and the executable mappings it has
 * already scanned.
 */

#ifndef VMPORT_HOST_TASK_H
#define VMPORT_HOST_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct cpuid_bp {
    uint64_t addr;              /* first byte of the 0F A2 */
    uint8_t orig;               /* the byte the INT3 replaced (0x0F) */
};

struct exec_map {
    uint64_t start, end, offset, inode;
    bool writable;
};

/*
 * Instruction bytes of recent exits, by RIP.  Only code in a read-only
 * executable mapping is cached: it can change only through mmap/mprotect
 * with PROT_EXEC, which the seccomp filter reports and which empties the
 * cache (cpuid_bp_scan()).
 */
#define INSN_CACHE_SLOTS 64
#define INSN_MAX 15

struct insn_cache_slot {
    uint64_t rip;
    uint8_t nr;                 /* 0: empty */
    uint8_t bytes[INSN_MAX];
};

struct space {
    unsigned int refs;
    int mem_fd;                 /* /proc/PID/mem of this mm */
    struct cpuid_bp *bps;       /* sorted by addr */
    size_t nr_bps, bps_cap;
    struct exec_map *maps;      /* the r-x mappings already scanned */
    size_t nr_maps;
    struct insn_cache_slot insn_cache[INSN_CACHE_SLOTS];
};

struct task {
    pid_t pid;
    struct space *space;        /* NULL until its parent's event is seen */
    bool fresh;                 /* auto-attached, first stop not yet seen */
    bool held;                  /* stopped, waiting for its space */
    bool exec_map_pending;      /* resumed to the exit of an exec mmap */
    bool vfork_child;           /* a vfork child that has not exec'd yet */
    bool frozen;                /* handoff: stopped and accounted for */
    bool group_stop;            /* ... in a group-stop (thawed: LISTEN) */
};

struct task_table {
    struct task *tasks;
    size_t nr, cap;
};

struct task *task_find(struct task_table *t, pid_t pid);
struct task *task_add(struct task_table *t, pid_t pid);
void task_remove(struct task_table *t, pid_t pid);

/* A new space for @pid's current mm (after exec, or at attach). */
struct space *space_open(pid_t pid);
/* A fork child's space: a copy of @parent's breakpoints and scans. */
struct space *space_copy(const struct space *parent, pid_t child);
struct space *space_get(struct space *s);
void space_put(struct space *s);

#endif /* VMPORT_HOST_TASK_H */
