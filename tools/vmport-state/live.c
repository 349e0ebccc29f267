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
 *
 * The Xen libraries are loaded with dlopen() on first use, so offline
 * commands do not pay for loading libxenlight and its dependencies (a
 * good part of a `records` run on a large image) and run where the Xen
 * runtime libraries are not installed.
 */
#include <xenctrl.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <xentoollog.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include <vmport-record.h>

/* The entry points used, resolved at run time. */
static struct {
    xc_interface *(*interface_open)(xentoollog_logger *, xentoollog_logger *,
                                    unsigned int);
    int (*interface_close)(xc_interface *);
    int (*getcontext)(xc_interface *, uint32_t, uint8_t *, uint32_t);
    int (*getcontext_partial)(xc_interface *, uint32_t, uint16_t, uint16_t,
                              void *, uint32_t);
    int (*setcontext)(xc_interface *, uint32_t, uint8_t *, uint32_t);
    int (*pause)(xc_interface *, uint32_t);
    int (*unpause)(xc_interface *, uint32_t);
    int (*ctx_alloc)(libxl_ctx **, int, unsigned int, xentoollog_logger *);
    int (*ctx_free)(libxl_ctx *);
    int (*name_to_domid)(libxl_ctx *, const char *, uint32_t *);
    xentoollog_logger_stdiostream *(*logger)(FILE *, xentoollog_level,
                                             unsigned int);
    void (*logger_destroy)(xentoollog_logger *);
} xen;

static void *load_lib(const char *name)
{
    char so[64];
    void *h;

    snprintf(so, sizeof(so), "%s.so", name);
    h = dlopen(so, RTLD_NOW | RTLD_GLOBAL);
    if ( !h )
    {
        snprintf(so, sizeof(so), "%s.so.4.17", name);
        h = dlopen(so, RTLD_NOW | RTLD_GLOBAL);
    }
    if ( !h && !strcmp(name, "libxentoollog") )
        h = dlopen("libxentoollog.so.1", RTLD_NOW | RTLD_GLOBAL);
    return h;
}

#define SYM(h, field, name) \
    (*(void **)&xen.field = dlsym(h, name)) != NULL

static int load_xen_libs(void)
{
    void *ctrl, *light, *log;

    if ( xen.interface_open )
        return 0;
    log = load_lib("libxentoollog");
    ctrl = load_lib("libxenctrl");
    light = load_lib("libxenlight");
    if ( !log || !ctrl || !light ||
         !(SYM(log, logger, "xtl_createlogger_stdiostream") &&
           SYM(log, logger_destroy, "xtl_logger_destroy") &&
           SYM(ctrl, interface_close, "xc_interface_close") &&
           SYM(ctrl, getcontext, "xc_domain_hvm_getcontext") &&
           SYM(ctrl, getcontext_partial,
               "xc_domain_hvm_getcontext_partial") &&
           SYM(ctrl, setcontext, "xc_domain_hvm_setcontext") &&
           SYM(ctrl, pause, "xc_domain_pause") &&
           SYM(ctrl, unpause, "xc_domain_unpause") &&
           SYM(light, ctx_alloc, "libxl_ctx_alloc") &&
           SYM(light, ctx_free, "libxl_ctx_free") &&
           SYM(light, name_to_domid, "libxl_name_to_domid") &&
           SYM(ctrl, interface_open, "xc_interface_open")) )
    {
        fprintf(stderr, "vmport-state: cannot load the Xen libraries "
                "(libxenctrl, libxenlight from Debian's libxenmisc4.17): "
                "%s\n", dlerror());
        xen.interface_open = NULL;
        return -1;
    }
    return 0;
}

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
    log = xen.logger(stderr, XTL_ERROR, 0);
    if ( log && xen.ctx_alloc(&ctx, LIBXL_VERSION, 0,
                                (xentoollog_logger *)log) == 0 &&
         xen.name_to_domid(ctx, domain, domid) == 0 )
        rc = EXIT_OK;
    else
        fprintf(stderr, "vmport-state: no domain named '%s'\n", domain);
    if ( ctx )
        xen.ctx_free(ctx);
    if ( log )
        xen.logger_destroy((xentoollog_logger *)log);
    return rc;
}

int live_domid(const char *domain, uint32_t *domid)
{
    if ( !xen_host() )
    {
        fprintf(stderr, "vmport-state: not running on a Xen host (no "
                "/dev/xen/privcmd); --domain needs dom0\n");
        return EXIT_NO_XEN;
    }
    if ( load_xen_libs() )
        return EXIT_XEN;
    return resolve(domain, domid);
}

static int live_open(const char *domain, struct live *l)
{
    int rc = live_domid(domain, &l->domid);

    if ( rc )
        return rc;
    l->xch = xen.interface_open(NULL, NULL, 0);
    if ( !l->xch )
    {
        fprintf(stderr, "vmport-state: cannot open libxenctrl: %s (not "
                "running on a Xen host, or not root)\n", strerror(errno));
        return EXIT_NO_XEN;
    }
    return EXIT_OK;
}

static int get_context(struct live *l, uint8_t **blob, uint32_t *len)
{
    int size = xen.getcontext(l->xch, l->domid, NULL, 0);

    if ( size <= 0 || !(*blob = malloc(size)) )
    {
        fprintf(stderr, "vmport-state: domain %u: cannot get the HVM "
                "context size: %s\n", l->domid, strerror(errno));
        return EXIT_XEN;
    }
    size = xen.getcontext(l->xch, l->domid, *blob, size);
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
    xen.interface_close(l.xch);
    return rc;
}

static int probe_vmport(struct live *l)
{
    uint8_t byte;

    if ( xen.getcontext_partial(l->xch, l->domid,
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
    xen.interface_close(l.xch);
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
    if ( xen.pause(l.xch, l.domid) )
    {
        fprintf(stderr, "vmport-state: cannot pause domain %u: %s\n",
                l.domid, strerror(errno));
        rc = EXIT_XEN;
        goto out;
    }
    rc = get_context(&l, &blob, &len);
    if ( !rc )
        rc = fn(&blob, &len, opaque);
    if ( !rc && xen.setcontext(l.xch, l.domid, blob, len) )
    {
        fprintf(stderr, "vmport-state: domain %u: setting the HVM context "
                "failed: %s\n", l.domid, strerror(errno));
        rc = errno == EINVAL ? EXIT_NO_VMPORT : EXIT_XEN;
    }
    xen.unpause(l.xch, l.domid);
 out:
    free(blob);
    xen.interface_close(l.xch);
    return rc;
}
