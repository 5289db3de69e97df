#!/bin/sh
# Ready two seconds after its start; the marker comes just before READY=1.
sleep 2
touch @WORK@/marker.slowready
systemd-notify --ready
exec sleep 100000
