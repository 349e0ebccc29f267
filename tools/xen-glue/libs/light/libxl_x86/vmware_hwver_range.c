/* The hardware version VMware's CPUID leaves first appeared with. */
#define VMWARE_HWVER_DEFAULT 7
#define VMWARE_HWVER_MAX     255
