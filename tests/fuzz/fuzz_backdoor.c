/*
 * fuzz_backdoor.c: libFuzzer target driving the backdoor of two domains
 * with random register sequences, LB and HB, across their channels.
 *
 * Each input is a program of operations (a byte picks the operation, the
 * following bytes its arguments): MESSAGE calls with any sub-command,
 * channel, cookie and EBX; whole RPCI requests with fuzzed text; HB
 * transfers with any count, address, prefix, mode and DF; clock jumps;
 * checkpoint flags; dom0 guestinfo and trigger operations.  After every
 * operation the target checks:
 *  - the per-domain memory bound: vmport_mem_used() <= the domain's limit;
 *  - the other domain is untouched (a fingerprint of its whole state);
 *  - registers outside the clobber contract, and bits 63:32 of all of
 *    them, kept their values (HB: only EBX may change);
 *  - the state's own invariants (sorted guestinfo, byte counts, offsets);
 * and at the end that destroying both domains frees every allocation.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shim.h>
#include <asm/hvm/vmport.h>

#include "vmware/private.h"

#define FCHECK(cond, ...)                                       \
    do {                                                        \
        if ( !(cond) )                                          \
        {                                                       \
            fprintf(stderr, "fuzz_backdoor: " __VA_ARGS__);     \
            fprintf(stderr, " (%s)\n", #cond);                  \
            abort();                                            \
        }                                                       \
    } while ( 0 )

#define NR_DOMS         2
#define NR_SLOTS        12
#define MAX_OPS         200
#define HIGH            0x5a5a5a5a00000000ULL

#define USER_BUF        0x10000000UL
#define USER_BUF_LEN    (96UL << 10)
#define SUPER_BUF       0x20000000UL
#define RO_BUF          0x30000000UL

struct slot {
    bool valid;
    unsigned int id;
    uint64_t cookie;
};

struct fuzz {
    const uint8_t *p;
    size_t left;
    struct domain *d[NR_DOMS];
    struct slot slots[NR_DOMS][NR_SLOTS];
};

static uint8_t get8(struct fuzz *f)
{
    if ( !f->left )
        return 0;
    f->left--;
    return *f->p++;
}

static uint32_t get32(struct fuzz *f)
{
    uint32_t v = get8(f);

    v |= (uint32_t)get8(f) << 8;
    v |= (uint32_t)get8(f) << 16;
    return v | (uint32_t)get8(f) << 24;
}

/* ---- Invariants ---------------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ULL;
}

/* Everything a guest or dom0 operation on another domain could disturb. */
static uint64_t fingerprint(const struct domain *d)
{
    const struct vmport_domain *vd = vmport_dom(d);
    uint64_t h = 0xcbf29ce484222325ULL;
    unsigned int i;

    h = mix(h, vd->mem_used);
    h = mix(h, vd->hb_enabled);
    h = mix(h, vd->gi_count);
    h = mix(h, vd->gi_bytes);
    for ( i = 0; i < vd->gi_count; i++ )
    {
        h = mix(h, vd->gi[i].klen);
        h = mix(h, vd->gi[i].vlen);
        h = mix(h, vd->gi[i].key[0]);
    }
    for ( i = 0; i < vd->limits.max_channels; i++ )
    {
        const struct vmport_channel *c = &vd->channels[i];

        h = mix(h, c->in_use | c->checkpointed << 1 | c->send_state << 2 |
                   c->recv_state << 4 | c->app << 8);
        h = mix(h, c->cookie);
        h = mix(h, c->last_active);
        h = mix(h, ((uint64_t)c->send.size << 32) | c->send.pos);
        h = mix(h, ((uint64_t)c->recv.size << 32) | c->recv.pos);
    }
    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
        h = mix(h, vd->apps[i].count | vd->apps[i].channel << 8);
    h = mix(h, vd->trigger.state | vd->trigger.op << 8);
    return h;
}

static void check_state(const struct domain *d)
{
    const struct vmport_domain *vd = vmport_dom(d);
    uint32_t bytes = 0, i;

    FCHECK(vd->mem_used <= vd->mem_limit, "d%u: %zu bytes used, limit %zu",
           d->domain_id, vd->mem_used, vd->mem_limit);
    FCHECK(vmport_mem_used(d) <= vmport_mem_limit(&vd->limits),
           "d%u: memory bound", d->domain_id);
    FCHECK(vd->gi_count <= vd->limits.gi_max_keys, "d%u: key count",
           d->domain_id);
    for ( i = 0; i < vd->gi_count; i++ )
    {
        bytes += vd->gi[i].klen + vd->gi[i].vlen;
        FCHECK(vd->gi[i].klen <= vd->limits.gi_key_max, "key length");
        FCHECK(vd->gi[i].vlen <= vd->limits.gi_value_max, "value length");
        FCHECK(!i || strcmp(vd->gi[i - 1].key, vd->gi[i].key) < 0,
               "guestinfo not sorted at %u", i);
    }
    FCHECK(bytes == vd->gi_bytes, "gi_bytes %u, sum %u", vd->gi_bytes,
           bytes);
    FCHECK(bytes <= vd->limits.gi_total_max, "guestinfo total");
    for ( i = 0; i < vd->limits.max_channels; i++ )
    {
        const struct vmport_channel *c = &vd->channels[i];

        FCHECK(c->send.pos <= c->send.size, "send offset");
        FCHECK(c->recv.pos <= c->recv.size, "recv offset");
        FCHECK(c->send.size <= VMPORT_MSG_IN_MAX, "inbound size");
        FCHECK(c->in_use || (!c->send.data && !c->recv.data),
               "closed channel %u holds buffers", i);
    }
    for ( i = 0; i < VMPORT_MAX_APPS; i++ )
        FCHECK(vd->apps[i].count <= vd->limits.tclo_queue_max, "queue");
}

/* Bits 63:32 everywhere, and the registers no backdoor call may write. */
static void check_regs(const struct cpu_user_regs *in,
                       const struct cpu_user_regs *out, bool hb)
{
    FCHECK((out->rax >> 32) == (in->rax >> 32) &&
           (out->rbx >> 32) == (in->rbx >> 32) &&
           (out->rcx >> 32) == (in->rcx >> 32) &&
           (out->rdx >> 32) == (in->rdx >> 32) &&
           (out->rsi >> 32) == (in->rsi >> 32) &&
           (out->rdi >> 32) == (in->rdi >> 32), "a high half changed");
    FCHECK(out->rbp == in->rbp && out->rsp == in->rsp && out->r8 == in->r8 &&
           out->r15 == in->r15 && out->rip == in->rip &&
           out->rflags == in->rflags, "a register outside the contract");
    if ( hb )
        FCHECK(out->rax == in->rax && out->rcx == in->rcx &&
               out->rdx == in->rdx && out->rsi == in->rsi &&
               out->rdi == in->rdi, "HB changed more than EBX");
}

/* ---- Operations ---------------------------------------------------------- */

static void regs_init(struct fuzz *f, struct cpu_user_regs *r)
{
    memset(r, 0, sizeof(*r));
    r->rax = r->rbx = r->rcx = r->rdx = HIGH;
    r->rsi = r->rdi = HIGH;
    r->rbp = HIGH | 0xbbbb;
    r->r8 = r->r15 = HIGH | 0x8888;
    r->rsp = HIGH | 0x5555;
    r->rip = 0x1000;
    r->rflags = 0x2;
    r->eax = get8(f) == 0xff ? get32(f) : VMPORT_MAGIC;
}

/* Run @insn on domain @dom's vCPU 0 in a fuzzed mode; check registers. */
static void run(struct fuzz *f, unsigned int dom, struct cpu_user_regs *r,
                const uint8_t *insn, unsigned int len, bool hb)
{
    static const uint8_t bits[] = { 64, 32, 16, 64 };
    struct vcpu *v = shim_vcpu(f->d[dom], 0);
    uint8_t m = get8(f);
    struct vmport_insn_mode mode = {
        .cs_bits = bits[m & 3], .cpl = m & 4 ? 0 : 3, .iopl = 0,
    };
    struct cpu_user_regs in = *r;

    shim_vcpu_set_mode(v, mode.cs_bits, mode.cpl, 0);
    shim_set_current(v);
    if ( vmport_intercept(v, r, insn, len, &mode) == VMPORT_RESTART )
    {
        /* A fault for the guest: the instruction runs again, unchanged. */
        FCHECK(!memcmp(&in, r, sizeof(in)), "a restart changed registers");
        shim_vcpu_take_pf(v, NULL, NULL);
    }
    check_regs(&in, r, hb);
}

/* Channel and cookie: a slot's, possibly corrupted, or made up. */
static void pick_channel(struct fuzz *f, unsigned int dom, unsigned int *id,
                         uint64_t *cookie)
{
    uint8_t b = get8(f);
    const struct slot *s = &f->slots[dom][b % NR_SLOTS];

    *id = s->valid ? s->id : b % 10;
    *cookie = s->valid ? s->cookie : 0;
    if ( b & 0x80 )
        *cookie ^= (uint64_t)1 << (get8(f) & 63);
    if ( (b & 0x60) == 0x60 )
        *id = get8(f);
}

static uint32_t pick_ebx(struct fuzz *f, unsigned int sub)
{
    static const uint32_t protos[] = {
        VMPORT_PROTO_RPCI, VMPORT_PROTO_TCLO, 0, 0x12345678,
    };
    uint8_t b = get8(f);

    if ( sub == MESSAGE_TYPE_OPEN )
        return protos[b & 3] | (b & 4 ? GUESTMSG_FLAG_COOKIE : 0);
    switch ( b & 3 )
    {
    case 0:
        return get8(f);
    case 1:
        return get32(f);
    case 2:
        return b & 4 ? VMPORT_MSG_IN_MAX : VMPORT_MSG_IN_MAX + 1;
    default:
        return MESSAGE_STATUS_SUCCESS;
    }
}

static void op_message(struct fuzz *f, unsigned int dom)
{
    static const uint8_t forms[][2] = {
        { 0xed }, { 0xed }, { 0xed }, { 0xef }, { 0xec }, { 0x66, 0xed },
    };
    unsigned int sub = get8(f) % 8, id, form = get8(f) % 6;
    struct cpu_user_regs r;
    uint64_t cookie;

    pick_channel(f, dom, &id, &cookie);
    regs_init(f, &r);
    r.ebx = pick_ebx(f, sub);
    r.ecx = (sub << 16) | BDOOR_CMD_MESSAGE;
    r.edx = (id << 16) | VMPORT_LB_PORT;
    r.esi = cookie >> 32;
    r.edi = cookie;
    run(f, dom, &r, forms[form], form == 5 ? 2 : 1, false);

    if ( sub == MESSAGE_TYPE_OPEN && r.ecx == 0x00010000 )
    {
        struct slot *s = &f->slots[dom][get8(f) % NR_SLOTS];

        s->valid = true;
        s->id = r.edx >> 16;
        s->cookie = ((uint64_t)r.esi << 32) | r.edi;
    }
}

/* One MESSAGE call with known-good registers; returns ECX. */
static uint32_t call(struct fuzz *f, unsigned int dom, const struct slot *s,
                     unsigned int sub, uint32_t ebx, uint32_t *ebx_out)
{
    struct cpu_user_regs r;

    regs_init(f, &r);
    r.eax = VMPORT_MAGIC;
    r.ebx = ebx;
    r.ecx = (sub << 16) | BDOOR_CMD_MESSAGE;
    r.edx = (s->id << 16) | VMPORT_LB_PORT;
    r.esi = s->cookie >> 32;
    r.edi = s->cookie;
    run(f, dom, &r, (const uint8_t *)"\xed", 1, false);
    if ( ebx_out )
        *ebx_out = r.ebx;
    return r.ecx;
}

/* A whole request with fuzzed text over LB, then its reply. */
static void op_request(struct fuzz *f, unsigned int dom)
{
    static const char *const heads[] = {
        "info-get guestinfo.", "info-set guestinfo.", "log ",
        "tools.os.statechange.status ", "OK ATR ", "tools.capability.",
        "info-set GuestInfo.", "",
    };
    const struct slot *s = &f->slots[dom][get8(f) % NR_SLOTS];
    const char *head = heads[get8(f) % 8];
    uint8_t req[96];
    uint32_t hl = strlen(head), len = hl + get8(f) % 32, i, n, w;

    if ( !s->valid )
        return;
    memcpy(req, head, hl);
    for ( i = hl; i < len; i++ )
        req[i] = get8(f);

    if ( !(call(f, dom, s, MESSAGE_TYPE_SENDSIZE, len, NULL) & 0x10000) )
        return;
    for ( i = 0; i < len; i += 4 )
    {
        w = 0;
        memcpy(&w, req + i, len - i < 4 ? len - i : 4);
        call(f, dom, s, MESSAGE_TYPE_SENDPAYLOAD, w, NULL);
    }
    if ( call(f, dom, s, MESSAGE_TYPE_RECVSIZE, 0, &n) != 0x00830000 )
        return;
    for ( i = 0; i < n && i < 512; i += 4 )
        call(f, dom, s, MESSAGE_TYPE_RECVPAYLOAD, 1, NULL);
    call(f, dom, s, MESSAGE_TYPE_RECVSTATUS, get8(f) & 1, NULL);
}

static void op_hb(struct fuzz *f, unsigned int dom)
{
    static const struct {
        uint8_t len, bytes[3];
    } forms[] = {
        { 2, { 0xf3, 0x6e } }, { 2, { 0xf3, 0x6c } },
        { 3, { 0x67, 0xf3, 0x6e } }, { 3, { 0x67, 0xf3, 0x6c } },
        { 1, { 0x6e } }, { 2, { 0xf3, 0x6f } }, { 3, { 0x64, 0xf3, 0x6e } },
        { 2, { 0xf2, 0x6c } },
    };
    static const unsigned long bases[] = {
        USER_BUF, USER_BUF, SUPER_BUF, RO_BUF,
    };
    unsigned int form = get8(f) % 8, id;
    bool out = forms[form].bytes[forms[form].len - 1] & 2;
    struct cpu_user_regs r;
    unsigned long addr;
    uint64_t cookie;
    uint8_t b = get8(f);

    pick_channel(f, dom, &id, &cookie);
    regs_init(f, &r);
    addr = b & 0x80 ? ((unsigned long)get32(f) << 32 | get32(f))
                    : bases[b & 3] + (get32(f) & 0x1ffff);
    r.ebx = b & 0x40 ? get32(f) : 0x00010000;
    r.ecx = b & 0x20 ? get32(f) : (uint32_t)(get8(f) << 8 | get8(f));
    r.edx = (id << 16) | VMPORT_HB_PORT;
    if ( out )
    {
        r.rsi = addr;
        r.edi = cookie;
        r.ebp = cookie >> 32;
    }
    else
    {
        r.esi = cookie >> 32;
        r.rdi = addr;
        r.ebp = cookie;
    }
    if ( b & 0x10 )
        r.rflags |= X86_EFLAGS_DF;
    run(f, dom, &r, forms[form].bytes, forms[form].len, true);
}

static void op_dom0(struct fuzz *f, unsigned int dom)
{
    struct domain *d = f->d[dom];
    char key[40] = "guestinfo.", val[64];
    uint32_t klen = 10 + get8(f) % 24, vlen = get8(f) % 64, i, len;
    struct vmport_trigger_status st;

    for ( i = 10; i < klen; i++ )
        key[i] = get8(f);
    for ( i = 0; i < vlen; i++ )
        val[i] = get8(f);

    switch ( get8(f) % 7 )
    {
    case 0:
        vmport_guestinfo_set(d, key, klen, val, vlen);
        break;
    case 1:
        vmport_guestinfo_unset(d, key, klen);
        break;
    case 2:
        len = get8(f) % sizeof(val);
        vmport_guestinfo_get(d, key, klen, val, &len);
        break;
    case 3:
        len = get8(f) % sizeof(key);
        vmport_guestinfo_key(d, get8(f), key, &len);
        break;
    case 4:
        vmport_trigger(d, get8(f) % 4);
        break;
    case 5:
        vmport_trigger_status(d, &st);
        break;
    default:
        vmport_set_hb(d, get8(f) & 1);
        break;
    }
}

/* What the record's checkpoint policy does to a channel after restore. */
static void op_checkpoint(struct fuzz *f, unsigned int dom)
{
    struct vmport_domain *vd = vmport_dom(f->d[dom]);
    unsigned int id = get8(f) % vd->limits.max_channels;

    if ( vd->channels[id].in_use )
        vd->channels[id].checkpointed = true;
}

static void setup(struct fuzz *f)
{
    struct vmport_limits l;
    unsigned int i;

    shim_seed_random(42);
    shim_clock_set_now(SECONDS(1));
    for ( i = 0; i < NR_DOMS; i++ )
    {
        vmport_limits_default(&l);
        if ( i )
        {
            /* A tight domain: the limits are reached quickly. */
            l.max_channels = 3;
            l.gi_key_max = 24;
            l.gi_value_max = 40;
            l.gi_max_keys = 5;
            l.gi_total_max = 120;
            l.tclo_queue_max = 2;
        }
        f->d[i] = shim_domain_create(1 + i, 1);
        FCHECK(!vmport_enable(f->d[i], 7, &l), "vmport_enable");
        FCHECK(!shim_mem_map(f->d[i], USER_BUF, USER_BUF_LEN, SHIM_MEM_ALL),
               "map");
        FCHECK(!shim_mem_map(f->d[i], SUPER_BUF, 4096, SHIM_MEM_RW), "map");
        FCHECK(!shim_mem_map(f->d[i], RO_BUF, 4096,
                             SHIM_MEM_READ | SHIM_MEM_USER), "map");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz f = { .p = data, .left = size };
    unsigned int n, i;

    setup(&f);
    for ( n = 0; n < MAX_OPS && f.left; n++ )
    {
        uint8_t op = get8(&f);
        unsigned int dom = op & 1, other = !dom;
        uint64_t before = fingerprint(f.d[other]);

        switch ( (op >> 1) % 8 )
        {
        case 0: case 1:
            op_message(&f, dom);
            break;
        case 2:
            op_request(&f, dom);
            break;
        case 3:
            op_hb(&f, dom);
            break;
        case 4:
            shim_clock_advance(MILLISECS((uint64_t)get8(&f) * 997));
            before = fingerprint(f.d[other]);
            break;
        case 5:
            op_dom0(&f, dom);
            break;
        case 6:
            op_checkpoint(&f, dom);
            break;
        default:
            op_request(&f, dom);
            break;
        }

        for ( i = 0; i < NR_DOMS; i++ )
            check_state(f.d[i]);
        FCHECK(fingerprint(f.d[other]) == before,
               "op %u on d%u changed d%u", op, f.d[dom]->domain_id,
               f.d[other]->domain_id);
    }

    for ( i = 0; i < NR_DOMS; i++ )
        shim_domain_destroy(f.d[i]);
    FCHECK(shim_alloc_live() == 0, "%lu blocks leaked", shim_alloc_live());
    shim_trace_clear();
    shim_log_clear();
    return 0;
}
