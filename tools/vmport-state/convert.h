/* convert.h: the VMPORT conversion visitor (convert, filter). */
#ifndef VS_CONVERT_H
#define VS_CONVERT_H

#include <errno.h>

#include "cli.h"

struct convert_opts {
    unsigned int version;       /* 0: validate only */
    unsigned int policy;        /* enum vrec_policy */
    unsigned int records;
    bool refused;
};

vs_visit_fn convert_visitor;
/*
 * --record-version N and --policy P, the options `convert` and `filter`
 * share, with cli_getopt(): EXIT_OK with the operands at argv[optind..],
 * EXIT_USAGE after a message naming the bad option or value.  convert
 * also takes --force (it writes a file).
 */
int convert_parse_opts(const struct cmd *c, int argc, char **argv,
                       struct convert_opts *o);

#endif
