/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rpci.c: guest->host RPCI requests and their replies.
 *
 * A request is a command name, then a space and its arguments.  Clients
 * differ in what follows (protocol reference 3.1): vmtoolsd includes the C
 * terminator, RpcOut_sendOne cuts the trailing space off bare commands and
 * OpenBSD sends a whole zero-padded 4 KiB buffer.  So the name ends at the
 * first space or NUL, and string-valued commands stop at the first NUL.
 * Every reply starts with "1 " (success) or "0 " (failure).
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/string.h>

#include "private.h"

#define REPLY_OK            "1 "
#define REPLY_NO_VALUE      "0 No value found"
#define REPLY_UNKNOWN       "0 Unknown command"

/* A request split into its name and the (possibly empty) arguments. */
struct rpci_req {
    const char *name;
    uint32_t name_len;
    const char *args;
    uint32_t args_len;
};

static void rpci_split(const uint8_t *msg, uint32_t len, struct rpci_req *r)
{
    uint32_t i = 0;

    if ( !msg )
        msg = (const uint8_t *)"";

    while ( i < len && msg[i] != ' ' && msg[i] != '\0' )
        i++;

    r->name = (const char *)msg;
    r->name_len = i;
    r->args = (const char *)msg + i;
    r->args_len = 0;

    /* Arguments only follow a space; a NUL ends the request. */
    if ( i < len && msg[i] == ' ' )
    {
        r->args++;
        r->args_len = len - i - 1;
    }
}

/* Cut string-valued arguments at the first NUL. */
static uint32_t rpci_strlen(const char *s, uint32_t len)
{
    const char *nul = memchr(s, '\0', len);

    return nul ? nul - s : len;
}

static bool rpci_is(const struct rpci_req *r, const char *name)
{
    size_t n = strlen(name);

    return r->name_len == n && !memcmp(r->name, name, n);
}

static bool rpci_has_prefix(const struct rpci_req *r, const char *prefix)
{
    size_t n = strlen(prefix);

    return r->name_len >= n && !memcmp(r->name, prefix, n);
}

static void rpci_reply(struct vmport_domain *vd, struct vmport_channel *c,
                       const void *data, uint32_t len)
{
    if ( vmport_channel_set_reply(vd, c, data, len) )
        gdprintk(XENLOG_WARNING, "vmport: no memory for a %u byte reply\n",
                 len);
}

static void rpci_reply_str(struct vmport_domain *vd,
                           struct vmport_channel *c, const char *s)
{
    rpci_reply(vd, c, s, strlen(s));
}

static void rpci_info_get(struct vmport_domain *vd, struct vmport_channel *c,
                          const struct rpci_req *r)
{
    uint32_t klen = rpci_strlen(r->args, r->args_len);
    const struct vmport_gi_entry *e;
    uint8_t *buf;
    uint32_t len;

    if ( vmport_gi_get(vd, r->args, klen, &e) )
    {
        rpci_reply_str(vd, c, REPLY_NO_VALUE);
        return;
    }

    /* Build "1 <value>" straight into the channel's reply buffer. */
    len = 2 + e->vlen;
    vmport_channel_recv_reset(vd, c);
    if ( vmport_msg_alloc(vd, &c->recv, len) )
    {
        rpci_reply_str(vd, c, "0 Out of memory");
        return;
    }

    buf = c->recv.data;
    memcpy(buf, REPLY_OK, 2);
    if ( e->vlen )
        memcpy(buf + 2, e->val, e->vlen);
    c->recv_state = VMPORT_RECV_READY;
}

static const char *rpci_set_error(int rc)
{
    switch ( rc )
    {
    case -ENAMETOOLONG: return "0 Key too long";
    case -EINVAL:       return "0 Invalid key";
    case -E2BIG:        return "0 Value too long";
    case -EMFILE:       return "0 Too many keys";
    case -ENOSPC:       return "0 Guestinfo size limit reached";
    default:            return "0 Out of memory";
    }
}

/* "info-set guestinfo.<key> <value>": the value is all after the key. */
static void rpci_info_set(struct vmport_domain *vd, struct vmport_channel *c,
                          const struct rpci_req *r)
{
    uint32_t len = rpci_strlen(r->args, r->args_len);
    const char *sp = memchr(r->args, ' ', len);
    uint32_t klen;
    int rc;

    if ( !sp )
    {
        rpci_reply_str(vd, c, "0 Two and exactly two arguments expected");
        return;
    }

    klen = sp - r->args;
    rc = vmport_gi_set(vd, r->args, klen, (const uint8_t *)sp + 1,
                       len - klen - 1);
    rpci_reply_str(vd, c, rc ? rpci_set_error(rc) : REPLY_OK);
}

/* "tools.os.statechange.status <success> <state>". */
static void rpci_statechange(struct vmport_domain *vd,
                             struct vmport_channel *c,
                             const struct rpci_req *r)
{
    uint32_t len = rpci_strlen(r->args, r->args_len), i = 0;
    uint32_t val[2] = { 0, 0 };
    unsigned int n;

    for ( n = 0; n < 2; n++ )
    {
        bool digits = false;

        while ( i < len && r->args[i] == ' ' )
            i++;
        /* Saturate rather than overflow on absurdly long numbers. */
        while ( i < len && r->args[i] >= '0' && r->args[i] <= '9' )
        {
            if ( val[n] < 0x10000 )
                val[n] = val[n] * 10 + (r->args[i] - '0');
            i++;
            digits = true;
        }
        if ( !digits )
        {
            rpci_reply_str(vd, c, "0 Invalid arguments");
            return;
        }
    }

    vmport_tclo_statechange(vd, val[0], val[1]);
    rpci_reply_str(vd, c, REPLY_OK);
}

void vmport_rpci_request(struct vmport_domain *vd, struct vmport_channel *c,
                         const uint8_t *msg, uint32_t len)
{
    struct rpci_req r;

    rpci_split(msg, len, &r);

    if ( rpci_is(&r, "info-get") )
        rpci_info_get(vd, c, &r);
    else if ( rpci_is(&r, "info-set") )
        rpci_info_set(vd, c, &r);
    else if ( rpci_is(&r, "tools.os.statechange.status") )
        rpci_statechange(vd, c, &r);
    /* Acknowledged; nothing the host needs from them.  "log" stays short. */
    else if ( rpci_is(&r, "log") ||
              rpci_is(&r, "tools.set.version") ||
              rpci_is(&r, "tools.set.versiontype") ||
              rpci_is(&r, "vmx.capability.unified_loop") ||
              rpci_has_prefix(&r, "tools.capability.") )
        rpci_reply_str(vd, c, REPLY_OK);
    else
        rpci_reply_str(vd, c, REPLY_UNKNOWN);
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
