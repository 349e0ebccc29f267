/*
 * guest-cpuid: run in the vmport test guest's user space (static, no
 * libraries), print the hypervisor CPUID leaves the series shows a vmport
 * domain, one line each, for dom0 to check on the guest's console:
 *
 *   cpuid 0x40000000 eax=MAX sig=VMwareVMware
 *   cpuid 0x40000010 tsc_khz=N apic_khz=N
 *   cpuid 0x40000100 eax=MAX sig=XenVMMXenVMM
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

static void leaf(unsigned int l, unsigned int r[4])
{
    __cpuid(l, r[0], r[1], r[2], r[3]);
}

static void signature(unsigned int l)
{
    unsigned int r[4];
    char sig[13];

    leaf(l, r);
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = '\0';
    for ( int i = 0; i < 12; i++ )
        if ( sig[i] < 0x20 || sig[i] > 0x7e )
            sig[i] = '?';
    printf("cpuid %#x eax=%#x sig=%s\n", l, r[0], sig);
}

int main(void)
{
    unsigned int r[4];

    signature(0x40000000);
    leaf(0x40000010, r);
    printf("cpuid 0x40000010 tsc_khz=%u apic_khz=%u\n", r[0], r[1]);
    signature(0x40000100);
    return 0;
}
