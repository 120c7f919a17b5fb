#!/usr/bin/env bash
# setup.sh - make sure the tools the build and the tests need are here.
# On Debian/Ubuntu, missing packages are installed with apt-get (via sudo
# when not root). Elsewhere, one message names exactly what is missing.
set -u

need=()      # Debian package names of what is missing
missing=()   # human-readable names

check_cmd() {	# command package
	command -v "$1" >/dev/null 2>&1 || { need+=("$2"); missing+=("$1 ($2)"); }
}
check_file() {	# path-glob package what
	compgen -G "$1" >/dev/null || { need+=("$2"); missing+=("$3 ($2)"); }
}

check_cmd gcc gcc
check_file "/usr/include/stdio.h" libc6-dev "C library headers (the host tests)"
check_cmd ld binutils
check_cmd make make
check_cmd nasm nasm
check_cmd grub-mkrescue grub-common
check_file "/usr/lib/grub/i386-pc/multiboot2.mod" grub-pc-bin "GRUB BIOS modules"
check_file "/usr/lib/grub/x86_64-efi/multiboot2.mod" grub-efi-amd64-bin "GRUB UEFI modules"
check_cmd xorriso xorriso
check_cmd mformat mtools
check_cmd qemu-system-x86_64 qemu-system-x86
check_file "/usr/share/ovmf/OVMF.fd" ovmf "OVMF UEFI firmware"
check_cmd gdb gdb		# make debug, and the test of its helpers
check_cmd python3 python3	# make trace (tools/trace.py), and its test

if [ ${#need[@]} -gt 0 ]; then
	if command -v apt-get >/dev/null 2>&1; then
		sudo=""
		[ "$(id -u)" -ne 0 ] && sudo="sudo"
		echo "setup: installing ${need[*]} with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		if ! { $sudo apt-get update -qq && \
		       $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/tmp/smpkern-apt.log 2>&1; then
			tail -20 /tmp/smpkern-apt.log
			echo "error: apt-get could not install: ${need[*]}" >&2
			exit 1
		fi
	else
		echo "error: missing tools: ${missing[*]}. Install them (Debian package names given) and run make again." >&2
		exit 1
	fi
fi

# Versions known to work: QEMU >= 5.0 (isa-debug-exit, -accel tcg,thread=multi)
# and grub-mkrescue from GRUB >= 2.02 (multiboot2, hybrid BIOS/UEFI images).
qv=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
set -- $qv
if [ -z "${1:-}" ] || [ "$1" -lt 5 ]; then
	echo "error: QEMU ${1:-?}.${2:-?} is too old: need qemu-system-x86_64 >= 5.0" >&2
	exit 1
fi
gv=$(grub-mkrescue --version | sed -n 's/.* \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
set -- $gv
if [ -z "${1:-}" ] || [ "$1" -lt 2 ] || { [ "$1" -eq 2 ] && [ "${2:-0}" -lt 2 ]; }; then
	echo "error: grub-mkrescue ${1:-?}.${2:-?} is too old: need GRUB >= 2.02" >&2
	exit 1
fi
exit 0
