/* loopback.c: bring `lo` up at boot, as every enclave runtime does.
 *
 * An enclave's kernel leaves lo down, and an app that binds or connects
 * to 127.0.0.1 then fails (ENETUNREACH, EADDRNOTAVAIL) in ways that look
 * nothing like a missing interface. Setting IFF_UP is all it takes: the
 * kernel gives lo 127.0.0.1/8 (and ::1) by itself. One ioctl on a
 * throwaway datagram socket; a failure is logged and boot goes on.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "boot.h"
#include "say.h"

void loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		say_error("loopback: socket: %s", strerror(errno));
		return;
	}
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		say_error("loopback: lo: %s", strerror(errno));
	} else if (ifr.ifr_flags & IFF_UP) {
		say("loopback: lo already up");
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			say_error("loopback: bringing lo up: %s", strerror(errno));
		else
			say("loopback: lo up (127.0.0.1)");
	}
	close(fd);
}
