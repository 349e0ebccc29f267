/* Copy @len bytes to the start of buffer @idx, if it is big enough. */
static bool copy_to_guest_buf(const struct dmop_args *args, unsigned int idx,
                              const void *src, size_t len)
{
    if ( idx >= args->nr_bufs || args->buf[idx].size < len )
        return false;

    return !copy_to_guest_offset(args->buf[idx].h, 0, src, len);
}

/* The guestinfo key in buf[1]: 1 to VMPORT_GI_KEY_MAX_LIMIT bytes. */
static int vmport_key_from_guest(const struct dmop_args *args, uint32_t len,
                                 char **key)
{
    if ( !len || len > VMPORT_GI_KEY_MAX_LIMIT )
        return -EINVAL;

    *key = xmalloc_array(char, len);
    if ( !*key )
        return -ENOMEM;

    if ( !_raw_copy_from_guest_buf_offset(*key, args, 1, 0, len) )
        return -EFAULT;

    return 0;
}

/*
 * A value buffer of @len bytes (up to 64 KiB): page-sized allocations
 * above a page (vmport_buf_alloc()), so a dom0 request never makes Xen
 * find a contiguous high-order block.  *size is what to free.
 */
static uint8_t *vmport_val_alloc(uint32_t len, size_t *size)
{
    *size = max(len, 1U);

    return vmport_buf_alloc(*size, false);
}

static int dm_op_vmport_gi(struct domain *d, const struct dmop_args *args,
                           struct xen_dm_op_vmport *data)
{
    char *key = NULL;
    uint8_t *val = NULL;
    size_t val_size = 0;
    uint32_t len;
    int rc;

    if ( data->cmd == XEN_DMOP_VMPORT_GI_KEY )
    {
        len = min_t(uint32_t, data->key_len, VMPORT_GI_KEY_MAX_LIMIT);
        rc = -ENOMEM;
        key = xmalloc_array(char, max(len, 1U));
        if ( !key )
            goto out;
        rc = vmport_guestinfo_key(d, data->idx, key, &len);
        if ( rc == -ENOBUFS )
            rc = 0;
        else if ( !rc && !copy_to_guest_buf(args, 1, key, len) )
            rc = -EFAULT;
        data->key_len = len;
        goto out;
    }

    rc = vmport_key_from_guest(args, data->key_len, &key);
    if ( rc )
        goto out;

    switch ( data->cmd )
    {
    case XEN_DMOP_VMPORT_GI_GET:
        len = min_t(uint32_t, data->val_len, VMPORT_GI_VALUE_MAX_LIMIT);
        rc = -ENOMEM;
        val = vmport_val_alloc(len, &val_size);
        if ( !val )
            break;
        rc = vmport_guestinfo_get(d, key, data->key_len, val, &len);
        if ( rc == -ENOBUFS )
            rc = 0;
        else if ( !rc && !copy_to_guest_buf(args, 2, val, len) )
            rc = -EFAULT;
        data->val_len = len;
        break;

    case XEN_DMOP_VMPORT_GI_SET:
        len = data->val_len;
        rc = -EINVAL;
        if ( len > VMPORT_GI_VALUE_MAX_LIMIT )
            break;
        rc = -ENOMEM;
        val = vmport_val_alloc(len, &val_size);
        if ( !val )
            break;
        rc = -EFAULT;
        if ( !_raw_copy_from_guest_buf_offset(val, args, 2, 0, len) )
            break;
        rc = vmport_guestinfo_set(d, key, data->key_len, val, len);
        break;

    case XEN_DMOP_VMPORT_GI_UNSET:
        rc = vmport_guestinfo_unset(d, key, data->key_len);
        break;

    default:
        rc = -EOPNOTSUPP;
        break;
    }

 out:
    vmport_buf_free(val, val_size);
    xfree(key);

    return rc;
}

/*
 * The limits and the memory use, in buf[1].  The public struct mirrors
 * struct vmport_limits field by field, so neither depends on the other's
 * layout.
 */
#define VMPORT_LIMIT_FIELDS(op)                                     \
    op(max_channels) op(gi_key_max) op(gi_value_max) op(gi_max_keys) \
    op(gi_total_max) op(tclo_queue_max) op(idle_timeout_ms)          \
    op(trigger_timeout_ms)

static int dm_op_vmport_limits(struct domain *d, const struct dmop_args *args,
                               uint32_t cmd)
{
    struct xen_dm_op_vmport_limits pl = {};
    struct xen_dm_op_vmport_usage u = {};
    struct vmport_limits l;
    int rc;

#define TO_PUBLIC(f)   pl.f = l.f;
#define FROM_PUBLIC(f) l.f = pl.f;
    BUILD_BUG_ON(sizeof(pl) != sizeof(l));

    switch ( cmd )
    {
    case XEN_DMOP_VMPORT_GET_LIMITS:
        rc = vmport_get_limits(d, &l);
        if ( rc )
            return rc;
        VMPORT_LIMIT_FIELDS(TO_PUBLIC)
        return copy_to_guest_buf(args, 1, &pl, sizeof(pl)) ? 0 : -EFAULT;

    case XEN_DMOP_VMPORT_SET_LIMITS:
        if ( !COPY_FROM_GUEST_BUF_OFFSET(pl, args, 1, 0) )
            return -EFAULT;
        VMPORT_LIMIT_FIELDS(FROM_PUBLIC)
        return vmport_set_limits(d, &l);

    case XEN_DMOP_VMPORT_GET_USAGE:
        u.mem_used = vmport_mem_used(d);
        u.mem_budget = vmport_mem_budget(d);
        return copy_to_guest_buf(args, 1, &u, sizeof(u)) ? 0 : -EFAULT;
    }
#undef TO_PUBLIC
#undef FROM_PUBLIC

    return -EOPNOTSUPP;
}

static int dm_op_vmport(struct domain *d, const struct dmop_args *args,
                        struct xen_dm_op_vmport *data)
{
    struct vmport_trigger_status st;
    int rc;

    BUILD_BUG_ON(XEN_DMOP_VMPORT_TRIGGER_HALT != VMPORT_TRIGGER_HALT);
    BUILD_BUG_ON(XEN_DMOP_VMPORT_TRIGGER_REBOOT != VMPORT_TRIGGER_REBOOT);

    if ( data->pad )
        return -EINVAL;

    if ( !hvm_vmport_domain(d) )
        return -ENODEV;

    switch ( data->cmd )
    {
    case XEN_DMOP_VMPORT_GI_GET:
    case XEN_DMOP_VMPORT_GI_SET:
    case XEN_DMOP_VMPORT_GI_UNSET:
    case XEN_DMOP_VMPORT_GI_KEY:
        return dm_op_vmport_gi(d, args, data);

    case XEN_DMOP_VMPORT_GET_LIMITS:
    case XEN_DMOP_VMPORT_SET_LIMITS:
    case XEN_DMOP_VMPORT_GET_USAGE:
        return dm_op_vmport_limits(d, args, data->cmd);

    case XEN_DMOP_VMPORT_TRIGGER:
        if ( data->idx != XEN_DMOP_VMPORT_TRIGGER_HALT &&
             data->idx != XEN_DMOP_VMPORT_TRIGGER_REBOOT )
            return -EINVAL;
        return vmport_trigger(d, data->idx);

    case XEN_DMOP_VMPORT_TRIGGER_STATUS:
        rc = vmport_trigger_status(d, &st);
        if ( rc )
            return rc;
        data->trigger_op = st.op;
        data->trigger_state = st.state;
        data->guest_status = st.guest_status;
        data->elapsed_ns = st.elapsed_ns;
        return 0;
    }

    return -EOPNOTSUPP;
}
