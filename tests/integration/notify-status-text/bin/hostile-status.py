#!/usr/bin/python3
# A notify service whose STATUS= carries C1 controls (U+009B CSI in UTF-8
# and as a raw byte), quotes, a backslash and invalid UTF-8.
import os, socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
path = os.environ["NOTIFY_SOCKET"]
s.sendto(b'STATUS=a\xc2\x9b31mRED\x9b0m "q" \\ \xff\xfe end\nREADY=1', path)
time.sleep(100000)
