/*
 * test_record_fields.c: every bounded field of every section set out of
 * range in turn (CRC fixed up, so only the field is wrong) is refused with
 * -EINVAL and a message naming that field and its offset; an allocation
 * failure at any point of a load leaves the domain exactly as it was.
 */
#include <check.h>
#include <stdlib.h>
#include <zlib.h>

#include <xen/errno.h>

#include "states.h"

struct field_case {
    enum st_kind state;
    uint16_t sect;              /* section type (first of its kind) */
    uint32_t off;               /* offset in the payload */
    unsigned int width;         /* 1, 2 or 4 bytes */
    uint32_t value;             /* out of range */
    const char *field;          /* as the loader names it */
};

#define CFG(f) offsetof(struct hvm_vmport_config, f)
#define CH(f) offsetof(struct hvm_vmport_channel, f)
#define APP(f) offsetof(struct hvm_vmport_tclo_app, f)
#define TRG(f) offsetof(struct hvm_vmport_trigger, f)

static const struct field_case cases[] = {
    { ST_IDLE, 1, CFG(hwver), 4, 0, "config.hwver" },
    { ST_IDLE, 1, CFG(hwver), 4, 256, "config.hwver" },
    { ST_IDLE, 1, CFG(flags), 4, 2, "config.flags" },
    { ST_IDLE, 1, CFG(max_channels), 4, 0, "config.max_channels" },
    { ST_IDLE, 1, CFG(max_channels), 4, 129, "config.max_channels" },
    { ST_IDLE, 1, CFG(gi_key_max), 4, 1025, "config.gi_key_max" },
    { ST_IDLE, 1, CFG(gi_value_max), 4, 65537, "config.gi_value_max" },
    { ST_IDLE, 1, CFG(gi_max_keys), 4, 4097, "config.gi_max_keys" },
    { ST_IDLE, 1, CFG(gi_total_max), 4, 0x1000001, "config.gi_total_max" },
    { ST_IDLE, 1, CFG(tclo_queue_max), 4, 65, "config.tclo_queue_max" },
    { ST_IDLE, 2, offsetof(struct hvm_vmport_time, pad), 4, 1, "time.pad" },
    { ST_BUSY, 3, CH(id), 2, 8, "channel.id" },
    { ST_BUSY, 3, CH(proto), 1, 2, "channel.proto" },
    { ST_BUSY, 3, CH(flags), 1, 0x80, "channel.flags" },
    { ST_BUSY, 3, CH(send_state), 1, 2, "channel.send_state" },
    { ST_BUSY, 3, CH(recv_state), 1, 4, "channel.recv_state" },
    { ST_BUSY, 3, CH(app), 1, 4, "channel.app" },
    { ST_BUSY, 3, CH(pad), 1, 1, "channel.pad" },
    { ST_BUSY, 3, CH(idle_ns) + 4, 4, 0x80000000, "channel.idle_ns" },
    { ST_MID_SEND, 3, CH(send_size), 4, 65537, "channel.send_size" },
    { ST_MID_SEND, 3, CH(send_pos), 4, 100, "channel.send_pos" },
    { ST_MID_RECV, 3, CH(recv_size), 4, 0x100001, "channel.recv_size" },
    { ST_MID_RECV, 3, CH(recv_pos), 4, 1000, "channel.recv_pos" },
    { ST_MID_RECV, 3, CH(recv_state), 1, 3, "channel.state" },
    { ST_BUSY, 4, offsetof(struct hvm_vmport_guestinfo, count), 4, 0,
      "guestinfo.count" },
    { ST_BUSY, 4, offsetof(struct hvm_vmport_guestinfo, bytes), 4, 3,
      "guestinfo.bytes" },
    { ST_BUSY, 4, 8, 4, 0, "guestinfo.klen" },
    { ST_BUSY, 4, 12, 4, 65537, "guestinfo.vlen" },
    { ST_BUSY, 4, 16, 1, 'G', "guestinfo.key" },
    { ST_BUSY, 5, APP(index), 1, 4, "tclo_app.index" },
    { ST_BUSY, 5, APP(channel), 1, 0, "tclo_app.channel" },
    { ST_BUSY, 5, APP(count), 1, 17, "tclo_app.count" },
    { ST_BUSY, 5, APP(pad), 1, 1, "tclo_app.pad" },
    { ST_BUSY, 5, APP(name), 1, 0, "tclo_app.name" },
    { ST_TRIGGER, 5, sizeof(struct hvm_vmport_tclo_app), 4, 0,
      "tclo_cmd.len" },
    { ST_TRIGGER, 5, sizeof(struct hvm_vmport_tclo_app) + 4, 1, 4,
      "tclo_cmd.kind" },
    { ST_TRIGGER, 6, TRG(op), 1, 3, "trigger.op" },
    { ST_TRIGGER, 6, TRG(state), 1, 7, "trigger.state" },
    { ST_TRIGGER, 6, TRG(pad), 2, 1, "trigger.pad" },
};

/* Offset of the first payload of section @type, or 0. */
static uint32_t find_section(const uint8_t *rec, uint32_t len, uint16_t type)
{
    uint32_t off = sizeof(struct hvm_vmport_header);

    while ( off + sizeof(struct hvm_vmport_section) <= len )
    {
        struct hvm_vmport_section s;

        memcpy(&s, rec + off, sizeof(s));
        if ( s.type == type )
            return off + sizeof(s);
        off += sizeof(s) + s.length;
    }
    return 0;
}

START_TEST(out_of_range_field_is_refused_by_name)
{
    const struct field_case *c = &cases[_i];
    struct domain *src = st_build(300 + _i, c->state, NULL);
    struct domain *dst = h_domain(400 + _i, 1, VMPORT_HWVER_DEFAULT, NULL);
    uint32_t len, at, crc;
    uint8_t *rec = st_save(src, 0, VMPORT_SAVE_REFUSE, &len);
    char needle[96];
    int rc;

    at = find_section(rec, len, c->sect);
    ck_assert_msg(at, "%s: state %s has no section %u", c->field,
                  st_names[c->state], c->sect);
    at += c->off;
    memcpy(rec + at, &c->value, c->width);
    crc = crc32(0, rec + 24, len - 24);
    memcpy(rec + offsetof(struct hvm_vmport_header, body_crc), &crc, 4);

    shim_log_clear();
    rc = vmport_record_load(dst, rec, len);
    ck_assert_msg(rc == -EINVAL, "%s = %u: expected -EINVAL, seen %d",
                  c->field, c->value, rc);
    snprintf(needle, sizeof(needle), "%s at offset", c->field);
    ck_assert_msg(shim_log_find(needle) >= 0, "%s = %u: expected a message "
                  "naming \"%s\", seen \"%s\"", c->field, c->value, needle,
                  shim_log_count() ? shim_log_line(0) : "(none)");
    ck_assert_msg(!vmport_dom(dst)->channels[0].in_use,
                  "%s: refused record changed the domain", c->field);
    free(rec);
    shim_domain_destroy(src);
    shim_domain_destroy(dst);
}
END_TEST

/* Out of memory at every allocation of a load: -ENOMEM, nothing changed,
 * nothing leaked; then the load succeeds. */
START_TEST(allocation_failure_leaves_the_domain_as_it_was)
{
    struct domain *src = st_build(500 + _i, _i, NULL);
    struct domain *dst = st_build(600 + _i, ST_BUSY, NULL);
    uint32_t len, pre_len, now_len;
    uint8_t *rec = st_save(src, 0, VMPORT_SAVE_REFUSE, &len);
    uint8_t *pre = st_save(dst, 0, VMPORT_SAVE_REFUSE, &pre_len), *now;
    unsigned long live = shim_alloc_live();
    size_t mem = vmport_mem_used(dst);
    long n;
    int rc;

    for ( n = 0; ; n++ )
    {
        shim_alloc_fail_after(n);
        rc = vmport_record_load(dst, rec, len);
        shim_alloc_fail_after(-1);
        if ( !rc )
            break;
        ck_assert_msg(rc == -ENOMEM, "%s, allocation %ld fails: expected "
                      "-ENOMEM, seen %d", st_names[_i], n, rc);
        ck_assert_msg(shim_alloc_live() == live && vmport_mem_used(dst) ==
                      mem, "%s, allocation %ld fails: leaked or charged "
                      "(%lu blocks, %zu bytes; were %lu, %zu)", st_names[_i],
                      n, shim_alloc_live(), vmport_mem_used(dst), live, mem);
        now = st_save(dst, 0, VMPORT_SAVE_REFUSE, &now_len);
        ck_assert_msg(now_len == pre_len && !memcmp(now, pre, pre_len),
                      "%s, allocation %ld fails: domain changed",
                      st_names[_i], n);
        free(now);
    }
    ck_assert_msg(n > 0, "expected the load to allocate");
    free(pre);
    free(rec);
    shim_domain_destroy(src);
    shim_domain_destroy(dst);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("record-fields");
    TCase *tc = tcase_create("fields");

    tcase_add_loop_test(tc, out_of_range_field_is_refused_by_name, 0,
                        sizeof(cases) / sizeof(cases[0]));
    tcase_add_loop_test(tc, allocation_failure_leaves_the_domain_as_it_was,
                        0, ST_NR);
    suite_add_tcase(s, tc);
    return h_run_suite(s);
}
