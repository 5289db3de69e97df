/* ops_records.c: the SVC and SYSTEM records, as list, status,
 * system-status, health and metrics send them (see ops_handlers.h). */
#include "cfg.h"
#include "cgroup.h"
#include "clock.h"
#include "ctlstats.h"
#include "entropy.h"
#include "events.h"
#include "fmt.h"
#include "health.h"
#include "log.h"
#include "notify.h"
#include "ops_handlers.h"
#include "procfs.h"
#include "svc.h"
#include "timesync.h"

void ops_svc_record(unsigned char *f, int i)
{
	const struct svc *s = svc_get(i);
	const struct cfg_svc *c = svc_cfg(i);
	struct proto_svc v = {
		.state = (uint8_t)s->state,
		.enabled = s->enabled,
		.restart = c->restart,
		.exit_kind = (uint8_t)s->exit_kind,
		.pid = (uint32_t)s->pid,
		.restarts = s->restarts,
		.exit_code = (uint32_t)s->exit_code,
		.exit_signal = (uint32_t)s->exit_signal,
		.restart_sec = c->restart_sec,
		.stop_timeout = c->stop_timeout_sec,
		.since = (uint32_t)((clock_ms() - s->since) / 1000),
		.log_dropped = log_dropped(i),
		.exec_hash = c->exec_hash,
		.type = c->type,
		.ready = s->ready,
		.health = (uint8_t)health_state(i),
		.health_action = c->health_action,
		.start_time = (uint64_t)(s->start_wall / 1000),
		.health_failures = health_failures(i),
		.watchdog_sec = c->watchdog_sec,
		.timeout_start = c->timeout_start_sec,
		.health_interval = c->health_argv ? c->health_interval_sec : 0,
		.remain = c->remain_after_exit,
	};

	struct cgroup_use u;

	log_written(i, &v.log_bytes, &v.log_lines);
	cgroup_use(i, &u);
	v.cgroup = u.flags;
	v.memory_bytes = u.memory;
	v.cpu_usec = u.cpu_usec;
	v.tasks = u.tasks;
	fmt_fmt(v.name, sizeof v.name, "%s", c->name);
	proto_pack_svc(f, CFG_HASH, &v);
}

void ops_system_record(unsigned char *f)
{
	struct proto_system v = { (uint64_t)((clock_ms() - clock_started()) / 1000) };
	int i;

	for (i = 0; i < SVC_N; i++) {
		if (!svc_present(i))
			continue;
		v.services++;
		v.enabled += svc_get(i)->enabled;
		/* Active as `list` says it: running, or a oneshot's job done and
		 * kept (RemainAfterExit). */
		v.active += svc_get(i)->state == SVC_RUNNING ||
			    (svc_get(i)->state == SVC_EXITED && svc_cfg(i)->remain_after_exit);
	}
	v.processes = procfs_count();
	v.health = (uint8_t)svc_aggregate();
	v.fds = procfs_count_fds();
	v.clients = ctl_stats.clients;
	v.rss_kb = procfs_self_rss_kb();
	v.boot_time = (uint64_t)(clock_wall() - (int64_t)v.uptime);
	v.requests = ctl_stats.requests;
	v.notify_accepted = notify_accepted();
	v.notify_rejected = notify_rejected();
	v.health_checks = health_checks_run();
	v.events = events_next_seq();
	v.restarts = svc_restarts_total();
	v.entropy = (uint8_t)entropy_state();
	v.entropy_wait_ms = entropy_waited_ms();
	v.hwrng_credited = entropy_credited();
	fmt_fmt(v.hwrng, sizeof v.hwrng, "%s", entropy_hwrng());
	timesync_report(&v);
	proto_pack_system(f, CFG_HASH, &v);
}
