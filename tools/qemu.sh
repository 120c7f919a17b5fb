#!/usr/bin/env bash
# qemu.sh - boot build/kernel.iso in QEMU with a given kernel command line.
#
#   qemu.sh [--smp N] [--mem 512M] [--accel tcg|kvm] [--uefi 0|1]
#           [--machine q35|pc] [--cpu max] [--args "..."]
#           [--interactive | --log FILE --timeout SECONDS] [--debug PORT]
#
# The command line reaches GRUB on a tiny FAT disk holding /kargs.cfg
# (see iso/grub.cfg). --interactive puts the serial console on this
# terminal (Ctrl-A X quits); otherwise output goes to --log and the run is
# bounded by --timeout. Exit status: QEMU's, i.e. 2*code+1 for the code
# the kernel wrote to isa-debug-exit, 124 on time-out.
set -u
smp=4 mem=512M accel=tcg uefi=0 machine=q35 cpu=max args="" interactive=0
log="" timeout=120 debug=0 iso=build/kernel.iso
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp=$2; shift ;;
	--mem) mem=$2; shift ;;
	--accel) accel=$2; shift ;;
	--uefi) uefi=$2; shift ;;
	--machine) machine=$2; shift ;;
	--cpu) cpu=$2; shift ;;
	--args) args=$2; shift ;;
	--log) log=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--interactive) interactive=1 ;;
	--debug) debug=$2; shift ;;
	--iso) iso=$2; shift ;;
	*) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

tmp=$(mktemp -d /tmp/smpkern-qemu.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# GRUB single quotes: nothing inside is expanded; ' itself becomes '\''.
printf "set args='%s'\n" "$(printf '%s' "$args" | sed "s/'/'\\\\''/g")" > "$tmp/kargs.cfg"
mformat -C -f 1440 -i "$tmp/args.img" :: >/dev/null
mcopy -i "$tmp/args.img" "$tmp/kargs.cfg" ::/kargs.cfg

case "$accel" in
tcg) accel_opt="tcg,thread=multi" ;;
kvm) accel_opt="kvm" ;;
*) echo "qemu.sh: ACCEL must be tcg or kvm, not '$accel'" >&2; exit 2 ;;
esac

# The host's cores reach the kernel through QEMU's fw_cfg device, not the
# command line: the counter experiment uses them to explain a run whose
# vCPUs could not all run at once (arch/x86/fw_cfg.h).
cores=$(nproc 2>/dev/null || echo 0)
opts=(-machine "$machine" -cpu "$cpu" -accel "$accel_opt" -smp "$smp" -m "$mem"
      -cdrom "$iso" -drive "file=$tmp/args.img,format=raw,media=disk"
      -boot d -no-reboot -display none
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
[ "$cores" -gt 0 ] && opts+=(-fw_cfg "name=opt/smpkern/host_cpus,string=$cores")
if [ "$uefi" = 1 ]; then
	fw=/usr/share/ovmf/OVMF.fd
	[ -f "$fw" ] || { echo "qemu.sh: UEFI=1 needs $fw (package ovmf)" >&2; exit 2; }
	opts+=(-bios "$fw")
fi
# --debug PORT: halted at the first instruction, a gdb stub on that port.
[ "$debug" != 0 ] && opts+=(-gdb "tcp:127.0.0.1:$debug" -S)

# More vCPUs than host cores: the host deschedules some while they hold or
# wait for a lock. Say so where a person reads it (docs/experiment.md).
if [ "$interactive" = 1 ] && [ "$cores" -gt 0 ] && [ "$smp" -gt "$cores" ]; then
	echo "qemu.sh: note: -smp $smp on a host with $cores cores: vCPUs take turns, so" \
	     "spinning waits for a descheduled vCPU (fair locks like ticket crawl); SMP=$cores for clean numbers" >&2
fi
if [ "$interactive" = 1 ]; then
	qemu-system-x86_64 "${opts[@]}" -serial mon:stdio
	status=$?
	# The kernel's "success" exit code 0 arrives as 1: report it as 0.
	[ $status -eq 1 ] && status=0
	exit $status
fi
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${opts[@]}" \
	-serial "file:$log" -monitor none </dev/null
