/*
 * host.h: one simulated host serving one domain to a traced program.
 */

#ifndef VMPORT_HOST_HOST_H
#define VMPORT_HOST_HOST_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "host_dm.h"
#include "personality.h"
#include "task.h"

struct host_guestinfo {
    const char *key;
    char *val;
    uint32_t vlen;
};

struct host_options {
    struct host_personality pers;
    unsigned int hwver;
    bool hb;
    const char *state_in;
    const char *state_out;
    int state_out_fd;           /* --state-out-fd, -1 if none */
    const char *trace_path;
    uint64_t trace_max;         /* --trace-max-bytes: FILE + FILE.old */
    uint64_t tclo_every;        /* --tclo-every: exits between triggers */
    uint32_t trigger_timeout_ms; /* --trigger-timeout-ms, 0: the default */
    const char *pid_file;
    uint64_t handoff_after;     /* backdoor exits before handoff; 0 never */
    pid_t attach_pid;           /* --attach: adopt this stopped guest */
    uint32_t tsc_khz;           /* --tsc-khz, 0: the personality's */
    int64_t clock_skew_ms;      /* --clock-skew-ms ... */
    bool clock_skew_set;        /* ... if given */
    const char *test_stall;     /* --test-stall-handoff FILE (calloff.c) */
    char **argv;                /* the program to run */
    struct host_guestinfo *gi;
    size_t nr_gi;
};

struct host {
    struct host_options opt;
    struct host_dm *dm;
    FILE *trace;
    uint64_t trace_bytes;       /* in the current --trace FILE */
    uint64_t trace_rotations;
    uint64_t last_exit_ns;      /* CLOCK_MONOTONIC of the last exit */
    unsigned long tclo_queued;  /* power commands this host queued */
    unsigned long tclo_expired; /* ... that timed out still queued here */
    unsigned int trigger_seen;  /* the trigger's state at the last look */
    struct task_table tasks;
    pid_t main_pid;
    int main_status;            /* wait status of main_pid, once it ends */
    bool main_done;
    bool handed_off;
    bool freezing;              /* handoff_freeze() is stopping the tasks */
    bool state_written;         /* to --state-out-fd, which is then closed */
    uint64_t nr_exits;          /* backdoor exits emulated */
    uint64_t nr_events;         /* every exit and event traced */
};

/* Set from the SIGUSR1 handler: hand off at the next exit boundary. */
extern volatile sig_atomic_t host_handoff_requested;
/*
 * Set from the SIGTERM/SIGINT handler (with --state-out): hand off now,
 * from the engine's wait if no exit comes first, then exit.
 */
extern volatile sig_atomic_t host_stop_signal;
/*
 * Set from the SIGUSR2 handler: call off the move under way if it has not
 * passed its point of no return: an --attach not yet complete, the guest
 * left parked as it was found (adopt.c), or a handoff whose state stream
 * has not been written yet, the guest served on here (calloff.c).
 */
extern volatile sig_atomic_t host_call_off;

/* The options the traced tasks get (fork/exec/seccomp/exit-kill). */
#define HOST_PTRACE_OPTIONS                                             \
    (PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |   \
     PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | \
     PTRACE_O_EXITKILL)

/* engine.c: serve until every traced task is gone or handed off. */
int engine_run(struct host *h);
/*
 * A fork/vfork/clone event of the stopped @parent: track the new task with
 * the right address space (may move the task table).
 */
void engine_track_child(struct host *h, struct task *parent, int event);
/* Scan @t's space now that it may hold new code; complain, don't fail. */
void engine_rescan(struct host *h, struct task *t);
/* A PTRACE_EVENT_EXEC stop of @t: its new address space (scanned unless
 * the host is freezing). */
void engine_exec_done(struct host *h, struct task *t);
/*
 * A seccomp stop of @t: a vsock socket() is made to fail; true if it was a
 * new executable mapping (to be scanned at the syscall's exit).
 */
bool engine_seccomp_answer(struct host *h, struct task *t);
/*
 * The task a wait @status of @pid stops, or NULL: it ended (dropped from
 * the table), it is no stop, or it is a new task reporting before its
 * parent's event (added, held).
 */
struct task *engine_stopped_task(struct host *h, pid_t pid, int status);
/* @pid ended with wait @status: drop it from the table. */
void engine_task_ended(struct host *h, pid_t pid, int status);
/* Serve one wait status of @pid (an exit, an event, a signal). */
void engine_dispatch(struct host *h, pid_t pid, int status);

/* exits.c: the exits the device model answers. */
bool exit_gp(struct host *h, struct task *t);
bool exit_cpuid_bp(struct host *h, struct task *t);

/* triggers.c: --tclo-every, at the end of every backdoor exit. */
void triggers_exit(struct host *h);
/* The trigger's state in the record just loaded, before any look. */
void triggers_adopted(struct host *h, unsigned int state);

/* handoff.c */
bool handoff_due(const struct host *h);
/*
 * Hand off at exit boundary @boundary (0: none, a stop): 0 handed off,
 * 1 called off (SIGUSR2: every task runs on here), -1 failed (likewise).
 */
int handoff_freeze(struct host *h, pid_t boundary);
/* SIGTERM/SIGINT while every task runs: freeze at the next boundary. */
int handoff_stop_now(struct host *h);
int handoff_adopt(struct host *h, pid_t pid);
/* Detach every (stopped) task, each process left stopped (SIGSTOP). */
void handoff_detach_all(struct host *h);
/* CLOCK_MONOTONIC in ms, for the bounded waits. */
long long host_now_ms(void);
/*
 * Give every (stopped) task back as a handoff does, without writing a
 * state: every INT3 and debug register taken back, then detached.
 */
void handoff_release(struct host *h);

/*
 * calloff.c: SIGUSR2 calls a handoff off until the first byte of its
 * state stream is written.
 */
/* Is a SIGUSR2 to be answered?  (Never for a SIGTERM/SIGINT stop.) */
bool call_off_wanted(void);
/*
 * Drop the handoff requested (or none), say so, and return 1: the guest
 * runs on here; @when says how far the handoff had come.
 */
int handoff_called_off(struct host *h, const char *when);
/*
 * --test-stall-handoff FILE: while FILE exists, a handoff that has frozen
 * its guest waits here (bounded), as a source host stalled there would.
 */
void handoff_test_stall(struct host *h);

/*
 * The device model's memory at this moment, as " charged=C blocks=N
 * bytes=B" for the trace (handoff and adopted events).
 */
const char *host_mem_str(const struct host *h);

/*
 * state_file.c: the domain's state in a libxc-format stream, written to
 * --state-out FILE or --state-out-fd N, read from --state-in FILE or - .
 */
bool state_out_wanted(const struct host *h);
/* Write it (once: a descriptor is closed after); 0 or -1 with a message. */
int state_out_write(struct host *h);
/* Where it went, for messages. */
const char *state_out_name(const struct host *h);
/* Before the guest starts: can it be written?  0 or -1 with a message. */
int state_out_check(struct host *h);
int state_file_read(struct host *h, const char *path);
/* TCLO power commands (OS_Halt, OS_Reboot) queued in the domain now. */
unsigned long state_tclo_pending(struct host *h);

/* trace_log.c */
/* Default --trace-max-bytes; a trace keeps its newest lines within it. */
#define TRACE_MAX_DEFAULT   (64ULL << 20)
#define TRACE_MAX_MIN       (64ULL << 10)
int trace_open(struct host *h);     /* 0, or -1 with a message */
void trace_exit(struct host *h, pid_t pid, const char *kind,
                const void *regs_in, const void *regs_out,
                const struct host_exit_info *info, uint64_t exit_no);
void trace_event(struct host *h, pid_t pid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* VMPORT_HOST_HOST_H */
