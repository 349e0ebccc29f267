/*
 * shim_log.c: captured printk/gdprintk lines, trace records and assertion
 * failures, for tests to assert on.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/trace.h>

#include <shim.h>

#define LOG_MAX     4096
#define LOG_LINE    512
#define TRACE_MAX   65536

static char log_lines[LOG_MAX][LOG_LINE];
static unsigned int log_first, log_nr;
static int log_echo = -1;

static struct shim_trace_rec traces[TRACE_MAX];
static unsigned int trace_first, trace_nr;
static bool trace_on = true;

static void (*assert_hook)(const char *, const char *, int);

static void log_add(const char *line)
{
    unsigned int slot;

    if ( log_echo < 0 )
        log_echo = getenv("SHIM_LOG") != NULL;
    if ( log_echo )
        fprintf(stderr, "[shim] %s\n", line);
    if ( log_nr == LOG_MAX )
    {
        log_first = (log_first + 1) % LOG_MAX;
        log_nr--;
    }
    slot = (log_first + log_nr++) % LOG_MAX;
    snprintf(log_lines[slot], LOG_LINE, "%s", line);
}

static void log_vadd(const char *prefix, const char *fmt, va_list ap)
{
    char buf[LOG_LINE];
    int n = snprintf(buf, sizeof(buf), "%s", prefix);

    vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
    n = strlen(buf);
    while ( n && buf[n - 1] == '\n' )
        buf[--n] = '\0';
    log_add(buf);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vadd("", fmt, ap);
    va_end(ap);
}

void shim_gdprintk(const char *lvl, const char *file, int line,
                   const char *fmt, ...)
{
    char prefix[160];
    const struct vcpu *v = current;
    va_list ap;

    if ( v )
        snprintf(prefix, sizeof(prefix), "(XEN) %s%s:%d:d%uv%u ", lvl, file,
                 line, v->domain->domain_id, v->vcpu_id);
    else
        snprintf(prefix, sizeof(prefix), "(XEN) %s%s:%d:<none> ", lvl, file,
                 line);
    va_start(ap, fmt);
    log_vadd(prefix, fmt, ap);
    va_end(ap);
}

unsigned int shim_log_count(void)
{
    return log_nr;
}

const char *shim_log_line(unsigned int i)
{
    return i < log_nr ? log_lines[(log_first + i) % LOG_MAX] : NULL;
}

int shim_log_find(const char *needle)
{
    unsigned int i;

    for ( i = 0; i < log_nr; i++ )
        if ( strstr(shim_log_line(i), needle) )
            return i;
    return -1;
}

void shim_log_clear(void)
{
    log_first = log_nr = 0;
}

void shim_log_echo(bool on)
{
    log_echo = on;
}

void __trace_var(uint32_t event, bool cycles, unsigned int extra,
                 const void *extra_data)
{
    struct shim_trace_rec *r;
    unsigned int nr = extra / sizeof(uint32_t);

    (void)cycles;
    BUG_ON(extra % sizeof(uint32_t) || nr > SHIM_TRACE_MAX_DATA);
    if ( !trace_on )
        return;
    if ( trace_nr == TRACE_MAX )
    {
        trace_first = (trace_first + 1) % TRACE_MAX;
        trace_nr--;
    }
    r = &traces[(trace_first + trace_nr++) % TRACE_MAX];
    memset(r, 0, sizeof(*r));
    r->event = event;
    r->nr = nr;
    if ( nr )
        memcpy(r->data, extra_data, extra);
    r->domid = current ? current->domain->domain_id : 0x7fff;
    r->vcpu_id = current ? current->vcpu_id : 0;
}

unsigned int shim_trace_count(void)
{
    return trace_nr;
}

const struct shim_trace_rec *shim_trace_get(unsigned int i)
{
    return i < trace_nr ? &traces[(trace_first + i) % TRACE_MAX] : NULL;
}

const struct shim_trace_rec *shim_trace_find(uint32_t event,
                                             unsigned int from)
{
    unsigned int i;

    for ( i = from; i < trace_nr; i++ )
        if ( shim_trace_get(i)->event == event )
            return shim_trace_get(i);
    return NULL;
}

unsigned int shim_trace_count_event(uint32_t event)
{
    unsigned int i, n = 0;

    for ( i = 0; i < trace_nr; i++ )
        n += shim_trace_get(i)->event == event;
    return n;
}

void shim_trace_clear(void)
{
    trace_first = trace_nr = 0;
}

void shim_trace_enable(bool on)
{
    trace_on = on;
}

void shim_set_assert_hook(void (*hook)(const char *, const char *, int))
{
    assert_hook = hook;
}

void shim_assert_failed(const char *what, const char *file, int line)
{
    if ( assert_hook )
        assert_hook(what, file, line);
    fprintf(stderr, "shim: Assertion '%s' failed at %s:%d\n", what, file,
            line);
    abort();
}
