/*
 * guest_imm.c: CPUID bytes that are not a CPUID instruction.
 *
 * The immediates below contain 0F A2.  A host that planted INT3 on a byte
 * pattern instead of decoded instructions would corrupt them (0F -> CC)
 * or make the guest trap in the middle of an instruction.  Prints the
 * values; exit 0 if they are intact and the real CPUID after them works.
 */

#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    uint64_t v;
    uint32_t w, a, b, c, d;

    asm volatile("movabs $0x1122a20f33445566, %0" : "=r"(v));
    asm volatile("mov $0x33a20f11, %0" : "=r"(w));
    __cpuid(0, a, b, c, d);
    (void)b;
    (void)c;
    (void)d;
    printf("imm64=%#llx imm32=%#x\n", (unsigned long long)v, w);
    return v == 0x1122a20f33445566ULL && w == 0x33a20f11U && a ? 0 : 1;
}
