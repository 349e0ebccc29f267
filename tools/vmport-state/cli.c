/*
 * cli.c: helpers shared by the subcommands: argument help, opening
 * inputs, loading an HVM context from a file or a domain, and rewriting a
 * file safely (temporary in the same directory, fsync, rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

bool cli_help(const struct cmd *c, int argc, char **argv)
{
    int i;

    for ( i = 1; i < argc; i++ )
        if ( !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") )
        {
            printf("usage: vmport-state %s\n\n%s\n", c->usage, c->summary);
            return true;
        }
    return false;
}

int cli_getopt(const struct cmd *c, int argc, char **argv,
               const char *shortopts, const struct option *opts)
{
    int o;

    opterr = 0;
    o = getopt_long(argc, argv, shortopts, opts, NULL);
    if ( o == '?' || o == ':' )
    {
        cli_usage_error(c, "unexpected '%s'", argv[optind - 1]);
        return CLI_OPT_BAD;
    }
    return o;
}

int cli_target(const struct cmd *c, int nops, char **ops, const char **file,
               const char *domain)
{
    if ( nops > 1 )
        return cli_usage_error(c, "unexpected '%s'", ops[1]);
    *file = nops ? ops[0] : NULL;
    if ( !*file == !domain )
        return cli_usage_error(c, "give FILE or --domain D");
    return EXIT_OK;
}

int cli_usage_error(const struct cmd *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "vmport-state %s: ", c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: vmport-state %s\n", c->usage);
    return EXIT_USAGE;
}

int cli_open_in(const char *path)
{
    int fd;

    if ( !strcmp(path, "-") )
        return STDIN_FILENO;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if ( fd < 0 )
        fprintf(stderr, "vmport-state: %s: %s\n", path, strerror(errno));
    return fd;
}

unsigned int cli_stream_flags(void)
{
    return isatty(STDERR_FILENO) ? VS_OPEN_PROGRESS : 0;
}

int cli_walk_file(const char *path, unsigned int flags, vs_visit_fn *fn,
                  void *opaque, void (*done)(struct vs_stream *s, int rc,
                                             void *opaque))
{
    struct vs_stream *s;
    int fd = cli_open_in(path), rc;

    if ( fd < 0 )
        return EXIT_IO;
    s = cli_stream_open(fd, path, -1, flags | cli_stream_flags());
    if ( !s )
        rc = EXIT_IO;
    else
    {
        rc = vs_walk(s, fn, opaque);
        if ( done )
            done(s, rc, opaque);
        rc = rc ? (vs_problems(s) ? EXIT_PROBLEMS : EXIT_IO) : EXIT_OK;
    }
    vs_close(s);
    if ( fd != STDIN_FILENO )
        close(fd);
    return rc;
}

int cli_load_context(const char *file, const char *domain, uint8_t **blob,
                     uint32_t *len, char *who, size_t wholen)
{
    int fd, rc;

    if ( domain )
    {
        uint32_t domid;

        rc = live_get_context(domain, blob, len, &domid);
        snprintf(who, wholen, "domain %u", domid);
        return rc;
    }
    snprintf(who, wholen, "%s", file);
    fd = cli_open_in(file);
    if ( fd < 0 )
        return EXIT_IO;
    rc = vs_read_hvm_context(fd, file, blob, len, stderr);
    if ( fd != STDIN_FILENO )
        close(fd);
    return rc ? EXIT_PROBLEMS : EXIT_OK;
}

/* A temporary next to path, with path's permissions. */
static int make_temp(const char *path, char **tmp)
{
    struct stat st;
    int fd;

    if ( asprintf(tmp, "%s.XXXXXX", path) < 0 )
        return -1;
    fd = mkostemp(*tmp, O_CLOEXEC);
    if ( fd < 0 )
    {
        fprintf(stderr, "vmport-state: cannot create %s: %s\n", *tmp,
                strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return -1;
    }
    if ( stat(path, &st) == 0 )
        (void)fchmod(fd, st.st_mode & 07777);
    return fd;
}

/* fsync the file and its directory, then rename over dst. */
static int commit_temp(int fd, const char *tmp, const char *dst)
{
    char *dir = strdup(dst);
    int dfd, rc = -1;

    if ( !dir )
        return -1;
    if ( fsync(fd) )
        fprintf(stderr, "vmport-state: fsync %s: %s\n", tmp,
                strerror(errno));
    else if ( rename(tmp, dst) )
        fprintf(stderr, "vmport-state: rename %s to %s: %s\n", tmp, dst,
                strerror(errno));
    else
    {
        rc = 0;
        dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if ( dfd >= 0 )
        {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    free(dir);
    return rc;
}

int cli_copy(const char *in, const char *out, vs_visit_fn *fn, void *opaque,
             unsigned int flags)
{
    int ifd = cli_open_in(in), ofd = STDOUT_FILENO, rc = EXIT_OK;
    bool to_file = strcmp(out, "-") != 0;
    struct vs_stream *s = NULL;
    char *tmp = NULL;

    if ( ifd < 0 )
        return EXIT_IO;
    if ( to_file && (ofd = make_temp(out, &tmp)) < 0 )
    {
        rc = EXIT_IO;
        goto out;
    }
    s = cli_stream_open(ifd, in, ofd, flags | cli_stream_flags());
    if ( !s )
    {
        rc = EXIT_IO;
        goto out;
    }
    if ( vs_walk(s, fn, opaque) )
        rc = vs_problems(s) ? EXIT_PROBLEMS : EXIT_IO;
    else if ( to_file && commit_temp(ofd, tmp, out) )
        rc = EXIT_IO;
    else if ( to_file )
    {
        free(tmp);
        tmp = NULL;
    }
 out:
    vs_close(s);
    if ( tmp )
    {
        unlink(tmp);
        free(tmp);
    }
    if ( to_file && ofd >= 0 )
        close(ofd);
    if ( ifd != STDIN_FILENO )
        close(ifd);
    return rc;
}

int cli_rewrite(const char *file, vs_visit_fn *fn, void *opaque)
{
    if ( !strcmp(file, "-") )
    {
        fprintf(stderr, "vmport-state: a file to rewrite cannot be stdin\n");
        return EXIT_USAGE;
    }
    return cli_copy(file, file, fn, opaque, 0);
}
