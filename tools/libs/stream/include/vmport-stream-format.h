/*
 * vmport-stream-format.h: every wire structure the stream library reads
 * or writes (part of its public interface), and
 * nothing else.  Xen does not install its stream format headers
 * (xg_sr_stream_format.h, libxl_sr_stream_format.h), so they are
 * restated here from the published specs (docs/specs/libxc-migration-
 * stream.pandoc rev 3, libxl-migration-stream.pandoc rev 2) and xl.h.
 * Each struct is pinned by a size assertion: the layout is the contract.
 */
#ifndef VS_FORMAT_H
#define VS_FORMAT_H

#include <stdint.h>

/* ---- xl save file (tools/xl/xl.h) ------------------------------------ */
#define VS_XL_MAGIC "Xen saved domain, xl format\n \0 \r"
#define VS_XL_MAGIC_LEN 32
#define VS_XL_BYTEORDER 0x01020304U
#define VS_XL_MFLAG_JSON     (1U << 0)
#define VS_XL_MFLAG_STREAMV2 (1U << 1)
#define VS_XL_MFLAGS_KNOWN   (VS_XL_MFLAG_JSON | VS_XL_MFLAG_STREAMV2)
/* Bound on the optional data (the JSON domain config) we accept. */
#define VS_XL_OPTDATA_MAX (16U << 20)

struct vs_xl_hdr {
    char magic[VS_XL_MAGIC_LEN];
    uint32_t byteorder;         /* native (LE) */
    uint32_t mandatory_flags;
    uint32_t optional_flags;
    uint32_t optional_data_len; /* u32 config_len + config follow */
};
_Static_assert(sizeof(struct vs_xl_hdr) == 48, "xl save header");

/* ---- libxl stream v2 ------------------------------------------------- */
#define VS_LIBXL_IDENT   0x4c6962786c466d74ULL /* "LibxlFmt", BE */
#define VS_LIBXL_VERSION 2
#define VS_LIBXL_OPT_BIG_ENDIAN (1U << 0)
#define VS_LIBXL_OPT_LEGACY     (1U << 1)

struct vs_libxl_hdr {
    uint64_t ident;             /* BE */
    uint32_t version;           /* BE */
    uint32_t options;           /* BE */
};
_Static_assert(sizeof(struct vs_libxl_hdr) == 16, "libxl stream header");

#define VS_LIBXL_END                    0x00000000U
#define VS_LIBXL_LIBXC_CONTEXT          0x00000001U
#define VS_LIBXL_EMULATOR_XENSTORE_DATA 0x00000002U
#define VS_LIBXL_EMULATOR_CONTEXT       0x00000003U
#define VS_LIBXL_CHECKPOINT_END         0x00000004U
#define VS_LIBXL_CHECKPOINT_STATE       0x00000005U

/* ---- libxc stream v2/v3 ---------------------------------------------- */
#define VS_IHDR_MARKER  0xffffffffffffffffULL
#define VS_IHDR_ID      0x58454E46U    /* "XENF" */
#define VS_IHDR_OPT_BIG_ENDIAN (1U << 0)

struct vs_libxc_ihdr {
    uint64_t marker;            /* all BE */
    uint32_t id;
    uint32_t version;
    uint16_t options;
    uint16_t res1;
    uint32_t res2;
};
_Static_assert(sizeof(struct vs_libxc_ihdr) == 24, "libxc image header");

#define VS_DHDR_TYPE_X86_PV  1U
#define VS_DHDR_TYPE_X86_HVM 2U

struct vs_libxc_dhdr {
    uint32_t type;              /* LE from here on */
    uint16_t page_shift;
    uint16_t res1;
    uint32_t xen_major;
    uint32_t xen_minor;
};
_Static_assert(sizeof(struct vs_libxc_dhdr) == 16, "libxc domain header");

/* Record header, shared by libxl and libxc streams. */
struct vs_rhdr {
    uint32_t type;
    uint32_t length;
};
_Static_assert(sizeof(struct vs_rhdr) == 8, "record header");

#define VS_REC_ALIGN      8U
#define VS_REC_LENGTH_MAX (128U << 20)
#define VS_REC_OPTIONAL   0x80000000U

#define VS_REC_END                       0x00U
#define VS_REC_PAGE_DATA                 0x01U
#define VS_REC_X86_PV_INFO               0x02U
#define VS_REC_X86_PV_P2M_FRAMES         0x03U
#define VS_REC_X86_PV_VCPU_BASIC         0x04U
#define VS_REC_X86_PV_VCPU_EXTENDED      0x05U
#define VS_REC_X86_PV_VCPU_XSAVE         0x06U
#define VS_REC_SHARED_INFO               0x07U
#define VS_REC_X86_TSC_INFO              0x08U
#define VS_REC_HVM_CONTEXT               0x09U
#define VS_REC_HVM_PARAMS                0x0aU
#define VS_REC_TOOLSTACK                 0x0bU
#define VS_REC_X86_PV_VCPU_MSRS          0x0cU
#define VS_REC_VERIFY                    0x0dU
#define VS_REC_CHECKPOINT                0x0eU
#define VS_REC_CHECKPOINT_DIRTY_PFN_LIST 0x0fU
#define VS_REC_STATIC_DATA_END           0x10U
#define VS_REC_X86_CPUID_POLICY          0x11U
#define VS_REC_X86_MSR_POLICY            0x12U
#define VS_REC_TYPE_COUNT                0x13U

struct vs_page_data_hdr {
    uint32_t count;
    uint32_t res1;
    /* uint64_t pfn[count]; then one page per populated pfn */
};
_Static_assert(sizeof(struct vs_page_data_hdr) == 8, "PAGE_DATA header");

#define VS_PAGE_SIZE        4096U
#define VS_PAGE_SHIFT       12U
#define VS_PFN_MASK         0x000fffffffffffffULL
#define VS_PFN_TYPE_SHIFT   60
#define VS_PFN_TYPE_RES     0x0ff0000000000000ULL /* bits 59-52 */
#define VS_PFINFO_BROKEN    0xdU
#define VS_PFINFO_XALLOC    0xeU
#define VS_PFINFO_XTAB      0xfU
/* Xen's MAX_BATCH_SIZE: the saver never sends more pfns per record. */
#define VS_PAGE_BATCH_MAX   1024U

struct vs_tsc_info {
    uint32_t mode;
    uint32_t khz;
    uint64_t nsec;
    uint32_t incarnation;
    uint32_t res1;
};
_Static_assert(sizeof(struct vs_tsc_info) == 24, "X86_TSC_INFO body");

struct vs_hvm_param {
    uint64_t index;
    uint64_t value;
};
_Static_assert(sizeof(struct vs_hvm_param) == 16, "HVM_PARAMS entry");

struct vs_hvm_params_hdr {
    uint32_t count;
    uint32_t res1;
};
_Static_assert(sizeof(struct vs_hvm_params_hdr) == 8, "HVM_PARAMS header");

struct vs_cpuid_leaf {
    uint32_t leaf, subleaf, a, b, c, d;
};
_Static_assert(sizeof(struct vs_cpuid_leaf) == 24, "CPUID policy leaf");

struct vs_msr_entry {
    uint32_t idx, flags;
    uint64_t val;
};
_Static_assert(sizeof(struct vs_msr_entry) == 16, "MSR policy entry");

/* ---- HVM context blob (xen/hvm/save.h) ------------------------------- */
struct vs_hvm_desc {
    uint16_t typecode;
    uint16_t instance;
    uint32_t length;            /* body bytes, descriptor excluded */
};
_Static_assert(sizeof(struct vs_hvm_desc) == 8, "HVM save descriptor");

#define VS_HVM_FILE_MAGIC   0x54381286U
#define VS_HVM_FILE_VERSION 1U
#define VS_HVM_HEADER_LEN   24U

#endif /* VS_FORMAT_H */
