#!/bin/sh
# Ready once systemd-notify, run as this service's user, reached init.
systemd-notify --ready --status="ready as $(id -u)" || echo "systemd-notify failed: $?"
exec sleep 100000
