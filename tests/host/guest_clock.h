/*
 * guest_clock.h: the domain's clock as a guest sees it, and the one check
 * of it that every guest of ours makes (guest_clock, guest_channels).
 *
 * The domain's frequencies - CPUID 0x40000010 (TSC kHz), GETHZ, GETMHZ -
 * must stay what they were at the first reading for the guest's whole
 * life, whichever host it runs on (Intel and AMD hosts have other TSCs);
 * GETTIME must never go back, even on a host whose wall clock is behind.
 * Header-only, for guest programs (built without the project's libraries).
 */
#ifndef GUEST_CLOCK_H
#define GUEST_CLOCK_H

#include <cpuid.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct guest_clock {
    uint32_t tsc_khz, gethz, getmhz;
    uint64_t gettime_us;
};

/* What a guest has seen so far: its first reading, its last GETTIME. */
struct guest_clock_seen {
    bool started;
    struct guest_clock first;
    uint64_t last_us;
};

/* One backdoor call on the LB port: EAX out (EBX out in *@b). */
static inline uint32_t guest_clock_bd(uint32_t cmd, uint32_t *b)
{
    uint32_t a = 0x564d5868U, bx = ~0U, c = cmd, d = 0x5658;

    asm volatile("in %%dx, %%eax"
                 : "+a"(a), "+b"(bx), "+c"(c), "+d"(d) : : "memory");
    if ( b )
        *b = bx;
    return a;
}

static inline void guest_clock_read(struct guest_clock *c)
{
    uint32_t a, b, cx, d, us;

    __cpuid(0x40000010U, a, b, cx, d);
    c->tsc_khz = a;
    c->gethz = guest_clock_bd(45, NULL);
    c->getmhz = guest_clock_bd(1, NULL);
    a = guest_clock_bd(23, &us);
    c->gettime_us = (uint64_t)a * 1000000 + us;
    (void)b;
    (void)cx;
    (void)d;
}

/*
 * Read the clock and check it against what @s saw: 0, or -1 with what
 * broke in @why (the first reading is the reference and always passes).
 */
static inline int guest_clock_check(struct guest_clock_seen *s, char *why,
                                    size_t len)
{
    struct guest_clock c;
    int rc = 0;

    guest_clock_read(&c);
    if ( !s->started )
    {
        s->started = true;
        s->first = c;
    }
    else if ( c.tsc_khz != s->first.tsc_khz || c.gethz != s->first.gethz ||
              c.getmhz != s->first.getmhz )
    {
        snprintf(why, len, "tsc_khz %u gethz %u getmhz %u, expected %u %u "
                 "%u as in round 0", c.tsc_khz, c.gethz, c.getmhz,
                 s->first.tsc_khz, s->first.gethz, s->first.getmhz);
        rc = -1;
    }
    if ( !rc && c.gettime_us < s->last_us )
    {
        snprintf(why, len, "GETTIME went back %llu us",
                 (unsigned long long)(s->last_us - c.gettime_us));
        rc = -1;
    }
    s->last_us = c.gettime_us;
    return rc;
}

#endif /* GUEST_CLOCK_H */
