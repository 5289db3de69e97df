/* modload.c: load the NSM driver, or a module of kernel_modules, from a file.
 *
 * finit_module(2) with no parameters, as AWS's init does; the file is then
 * unlinked (it is in the initramfs, whose memory is not needed twice). A
 * missing NSM driver is not an error: an image without NSM is a valid
 * image. A missing module that kernel_modules names is: the image was
 * built to need it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "boot.h"
#include "say.h"

void modload(const char *what, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT && !strcmp(what, MODLOAD_NSM))
			say("%s %s not in the image; skipped", what, path);
		else
			say_error("%s %s: %s", what, path, strerror(errno));
		return;
	}
	if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
		say_error("%s %s: finit_module: %s", what, path, strerror(errno));
	else
		say("%s %s loaded", what, path);
	close(fd);
	if (unlink(path) < 0)
		say_warn("%s %s: unlink: %s", what, path, strerror(errno));
}
