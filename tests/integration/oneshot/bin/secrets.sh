#!/bin/sh
# The initializer: fetches "secrets" (a second's work), writes them, exits 0.
echo run >> @WORK@/runs.secrets
sleep 1
echo s3cr3t > @WORK@/secret.tmp && mv @WORK@/secret.tmp @WORK@/secret
exit 0
