/*
 * Every parser rejects bad input with a message naming the offset:
 * truncation anywhere, bad magic at each level, bad lengths, bad padding,
 * unknown mandatory records (while unknown optional ones pass), values
 * Xen's load handlers refuse (while the states Xen itself saves pass).
 */
#include <xenctrl.h>
#include <xen/hvm/save.h>

#include <stddef.h>
#include <stdio.h>

#include "helpers.h"

struct seen {
    enum vs_level level[512];
    uint32_t type[512];
    uint64_t off[512];
    uint32_t len[512];
    unsigned int n;
};

static int note(struct vs_stream *s, const struct vs_rec *r, void *o)
{
    struct seen *sn = o;

    (void)s;
    if ( sn->n < 512 )
    {
        sn->level[sn->n] = r->level;
        sn->type[sn->n] = r->type;
        sn->off[sn->n] = r->offset;
        sn->len[sn->n] = r->length;
        sn->n++;
    }
    return VS_KEEP;
}

static unsigned int find(const struct seen *sn, enum vs_level l,
                         uint32_t type)
{
    unsigned int i;

    for ( i = 0; i < sn->n; i++ )
        if ( sn->level[i] == l && sn->type[i] == type )
            return i;
    ck_abort_msg("record %u at level %s not found", type, vs_level_name(l));
    return 0;
}

/* Walk b; it must fail, naming `want` (and "offset OFF" if off set). */
static void assert_rejected(const struct bytes *b, const char *want,
                            int64_t off)
{
    int fd = bytes_fd(b->p, b->len);
    struct walk_result r = walk(fd, -1, NULL, NULL);
    char at[64];

    ck_assert_msg(r.rc != 0, "accepted; expected \"%s\"", want);
    ck_assert_msg(strstr(r.msgs, want), "expected \"%s\", seen: %s", want,
                  r.msgs);
    if ( off >= 0 )
    {
        snprintf(at, sizeof(at), "offset 0x%llx:", (unsigned long long)off);
        ck_assert_msg(strstr(r.msgs, at), "expected \"%s\", seen: %s", at,
                      r.msgs);
    }
    close(fd);
}

static struct bytes image(enum vs_kind k, struct seen *sn)
{
    int fd = gen_fd(k, false, SMALL_MEM, false);
    struct walk_result r;

    memset(sn, 0, sizeof(*sn));
    r = walk(fd, -1, note, sn);
    ck_assert_msg(r.rc == 0, "generated image invalid: %s", r.msgs);
    lseek(fd, 0, SEEK_SET);
    {
        struct bytes b = fd_bytes(fd);

        close(fd);
        return b;
    }
}

START_TEST(truncation_anywhere_is_rejected_with_an_offset)
{
    static const enum vs_kind kinds[] = {
        VS_KIND_XL, VS_KIND_LIBXL, VS_KIND_LIBXC, VS_KIND_HVM,
    };
    struct seen sn;
    struct bytes b = image(kinds[_i], &sn);
    unsigned int i, d;
    static const int deltas[] = { 0, 1, 4, 9 };

    for ( i = 0; i < sn.n; i++ )
        for ( d = 0; d < 4; d++ )
        {
            struct bytes t = b;

            t.len = sn.off[i] + deltas[d];
            if ( t.len >= b.len )
                continue;
            assert_rejected(&t, "offset 0x", -1);
        }
    free(b.p);
}
END_TEST

START_TEST(bad_magic_at_each_level_is_rejected)
{
    struct seen sn;
    struct bytes b = image(VS_KIND_XL, &sn);
    unsigned int lx = find(&sn, VS_LEVEL_LIBXL, VS_LIBXL_LIBXC_CONTEXT);
    unsigned int hdr = find(&sn, VS_LEVEL_HVM, 1);
    uint64_t xc = sn.off[lx] + 8, libxl = sn.off[0] + 48 + sn.len[0];

    b.p[5] ^= 0xff;
    assert_rejected(&b, "bad magic", 0);
    b.p[5] ^= 0xff;
    b.p[libxl + 2] ^= 0xff;
    assert_rejected(&b, "libxl: bad ident", libxl);
    b.p[libxl + 2] ^= 0xff;
    b.p[xc + 9] ^= 0xff;
    assert_rejected(&b, "libxc: bad image header", xc);
    b.p[xc + 9] ^= 0xff;
    b.p[sn.off[hdr] + 8] ^= 0xff;
    assert_rejected(&b, "hvm: HEADER magic", sn.off[hdr] + 8);
    free(b.p);
}
END_TEST

START_TEST(bad_lengths_are_rejected)
{
    struct seen sn;
    struct bytes b = image(VS_KIND_LIBXC, &sn);
    unsigned int tsc = find(&sn, VS_LEVEL_LIBXC, VS_REC_X86_TSC_INFO);
    unsigned int pit = find(&sn, VS_LEVEL_HVM, 10);
    unsigned int cpu = find(&sn, VS_LEVEL_HVM, 2);
    uint32_t v, save;

    memcpy(&save, b.p + sn.off[tsc] + 4, 4);
    v = VS_REC_LENGTH_MAX + 8;
    memcpy(b.p + sn.off[tsc] + 4, &v, 4);
    assert_rejected(&b, "exceeds REC_LENGTH_MAX", sn.off[tsc]);
    v = 32;
    memcpy(b.p + sn.off[tsc] + 4, &v, 4);
    assert_rejected(&b, "X86_TSC_INFO length 32 invalid", sn.off[tsc]);
    memcpy(b.p + sn.off[tsc] + 4, &save, 4);

    /* An HVM descriptor claiming more than the blob holds. */
    memcpy(&save, b.p + sn.off[cpu] + 4, 4);
    v = 0x7fffff;
    memcpy(b.p + sn.off[cpu] + 4, &v, 4);
    assert_rejected(&b, "hvm: type 2 instance 0 length 8388607 exceeds",
                    sn.off[cpu]);
    memcpy(b.p + sn.off[cpu] + 4, &save, 4);

    /* A strict record with a wrong length: shift the rest down. */
    v = 48;
    memcpy(b.p + sn.off[pit] + 4, &v, 4);
    assert_rejected(&b, "PIT instance 0 length 48, expected 56",
                    sn.off[pit]);
    free(b.p);
}
END_TEST

/* Insert a record before the libxc END (type and body from opaque). */
struct ins {
    enum vs_level level;
    uint32_t before_type, type;
    uint32_t len;
};

static int insert(struct vs_stream *s, const struct vs_rec *r, void *o)
{
    static const uint8_t body[64];
    struct ins *in = o;

    if ( r->level == in->level && r->type == in->before_type )
        ck_assert(vs_insert(s, in->type, 0, body, in->len) == 0);
    return VS_KEEP;
}

static struct bytes with_insert(enum vs_kind k, struct ins *in)
{
    int src = gen_fd(k, false, SMALL_MEM, false), out = mem_fd();
    struct walk_result r = walk(src, out, insert, in);
    struct bytes b = fd_bytes(out);

    (void)r;
    close(src);
    close(out);
    return b;
}

START_TEST(unknown_mandatory_records_are_rejected_optional_ones_pass)
{
    struct ins m = { VS_LEVEL_LIBXC, VS_REC_END, 0x13, 5 };
    struct ins o = { VS_LEVEL_LIBXC, VS_REC_END, 0x80000013, 5 };
    struct ins h = { VS_LEVEL_HVM, 0, 21, 8 };
    struct ins l = { VS_LEVEL_LIBXL, VS_LIBXL_END, 6, 0 };
    struct bytes b = with_insert(VS_KIND_XL, &m);
    struct walk_result r;
    int fd;

    assert_rejected(&b, "libxc: unknown mandatory record type 0x13", -1);
    free(b.p);
    b = with_insert(VS_KIND_XL, &o);
    fd = bytes_fd(b.p, b.len);
    r = walk(fd, -1, NULL, NULL);
    ck_assert_msg(r.rc == 0, "optional record rejected: %s", r.msgs);
    close(fd);
    free(b.p);
    b = with_insert(VS_KIND_LIBXC, &h);
    assert_rejected(&b, "hvm: unknown mandatory record type 21", -1);
    free(b.p);
    b = with_insert(VS_KIND_LIBXL, &l);
    assert_rejected(&b, "libxl: unknown record type 0x6", -1);
    free(b.p);
}
END_TEST

START_TEST(non_zero_padding_is_rejected_with_its_offset)
{
    struct ins o = { VS_LEVEL_LIBXC, VS_REC_END, 0x80000013, 5 };
    struct bytes b = with_insert(VS_KIND_LIBXC, &o);
    struct seen sn;
    unsigned int i;
    int fd = bytes_fd(b.p, b.len);

    memset(&sn, 0, sizeof(sn));
    walk(fd, -1, note, &sn);
    close(fd);
    i = find(&sn, VS_LEVEL_LIBXC, 0x80000013);
    b.p[sn.off[i] + 8 + 6] = 0x5a;
    assert_rejected(&b, "non-zero padding byte 0x5a", sn.off[i] + 8 + 6);
    free(b.p);
}
END_TEST

START_TEST(semantic_checks_name_field_and_offset)
{
    struct seen sn;
    struct bytes b = image(VS_KIND_HVM, &sn);
    unsigned int pic = find(&sn, VS_LEVEL_HVM, 3), msr;

    struct hvm_hw_vpic p;

    /* PIC instance 0 claims to be the slave. */
    memcpy(&p, b.p + sn.off[pic] + 8, sizeof(p));
    p.is_master = 0;
    memcpy(b.p + sn.off[pic] + 8, &p, sizeof(p));
    assert_rejected(&b, "PIC instance 0 is_master 0", sn.off[pic] + 8);
    free(b.p);
    b = image(VS_KIND_HVM, &sn);
    msr = find(&sn, VS_LEVEL_HVM, 20);
    b.p[sn.off[msr] + 8] = 2;   /* count 2 in a one-MSR record */
    assert_rejected(&b, "CPU_MSR 0 count 2 does not match length 24",
                    sn.off[msr] + 8);
    free(b.p);
}
END_TEST

/* The PIT record of a generated HVM image, and where its body starts. */
static struct bytes pit_image(uint64_t *body)
{
    struct seen sn;
    struct bytes b = image(VS_KIND_HVM, &sn);

    *body = sn.off[find(&sn, VS_LEVEL_HVM, 10)] + 8;
    return b;
}

static void pit_accepted(const struct bytes *b, const char *what)
{
    int fd = bytes_fd(b->p, b->len);
    struct walk_result r = walk(fd, -1, NULL, NULL);

    ck_assert_msg(r.rc == 0 && r.problems == 0, "%s rejected: %s", what,
                  r.msgs);
    close(fd);
}

/*
 * Xen 4.17 saves a PIT channel the guest never programmed as pit_reset()
 * left it (rw_mode 0, mode 0xff) and 4.19 as mode 7; its pit_check()
 * refuses neither, so neither may vmport-state (an HVM Linux guest's
 * channel 1, seen in check-xen's xl-save-hvm image).  What 4.19 does
 * refuse is still refused, naming the channel and its offset.
 */
START_TEST(pit_reset_state_passes_out_of_range_state_fails)
{
    uint64_t body, ch1;
    struct bytes b = pit_image(&body);
    struct hvm_hw_pit p;

    memcpy(&p, b.p + body, sizeof(p));
    ck_assert_msg(p.channels[1].mode == 0xff && p.channels[1].rw_mode == 0,
                  "the generator's channel 1 is not in its reset state");
    pit_accepted(&b, "4.17's reset state (mode 0xff, rw_mode 0)");
    p.channels[1].mode = 7;
    p.channels[0].mode = 6;
    memcpy(b.p + body, &p, sizeof(p));
    pit_accepted(&b, "4.19's reset mode 7 and mode 6");

    ch1 = body + sizeof(p.channels[0]);
    p.channels[1].rw_mode = 4;
    memcpy(b.p + body, &p, sizeof(p));
    assert_rejected(&b, "PIT channel 1 state out of range", ch1);
    p.channels[1].rw_mode = 0;
    p.channels[1].count_latched = 5;
    memcpy(b.p + body, &p, sizeof(p));
    assert_rejected(&b, "count_latched 5", ch1);
    p.channels[1].count_latched = 0;
    p.channels[1].gate = 0;
    memcpy(b.p + body, &p, sizeof(p));
    assert_rejected(&b, "PIT channel 1 gate 0",
                    ch1 + offsetof(struct hvm_hw_pit_channel, gate));
    p.channels[1].gate = 1;
    p.channels[2].gate = 0;     /* the speaker's gate may be low */
    memcpy(b.p + body, &p, sizeof(p));
    pit_accepted(&b, "channel 2 with its gate low");
    p.channels[2].count = 0x10001;
    memcpy(b.p + body, &p, sizeof(p));
    assert_rejected(&b, "PIT channel 2 count 0x10001 > 0x10000",
                    body + 2 * sizeof(p.channels[0]));
    p.channels[2].count = 0x10000;
    p.speaker_data_on = 2;
    memcpy(b.p + body, &p, sizeof(p));
    assert_rejected(&b, "PIT speaker_data_on 2",
                    body + offsetof(struct hvm_hw_pit, speaker_data_on));
    free(b.p);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("reject");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, truncation_anywhere_is_rejected_with_an_offset,
                        0, 4);
    tcase_add_test(tc, bad_magic_at_each_level_is_rejected);
    tcase_add_test(tc, bad_lengths_are_rejected);
    tcase_add_test(tc,
                   unknown_mandatory_records_are_rejected_optional_ones_pass);
    tcase_add_test(tc, non_zero_padding_is_rejected_with_its_offset);
    tcase_add_test(tc, semantic_checks_name_field_and_offset);
    tcase_add_test(tc, pit_reset_state_passes_out_of_range_state_fails);
    return run_suite("reject", tc);
}
