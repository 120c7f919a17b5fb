#!/usr/bin/env bash
# check-unsupported.sh CC "CFLAGS" - Linux names that cannot keep their
# Linux meaning here must fail to build, with a message that says why
# (docs/linux.md). Each snippet is compiled alone; it passes only if the
# compiler refuses it and prints the expected reason.
set -u
cc=$1 cflags=$2
tmp=$(mktemp -d /tmp/smpkern-unsup.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
bad=0 n=0
check() {	# header code expected-message
	n=$((n + 1))
	printf '#include <%s>\nvoid f(void);\nvoid f(void) { %s; }\n' "$1" "$2" > "$tmp/t.c"
	if $cc $cflags -fsyntax-only "$tmp/t.c" > "$tmp/out" 2>&1; then
		echo "unsupported: '$2' compiled; it must not (it cannot mean what it means in Linux)"
		bad=1
	elif ! grep -qF -- "$3" "$tmp/out"; then
		echo "unsupported: '$2' failed without saying \"$3\":"; head -5 "$tmp/out"
		bad=1
	fi
}
check linux/printk.h 'printk(KERN_CONT "x")' "KERN_CONT: smpkern prints whole lines only"
check linux/printk.h 'pr_cont("x")' "KERN_CONT: smpkern prints whole lines only"
check linux/compiler.h 'char __user *p = 0; (void)p' "__user: smpkern has no user space"
check linux/sched/signal.h 'allow_signal(9)' "allow_signal: smpkern has no signals"
check linux/ktime.h '(void)ktime_get_real()' "ktime_get_real: smpkern has no wall clock"
check linux/ktime.h '(void)ktime_get_real_ns()' "ktime_get_real_ns: smpkern has no wall clock"
check linux/sched.h 'sched_set_fifo(current)' "smpkern has one scheduling class"
check linux/module.h 'module_param_array(x, int, 0, 0)' "module_param_array: not supported"
check linux/interrupt.h '(void)request_irq(1, 0, 0, "x", 0)' "request_irq: smpkern has no device interrupts for modules"
check linux/jump_label.h 'DEFINE_STATIC_KEY_TRUE(k)' "DEFINE_STATIC_KEY_TRUE: smpkern's static keys start false"
check linux/hrtimer.h 'struct hrtimer t; hrtimer_init(&t, CLOCK_REALTIME, HRTIMER_MODE_ABS)' "CLOCK_REALTIME: smpkern has no wall clock"
check linux/hrtimer.h 'struct hrtimer t; hrtimer_init(&t, CLOCK_TAI, HRTIMER_MODE_ABS)' "CLOCK_TAI: smpkern has no wall clock"
check linux/hrtimer.h 'struct hrtimer t; hrtimer_start(&t, 0, HRTIMER_MODE_REL_SOFT)' "smpkern runs hrtimer callbacks in hard irq only"
check linux/hrtimer.h 'struct hrtimer t; hrtimer_init(&t, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED_SOFT)' "smpkern runs hrtimer callbacks in hard irq only"
check linux/fs.h '(void)0' "<linux/fs.h>: smpkern has no file systems or user space"
check linux/uaccess.h '(void)0' "<linux/uaccess.h>: smpkern has no user space"
check linux/proc_fs.h '(void)0' "<linux/proc_fs.h>: smpkern has no /proc"
check linux/pci.h '(void)0' "<linux/pci.h>: smpkern has no PCI drivers"
check linux/netdevice.h '(void)0' "<linux/netdevice.h>: smpkern has no networking"
check linux/rbtree_augmented.h '(void)0' "<linux/rbtree_augmented.h>: augmented rbtrees are not provided"
[ $bad -eq 0 ] && echo "unsupported: $n Linux names that cannot keep their meaning fail to build, each saying why"
exit $bad
