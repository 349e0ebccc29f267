/*
 * stress.h: vmport-stress, guests migrated between vmport-host processes
 * with faults injected on the way.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

/*
 * Fault injection points, numbered like CRIU's FI points: --fault N.
 * Every one must end in an aborted migration with the guest running on
 * its source.
 */
enum fault {
    FI_NONE = 0,
    FI_CORRUPT_BYTE = 1,    /* flip a byte of the VMPORT record body */
    FI_TRUNCATE = 2,        /* cut the stream short */
    FI_KILL_DEST = 3,       /* SIGKILL the destination before it adopts */
    FI_BAD_RECORD = 4,      /* record version the destination refuses */
    FI_SOURCE_STALL = 5,    /* the source's handoff stalls: called off */
    FI_NR
};

/* Why a migration did not complete. */
enum abort_reason {
    AB_VERIFY = 0,          /* vmport-state verify/filter rejected it */
    AB_REFUSED_V1,          /* convert --policy refuse: does not fit v1 */
    AB_DEST_REJECTED,       /* destination host exited without adopting */
    AB_DEST_KILLED,         /* FI_KILL_DEST */
    AB_SOURCE_STALLED,      /* no handoff in time: called off (SIGUSR2) */
    AB_NR
};

enum guest_kind { GK_CHANNELS, GK_RPCTOOL };

/* A guest's transcript as read so far (stress_out.c). */
struct guest_out {
    long off;                   /* bytes of `out` read */
    char carry[512];            /* its unfinished last line */
    size_t carry_len;
    unsigned long ok_rpcs;      /* two per "ok" line (rpctool) */
    unsigned long rpcs_so_far;  /* checked RPCs, for report.json */
    unsigned long final_rpcs, final_cpt;    /* guest_channels' last line */
    bool ended;                 /* its final line was seen */
    long tclo_taken;            /* its final line's tclo=, -1 if none */
    unsigned long trimmed;      /* bytes read and dropped from the file */
};

/* --trace-max-bytes of every host: only the trace's end is read. */
#define STRESS_TRACE_MAX    (4ULL << 20)

struct guest {
    unsigned int idx;
    enum guest_kind kind;
    int pers;               /* 0 intel, 1 amd: the current host's */
    pid_t host;             /* current vmport-host, 0 if none */
    pid_t pid;              /* the guest's first process */
    pid_t pgid;             /* its process group: its spawning host's */
    unsigned int hop;
    bool handoff_after;     /* current host hands off by itself */
    bool done;              /* the guest ended (under some host) */
    bool busy;              /* --parallel: a thread is migrating it */
    bool stream_v1;         /* the stream in flight was converted to v1 */
    int state_fd;           /* the current host's state pipe, -1 if none */
    int exit_rc;
    char dir[256];
    struct guest_out out;
    unsigned int pruned_hop;    /* err.HOP below this are removed */
    /* TCLO power commands: queued by its hosts, left at its end */
    unsigned long tclo_queued, tclo_pending;
    unsigned long tclo_expired;  /* timed out before the guest fetched them */
    bool tclo_end_seen;         /* its last host's end event was read */
};

/* What a host's device model held, from its trace (stress_inv.c). */
struct host_mem {
    long long charged, blocks, bytes;
};

struct stress_opts {
    unsigned int guests, seconds, migrations, seed, channels;
    unsigned int parallel;          /* guests migrating at once */
    unsigned int max_seconds;       /* --require-coverage: hard stop */
    bool json, filter, verify, quiet, require_coverage;
    bool clock_skew;                /* hosts' wall clocks skewed */
    unsigned int convert_pct;       /* % of migrations converted to v1 */
    unsigned int fault_pct;         /* % of migrations with a fault */
    int only_fault;                 /* -1: all points in turn */
    const char *bin, *guest_bin, *workdir, *report_dir;
    /* --backend xl (stress_xl.c) */
    bool backend_xl;
    const char *hosts_file, *domain, *xl_bin;
    unsigned int guest_id;          /* guest_channels ID in the domain */
    unsigned int out_max_kb;        /* a guest transcript's bound */
    unsigned int min_free_mb;       /* 0: what the run may write */
};

struct stress_stats {
    unsigned long attempted, succeeded, aborted[AB_NR];
    unsigned long fault_injected[FI_NR], fault_clean[FI_NR];
    unsigned long by_mode[2];               /* handoff-after, SIGUSR1 */
    unsigned long converted_refuse, converted_cpt, converted_fit, guest_cpt;
    unsigned long rpcs, verify_failures, lost_guests, host_errors;
    unsigned long guest_ends_early;
    bool low_space;                 /* stopped: work directory full */
    /* TCLO exactly once, and host memory (stress_inv.c) */
    unsigned long tclo_queued, tclo_taken, tclo_pending, tclo_guests;
    unsigned long tclo_expired;
    unsigned long tclo_mismatch;
    unsigned long mem_hosts, mem_leaks, mem_pairs, mem_differ;
    double *downtime_ms;
    double phase_ms[4];     /* sums: source, queued, transfer, adopt */
    unsigned long nr_phases;
    size_t nr_downtime, cap_downtime;
    unsigned long stream_min, stream_max, stream_total, nr_streams;
};

/* One migration as report.json lists it (stress_record.c). */
struct mig_record {
    unsigned int guest, hop;        /* hop of the source host */
    const char *kind;               /* "rpctool" or "channels" */
    int from, to;                   /* personalities: 0 intel, 1 amd */
    bool by_signal;                 /* frozen by SIGUSR1 */
    enum fault fault;
    const char *outcome;            /* "migrated" or an abort reason */
    bool fault_clean;               /* the fault aborted cleanly */
    double t_ms;                    /* freeze, since the run started */
    double downtime_ms;             /* migrated: freeze -> resume */
    double part_ms[4];              /* source, queued, transfer, adopt */
    unsigned long bytes;            /* the source's state stream */
    unsigned long rpcs;             /* the guest's checked RPCs so far */
    /* --backend xl: host names, hop style, backend (NULL: sim's) */
    char from_host[64], to_host[64];
    const char *freeze_str, *backend;
};

extern struct stress_opts opts;
extern struct stress_stats stats;
/* SIGINT/SIGTERM: stop every process started, report what was seen. */
extern volatile sig_atomic_t stress_stop_signal;

/* stress_proc.c: processes and files */
struct sbuf;
/* @in_fd becomes the host's stdin (-1: /dev/null), @state_fd its fd 3. */
pid_t spawn_host(struct guest *g, char *const argv[], const char *err_path,
                 int in_fd, int state_fd);
int wait_host(pid_t pid, unsigned int timeout_ms, int *rc);
/* wait_host(), reading what @fd brings into @b meanwhile. */
int wait_host_reading(pid_t pid, unsigned int timeout_ms, int *rc, int fd,
                      struct sbuf *b);
int run_tool(char *const argv[], const char *in_path, const char *out_path,
             unsigned int ms);
bool file_has(const char *path, const char *needle);
/* ... past its first @from bytes. */
bool file_has_from(const char *path, long from, const char *needle);
/* Its size, 0 if it has none. */
long file_size(const char *path);
enum trace_point { TR_FREEZE, TR_HANDOFF, TR_ADOPTED, TR_END };
long long trace_ns(const char *path, enum trace_point p);
int trace_line(const char *path, enum trace_point p, char *line, size_t len);
long long trace_field(const char *line, const char *key);
double now_ms(void);
unsigned int rnd(unsigned int n);
/*
 * --parallel: the migrations run in threads that share everything under
 * one lock, held except while a thread sleeps (every wait of this driver
 * is a bounded poll that sleeps here).
 */
#define MAX_PARALLEL 16
int run_parallel(struct guest *gs, unsigned int nr, unsigned int threads,
                 bool (*stop)(void));
void stress_lock(void);
void stress_unlock(void);
void stress_sleep_us(unsigned int us);
struct pollfd;
int stress_poll(struct pollfd *fds, unsigned int nr, int ms);

/* stress_stream.c: state streams over pipes, held in memory meanwhile */
#define STREAM_MAX  (64UL << 20)
struct sbuf {
    uint8_t *p;
    size_t len, cap;
};
void sbuf_free(struct sbuf *b);
int sbuf_put(struct sbuf *b, const void *p, size_t n);
int sbuf_copy(struct sbuf *to, const struct sbuf *from);
int stream_pipe(int fds[2]);
int stream_drain(int fd, struct sbuf *b);
int stream_read_all(int fd, struct sbuf *b, unsigned int ms);
int stream_send(int fd, const struct sbuf *b, unsigned int ms);
int stream_tool(char *const argv[], const struct sbuf *in, struct sbuf *out,
                unsigned int ms);

/* stress_out.c: the work directory's contents, bounded */
void out_consume(struct guest *g, bool trim);
void out_finish(struct guest *g);
void prune_hop_files(struct guest *g);
void log_migration(const struct guest *g, const char *line);
unsigned long long workdir_need(void);
bool workdir_room(const char *dir, bool say);
bool workdir_low(const char *dir);

/* stress_inv.c: the sim backend's invariants, from the hosts' traces */
/* A source host that handed off: what it held and queued, and its end. */
int inv_source(struct guest *g, const char *trace, struct host_mem *held);
/* A host that adopted: what it held, compared with @src (NULL: not). */
void inv_adopted(struct guest *g, const char *trace,
                 const struct host_mem *src);
/* A host that ended without handing off (@last: the guest's last one). */
void inv_ended(struct guest *g, const char *trace, bool last);
/* At the end of the run: the guest took every command queued once. */
void inv_guest_end(struct guest *g);
/* --tclo-every of the hosts of guest_channels guests */
#define STRESS_TCLO_EVERY   64

/* stress_migrate.c */
int migrate_guest(struct guest *g);
extern const char *const pers_name[2];
int start_guest(struct guest *g);
extern bool stress_ending;

/* stress_record.c: every migration, and report.json */
struct mig_record *record_new(const struct guest *g);
struct mig_record *const *records(size_t *nr);
int records_write_json(const char *path);
double run_ms(void);

/* stress_xl.c: --backend xl */
int run_xl(const char *dir);

/* stress_html.c: report.html, charts by gnuplot */
int report_html_write(const char *dir);

/* stress_report.c */
struct json_object;
struct json_object *report_json(void);
const char *abort_name(enum abort_reason r);
double downtime_pct(unsigned int p);
void stats_downtime(double ms);
void stats_stream(unsigned long bytes);
void report_print(void);
const char *fault_name(enum fault f);

#endif /* STRESS_H */
