/*
 * clock.c: the shim's virtual clock and random source.
 *
 * NOW() only moves when a test moves it; get_localtime_us() is computed as
 * Xen's common/time.c does, from a settable boot wall clock plus the
 * domain's RTC offset.
 */

#include <xen/random.h>
#include <xen/sched.h>
#include <xen/time.h>

#include <shim.h>

static s_time_t now_ns = SECONDS(1);
static uint64_t wc_sec = 1767225600;    /* 2026-01-01 00:00:00 UTC */
static uint32_t wc_nsec;
static uint64_t rnd_state = 0x853c49e6748fea9bULL;

s_time_t get_s_time(void)
{
    return now_ns;
}

void shim_clock_set_now(s_time_t now)
{
    now_ns = now;
}

void shim_clock_advance(s_time_t delta)
{
    now_ns += delta;
}

void shim_clock_set_wallclock(uint64_t sec, uint32_t nsec)
{
    wc_sec = sec;
    wc_nsec = nsec;
}

void shim_clock_set_offset(struct domain *d, int64_t seconds)
{
    d->time_offset.seconds = seconds;
    d->time_offset.set = true;
}

uint64_t get_localtime_us(struct domain *d)
{
    return (SECONDS(wc_sec + d->time_offset.seconds) + wc_nsec + NOW())
           / 1000UL;
}

uint64_t get_localtime(struct domain *d)
{
    return wc_sec + (wc_nsec + NOW()) / 1000000000ULL
           + d->time_offset.seconds;
}

/* splitmix64: tiny, and every seed gives a good, repeatable sequence. */
unsigned int get_random(void)
{
    uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (unsigned int)(z ^ (z >> 31));
}

void shim_seed_random(uint64_t seed)
{
    rnd_state = seed;
}
