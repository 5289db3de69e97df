/* app.c: /cmd and /env into the app slot (see app.h).
 *
 * Fixed buffers: a /cmd or /env larger than they hold is refused as a
 * whole (logged; no app) rather than cut, since a cut command line or a
 * missing variable would run something other than what the image says.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cfg.h"
#include "fmt.h"
#include "say.h"
#include "shutdown.h"

#define APP_CMD_MAX 8192 /* bytes of /cmd */
#define APP_ARGS_MAX 256
#define APP_ENV_MAX 32768 /* bytes of /env */
#define APP_ENVS_MAX 512
#define APP_SAVE_DIR "/run/enclave-init"

static char cmd_buf[APP_CMD_MAX + 1], env_buf[APP_ENV_MAX + 1];
static size_t cmd_len, env_len;
static const char *argv_tab[APP_ARGS_MAX + 1], *envp_tab[APP_ENVS_MAX + 1];
static char exec_text[APP_CMD_MAX + 1];
/* The app comes after every configured service (see app_fill). */
static unsigned short after_all[CFG_NSVC_SLOTS];

/* Read a whole small file. Returns its length, -1 when missing, -2 when too
 * big or unreadable (logged). */
static ssize_t slurp(const char *path, char *buf, size_t cap)
{
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		say_error("app: cannot open %s: %s", path, strerror(errno));
		return -2;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, cap + 1 - n); /* one byte more tells "too big" */
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			say_error("app: cannot read %s: %s", path, strerror(errno));
			close(fd);
			return -2;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > cap) {
			say_error("app: %s is larger than %zu bytes; the app is not started", path, cap);
			close(fd);
			return -2;
		}
	}
	close(fd);
	buf[n] = 0;
	return (ssize_t)n;
}

/* Cut buf into lines in place: each '\n' becomes a NUL. A last line without
 * '\n' counts; the empty "line" after a final '\n' does not. */
static int split_lines(char *buf, size_t len, const char **tab, int max, const char *what)
{
	size_t i, start = 0;
	int n = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		if (memchr(buf + start, 0, i - start)) {
			say_error("app: %s holds a NUL byte; the app is not started", what);
			return -1;
		}
		if (n == max) {
			say_error("app: %s has more than %d lines; the app is not started", what, max);
			return -1;
		}
		buf[i] = 0;
		tab[n++] = buf + start;
		start = i + 1;
	}
	tab[n] = 0;
	return n;
}

/* Keep only KEY=VALUE lines with a name a shell would take. */
static int keep_env(int n)
{
	int i, k = 0;

	for (i = 0; i < n; i++) {
		const char *e = envp_tab[i], *eq = strchr(e, '=');
		if (!e[0])
			continue;
		if (!eq || eq == e) {
			say_warn("app: /env line %d is not KEY=VALUE; ignored", i + 1);
			continue;
		}
		envp_tab[k++] = e;
	}
	envp_tab[k] = 0;
	return k;
}

/* Both buffers are loaded: parse them and fill the slot. */
static int app_fill(const char *from)
{
	int argc, envc = 0, i;
	size_t off = 0;

	argc = split_lines(cmd_buf, cmd_len, argv_tab, APP_ARGS_MAX, "/cmd");
	if (argc <= 0 || !argv_tab[0][0]) {
		if (!argc)
			say("app: /cmd is empty; no app to run");
		else if (argc > 0)
			say_error("app: the first line of /cmd (the program) is empty; the app is not started");
		return 0;
	}
	if (env_len) {
		envc = split_lines(env_buf, env_len, envp_tab, APP_ENVS_MAX, "/env");
		if (envc < 0)
			return 0;
		envc = keep_env(envc);
	}
	envp_tab[envc] = 0;
	for (i = 0; i < argc; i++)
		off += fmt_fmt(exec_text + off, sizeof exec_text - off, "%s%s", i ? " " : "", argv_tab[i]);
	for (i = 0; i < CFG_NSVC; i++)
		after_all[i] = (unsigned short)i;
	app_cfg.argv = argv_tab;
	app_cfg.envp = envp_tab;
	app_cfg.exec_text = exec_text;
	app_cfg.pred = CFG_NSVC ? after_all : 0;
	app_cfg.npred = CFG_NSVC;
	app_cfg.enabled = 1;
	say("app: %s from %s, %d argument%s, %d environment variable%s", app_cfg.name, from, argc,
	    argc == 1 ? "" : "s", envc, envc == 1 ? "" : "s");
	return 1;
}

static void forget(const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT)
		say_warn("app: cannot remove %s: %s", path, strerror(errno));
}

int app_load_files(const char *cmd_path, const char *env_path)
{
	ssize_t c, e;

	if (!CFG_APP_SLOT)
		return 0;
	c = slurp(cmd_path, cmd_buf, APP_CMD_MAX);
	e = slurp(env_path, env_buf, APP_ENV_MAX);
	/* AWS's init unlinks both, and so does this one. (A copy stays in
	 * /run/enclave-init, mode 0600 in a 0700 directory, for a reload:
	 * app_save.) */
	forget(cmd_path);
	forget(env_path);
	if (c == -1) {
		say("app: no %s in the image; no app to run", cmd_path);
		return 0;
	}
	if (c < 0 || e == -2)
		return 0;
	if (e == -1)
		say("app: no %s in the image; the app starts with an empty environment", env_path);
	cmd_len = (size_t)c;
	env_len = e > 0 ? (size_t)e : 0;
	return app_fill(cmd_path);
}

int app_load(void)
{
	return app_load_files("/cmd", "/env");
}

static void save_one(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	size_t done = 0;

	if (fd < 0) {
		say_warn("app: cannot keep %s for a reload: %s", path, strerror(errno));
		return;
	}
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done < len) {
		/* A cut copy would come back as another command: none at all. */
		say_warn("app: cannot keep %s for a reload: %s", path, strerror(errno));
		(void)unlink(path);
	}
	close(fd);
}

/* The buffers were cut into lines; put the newlines back for the copy. */
static void rejoin(char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!buf[i])
			buf[i] = '\n';
}

void app_save(void)
{
	static char copy[APP_ENV_MAX + 1];

	if (!app_cfg.argv)
		return;
	if (mkdir(APP_SAVE_DIR, 0700) < 0 && errno != EEXIST)
		say_warn("app: cannot create %s: %s", APP_SAVE_DIR, strerror(errno));
	memcpy(copy, cmd_buf, cmd_len);
	rejoin(copy, cmd_len);
	save_one(APP_SAVE_DIR "/cmd", copy, cmd_len);
	memcpy(copy, env_buf, env_len);
	rejoin(copy, env_len);
	save_one(APP_SAVE_DIR "/env", copy, env_len);
}

void app_restore(void)
{
	ssize_t c, e;

	if (!CFG_APP_SLOT)
		return;
	c = slurp(APP_SAVE_DIR "/cmd", cmd_buf, APP_CMD_MAX);
	if (c < 0)
		return; /* there was no app before the reload */
	e = slurp(APP_SAVE_DIR "/env", env_buf, APP_ENV_MAX);
	cmd_len = (size_t)c;
	env_len = e > 0 ? (size_t)e : 0;
	(void)app_fill(APP_SAVE_DIR "/cmd");
}

void app_exited(void)
{
	if (!CFG_APP_POWEROFF || shutdown_active())
		return;
	say("app: %s has ended; powering off (app.poweroff_on_exit)", app_cfg.name);
	shutdown_request(SYS_POWEROFF, "the app ended");
}
