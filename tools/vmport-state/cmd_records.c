/*
 * vmport-state records [--json] FILE: every record at every level, with
 * offsets and lengths; --json prints one JSON object per record per line,
 * for programs (the stress harness) to read.
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>

#include <vmport-stream-format.h>

#include "cli.h"

/* A PAGE_DATA record's pfn count and first pfn (skim mode loads those). */
static bool page_data(const struct vs_rec *r, uint32_t *count, uint64_t *pfn0)
{
    if ( r->level != VS_LEVEL_LIBXC || r->type != VS_REC_PAGE_DATA ||
         r->body_len < 16 )
        return false;
    memcpy(count, r->body, 4);
    memcpy(pfn0, r->body + 8, 8);
    *pfn0 &= VS_PFN_MASK;
    return true;
}

static int print_record(struct vs_stream *s, const struct vs_rec *r,
                        void *opaque)
{
    static const int indent[] = { 0, 0, 2, 4 };
    FILE *f = opaque;
    char type[32];
    uint32_t count;
    uint64_t pfn0;

    (void)s;
    snprintf(type, sizeof(type), "%s", vs_rec_name(r->level, r->type));
    fprintf(f, "0x%010" PRIx64 "  %-5s %*s%-*s type %#-10x length %-9u",
            r->offset, vs_level_name(r->level), indent[r->level], "",
            26 - indent[r->level], type, r->type, r->length);
    if ( r->level == VS_LEVEL_HVM )
        fprintf(f, " instance %u", r->instance);
    else if ( page_data(r, &count, &pfn0) )
        fprintf(f, " pfns %u first %#" PRIx64, count, pfn0);
    fputc('\n', f);
    return VS_KEEP;
}

/*
 * {"offset", "body_offset", "length", "level", "type", "name"
 *  [, "instance"] [, "pfns", "first_pfn"]}: offsets in the decompressed
 * input; the body follows the record's header (the xl header, a libxl or
 * libxc record header, an HVM save descriptor).
 */
static int print_json(struct vs_stream *s, const struct vs_rec *r,
                      void *opaque)
{
    FILE *f = opaque;
    struct json_object *o = json_object_new_object();
    uint32_t count;
    uint64_t pfn0;
    uint64_t hdr = r->level == VS_LEVEL_XL ? sizeof(struct vs_xl_hdr) :
                   r->level == VS_LEVEL_HVM ? sizeof(struct vs_hvm_desc) :
                   sizeof(struct vs_rhdr);

    (void)s;
    if ( !o )
        return -1;
    json_object_object_add(o, "offset", json_object_new_int64(r->offset));
    json_object_object_add(o, "body_offset",
                           json_object_new_int64(r->offset + hdr));
    json_object_object_add(o, "length", json_object_new_int64(r->length));
    json_object_object_add(o, "level",
                           json_object_new_string(vs_level_name(r->level)));
    json_object_object_add(o, "type", json_object_new_int64(r->type));
    json_object_object_add(o, "name", json_object_new_string(
                               vs_rec_name(r->level, r->type)));
    if ( r->level == VS_LEVEL_HVM )
        json_object_object_add(o, "instance",
                               json_object_new_int(r->instance));
    else if ( page_data(r, &count, &pfn0) )
    {
        json_object_object_add(o, "pfns", json_object_new_int64(count));
        json_object_object_add(o, "first_pfn",
                               json_object_new_int64((int64_t)pfn0));
    }
    fprintf(f, "%s\n", json_object_to_json_string_ext(o,
                JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return VS_KEEP;
}

static void summary(struct vs_stream *s, int rc, void *opaque)
{
    const char *comp = vs_input_compression(s);

    (void)opaque;
    if ( !rc )
        printf("stream: %s%s%s, no problems\n", comp ? comp : "",
               comp ? "-compressed " : "", vs_kind_name(vs_kind(s)));
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { 0 }
    };
    bool json = false;
    int o;

    while ( (o = cli_getopt(&cmd_records, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'j': json = true; break;
        default: return EXIT_USAGE;
        }
    if ( argc - optind > 1 )
        return cli_usage_error(&cmd_records, "unexpected '%s' (one FILE)",
                               argv[optind + 1]);
    if ( argc - optind != 1 )
        return cli_usage_error(&cmd_records, "expected one FILE");
    return cli_walk_file(argv[optind], VS_OPEN_SKIM,
                         json ? print_json : print_record, stdout,
                         json ? NULL : summary);
}

const struct cmd cmd_records = {
    .name = "records",
    .summary = "list every record at every level with offsets and lengths",
    .usage = "records [--json] FILE\n\n"
             "FILE is an xl save file, a libxl or libxc stream, a raw HVM\n"
             "context, or any of these gzip-compressed; - reads stdin.\n"
             "Offsets are in the decompressed stream.  --json prints one\n"
             "JSON object per record and line: offset, body_offset, length,\n"
             "level, type, name, and instance (HVM) or pfns and first_pfn\n"
             "(PAGE_DATA).  Problems are reported on stderr and make the\n"
             "exit status 1.",
    .run = run,
};
