/*
 * seccomp_filter.h: the syscalls the host must see in the guest.
 *
 * Installed in the guest before it execs and inherited by everything it
 * starts.  SECCOMP_RET_TRACE stops the guest for the tracer (which needs
 * PTRACE_O_TRACESECCOMP); the data field says why.
 */

#ifndef VMPORT_HOST_SECCOMP_FILTER_H
#define VMPORT_HOST_SECCOMP_FILTER_H

/* socket(AF_VSOCK, ...): failed with EAFNOSUPPORT, so tools use the port. */
#define SECCOMP_TAG_VSOCK       1
/* mmap/mprotect with PROT_EXEC: new code to scan for CPUID at the exit. */
#define SECCOMP_TAG_EXEC_MAP    2

/* Runs in the child before exec: no_new_privs, then the filter. */
int seccomp_filter_install(void);

#endif /* VMPORT_HOST_SECCOMP_FILTER_H */
