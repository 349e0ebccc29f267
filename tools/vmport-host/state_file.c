/*
 * state_file.c: the domain's state as a libxc-format stream.
 *
 * --state-out writes a real libxc stream (through libvmport-stream) whose
 * HVM_CONTEXT holds HEADER (with the domain's TSC kHz in gtsc_khz), the
 * VMPORT record and END; --state-out-fd writes the same to a descriptor
 * (a pipe or socket to whoever moves it on: no file on the way), closed
 * once written; --state-in reads any image the library reads (xl save
 * file, libxl or libxc stream, raw HVM context, gzip of those) from a
 * file or, given -, from stdin, and loads the first VMPORT record it finds.
 */

#define __XEN_TOOLS__ 1

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/hvm/save.h>

#include <vmport-record.h>
#include <vmport-stream.h>

#include "host.h"

#define HVM_SAVE_CODE_VMPORT    64
#define DESC_LEN                8   /* u16 typecode, u16 instance, u32 len */

static int build_blob(struct host *h, struct vs_buf *b)
{
    struct hvm_save_header hdr = {
        .magic = HVM_FILE_MAGIC,
        .version = HVM_FILE_VERSION,
        .gtsc_khz = host_dm_tsc_khz(h->dm),
    };
    void *rec = NULL;
    size_t len;
    int rc;

    rc = host_dm_save(h->dm, &rec, &len);
    if ( rc )
        return rc;
    if ( vs_hvm_append(b, HVM_SAVE_CODE(HEADER), 0, &hdr, sizeof(hdr)) ||
         vs_hvm_append(b, HVM_SAVE_CODE_VMPORT, 0, rec, len) ||
         vs_hvm_append(b, HVM_SAVE_CODE(END), 0, NULL, 0) )
        rc = -ENOMEM;
    free(rec);
    return rc;
}

/*
 * Space --state-out must find free before the guest starts: the state
 * stream of a vmport domain is a few KiB (the device model's bounds
 * allow more, but a host that cannot write 1 MiB will not save one).
 */
#define STATE_OUT_MIN_FREE  (1U << 20)

/*
 * --state-out is checked before the guest runs (a state that cannot be
 * written would lose every RPC the guest saw acknowledged): the same
 * checks the write makes (vs_file_open: kind of file, links, permission,
 * a temporary in its directory), then the free space there.
 */
static int state_file_check(const char *path)
{
    struct statvfs sv;
    struct vs_file f;
    int rc = 0;

    if ( vs_file_open(&f, path, 0, "vmport-host: --state-out", stderr) )
        return -1;
    if ( fstatvfs(f.fd, &sv) == 0 &&
         (uint64_t)sv.f_bavail * sv.f_frsize < STATE_OUT_MIN_FREE )
    {
        fprintf(stderr, "vmport-host: --state-out %s: only %llu KiB free "
                "there, at least %u KiB needed\n", path,
                (unsigned long long)sv.f_bavail * sv.f_frsize >> 10,
                STATE_OUT_MIN_FREE >> 10);
        rc = -1;
    }
    vs_file_abort(&f);
    return rc;
}

static int state_file_write(struct host *h, const char *path)
{
    struct vs_buf b = { 0 };
    struct vs_file f;
    int rc = -1;

    if ( build_blob(h, &b) )
    {
        fprintf(stderr, "vmport-host: --state-out %s: cannot save the "
                "domain's state\n", path);
        goto out;
    }
    /* The tools' one way to replace a file (vmport-stream.h). */
    if ( vs_file_open(&f, path, 0, "vmport-host: --state-out", stderr) )
        goto out;
    errno = 0;
    if ( vs_write_hvm_state(f.fd, b.p, b.len) )
    {
        vs_file_write_error(&f, errno);
        vs_file_abort(&f);
        goto out;
    }
    rc = vs_file_commit(&f);
 out:
    vs_buf_free(&b);
    return rc;
}

bool state_out_wanted(const struct host *h)
{
    return h->opt.state_out || h->opt.state_out_fd >= 0;
}

const char *state_out_name(const struct host *h)
{
    static char name[32];

    if ( h->opt.state_out )
        return h->opt.state_out;
    snprintf(name, sizeof(name), "descriptor %d", h->opt.state_out_fd);
    return name;
}

/*
 * --state-out-fd: open, and a pipe, socket or regular file (no terminal:
 * the stream is binary); kept from the guest (close-on-exec).
 */
int state_out_check(struct host *h)
{
    int fd = h->opt.state_out_fd;
    struct stat st;

    if ( h->opt.state_out )
        return state_file_check(h->opt.state_out);
    if ( fstat(fd, &st) )
    {
        fprintf(stderr, "vmport-host: --state-out-fd %d: %s\n", fd,
                strerror(errno));
        return -1;
    }
    if ( !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) &&
         !S_ISREG(st.st_mode) )
    {
        fprintf(stderr, "vmport-host: --state-out-fd %d: not a pipe, "
                "socket or regular file\n", fd);
        return -1;
    }
    return fcntl(fd, F_SETFD, FD_CLOEXEC) ? -1 : 0;
}

int state_out_write(struct host *h)
{
    struct vs_buf b = { 0 };
    int fd = h->opt.state_out_fd, rc = -1;

    if ( h->opt.state_out )
        return state_file_write(h, h->opt.state_out);
    if ( h->state_written )
    {
        fprintf(stderr, "vmport-host: --state-out-fd %d: the state was "
                "already written\n", fd);
        return -1;
    }
    if ( build_blob(h, &b) )
        fprintf(stderr, "vmport-host: --state-out-fd %d: cannot save the "
                "domain's state\n", fd);
    else if ( (errno = 0, vs_write_hvm_state(fd, b.p, b.len)) )
        fprintf(stderr, "vmport-host: --state-out-fd %d: write error: %s\n",
                fd, strerror(errno ? errno : EIO));
    else
        rc = 0;
    vs_buf_free(&b);
    /* The reader's end of the stream, whatever happened. */
    close(fd);
    h->state_written = true;
    return rc;
}

static uint16_t get16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

struct rec_where {
    const char *path;
    uint32_t blob_off;
};

static void rec_problem(void *opaque, uint32_t offset, const char *field,
                        const char *msg)
{
    const struct rec_where *w = opaque;

    fprintf(stderr, "vmport-host: --state-in %s: VMPORT record (HVM blob "
            "offset %u) offset %u, %s: %s\n", w->path, w->blob_off, offset,
            field ? field : "record", msg);
}

/* Every problem of the record, named; then the device model's own check. */
/* The trigger's state as the record carries it, 0 if none. */
static unsigned int record_trigger_state(const uint8_t *body, uint32_t blen)
{
    unsigned int state = 0;
    struct vrec r;

    if ( vrec_parse(body, blen, &r, NULL, NULL) )
        return 0;
    if ( r.has_trigger )
        state = r.trigger.state;
    vrec_free(&r);
    return state;
}

static int load_vmport(struct host *h, const char *path, uint32_t off,
                       const uint8_t *body, uint32_t blen)
{
    struct rec_where w = { path, off };

    if ( vrec_verify(body, blen, rec_problem, &w) )
        return -1;
    if ( host_dm_load(h->dm, body, blen) )
    {
        fprintf(stderr, "vmport-host: --state-in %s: the VMPORT record at "
                "HVM blob offset %u does not fit this domain\n", path, off);
        return -1;
    }
    /* Parsed again only for --tclo-every: adoption is the guest's downtime. */
    if ( h->opt.tclo_every )
        triggers_adopted(h, record_trigger_state(body, blen));
    return 0;
}

/* Walk the HVM descriptors: the HEADER's gtsc_khz, then the VMPORT. */
static int load_blob(struct host *h, const char *path, const uint8_t *blob,
                     uint32_t len)
{
    uint32_t off = 0;
    bool found = false;

    while ( off + DESC_LEN <= len )
    {
        uint16_t type = get16(blob + off);
        uint32_t blen = get32(blob + off + 4);
        const uint8_t *body = blob + off + DESC_LEN;

        if ( blen > len - off - DESC_LEN )
        {
            fprintf(stderr, "vmport-host: --state-in %s: HVM record %u at "
                    "blob offset %u: length %u overruns the blob\n", path,
                    type, off, blen);
            return -1;
        }
        if ( type == HVM_SAVE_CODE(HEADER) &&
             blen >= sizeof(struct hvm_save_header) )
        {
            const struct hvm_save_header *hdr = (const void *)body;

            if ( hdr->gtsc_khz )
                host_dm_set_tsc_khz(h->dm, hdr->gtsc_khz);
        }
        else if ( type == HVM_SAVE_CODE_VMPORT && !found )
        {
            if ( load_vmport(h, path, off, body, blen) )
                return -1;
            found = true;
        }
        else if ( type == HVM_SAVE_CODE(END) )
            break;
        off += DESC_LEN + blen;
    }
    if ( !found )
    {
        fprintf(stderr, "vmport-host: --state-in %s: no VMPORT record\n",
                path);
        return -1;
    }
    return 0;
}

int state_file_read(struct host *h, const char *path)
{
    uint8_t *blob = NULL;
    uint32_t len = 0;
    bool std_in = !strcmp(path, "-");
    int fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC), rc;
    struct stat st;

    /* A directory opens but never reads: said as open() would say it. */
    if ( fd >= 0 && !fstat(fd, &st) && S_ISDIR(st.st_mode) )
    {
        close(fd);
        fd = -1;
        errno = EISDIR;
    }
    if ( fd < 0 )
    {
        fprintf(stderr, "vmport-host: --state-in %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    rc = vs_read_hvm_context(fd, std_in ? "stdin" : path, &blob, &len,
                             stderr);
    if ( !std_in )
        close(fd);
    if ( !rc )
        rc = load_blob(h, path, blob, len);
    free(blob);
    return rc;
}

/* Commands in a saved record: what --tclo-every's driver adds up. */
unsigned long state_tclo_pending(struct host *h)
{
    static const char halt[] = "OS_Halt", reboot[] = "OS_Reboot";
    unsigned long n = 0;
    unsigned int a, c;
    struct vrec r;
    void *rec = NULL;
    size_t len;

    if ( !h->dm || host_dm_save(h->dm, &rec, &len) )
        return 0;
    if ( !vrec_parse(rec, len, &r, NULL, NULL) )
    {
        for ( a = 0; a < r.nr_apps; a++ )
            for ( c = 0; c < r.apps[a].app.count; c++ )
            {
                const struct vrec_cmd *k = &r.apps[a].cmds[c];

                if ( (k->len == sizeof(halt) &&
                      !memcmp(k->data, halt, sizeof(halt))) ||
                     (k->len == sizeof(reboot) &&
                      !memcmp(k->data, reboot, sizeof(reboot))) )
                    n++;
            }
        vrec_free(&r);
    }
    free(rec);
    return n;
}
