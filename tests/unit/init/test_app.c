/* app: /cmd and /env files into the app slot (src/app.c), against real
 * files in a temporary directory: the good layouts nitro-cli writes, and
 * every bad one, which must leave the slot empty (no app) rather than run
 * a command other than the image's. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cfg.h"
#include "harness.h"

static char dir[] = "/tmp/ei-unit-app.XXXXXX";
static char cmd_path[64], env_path[64];
int fake_poweroffs;

/* What app.c calls outside itself. */
int shutdown_active(void)
{
	return 0;
}
void shutdown_request(int how, const char *why)
{
	(void)how;
	(void)why;
	fake_poweroffs++;
}

static void put(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, text, len) != (ssize_t)len)
			abort();
		close(fd);
	}
}

/* Load cmd (and env, unless 0) from fresh files; returns app_load_files'. */
static int load(const char *cmd, size_t clen, const char *env, size_t elen)
{
	app_cfg.argv = 0;
	app_cfg.envp = 0;
	app_cfg.enabled = 0;
	unlink(cmd_path);
	unlink(env_path);
	if (cmd)
		put(cmd_path, cmd, clen);
	if (env)
		put(env_path, env, elen);
	return app_load_files(cmd_path, env_path);
}
#define LOAD(c, e) load(c, sizeof(c) - 1, e, sizeof(e) - 1)

static int count(const char *const *v)
{
	int n = 0;
	while (v && v[n])
		n++;
	return n;
}

TEST(one_argument_per_line_and_the_files_are_removed)
{
	CHECK(LOAD("/usr/bin/myapp\n--name\nMy App\n", "A=1\nB=two words\n") == 1);
	CHECK(count(app_cfg.argv) == 3);
	CHECK_STR(app_cfg.argv[0], "/usr/bin/myapp");
	CHECK_STR(app_cfg.argv[2], "My App");
	CHECK(count(app_cfg.envp) == 2);
	CHECK_STR(app_cfg.envp[1], "B=two words");
	CHECK_STR(app_cfg.exec_text, "/usr/bin/myapp --name My App");
	CHECK(app_cfg.enabled == 1);
	CHECK(app_cfg.npred == CFG_NSVC);
	CHECK(access(cmd_path, F_OK) < 0 && access(env_path, F_OK) < 0);
}

TEST(no_final_newline_and_empty_arguments_inside)
{
	CHECK(LOAD("/bin/echo\n\nlast", "") == 1);
	CHECK(count(app_cfg.argv) == 3);
	CHECK_STR(app_cfg.argv[1], "");
	CHECK_STR(app_cfg.argv[2], "last");
	CHECK(count(app_cfg.envp) == 0);
}

TEST(missing_env_is_an_empty_environment)
{
	CHECK(load("/bin/true\n", 10, 0, 0) == 1);
	CHECK(count(app_cfg.envp) == 0);
}

TEST(missing_or_empty_cmd_is_no_app)
{
	CHECK(load(0, 0, "A=1\n", 4) == 0);
	CHECK(app_cfg.argv == 0);
	CHECK(LOAD("", "A=1\n") == 0);
	CHECK(LOAD("\n", "") == 0);
	CHECK(app_cfg.argv == 0);
}

TEST(empty_program_is_refused)
{
	CHECK(LOAD("\n--flag\n", "") == 0);
	CHECK(app_cfg.argv == 0);
}

TEST(nul_bytes_are_refused)
{
	CHECK(LOAD("/bin/a\0b\n", "") == 0);
	CHECK(LOAD("/bin/true\n", "A=1\0\nB=2\n") == 0);
	CHECK(app_cfg.argv == 0);
}

TEST(env_lines_without_a_name_are_skipped)
{
	CHECK(LOAD("/bin/true\n", "GOOD=1\nnot a variable\n=nameless\n\nALSO=ok=yes\n") == 1);
	CHECK(count(app_cfg.envp) == 2);
	CHECK_STR(app_cfg.envp[0], "GOOD=1");
	CHECK_STR(app_cfg.envp[1], "ALSO=ok=yes");
}

TEST(too_large_files_are_refused_whole)
{
	static char big[40000];
	memset(big, 'x', sizeof big);
	big[0] = '/';
	CHECK(load(big, 8193, "", 0) == 0);                   /* /cmd over 8 KiB */
	CHECK(load("/bin/true\n", 10, big, sizeof big) == 0); /* /env over 32 KiB */
	CHECK(load(big, 8192, "", 0) == 1);                   /* exactly 8 KiB: fine */
}

TEST(too_many_arguments_are_refused)
{
	static char many[2000];
	size_t n = 0;
	int i;
	for (i = 0; i < 257; i++) {
		many[n++] = 'a';
		many[n++] = '\n';
	}
	CHECK(load(many, n, "", 0) == 0);
	CHECK(load(many, n - 2, "", 0) == 1); /* 256: the most */
	CHECK(count(app_cfg.argv) == 256);
}

TEST(app_exited_powers_off_once_configured)
{
	fake_poweroffs = 0;
	app_exited();
	CHECK(fake_poweroffs == CFG_APP_POWEROFF);
}

static void setup(void) __attribute__((constructor));
static void setup(void)
{
	if (!mkdtemp(dir))
		abort();
	snprintf(cmd_path, sizeof cmd_path, "%s/cmd", dir);
	snprintf(env_path, sizeof env_path, "%s/env", dir);
}

static void cleanup(void) __attribute__((destructor));
static void cleanup(void)
{
	unlink(cmd_path);
	unlink(env_path);
	rmdir(dir);
}

RUN_TESTS("app", T(one_argument_per_line_and_the_files_are_removed),
	  T(no_final_newline_and_empty_arguments_inside), T(missing_env_is_an_empty_environment),
	  T(missing_or_empty_cmd_is_no_app), T(empty_program_is_refused), T(nul_bytes_are_refused),
	  T(env_lines_without_a_name_are_skipped), T(too_large_files_are_refused_whole),
	  T(too_many_arguments_are_refused), T(app_exited_powers_off_once_configured))
