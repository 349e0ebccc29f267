/*
 * personality.h: what differs between the simulated Intel and AMD hosts.
 *
 * A real Intel host takes an I/O exit's instruction length from the VMCS
 * exit information; an AMD host is handed the next RIP by the VMCB.  A #GP
 * exit carries neither, so both decode the instruction, and the decoded
 * length is then reported the way that vendor reports it.  Each host also
 * has its own TSC frequency and its own (possibly skewed) wall clock; what
 * the guest sees must come from the domain, not from these.
 */

#ifndef VMPORT_HOST_PERSONALITY_H
#define VMPORT_HOST_PERSONALITY_H

#include <stdbool.h>
#include <stdint.h>

struct host_personality {
    const char *name;
    bool reports_next_rip;      /* AMD: nRIP; Intel: instruction length */
    uint32_t tsc_khz;           /* this host's TSC frequency */
    int64_t clock_skew_ns;      /* this host's wall clock minus true time */
};

/* How a completed exit tells the engine where the guest resumes. */
struct host_exit_info {
    uint64_t rip;               /* faulting instruction */
    uint8_t insn_len;           /* Intel */
    uint64_t next_rip;          /* AMD */
};

/* 0, or -1 if @name is neither "intel" nor "amd". */
int personality_init(struct host_personality *p, const char *name);

/* Fill the vendor's exit information for an emulated instruction. */
void personality_fill_exit(const struct host_personality *p,
                           struct host_exit_info *info, uint64_t rip,
                           unsigned int len);

/* Where the guest resumes, as this vendor's exit information says. */
uint64_t personality_resume_rip(const struct host_personality *p,
                                 const struct host_exit_info *info);

#endif /* VMPORT_HOST_PERSONALITY_H */
