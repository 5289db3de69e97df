/* initctl_attest.h: `initctl attest [--nonce HEX] [--user-data FILE]
 * [-o FILE] [--json]`. */
#ifndef INITCTL_ATTEST_H
#define INITCTL_ATTEST_H

#include <stdio.h>

#include "client.h"

/* The words after "attest". Asks init for the NSM's attestation document
 * and prints a summary, or with --json the decoded fields, and with -o
 * writes the document's bytes to a file ("-": stdout). Returns the exit
 * status. */
int attest_command(const struct client_target *t, int argc, char **argv);

#endif
