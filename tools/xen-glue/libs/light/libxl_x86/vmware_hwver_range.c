/*
 * The hardware version VMware's CPUID leaves first appeared with; the
 * range is the public header's (HVM_VMPORT_HWVER_MIN/MAX).
 */
#define VMWARE_HWVER_DEFAULT 7
