#!/bin/sh
# Type=notify with Debian's systemd-notify: ready a second after its start.
# The marker is written just before READY=1, so a dependant that finds it
# started after the notification was sent.
echo run >> @WORK@/runs.sdnotify
sleep 1
touch @WORK@/marker.sdnotify
systemd-notify --ready --status="listening on 8080" || echo "systemd-notify failed: $?"
exec sleep 100000
