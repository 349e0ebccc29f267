/*
 * live_dmop.c: a running domain's guestinfo and power triggers through
 * XEN_DMOP_vmport, the device-model operation the patch series adds.
 *
 * Why not the HVM context: reading a context is harmless, but setting one
 * on a domain that has run reloads every vCPU's registers, its local APIC
 * and timers from a snapshot, which a running guest cannot be expected to
 * survive (and which the hypervisor refuses for VMPORT records on a domain
 * that has run).  The DMOP touches the backdoor state alone, under the
 * device model's lock, while the guest keeps running.
 *
 * The call goes through the privcmd driver's IOCTL_PRIVCMD_DM_OP, as
 * libxendevicemodel's own calls do: that library has no entry point for an
 * operation it does not know, and Debian's stock one does not know this
 * one.  A stock hypervisor answers EOPNOTSUPP: "no vmport support".
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xenctrl.h>            /* the Xen public types privcmd.h uses */
#include <xen/sys/privcmd.h>

#include "cli.h"
#include "limits.h"
#include "live_dmop.h"

#include "dmop_abi.h"

_Static_assert(XEN_DMOP_VMPORT_TRIGGER_HALT == LIVE_TRIGGER_HALT &&
               XEN_DMOP_VMPORT_TRIGGER_REBOOT == LIVE_TRIGGER_REBOOT,
               "trigger numbers");

/* struct xen_dm_op with only the member used here. */
struct dm_op_vmport {
    uint32_t op;
    uint32_t pad;
    struct xen_dm_op_vmport u;
};

_Static_assert(sizeof(struct xen_dm_op_vmport) == 32, "DMOP vmport ABI");
_Static_assert(sizeof(struct xen_dm_op_vmport_limits) == 32 &&
               sizeof(struct xen_dm_op_vmport_usage) == 16, "DMOP buffers");
_Static_assert(offsetof(struct dm_op_vmport, u) == 8, "struct xen_dm_op");

/* Keys travel whole ("guestinfo.NAME"), as the device model stores them. */
#define GI_KEY_MAX      1024

/*
 * Linux's privcmd refuses a dm_op buffer larger than its module parameter
 * dm_op_buf_max_size (4096 by default) with E2BIG.  A guestinfo value may
 * be 64 KiB: raise the limit (root may; it only bounds how much user memory
 * privcmd pins for one call) and say so, rather than fail.
 */
#define PRIVCMD_BUF_MAX "/sys/module/xen_privcmd/parameters/dm_op_buf_max_size"

static int privcmd_allow(size_t len)
{
    FILE *f = fopen(PRIVCMD_BUF_MAX, "r+");
    unsigned long max = 0;
    int rc = 0;

    if ( !f )
        return 0;               /* no such knob: the call will tell */
    if ( fscanf(f, "%lu", &max) == 1 && max < len )
    {
        rewind(f);
        if ( fprintf(f, "%zu\n", len) < 0 || fflush(f) )
        {
            fprintf(stderr, "vmport-state: a %zu-byte value needs privcmd's "
                    "dm_op_buf_max_size (%lu) raised: cannot write %s: %s\n",
                    len, max, PRIVCMD_BUF_MAX, strerror(errno));
            rc = -1;
        }
        else
            fprintf(stderr, "vmport-state: raised privcmd's "
                    "dm_op_buf_max_size from %lu to %zu for this value\n",
                    max, len);
    }
    fclose(f);
    return rc;
}

/* One XEN_DMOP_vmport call; 0 or -errno. */
static int dmop(uint32_t domid, struct xen_dm_op_vmport *v, void *key,
                size_t klen, void *val, size_t vlen)
{
    /*
     * Linux's privcmd pins every buffer and fails an empty one with
     * EFAULT, so an unused one is a byte the operation never touches.
     */
    static uint8_t unused[2];
    struct dm_op_vmport op = { .op = XEN_DMOP_vmport, .u = *v };
    privcmd_dm_op_buf_t bufs[3] = {
        { &op, sizeof(op) },
        { klen ? key : &unused[0], klen ? klen : 1 },
        { vlen ? val : &unused[1], vlen ? vlen : 1 },
    };
    /* Only the buffers the command uses: a stock hypervisor takes two. */
    privcmd_dm_op_t call = {
        .dom = domid,
        .num = vlen || v->cmd == XEN_DMOP_VMPORT_GI_GET ? 3 : klen ? 2 : 1,
        .ubufs = bufs,
    };
    int fd, rc;

    if ( privcmd_allow(vlen) )
        return -E2BIG;
    fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if ( fd < 0 )
        return -errno;
    rc = ioctl(fd, IOCTL_PRIVCMD_DM_OP, &call);
    rc = rc < 0 ? -errno : 0;
    close(fd);
    *v = op.u;
    return rc;
}

/* An exit code and a message for a failed call on @domain. */
static int dmop_error(const char *domain, const char *what, int err)
{
    switch ( err )
    {
    case -EOPNOTSUPP:
    case -ENOSYS:
        fprintf(stderr, "vmport-state: domain %s: this hypervisor has no "
                "vmport support (XEN_DMOP_vmport unknown to it)\n", domain);
        return EXIT_NO_VMPORT;
    case -ENODEV:
        fprintf(stderr, "vmport-state: domain %s: vmport is not enabled "
                "(xl.cfg vmware_port=1)\n", domain);
        return EXIT_NO_VMPORT;
    default:
        fprintf(stderr, "vmport-state: domain %s: %s: %s\n", domain, what,
                strerror(-err));
        return err == -EINVAL || err == -ENOSPC || err == -E2BIG
               ? EXIT_PROBLEMS : EXIT_XEN;
    }
}

/* live_gi_get() on a resolved domain. */
static int gi_get(const char *domain, uint32_t domid, const char *key,
                  uint8_t **val, uint32_t *vlen)
{
    const char *k = key;
    uint32_t have = 0;
    uint8_t *buf = NULL;
    /*
     * The call reports the value's length and copies it only if it fits:
     * ask with no buffer, then with one that size.  A value that grows in
     * between (the guest set it) is asked for again, a bounded number of
     * times.
     */
    for ( unsigned int tries = 0; tries < 4; tries++ )
    {
        struct xen_dm_op_vmport v = {
            .cmd = XEN_DMOP_VMPORT_GI_GET, .key_len = strlen(k),
            .val_len = have,
        };
        int err = dmop(domid, &v, (void *)k, v.key_len, buf, have);
        uint8_t *bigger;

        if ( err == -ENOENT )
        {
            fprintf(stderr, "vmport-state guestinfo: %s: no such key\n",
                    key);
            free(buf);
            return EXIT_PROBLEMS;
        }
        if ( err )
        {
            free(buf);
            return dmop_error(domain, "guestinfo get", err);
        }
        if ( v.val_len <= have || (!buf && !v.val_len) )
        {
            *val = buf ? buf : malloc(1);
            *vlen = v.val_len;
            return *val ? EXIT_OK : EXIT_IO;
        }
        have = v.val_len;
        bigger = realloc(buf, have);
        if ( !bigger )
        {
            free(buf);
            return EXIT_IO;
        }
        buf = bigger;
    }
    free(buf);
    fprintf(stderr, "vmport-state: domain %s: %s keeps changing size\n",
            domain, key);
    return EXIT_XEN;
}

int live_gi_get(const char *domain, const char *key, uint8_t **val,
                uint32_t *vlen)
{
    uint32_t domid;
    int rc = live_domid(domain, &domid);

    return rc ? rc : gi_get(domain, domid, key, val, vlen);
}

int live_gi_set(const char *domain, const char *key, const void *val,
                uint32_t vlen)
{
    const char *k = key;
    struct xen_dm_op_vmport v = {
        .cmd = XEN_DMOP_VMPORT_GI_SET, .key_len = strlen(k), .val_len = vlen,
    };
    uint32_t domid;
    int rc = live_domid(domain, &domid), err;

    if ( rc )
        return rc;
    err = dmop(domid, &v, (void *)k, v.key_len, (void *)val, vlen);
    return err ? dmop_error(domain, "guestinfo set (a guestinfo limit of "
                            "the domain?)", err) : EXIT_OK;
}

int live_gi_unset(const char *domain, const char *key)
{
    const char *k = key;
    struct xen_dm_op_vmport v = {
        .cmd = XEN_DMOP_VMPORT_GI_UNSET, .key_len = strlen(k),
    };
    uint32_t domid;
    int rc = live_domid(domain, &domid), err;

    if ( rc )
        return rc;
    err = dmop(domid, &v, (void *)k, v.key_len, NULL, 0);
    if ( err == -ENOENT )
    {
        fprintf(stderr, "vmport-state guestinfo: %s: no such key\n", key);
        return EXIT_PROBLEMS;
    }
    return err ? dmop_error(domain, "guestinfo unset", err) : EXIT_OK;
}

int live_gi_each(const char *domain, live_gi_fn *fn, void *opaque)
{
    uint32_t domid, idx;
    int rc = live_domid(domain, &domid);

    if ( rc )
        return rc;
    for ( idx = 0; ; idx++ )
    {
        char key[GI_KEY_MAX + 1];
        struct xen_dm_op_vmport v = {
            .cmd = XEN_DMOP_VMPORT_GI_KEY, .idx = idx, .key_len = GI_KEY_MAX,
        };
        uint8_t *val = NULL;
        uint32_t vlen = 0;
        int err;

        err = dmop(domid, &v, key, GI_KEY_MAX, NULL, 0);
        if ( err == -ENOENT )
            return EXIT_OK;
        if ( err )
            return dmop_error(domain, "guestinfo list", err);
        if ( v.key_len > GI_KEY_MAX )
            continue;           /* cannot be: keys are at most 1024 bytes */
        key[v.key_len] = '\0';
        rc = gi_get(domain, domid, key, &val, &vlen);
        if ( rc == EXIT_PROBLEMS )
            continue;           /* unset in between: no longer listed */
        if ( rc )
            return rc;
        fn(key, val, vlen, opaque);
        free(val);
    }
}

int live_trigger(const char *domain, unsigned int op)
{
    struct xen_dm_op_vmport v = { .cmd = XEN_DMOP_VMPORT_TRIGGER, .idx = op };
    uint32_t domid;
    int rc = live_domid(domain, &domid), err;

    if ( rc )
        return rc;
    err = dmop(domid, &v, NULL, 0, NULL, 0);
    if ( err == -EBUSY )
    {
        fprintf(stderr, "vmport-state: domain %s: a power trigger is "
                "already outstanding\n", domain);
        return EXIT_REFUSED;
    }
    return err ? dmop_error(domain, "trigger", err) : EXIT_OK;
}

int live_trigger_status(const char *domain, struct live_trigger_status *st)
{
    struct xen_dm_op_vmport v = { .cmd = XEN_DMOP_VMPORT_TRIGGER_STATUS };
    uint32_t domid;
    int rc = live_domid(domain, &domid), err;

    if ( rc )
        return rc;
    err = dmop(domid, &v, NULL, 0, NULL, 0);
    if ( err )
        return dmop_error(domain, "trigger status", err);
    st->op = v.trigger_op;
    st->state = v.trigger_state;
    st->guest_status = v.guest_status;
    st->elapsed_ns = v.elapsed_ns;
    return EXIT_OK;
}

/* GET_LIMITS or GET_USAGE: the reply in buf[1], read by limits.c. */
static int get_reply(const char *domain, uint32_t cmd, const char *what,
                     void *reply, size_t len)
{
    struct xen_dm_op_vmport v = { .cmd = cmd };
    uint32_t domid;
    int rc = live_domid(domain, &domid), err;

    if ( rc )
        return rc;
    err = dmop(domid, &v, reply, len, NULL, 0);
    return err ? dmop_error(domain, what, err) : EXIT_OK;
}

int live_limits_get(const char *domain, struct xen_dm_op_vmport_limits *l)
{
    uint8_t buf[sizeof(*l)];
    int rc = get_reply(domain, XEN_DMOP_VMPORT_GET_LIMITS, "get limits",
                       buf, sizeof(buf));

    return rc ? rc : vs_limits_from_reply(buf, sizeof(buf), l) ? EXIT_XEN
                                                                : EXIT_OK;
}

int live_usage_get(const char *domain, struct xen_dm_op_vmport_usage *u)
{
    uint8_t buf[sizeof(*u)];
    int rc = get_reply(domain, XEN_DMOP_VMPORT_GET_USAGE, "get usage",
                       buf, sizeof(buf));

    return rc ? rc : vs_usage_from_reply(buf, sizeof(buf), u) ? EXIT_XEN
                                                               : EXIT_OK;
}

int live_limits_set(const char *domain,
                    const struct xen_dm_op_vmport_limits *l)
{
    struct xen_dm_op_vmport v = { .cmd = XEN_DMOP_VMPORT_SET_LIMITS };
    struct xen_dm_op_vmport_limits copy = *l;
    uint32_t domid;
    int rc = live_domid(domain, &domid), err;

    if ( rc )
        return rc;
    err = dmop(domid, &v, &copy, sizeof(copy), NULL, 0);
    if ( err == -EBUSY )
    {
        fprintf(stderr, "vmport-state: domain %s has run or already holds "
                "vmport state: its limits can only be set before it first "
                "runs (xl create -p)\n", domain);
        return EXIT_REFUSED;
    }
    return err ? dmop_error(domain, "set limits (out of range?)", err)
               : EXIT_OK;
}
