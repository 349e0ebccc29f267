        /*
         * Write-once, before the guest first runs, and the only write:
         * the same here on create and on restore.  The stream does not
         * carry the parameter; the VMPORT record in the HVM context, loaded
         * after this, finds vmport on with its own hardware version and
         * loads its state into it.
         */
        if (libxl_defbool_val(info->arch_x86.vmware_port) &&
            xc_hvm_param_set(xch, domid, HVM_PARAM_VMPORT_HWVER,
                             info->arch_x86.vmware_hwver)) {
            LOGE(ERROR, "Couldn't set HVM_PARAM_VMPORT_HWVER to %"PRIu32
                 " (does the hypervisor have CONFIG_HVM_VMPORT?)",
                 info->arch_x86.vmware_hwver);
            goto out;
        }
