/**
 * This function reads the limits of a domain's VMware backdoor (vmport):
 * channels, guestinfo sizes, TCLO queue depth, timeouts.
 *
 * @parm dmod a handle to an open devicemodel interface.
 * @parm domid the domain id to be serviced.
 * @parm limits filled with the limits.
 * @return 0 on success, or -1 on failure (errno ENODEV: vmport is off).
 */
struct xen_dm_op_vmport_limits;
int xendevicemodel_vmport_get_limits(
    xendevicemodel_handle *dmod, domid_t domid,
    struct xen_dm_op_vmport_limits *limits);

/**
 * This function sets the limits of a domain's VMware backdoor, which
 * bound the memory the guest can make Xen allocate for it.  Only before
 * the domain first runs (errno EBUSY after); each limit must be in its
 * range (EINVAL).
 *
 * @parm dmod a handle to an open devicemodel interface.
 * @parm domid the domain id to be serviced.
 * @parm limits the new limits, every field.
 * @return 0 on success, or -1 on failure.
 */
int xendevicemodel_vmport_set_limits(
    xendevicemodel_handle *dmod, domid_t domid,
    const struct xen_dm_op_vmport_limits *limits);
