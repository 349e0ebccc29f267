/*
 * seccomp_filter.c: the guest's seccomp program.
 */

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "seccomp_filter.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

#define ARG_LO(n) offsetof(struct seccomp_data, args[n])

int seccomp_filter_install(void)
{
    struct sock_filter prog[] = {
        /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                         offsetof(struct seccomp_data, arch)),
        /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 13),
        /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                         offsetof(struct seccomp_data, nr)),
        /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 2),
        /* socket: only the AF_VSOCK family. */
        /* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
        /* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_VSOCK, 8, 9),
        /* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 1, 0),
        /* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 0, 2),
        /* mmap/mprotect: only when the new protection allows execution. */
        /* 8 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
        /* 9 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 3, 5),
        /*
         * iopl/ioperm would let the guest's `in` reach the real ports
         * (and whatever hypervisor is under this machine) without the #GP
         * that brings it to the device model.
         */
        /* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_iopl, 1, 0),
        /* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioperm, 0, 3),
        /* 12 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        /* 13 */ BPF_STMT(BPF_RET | BPF_K,
                          SECCOMP_RET_TRACE | SECCOMP_TAG_EXEC_MAP),
        /* 14 */ BPF_STMT(BPF_RET | BPF_K,
                          SECCOMP_RET_TRACE | SECCOMP_TAG_VSOCK),
        /* 15 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = {
        .len = sizeof(prog) / sizeof(prog[0]),
        .filter = prog,
    };

    if ( prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) )
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog);
}
