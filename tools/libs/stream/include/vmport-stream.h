/*
 * vmport-stream.h: the stream library (libvmport-stream), prefix vs_:
 * read, verify, edit and write Xen save images and
 * migration streams (xl save files, libxl v2, libxc v2/v3, raw HVM
 * context blobs, and gzip or xz of any of these) without holding them in memory.
 *
 * Model: one walk over the input.  For every record at every level
 * (XL header, libxl record, libxc record, HVM descriptor) the walker calls
 * the visitor, which may look at it, drop it, replace its body or insert
 * records before it.  With an output descriptor the walk is a copy: what
 * the visitor leaves alone is written back byte for byte.  Bulk bodies
 * (PAGE_DATA pages) are never handed to the visitor: a read-only walk
 * seeks past them, a copy moves them with copy_file_range() where it can.
 *
 * Every problem (framing, padding, ordering, bounds, semantics) is
 * reported once through the error sink with its offset in the
 * (decompressed) input; the walk goes on while the framing is intact, so a
 * caller sees every problem, and vs_walk() then fails.
 */
#ifndef VMPORT_STREAM_H
#define VMPORT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

enum vs_kind {
    VS_KIND_UNKNOWN,
    VS_KIND_XL,         /* xl save file: header, JSON config, libxl stream */
    VS_KIND_LIBXL,      /* libxl stream v2 (libxc stream inline) */
    VS_KIND_LIBXC,      /* libxc stream v2/v3 */
    VS_KIND_HVM,        /* raw HVM context blob (HEADER ... END) */
};

enum vs_level {
    VS_LEVEL_XL,        /* type 0: the xl header, body = JSON config */
    VS_LEVEL_LIBXL,
    VS_LEVEL_LIBXC,
    VS_LEVEL_HVM,
};

struct vs_rec {
    enum vs_level level;
    uint32_t type;          /* record type, or HVM typecode */
    uint16_t instance;      /* HVM level only */
    uint32_t length;        /* body length on the wire (no header/padding) */
    uint64_t offset;        /* of the record header, decompressed input */
    /*
     * The body: `length` bytes, except for PAGE_DATA where only the page
     * header and pfn array are loaded (body_len < length).  Valid until
     * the callback returns.
     */
    const uint8_t *body;
    uint32_t body_len;
};

/* Callback results. */
#define VS_KEEP     0
#define VS_DROP     1

struct vs_stream;

/*
 * Called for every record, outer level first (a libxc HVM_CONTEXT record
 * is visited before its HVM descriptors).  Return VS_KEEP, VS_DROP, or
 * a negative value to stop the walk with an error.  It may call
 * vs_replace() and vs_insert() on the stream it is given.
 */
typedef int vs_visit_fn(struct vs_stream *s, const struct vs_rec *rec,
                        void *opaque);

/* Flags for vs_open(). */
#define VS_OPEN_GZIP_OUT    (1U << 0)  /* compress the output ... */
#define VS_OPEN_PLAIN_OUT   (1U << 1)  /* ... or not (default: as input) */
#define VS_OPEN_XZ_OUT      (1U << 6)  /* ... or with xz */
#define VS_OPEN_PROGRESS    (1U << 2)  /* progress line on a tty stderr */
/*
 * Read only: load just the header and first pfn of PAGE_DATA (body_len
 * 16) and skip its pfn checks; for commands that list or dump and leave
 * checking PAGE_DATA to verify.  Framing is still checked in full.
 */
#define VS_OPEN_SKIM        (1U << 4)
/* Copy: relay bytes after the END record unchanged, as they arrive. */
#define VS_OPEN_PASS_TRAILING (1U << 3)
/*
 * Copy: stop at the first problem.  The walk ends there and nothing is
 * written after it (not the bad record, nor a re-framed version of it or
 * of anything later), so what went out is a prefix of the input that ends
 * before the record with the problem.  For pipelines (filter).
 */
#define VS_OPEN_STOP_AT_PROBLEM (1U << 5)

/*
 * Open a walk over in_fd (seekable or not; gzip detected from the bytes).
 * out_fd < 0: read only.  name is used in messages.  errf receives the
 * problem reports (NULL: silent).  Returns NULL on allocation failure.
 */
struct vs_stream *vs_open(int in_fd, const char *name, int out_fd,
                          unsigned int flags, FILE *errf);
int vs_walk(struct vs_stream *s, vs_visit_fn *fn, void *opaque);
void vs_close(struct vs_stream *s);

/* After (or during) a walk. */
enum vs_kind vs_kind(const struct vs_stream *s);
bool vs_input_gzip(const struct vs_stream *s);
/* "gzip", "xz" or NULL (not compressed). */
const char *vs_input_compression(const struct vs_stream *s);
unsigned int vs_problems(const struct vs_stream *s);
uint64_t vs_input_offset(const struct vs_stream *s);
/*
 * The errno of a failed write to the output (0: none).  A walk that
 * failed because its output could not be written reports nothing about
 * the input; the caller names the output.
 */
int vs_write_error(const struct vs_stream *s);
/*
 * The errno of a failed read of the input (0: none).  Corrupt compressed
 * data is a problem of the input, not a read error.  The walk reports it
 * as a problem at its offset; the caller exits with its I/O code.
 */
int vs_read_error(const struct vs_stream *s);

/*
 * Checks of an HVM record type's contents, registered per stream before
 * vs_walk().  The library checks the framing of every HVM record (length,
 * instance) and the contents of the standard Xen 4.17 types it knows.  A
 * type whose contents another library owns (VMPORT: the record library's
 * walker) gets exactly the checkers registered for it on this stream.
 * @fn is called for every record of @typecode after its framing checks,
 * with the body and the body's offset in the (decompressed) input, and
 * reports what it finds with vs_report().
 * Returns 0, -EEXIST (@typecode has a checker already) or -ENOSPC.
 */
typedef void vs_hvm_check_fn(struct vs_stream *s, uint16_t instance,
                             const uint8_t *body, uint32_t len, uint64_t off,
                             void *opaque);
int vs_add_hvm_checker(struct vs_stream *s, uint16_t typecode,
                       vs_hvm_check_fn *fn, void *opaque);

/* Replace the body of the record being visited (copied immediately). */
int vs_replace(struct vs_stream *s, const void *body, uint32_t len);
/* Insert a record of the visited record's level before it. */
int vs_insert(struct vs_stream *s, uint32_t type, uint16_t instance,
              const void *body, uint32_t len);
/* Report a problem found by a visitor, at offset off. */
void vs_report(struct vs_stream *s, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Names, for messages and listings ("?" for unknown). */
const char *vs_kind_name(enum vs_kind k);
const char *vs_level_name(enum vs_level l);
const char *vs_rec_name(enum vs_level l, uint32_t type);

/* ---- whole-image helpers ---------------------------------------------- */

/*
 * Find the (first) HVM context blob in any kind of input.  *blob is
 * malloc()ed; returns 0, or -1 with a message on errf.
 */
int vs_read_hvm_context(int fd, const char *name, uint8_t **blob,
                        uint32_t *len, FILE *errf);

/* ---- replacing a file (every writer of the tools) -------------------- */

/*
 * A file being replaced: write the new contents to fd, then
 * vs_file_commit() (fsync, rename over the file, fsync of the directory)
 * or vs_file_abort() (the temporary is removed, the file untouched).
 * vs_file_open() resolves a symlink to its target (the link stays a
 * link); refuses a directory, FIFO, device or socket, a file with more
 * than one hard link (a rename would split them) and, unless
 * VS_FILE_FORCE, a file without write permission; and holds an exclusive
 * flock() on the existing file, re-checked against the path, until the
 * commit or abort.  An editor reads the file after vs_file_open() (lock_fd
 * is the locked file, open for reading), so two editors never lose each
 * other's change.  The temporary is PATH.XXXXXX beside the target, with
 * its owner, group and mode.  Every failure is reported on errf as
 * "PROG: ..." naming the path and the errno text; err keeps the errno.
 */
struct vs_file {
    char *path;             /* the file replaced (a symlink's target) */
    char *tmp;              /* the temporary beside it */
    int fd;                 /* the temporary, open for writing */
    int lock_fd;            /* the existing file, locked; -1 if none */
    bool exists;
    struct stat st;         /* of the existing file */
    int err;                /* errno of the last failure */
    const char *prog;
    FILE *errf;
};
#define VS_FILE_FORCE       (1U << 0)  /* even without write permission */
#define VS_FILE_EXISTING    (1U << 1)  /* an edit: the file must exist */
int vs_file_open(struct vs_file *f, const char *path, unsigned int flags,
                 const char *prog, FILE *errf);
int vs_file_commit(struct vs_file *f);     /* 0, or -1 with a message */
void vs_file_abort(struct vs_file *f);
/*
 * Report that writing the new contents failed with errno err:
 * "PROG: write error: PATH: TEXT (the file is left unchanged)"; -1.
 */
int vs_file_write_error(struct vs_file *f, int err);

/* ---- writer ----------------------------------------------------------- */

struct vs_writer;

/*
 * A writer emits a stream of the given kind to fd (gzip-compressed if
 * gzip).  VS_KIND_XL writes the xl header with json_config (may be NULL),
 * the libxl header and a LIBXC_CONTEXT record; VS_KIND_LIBXL the last two;
 * VS_KIND_LIBXC the image and domain headers.  vs_writer_finish() writes
 * the END records of every open level.
 */
struct vs_writer *vs_writer_open(int fd, enum vs_kind kind, bool gzip,
                                 const char *json_config);
int vs_writer_record(struct vs_writer *w, uint32_t type, const void *body,
                     uint32_t len);
/* PAGE_DATA for count pfns; pages == NULL writes zero pages (a hole). */
int vs_writer_page_data(struct vs_writer *w, const uint64_t *pfns,
                        uint32_t count, const void *pages);
/* After the libxc END: a libxl-level record (EMULATOR_CONTEXT etc.). */
int vs_writer_libxl_record(struct vs_writer *w, uint32_t type,
                           const void *body, uint32_t len);
int vs_writer_finish(struct vs_writer *w);   /* also frees */
void vs_writer_abort(struct vs_writer *w);

/* A growing byte buffer, used to assemble HVM context blobs. */
struct vs_buf {
    uint8_t *p;
    size_t len, cap;
};
int vs_buf_append(struct vs_buf *b, const void *p, size_t len);
void vs_buf_free(struct vs_buf *b);
/* Append one HVM descriptor and its body. */
int vs_hvm_append(struct vs_buf *b, uint16_t typecode, uint16_t instance,
                  const void *body, uint32_t len);

/*
 * A complete libxc stream for an HVM guest around an HVM context blob:
 * headers, STATIC_DATA_END, X86_TSC_INFO, HVM_CONTEXT, END.  This is what
 * vmport-host's --state-out writes.
 */
int vs_write_hvm_state(int fd, const uint8_t *blob, uint32_t len);

/* ---- generator (tests, fuzz seeds, benchmark) -------------------------- */

struct vs_gen_opts {
    enum vs_kind kind;          /* XL, LIBXL, LIBXC or HVM */
    bool gzip;
    unsigned int vcpus;         /* >= 1 */
    uint64_t mem_bytes;         /* guest RAM; pages are sparse */
    bool sparse_file;           /* leave zero pages as file holes */
    const uint8_t *extra;       /* an extra HVM record (e.g. VMPORT) ... */
    uint32_t extra_len;         /* ... its body length */
    uint16_t extra_type;        /* ... and typecode */
};
/* Write a realistic HVM guest image; the HVM blob alone for VS_KIND_HVM. */
int vs_gen_image(int fd, const struct vs_gen_opts *o);
/* The realistic HVM context blob the generator uses. */
int vs_gen_hvm_context(struct vs_buf *b, const struct vs_gen_opts *o);

#endif /* VMPORT_STREAM_H */
