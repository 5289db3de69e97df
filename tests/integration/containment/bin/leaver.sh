#!/bin/sh
# A child in a session of its own, left behind when the main process
# exits on its own (once the test says so).
setsid sleep 86402 &
while [ ! -e "$1/go" ]; do sleep 0.1; done
exit 0
