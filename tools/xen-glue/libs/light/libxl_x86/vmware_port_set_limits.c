/* The limits xl.cfg sets, over Xen's defaults (XEN_DMOP_VMPORT_*_LIMITS). */
static int vmware_port_set_limits(libxl__gc *gc, uint32_t domid,
                                  const libxl_domain_build_info *info)
{
    xendevicemodel_handle *dmod = xc_interface_dmod_handle(CTX->xch);
    struct xen_dm_op_vmport_limits l;

    if (!libxl_defbool_val(info->arch_x86.vmware_port) ||
        (!info->arch_x86.vmware_port_channels &&
         !info->arch_x86.vmware_guestinfo_value_max &&
         !info->arch_x86.vmware_guestinfo_max_kb))
        return 0;

    if (xendevicemodel_vmport_get_limits(dmod, domid, &l)) {
        LOGED(ERROR, domid, "Couldn't read the vmport limits");
        return ERROR_FAIL;
    }
    if (info->arch_x86.vmware_port_channels)
        l.max_channels = info->arch_x86.vmware_port_channels;
    if (info->arch_x86.vmware_guestinfo_value_max)
        l.gi_value_max = info->arch_x86.vmware_guestinfo_value_max;
    if (info->arch_x86.vmware_guestinfo_max_kb)
        l.gi_total_max = info->arch_x86.vmware_guestinfo_max_kb * 1024;
    if (xendevicemodel_vmport_set_limits(dmod, domid, &l)) {
        LOGED(ERROR, domid, "Couldn't set the vmport limits (channels %"
              PRIu32", guestinfo value %"PRIu32" bytes, %"PRIu32" KiB in all)",
              l.max_channels, l.gi_value_max, l.gi_total_max / 1024);
        return ERROR_FAIL;
    }
    return 0;
}
