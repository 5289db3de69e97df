# enclave-init: one GNU Makefile, no configure step.
#
#   make                          build/init and build/initctl from config/init.yaml
#   make CONFIG=x/init.yaml BUILD=dir
#                                 another configuration, another build directory
#   make demo                     build and run init with the example config (root)
#   make test                     every test; ends with "N passed, N failed"
#   make check-nomalloc check-layers check-static repro
#                                 prove the design's claims on the linked binaries
#   make bench                    tools/bench: compare with s6, runit, tini, ...
#   make fuzz [FUZZ_SECONDS=300]  every fuzz target for that long (tests/fuzz)
#   make soak                     init under a mixed load for SOAK_SECONDS (600),
#                                 failing on growth; figures into docs/soak.md
#   make lint                     cppcheck, gcc -fanalyzer and clang-tidy over
#                                 every source (make -j lint runs them in parallel)
#   make test-sanitize            unit + integration suites on an ASan+UBSan build
#   make test-valgrind            integration suite with init and initctl under memcheck
#   make FLAVOUR=sanitize|valgrind|fault BUILD=dir
#                                 a test flavour of both programs (see below)
#   make eif KERNEL=bzImage APP=dir-or-image.tar [CMD="prog arg"] [NSM=nsm.ko]
#            [CMDLINE=...] [EIF=$(BUILD)/enclave.eif]
#                                 an enclave image (EIF) with this init, and its
#                                 PCRs, without Docker or nitro-cli (tools/mkeif.py)

CONFIG ?= config/init.yaml
BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=

CC := musl-gcc
STRIP ?= strip
NM ?= nm
READELF ?= readelf
PYTHON ?= $(shell tools/find-python)

# Test flavours: the same sources built another way for the tests, never
# shipped. Empty: the shipped build. sanitize: ASan + UBSan, any report
# fatal; valgrind: plain -O1 -g for memcheck. Both use gcc with glibc,
# dynamically linked (the sanitizer runtimes need it; the no-malloc and
# static claims are the shipped build's). fault: init's system calls go
# through tests/faults/fault.c, which fails the calls its plan names
# (EI_FAULTS); alone it keeps the shipped toolchain (musl, static), and it
# combines with either of the others (FLAVOUR="fault sanitize"). Link-time
# optimisation is off in every flavour: it would hide calls from --wrap
# and frames from the sanitizers' reports.
FLAVOUR ?=
LINK_KIND := -static
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ifneq ($(filter-out sanitize valgrind fault,$(FLAVOUR))$(word 2,$(filter sanitize valgrind,$(FLAVOUR))),)
$(error FLAVOUR=$(FLAVOUR): words sanitize, valgrind, fault (not sanitize with valgrind))
endif
ifneq ($(filter sanitize valgrind,$(FLAVOUR)),)
CC := $(if $(filter sanitize,$(FLAVOUR)),clang,gcc)
CFLAGS := -O1 -g $(if $(filter sanitize,$(FLAVOUR)),$(SANITIZE_FLAGS))
LINK_KIND :=
endif
ifneq ($(filter fault,$(FLAVOUR)),)
FAULT_CALLS := open write accept4 socket mount reboot syscall
INIT_LDFLAGS := $(FAULT_CALLS:%=-Wl,--wrap=%)
endif

# Reproducible: no paths, dates or build ids leak into the binaries.
ABS_BUILD := $(abspath $(BUILD))
# CFLAGS is the user's (make CFLAGS=-O2 works); what the code needs is added.
CFLAGS ?= -Os
# Size, for both programs: the whole program is optimised at link time; no
# code here uses floating point, so variadic functions need not save the
# vector registers; a switch is a chain of compares, not a table. Together
# about 2.4 KiB of init.
SIZE_FLAGS := $(if $(FLAVOUR),,-flto=auto -mgeneral-regs-only -fno-jump-tables)
EI_CFLAGS = $(CFLAGS) $(SIZE_FLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wdate-time -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2 -Wno-missing-field-initializers \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector \
	-ffunction-sections -fdata-sections -fno-ident \
	-ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(ABS_BUILD)=build $(EXTRA_CFLAGS)
# common-page-size: the data segment may share the text's last page in the
# file, instead of starting on a page of its own (up to 4 KiB of padding).
LDFLAGS += $(CFLAGS) $(SIZE_FLAGS) $(LINK_KIND) -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,norelro -Wl,-z,noseparate-code \
	-Wl,-z,common-page-size=16

export LC_ALL := C
export TZ := UTC
export SOURCE_DATE_EPOCH := 0

# The layout is the architecture: src/init/ is PID 1, src/initctl/ the tool,
# src/common/ what both link. Each sees its own folder and include/ (the
# contracts shared with the generator), never the other program's headers.
INIT_SRCS := $(sort $(wildcard src/init/*.c))
INITCTL_SRCS := $(sort $(wildcard src/initctl/*.c))
COMMON_SRCS := $(sort $(wildcard src/common/*.c))
GEN_OBJ := $(BUILD)/obj/config_gen.o
INIT_OBJS := $(COMMON_SRCS:src/%.c=$(BUILD)/obj/%.o) $(INIT_SRCS:src/%.c=$(BUILD)/obj/%.o) $(GEN_OBJ)
INIT_OBJS += $(if $(filter fault,$(FLAVOUR)),$(BUILD)/obj/faults/fault.o)
INITCTL_OBJS := $(COMMON_SRCS:src/%.c=$(BUILD)/obj/%.o) $(INITCTL_SRCS:src/%.c=$(BUILD)/obj/%.o) $(GEN_OBJ)
GEN_SRCS := $(sort $(wildcard gen/*.py gen/templates/*.j2))
GEN_OUT := $(BUILD)/gen/config_gen.c $(BUILD)/gen/config_gen.h $(BUILD)/gen/print-config.yaml
GEN_STAMP := $(BUILD)/gen/.stamp

.DELETE_ON_ERROR:
.PHONY: all demo eif test test-sanitize test-valgrind flavour-cc check check-nomalloc check-layers check-static repro bench install clean test-boot test-nitro FORCE \
	lint lint-cppcheck lint-analyzer lint-tidy lint-format fuzz soak

all: $(BUILD)/init $(BUILD)/initctl

# Sound incremental builds: one `make` after any change gives the bytes of a
# clean build. The compiler lists each object's headers (-MMD -MP); the
# generator runs as one step for all its outputs and rewrites only those
# whose text changed (atomically), so what includes an unchanged header is
# not rebuilt; the empty recipe of the outputs makes make look at their
# times again after the generator ran.
$(GEN_STAMP): $(CONFIG) $(GEN_SRCS) $(BUILD)/flags/config
	@test -n "$(PYTHON)" || { tools/find-python; exit 1; }
	@mkdir -p $(BUILD)/gen
	$(PYTHON) gen/initgen.py --deps $(BUILD)/gen/config.d --target $@ $(CONFIG) $(BUILD)/gen
	@touch $@
$(GEN_OUT): $(GEN_STAMP) ;
-include $(BUILD)/gen/config.d

# Inputs that are not files: which configuration, the compiler and its
# flags, each program's object list. Each is recorded in a file under
# $(BUILD)/flags/ that is rewritten (so newer) only when it changes, and is
# a prerequisite. Written as the Makefile is read, so `make -q` and `make -n`
# tell the truth.
RECORD_config = $(abspath $(CONFIG))
RECORD_cc = $(CC) $(EI_CFLAGS)
RECORD_init.link = $(CC) $(LDFLAGS) $(INIT_LDFLAGS) $(INIT_OBJS)
RECORD_initctl.link = $(CC) $(LDFLAGS) $(INITCTL_OBJS)
define record
ifneq ($$(file <$(BUILD)/flags/$(1)),$$(RECORD_$(1)))
$$(shell mkdir -p $(BUILD)/flags)
$$(file >$(BUILD)/flags/$(1),$$(RECORD_$(1)))
endif
endef
$(foreach r,config cc init.link initctl.link,$(eval $(call record,$(r))))

INC_gen := -Iinclude -I$(BUILD)/gen
INC_common := -Isrc/common $(INC_gen)
INC_init := -Isrc/init $(INC_gen)
INC_initctl := -Isrc/initctl $(INC_gen)
# A header name means one file in each program's include path: a second
# one (say src/init/proto.h) would shadow include/'s behind the back of the
# dependency files, which only name the headers found last time.
repeated = $(foreach w,$(sort $(1)),$(if $(word 2,$(filter $(w),$(1))),$(w)))
SHADOWED := $(strip $(foreach p,init initctl common,\
	$(call repeated,$(notdir $(wildcard src/$(p)/*.h include/*.h $(BUILD)/gen/*.h)))))
$(if $(SHADOWED),$(error headers of the same name in one include path: $(SHADOWED); rename one))
# Objects wait for the generated header (order only: -MMD says which use it).
$(GEN_OBJ): $(BUILD)/gen/config_gen.c $(BUILD)/flags/cc
	@mkdir -p $(@D)
	$(CC) $(EI_CFLAGS) $(INC_gen) -MMD -MP -c -o $@ $<
$(BUILD)/obj/%.o: src/%.c $(BUILD)/flags/cc | $(BUILD)/gen/config_gen.h
	@mkdir -p $(@D)
	$(CC) $(EI_CFLAGS) $(INC_$(firstword $(subst /, ,$*))) -MMD -MP -c -o $@ $<
$(BUILD)/obj/faults/%.o: tests/faults/%.c $(BUILD)/flags/cc
	@mkdir -p $(@D)
	$(CC) $(EI_CFLAGS) -MMD -MP -c -o $@ $<
-include $(sort $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d))

# *.full keep their symbols: the checks below read them.
$(BUILD)/init.full: $(INIT_OBJS) $(BUILD)/flags/init.link
	$(CC) $(LDFLAGS) $(INIT_LDFLAGS) -o $@ $(INIT_OBJS)
$(BUILD)/initctl.full: $(INITCTL_OBJS) $(BUILD)/flags/initctl.link
	$(CC) $(LDFLAGS) -o $@ $(INITCTL_OBJS)
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

# No cycle among each program's modules, read from the objects' symbols.
check-layers: $(INIT_OBJS) $(INITCTL_OBJS)
	@$(or $(PYTHON),python3) tools/check-layers.py --nm $(NM) \
		--program init $(INIT_OBJS) --program initctl $(INITCTL_OBJS)

check-static: $(BUILD)/init $(BUILD)/initctl
	@for b in $^; do \
		$(READELF) -lW $$b | grep -q 'INTERP' && { echo "check-static: $$b has a program interpreter"; exit 1; }; \
		$(READELF) -dW $$b | grep -q 'NEEDED' && { echo "check-static: $$b needs shared libraries"; exit 1; }; \
		$(READELF) -hW $$b | grep -q 'Type:.*EXEC' || { echo "check-static: $$b is not a static executable"; exit 1; }; \
	done; echo "check-static: ok (init, initctl: static, no interpreter, no shared libraries)"

# Static analysis of every source, each with its program's include path
# and the generated header; any finding fails. Three tools, as each sees
# what the others miss. A finding is fixed, not silenced; a false positive
# gets a narrow suppression at its line (cppcheck-suppress, NOLINT) with a
# comment saying why. tests/lint.sh runs each target as a test.
LINT_SRCS := $(COMMON_SRCS) $(INIT_SRCS) $(INITCTL_SRCS)
lint_inc = $(INC_$(word 2,$(subst /, ,$(1))))
CPPCHECK ?= cppcheck
CLANG_TIDY ?= clang-tidy
lint: lint-cppcheck lint-analyzer lint-tidy lint-format

# cppcheck: per program (so that each sees its own headers), then once over
# both for functions nobody calls. variableScope is off: declaring locals at
# the top of a block is this code's style (style(9)), not a defect. Two
# structs are the kernel's layouts (a getdents64 record, a raw sigaction),
# whose members the kernel reads or writes, not the code.
CPPCHECK_FLAGS := --std=c11 -D_GNU_SOURCE --inline-suppr --quiet --error-exitcode=1 \
	--enable=warning,style,performance,portability --suppress=variableScope \
	--suppress=unusedStructMember:src/init/procfs.c --suppress=unusedStructMember:src/init/spawn.c \
	--template='{file}:{line}: {severity}: {message} [{id}]'
lint-cppcheck: $(BUILD)/gen/config_gen.h
	$(CPPCHECK) $(CPPCHECK_FLAGS) $(INC_init) $(INIT_SRCS) $(COMMON_SRCS)
	$(CPPCHECK) $(CPPCHECK_FLAGS) $(INC_initctl) $(INITCTL_SRCS) $(COMMON_SRCS)
	$(CPPCHECK) $(CPPCHECK_FLAGS) --enable=unusedFunction $(INC_gen) -Isrc/init -Isrc/initctl -Isrc/common \
		$(LINT_SRCS) $(BUILD)/gen/config_gen.c

# gcc -fanalyzer: the build's own compiler (gcc 12 with musl's headers) and
# flags, -Werror included; one target a file, so -j runs them in parallel.
lint-analyzer: $(LINT_SRCS:%=lint-analyzer/%) lint-analyzer/$(BUILD)/gen/config_gen.c
lint-analyzer/%: FORCE | $(BUILD)/gen/config_gen.h
	$(CC) $(EI_CFLAGS) -fanalyzer $(or $(call lint_inc,$*),$(INC_gen)) -c -o /dev/null $*

# clang-tidy, with musl's headers as the build has them. Left out, as noise
# for C: easily-swappable-parameters (every (int i, int k) in the tree),
# and the Annex K checks (memcpy_s and friends: musl has none). Cognitive
# complexity: 25, clang-tidy's own default; the tree's median function is
# under 5, and past 25 a function wants splitting (a printf engine,
# parsers of the command line and of initctl.yaml were there).
TIDY_CHECKS := -*,clang-analyzer-*,bugprone-*,misc-no-recursion,readability-function-cognitive-complexity,\
	-bugprone-easily-swappable-parameters,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling
TIDY_FLAGS := --quiet --warnings-as-errors='*' --checks='$(TIDY_CHECKS)' \
	--config='{CheckOptions: [{key: readability-function-cognitive-complexity.Threshold, value: 25}]}'
MUSL_INCLUDE ?= /usr/include/x86_64-linux-musl
TIDY_CFLAGS := -std=c11 -D_GNU_SOURCE -nostdinc -isystem $(MUSL_INCLUDE)
lint-tidy: $(LINT_SRCS:%=lint-tidy/%)
lint-tidy/%: FORCE | $(BUILD)/gen/config_gen.h
	$(CLANG_TIDY) $(TIDY_FLAGS) $* -- $(TIDY_CFLAGS) $(call lint_inc,$*)

# clang-format: the code is as .clang-format says (a finding is a file:line
# that `clang-format -i FILE` would change).
CLANG_FORMAT ?= clang-format
FORMAT_SRCS = $(sort $(wildcard src/*/*.[ch] include/*.h tests/unit/*.[ch] tests/unit/*/*.[ch] tests/boot/*.c tests/nitro/*.c tests/fuzz/*.[ch]))
lint-format:
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRCS)

repro:
	@tools/repro.sh "$(CONFIG)"

# The compiler of this flavour, with its flags and how it links (the unit
# tests build with it).
flavour-cc:
	@echo $(CC) $(CFLAGS) $(LINK_KIND)

# The test flavours (see FLAVOUR above): the unit and integration suites on
# the ASan + UBSan build; the integration suite under valgrind's memcheck.
test-sanitize:
	@tools/deps.sh test
	@tests/run sanitize

test-valgrind:
	@tools/deps.sh test
	@tests/run valgrind

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

# init as PID 1 of a PID namespace under restarts, control traffic, log
# floods, reloads and followers for SOAK_SECONDS (600); fails on growth of
# its memory, descriptors or ping latency (tests/soak/run.sh).
soak:
	@tools/deps.sh test
	@tests/soak/run.sh

# An enclave image from the configured init (README, "Building an enclave
# image"): the kernel and its command line, init (and NSM's driver) in the
# first ramdisk, APP (a directory, or a `docker save` / OCI tarball) under
# /rootfs in the second. CMD, when given, is /cmd (else the image's
# Entrypoint + Cmd). The default command line is the one nitro-cli's x86_64
# blobs give (`nomodules` is no kernel parameter, the kernel's is
# `nomodule`: it reaches init as an argument, and init ignores it).
EIF ?= $(BUILD)/enclave.eif
CMDLINE ?= reboot=k panic=30 pci=off nomodules console=ttyS0 i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd random.trust_cpu=on
eif: $(BUILD)/init
	@test -n "$(KERNEL)" && test -n "$(APP)" || \
		{ echo "make eif: give KERNEL=path/to/bzImage and APP=dir-or-image.tar" >&2; exit 1; }
	$(PYTHON) tools/mkeif.py -o "$(EIF)" --kernel "$(KERNEL)" --cmdline "$(CMDLINE)" \
		--init $(BUILD)/init $(if $(NSM),--nsm "$(NSM)") \
		$$(test -d "$(APP)" && echo --rootfs || echo --docker-image) "$(APP)" $(if $(CMD),-- $(CMD))

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

# The emulated Nitro Enclave tier: QEMU's nitro-enclave machine (built once
# from Debian's QEMU source, cached in build/nitro/qemu), an EIF made by
# tools/mkeif.py with init as /init, booted with a real NSM device
# (tests/nitro/run.sh; README, "The emulated Nitro Enclave tier"). Also
# part of `make test`.
test-nitro:
	@tools/deps.sh test
	@tests/run nitro

# Fuzzing (tests/fuzz/run.sh; README, "Fuzzing"): each target for
# FUZZ_SECONDS. The grown corpora, crash inputs and logs stay in
# $(BUILD)/fuzz, so a second run goes on from the first. `make test` runs
# every target for a few seconds (the fuzz suite).
FUZZ_SECONDS ?= 300
fuzz:
	@tools/deps.sh test
	@mkdir -p $(BUILD)/fuzz
	@tests/fuzz/run.sh -t $(FUZZ_SECONDS) -o $(BUILD)/fuzz | tee $(BUILD)/fuzz/summary
	@! grep -q '^FAIL' $(BUILD)/fuzz/summary
