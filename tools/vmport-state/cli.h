/*
 * cli.h: what the vmport-state subcommands share.  Each subcommand is one
 * file (cmd_*.c) with a run function and a usage text, listed in main.c.
 */
#ifndef VS_CLI_H
#define VS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/vmport-state.h"

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
    cmd_diff, cmd_filter, cmd_gen;

/* "--help" anywhere: print usage, return true. */
bool cli_help(const struct cmd *c, int argc, char **argv);
int cli_usage_error(const struct cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

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
 * Rewrite FILE in place through a visitor: FILE.XXXXXX in the same
 * directory, fsync, rename.  FILE is untouched unless everything
 * succeeded.  Returns an exit code.
 */
int cli_rewrite(const char *file, vs_visit_fn *fn, void *opaque);
/* Copy IN to OUT ("-" = stdout, else via a temporary and rename). */
int cli_copy(const char *in, const char *out, vs_visit_fn *fn, void *opaque,
             unsigned int flags);

/* Live domains (live.c).  A domain name or number to its domid. */
int live_domid(const char *domain, uint32_t *domid);
int live_get_context(const char *domain, uint8_t **blob, uint32_t *len,
                     uint32_t *domid);
/* Pause, apply edit to the context, set it back, unpause. */
typedef int live_edit_fn(uint8_t **blob, uint32_t *len, void *opaque);
int live_edit_context(const char *domain, live_edit_fn *fn, void *opaque);
/* Exit code for "does this domain's hypervisor have vmport?" */
int live_check_vmport(const char *domain);

/* VMPORT record glue (vmport.c). */
void vmport_glue_init(void);
/* Find the VMPORT body inside an HVM blob: offset of its descriptor. */
int vmport_find(const uint8_t *blob, uint32_t len, uint32_t *desc_off);

#endif

/* Editing the VMPORT record of a file or a domain (vmport.c). */
struct vmport_rec;
/* Returns an exit code; err explains a failure. */
typedef int vmport_edit_fn(struct vmport_rec *r, void *opaque, char *err,
                           size_t errlen);
int vmport_edit_file(const char *file, vmport_edit_fn *fn, void *opaque);
/* Load the record of FILE or a domain (read only). */
int vmport_load(const char *file, const char *domain, struct vmport_rec *r);
/* Parse "FILE | --domain D" from argv[first..]: returns exit code. */
int cli_target(const struct cmd *c, int argc, char **argv, int first,
               const char **file, const char **domain);
/*
 * Edit the record in the HVM context of a domain that has not run yet
 * (enable), starting from an empty record if there is none.  A running
 * domain's guestinfo and triggers go through live_dmop.h instead.
 */
int vmport_create_domain(const char *domain, vmport_edit_fn *fn,
                         void *opaque);
/* The limits a freshly enabled domain gets. */
void vmport_default_config(struct vmport_rec *r, unsigned int hwver);
/* "foo" -> "guestinfo.foo"; a full key is kept.  Caller frees. */
char *vmport_gi_key(const char *key);
