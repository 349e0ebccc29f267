/*
 * guest_threads.c: CPUID and backdoor calls from several threads at once.
 *
 *   guest_threads [THREADS] [CALLS]
 *
 * Threads share one address space, so they share the host's CPUID
 * breakpoints; each thread checks the signature and GETVERSION on every
 * call.  Prints "threads: N x M ok"; exit 0 only if every call was right.
 */

#include <cpuid.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC 0x564d5868U

static unsigned long calls = 1000;

static void *worker(void *arg)
{
    unsigned long i, bad = 0;

    (void)arg;
    for ( i = 0; i < calls; i++ )
    {
        uint32_t a, b, c, d, sig[3];

        __cpuid(0x40000000U, a, sig[0], sig[1], sig[2]);
        if ( memcmp(sig, "VMwareVMware", 12) )
            bad++;
        a = MAGIC;
        b = 0;
        c = 10;
        d = 0x5658;
        asm volatile("in %%dx, %%eax"
                     : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
        if ( a != 6 || b != MAGIC )
            bad++;
    }
    return (void *)bad;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 4, i, bad = 0;
    pthread_t t[64];

    if ( argc > 2 )
        calls = strtoul(argv[2], NULL, 0);
    if ( n > 64 )
        n = 64;
    for ( i = 0; i < n; i++ )
        pthread_create(&t[i], NULL, worker, NULL);
    for ( i = 0; i < n; i++ )
    {
        void *r;

        pthread_join(t[i], &r);
        bad += (unsigned long)r;
    }
    if ( bad )
    {
        printf("threads: %lu of %lu calls wrong\n", bad, n * calls * 2);
        return 1;
    }
    printf("threads: %lu x %lu ok\n", n, calls);
    return 0;
}
