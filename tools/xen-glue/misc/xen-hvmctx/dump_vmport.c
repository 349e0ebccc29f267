/*
 * VMPORT is variable-length and versioned: walk desc.length bytes, never
 * sizeof() of a struct, so a record from another version keeps the walk in
 * step.  Only the header and the section headers are shown.
 */
static void dump_vmport(uint32_t length)
{
    struct hvm_vmport_header h = {};
    struct hvm_vmport_section s;
    uint32_t pos;

    if ( length > len - off )
    {
        printf("Error: VMPORT record of %u bytes, only %u available\n",
               length, len - off);
        exit(1);
    }

    memcpy(&h, buf + off, length < sizeof(h) ? length : sizeof(h));
    printf("    VMPORT: magic %#x, version %u, hdr_len %u, flags %#x\n"
           "            body_len %u, body_crc %#010x\n",
           h.magic, h.version, h.hdr_len, h.flags, h.body_len, h.body_crc);
    if ( length < sizeof(h) || h.hdr_len < sizeof(h) || h.hdr_len > length )
    {
        printf("    VMPORT: header of %u bytes in a %u byte record: "
               "sections not shown\n", h.hdr_len, length);
        off += length;
        return;
    }

    for ( pos = h.hdr_len; length - pos >= sizeof(s); )
    {
        memcpy(&s, buf + off + pos, sizeof(s));
        pos += sizeof(s);
        printf("    VMPORT: section type %u, flags %#x, length %u\n",
               s.type, s.flags, s.length);
        if ( s.length > length - pos )
        {
            printf("    VMPORT: section runs %u bytes past the record\n",
                   s.length - (length - pos));
            break;
        }
        pos += s.length;
    }

    off += length;
}
