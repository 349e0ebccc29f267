/*
 * The record walker and writer are hypervisor code shared with the tools,
 * as Xen's libxenguest builds xen/lib/x86/: compiled here unchanged.
 */
#include "../../../xen/arch/x86/hvm/vmware/record.c"
