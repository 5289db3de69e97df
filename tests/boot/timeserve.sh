#!/bin/sh
# The clock boot's time server (service timeserve): the host's time, as
# the kernel command line's clock_epoch= gave it when QEMU started, plus
# the guest's uptime then and time-serve's monotonic clock after (init
# stepping the wall clock does not move what this serves).
epoch=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^clock_epoch=//p')
up=$(cut -d. -f1 /proc/uptime)
exec /bin/initctl time-serve --port 7300 --test-epoch "$(( ${epoch:?no clock_epoch= on the kernel command line} + up ))"
