/*
 * live.c: --domain mode.  Names are resolved with libxenlight, contexts
 * are read and written with libxenctrl (xc_domain_hvm_getcontext and
 * friends, as xen-hvmctx and xen-hvmcrash do).
 *
 * How vmport support is detected: XEN_DOMCTL_gethvmcontext_partial for
 * typecode HVM_SAVE_CODE_VMPORT (64).  A stock 4.17 hypervisor rejects a
 * typecode above its HVM_SAVE_CODE_MAX (20) with EINVAL: "this hypervisor
 * has no vmport support" (exit 5).  A patched one has a handler: ENOENT
 * or ENODATA means the domain has vmport off, ENOBUFS or success that the
 * record exists.
 */
#include <xenctrl.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <xentoollog.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/vmport-record.h"

struct live {
    xc_interface *xch;
    uint32_t domid;
};

/* A privcmd device is what every libxenctrl call needs. */
static bool xen_host(void)
{
    return access("/dev/xen/privcmd", F_OK) == 0 ||
           access("/proc/xen/privcmd", F_OK) == 0;
}

static int resolve(const char *domain, uint32_t *domid)
{
    xentoollog_logger_stdiostream *log;
    libxl_ctx *ctx = NULL;
    char *end;
    int rc = EXIT_XEN;

    *domid = strtoul(domain, &end, 0);
    if ( *domain && !*end )
        return EXIT_OK;
    log = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if ( log && libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                                (xentoollog_logger *)log) == 0 &&
         libxl_name_to_domid(ctx, domain, domid) == 0 )
        rc = EXIT_OK;
    else
        fprintf(stderr, "vmport-state: no domain named '%s'\n", domain);
    if ( ctx )
        libxl_ctx_free(ctx);
    if ( log )
        xtl_logger_destroy((xentoollog_logger *)log);
    return rc;
}

static int live_open(const char *domain, struct live *l)
{
    int rc;

    if ( !xen_host() )
    {
        fprintf(stderr, "vmport-state: not running on a Xen host (no "
                "/dev/xen/privcmd); --domain needs dom0\n");
        return EXIT_NO_XEN;
    }
    l->xch = xc_interface_open(NULL, NULL, 0);
    if ( !l->xch )
    {
        fprintf(stderr, "vmport-state: cannot open libxenctrl: %s (not "
                "running on a Xen host, or not root)\n", strerror(errno));
        return EXIT_NO_XEN;
    }
    rc = resolve(domain, &l->domid);
    if ( rc )
        xc_interface_close(l->xch);
    return rc;
}

static int get_context(struct live *l, uint8_t **blob, uint32_t *len)
{
    int size = xc_domain_hvm_getcontext(l->xch, l->domid, NULL, 0);

    if ( size <= 0 || !(*blob = malloc(size)) )
    {
        fprintf(stderr, "vmport-state: domain %u: cannot get the HVM "
                "context size: %s\n", l->domid, strerror(errno));
        return EXIT_XEN;
    }
    size = xc_domain_hvm_getcontext(l->xch, l->domid, *blob, size);
    if ( size <= 0 )
    {
        fprintf(stderr, "vmport-state: domain %u: cannot get the HVM "
                "context: %s\n", l->domid, strerror(errno));
        free(*blob);
        *blob = NULL;
        return EXIT_XEN;
    }
    *len = size;
    return EXIT_OK;
}

int live_get_context(const char *domain, uint8_t **blob, uint32_t *len,
                     uint32_t *domid)
{
    struct live l;
    int rc = live_open(domain, &l);

    *domid = l.domid;
    if ( rc )
        return rc;
    rc = get_context(&l, blob, len);
    xc_interface_close(l.xch);
    return rc;
}

static int probe_vmport(struct live *l)
{
    uint8_t byte;

    if ( xc_domain_hvm_getcontext_partial(l->xch, l->domid,
                                          HVM_SAVE_CODE_VMPORT, 0, &byte,
                                          1) == 0 || errno == ENOBUFS ||
         errno == ENOENT || errno == ENODATA )
        return EXIT_OK;
    if ( errno == EINVAL || errno == ENOSYS )
    {
        fprintf(stderr, "vmport-state: domain %u: this hypervisor has no "
                "vmport support (HVM save type %u unknown to it)\n",
                l->domid, HVM_SAVE_CODE_VMPORT);
        return EXIT_NO_VMPORT;
    }
    fprintf(stderr, "vmport-state: domain %u: probing vmport: %s\n",
            l->domid, strerror(errno));
    return EXIT_XEN;
}

int live_check_vmport(const char *domain)
{
    struct live l;
    int rc = live_open(domain, &l);

    if ( rc )
        return rc;
    rc = probe_vmport(&l);
    xc_interface_close(l.xch);
    return rc;
}

int live_edit_context(const char *domain, live_edit_fn *fn, void *opaque)
{
    struct live l;
    uint8_t *blob = NULL;
    uint32_t len;
    int rc = live_open(domain, &l);

    if ( rc )
        return rc;
    rc = probe_vmport(&l);
    if ( rc )
        goto out;
    if ( xc_domain_pause(l.xch, l.domid) )
    {
        fprintf(stderr, "vmport-state: cannot pause domain %u: %s\n",
                l.domid, strerror(errno));
        rc = EXIT_XEN;
        goto out;
    }
    rc = get_context(&l, &blob, &len);
    if ( !rc )
        rc = fn(&blob, &len, opaque);
    if ( !rc && xc_domain_hvm_setcontext(l.xch, l.domid, blob, len) )
    {
        fprintf(stderr, "vmport-state: domain %u: setting the HVM context "
                "failed: %s\n", l.domid, strerror(errno));
        rc = errno == EINVAL ? EXIT_NO_VMPORT : EXIT_XEN;
    }
    xc_domain_unpause(l.xch, l.domid);
 out:
    free(blob);
    xc_interface_close(l.xch);
    return rc;
}
