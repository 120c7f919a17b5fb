# Makefile - build the kernel ISO, run it, test it.
#
#   make            build build/kernel.iso (incrementally)
#   make run        boot it in QEMU, serial console on this terminal
#                   (SMP=2 ARGS="counter.workers=8" UEFI=1 ACCEL=kvm)
#   make test       host tests + boots under several -smp values; ends with
#                   one line "N passed, N failed"  (SMP="1 4 8" TESTS=mem.*)
#   make debug      QEMU halted with a gdb stub, and the gdb command to use
#   make compdb     compile_commands.json for clangd (needs bear)
#   make clean
# Options: RELEASE=1 (no lock debugging), KCSAN=1 (the data-race detector,
# build/kcsan), KASAN=1 (the address sanitizer, build/kasan; both in
# docs/debugging.md), WERROR=1 (default in CI).

# -smp for make run, trace and debug: 4, or the host's cores if fewer.
# More vCPUs than cores and the host runs them in turn: two that do not
# run at the same time cannot race, so the counter experiment shows fewer
# lost updates, and spinning waits for vCPUs the host is not running.
ifeq ($(origin SMP),undefined)
SMP      := $(shell n=$$(nproc 2>/dev/null || echo 4); [ "$$n" -lt 4 ] && echo $$n || echo 4)
endif
MEM      ?= 512M
ACCEL    ?= tcg
UEFI     ?= 0
ARGS     ?=
MACHINE  ?= q35
CPU      ?= max
# A boot's time-out (make test): the -smp 8 suite takes 95-120 s on a
# 2-core host, and a hung test is stopped by its own 60 s limit anyway.
TIMEOUT  ?= 240

# `make run` shows what the primitives cost, so it boots the RELEASE
# build (no lock debugging, no lockdep) - unless it runs tests
# (ARGS=test=...) or RELEASE is given. make test and make grade keep
# every check.
ifeq ($(MAKECMDGOALS),run)
ifeq ($(findstring test,$(ARGS)),)
RELEASE ?= 1
endif
endif
# `make trace` too: the picture shows what the primitives cost.
ifeq ($(MAKECMDGOALS),trace)
RELEASE ?= 1
endif

# KCSAN=1: the data-race detector (kernel/kcsan.h, docs/debugging.md), a
# debug build with every file compiled to call it, but its runtime and,
# as in Linux (kernel/sched/Makefile: KCSAN_SANITIZE := n), the
# scheduler, whose lock-free reads are by design.
KCSAN ?= 0
ifeq ($(KCSAN),1)
override RELEASE := 0
endif
KCSAN_CFLAGS := -fsanitize=thread --param tsan-distinguish-volatile=1 \
		--param tsan-instrument-func-entry-exit=0
KCSAN_SANITIZE_NO := kernel/kcsan.c sched/%.c sync/lockdep.c

# KASAN=1: the address sanitizer (kernel/kasan.h), a debug build whose
# every file checks its loads and stores, but the runtime, the
# allocators it hooks (which write their own headers and poison) and the
# loadable modules (whose globals' constructors would run before they
# are loaded). Not with KCSAN=1: one sanitizer per build.
KASAN ?= 0
ifeq ($(KASAN),1)
override RELEASE := 0
ifeq ($(KCSAN),1)
$(error KASAN=1 and KCSAN=1: one sanitizer per build (build/kasan, build/kcsan))
endif
endif
KASAN_CFLAGS := -fsanitize=kernel-address -fasan-shadow-offset=0xdffffc0000000000 \
		--param asan-globals=1 --param asan-stack=0 \
		--param asan-instrumentation-with-call-threshold=0
KASAN_SANITIZE_NO = kernel/kasan.c kernel/kmalloc.c kernel/pmm.c $(LOADABLE)
san_flags = $(if $(filter 1,$(KCSAN)),$(if $(filter $(KCSAN_SANITIZE_NO),$(1)),,$(KCSAN_CFLAGS))) \
	    $(if $(filter 1,$(KASAN)),$(if $(filter $(KASAN_SANITIZE_NO),$(1)),,$(KASAN_CFLAGS)))

# RELEASE=1 and KCSAN=1 builds go to folders of their own: objects built
# with and without the debug checks must never mix.
B ?= $(if $(filter 1,$(KCSAN)),build/kcsan,$(if $(filter 1,$(KASAN)),build/kasan,$(if $(filter 1,$(RELEASE)),build/release,build)))
# --- toolchain: a cross compiler if present, else the host's on x86_64 ---
ifneq ($(shell command -v x86_64-elf-gcc 2>/dev/null),)
CROSS ?= x86_64-elf-
else
CROSS ?=
HOST_ARCH := $(shell uname -m)
ifneq ($(HOST_ARCH),x86_64)
$(error no x86_64-elf-gcc on PATH and this host is $(HOST_ARCH), not x86_64: install an x86_64-elf cross toolchain)
endif
endif
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
NM      := $(CROSS)nm
NASM    ?= nasm
HOSTCC  ?= cc

WERROR  ?= $(if $(CI),1,0)
CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration $(if $(filter 1,$(WERROR)),-Werror) \
	   -ffreestanding -nostdlib -fno-pic -fno-pie -mno-red-zone \
	   -mcmodel=kernel -mgeneral-regs-only -fno-stack-protector \
	   -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	   -fno-strict-aliasing -I. -Iinclude -include kernel/config.h -MMD -MP \
	   -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	   $(if $(filter 1,$(RELEASE)),-DCONFIG_RELEASE) $(if $(filter 1,$(KCSAN)),-DCONFIG_KCSAN) $(if $(filter 1,$(KASAN)),-DCONFIG_KASAN) $(KCFLAGS)
# The boot segment is writable and executable on purpose (it only runs
# before paging): silence ld's warning where ld knows the option.
NO_RWX_WARN := $(shell $(LD) --help 2>/dev/null | grep -q no-warn-rwx-segments && echo --no-warn-rwx-segments)
LDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack -L $(B) -T linker.ld $(NO_RWX_WARN)
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -DHOST_TEST \
	      -fsanitize=address,undefined -fno-omit-frame-pointer

# --- sources: every .c and .asm in the kernel folders ---
# modules/: built-in modules (their init runs at boot). LOADABLE: modules
# linked in but not there until loaded (insmod, modules-load=), each on
# pages of its own (tools/genmodules.sh, linker.ld): modules/loadable/,
# the lab's Linux module, unchanged, the Linux examples of tests/linux/
# and the test modules of tests/modules/.
KDIRS   := boot arch/x86 kernel sched sync lab assignments modules tests tests/kernel \
	   tests/assignments/private \
	   tests/bench tests/assignments
LOADABLE := tools/linux-lab/counter_lab.c $(wildcard tests/linux/*.c) \
	    $(wildcard modules/loadable/*.c) $(wildcard tests/modules/*.c)
CSRCS   := $(foreach d,$(KDIRS),$(wildcard $(d)/*.c)) $(LOADABLE)
ASRCS   := $(foreach d,$(KDIRS),$(wildcard $(d)/*.asm))
OBJS    := $(CSRCS:%.c=$(B)/obj/%.o) $(ASRCS:%.asm=$(B)/obj/%.asm.o) $(B)/obj/module_table.o

.PHONY: all iso run trace test test-busy debug compdb clean tools host-tests bench plot bench-linux bench-compare handout grade review autograder
all: iso
iso: $(B)/kernel.iso

# The build checks its tools first and installs them on Debian/Ubuntu.
$(B)/.tools-ok: tools/setup.sh
	@bash tools/setup.sh
	@mkdir -p $(B) && touch $@
tools: $(B)/.tools-ok

# The flags are part of what an object depends on: `make KCFLAGS=-DHZ=250`
# after a plain `make` must rebuild everything, not link stale objects.
FLAGS_NOW := $(CC) $(CFLAGS) $(if $(filter 1,$(KCSAN)),$(KCSAN_CFLAGS) except $(KCSAN_SANITIZE_NO)) \
	     $(if $(filter 1,$(KASAN)),$(KASAN_CFLAGS) except kasan kmalloc pmm modules)
$(B)/.flags: FORCE
	@mkdir -p $(B)
	@[ "$$(cat $@ 2>/dev/null)" = '$(FLAGS_NOW)' ] || echo '$(FLAGS_NOW)' > $@
FORCE:
# So is the list of objects: a source deleted (git checkout of another
# branch, a file removed) must relink, though no object is newer.
$(B)/.objs: FORCE
	@mkdir -p $(B)
	@[ "$$(cat $@ 2>/dev/null)" = '$(OBJS)' ] || echo '$(OBJS)' > $@

# Every file is named for module.h (counter_lab.c: KBUILD_MODNAME
# "counter_lab", as Linux names it); a loadable module also gets MODULE.
# Modules are Linux code: built with Linux's warnings, which let a
# callback ignore its arguments.
$(LOADABLE:%.c=$(B)/obj/%.o) $(patsubst %.c,$(B)/obj/%.o,$(wildcard modules/*.c)): \
	MODFLAGS += -Wno-unused-parameter
$(LOADABLE:%.c=$(B)/obj/%.o): MODFLAGS += -DMODULE
$(B)/obj/%.o: %.c $(B)/.flags | $(B)/.tools-ok
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(call san_flags,$<) $(MODFLAGS) -DKBUILD_MODNAME='"$(subst -,_,$(basename $(notdir $<)))"' \
		-DKBUILD_MODNAME_SYM=$(subst -,_,$(basename $(notdir $<))) -c $< -o $@

# The loadable modules' memory (tools/genmodules.sh): the linker script's
# fragments and the table of their records. Regenerated each build, kept
# when unchanged.
$(B)/modules_text.ld $(B)/modules_data.ld $(B)/modules_percpu.ld $(B)/module_table.c: FORCE
	@sh tools/genmodules.sh $(B) $(LOADABLE)
$(B)/obj/module_table.o: $(B)/module_table.c $(B)/.flags | $(B)/.tools-ok
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

# No DWARF for assembly: NASM's line tables confuse gdb's unwinder (a
# warning per frame); the symbols are enough to read it under gdb.
$(B)/obj/%.asm.o: %.asm | $(B)/.tools-ok
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -I$(B)/ -MD $(@:.o=.d) -MP $< -o $@

# The AP trampoline runs in real mode at a fixed address: a flat binary,
# embedded into the kernel by boot/trampoline_blob.asm.
$(B)/trampoline.bin: boot/trampoline.S16 | $(B)/.tools-ok
	@echo "  NASM    $<"
	@$(NASM) -f bin $< -o $@
$(B)/obj/boot/trampoline_blob.asm.o: $(B)/trampoline.bin

# Two links: the first gives function addresses, which tools/gensyms.sh
# turns into the symbol table the second link embeds for backtraces.
# The table sits after .text, so text addresses do not move; we check.
$(B)/ksyms0.o: tools/gensyms.sh | $(B)/.tools-ok
	@mkdir -p $(B)
	@sh tools/gensyms.sh > $(B)/ksyms0.S
	@$(CC) -c $(B)/ksyms0.S -o $@

$(B)/kernel.elf: $(OBJS) $(B)/.objs $(B)/ksyms0.o linker.ld tools/gensyms.sh $(B)/modules_text.ld \
		$(B)/modules_data.ld $(B)/modules_percpu.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $(B)/kernel.pass1.elf $(OBJS) $(B)/ksyms0.o
	@NM=$(NM) sh tools/gensyms.sh $(B)/kernel.pass1.elf > $(B)/ksyms.S
	@$(CC) -c $(B)/ksyms.S -o $(B)/ksyms.o
	@$(LD) $(LDFLAGS) -o $@ $(OBJS) $(B)/ksyms.o
	@$(NM) -n $(B)/kernel.pass1.elf | grep -i ' t ' > $(B)/syms1.txt
	@$(NM) -n $@ | grep -i ' t ' > $(B)/syms2.txt
	@cmp -s $(B)/syms1.txt $(B)/syms2.txt || \
		{ echo "error: text moved between the two links (see linker.ld)"; exit 1; }

$(B)/kernel.iso: $(B)/kernel.elf iso/grub.cfg
	@echo "  ISO     $@"
	@mkdir -p $(B)/isodir/boot/grub
	@cp $(B)/kernel.elf $(B)/isodir/boot/kernel.elf
	@cp iso/grub.cfg $(B)/isodir/boot/grub/grub.cfg
	@grub-mkrescue -o $@ $(B)/isodir 2> $(B)/grub-mkrescue.log || \
		{ cat $(B)/grub-mkrescue.log; exit 1; }

# --- running ---
QEMU_RUN = bash tools/qemu.sh --iso $(B)/kernel.iso --smp $(SMP) --mem $(MEM) --accel $(ACCEL) \
	   --uefi $(UEFI) --machine $(MACHINE) --cpu $(CPU)

# make run: the console shows warnings, errors and the lab's results
# (loglevel=6; `make run ARGS=loglevel=7` shows the boot messages too, and
# `dmesg` in the shell prints them).
RUN_ARGS = $(if $(findstring loglevel=,$(ARGS)),,loglevel=6 )$(ARGS)
run: iso
	@$(QEMU_RUN) --interactive --args "$(RUN_ARGS)"

# make trace: the counter experiment with lock statistics (lockstat=1),
# each mode traced (counter.trace=1) and dumped, then drawn by
# tools/trace.py: build/trace/trace-MODE.png and .json (Perfetto), the
# console in build/trace/console.log (docs/trace.md). TRACE_ARGS says what
# runs; SMP=2 on a 2-core host keeps every vCPU on a core.
TRACE_ARGS ?= counter.modes=spinlock,mutex,percpu counter.workers=4 counter.iters=100000
TRACE_OUT ?= build/trace
trace: iso
	@mkdir -p $(TRACE_OUT)
	@echo "trace: booting -smp $(SMP) with lockstat=1 counter.trace=1 $(TRACE_ARGS)"
	@$(QEMU_RUN) --timeout 600 --log $(TRACE_OUT)/console.log \
		--args "lockstat=1 counter.trace=1 $(TRACE_ARGS) poweroff"; st=$$?; \
	sed -e 's/\r$$//' -e 's/^\[[ 0-9.]*\]\[C[0-9]*\] //' $(TRACE_OUT)/console.log | \
		grep -E '^(counter: |BUG|WARNING|trace: [0-9]+ events dropped)' | grep -v '^counter: mode='; \
	[ $$st -eq 1 ] || { echo "trace: the boot did not finish (QEMU status $$st): $(TRACE_OUT)/console.log"; exit 1; }
	@python3 tools/trace.py $(TRACE_OUT)/console.log --out $(TRACE_OUT)

# QEMU in the background (console in $(B)/debug-console.log), gdb here with
# symbols and the helpers of tools/gdb/smpkern.py; see docs/debugging.md.
GDB_PORT ?= 1234
debug: iso
	@bash tools/debug.sh --iso $(B)/kernel.iso --elf $(B)/kernel.elf --port $(GDB_PORT) \
		--smp $(SMP) --mem $(MEM) --accel $(ACCEL) --uefi $(UEFI) --machine $(MACHINE) \
		--cpu $(CPU) --args "$(ARGS)"

# --- tests ---
# Each host test links its test file with the kernel sources it checks.
HOSTSRC_test_string   := kernel/string.c
HOSTSRC_test_vsprintf := kernel/vsprintf.c kernel/string.c
HOSTSRC_test_cmdline  := kernel/cmdline.c
HOSTSRC_test_acpi     := arch/x86/acpi.c arch/x86/mptable.c
HOST_TESTS := $(patsubst tests/host/%.c,$(B)/host/%,$(wildcard tests/host/test_*.c))
.SECONDEXPANSION:
$(B)/host/%: tests/host/%.c $$(HOSTSRC_$$*) $(wildcard kernel/*.h arch/x86/*.h) tests/host/htest.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(HOSTCFLAGS) -o $@ $< $(HOSTSRC_$*)
host-tests: $(HOST_TESTS)

TEST_SMP ?= 1 2 4 8
TESTS    ?=
# The whole suite once more under KCSAN (build/kcsan) at -smp KCSAN_SMP;
# TEST_KCSAN=0 skips it (the default when TESTS= picks tests).
TEST_KCSAN ?= $(if $(TESTS),0,1)
KCSAN_SMP  ?= 4
# And under KASAN (build/kasan, with debugobjects as every debug build)
# at -smp KASAN_SMP; TEST_KASAN=0 skips it.
TEST_KASAN ?= $(if $(TESTS),0,1)
KASAN_SMP  ?= 2
test: iso host-tests
	@$(if $(filter 1,$(TEST_KCSAN)),$(MAKE) --no-print-directory KCSAN=1 B=build/kcsan iso)
	@$(if $(filter 1,$(TEST_KASAN)),$(MAKE) --no-print-directory KASAN=1 B=build/kasan iso)
	@KCC='$(CC)' KCFLAGS_FOR_CHECK='$(filter-out -MMD -MP,$(CFLAGS))' bash tools/run-tests.sh --smp "$(if $(filter command line,$(origin SMP)),$(SMP),$(TEST_SMP))" \
		--tests "$(TESTS)" --accel $(ACCEL) --mem $(MEM) --timeout $(TIMEOUT) \
		--host "$(HOST_TESTS)" --build $(B) --release $(if $(filter 1,$(RELEASE)),1,0) \
		$(if $(filter 1,$(TEST_KCSAN)),--kcsan build/kcsan --kcsan-smp $(KCSAN_SMP)) \
		$(if $(filter 1,$(TEST_KASAN)),--kasan build/kasan --kasan-smp $(KASAN_SMP))

# make test-busy: make test BUSY_RUNS times in a row (default 3) while
# every host core is kept busy by a CPU-bound process (tools/busy.sh): a
# vCPU the host does not run for a while must not fail a test.
BUSY_RUNS ?= 3
test-busy: iso host-tests
	@bash tools/busy.sh --runs $(BUSY_RUNS) -- $(MAKE) --no-print-directory test TIMEOUT=$(BUSY_TIMEOUT)
BUSY_TIMEOUT ?= 300

compdb:
	@command -v bear >/dev/null || { echo "make compdb needs bear (apt-get install bear)"; exit 1; }
	@$(MAKE) clean && bear -- $(MAKE) iso

clean:
	rm -rf $(B)/obj $(B)/host $(B)/isodir $(B)/*.elf $(B)/*.iso $(B)/*.o $(B)/*.S $(B)/*.txt

-include $(OBJS:.o=.d)

# Benchmarks (not tests): lock and primitive costs and the counter grid
# against Linux. They measure the RELEASE=1 kernel (build/release), as
# Linux's figures come from a kernel without lock debugging.
BENCH_SMP ?= 1 2 4
bench:
	@$(MAKE) --no-print-directory RELEASE=1 B=build/release iso
	@bash tools/bench.sh --smp "$(BENCH_SMP)" --build build/release --accel $(ACCEL) \
		--out build/bench $(if $(REPEAT),--repeat $(REPEAT)) $(if $(TOTAL),--total $(TOTAL))
plot:
	@bash tools/plot.sh --out build/bench --linux $(firstword $(wildcard build/linux-bench/linux-counter.csv) docs/data/linux-6.1-counter-tcg.csv)
# The same lab as a module of Debian's Linux kernel, booted under the same
# QEMU settings on this machine: the figures `make bench` compares with.
bench-linux: $(B)/.tools-ok
	@bash tools/linux-bench.sh --smp "$(BENCH_SMP)" --accel $(ACCEL) --out build/linux-bench \
		$(if $(REPEAT),--repeat $(REPEAT)) $(if $(TOTAL),--total $(TOTAL)) $(if $(LAB),--lab "$(LAB)")

# Linux and smpkern booted in turn, ROUNDS times per -smp value, so that
# both see the same host: the fair comparison on a shared machine, whose
# speed drifts by tens of percent over minutes (build/compare/).
ROUNDS ?= 3
bench-compare: $(B)/.tools-ok
	@$(MAKE) --no-print-directory RELEASE=1 B=build/release iso
	@bash tools/linux-bench.sh --smp "$(BENCH_SMP)" --accel $(ACCEL) --preempt full \
		--out build/compare --rounds $(ROUNDS) --repeat $(or $(REPEAT),1) \
		--interleave build/release/kernel.iso $(if $(TOTAL),--total $(TOTAL)) \
		$(if $(MODES),--modes $(MODES)) $(if $(WORKERS),--workers $(WORKERS))
	@bash tools/compare.sh build/compare/counter.csv build/compare/linux-counter.csv \
		"Linux and smpkern booted in turn, $(ROUNDS) rounds per -smp value, medians" docs/experiment.md \
		| tee build/compare/comparison.txt
	@bash tools/plot.sh --out build/compare --linux build/compare/linux-counter.csv || true

# The course kit: the students' tree, and grading.
OUT ?= $(B)/handout
# Hints on the assignments' code (a plain store where a release belongs).
review:
	@bash tools/review.sh
handout:
	@bash tools/handout.sh $(OUT)
# Gradescope's autograder bundle for one assignment (docs/teaching.md):
# build/autograder/autograder.zip.
autograder:
	@bash tools/autograder.sh --assignment "$(ASSIGNMENT)" --out $(B)/autograder \
		$(if $(filter command line,$(origin SMP)),--smp "$(SMP)") $(if $(RUNS),--runs "$(RUNS)")
# make grade [ASSIGNMENT=name] [STUDENT=dir] [SMP="1 2 4"] [RUNS=3] [POINTS=file]
# (docs/assignments/README.md). STUDENT: a submission, graded from this
# tree (the teachers'): only its assignment files are taken from it.
POINTS ?= $(wildcard tests/assignments/points)
ifneq ($(and $(TEACHER),$(filter grade,$(MAKECMDGOALS))),)
$(error TEACHER= ran the student's own Makefile and grade.sh, which a student can change: grade from the teachers' tree instead, make grade STUDENT=path/to/submission [ASSIGNMENT=name])
endif
grade: $(if $(STUDENT),$(B)/.tools-ok,iso)
	@bash tools/grade.sh --build $(B) $(if $(filter undefined,$(origin ASSIGNMENT)),,--only "$(ASSIGNMENT)") \
		$(if $(filter command line,$(origin SMP)),--smp "$(SMP)") $(if $(RUNS),--runs "$(RUNS)") \
		$(if $(STUDENT),--student "$(STUDENT)") $(if $(POINTS),--points "$(POINTS)")
