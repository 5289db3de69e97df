/* fuzz_app: /cmd and /env, the enclave image's program (src/init/app.c),
 * as real files in a private directory, whatever they hold. Checked
 * besides the sanitizers: a filled app slot has a program, its arguments
 * and environment are strings within the files' bytes, and every
 * environment entry is KEY=VALUE.
 *
 * The input: flags (bit 0: no /cmd, bit 1: no /env), the /cmd file as a
 * chunk (2-byte length, then the bytes), and the rest: the /env file.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cfg.h"
#include "input.h"

static char dir[] = "/tmp/ei-fuzz-app.XXXXXX", cmd_path[64], env_path[64];

/* What app.c calls outside itself. */
int shutdown_active(void)
{
	return 0;
}
void shutdown_request(int how, const char *why)
{
	(void)how;
	(void)why;
}

static void put(const char *path, const uint8_t *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, b, n) != (ssize_t)n)
		abort();
	close(fd);
}

static void remove_dir(void)
{
	unlink(cmd_path);
	unlink(env_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	strcat(strcpy(cmd_path, dir), "/cmd");
	strcat(strcpy(env_path, dir), "/env");
	atexit(remove_dir);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned flags = in_byte(&in);
	size_t len;
	const uint8_t *cmd = in_chunk(&in, 65535, &len);
	int i;

	unlink(cmd_path);
	unlink(env_path);
	if (!(flags & 1))
		put(cmd_path, cmd, len);
	if (!(flags & 2))
		put(env_path, in.p, in.left);
	app_cfg.argv = app_cfg.envp = 0;
	if (!app_load_files(cmd_path, env_path))
		return 0;
	if (!app_cfg.argv || !app_cfg.argv[0] || !app_cfg.argv[0][0] || !app_cfg.envp)
		abort();
	for (i = 0; app_cfg.argv[i]; i++)
		if (!memchr(app_cfg.argv[i], 0, len + 1))
			abort();
	for (i = 0; app_cfg.envp[i]; i++) {
		const char *eq = strchr(app_cfg.envp[i], '=');
		if (!eq || eq == app_cfg.envp[i])
			abort();
	}
	if (strlen(app_cfg.exec_text) < strlen(app_cfg.argv[0]))
		abort();
	return 0;
}
