#!/bin/sh
# WatchdogSec=1: pets every 0.2 s with systemd-notify, counting its pets.
echo "$WATCHDOG_USEC $WATCHDOG_PID $$" > @WORK@/env.petter
systemd-notify --ready
while :; do
	systemd-notify WATCHDOG=1 && echo pet >> @WORK@/pets.petter
	sleep 0.2
done
