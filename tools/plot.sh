#!/usr/bin/env bash
# plot.sh - `make plot`: build/bench/counter.csv -> build/bench/counter.png
# (and counter.svg): ns per operation against workers, one panel per CPU
# count, log scales; solid lines smpkern, dashed Linux (preempt=full).
#   plot.sh [--out build/bench] [--linux FILE]
set -u
out=build/bench linux=""
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift ;;
	--linux) linux=$2; shift ;;
	*) echo "plot.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
csv=$out/counter.csv
[ -s "$csv" ] || { echo "plot: no $csv; run make bench first" >&2; exit 1; }
if ! command -v gnuplot >/dev/null 2>&1; then
	if command -v apt-get >/dev/null 2>&1; then
		sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
		echo "plot: installing gnuplot-nox"
		{ $sudo apt-get install -y -qq gnuplot-nox || { $sudo apt-get update -qq &&
		  $sudo apt-get install -y -qq gnuplot-nox; }; } > "$out/apt-gnuplot.log" 2>&1
	fi
	command -v gnuplot >/dev/null 2>&1 ||
		{ echo "plot: needs gnuplot (apt-get install gnuplot-nox)" >&2; exit 1; }
fi
# counter.csv: accel,smp,workers,iters,mode,final,ns,ns_per_op
smps=$(awk -F, 'NR > 1 {print $2}' "$csv" | sort -nu | tr '\n' ' ')
modes=$(awk -F, 'NR > 1 {print $5}' "$csv" | sort -u | tr '\n' ' ')
dat=$out/plot; rm -rf "$dat"; mkdir -p "$dat"
for smp in $smps; do
	for m in $modes; do
		awk -F, -v s="$smp" -v m="$m" 'NR > 1 && $2 == s && $5 == m {print $3, $8}' "$csv" |
			sort -n > "$dat/$smp-$m.dat"
		[ -n "$linux" ] && awk -F, -v s="$smp" -v m="$m" \
			'$1 == s && $4 == m && $8 == "full" {print $2, $7}' "$linux" |
			sort -n > "$dat/$smp-$m.linux.dat"
	done
done
n=$(echo $smps | wc -w)
plots() {
	for smp in $smps; do
		echo "set title '-smp $smp'"
		local p="plot" i=1
		for m in $modes; do
			p="$p '$dat/$smp-$m.dat' w lp lc $i lw 2 pt 7 ps 0.6 t '$m',"
			[ -s "$dat/$smp-$m.linux.dat" ] &&
				p="$p '$dat/$smp-$m.linux.dat' w l lc $i dt 2 notitle,"
			i=$((i + 1))
		done
		echo "${p%,}"
	done
}
for fmt in png svg; do
	{
		if [ $fmt = png ]; then
			echo "set terminal pngcairo size $((480 * n)),480 font 'sans,9'"
		else
			echo "set terminal svg size $((480 * n)),480 dynamic font 'sans,10'"
		fi
		echo "set output '$out/counter.$fmt'"
		echo "set multiplot layout 1,$n title 'Counter experiment: ns per operation (solid: smpkern$([ -n "$linux" ] && echo ', dashed: Linux preempt=full'))'"
		echo "set termoption noenhanced	# mode names have underscores"
		echo "set logscale xy; set xlabel 'workers'; set ylabel 'ns per operation'"
		echo "set xrange [1.7:19]; set xtics (2, 4, 8, 16); set grid; set key top left font ',8'"
		plots
		echo "unset multiplot"
	} > "$dat/counter-$fmt.gp"
	gnuplot "$dat/counter-$fmt.gp" || exit 1
done
echo "plot: $out/counter.png, $out/counter.svg"
