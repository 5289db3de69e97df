/* attest_text.h: `initctl attest`'s summary of a document, for people. */
#ifndef ATTEST_TEXT_H
#define ATTEST_TEXT_H

#include <stdio.h>

#include "attest_doc.h"

/* The module, the time, PCR0 to PCR2 and every other PCR that is not
 * zero, the nonce and user data in hex, and the sizes, as `status` prints
 * a service: a title line, then "  Key: value" lines. */
void attest_text_print(FILE *f, const struct attest_doc *d);

#endif
