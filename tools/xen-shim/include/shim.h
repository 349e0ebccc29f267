/*
 * shim.h: the harness API around the shim of Xen internals.
 *
 * Tests, benchmarks, the fuzzer and vmport-host drive the device model
 * through this: domains and vCPUs, the virtual clock, the seeded random
 * source, guest memory (built-in sparse memory or a pluggable backend),
 * and the captured printk/trace/allocation records.
 *
 * Nothing here is thread-safe except the spinlocks themselves: one thread
 * drives the shim at a time.
 */

#ifndef __SHIM_H__
#define __SHIM_H__

#include <xen/types.h>
#include <xen/sched.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/io.h>
#include <asm/hvm/support.h>

/* ---- Domains and vCPUs ------------------------------------------------ */

#define SHIM_DEFAULT_TSC_KHZ    2400000U    /* 2.4 GHz */
#define SHIM_DEFAULT_TOT_PAGES  (256U << 8) /* 256 MiB of 4 KiB pages */

/*
 * A new domain: @nr_vcpus vCPUs with zeroed registers and flat ring-0
 * segments, handle bytes derived from @domid, the default TSC kHz and
 * memory.  Aborts on a duplicate @domid.  vmport is not enabled.
 */
struct domain *shim_domain_create(domid_t domid, unsigned int nr_vcpus);
/* vmport_domain_destroy(), then everything the shim holds for @d. */
void shim_domain_destroy(struct domain *d);
struct domain *shim_domain_find(domid_t domid);
struct vcpu *shim_vcpu(struct domain *d, unsigned int id);
void shim_set_current(struct vcpu *v);

/*
 * Put @v in a mode: CS.L/CS.D for @cs_bits (16, 32, 64), SS.DPL = CS.DPL =
 * @cpl, EFLAGS.IOPL = @iopl; bases 0 and limits 4 GiB - 1 (flat).
 */
void shim_vcpu_set_mode(struct vcpu *v, unsigned int cs_bits,
                        unsigned int cpl, unsigned int iopl);
void shim_set_segment(struct vcpu *v, enum x86_segment seg,
                      const struct segment_register *reg);
/*
 * The page fault hvm_inject_page_fault() injected into @v since the last
 * call: true with its error code and CR2, and forgotten; false if none.
 */
bool shim_vcpu_take_pf(struct vcpu *v, uint32_t *ec, unsigned long *cr2);

/* ---- Virtual clock ---------------------------------------------------- */

/* NOW() in ns since boot; starts at 1 s. */
void shim_clock_set_now(s_time_t now);
void shim_clock_advance(s_time_t delta);
/* The wall clock at boot (Xen's wc_sec/wc_nsec). */
void shim_clock_set_wallclock(uint64_t sec, uint32_t nsec);
/* Per-domain RTC skew (d->time_offset.seconds). */
void shim_clock_set_offset(struct domain *d, int64_t seconds);

/* ---- Random ----------------------------------------------------------- */

/* get_random() is deterministic: the same seed gives the same sequence. */
void shim_seed_random(uint64_t seed);

/* ---- Guest memory ----------------------------------------------------- */

#define SHIM_PAGE_SIZE  4096UL

#define SHIM_MEM_READ   1U
#define SHIM_MEM_WRITE  2U
#define SHIM_MEM_USER   4U              /* accessible with PFEC_user_mode */
#define SHIM_MEM_RW     (SHIM_MEM_READ | SHIM_MEM_WRITE)
#define SHIM_MEM_ALL    (SHIM_MEM_RW | SHIM_MEM_USER)

/*
 * The built-in memory: sparse 4 KiB pages of guest linear address space,
 * zero-filled when mapped.  An access to an unmapped page, or one the
 * page's flags forbid, fails with HVMTRANS_bad_linear_to_gfn and fills
 * pfinfo (linear = first failing byte, ec = the PFEC bits).  Pages the
 * copy reached before the fault keep what was written, as in Xen.
 */
int shim_mem_map(struct domain *d, unsigned long linear, size_t len,
                 unsigned int flags);
void shim_mem_unmap(struct domain *d, unsigned long linear, size_t len);
/* Host-side access (no permission checks); -EFAULT if not mapped. */
int shim_mem_write(struct domain *d, unsigned long linear, const void *buf,
                   size_t len);
int shim_mem_read(struct domain *d, unsigned long linear, void *buf,
                  size_t len);
/*
 * Fault injection: the next @count copies (either direction) on @d fail
 * with @result without touching memory (pfinfo->linear = the address).
 */
void shim_mem_inject(struct domain *d, enum hvm_translation_result result,
                     unsigned int count);
/* Copies done on @d (both directions), and the bytes they moved. */
unsigned long shim_mem_copies(const struct domain *d);
unsigned long shim_mem_copied_bytes(const struct domain *d);

/*
 * A pluggable backend, e.g. vmport-host's process_vm_readv/writev of a
 * traced process.  Return HVMTRANS_okay or a failure, setting *pfinfo for
 * HVMTRANS_bad_linear_to_gfn.  @ops NULL restores the built-in memory.
 */
struct shim_guest_mem_ops {
    enum hvm_translation_result (*read)(void *priv, void *buf,
                                        unsigned long addr,
                                        unsigned int size, uint32_t pfec,
                                        pagefault_info_t *pfinfo);
    enum hvm_translation_result (*write)(void *priv, unsigned long addr,
                                         const void *buf, unsigned int size,
                                         uint32_t pfec,
                                         pagefault_info_t *pfinfo);
};
void shim_set_guest_mem(struct domain *d,
                        const struct shim_guest_mem_ops *ops, void *priv);

/* ---- Port I/O handlers ------------------------------------------------ */

/*
 * Run the handler registered for @port on current's domain, as Xen's
 * portio dispatch would.  -ENOENT if none.
 */
int shim_portio(unsigned int port, int dir, unsigned int bytes,
                uint32_t *val);

/* ---- Captured printk/gdprintk ----------------------------------------- */

/* Lines are kept (up to 4096, then the oldest are dropped). */
unsigned int shim_log_count(void);
const char *shim_log_line(unsigned int i);
/* Index of the first line containing @needle, or -1. */
int shim_log_find(const char *needle);
void shim_log_clear(void);
/* Echo captured lines to stderr as well (default off, $SHIM_LOG=1 on). */
void shim_log_echo(bool on);

/* ---- Captured trace records ------------------------------------------- */

#define SHIM_TRACE_MAX_DATA 7

struct shim_trace_rec {
    uint32_t event;
    unsigned int nr;                    /* data words */
    uint32_t data[SHIM_TRACE_MAX_DATA];
    domid_t domid;                      /* current's, or 0x7fff if none */
    unsigned int vcpu_id;
};

/* Records are kept (up to 65536, then the oldest are dropped). */
unsigned int shim_trace_count(void);
const struct shim_trace_rec *shim_trace_get(unsigned int i);
/* The first record at index >= @from with @event, or NULL. */
const struct shim_trace_rec *shim_trace_find(uint32_t event,
                                             unsigned int from);
unsigned int shim_trace_count_event(uint32_t event);
void shim_trace_clear(void);
/* Turn recording off (benchmarks) and on again. */
void shim_trace_enable(bool on);

/* ---- Allocation accounting -------------------------------------------- */

/* Live xmalloc and vmalloc blocks and bytes (not yet xfree()d/vfree()d). */
unsigned long shim_alloc_live(void);
unsigned long shim_alloc_live_bytes(void);
/* Total xmalloc and vmalloc calls so far. */
unsigned long shim_alloc_calls(void);
/* vmalloc() calls so far. */
unsigned long shim_alloc_vmalloc_calls(void);
/* The largest single xmalloc() since the last call (and reset it). */
unsigned long shim_alloc_xmalloc_largest(void);
/*
 * Fault injection: the next @n allocations succeed and the one after that
 * fails (once); -1 (the default) never fails.
 */
void shim_alloc_fail_after(long n);

/* ---- Assertions --------------------------------------------------------- */

/*
 * ASSERT()/BUG_ON() failures abort by default.  The fuzzer and tests that
 * prove an assertion fires can install a hook (called before abort()).
 */
void shim_set_assert_hook(void (*hook)(const char *what, const char *file,
                                       int line));

#endif /* __SHIM_H__ */
