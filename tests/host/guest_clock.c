/*
 * guest_clock.c: what a guest sees of time, across hosts.
 *
 *   guest_clock [ROUNDS]
 *
 * Each round reads CPUID 0x40000010 (TSC kHz), GETHZ, GETMHZ and GETTIME.
 * The frequencies are the domain's and must not change between rounds
 * even when the guest moves to a host with another TSC; GETTIME must
 * never go backwards even when it moves to a host whose clock is behind.
 * Prints one line; exit 0 only if both held.
 */

#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MAGIC 0x564d5868U

struct out {
    uint32_t a, b, c, d;
};

static struct out backdoor(uint32_t cmd)
{
    struct out o = { MAGIC, ~0U, cmd, 0x5658 };

    asm volatile("in %%dx, %%eax"
                 : "+a"(o.a), "+b"(o.b), "+c"(o.c), "+d"(o.d) : : "memory");
    return o;
}

int main(int argc, char **argv)
{
    unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 4, i;
    uint32_t khz0 = 0, hz0 = 0, mhz0 = 0, a, b, c, d;
    uint64_t last_us = 0;

    for ( i = 0; i < rounds; i++ )
    {
        struct out hz, mhz, t;
        uint64_t us;

        __cpuid(0x40000010U, a, b, c, d);
        hz = backdoor(45);
        mhz = backdoor(1);
        t = backdoor(23);
        us = (uint64_t)t.a * 1000000 + t.b;
        if ( i == 0 )
        {
            khz0 = a;
            hz0 = hz.a;
            mhz0 = mhz.a;
        }
        else if ( a != khz0 || hz.a != hz0 || mhz.a != mhz0 )
        {
            printf("clock: round %lu: tsc_khz %u gethz %u getmhz %u, "
                   "expected %u %u %u as in round 0\n", i, a, hz.a, mhz.a,
                   khz0, hz0, mhz0);
            return 1;
        }
        if ( us < last_us )
        {
            printf("clock: round %lu: GETTIME went back %llu us\n", i,
                   (unsigned long long)(last_us - us));
            return 1;
        }
        last_us = us;
    }
    (void)c;
    (void)d;
    printf("clock: tsc_khz=%u gethz=%u getmhz=%u rounds=%lu monotonic\n",
           khz0, hz0, mhz0, rounds);
    return 0;
}
