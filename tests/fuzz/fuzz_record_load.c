/*
 * fuzz_record_load: the hypervisor's VMPORT record loader on arbitrary
 * bytes.  Any input must be rejected with -EINVAL/-ENODATA leaving the
 * domain exactly as it was, or be accepted as a state that saves and
 * reloads to the same bytes, within the domain's memory budget.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/sched.h>
#include <asm/hvm/vmport.h>
#include <asm/hvm/vmport-save.h>

#include "shim.h"
#include "vmware/record.h"

static struct domain *d;
static uint8_t *base;
static uint32_t base_len;

static uint8_t *save(uint32_t *len)
{
    uint8_t *buf;

    if ( vmport_record_save(d, NULL, 0, 0, VMPORT_SAVE_REFUSE, len) )
        abort();
    buf = malloc(*len);
    if ( !buf || vmport_record_save(d, buf, *len, 0, VMPORT_SAVE_REFUSE,
                                    len) )
        abort();
    return buf;
}

static void setup(void)
{
    d = shim_domain_create(1, 1);
    if ( vmport_enable(d, VMPORT_HWVER_DEFAULT, NULL) ||
         vmport_guestinfo_set(d, "guestinfo.a", 11, "b", 1) )
        abort();
    base = save(&base_len);
}

static void one(const uint8_t *data, size_t size)
{
    uint32_t len, len2;
    uint8_t *a, *b;
    size_t mem;
    int rc;

    mem = vmport_mem_used(d);
    rc = vmport_record_load(d, data, size);
    if ( rc )
    {
        if ( rc != -EINVAL && rc != -ENODATA )
            abort();
        a = save(&len);
        if ( len != base_len || memcmp(a, base, len) ||
             vmport_mem_used(d) != mem )
            abort();            /* a refused record changed the domain */
        free(a);
        return;
    }
    a = save(&len);
    if ( vmport_record_load(d, a, len) )
        abort();
    b = save(&len2);
    if ( len != len2 || memcmp(a, b, len) )
        abort();                /* accepted state does not round-trip */
    free(a);
    free(b);
    if ( vmport_record_load(d, base, base_len) )
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *fixed;
    uint32_t crc;

    if ( !d )
        setup();
    if ( size > (1U << 24) )
        return 0;
    one(data, size);

    /* Again with the body CRC made right, to reach the deeper checks. */
    if ( size < sizeof(struct hvm_vmport_header) || !(fixed = malloc(size)) )
        return 0;
    memcpy(fixed, data, size);
    crc = vmport_crc32(0, fixed + sizeof(struct hvm_vmport_header),
                       size - sizeof(struct hvm_vmport_header));
    memcpy(fixed + offsetof(struct hvm_vmport_header, body_crc), &crc,
           sizeof(crc));
    one(fixed, size);
    free(fixed);
    return 0;
}
