/* fault.c: fault injection for the fault flavour of init (tests only).
 *
 * `make FLAVOUR=fault` links init with -Wl,--wrap for the calls below:
 * each call init makes to one of them lands here, which either fails it as
 * the plan says or passes it on to the real one (__real_*). The shipped
 * build has none of this. The plan is init's environment variable
 * EI_FAULTS, rules separated by commas:
 *
 *   CALL:ERRNO[:after=N][:count=N][:match=TEXT][:while=PATH]
 *
 * CALL is open, write, accept4, socket, mount, reboot, clone (fork: init's
 * sys_fork is syscall(SYS_clone)) or finit_module; ERRNO a name (EAGAIN,
 * ENOSPC, EIO, EMFILE, ...). A rule lets `after` matching calls through,
 * then fails `count` of them (default: all). `match` narrows it to calls
 * whose subject contains TEXT: open's path, what write's descriptor names
 * (/proc/self/fd), mount's target, socket's family (unix, vsock, other),
 * finit_module's file. `while` applies it only while PATH exists, so a
 * test can switch a fault on and off. Each failure is told on stderr (the
 * console) as "fault: CALL(SUBJECT): ERRNO (#N)".
 *
 * The rule `vm` makes init believe it is PID 1 of a VM (the inode of
 * /proc/self/ns/pid is the initial namespace's), so that the boot steps
 * and the final reboot(2) run inside a PID namespace. They must not
 * really act on the test machine: then mount(2), finit_module(2) and
 * opening /dev/console always fail (ENODEV, ENOSYS, ENOENT) when no rule
 * failed them first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int __real_open(const char *path, int flags, ...);
ssize_t __real_write(int fd, const void *buf, size_t len);
int __real_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags);
int __real_socket(int family, int type, int proto);
int __real_mount(const char *src, const char *dir, const char *type, unsigned long flags, const void *data);
int __real_reboot(int how);
long __real_syscall(long n, ...);

int __wrap_open(const char *path, int flags, ...);
ssize_t __wrap_write(int fd, const void *buf, size_t len);
int __wrap_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags);
int __wrap_socket(int family, int type, int proto);
int __wrap_mount(const char *src, const char *dir, const char *type, unsigned long flags, const void *data);
int __wrap_reboot(int how);
long __wrap_syscall(long n, ...);

#define INIT_PID_NS_INO 0xEFFFFFFCu /* as shutdown.c */
#define MAX_RULES 16

enum call { C_OPEN, C_WRITE, C_ACCEPT4, C_SOCKET, C_MOUNT, C_REBOOT, C_CLONE, C_FINIT_MODULE, C_NONE };
static const char *const call_names[] = { "open",  "write",  "accept4", "socket",
					  "mount", "reboot", "clone",   "finit_module" };

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "EAGAIN", EAGAIN },   { "ENOSPC", ENOSPC }, { "EIO", EIO },       { "EMFILE", EMFILE },
	{ "ENFILE", ENFILE },   { "ENOMEM", ENOMEM }, { "EPERM", EPERM },   { "EACCES", EACCES },
	{ "ENOENT", ENOENT },   { "ENODEV", ENODEV }, { "ENOSYS", ENOSYS }, { "ENOEXEC", ENOEXEC },
	{ "ENOBUFS", ENOBUFS }, { "EINTR", EINTR },   { "EBUSY", EBUSY },   { "EINVAL", EINVAL },
};

struct rule {
	enum call call;
	int err;
	unsigned long after, count, seen, failed;
	const char *match, *while_path;
};

static struct rule rules[MAX_RULES];
static int nrules, parsed, vm;
static char plan[1024];

/* One line on stderr from the strings given, up to a null pointer. */
static void tell(const char *first, ...)
{
	char line[512] = "fault: ";
	size_t n = 7;
	va_list ap;

	va_start(ap, first);
	for (const char *p = first; p; p = va_arg(ap, const char *))
		for (; *p && n < sizeof line - 1; p++)
			line[n++] = *p;
	va_end(ap);
	line[n++] = '\n';
	(void)!__real_write(2, line, n);
}

static const char *errno_name(int err)
{
	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return "?";
}

static int parse_option(struct rule *r, char *opt)
{
	char *v = strchr(opt, '=');

	if (!v)
		return -1;
	*v++ = 0;
	if (!strcmp(opt, "after"))
		r->after = strtoul(v, 0, 10);
	else if (!strcmp(opt, "count"))
		r->count = strtoul(v, 0, 10);
	else if (!strcmp(opt, "match"))
		r->match = v;
	else if (!strcmp(opt, "while"))
		r->while_path = v;
	else
		return -1;
	return 0;
}

static int parse_rule(char *text)
{
	struct rule *r = &rules[nrules];
	char *field[8];
	int n = 0, i;

	if (!strcmp(text, "vm")) {
		vm = 1;
		return 0;
	}
	for (char *p = text; p && n < 8; n++) {
		field[n] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = 0;
	}
	if (n < 2 || nrules == MAX_RULES)
		return -1;
	memset(r, 0, sizeof *r);
	r->call = C_NONE;
	r->count = (unsigned long)-1;
	for (i = 0; i < C_NONE; i++)
		if (!strcmp(field[0], call_names[i]))
			r->call = (enum call)i;
	for (i = 0; i < (int)(sizeof errnos / sizeof errnos[0]); i++)
		if (!strcmp(field[1], errnos[i].name))
			r->err = errnos[i].err;
	if (r->call == C_NONE || !r->err)
		return -1;
	for (i = 2; i < n; i++)
		if (parse_option(r, field[i]) < 0)
			return -1;
	nrules++;
	return 0;
}

/* Read the plan at the first wrapped call; a rule that does not parse is
 * said and ignored (the test then sees its fault missing). */
static void parse_plan(void)
{
	const char *env = getenv("EI_FAULTS");
	char *p, *next;

	parsed = 1;
	if (!env)
		return;
	strncpy(plan, env, sizeof plan - 1);
	for (p = plan; p && *p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = 0;
		if (parse_rule(p) < 0)
			tell("bad rule in EI_FAULTS: ", p, (char *)0);
	}
}

static int exists(const char *path)
{
	struct stat st;

	return __real_syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0) == 0;
}

/* Whether this call fails: sets errno and says so. */
static int inject(enum call call, const char *subject)
{
	if (!parsed)
		parse_plan();
	for (int i = 0; i < nrules; i++) {
		struct rule *r = &rules[i];
		char num[24];
		int k = (int)sizeof num - 1;
		unsigned long v;

		if (r->call != call || (r->match && !strstr(subject, r->match)) ||
		    (r->while_path && !exists(r->while_path)))
			continue;
		if (r->seen++ < r->after || r->failed >= r->count)
			continue;
		v = ++r->failed;
		num[k] = 0;
		do
			num[--k] = (char)('0' + v % 10);
		while ((v /= 10) && k > 0);
		tell(call_names[call], "(", subject, "): ", errno_name(r->err), " #", num + k, (char *)0);
		errno = r->err;
		return 1;
	}
	return 0;
}

static int guarded(enum call call, const char *subject, int err)
{
	if (!vm)
		return 0;
	tell(call_names[call], "(", subject, "): not done (pretending to be a VM)", (char *)0);
	errno = err;
	return 1;
}

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (inject(C_OPEN, path))
		return -1;
	if (!strcmp(path, "/dev/console") && guarded(C_OPEN, path, ENOENT))
		return -1;
	return __real_open(path, flags, mode);
}

/* What a descriptor names (write's and finit_module's subject). */
static const char *fd_name(long fd, char *buf, size_t cap)
{
	char link[32] = "/proc/self/fd/";
	int k = 14;
	ssize_t n;

	for (long d = 1000000; d; d /= 10)
		if (fd >= d || d == 1 || k > 14)
			link[k++] = (char)('0' + fd / d % 10);
	link[k] = 0;
	n = readlink(link, buf, cap - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
	char name[256];

	if (!parsed)
		parse_plan();
	/* The descriptor's name is only looked up when a write rule exists. */
	for (int i = 0; i < nrules; i++)
		if (rules[i].call == C_WRITE) {
			if (inject(C_WRITE, fd_name(fd, name, sizeof name)))
				return -1;
			break;
		}
	return __real_write(fd, buf, len);
}

int __wrap_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	if (inject(C_ACCEPT4, ""))
		return -1;
	return __real_accept4(fd, sa, len, flags);
}

int __wrap_socket(int family, int type, int proto)
{
	if (inject(C_SOCKET, family == AF_UNIX ? "unix" : family == AF_VSOCK ? "vsock" : "other"))
		return -1;
	return __real_socket(family, type, proto);
}

int __wrap_mount(const char *src, const char *dir, const char *type, unsigned long flags, const void *data)
{
	if (inject(C_MOUNT, dir) || guarded(C_MOUNT, dir, ENODEV))
		return -1;
	return __real_mount(src, dir, type, flags, data);
}

int __wrap_reboot(int how)
{
	if (inject(C_REBOOT, ""))
		return -1;
	return __real_reboot(how);
}

/* syscall(2) takes up to six arguments; passing six on is what musl's own
 * syscall() does with whatever the caller gave. */
long __wrap_syscall(long n, ...)
{
	char name[256];
	long a[6];
	va_list ap;
	long rc;

	if (!parsed)
		parse_plan();
	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (n == SYS_clone && inject(C_CLONE, ""))
		return -1;
	if (n == SYS_finit_module &&
	    (inject(C_FINIT_MODULE, fd_name(a[0], name, sizeof name)) || guarded(C_FINIT_MODULE, name, ENOSYS)))
		return -1;
	rc = __real_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (n == SYS_newfstatat && rc == 0 && vm && !strcmp((const char *)a[1], "/proc/self/ns/pid"))
		((struct stat *)a[2])->st_ino = INIT_PID_NS_INO;
	return rc;
}
