/* printcfg.h: `init --print-config`. */
#ifndef PRINTCFG_H
#define PRINTCFG_H

/* Write the compiled-in configuration as YAML to fd: the settings, kept
 * as text (cfg_yaml), then the services, printed from cfg_svc[] in the
 * generator's format (gen/emit.py yaml_echo; the build tests compare). */
void printcfg(int fd);

#endif
