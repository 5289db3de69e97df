/* modload.c: load the NSM driver (or any module) from a file.
 *
 * finit_module(2) with no parameters, as AWS's init does; the file is then
 * unlinked (it is in the initramfs, whose memory is not needed twice). A
 * missing file is not an error: an image without NSM is a valid image.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "boot.h"
#include "say.h"

void modload(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			say("NSM driver %s not in the image; skipped", path);
		else
			say_error("NSM driver %s: %s", path, strerror(errno));
		return;
	}
	if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
		say_error("NSM driver %s: finit_module: %s", path, strerror(errno));
	else
		say("NSM driver %s loaded", path);
	close(fd);
	if (unlink(path) < 0)
		say_warn("NSM driver %s: unlink: %s", path, strerror(errno));
}
