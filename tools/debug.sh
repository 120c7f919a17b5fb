#!/usr/bin/env bash
# debug.sh - `make debug`: QEMU halted with a gdb stub, and gdb attached.
#
#   debug.sh --iso ISO --elf ELF [--port 1234] [--log FILE] [--batch CMDFILE]
#            [qemu.sh options: --smp --mem --accel --uefi --machine --cpu --args]
#
# QEMU runs in the background, its serial console going to --log (follow
# it with `tail -f`); gdb runs here with the kernel's symbols and the
# helpers of tools/gdb/smpkern.py (lx-cpus, lx-ps, lx-runqueue, lx-lock,
# $lx_per_cpu, $lx_current), stops at kmain and breaks on panic. Quitting
# gdb ends QEMU. --batch runs the gdb commands in CMDFILE after that and
# exits (the test of these helpers uses it).
#
# Why `hbreak kmain`: GRUB copies the kernel into memory after gdb has
# attached, overwriting any software breakpoint planted before; a hardware
# breakpoint lives in a debug register instead. Once kmain is reached,
# ordinary `break` works everywhere.
set -u
port=1234 log="" batch="" iso="" elf="" qargs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--port) port=$2; shift ;;
	--log) log=$2; shift ;;
	--batch) batch=$2; shift ;;
	--iso) iso=$2; shift ;;
	--elf) elf=$2; shift ;;
	--smp|--mem|--accel|--uefi|--machine|--cpu|--args) qargs+=("$1" "$2"); shift ;;
	*) echo "debug.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
command -v gdb >/dev/null || { echo "make debug needs gdb (apt-get install gdb)" >&2; exit 1; }
[ -n "$log" ] || log=$(dirname "$iso")/debug-console.log
here=$(cd "$(dirname "$0")" && pwd)

# In a session of its own, so that one kill ends the launcher, timeout and QEMU.
setsid bash "$here/qemu.sh" --iso "$iso" "${qargs[@]}" --debug "$port" --log "$log" \
	--timeout "${DEBUG_TIMEOUT:-86400}" &
qemu=$!
trap 'kill -- -$qemu 2>/dev/null; wait $qemu 2>/dev/null' EXIT
for _ in $(seq 50); do	# wait for the stub to listen
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.1
done

gdbargs=(-q "$elf" -x "$here/gdb/smpkern.py"
	 -ex "set architecture i386:x86-64"
	 -ex "target remote 127.0.0.1:$port"
	 -ex "hbreak kmain" -ex "continue" -ex "delete"
	 -ex "break panic")
if [ -n "$batch" ]; then
	gdb -batch -nx "${gdbargs[@]}" -x "$batch" </dev/null
else
	echo "QEMU's console goes to $log (tail -f it in another terminal)."
	gdb "${gdbargs[@]}"
fi
