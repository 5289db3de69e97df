/* switchroot.c: make pivot_root_dir the root.
 *
 * The initramfs root cannot be pivot_root(2)ed away (it is the rootfs the
 * kernel itself holds), so this is the move-mount dance of AWS's init and
 * of switch_root(8): bind the new root onto itself (so that it is a mount
 * point), step into it, move it over "/", chroot into it. The initramfs's
 * files stay in memory underneath; nothing here deletes them.
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "boot.h"
#include "say.h"

int switchroot(const char *dir)
{
	const char *step = "bind mount";

	if (mount(dir, dir, 0, MS_BIND | MS_REC, 0) < 0)
		goto fail;
	step = "chdir";
	if (chdir(dir) < 0)
		goto fail;
	step = "move mount";
	if (mount(".", "/", 0, MS_MOVE, 0) < 0)
		goto fail;
	step = "chroot";
	if (chroot(".") < 0)
		goto fail;
	(void)chdir("/");
	say("switched root to %s", dir);
	return 0;
fail:
	say_error("switch root to %s: %s: %s; staying on the initramfs", dir, step, strerror(errno));
	(void)chdir("/");
	return -1;
}
