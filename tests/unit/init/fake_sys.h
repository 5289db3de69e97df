/* Knobs of fake_sys.c. */
#ifndef FAKE_SYS_H
#define FAKE_SYS_H
#include <stdint.h>
#include <sys/types.h>
extern int64_t fake_now;
extern int fake_fork_fails, fake_report_stage, fake_group_alive;
extern const char *fake_spawned[64];
extern int fake_nspawned;
extern int fake_kills[64][2];
extern int fake_nkills;
/* getsid(fake_sid_pid) is fake_sid (a service's helper); 0: none. */
extern pid_t fake_sid_pid, fake_sid;
extern int fake_app_exits;
/* The app's end (app.h), counted: the test installs it as svc_app_ended. */
void app_exited(void);
#endif
