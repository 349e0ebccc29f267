/*
 * vs_file.c: replacing a file without losing it (vmport-stream.h,
 * "replacing a file").  Every writer of the tools goes through here:
 * vmport-state's in-place edits (guestinfo, trigger), convert, encode and
 * gen outputs, vmport-host's --state-out.
 *
 * The rules, one place each:
 *  - the path is resolved first: a symlink's target is what is replaced,
 *    the link stays a link;
 *  - only a regular file is replaced (a directory, FIFO, device or socket
 *    is refused, never opened for writing);
 *  - a file with more than one hard link is refused: a rename would give
 *    this name a new inode and leave the other names on the old one;
 *  - a file without write permission is refused unless VS_FILE_FORCE;
 *  - the old file is flock()ed (LOCK_EX) and the lock re-checked against
 *    the path, so a second editor waits and then reads the new contents;
 *  - the new contents go to PATH.XXXXXX beside it with the old file's
 *    owner, group and mode, then fsync, rename, fsync of the directory;
 *  - on any failure the temporary is removed and the file is untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vmport-stream.h>

static int fail(struct vs_file *f, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct vs_file *f, int err, const char *fmt, ...)
{
    va_list ap;

    f->err = err ? err : EIO;
    if ( f->errf )
    {
        fprintf(f->errf, "%s: ", f->prog);
        va_start(ap, fmt);
        vfprintf(f->errf, fmt, ap);
        va_end(ap);
        fputc('\n', f->errf);
    }
    return -1;
}

static const char *kind_name(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" :
           S_ISCHR(m) ? "a character device" :
           S_ISBLK(m) ? "a block device" :
           S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* May this process write the file (as root: has it any write bit)? */
static bool writable(const char *path, const struct stat *st)
{
    if ( geteuid() == 0 )
        return st->st_mode & 0222;
    return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

/* The path to replace: a symlink's final target; ENOENT: a new file. */
static int resolve(struct vs_file *f, const char *path)
{
    struct stat lst;

    if ( lstat(path, &lst) )
    {
        if ( errno != ENOENT )
            return fail(f, errno, "%s: %s", path, strerror(errno));
        f->path = strdup(path);
        return f->path ? 0 : fail(f, ENOMEM, "out of memory");
    }
    if ( !S_ISLNK(lst.st_mode) )
    {
        f->path = strdup(path);
        return f->path ? 0 : fail(f, ENOMEM, "out of memory");
    }
    f->path = realpath(path, NULL);
    if ( !f->path )
        return fail(f, errno, "%s: a symlink whose target cannot be "
                    "resolved (%s); not replacing it", path,
                    strerror(errno));
    return 0;
}

/* Open and lock the existing file; retry if it was replaced meanwhile. */
static int lock_old(struct vs_file *f)
{
    struct stat st, now;

    for ( ;; )
    {
        if ( stat(f->path, &st) == 0 && !S_ISREG(st.st_mode) )
            return fail(f, EINVAL, "%s: %s, not a regular file; refusing "
                        "to replace it", f->path, kind_name(st.st_mode));
        f->lock_fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
                          O_NOFOLLOW);
        if ( f->lock_fd < 0 )
        {
            if ( errno == ENOENT )
                return 0;               /* gone: a new file after all */
            if ( errno == ENXIO || errno == ELOOP )
                return fail(f, errno, "%s: not a regular file; refusing "
                            "to replace it", f->path);
            return fail(f, errno, "%s: %s", f->path, strerror(errno));
        }
        if ( fstat(f->lock_fd, &st) )
            return fail(f, errno, "%s: %s", f->path, strerror(errno));
        if ( !S_ISREG(st.st_mode) )
            return fail(f, EINVAL, "%s: %s, not a regular file; refusing "
                        "to replace it", f->path, kind_name(st.st_mode));
        if ( flock(f->lock_fd, LOCK_EX) )
            return fail(f, errno, "%s: cannot lock it: %s", f->path,
                        strerror(errno));
        if ( stat(f->path, &now) == 0 && now.st_dev == st.st_dev &&
             now.st_ino == st.st_ino )
            break;
        close(f->lock_fd);              /* replaced while we waited */
        f->lock_fd = -1;
    }
    (void)fcntl(f->lock_fd, F_SETFL, 0);
    f->st = st;
    f->exists = true;
    return 0;
}

static int check_old(struct vs_file *f, unsigned int flags)
{
    if ( f->st.st_nlink > 1 )
        return fail(f, EMLINK, "%s has %lu hard links: replacing it would "
                    "split them (this name would get the new contents, "
                    "the others keep the old); refusing, edit a copy",
                    f->path, (unsigned long)f->st.st_nlink);
    if ( !(flags & VS_FILE_FORCE) && !writable(f->path, &f->st) )
        return fail(f, EACCES, "%s: no write permission (mode %04o); "
                    "refusing to replace it (--force to override)",
                    f->path, (unsigned int)(f->st.st_mode & 07777));
    return 0;
}

/* The temporary, with the old file's owner, group and mode. */
static int make_temp(struct vs_file *f)
{
    mode_t mask;

    if ( asprintf(&f->tmp, "%s.XXXXXX", f->path) < 0 )
    {
        f->tmp = NULL;
        return fail(f, ENOMEM, "out of memory");
    }
    f->fd = mkostemp(f->tmp, O_CLOEXEC);
    if ( f->fd < 0 )
    {
        int e = errno;

        free(f->tmp);
        f->tmp = NULL;
        return fail(f, e, "%s: cannot create a temporary file beside it: "
                    "%s", f->path, strerror(e));
    }
    if ( !f->exists )
    {
        mask = umask(0);
        umask(mask);
        return fchmod(f->fd, 0666 & ~mask) ?
            fail(f, errno, "%s: %s", f->tmp, strerror(errno)) : 0;
    }
    if ( (f->st.st_uid != geteuid() || f->st.st_gid != getegid()) &&
         fchown(f->fd, f->st.st_uid, f->st.st_gid) )
        return fail(f, errno, "%s: cannot keep its owner %u:%u (%s); "
                    "refusing to replace it", f->path,
                    (unsigned int)f->st.st_uid, (unsigned int)f->st.st_gid,
                    strerror(errno));
    if ( fchmod(f->fd, f->st.st_mode & 07777) )
        return fail(f, errno, "%s: cannot keep its mode %04o: %s", f->path,
                    (unsigned int)(f->st.st_mode & 07777), strerror(errno));
    return 0;
}

int vs_file_open(struct vs_file *f, const char *path, unsigned int flags,
                 const char *prog, FILE *errf)
{
    memset(f, 0, sizeof(*f));
    f->fd = f->lock_fd = -1;
    f->prog = prog;
    f->errf = errf;
    if ( resolve(f, path) || lock_old(f) )
        goto err;
    if ( !f->exists && (flags & VS_FILE_EXISTING) )
    {
        fail(f, ENOENT, "%s: %s", path, strerror(ENOENT));
        goto err;
    }
    if ( (f->exists && check_old(f, flags)) || make_temp(f) )
        goto err;
    return 0;

 err:
    vs_file_abort(f);
    return -1;
}

int vs_file_write_error(struct vs_file *f, int err)
{
    return fail(f, err, "write error: %s: %s (%s)", f->path,
                strerror(err ? err : EIO),
                f->exists ? "the file is left unchanged" : "not created");
}

int vs_file_commit(struct vs_file *f)
{
    char *dir;
    int dfd, rc = 0;

    if ( fsync(f->fd) || close(f->fd) )
    {
        f->fd = -1;
        vs_file_write_error(f, errno);
        vs_file_abort(f);
        return -1;
    }
    f->fd = -1;
    if ( rename(f->tmp, f->path) )
    {
        fail(f, errno, "%s: cannot rename %s over it: %s (the file is "
             "left unchanged)", f->path, f->tmp, strerror(errno));
        vs_file_abort(f);
        return -1;
    }
    free(f->tmp);
    f->tmp = NULL;
    dir = strdup(f->path);
    if ( dir )
    {
        dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if ( dfd >= 0 )
        {
            if ( fsync(dfd) && errno != EINVAL )
                rc = fail(f, errno, "%s: fsync of its directory: %s",
                          f->path, strerror(errno));
            close(dfd);
        }
        free(dir);
    }
    vs_file_abort(f);               /* unlocks; nothing left to remove */
    return rc;
}

void vs_file_abort(struct vs_file *f)
{
    if ( f->fd >= 0 )
        close(f->fd);
    if ( f->tmp )
        unlink(f->tmp);
    if ( f->lock_fd >= 0 )
        close(f->lock_fd);
    free(f->tmp);
    free(f->path);
    f->tmp = f->path = NULL;
    f->fd = f->lock_fd = -1;
}
