/*
 * guest_clock.c: what a guest sees of time, across hosts.
 *
 *   guest_clock [ROUNDS]
 *
 * Each round reads CPUID 0x40000010 (TSC kHz), GETHZ, GETMHZ and GETTIME
 * and checks them (guest_clock.h): the frequencies are the domain's and
 * must not change between rounds even when the guest moves to a host with
 * another TSC; GETTIME must never go backwards even when it moves to a
 * host whose clock is behind.  Prints one line; exit 0 only if both held.
 */

#include <stdlib.h>

#include "guest_clock.h"

int main(int argc, char **argv)
{
    unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 4, i;
    struct guest_clock_seen seen = { 0 };
    char why[160];

    for ( i = 0; i < rounds; i++ )
        if ( guest_clock_check(&seen, why, sizeof(why)) )
        {
            printf("clock: round %lu: %s\n", i, why);
            return 1;
        }
    printf("clock: tsc_khz=%u gethz=%u getmhz=%u rounds=%lu monotonic\n",
           seen.first.tsc_khz, seen.first.gethz, seen.first.getmhz, rounds);
    return 0;
}
