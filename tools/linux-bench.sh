#!/usr/bin/env bash
# linux-bench.sh - `make bench-linux`: the counter experiment under Linux,
# on this machine, under the QEMU settings `make bench` uses for smpkern.
#
#   linux-bench.sh [--smp "1 2 4"] [--repeat 3] [--total 16777216]
#                  [--preempt "full voluntary"] [--accel tcg] [--out build/linux-bench]
#                  [--lab "pin=1 where=1 modes=mutex workers=2"]
#                  [--rounds 1] [--interleave build/release/kernel.iso]
#                  [--modes mutex,spinlock] [--workers 4]
#
# Linux is Debian's kernel (the linux-image-amd64 package, downloaded and
# unpacked here, not installed) running tools/linux-lab/counter_lab.c,
# a module doing what lab/counter.c does, built against the matching
# linux-headers package (installed: kbuild needs it at its own path).
# Each boot runs the lab's grid (W = 16, 8, 4, 2, W*I = total), `repeat`
# runs per cell; the median goes to $out/linux-counter.csv, in the format
# of docs/data/linux-6.1-counter-tcg.csv. `make bench` then compares with
# this file instead of the stored one.
#
# --rounds K boots each (preempt, smp) K times and pools the runs.
# --interleave ISO (`make bench-compare`) boots smpkern's ISO right after
# each Linux boot, with the same grid under the same settings, and writes
# its medians to $out/counter.csv: the host's speed drifts by tens of
# percent over minutes, so cells compared from two runs made minutes apart
# can differ by that much; interleaved boots see the same host.
# --modes and --workers (one W) narrow both kernels to those cells: the
# quick way to compare one cell, `make bench-compare BENCH_SMP=2 ROUNDS=5
# MODES=mutex WORKERS=4`.
#
# Debian/Ubuntu only (apt-get); needs the network of the package mirror.
set -u
smp_list="1 2 4" repeat=3 total=16777216 preempts="full voluntary" accel=tcg out=build/linux-bench
lab=""	# more module parameters (see counter_lab.c), each passed as lab.k=v
rounds=1 ours_iso="" modes="" workers=""
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp_list=$2; shift ;;
	--repeat) repeat=$2; shift ;;
	--total) total=$2; shift ;;
	--preempt) preempts=$2; shift ;;
	--accel) accel=$2; shift ;;
	--out) out=$2; shift ;;
	--lab) for kv in $2; do lab="$lab lab.$kv"; done; shift ;;
	--rounds) rounds=$2; shift ;;
	--interleave) ours_iso=$2; shift ;;
	--modes) modes=$2; shift ;;
	--workers) workers=$2; shift ;;
	*) echo "linux-bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
case "$workers" in
""|[1-9]|[1-9][0-9]) ;;
*) echo "linux-bench.sh: --workers takes one number of workers, not '$workers'" >&2; exit 2 ;;
esac
[ -n "$modes" ] && lab="$lab lab.modes=$modes"
[ -n "$workers" ] && lab="$lab lab.workers=$workers"
# The same cells for smpkern: its grid, or the chosen mode(s) and W.
ours_cells="counter.grid=1"
[ -n "$modes" ] && ours_cells="$ours_cells counter.modes=$modes"
[ -n "$workers" ] && ours_cells="counter.workers=$workers${modes:+ counter.modes=$modes}"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
command -v apt-get >/dev/null || { echo "bench-linux: needs apt-get (Debian/Ubuntu)" >&2; exit 1; }

# 1. Which kernel: the one linux-image-amd64 points to.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kpkg" ] || { echo "bench-linux: apt-cache knows no linux-image-amd64 (apt-get update?)" >&2; exit 1; }
kver=${kpkg#linux-image-}
echo "bench-linux: Linux $kver"

# 2. Tools and headers (installed), the kernel image (unpacked here).
need=()
[ -d "/usr/src/linux-headers-$kver" ] || need+=("linux-headers-$kver")
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx insmod || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
if [ ${#need[@]} -gt 0 ]; then
	echo "bench-linux: installing ${need[*]}"
	$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" > "$out/apt.log" 2>&1 ||
		{ tail "$out/apt.log"; echo "bench-linux: apt-get failed" >&2; exit 1; }
fi
img=$(dirname "$out")/linux-image	# shared by make bench-linux and bench-compare
vmlinuz=$img/boot/vmlinuz-$kver
if [ ! -f "$vmlinuz" ]; then
	mkdir -p "$img"
	(cd "$img" && apt-get download "$kpkg" > apt-download.log 2>&1) ||
		{ cat "$img/apt-download.log"; exit 1; }
	dpkg-deb -x "$img/${kpkg}"_*.deb "$img"
fi

# 3. The module, built against those headers.
mkdir -p "$out/module"
cp "$here/linux-lab/counter_lab.c" "$here/linux-lab/Kbuild" "$out/module/"
make -s -C "/usr/src/linux-headers-$kver" M="$out/module" modules > "$out/module.log" 2>&1 ||
	{ cat "$out/module.log"; echo "bench-linux: the module did not build" >&2; exit 1; }

# 4. The initramfs: busybox, /init, the module.
rm -rf "$out/initrd"; mkdir -p "$out/initrd/bin"
cp /bin/busybox "$out/initrd/bin/busybox"
cp "$here/linux-lab/init" "$out/initrd/init"; chmod +x "$out/initrd/init"
cp "$out/module/counter_lab.ko" "$out/initrd/"
(cd "$out/initrd" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"

# 5. `rounds` boots per (preempt, smp); every run's line goes to runs.txt
#    (and, with --interleave, a boot of smpkern after each: ours-runs.txt).
case "$accel" in tcg) accel_opt="tcg,thread=multi" ;; *) accel_opt=$accel ;; esac
line_re='s/.*counter: mode=\([a-z_]*\) cpus=\([0-9]*\) workers=\([0-9]*\) iters=\([0-9]*\) final=\(-*[0-9]*\) expected=\(-*[0-9]*\) ns=\([0-9]*\) ns_per_op=\([0-9.]*\).*'
: > "$out/runs.txt"; : > "$out/ours-runs.txt"
for pre in $preempts; do
	for smp in $smp_list; do
		for round in $(seq "$rounds"); do
			log="$out/linux-$pre-smp$smp.log"
			[ "$rounds" -gt 1 ] && log="$out/linux-$pre-smp$smp-$round.log"
			t0=$SECONDS
			timeout 3600 qemu-system-x86_64 -machine q35 -cpu max -accel "$accel_opt" \
				-smp "$smp" -m 1G -kernel "$vmlinuz" -initrd "$out/initrd.gz" \
				-append "console=ttyS0 quiet preempt=$pre lab.total=$total lab.repeat=$repeat$lab" \
				-display none -serial "file:$log" -monitor none -no-reboot </dev/null
			n=$(grep -c 'counter: mode=' "$log")
			echo "bench-linux: preempt=$pre smp=$smp round $round: $n runs in $((SECONDS - t0)) s"
			grep -q 'counter: done' "$log" || echo "warning: the boot did not finish; see $log"
			sed -n "$line_re/\2,\3,\4,\1,\5,\7,\8,$pre,\6/p" "$log" | sort -u >> "$out/runs.txt"
			[ -n "$ours_iso" ] || continue
			olog="$out/ours-smp$smp-$round.log"
			t0=$SECONDS
			bash "$here/qemu.sh" --iso "$ours_iso" --smp "$smp" --mem 1G --accel "$accel" \
				--machine q35 --cpu max --timeout 3600 --log "$olog" \
				--args "$ours_cells counter.total=$total counter.repeat=$repeat poweroff" >/dev/null
			echo "bench-compare: smpkern smp=$smp round $round: $(grep -c 'counter: mode=' "$olog") cells in $((SECONDS - t0)) s"
			sed -n "$line_re/\2,\3,\4,\1,\5,\7,\8,ours,\6/p" "$olog" >> "$out/ours-runs.txt"
		done
	done
done

# 6. Median per cell (by ns), with min and max, as the stored reference.
medians() {	# runs file -> one CSV line per (tag, smp, workers, mode)
	sort -t, -k8,8 -k1,1n -k2,2nr -k4,4 -k6,6n "$1" | awk -F, -v accel="$accel" '
	function flush() {
		if (n == 0) return
		m = int((n + 1) / 2)
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s,%s,%s\n", s, w, it, mo, fin[m], ns[m], op[m],
		       pre, accel, n, opmin, opmax, fmin, fmax, ex[m]
		n = 0
	}
	{
		key = $8 "," $1 "," $2 "," $4
		if (key != last) { flush(); last = key; opmin = ""; opmax = ""; fmin = ""; fmax = "" }
		n++; s = $1; w = $2; it = $3; mo = $4; pre = $8
		fin[n] = $5; ns[n] = $6; op[n] = $7; ex[n] = $9
		if (opmin == "" || $7 + 0 < opmin + 0) opmin = $7
		if (opmax == "" || $7 + 0 > opmax + 0) opmax = $7
		if (fmin == "" || $5 + 0 < fmin + 0) fmin = $5
		if (fmax == "" || $5 + 0 > fmax + 0) fmax = $5
	}
	END { flush() }'
}
echo "smp,workers,iters,mode,final,ns,ns_per_op,preempt,accel,reps,ns_per_op_min,ns_per_op_max,final_min,final_max,expected" \
	> "$out/linux-counter.csv"
medians "$out/runs.txt" >> "$out/linux-counter.csv"
echo "bench-linux: $out/linux-counter.csv ($(($(wc -l < "$out/linux-counter.csv") - 1)) cells)"
if [ -n "$ours_iso" ]; then	# the columns of make bench's counter.csv
	echo "accel,smp,workers,iters,mode,final,ns,ns_per_op,expected,lost_pct" > "$out/counter.csv"
	medians "$out/ours-runs.txt" | awk -F, '{ d = $15 - $5; if (d < 0) d = -d
		printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%.2f\n", $9, $1, $2, $3, $4, $5, $6, $7, $15,
		       100 * d / ($2 * $3) }' >> "$out/counter.csv"
	echo "bench-compare: $out/counter.csv ($(($(wc -l < "$out/counter.csv") - 1)) cells)"
fi
