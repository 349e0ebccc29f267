/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * insn.c: the instruction check shared by the #GP intercept and the I/O
 * exit path.
 *
 * The caller fetches at most 15 bytes at CS:RIP once and hands them over
 * with the vCPU mode; nothing here reads guest memory, so a guest racing
 * a write to its own code cannot make the check and the emulation see
 * different instructions.  Only the port I/O opcodes are accepted:
 *
 *   E4/E5 in imm8     E6/E7 out imm8     EC/ED in dx     EE/EF out dx
 *   6C/6D ins         6E/6F outs
 *
 * with any legacy prefixes except LOCK (which makes them #UD).  In 64-bit
 * mode 40-4F are REX prefixes: one right before the opcode takes effect
 * and an earlier one is ignored by the CPU, but for port I/O neither
 * matters (REX.W does not widen IN/OUT, and no ModRM/SIB is involved), so
 * both are simply skipped.  Elsewhere 40-4F are INC/DEC: not ours.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/types.h>

#include <asm/hvm/vmport.h>
#include <asm/x86_emulate.h>

#define MAX_INSN_LEN    15

static bool is_rex(uint8_t b, unsigned int cs_bits)
{
    return cs_bits == 64 && (b & 0xf0) == 0x40;
}

/* A segment override: its x86_segment, or -1 if @b is not one. */
static int seg_override(uint8_t b)
{
    switch ( b )
    {
    case 0x26: return x86_seg_es;
    case 0x2e: return x86_seg_cs;
    case 0x36: return x86_seg_ss;
    case 0x3e: return x86_seg_ds;
    case 0x64: return x86_seg_fs;
    case 0x65: return x86_seg_gs;
    }
    return -1;
}

/* Fill in the opcode-dependent fields; false if not a port I/O opcode. */
static bool decode_opcode(uint8_t op, struct vmport_insn *insn)
{
    switch ( op )
    {
    case 0xe4: case 0xe5:
        insn->kind = VMPORT_INSN_IN;
        insn->imm_port = true;
        break;
    case 0xe6: case 0xe7:
        insn->kind = VMPORT_INSN_OUT;
        insn->imm_port = true;
        break;
    case 0xec: case 0xed:
        insn->kind = VMPORT_INSN_IN;
        break;
    case 0xee: case 0xef:
        insn->kind = VMPORT_INSN_OUT;
        break;
    case 0x6c: case 0x6d:
        insn->kind = VMPORT_INSN_INS;
        break;
    case 0x6e: case 0x6f:
        insn->kind = VMPORT_INSN_OUTS;
        break;
    default:
        return false;
    }
    /* Even opcodes are the byte forms. */
    if ( !(op & 1) )
        insn->bytes = 1;
    return true;
}

int vmport_insn_decode(const uint8_t *buf, unsigned int nr,
                       const struct vmport_insn_mode *mode,
                       struct vmport_insn *insn)
{
    unsigned int i, cs_bits = mode->cs_bits;
    bool opsz = false, adsz = false;
    int seg = -1;

    memset(insn, 0, sizeof(*insn));
    if ( cs_bits != 16 && cs_bits != 32 && cs_bits != 64 )
        return -EINVAL;
    if ( nr > MAX_INSN_LEN )
        nr = MAX_INSN_LEN;

    for ( i = 0; ; i++ )
    {
        uint8_t b;

        if ( i >= nr )
            return -EINVAL;             /* truncated, or longer than 15 */
        b = buf[i];

        if ( b == 0x66 )
            opsz = true;
        else if ( b == 0x67 )
            adsz = true;
        else if ( b == 0xf2 || b == 0xf3 )
            insn->rep = true;
        else if ( b == 0xf0 )
            return -EOPNOTSUPP;         /* LOCK IN/OUT is #UD */
        else if ( seg_override(b) >= 0 )
            seg = seg_override(b);
        else if ( is_rex(b, cs_bits) )
            continue;   /* REX.W/R/X/B never change port I/O: see above */
        else if ( decode_opcode(b, insn) )
            break;
        else
            return -EOPNOTSUPP;
    }

    /* i indexes the opcode; E4-E7 carry an imm8. */
    if ( insn->imm_port )
    {
        if ( i + 1 >= nr )
            return -EINVAL;
        insn->imm8 = buf[++i];
    }
    insn->len = i + 1;

    if ( !insn->bytes )
        insn->bytes = (cs_bits == 16) != opsz ? 2 : 4;
    if ( cs_bits == 64 )
        insn->addr_bits = adsz ? 32 : 64;
    else
        insn->addr_bits = (cs_bits == 16) != adsz ? 16 : 32;

    /* INS always writes through ES; OUTS reads DS unless overridden. */
    if ( insn->kind == VMPORT_INSN_INS )
        insn->seg = x86_seg_es;
    else if ( seg < 0 || (cs_bits == 64 && seg != x86_seg_fs &&
                          seg != x86_seg_gs) )
        insn->seg = x86_seg_ds;         /* 64-bit ignores ES/CS/SS/DS */
    else
        insn->seg = seg;

    return 0;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
