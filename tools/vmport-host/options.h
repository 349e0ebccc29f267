/*
 * options.h: the command line of vmport-host.
 */

#ifndef VMPORT_HOST_OPTIONS_H
#define VMPORT_HOST_OPTIONS_H

#include <stdio.h>

#include "host.h"

/* 0, or -1 with a message naming the bad option. */
int options_parse(struct host_options *o, int argc, char **argv);
void options_usage(FILE *f);

#endif /* VMPORT_HOST_OPTIONS_H */
