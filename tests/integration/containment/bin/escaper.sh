#!/bin/sh
# A child that leaves the service's process group (its own session), then
# the main process.
setsid sleep 86401 &
exec sleep 86400
