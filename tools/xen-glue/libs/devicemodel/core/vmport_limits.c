int xendevicemodel_vmport_get_limits(
    xendevicemodel_handle *dmod, domid_t domid,
    struct xen_dm_op_vmport_limits *limits)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_vmport,
        .u.vmport.cmd = XEN_DMOP_VMPORT_GET_LIMITS,
    };

    return xendevicemodel_op(dmod, domid, 2, &op, sizeof(op),
                             limits, sizeof(*limits));
}

int xendevicemodel_vmport_set_limits(
    xendevicemodel_handle *dmod, domid_t domid,
    const struct xen_dm_op_vmport_limits *limits)
{
    struct xen_dm_op op = {
        .op = XEN_DMOP_vmport,
        .u.vmport.cmd = XEN_DMOP_VMPORT_SET_LIMITS,
    };
    struct xen_dm_op_vmport_limits copy = *limits;

    return xendevicemodel_op(dmod, domid, 2, &op, sizeof(op),
                             &copy, sizeof(copy));
}
