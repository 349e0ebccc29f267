/*
 * dm_xen.c: host_dm.h on the real device model.
 *
 * The device model (libvmport-dm.a) is the hypervisor code itself,
 * compiled against the shim of Xen internals.  This file is the only one
 * in vmport-host that sees Xen types: it plays the parts of Xen around the
 * device model (the vCPU's registers and mode, `current`, the clock, and
 * guest memory, which here is the traced process's memory).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include <shim.h>
#include <asm/processor.h>
#include <asm/hvm/vmport.h>
#include <asm/hvm/vmport-save.h>
#include <xen/lib/x86/cpu-policy.h>

#include "host_dm.h"
#include "personality.h"

#define HOST_DOMID          1
#define VMPORT_LEAF_FIRST   0x40000000U
#define VMPORT_LEAF_LAST    0x400000ffU

struct host_dm {
    struct domain *d;
    struct vcpu *v;
    pid_t pid;                  /* whose memory HB copies reach */
    const struct host_personality *pers;
};

static s_time_t host_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (s_time_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * This host's clocks: NOW() is its monotonic clock, and its wall clock is
 * the real one plus this host's skew.
 */
static void host_clock_init(const struct host_personality *p)
{
    struct timespec real;
    s_time_t now = host_monotonic_ns();
    int64_t wall;

    clock_gettime(CLOCK_REALTIME, &real);
    wall = (int64_t)real.tv_sec * 1000000000LL + real.tv_nsec +
           p->clock_skew_ns - now;
    shim_clock_set_now(now);
    shim_clock_set_wallclock(wall / 1000000000LL, wall % 1000000000LL);
}

static enum hvm_translation_result fault(unsigned long addr, uint32_t pfec,
                                         pagefault_info_t *pfinfo)
{
    if ( pfinfo )
    {
        pfinfo->linear = addr;
        pfinfo->ec = pfec;
    }
    return HVMTRANS_bad_linear_to_gfn;
}

static enum hvm_translation_result mem_read(void *priv, void *buf,
                                            unsigned long addr,
                                            unsigned int size, uint32_t pfec,
                                            pagefault_info_t *pfinfo)
{
    struct host_dm *dm = priv;
    struct iovec local = { buf, size };
    struct iovec remote = { (void *)addr, size };

    if ( process_vm_readv(dm->pid, &local, 1, &remote, 1, 0) != size )
        return fault(addr, pfec, pfinfo);
    return HVMTRANS_okay;
}

static enum hvm_translation_result mem_write(void *priv, unsigned long addr,
                                             const void *buf,
                                             unsigned int size,
                                             uint32_t pfec,
                                             pagefault_info_t *pfinfo)
{
    struct host_dm *dm = priv;
    struct iovec local = { (void *)buf, size };
    struct iovec remote = { (void *)addr, size };

    if ( process_vm_writev(dm->pid, &local, 1, &remote, 1, 0) != size )
        return fault(addr, pfec | PFEC_write_access, pfinfo);
    return HVMTRANS_okay;
}

static const struct shim_guest_mem_ops process_mem = {
    .read = mem_read,
    .write = mem_write,
};

struct host_dm *host_dm_create(const struct host_dm_config *cfg)
{
    struct host_dm *dm = calloc(1, sizeof(*dm));
    struct vmport_limits limits;
    int rc;

    if ( !dm )
        return NULL;
    dm->pers = cfg->pers;
    host_clock_init(cfg->pers);
    dm->d = shim_domain_create(HOST_DOMID, 1);
    dm->v = shim_vcpu(dm->d, 0);
    /* The domain's virtual TSC starts as its first host's. */
    dm->d->arch.tsc_khz = cfg->pers->tsc_khz;
    shim_set_current(dm->v);
    shim_set_guest_mem(dm->d, &process_mem, dm);
    vmport_limits_default(&limits);
    if ( cfg->trigger_timeout_ms )
        limits.trigger_timeout_ms = cfg->trigger_timeout_ms;
    rc = vmport_enable(dm->d, cfg->hwver, &limits);
    if ( !rc )
        rc = vmport_set_hb(dm->d, cfg->hb);
    if ( rc )
    {
        fprintf(stderr, "vmport-host: enabling vmport (hwver %u): %d\n",
                cfg->hwver, rc);
        host_dm_destroy(dm);
        return NULL;
    }
    return dm;
}

void host_dm_destroy(struct host_dm *dm)
{
    if ( !dm )
        return;
    if ( dm->d )
        shim_domain_destroy(dm->d);
    free(dm);
}

void host_dm_set_guest(struct host_dm *dm, pid_t pid)
{
    dm->pid = pid;
}

static void regs_from_user(struct cpu_user_regs *r,
                           const struct user_regs_struct *u)
{
    r->r15 = u->r15; r->r14 = u->r14; r->r13 = u->r13; r->r12 = u->r12;
    r->rbp = u->rbp; r->rbx = u->rbx; r->r11 = u->r11; r->r10 = u->r10;
    r->r9 = u->r9; r->r8 = u->r8; r->rax = u->rax; r->rcx = u->rcx;
    r->rdx = u->rdx; r->rsi = u->rsi; r->rdi = u->rdi;
    r->rip = u->rip; r->cs = u->cs; r->rflags = u->eflags;
    r->rsp = u->rsp; r->ss = u->ss;
    r->ds = u->ds; r->es = u->es; r->fs = u->fs; r->gs = u->gs;
}

/* Only what an emulated I/O instruction may change goes back. */
static void regs_to_user(struct user_regs_struct *u,
                         const struct cpu_user_regs *r)
{
    u->rax = r->rax; u->rbx = r->rbx; u->rcx = r->rcx; u->rdx = r->rdx;
    u->rsi = r->rsi; u->rdi = r->rdi; u->rbp = r->rbp;
    u->eflags = r->rflags;
}

unsigned int host_dm_gp_exit(struct host_dm *dm,
                             struct user_regs_struct *regs,
                             const uint8_t *insn, unsigned int nr,
                             const struct host_dm_mode *mode)
{
    struct vmport_insn_mode m = {
        .cs_bits = mode->cs_bits, .cpl = mode->cpl, .iopl = mode->iopl,
    };
    struct cpu_user_regs *r = &dm->v->arch.user_regs;
    int len;

    shim_clock_set_now(host_monotonic_ns());
    shim_vcpu_set_mode(dm->v, mode->cs_bits, mode->cpl, mode->iopl);
    shim_set_current(dm->v);
    regs_from_user(r, regs);
    len = vmport_intercept(dm->v, r, insn, nr, &m);
    if ( len == VMPORT_RESTART )
    {
        /*
         * A page fault on the guest's buffer.  process_vm_{read,write}v()
         * fault pages in themselves, so the address is not mapped at all:
         * what the guest gets on real hardware is SIGSEGV, which is what
         * an access that is not ours leaves it with.
         */
        shim_vcpu_take_pf(dm->v, NULL, NULL);
        return 0;
    }
    if ( len )
        regs_to_user(regs, r);
    return len;
}

bool host_dm_cpuid(struct host_dm *dm, uint32_t leaf, uint32_t subleaf,
                   uint32_t res[4])
{
    struct cpuid_leaf l = { 0 };

    if ( leaf < VMPORT_LEAF_FIRST || leaf > VMPORT_LEAF_LAST ||
         !vmport_cpuid_enabled(dm->d) )
        return false;
    shim_clock_set_now(host_monotonic_ns());
    shim_set_current(dm->v);
    cpuid_vmport_leaves(dm->v, leaf, subleaf, &l);
    res[0] = l.a;
    res[1] = l.b;
    res[2] = l.c;
    res[3] = l.d;
    return true;
}

int host_dm_guestinfo_set(struct host_dm *dm, const char *key,
                          const void *val, uint32_t vlen)
{
    return vmport_guestinfo_set(dm->d, key, strlen(key), val, vlen);
}

void host_dm_mem(const struct host_dm *dm, struct host_dm_mem *m)
{
    m->charged = dm ? vmport_mem_used(dm->d) : 0;
    m->live_blocks = shim_alloc_live();
    m->live_bytes = shim_alloc_live_bytes();
}

int host_dm_guestinfo_get(struct host_dm *dm, const char *key, void *val,
                          uint32_t *vlen)
{
    return vmport_guestinfo_get(dm->d, key, strlen(key), val, vlen);
}

int host_dm_trigger(struct host_dm *dm, bool reboot)
{
    shim_clock_set_now(host_monotonic_ns());
    return vmport_trigger(dm->d, reboot ? VMPORT_TRIGGER_REBOOT
                                        : VMPORT_TRIGGER_HALT);
}

unsigned int host_dm_trigger_state(struct host_dm *dm)
{
    struct vmport_trigger_status st;

    shim_clock_set_now(host_monotonic_ns());
    if ( vmport_trigger_status(dm->d, &st) )
        return VMPORT_TRIGGER_IDLE;
    return st.state;
}

uint32_t host_dm_tsc_khz(const struct host_dm *dm)
{
    return dm->d->arch.tsc_khz;
}

void host_dm_set_tsc_khz(struct host_dm *dm, uint32_t khz)
{
    dm->d->arch.tsc_khz = khz;
}

/* The domain's VMPORT record, current version, everything carried. */
int host_dm_save(struct host_dm *dm, void **rec, size_t *len)
{
    uint32_t need = 0, got = 0;
    void *buf;
    int rc;

    *rec = NULL;
    *len = 0;
    rc = vmport_record_save(dm->d, NULL, 0, 0, VMPORT_SAVE_REFUSE, &need);
    if ( rc )
        goto err;
    buf = malloc(need ? need : 1);
    if ( !buf )
        return -ENOMEM;
    rc = vmport_record_save(dm->d, buf, need, 0, VMPORT_SAVE_REFUSE, &got);
    if ( rc )
    {
        free(buf);
        goto err;
    }
    *rec = buf;
    *len = got;
    return 0;

 err:
    fprintf(stderr, "vmport-host: saving the VMPORT record failed (%d)\n",
            rc);
    return rc;
}

int host_dm_load(struct host_dm *dm, const void *rec, size_t len)
{
    int rc;

    if ( len > UINT32_MAX )
        return -EINVAL;
    rc = vmport_record_load(dm->d, rec, len);
    if ( rc )
        fprintf(stderr, "vmport-host: loading the VMPORT record failed "
                "(%d)\n", rc);
    return rc;
}
