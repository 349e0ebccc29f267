/*
 * test_insn.c: vmport_insn_decode() over every opcode, prefix and mode.
 *
 * The expectations come from a table of the eleven port I/O opcodes and
 * the architectural prefix rules, written out here independently of the
 * decoder: operand size from the code segment and 66, address size from
 * the code segment and 67, INS through ES, OUTS through DS or the last
 * segment override (only FS/GS in 64-bit mode), REX only in 64-bit mode.
 */

#include <errno.h>

#include "harness.h"

static const unsigned int modes[] = { 16, 32, 64 };

struct op {
    uint8_t op;
    uint8_t kind;
    bool byte;
    bool imm;
};

static const struct op ops[] = {
    { 0xe4, VMPORT_INSN_IN, true, true },
    { 0xe5, VMPORT_INSN_IN, false, true },
    { 0xe6, VMPORT_INSN_OUT, true, true },
    { 0xe7, VMPORT_INSN_OUT, false, true },
    { 0xec, VMPORT_INSN_IN, true, false },
    { 0xed, VMPORT_INSN_IN, false, false },
    { 0xee, VMPORT_INSN_OUT, true, false },
    { 0xef, VMPORT_INSN_OUT, false, false },
    { 0x6c, VMPORT_INSN_INS, true, false },
    { 0x6d, VMPORT_INSN_INS, false, false },
    { 0x6e, VMPORT_INSN_OUTS, true, false },
    { 0x6f, VMPORT_INSN_OUTS, false, false },
};

static const uint8_t legacy_prefixes[] = {
    0x66, 0x67, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
};

static int seg_of_prefix(uint8_t p)
{
    switch ( p )
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

static const struct op *find_op(uint8_t b)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
        if ( ops[i].op == b )
            return &ops[i];
    return NULL;
}

static bool is_prefix(uint8_t b, unsigned int bits)
{
    unsigned int i;

    if ( b == 0xf0 || (bits == 64 && (b & 0xf0) == 0x40) )
        return true;
    for ( i = 0; i < ARRAY_SIZE(legacy_prefixes); i++ )
        if ( legacy_prefixes[i] == b )
            return true;
    return false;
}

static int decode(const uint8_t *buf, unsigned int nr, unsigned int bits,
                  struct vmport_insn *insn)
{
    struct vmport_insn_mode mode = { .cs_bits = bits, .cpl = 3 };

    return vmport_insn_decode(buf, nr, &mode, insn);
}

/* What the architecture says for @o after the prefixes @pfx. */
static void expect(const struct op *o, const uint8_t *pfx, unsigned int npfx,
                   unsigned int bits, struct vmport_insn *e)
{
    bool opsz = false, adsz = false;
    int seg = -1;
    unsigned int i;

    memset(e, 0, sizeof(*e));
    for ( i = 0; i < npfx; i++ )
    {
        opsz |= pfx[i] == 0x66;
        adsz |= pfx[i] == 0x67;
        e->rep |= pfx[i] == 0xf2 || pfx[i] == 0xf3;
        if ( seg_of_prefix(pfx[i]) >= 0 )
            seg = seg_of_prefix(pfx[i]);
    }
    e->kind = o->kind;
    e->imm_port = o->imm;
    e->len = npfx + 1 + o->imm;
    e->bytes = o->byte ? 1 : (bits == 16) == !opsz ? 2 : 4;
    e->addr_bits = bits == 64 ? (adsz ? 32 : 64)
                              : ((bits == 16) == !adsz ? 16 : 32);
    if ( o->kind == VMPORT_INSN_INS )
        e->seg = x86_seg_es;
    else if ( seg == x86_seg_fs || seg == x86_seg_gs ||
              (seg >= 0 && bits != 64) )
        e->seg = seg;
    else
        e->seg = x86_seg_ds;
}

static void check_same(const struct vmport_insn *e, const struct vmport_insn *s,
                       const char *what)
{
    ck_assert_msg(e->len == s->len && e->kind == s->kind &&
                  e->bytes == s->bytes && e->addr_bits == s->addr_bits &&
                  e->seg == s->seg && e->rep == s->rep &&
                  e->imm_port == s->imm_port && e->imm8 == s->imm8,
                  "%s: expected len %u kind %u bytes %u addr %u seg %u rep %d "
                  "imm %d/%#x, seen len %u kind %u bytes %u addr %u seg %u "
                  "rep %d imm %d/%#x", what,
                  e->len, e->kind, e->bytes, e->addr_bits, e->seg, e->rep,
                  e->imm_port, e->imm8, s->len, s->kind, s->bytes,
                  s->addr_bits, s->seg, s->rep, s->imm_port, s->imm8);
}

/* Build prefixes + opcode (+ imm8 0x58), decode, compare. */
static void run_case(const struct op *o, const uint8_t *pfx, unsigned int npfx,
                     unsigned int bits)
{
    uint8_t buf[16];
    struct vmport_insn e, s;
    char what[96];
    int rc, n = 0;
    unsigned int i;

    for ( i = 0; i < npfx; i++ )
        n += snprintf(what + n, sizeof(what) - n, "%02x ", pfx[i]);
    snprintf(what + n, sizeof(what) - n, "%02x in %u-bit", o->op, bits);

    if ( npfx )
        memcpy(buf, pfx, npfx);
    buf[npfx] = o->op;
    buf[npfx + 1] = 0x58;
    expect(o, pfx, npfx, bits, &e);
    if ( o->imm )
        e.imm8 = 0x58;
    rc = decode(buf, npfx + 1 + o->imm, bits, &s);
    ck_assert_msg(rc == 0, "%s: expected 0, seen %d", what, rc);
    check_same(&e, &s, what);
}

START_TEST(every_opcode_without_prefix_in_every_mode)
{
    unsigned int m, i;

    for ( m = 0; m < ARRAY_SIZE(modes); m++ )
        for ( i = 0; i < ARRAY_SIZE(ops); i++ )
            run_case(&ops[i], NULL, 0, modes[m]);
}
END_TEST

START_TEST(every_opcode_with_every_legacy_prefix_pair)
{
    unsigned int m, i, a, b;

    for ( m = 0; m < ARRAY_SIZE(modes); m++ )
        for ( i = 0; i < ARRAY_SIZE(ops); i++ )
            for ( a = 0; a < ARRAY_SIZE(legacy_prefixes); a++ )
            {
                run_case(&ops[i], &legacy_prefixes[a], 1, modes[m]);
                for ( b = 0; b < ARRAY_SIZE(legacy_prefixes); b++ )
                {
                    uint8_t pfx[2] = { legacy_prefixes[a],
                                       legacy_prefixes[b] };

                    run_case(&ops[i], pfx, 2, modes[m]);
                }
            }
}
END_TEST

/* REX never changes port I/O, before the opcode or (ignored) earlier. */
START_TEST(rex_is_accepted_only_in_64bit_mode)
{
    unsigned int i, r;

    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
        for ( r = 0x40; r <= 0x4f; r++ )
        {
            uint8_t pfx[2] = { (uint8_t)r, 0x66 };
            uint8_t pfx2[2] = { 0x66, (uint8_t)r };
            uint8_t buf[3] = { (uint8_t)r, ops[i].op, 0x58 };
            struct vmport_insn s;
            int rc;

            run_case(&ops[i], pfx, 1, 64);
            run_case(&ops[i], pfx, 2, 64);
            run_case(&ops[i], pfx2, 2, 64);
            rc = decode(buf, 2 + ops[i].imm, 32, &s);
            ck_assert_msg(rc == -EOPNOTSUPP, "%02x %02x in 32-bit (inc/dec): "
                          "expected %d, seen %d", r, ops[i].op, -EOPNOTSUPP,
                          rc);
            rc = decode(buf, 2 + ops[i].imm, 16, &s);
            ck_assert_int_eq(rc, -EOPNOTSUPP);
        }
}
END_TEST

START_TEST(lock_prefix_is_never_ours)
{
    unsigned int m, i;

    for ( m = 0; m < ARRAY_SIZE(modes); m++ )
        for ( i = 0; i < ARRAY_SIZE(ops); i++ )
        {
            uint8_t a[3] = { 0xf0, ops[i].op, 0x58 };
            uint8_t b[4] = { 0x66, 0xf0, ops[i].op, 0x58 };
            struct vmport_insn s;

            ck_assert_int_eq(decode(a, 2 + ops[i].imm, modes[m], &s),
                             -EOPNOTSUPP);
            ck_assert_int_eq(decode(b, 3 + ops[i].imm, modes[m], &s),
                             -EOPNOTSUPP);
        }
}
END_TEST

/* Every first byte that is neither a prefix nor port I/O is refused. */
START_TEST(every_other_opcode_is_not_ours)
{
    unsigned int m, b;

    for ( m = 0; m < ARRAY_SIZE(modes); m++ )
        for ( b = 0; b < 256; b++ )
        {
            uint8_t buf[15];
            struct vmport_insn s;
            int rc;

            if ( find_op(b) || is_prefix(b, modes[m]) )
                continue;
            memset(buf, 0xed, sizeof(buf));
            buf[0] = b;
            rc = decode(buf, sizeof(buf), modes[m], &s);
            ck_assert_msg(rc == -EOPNOTSUPP, "%02x in %u-bit: expected %d, "
                          "seen %d", b, modes[m], -EOPNOTSUPP, rc);
            /* After a prefix too. */
            buf[0] = 0x66;
            buf[1] = b;
            rc = decode(buf, sizeof(buf), modes[m], &s);
            ck_assert_msg(rc == -EOPNOTSUPP, "66 %02x in %u-bit: expected %d, "
                          "seen %d", b, modes[m], -EOPNOTSUPP, rc);
        }
}
END_TEST

/* Every proper prefix of a valid instruction is truncated: -EINVAL. */
START_TEST(truncated_instructions_are_invalid)
{
    static const uint8_t insns[][4] = {
        { 0x66, 0xe5, 0x58 }, { 0xf3, 0x2e, 0x6e }, { 0xe4, 0x58 },
        { 0x66, 0x48, 0xed },
    };
    static const unsigned int lens[] = { 3, 3, 2, 3 };
    unsigned int i, n;

    for ( i = 0; i < ARRAY_SIZE(insns); i++ )
        for ( n = 0; n < lens[i]; n++ )
        {
            struct vmport_insn s;
            int rc = decode(insns[i], n, 64, &s);

            ck_assert_msg(rc == -EINVAL, "insn %u cut to %u bytes: expected "
                          "%d, seen %d", i, n, -EINVAL, rc);
        }
}
END_TEST

/* 15 bytes is the architectural maximum, however many the caller has. */
START_TEST(fifteen_bytes_is_the_limit)
{
    uint8_t buf[32];
    struct vmport_insn s;
    int rc;

    memset(buf, 0x66, sizeof(buf));
    buf[14] = 0xed;                     /* 14 prefixes + opcode = 15 */
    rc = decode(buf, sizeof(buf), 32, &s);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(s.len, 15);

    memset(buf, 0x66, sizeof(buf));
    buf[15] = 0xed;                     /* 16 bytes */
    ck_assert_int_eq(decode(buf, sizeof(buf), 32, &s), -EINVAL);

    memset(buf, 0x3e, sizeof(buf));
    buf[14] = 0xe5;                     /* the imm8 would be byte 16 */
    buf[15] = 0x58;
    ck_assert_int_eq(decode(buf, sizeof(buf), 32, &s), -EINVAL);

    /* A short instruction with extra bytes after it is fine. */
    buf[0] = 0xed;
    ck_assert_int_eq(decode(buf, sizeof(buf), 32, &s), 0);
    ck_assert_uint_eq(s.len, 1);
}
END_TEST

START_TEST(bad_mode_is_invalid)
{
    static const uint8_t in[] = { 0xed };
    struct vmport_insn s;

    ck_assert_int_eq(decode(in, 1, 8, &s), -EINVAL);
    ck_assert_int_eq(decode(in, 1, 0, &s), -EINVAL);
    ck_assert_int_eq(decode(in, 1, 48, &s), -EINVAL);
    ck_assert_int_eq(decode(in, 0, 32, &s), -EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("insn");
    TCase *tc = tcase_create("decode");

    tcase_add_test(tc, every_opcode_without_prefix_in_every_mode);
    tcase_add_test(tc, every_opcode_with_every_legacy_prefix_pair);
    tcase_add_test(tc, rex_is_accepted_only_in_64bit_mode);
    tcase_add_test(tc, lock_prefix_is_never_ours);
    tcase_add_test(tc, every_other_opcode_is_not_ours);
    tcase_add_test(tc, truncated_instructions_are_invalid);
    tcase_add_test(tc, fifteen_bytes_is_the_limit);
    tcase_add_test(tc, bad_mode_is_invalid);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
