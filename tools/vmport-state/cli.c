/*
 * cli.c: helpers shared by the subcommands: argument help, opening
 * inputs, loading an HVM context from a file or a domain, and rewriting a
 * file safely (temporary in the same directory, fsync, rename).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_version(void)
{
    printf("vmport-state (xen-vmport) %s\n", XEN_VMPORT_VERSION);
}

bool cli_help(const struct cmd *c, int argc, char **argv)
{
    int i;

    for ( i = 1; i < argc && strcmp(argv[i], "--"); i++ )
        if ( !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") )
        {
            printf("usage: vmport-state %s\n\n%s\n", c->usage, c->summary);
            return true;
        }
        else if ( !strcmp(argv[i], "--version") )
        {
            cli_version();
            return true;
        }
    return false;
}

/* Is --NAME (NAME may end in "=...") an option of @opts with a value? */
static bool takes_value(const struct option *opts, const char *name)
{
    size_t n = strcspn(name, "=");

    for ( ; opts->name; opts++ )
        if ( strlen(opts->name) == n && !strncmp(opts->name, name, n) )
            return opts->has_arg == required_argument;
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
        const char *arg = argv[optind - 1];

        /* getopt saw a known option without its value, or an unknown one */
        if ( arg[0] == '-' && arg[1] == '-' )
            cli_usage_error(c, takes_value(opts, arg + 2) ?
                            "option '%s' needs a value" :
                            "unknown option '%s'", arg);
        else if ( optopt && strchr(shortopts, optopt) )
            cli_usage_error(c, "option '-%c' needs a value", optopt);
        else
            cli_usage_error(c, "unknown option '-%c'", optopt);
        return CLI_OPT_BAD;
    }
    return o;
}

int cli_uint(const struct cmd *c, const char *opt, const char *arg,
             unsigned long min, unsigned long max, unsigned long *out)
{
    unsigned long v;
    char *end;

    errno = 0;
    v = strtoul(arg, &end, 0);
    if ( !isdigit((unsigned char)arg[0]) || *end || errno || v < min ||
         v > max )
        return cli_usage_error(c, "%s: '%s' is not a number in %lu..%lu",
                               opt, arg, min, max);
    *out = v;
    return EXIT_OK;
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
    const char *end;
    va_list ap;

    fprintf(stderr, "vmport-state %s: ", c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    /* The synopsis only (the usage up to its first blank line). */
    end = strstr(c->usage, "\n\n");
    fprintf(stderr, "\nusage: vmport-state %.*s\n(vmport-state %s --help "
            "for more)\n", end ? (int)(end - c->usage) : (int)strlen(c->usage),
            c->usage, c->name);
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
    else
    {
        struct stat st;

        /* Opened, but never readable: said as open() says it (exit 3). */
        if ( !fstat(fd, &st) && S_ISDIR(st.st_mode) )
        {
            fprintf(stderr, "vmport-state: %s: %s\n", path,
                    strerror(EISDIR));
            close(fd);
            fd = -1;
        }
    }
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
        rc = !rc ? EXIT_OK : vs_read_error(s) || !vs_problems(s) ?
             EXIT_IO : EXIT_PROBLEMS;
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

unsigned int cli_out_flags;

int cli_out_open(struct cli_out *o, const char *path, unsigned int flags)
{
    o->to_file = strcmp(path, "-") != 0;
    o->name = o->to_file ? path : "standard output";
    if ( !o->to_file )
    {
        o->fd = STDOUT_FILENO;
        return 0;
    }
    if ( vs_file_open(&o->f, path, flags | cli_out_flags, cli_prog,
                      stderr) )
        return -1;
    o->fd = o->f.fd;
    return 0;
}

int cli_out_finish(struct cli_out *o, int rc, int write_err)
{
    if ( write_err )
    {
        if ( o->to_file )
            vs_file_write_error(&o->f, write_err);
        else
            fprintf(stderr, "%s: write error: %s: %s\n", cli_prog, o->name,
                    strerror(write_err));
        rc = EXIT_IO;
    }
    if ( !o->to_file )
        return rc;
    if ( rc )
    {
        vs_file_abort(&o->f);
        return rc;
    }
    return vs_file_commit(&o->f) ? EXIT_IO : EXIT_OK;
}

/* OUT.gz is written with gzip, OUT.xz with xz; else as the input was. */
static unsigned int out_compression(const char *out)
{
    size_t n = strlen(out);

    if ( n > 3 && !strcmp(out + n - 3, ".xz") )
        return VS_OPEN_XZ_OUT;
    if ( n > 3 && !strcmp(out + n - 3, ".gz") )
        return VS_OPEN_GZIP_OUT;
    return 0;
}

int cli_copy(const char *in, const char *out, vs_visit_fn *fn, void *opaque,
             unsigned int flags)
{
    struct cli_out o;
    struct vs_stream *s = NULL;
    int ifd, rc = EXIT_OK, werr = 0;

    /* The output first: its lock is held before the input is read, so an
     * edit in place reads what the previous editor wrote. */
    if ( cli_out_open(&o, out, (flags & CLI_COPY_IN_PLACE) ?
                      VS_FILE_EXISTING : 0) )
        return EXIT_IO;
    ifd = cli_open_in(in);
    if ( ifd < 0 )
        return cli_out_finish(&o, EXIT_IO, 0);
    /* A copy stops at the first problem: nothing re-framed goes out. */
    s = cli_stream_open(ifd, in, o.fd,
                        (flags & ~CLI_COPY_IN_PLACE) | cli_stream_flags() |
                        out_compression(out) | VS_OPEN_STOP_AT_PROBLEM);
    if ( !s )
        rc = EXIT_IO;
    else if ( vs_walk(s, fn, opaque) )
    {
        werr = vs_write_error(s);
        rc = vs_read_error(s) || !vs_problems(s) ? EXIT_IO : EXIT_PROBLEMS;
    }
    vs_close(s);
    if ( ifd != STDIN_FILENO )
        close(ifd);
    return cli_out_finish(&o, rc, werr);
}

int cli_rewrite(const char *file, vs_visit_fn *fn, void *opaque)
{
    if ( !strcmp(file, "-") )
    {
        fprintf(stderr, "vmport-state: a file to rewrite cannot be stdin\n");
        return EXIT_USAGE;
    }
    return cli_copy(file, file, fn, opaque, CLI_COPY_IN_PLACE);
}
