/*
 * cli.h: what the vmport-state subcommands share.  Each subcommand is one
 * file (cmd_*.c) with a run function and a usage text, listed in main.c.
 */
#ifndef VS_CLI_H
#define VS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vmport-stream.h>

/* Exit codes (docs/vmport-state.1, EXIT STATUS). */
enum {
    EXIT_OK = 0,
    EXIT_PROBLEMS = 1,      /* the input is invalid, or a difference */
    EXIT_USAGE = 2,
    EXIT_IO = 3,            /* cannot open, read, write or rename */
    EXIT_NO_XEN = 4,        /* --domain: not running on a Xen host */
    EXIT_NO_VMPORT = 5,     /* --domain: the hypervisor has no vmport */
    EXIT_XEN = 6,           /* --domain: a Xen call failed / no domain */
    EXIT_REFUSED = 7,       /* conversion refused by --policy refuse */
};

struct cmd {
    const char *name;
    const char *summary;
    const char *usage;      /* full --help text */
    int (*run)(int argc, char **argv);
};

extern const char *cli_prog;
extern const struct cmd cmd_records, cmd_hvmctx, cmd_verify, cmd_dump,
    cmd_encode, cmd_guestinfo, cmd_trigger, cmd_enable, cmd_convert,
    cmd_diff, cmd_filter, cmd_gen, cmd_limits;

/*
 * The next option of @c's command line: getopt_long over @opts, the
 * command's table that declares each option once, and @shortopts.
 * Returns the option's val (its argument in optarg); -1 once the options
 * are done, GNU getopt having moved the operands to argv[optind..argc),
 * so options may come before or after them ("--" ends the options); or
 * CLI_OPT_BAD after a usage message for an unknown option or a missing
 * argument (the command returns EXIT_USAGE).
 */
#define CLI_OPT_BAD (-2)
int cli_getopt(const struct cmd *c, int argc, char **argv,
               const char *shortopts, const struct option *opts);

/* "--help"/"-h" or "--version" anywhere before "--": print the usage or
 * the version, return true. */
void cli_version(void);
bool cli_help(const struct cmd *c, int argc, char **argv);
int cli_usage_error(const struct cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * The value of option @opt ("--hwver"): a decimal (or 0x) number in
 * min..max, else a usage error naming the option and the value.  Returns
 * an exit code.
 */
int cli_uint(const struct cmd *c, const char *opt, const char *arg,
             unsigned long min, unsigned long max, unsigned long *out);

/*
 * Read one JSON document from FILE ("-" is stdin), buffering at most max
 * bytes (cli_json.c).  Returns an exit code: EXIT_PROBLEMS (not JSON, too
 * long, bytes after it) or EXIT_IO, with a message naming @c and FILE.
 */
struct json_object;
int cli_json_read(const struct cmd *c, const char *path, size_t max,
                  struct json_object **out);

/* Open FILE ("-" is stdin) for reading; -1 with a message. */
int cli_open_in(const char *path);
/* Stream flags for an input: progress when stderr is a terminal. */
unsigned int cli_stream_flags(void);
/*
 * Walk FILE read-only through fn; done (may be NULL) is called with the
 * stream before it is closed.  Returns an exit code.
 */
int cli_walk_file(const char *path, unsigned int flags, vs_visit_fn *fn,
                  void *opaque, void (*done)(struct vs_stream *s, int rc,
                                             void *opaque));

/* The HVM context of FILE or of a live domain; exit code on failure. */
int cli_load_context(const char *file, const char *domain, uint8_t **blob,
                     uint32_t *len, char *who, size_t wholen);

/*
 * Writing a file: every output of vmport-state goes through
 * vs_file_open() (vmport-stream.h: a symlink's target is replaced, other
 * kinds of file refused, owner and mode kept, the old file locked,
 * temporary, fsync, rename) or is standard output ("-").
 */
struct cli_out {
    struct vs_file f;
    int fd;                 /* write here */
    bool to_file;
    const char *name;       /* for messages */
};
/* VS_FILE_FORCE when the command was given --force. */
extern unsigned int cli_out_flags;
/* Open OUT ("-": stdout); -1 with a message (EXIT_IO). */
int cli_out_open(struct cli_out *o, const char *path, unsigned int flags);
/*
 * Finish: with rc 0 and no write_err (an errno), commit; else remove the
 * temporary, leaving the file untouched.  A write_err is reported as
 * "write error: PATH: TEXT".  Returns the exit code.
 */
int cli_out_finish(struct cli_out *o, int rc, int write_err);

/*
 * Rewrite FILE in place through a visitor (cli_out_open(), reading FILE
 * under its lock).  FILE is untouched unless everything succeeded.
 * Returns an exit code.
 */
int cli_rewrite(const char *file, vs_visit_fn *fn, void *opaque);
/* Copy IN to OUT ("-" = stdout) through a visitor; flags are vs_open()'s
 * and CLI_COPY_IN_PLACE (OUT must exist). */
#define CLI_COPY_IN_PLACE   (1U << 31)
int cli_copy(const char *in, const char *out, vs_visit_fn *fn, void *opaque,
             unsigned int flags);

/* Live domains (live.c). */
/* A domain name or number to its domid. */
int live_domid(const char *domain, uint32_t *domid);
int live_get_context(const char *domain, uint8_t **blob, uint32_t *len,
                     uint32_t *domid);
/* Pause, apply edit to the context, set it back, unpause. */
typedef int live_edit_fn(uint8_t **blob, uint32_t *len, void *opaque);
int live_edit_context(const char *domain, live_edit_fn *fn, void *opaque);
/* Exit code for "does this domain's hypervisor have vmport?" */
int live_check_vmport(const char *domain);

/* The VMPORT record (cli_record.c). */
/*
 * Every stream the CLI walks is opened here: vs_open() with the record
 * library's verifier registered as the VMPORT checker, problems on stderr.
 */
struct vs_stream *cli_stream_open(int in_fd, const char *name, int out_fd,
                                  unsigned int flags);
/* Find the VMPORT body inside an HVM blob: offset of its descriptor. */
int cli_rec_find(const uint8_t *blob, uint32_t len, uint32_t *desc_off);

/* Editing the VMPORT record of a file or a domain. */
struct vrec;
/* Returns an exit code; err explains a failure. */
typedef int cli_rec_edit_fn(struct vrec *r, void *opaque, char *err,
                            size_t errlen);
/*
 * The one edit of a record: parse @len bytes at @body (NULL: start from
 * an empty record), apply @fn, emit into *@out (malloc()ed).  Returns -1
 * if it does not parse, else @fn's exit code or EXIT_PROBLEMS if the
 * result is refused; @err explains a failure.
 */
int cli_rec_rewrite(const uint8_t *body, uint32_t len, cli_rec_edit_fn *fn,
                    void *opaque, uint8_t **out, size_t *outlen, char *err,
                    size_t errlen);
int cli_rec_edit_file(const char *file, cli_rec_edit_fn *fn, void *opaque);
/* Load the record of FILE or a domain (read only). */
int cli_rec_load(const char *file, const char *domain, struct vrec *r);
/* "FILE | --domain D": the @nops operands @ops hold FILE unless there is a
 * domain; returns an exit code. */
int cli_target(const struct cmd *c, int nops, char **ops, const char **file,
               const char *domain);
/*
 * Edit the record in the HVM context of a domain that has not run yet
 * (enable), starting from an empty record if there is none.  A running
 * domain's guestinfo and triggers go through live_dmop.h instead.
 */
int cli_rec_create_domain(const char *domain, cli_rec_edit_fn *fn,
                          void *opaque);

#endif
