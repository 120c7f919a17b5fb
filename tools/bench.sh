#!/usr/bin/env bash
# bench.sh - `make bench`: measure, compare with Linux, plot.
#
#   bench.sh [--smp "1 2 4"] [--repeat 3] [--total 16777216] [--build build]
#
# 1. Microbenchmarks (boot option `bench`): lock and primitive costs.
# 2. The counter experiment's grid (W = 16, 8, 4, 2; W*I = total), median
#    of --repeat runs per cell, under -smp N for each N.
# 3. build/bench/counter.csv with our figures beside Linux 6.1's
#    (docs/data/linux-6.1-counter-tcg.csv, same QEMU settings), a table of
#    ratios, and build/bench/counter.svg (gnuplot; installed if missing).
# Benchmarks report; they never fail on slowness.
set -u
smp_list="1 2 4" repeat=3 total=16777216 build=build accel=tcg
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp_list=$2; shift ;;
	--repeat) repeat=$2; shift ;;
	--total) total=$2; shift ;;
	--build) build=$2; shift ;;
	--accel) accel=$2; shift ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
out=$build/bench
mkdir -p "$out"
linux=docs/data/linux-6.1-counter-tcg.csv
strip() { sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\]\[C[0-9]*\] //' "$1"; }
boot() {	# log smp timeout args
	bash tools/qemu.sh --iso "$build/kernel.iso" --smp "$2" --mem 1G --accel "$accel" \
		--timeout "$3" --log "$1" --args "$4"
}

echo "== microbenchmarks =="
: > "$out/micro.txt"
for smp in $smp_list; do
	boot "$out/micro-smp$smp.log" "$smp" 600 "bench poweroff"
	strip "$out/micro-smp$smp.log" | grep '^bench: ' | tee -a "$out/micro.txt"
done

echo "== counter grid (W*I = $total, median of $repeat) =="
echo "smp,workers,iters,mode,final,ns,ns_per_op" > "$out/counter.csv"
for smp in $smp_list; do
	log="$out/counter-smp$smp.log"
	t0=$SECONDS
	boot "$log" "$smp" 3000 "counter.grid=1 counter.total=$total counter.repeat=$repeat poweroff"
	st=$?
	strip "$log" | sed -n 's/^counter: mode=\([a-z_]*\) cpus=\([0-9]*\) workers=\([0-9]*\) iters=\([0-9]*\) final=\(-*[0-9]*\) expected=-*[0-9]* ns=\([0-9]*\) ns_per_op=\([0-9.]*\)$/\2,\3,\4,\1,\5,\6,\7/p' >> "$out/counter.csv"
	echo "smp $smp: $((SECONDS - t0)) s, QEMU status $st"
	[ $st -eq 1 ] || { echo "warning: the smp=$smp boot did not end cleanly; see $log"; }
done

# Join with Linux's figures: the better of preempt=full and voluntary.
awk -F, -v L="$linux" '
BEGIN {
	while ((getline line < L) > 0) {
		split(line, f, ",")
		if (f[1] == "smp") continue
		k = f[1] "," f[2] "," f[4]
		if (!(k in best) || f[7] + 0 < best[k]) best[k] = f[7] + 0
	}
	printf "%-14s %4s %7s %10s %10s %7s\n", "mode", "cpus", "workers", "ours ns/op", "linux", "ratio"
}
NR > 1 {
	k = $1 "," $2 "," $4
	lx = (k in best) ? best[k] : 0
	r = lx > 0 ? sprintf("%.2f", $7 / lx) : "-"
	printf "%-14s %4s %7s %10s %10s %7s\n", $4, $1, $2, $7, lx ? lx : "-", r
	if (lx > 0) { n++; if ($7 / lx > 1.0) worse++ }
}
END { printf "\n%d cells compared with Linux 6.1; %d slower than Linux\n", n, worse }
' "$out/counter.csv" | tee "$out/comparison.txt"

# The plot: ns/op against workers, one panel per CPU count.
if ! command -v gnuplot >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
	sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 || true
fi
if command -v gnuplot >/dev/null 2>&1; then
	for smp in $smp_list; do
		for m in $(awk -F, 'NR>1{print $4}' "$out/counter.csv" | sort -u); do
			awk -F, -v s=$smp -v m=$m 'NR>1 && $1==s && $4==m {print $2, $7}' \
				"$out/counter.csv" | sort -n > "$out/plot-$smp-$m.dat"
			awk -F, -v s=$smp -v m=$m '$1==s && $4==m && $8=="full" {print $2, $7}' \
				"$linux" | sort -n > "$out/plot-$smp-$m.linux.dat"
		done
	done
	modes=$(awk -F, 'NR>1{print $4}' "$out/counter.csv" | sort -u | tr '\n' ' ')
	n=$(echo $smp_list | wc -w)
	{
		echo "set terminal svg size $((420 * n)),420 dynamic font 'sans,10'"
		echo "set output '$out/counter.svg'"
		echo "set multiplot layout 1,$n title 'Counter experiment: ns per operation (solid: smpkern, dashed: Linux 6.1 preempt=full)'"
		echo "set logscale xy; set xlabel 'workers'; set ylabel 'ns/op'; set key top left font ',8'"
		echo "set xtics (2,4,8,16)"
		for smp in $smp_list; do
			echo "set title '-smp $smp'"
			plot="plot"
			i=1
			for m in $modes; do
				plot="$plot '$out/plot-$smp-$m.dat' w lp lc $i lw 2 dt 1 t '$m',"
				[ -s "$out/plot-$smp-$m.linux.dat" ] && \
					plot="$plot '$out/plot-$smp-$m.linux.dat' w lp lc $i dt 2 notitle,"
				i=$((i + 1))
			done
			echo "${plot%,}"
		done
		echo "unset multiplot"
	} > "$out/counter.gp"
	gnuplot "$out/counter.gp" && echo "plot: $out/counter.svg"
else
	echo "no gnuplot: skipping the plot (apt-get install gnuplot-nox)"
fi
echo "results: $out/counter.csv, $out/comparison.txt, $out/micro.txt"
