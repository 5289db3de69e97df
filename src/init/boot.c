/* boot.c: the enclave boot sequence (see boot.h), in AWS's order. */
#include "app.h"
#include "boot.h"
#include "cfg.h"
#include "say.h"

void boot_enclave(void)
{
	mounts_early();
	for (const char *const *m = cfg_init.kernel_modules; *m; m++)
		modload(MODLOAD_MODULE, *m);
	if (cfg_init.nsm_driver_path)
		modload(MODLOAD_NSM, cfg_init.nsm_driver_path);
	if (cfg_init.heartbeat_enabled)
		heartbeat(cfg_init.heartbeat_cid, cfg_init.heartbeat_port);
	/* /cmd and /env sit in the initramfs root: read before leaving it. */
	(void)app_load();
	if (cfg_init.pivot_root)
		(void)switchroot(cfg_init.pivot_root_dir);
	mounts_all();
	if (cfg_init.loopback)
		loopback_up();
	app_save();
}
