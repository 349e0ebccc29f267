/* vmport-state encode [JSON|-] [-o OUT]: dump --json back to binary. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include <vmport-record.h>
#include <vmport-stream-format.h>

/*
 * The most JSON encode reads: a record fits in an HVM context
 * (VS_REC_LENGTH_MAX); dump --json spells each byte of it with at most two
 * characters (hex, or a printable that may need escaping), and the
 * structure around them is far smaller than a third VS_REC_LENGTH_MAX.
 */
#define ENCODE_JSON_MAX (3ULL * VS_REC_LENGTH_MAX)

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while ( n )
    {
        ssize_t r = write(fd, p, n);

        if ( r < 0 && errno == EINTR )
            continue;
        if ( r <= 0 )
        {
            if ( !r )
                errno = EIO;
            return -1;
        }
        p += r;
        n -= r;
    }
    return 0;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "force", no_argument, NULL, 'f' },
        { 0 }
    };
    const char *in = "-", *out = "-";
    struct json_object *j;
    struct vrec r;
    char err[256];
    uint8_t *buf;
    size_t len;
    struct cli_out dst;
    int o, rc = EXIT_OK;

    while ( (o = cli_getopt(&cmd_encode, argc, argv, "o:", opts)) != -1 )
        switch ( o )
        {
        case 'o': out = optarg; break;
        case 'f': cli_out_flags |= VS_FILE_FORCE; break;
        default: return EXIT_USAGE;
        }
    if ( argc - optind > 1 )
        return cli_usage_error(&cmd_encode, "unexpected '%s'",
                               argv[optind]);
    if ( optind < argc )
        in = argv[optind];

    rc = cli_json_read(&cmd_encode, in, ENCODE_JSON_MAX, &j);
    if ( rc )
        return rc;
    rc = vrec_from_json(j, &r, err, sizeof(err));
    json_object_put(j);
    if ( rc )
    {
        fprintf(stderr, "vmport-state encode: %s: %s\n", in, err);
        return EXIT_PROBLEMS;
    }
    rc = vrec_emit(&r, &buf, &len, err, sizeof(err));
    vrec_free(&r);
    if ( rc )
    {
        fprintf(stderr, "vmport-state encode: %s: %s\n", in, err);
        return EXIT_PROBLEMS;
    }
    if ( cli_out_open(&dst, out, 0) )
        rc = EXIT_IO;
    else
        rc = cli_out_finish(&dst, EXIT_OK,
                            write_all(dst.fd, buf, len) ? errno : 0);
    free(buf);
    return rc;
}

const struct cmd cmd_encode = {
    .name = "encode",
    .summary = "turn `dump --json` output back into a binary VMPORT record",
    .usage = "encode [JSON|-] [-o|--output OUT] [--force]\n\n"
             "Writes the record body (what follows the HVM descriptor).\n"
             "`dump --json FILE | encode` reproduces the record byte for\n"
             "byte.",
    .run = run,
};
