#!/usr/bin/env bash
# grade.sh - `make grade`: run the assignments' tests, several boots per
# -smp value, and score each assignment against the list of its tests.
#
#   grade.sh [--smp "1 2 4"] [--runs N] [--build DIR] [--only NAME]
#            [--tests DIR] [--points FILE]
#
# The rules (docs/assignments/README.md):
#  - the tests an assignment has are read from the test sources (the
#    teacher's, with --tests DIR: copied over the graded tree's own
#    tests/assignments/ before it is built); a test passes only if it
#    passed in every boot; a test that never ran is a failure;
#  - boot k of each -smp value runs with jitter=k-1 (the first without
#    jitter): races a quiet boot misses show up in another;
#  - a panic, a soft lockup (softlockup_panic=1) or a time-out fails every
#    test of the assignment whose test was running;
#  - points per test come from --points FILE (lines "suite.test N"; 1 by
#    default); results go to DIR/grade/results.tsv, one line per test and
#    one total per assignment;
#  - the exit status is 0 only if every test of every graded assignment
#    passed (1 otherwise, 2 for a usage error).
set -u
smp_list="1 2 4" runs=3 build=build only="" tests_dir="" points=""
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp_list=$2; shift ;;
	--runs) runs=$2; shift ;;
	--build) build=$2; shift ;;
	--only) only=$2; shift ;;
	--tests) tests_dir=$2; shift ;;
	--points) points=$2; shift ;;
	*) echo "grade.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
case "$runs" in ''|*[!0-9]*|0) echo "grade: RUNS must be a positive number, not '$runs'" >&2; exit 2 ;; esac
logdir=$build/grade
rm -rf "$logdir"
mkdir -p "$logdir"
iso=$build/kernel.iso

# ---- the tree to grade: this one, or a copy with the teacher's tests ----
if [ -n "$tests_dir" ]; then
	[ -d "$tests_dir" ] || { echo "grade: --tests $tests_dir: no such directory" >&2; exit 2; }
	tree=$logdir/tree
	mkdir -p "$tree"
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$tree"
	rm -rf "$tree/tests/assignments"
	cp -r "$tests_dir" "$tree/tests/assignments"
	echo "grade: building with the tests of $tests_dir"
	if ! make -C "$tree" B=build iso > "$logdir/build.txt" 2>&1; then
		echo "grade: the tree does not build with those tests:"; tail -20 "$logdir/build.txt"
		exit 1
	fi
	iso=$tree/build/kernel.iso
	src=$tree/tests/assignments
else
	src=tests/assignments
fi

# ---- the plan: every assignment test in the sources ----
grep -rhoE --include='*.c' 'KTEST\(assignment_[A-Za-z0-9_]+, *[A-Za-z0-9_]+\)' "$src" |
	sed -E 's/KTEST\((assignment_[A-Za-z0-9_]+), *([A-Za-z0-9_]+)\)/\1.\2/' | sort -u > "$logdir/plan.all"
valid=$(sed -E 's/^assignment_([^.]*)\..*/\1/' "$logdir/plan.all" | sort -u | tr '\n' ' ')
if [ -n "$only" ]; then
	if ! grep -q "^assignment_$only\." "$logdir/plan.all"; then
		echo "grade: unknown assignment '$only' (assignments: ${valid% })" >&2
		exit 2
	fi
	grep "^assignment_$only\." "$logdir/plan.all" > "$logdir/plan"
else
	cp "$logdir/plan.all" "$logdir/plan"
fi
[ -s "$logdir/plan" ] || { echo "grade: no assignment tests found in $src" >&2; exit 2; }
ntests=$(wc -l < "$logdir/plan")
timeout=$((60 * ntests + 60))

# ---- the boots ----
: > "$logdir/outcomes"		# boot test status reason
for smp in $smp_list; do
	for run in $(seq 1 "$runs"); do
		boot="smp$smp-run$run"
		args="test=assignment_${only:-*}.* poweroff softlockup_panic=1 watchdog.thresh=10"
		[ "$run" -gt 1 ] && args="$args jitter=$((run - 1))"
		log=$logdir/$boot.log
		bash tools/qemu.sh --iso "$iso" --smp "$smp" --timeout "$timeout" \
			--log "$log" --args "$args" > /dev/null 2>&1
		st=$?
		sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\]\[C[0-9]*\] //' "$log" > "$log.txt"
		# How the boot ended, in one line, for a test it killed.
		case $st in
		0|3) death="" ;;
		5) death="the kernel panicked: $(grep -m1 -E 'Kernel panic|BUG:|Oops' "$log.txt" | cut -c1-140)" ;;
		124|137) death="time-out after ${timeout}s: $(grep -m1 -E 'BUG:|WARNING:' "$log.txt" | cut -c1-120)" ;;
		*) death="the boot ended with QEMU status $st (reboot or triple fault?)" ;;
		esac
		# Each planned test: PASS, FAIL with its reason, DIED (running when
		# the kernel died), or MISSING (never ran).
		awk -v boot="$boot" -v death="$death" '
			FNR == NR { plan[$1] = 1; order[++n] = $1; next }
			/^RUN assignment_/ { running = $2 }
			# The first report during a test, shown beside its FAIL.
			/^(BUG|WARNING): |^inconsistent |^Kernel panic/ {
				if (running != "" && !(running in report)) report[running] = $0
			}
			/^PASS assignment_/ { st[$2] = "PASS"; why[$2] = ""; running = "" }
			/^FAIL assignment_/ {
				t = $2; sub(/:$/, "", t); r = $0; sub(/^FAIL [^ ]* /, "", r)
				if (r ~ /WARNING\(s\)/ && (t in report)) r = r " - " report[t]
				st[t] = "FAIL"; why[t] = r; running = ""
			}
			END {
				for (i = 1; i <= n; i++) {
					t = order[i]
					if (t in st) { print boot "\t" t "\t" st[t] "\t" why[t]; continue }
					if (t == running && death != "")
						print boot "\t" t "\tDIED\t" death
					else
						print boot "\t" t "\tMISSING\tnever ran" (death != "" ? " (" death ")" : "")
				}
			}' "$logdir/plan" "$log.txt" >> "$logdir/outcomes"
		printf 'grade: %-10s %s\n' "$boot" "$(awk -F'\t' -v b="$boot" '$1 == b { c[$3]++ }
			END { printf "%d passed, %d failed, %d died, %d never ran", c["PASS"], c["FAIL"], c["DIED"], c["MISSING"] }' "$logdir/outcomes")"
	done
done

# ---- scores ----
awk -F'\t' -v pointsfile="$points" -v results="$logdir/results.tsv" '
	BEGIN {
		if (pointsfile != "")
			while ((getline line < pointsfile) > 0) {
				split(line, f, /[ \t]+/)
				if (f[1] != "" && f[1] !~ /^#/) pts[f[1]] = f[2] + 0
			}
	}
	{
		boot = $1; t = $2; s = $3; r = $4
		a = t; sub(/^assignment_/, "", a); sub(/\..*/, "", a)
		if (!(t in seen)) { seen[t] = 1; tests[a] = tests[a] " " t; ok[t] = 1 }
		if (s != "PASS" && ok[t]) { ok[t] = 0; first[t] = boot ": " s " " r }
		if (s == "DIED") dead[a] = dead[a] ? dead[a] : boot ": " r
	}
	END {
		printf "" > results
		for (a in tests) {
			n = split(substr(tests[a], 2), list, " ")
			got = 0; max = 0; passed = 0
			for (i = 1; i <= n; i++) {
				t = list[i]; p = (t in pts) ? pts[t] : 1; max += p
				if (a in dead) { ok[t] = 0; if (first[t] == "") first[t] = "the assignment killed the kernel (" dead[a] ")" }
				if (ok[t]) { got += p; passed++ }
				printf "test\t%s\t%s\t%d\t%s\t%s\n", a, t, p, ok[t] ? "PASS" : "FAIL", ok[t] ? "" : first[t] >> results
				if (!ok[t]) printf "  FAIL %s: %s\n", t, substr(first[t], 1, 160)
			}
			printf "total\t%s\t%d\t%d\t%d\t%d\n", a, passed, n, got, max >> results
			summary[a] = sprintf("grade: %-16s %3d/%-3d tests passed  %3d%%  (%d/%d points)%s",
				a, passed, n, max ? 100 * got / max : 0, got, max,
				(a in dead) ? "  - killed the kernel" : "")
		}
		for (a in summary) print summary[a] | "sort"
	}' "$logdir/outcomes"
echo "grade: $runs boot(s) per -smp value in $smp_list; details in $logdir/ (results.tsv: one line per test)"
# Hints a reviewer would give; not part of the score.
bash tools/review.sh | tee "$logdir/review.txt"
# Pass only with a result for every planned test, none of them a failure.
[ "$(grep -c '^test	' "$logdir/results.tsv" 2>/dev/null)" = "$ntests" ] || exit 1
grep -q '	FAIL	' "$logdir/results.tsv" && exit 1
exit 0
