/*
 * standin_dm.c: a trivial stand-in for the device model, for testing the
 * ptrace engine alone (never linked into build/bin/vmport-host).
 *
 * It answers only `in eax, dx` on 0x5658 with GETVERSION/GETHWVERSION and
 * the 0x40000000 CPUID signature: enough to prove that exits reach the
 * device model interface with the right registers and that the guest
 * resumes after the instruction.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define MAGIC 0x564d5868U

struct host_dm {
    unsigned int hwver;
    uint32_t tsc_khz;
};

struct host_dm *host_dm_create(const struct host_dm_config *cfg)
{
    struct host_dm *dm = calloc(1, sizeof(*dm));

    if ( dm )
    {
        dm->hwver = cfg->hwver;
        dm->tsc_khz = cfg->pers->tsc_khz;
    }
    return dm;
}

void host_dm_destroy(struct host_dm *dm)
{
    free(dm);
}

void host_dm_set_guest(struct host_dm *dm, pid_t pid)
{
    (void)dm;
    (void)pid;
}

unsigned int host_dm_gp_exit(struct host_dm *dm,
                             struct user_regs_struct *regs,
                             const uint8_t *insn, unsigned int nr,
                             const struct host_dm_mode *mode)
{
    if ( nr < 1 || insn[0] != 0xed || mode->cs_bits != 64 ||
         (uint32_t)regs->rax != MAGIC || (uint16_t)regs->rdx != 0x5658 )
        return 0;
    switch ( (uint16_t)regs->rcx )
    {
    case 10:
        regs->rax = 6;
        regs->rbx = MAGIC;
        regs->rcx = 2;
        break;
    case 17:
        regs->rax = dm->hwver;
        regs->rbx = MAGIC;
        break;
    default:
        regs->rax = 0xffffffffU;
        break;
    }
    return 1;
}

bool host_dm_cpuid(struct host_dm *dm, uint32_t leaf, uint32_t subleaf,
                   uint32_t res[4])
{
    (void)dm;
    (void)subleaf;
    if ( leaf != 0x40000000U )
        return false;
    res[0] = 0x40000010U;
    memcpy(&res[1], "VMwa", 4);
    memcpy(&res[2], "reVM", 4);
    memcpy(&res[3], "ware", 4);
    return true;
}

int host_dm_guestinfo_set(struct host_dm *dm, const char *key,
                          const void *val, uint32_t vlen)
{
    (void)dm; (void)key; (void)val; (void)vlen;
    return -EOPNOTSUPP;
}

int host_dm_save(struct host_dm *dm, void **rec, size_t *len)
{
    (void)dm; (void)rec; (void)len;
    return -EOPNOTSUPP;
}

int host_dm_load(struct host_dm *dm, const void *rec, size_t len)
{
    (void)dm; (void)rec; (void)len;
    return -EOPNOTSUPP;
}

uint32_t host_dm_tsc_khz(const struct host_dm *dm)
{
    return dm->tsc_khz;
}

int host_dm_guestinfo_get(struct host_dm *dm, const char *key, void *val,
                          uint32_t *vlen)
{
    (void)dm;
    (void)key;
    (void)val;
    (void)vlen;
    return -ENOENT;
}

int host_dm_trigger(struct host_dm *dm, bool reboot)
{
    (void)dm;
    (void)reboot;
    return -ENODEV;
}

unsigned int host_dm_trigger_state(struct host_dm *dm)
{
    (void)dm;
    return 0;
}

void host_dm_mem(const struct host_dm *dm, struct host_dm_mem *m)
{
    (void)dm;
    m->charged = m->live_blocks = m->live_bytes = 0;
}

void host_dm_set_tsc_khz(struct host_dm *dm, uint32_t khz)
{
    dm->tsc_khz = khz;
}

/* No stream library in the stand-in build. */
bool state_out_wanted(const struct host *h)
{
    return h->opt.state_out || h->opt.state_out_fd >= 0;
}

const char *state_out_name(const struct host *h)
{
    return h->opt.state_out ? h->opt.state_out : "a descriptor";
}

int state_out_write(struct host *h)
{
    fprintf(stderr, "standin: no state streams (%s)\n", state_out_name(h));
    return -1;
}

unsigned long state_tclo_pending(struct host *h)
{
    (void)h;
    return 0;
}

int state_out_check(struct host *h)
{
    (void)h;
    return 0;
}

int state_file_read(struct host *h, const char *path)
{
    (void)h;
    fprintf(stderr, "standin: no state streams (%s)\n", path);
    return -1;
}
