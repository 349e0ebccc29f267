/*
 * vs_priv.h: the walker's state, shared by the per-level files
 * (vs_walk.c drives; vs_libxl.c, vs_libxc.c, vs_hvm.c are the levels).
 */
#ifndef VS_PRIV_H
#define VS_PRIV_H

#include <vmport-stream.h>
#include <vmport-stream-format.h>
#include "vs_io.h"

#define VS_CHECKERS_MAX 4

#define VS_ROUNDUP8(x) (((uint64_t)(x) + 7) & ~(uint64_t)7)

struct vs_stream {
    const char *name;
    FILE *errf;
    unsigned int flags;
    unsigned int problems;
    enum vs_kind kind;

    struct vs_in in;
    struct vs_out out;
    bool copying;

    vs_visit_fn *fn;
    void *opaque;

    /* The record being visited. */
    enum vs_level level;
    bool replaced;
    struct vs_buf replacement;
    struct vs_buf body;         /* its loaded body */
    struct vs_buf hvm_out;      /* an HVM blob being rebuilt */

    /* Ordering state of the libxc level. */
    uint32_t xc_version;
    uint32_t xc_dtype;
    bool xc_static_end, xc_hvm_context, xc_pages;

    unsigned int progress_pct;

    /* vs_add_hvm_checker(). */
    struct vs_checker {
        uint16_t typecode;
        vs_hvm_check_fn *fn;
        void *opaque;
    } checkers[VS_CHECKERS_MAX];
    unsigned int nr_checkers;
};

/* Problem report (counted); vs_report() is the public face. */
void vs_problem(struct vs_stream *s, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Visit rec (body loaded) and decide: returns VS_KEEP/VS_DROP or < 0.
 * On VS_KEEP, *body and *len are what to emit (the replacement if any).
 */
int vs_visit(struct vs_stream *s, struct vs_rec *rec,
             const uint8_t **body, uint32_t *len);

/* Record framing shared by the libxl and libxc levels. */
int vs_read_rhdr(struct vs_stream *s, struct vs_rhdr *rh, const char *lvl);
int vs_read_body(struct vs_stream *s, uint32_t len);
int vs_check_padding(struct vs_stream *s, uint32_t len, const char *what);
int vs_emit_rec(struct vs_stream *s, uint32_t type, const void *body,
                uint32_t len);
void vs_progress(struct vs_stream *s);

const char *vs_libxl_name(uint32_t type);
const char *vs_libxc_name(uint32_t type);

/* The levels. */
int vs_walk_libxl(struct vs_stream *s);
int vs_walk_libxc(struct vs_stream *s);
int vs_walk_hvm_blob(struct vs_stream *s, const uint8_t *blob, uint32_t len,
                     uint64_t base);
/* Read a whole raw HVM blob input and walk it. */
int vs_walk_hvm_input(struct vs_stream *s);

/* HVM record knowledge (vs_hvm_types.c). */
struct vs_hvm_type {
    const char *name;
    uint32_t length;            /* native length; 0 = variable */
    bool per_vcpu;
    bool zeroextend;            /* shorter (older) lengths accepted */
    unsigned int max_instance;  /* per-domain types */
    /* Semantic checks; report problems via vs_problem at base offsets. */
    void (*check)(struct vs_stream *s, uint16_t inst, const uint8_t *body,
                  uint32_t len, uint64_t off);
};
const struct vs_hvm_type *vs_hvm_type(uint16_t typecode);
/* Run the checkers registered for @typecode. */
void vs_run_hvm_checkers(struct vs_stream *s, uint16_t typecode,
                         uint16_t instance, const uint8_t *body,
                         uint32_t len, uint64_t off);

#endif /* VS_PRIV_H */
