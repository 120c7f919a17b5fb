#!/usr/bin/env bash
# grade.sh - `make grade`: run the assignments' tests under several -smp
# values and print a score per assignment (tests passed / tests run).
#   grade.sh [--smp "1 2 4"] [--build build] [--only NAME]
set -u
smp_list="1 2 4" build=build only=""
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp_list=$2; shift ;;
	--build) build=$2; shift ;;
	--only) only=$2; shift ;;
	*) echo "grade.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
filter="assignment_${only:-*}.*"
logdir=$build/grade
mkdir -p "$logdir"
: > "$logdir/results.txt"
for smp in $smp_list; do
	log="$logdir/smp$smp.log"
	bash tools/qemu.sh --iso "$build/kernel.iso" --smp "$smp" --timeout 300 \
		--log "$log" --args "test=$filter poweroff"
	sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\]\[C[0-9]*\] //' "$log" |
		grep -E '^(PASS|FAIL) assignment_' | sed "s/^/smp$smp /" >> "$logdir/results.txt"
	grep -q '^.*ktest: [0-9]* passed' "$log" ||
		echo "smp$smp: the boot did not finish (see $log)"
done
grep FAIL "$logdir/results.txt" | sed 's/^/  /' | cut -c1-160
# Score per assignment: tests are named assignment_<name>.<test>.
awk '
{ name = $3; sub(/:$/, "", name); sub(/^assignment_/, "", name); sub(/\..*/, "", name)
  total[name]++; if ($2 == "PASS") ok[name]++ }
END {
	for (k in total)
		printf "grade: %-16s %3d/%-3d tests passed  %3d%%\n", k, ok[k], total[k],
		       100 * ok[k] / total[k]
}' "$logdir/results.txt" | sort
