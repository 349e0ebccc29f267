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
/* Take --record-version and --policy out of argv; -1 if malformed. */
int convert_parse_opts(int *argc, char **argv, struct convert_opts *o);

#endif
