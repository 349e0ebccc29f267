/*
 * guest_badport.c: an `in` on a port that is not the backdoor's.
 *
 * The host must not claim it: the guest gets the #GP as SIGSEGV, exactly
 * as without a host, and dies with it (exit status 139 from a shell).
 */

#include <stdint.h>

int main(void)
{
    uint32_t a = 0x564d5868U, d = 0x5660;

    asm volatile("in %%dx, %%eax" : "+a"(a), "+d"(d) : : "memory");
    return 0;
}
