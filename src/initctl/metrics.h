/* metrics.h: `initctl metrics`, the Prometheus text exposition format
 * (version 0.0.4) of a metrics reply.
 *
 * Every metric is named enclave_init_*, has its # HELP and # TYPE lines,
 * and all its samples together (the format wants a family in one piece,
 * so the services are kept until the reply is complete); counters end in
 * _total, and `promtool check metrics` finds nothing to say. Per service
 * the label is service="NAME". A leaf apart from words.c: the tests feed
 * it records built by hand.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "proto.h"

/* The whole exposition: init's own metrics from s, then each per-service
 * family over the n services of v. */
void metrics_print(FILE *out, const struct proto_system *s, const struct proto_svc *v, size_t n);

/* A label value as the format escapes it (\\, \", \n), into buf. */
void metrics_escape(const char *s, char *buf, size_t n);

#endif
