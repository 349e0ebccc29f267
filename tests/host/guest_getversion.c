/*
 * guest_getversion.c: a guest of our own for the host tests.
 *
 *   guest_getversion [N]
 *
 * Checks the CPUID signature at 0x40000000, then issues N (default 1)
 * backdoor GETVERSION calls with `in eax, dx` from user mode, and prints
 * "sig=<signature> version=<eax> magic=<ebx>".  Exit 0 only if every call
 * answered EAX=6, EBX=magic.  Without a host the `in` raises SIGSEGV.
 */

#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC 0x564d5868U

static void getversion(uint32_t *eax, uint32_t *ebx)
{
    uint32_t a = MAGIC, b = ~MAGIC, c = 10, d = 0x5658;

    asm volatile("in %%dx, %%eax"
                 : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
    *eax = a;
    *ebx = b;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1, i;
    uint32_t a, b, c, d, sig[3];
    char name[13];

    __cpuid(0x40000000U, a, sig[0], sig[1], sig[2]);
    memcpy(name, sig, 12);
    name[12] = 0;
    for ( i = 0; i < n; i++ )
    {
        getversion(&a, &b);
        if ( a != 6 || b != MAGIC )
        {
            printf("call %lu: version=%u magic=%#x\n", i, a, b);
            return 1;
        }
    }
    (void)c;
    (void)d;
    printf("sig=%s version=%u magic=%#x\n", name, a, b);
    return 0;
}
