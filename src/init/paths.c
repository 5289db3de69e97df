/* paths.c: see paths.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "fmt.h"
#include "paths.h"
#include "say.h"

void paths_make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	size_t i;

	fmt_fmt(dir, sizeof dir, "%s", path);
	for (i = 1; dir[i]; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = 0;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			say_warn("cannot create %s: %s", dir, strerror(errno));
		dir[i] = '/';
	}
}
