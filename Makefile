# enclave-init: one GNU Makefile, no configure step.
#
#   make                          build/init and build/initctl from config/init.yaml
#   make CONFIG=x/init.yaml BUILD=dir
#                                 another configuration, another build directory
#   make demo                     build and run init with the example config (root)
#   make test                     every test; ends with "N passed, N failed"
#   make check-nomalloc check-static repro
#                                 prove the design's claims on the linked binaries
#   make bench                    tools/bench: compare with s6, runit, tini, ...

CONFIG ?= config/init.yaml
BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=

CC := musl-gcc
STRIP ?= strip
NM ?= nm
READELF ?= readelf
PYTHON ?= $(shell tools/find-python)

# Reproducible: no paths, dates or build ids leak into the binaries.
ABS_BUILD := $(abspath $(BUILD))
CFLAGS ?= -Os
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wdate-time -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector \
	-ffunction-sections -fdata-sections -fno-ident \
	-ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(ABS_BUILD)=build \
	-Iinclude -I$(BUILD)/gen $(EXTRA_CFLAGS)
# common-page-size: the data segment may share the text's last page in the
# file, instead of starting on a page of its own (up to 4 KiB of padding).
LDFLAGS += -static -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,norelro -Wl,-z,noseparate-code \
	-Wl,-z,common-page-size=16

export LC_ALL := C
export TZ := UTC
export SOURCE_DATE_EPOCH := 0

INIT_SRCS := init loop svc spawn reap sigs ctl ops proto say fmt clock procfs shutdown \
	log logline logring logread deps reload printcfg app boot mounts modload heartbeat switchroot stream pslist adhoc ops_ps
INITCTL_SRCS := initctl initctl_opts initctl_show initctl_dryrun initctl_logs initctl_ps client stream_client ictlconf proto signames
INIT_OBJS := $(INIT_SRCS:%=$(BUILD)/obj/%.o) $(BUILD)/obj/config_gen.o
INITCTL_OBJS := $(INITCTL_SRCS:%=$(BUILD)/obj/%.o) $(BUILD)/obj/config_gen.o
GEN_SRCS := $(sort $(wildcard gen/*.py gen/templates/*.j2))

.DELETE_ON_ERROR:
.PHONY: all demo test check check-nomalloc check-static repro bench install clean test-boot

all: $(BUILD)/init $(BUILD)/initctl

# The generator writes both files; the .c stands for the pair.
$(BUILD)/gen/config_gen.c: $(CONFIG) $(GEN_SRCS)
	@test -n "$(PYTHON)" || { tools/find-python; exit 1; }
	@mkdir -p $(BUILD)/gen
	$(PYTHON) gen/initgen.py --deps $(BUILD)/gen/config.d --target $@ $(CONFIG) $(BUILD)/gen
	@touch $@
$(BUILD)/gen/config_gen.h: $(BUILD)/gen/config_gen.c
-include $(BUILD)/gen/config.d

$(BUILD)/obj/config_gen.o: $(BUILD)/gen/config_gen.c $(BUILD)/gen/config_gen.h include/cfg.h
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c $(BUILD)/gen/config_gen.h $(sort $(wildcard include/*.h))
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

# *.full keep their symbols: the checks below read them.
$(BUILD)/init.full: $(INIT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^
$(BUILD)/initctl.full: $(INITCTL_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^
$(BUILD)/%: $(BUILD)/%.full
	$(STRIP) --strip-all -R .comment -o $@ $<

# No heap and no stdio streams in init: none of these may be linked in.
FORBIDDEN := malloc calloc realloc free aligned_alloc posix_memalign memalign \
	reallocarray __libc_malloc __libc_malloc_impl __libc_calloc __libc_free \
	__simple_malloc __malloc_donate \
	fopen fdopen fclose fflush fwrite fputs fprintf vfprintf printf \
	__stdout_FILE __stderr_FILE __stdin_FILE __stdio_write __stdio_read __ofl_add
check-nomalloc: $(BUILD)/init.full
	@$(NM) $< | awk '{print $$NF}' | sort -u > $(BUILD)/init.symbols
	@test -s $(BUILD)/init.symbols || { echo "check-nomalloc: no symbols in $<"; exit 1; }
	@bad=$$(for s in $(FORBIDDEN); do grep -qx "$$s" $(BUILD)/init.symbols && echo "$$s"; done); \
	if [ -n "$$bad" ]; then echo "check-nomalloc: FAILED, $< links:" $$bad; exit 1; fi
	@echo "check-nomalloc: ok ($< links no allocator and no stdio streams)"

check-static: $(BUILD)/init $(BUILD)/initctl
	@for b in $^; do \
		$(READELF) -lW $$b | grep -q 'INTERP' && { echo "check-static: $$b has a program interpreter"; exit 1; }; \
		$(READELF) -dW $$b | grep -q 'NEEDED' && { echo "check-static: $$b needs shared libraries"; exit 1; }; \
		$(READELF) -hW $$b | grep -q 'Type:.*EXEC' || { echo "check-static: $$b is not a static executable"; exit 1; }; \
	done; echo "check-static: ok (init, initctl: static, no interpreter, no shared libraries)"

repro:
	@tools/repro.sh "$(CONFIG)"

demo:
	@tools/deps.sh build
	@$(MAKE) --no-print-directory all
	@tools/demo.sh $(BUILD)

test:
	@tools/deps.sh test
	@tests/run

bench:
	@tools/deps.sh bench
	@tools/bench/run

install: $(BUILD)/init $(BUILD)/initctl
	install -D -m 0755 $(BUILD)/init $(DESTDIR)$(PREFIX)/sbin/init
	install -D -m 0755 $(BUILD)/initctl $(DESTDIR)$(PREFIX)/bin/initctl

clean:
	rm -rf $(BUILD)

# Boot tests: Debian's cloud kernel under QEMU with init as PID 1 of the VM
# (tests/boot/run.sh; builds into build/boot). Also part of `make test`.
test-boot:
	@tools/deps.sh test
	@tests/run boot
