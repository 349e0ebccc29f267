/*
 * guest_iopl.c: a guest that asks for real port access.
 *
 * With iopl(3) or ioperm() an `in` would not raise #GP and would reach the
 * real ports (and any hypervisor under this machine) instead of the
 * device model.  Under the host both calls must fail with EPERM.  Prints
 * "iopl=<errno> ioperm=<errno>".
 */

#include <errno.h>
#include <stdio.h>
#include <sys/io.h>

int main(void)
{
    int a = iopl(3) ? errno : 0;
    int b = ioperm(0x5658, 2, 1) ? errno : 0;

    printf("iopl=%s ioperm=%s\n", a == EPERM ? "EPERM" : a ? "error" : "ok",
           b == EPERM ? "EPERM" : b ? "error" : "ok");
    return 0;
}
