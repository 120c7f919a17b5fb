#!/usr/bin/env bash
# bench.sh - `make bench`: measure, compare with Linux, plot.
#
#   bench.sh [--smp "1 2 4"] [--repeat 3] [--total 16777216] [--build build/release]
#            [--accel tcg] [--out build/bench]
#
# 1. Microbenchmarks (boot option `bench`): lock and primitive costs.
# 2. The counter experiment's grid (W = 16, 8, 4, 2; W*I = total), the
#    median of --repeat runs per cell, one boot per -smp value, under
#    exactly the QEMU settings of the Linux figures:
#    -accel tcg,thread=multi -cpu max -m 1G.
# 3. $out/counter.csv (accel,smp,workers,iters,mode,final,ns,ns_per_op,
#    expected,lost_pct: the updates lost in the reported run, in % of W*I),
#    $out/comparison.txt: each cell beside Linux 6.1's, and the plot
#    (tools/plot.sh). Linux's figures come from build/linux-bench/ when
#    `make bench-linux` has measured them on this machine, otherwise from
#    docs/data/linux-6.1-counter-tcg.csv (measured on another machine of
#    this kind: costs of atomic operations differ between hosts).
# Benchmarks report; they never fail on slowness. `make bench` measures
# the RELEASE=1 kernel: Linux's figures come from a production kernel,
# without lock debugging.
set -u
smp_list="1 2 4" repeat=3 total=16777216 build=build/release accel=tcg out=build/bench
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp_list=$2; shift ;;
	--repeat) repeat=$2; shift ;;
	--total) total=$2; shift ;;
	--build) build=$2; shift ;;
	--accel) accel=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
linux=build/linux-bench/linux-counter.csv
where="measured on this machine by make bench-linux"
if [ ! -s "$linux" ]; then
	linux=docs/data/linux-6.1-counter-tcg.csv
	where="stored, measured on another machine of this kind (make bench-linux measures this one)"
fi
strip() { sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\]\[C[0-9]*\] //' "$1"; }
boot() {	# log smp timeout args
	bash "$here/qemu.sh" --iso "$build/kernel.iso" --smp "$2" --mem 1G --accel "$accel" \
		--machine q35 --cpu max --timeout "$3" --log "$1" --args "$4"
}

echo "== microbenchmarks ($build/kernel.iso, median of $repeat boots) =="
: > "$out/micro-runs.txt"
for smp in $smp_list; do
	for k in $(seq "$repeat"); do
		boot "$out/micro-smp$smp-$k.log" "$smp" 600 "bench poweroff counter=0"
		strip "$out/micro-smp$smp-$k.log" | grep '^bench: name=' >> "$out/micro-runs.txt"
	done
done
# One line per benchmark and CPU count: the median ns_per_op of the boots.
sed -n 's/^bench: name=\([^ ]*\) cpus=\([0-9]*\) ns_per_op=\([0-9.]*\).*/\2 \1 \3/p' "$out/micro-runs.txt" |
	sort -k1,1n -k2,2 -k3,3g | awk '
	function flush() { if (n) printf "bench: name=%s cpus=%s ns_per_op=%s (median of %d; min %s max %s)\n", name, cpus, v[int((n + 1) / 2)], n, v[1], v[n]; n = 0 }
	{ if ($1 != cpus || $2 != name) { flush(); cpus = $1; name = $2 } v[++n] = $3 }
	END { flush() }' | tee "$out/micro.txt"

echo "== counter grid (W*I = $total, median of $repeat runs per cell) =="
echo "accel,smp,workers,iters,mode,final,ns,ns_per_op,expected,lost_pct" > "$out/counter.csv"
for smp in $smp_list; do
	log="$out/counter-smp$smp.log"
	t0=$SECONDS
	boot "$log" "$smp" 3000 "counter.grid=1 counter.total=$total counter.repeat=$repeat poweroff"
	st=$?
	strip "$log" | sed -n "s/^counter: mode=\([a-z_]*\) cpus=\([0-9]*\) workers=\([0-9]*\) iters=\([0-9]*\) final=\(-*[0-9]*\) expected=\(-*[0-9]*\) ns=\([0-9]*\) ns_per_op=\([0-9.]*\)$/$accel,\2,\3,\4,\1,\5,\7,\8,\6/p" |
		awk -F, -v OFS=, '{ d = $9 - $6; if (d < 0) d = -d; print $0, sprintf("%.2f", 100 * d / ($3 * $4)) }' >> "$out/counter.csv"
	echo "smp $smp: $((SECONDS - t0)) s"
	[ $st -eq 1 ] || echo "warning: the -smp $smp boot did not end cleanly (QEMU status $st); see $log"
done

# Each cell beside Linux's (tools/compare.sh).
bash "$here/compare.sh" "$out/counter.csv" "$linux" "$where" | tee "$out/comparison.txt"

bash "$here/plot.sh" --out "$out" --linux "$linux" ||
	echo "no plot (gnuplot missing?); the numbers are in $out/counter.csv"
echo "results: $out/counter.csv, $out/comparison.txt, $out/micro.txt, $out/counter.png"
