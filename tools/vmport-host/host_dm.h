/*
 * host_dm.h: what the simulated host needs from the device model.
 *
 * The ptrace engine knows nothing about Xen; it hands every #GP exit and
 * every CPUID breakpoint hit to this interface.  dm_xen.c implements it on
 * the real device model (libvmport-dm.a, compiled against the shim of Xen
 * internals); tests may link a stand-in instead.
 */

#ifndef VMPORT_HOST_DM_H
#define VMPORT_HOST_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

struct host_personality;

struct host_dm_config {
    unsigned int hwver;
    bool hb;                                /* advertise the HB port */
    const struct host_personality *pers;    /* this host's clocks */
    uint32_t trigger_timeout_ms;            /* 0: the device model's */
};

/* The vCPU mode the #GP was taken in (CS default size, CPL, IOPL). */
struct host_dm_mode {
    uint8_t cs_bits;
    uint8_t cpl;
    uint8_t iopl;
};

struct host_dm;

struct host_dm *host_dm_create(const struct host_dm_config *cfg);
void host_dm_destroy(struct host_dm *dm);

/* Guest memory for HB copies is this process's address space. */
void host_dm_set_guest(struct host_dm *dm, pid_t pid);

/*
 * A #GP at an I/O instruction: @insn holds the @nr bytes fetched once at
 * RIP.  Returns the instruction length with @regs updated (RIP not moved),
 * or 0 if the access is not the backdoor's.
 */
unsigned int host_dm_gp_exit(struct host_dm *dm,
                             struct user_regs_struct *regs,
                             const uint8_t *insn, unsigned int nr,
                             const struct host_dm_mode *mode);

/* true and @res filled if the device model owns @leaf. */
bool host_dm_cpuid(struct host_dm *dm, uint32_t leaf, uint32_t subleaf,
                   uint32_t res[4]);

int host_dm_guestinfo_set(struct host_dm *dm, const char *key,
                          const void *val, uint32_t vlen);
/* 0 and *@vlen (in: the buffer's size) or a negative errno. */
int host_dm_guestinfo_get(struct host_dm *dm, const char *key, void *val,
                          uint32_t *vlen);

/*
 * Queue a TCLO power command (OS_Reboot if @reboot, else OS_Halt) as the
 * toolstack's trigger does: 0, -EBUSY while the last one is queued or
 * delivered without an outcome, or another negative errno.
 */
int host_dm_trigger(struct host_dm *dm, bool reboot);

/*
 * The power command's state, numbered as the record's TRIGGER section
 * numbers it (1 queued .. 6 timed out), read as the toolstack reads it: a
 * command that waited past the trigger timeout is timed out first, and
 * unqueued if the guest never fetched it.
 */
unsigned int host_dm_trigger_state(struct host_dm *dm);

/*
 * The domain's vmport state as a VMPORT save record body (malloc()ed), and
 * back.  Negative errno on failure, with a message on stderr.
 */
int host_dm_save(struct host_dm *dm, void **rec, size_t *len);
int host_dm_load(struct host_dm *dm, const void *rec, size_t len);

/*
 * What the device model holds: the domain's charged bytes (vmport_alloc(),
 * the guest's budget) and the process's live blocks and bytes (every
 * xmalloc and vmalloc through the shim).  With @dm NULL (after
 * host_dm_destroy()) only the process's, which must then be 0.
 */
struct host_dm_mem {
    unsigned long charged, live_blocks, live_bytes;
};
void host_dm_mem(const struct host_dm *dm, struct host_dm_mem *m);

/* The domain's virtual TSC (kHz): saved in the HVM header, not per host. */
uint32_t host_dm_tsc_khz(const struct host_dm *dm);
void host_dm_set_tsc_khz(struct host_dm *dm, uint32_t khz);

#endif /* VMPORT_HOST_DM_H */
