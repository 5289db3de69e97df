#!/bin/sh
# A health check that passes only when it runs as uid $1.
echo "uid $(id -u) gid $(id -g)"
[ "$(id -u)" = "$1" ]
