#!/usr/bin/env bash
# grade.sh - `make grade`: run the assignments' tests, several boots per
# -smp value, and score each assignment against the list of its tests.
#
#   grade.sh [--smp "1 2 4"] [--runs N] [--build DIR] [--only NAME]
#            [--student DIR] [--points FILE]
#
# The rules (docs/assignments/README.md):
#  - --student DIR grades a submission from this tree, the teachers':
#    of DIR it takes only the files each graded assignment owns
#    (tools/assignment-files.sh: assignments/NAME.c and its .h), copies
#    them over a copy of this tree, and builds that with this tree's
#    Makefile, tests (private ones included) and this script. Nothing else
#    of DIR runs: a student's edited Makefile or grade.sh changes nothing.
#    Graded: --only NAME, or every assignment whose files DIR has.
#    Without --student, this tree is graded as it is (a student's check);
#  - the tests an assignment has are read from the test sources (only the
#    graded assignments' are compiled); a test passes only if it passed in
#    every boot; a test that never ran is a failure;
#  - boot k of each -smp value runs with jitter=k-1 (the first without
#    jitter): races a quiet boot misses show up in another;
#  - and one more boot per -smp value runs the KCSAN kernel (make
#    KCSAN=1; --kcsan 0 or GRADE_KCSAN=0 leaves it out), and one boot, at
#    the first -smp value above 1, the KASAN kernel (make KASAN=1;
#    --kasan 0 or GRADE_KASAN=0): a data race or a bad access in a test
#    fails it, with the report and its source lines (both accesses'
#    for KCSAN) beside;
#  - a panic, a soft lockup (softlockup_panic=1) or a time-out fails every
#    test of the assignment whose test was running; a report (BUG:,
#    WARNING:, lockdep's) during a test fails it and goes into results.tsv;
#  - ASSIGNMENT.review: tools/review.sh's findings on the assignment's
#    code (a plain store where a release belongs) fail this check;
#  - points per test come from --points FILE (lines "suite.test N", N a
#    whole number; 1 by default; a line naming no test of the plan, or a
#    bad number, is an error); results go to DIR/grade/results.tsv;
#  - the exit status is 0 only if every test of every graded assignment
#    passed (1 otherwise, 2 for a usage error).
set -u
smp_list="1 2 4" runs=3 build=build only="" student="" points="" kcsan=${GRADE_KCSAN:-1} kasan=${GRADE_KASAN:-1}
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp_list=$2; shift ;;
	--runs) runs=$2; shift ;;
	--build) build=$2; shift ;;
	--only) only=$2; shift ;;
	--student) student=$2; shift ;;
	--points) points=$2; shift ;;
	--kcsan) kcsan=$2; shift ;;
	--kasan) kasan=$2; shift ;;
	*) echo "grade.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
case "$runs" in ''|*[!0-9]*|0) echo "grade: RUNS must be a positive number, not '$runs'" >&2; exit 2 ;; esac
logdir=$build/grade
rm -rf "$logdir"
mkdir -p "$logdir"
iso=$build/kernel.iso

# ---- the tree to grade: this one, or this one with a student's files ----
here=$(cd "$(dirname "$0")" && pwd)
names=$(bash "$here/assignment-files.sh" names)
if [ -n "$only" ] && ! echo "$names" | grep -qx "$only"; then
	echo "grade: unknown assignment '$only' (assignments: $(echo $names))" >&2
	exit 2
fi
graded=${only:-$names}
tree=.				# what is built and reviewed
: > "$logdir/missing"		# assignment, file the submission lacks
if [ -n "$student" ]; then
	[ -d "$student/assignments" ] ||
		{ echo "grade: --student $student: no such directory, or no assignments/ in it" >&2; exit 2; }
	tree=$logdir/tree
	mkdir -p "$tree"
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$tree"
	# This tree's debug objects, if built: make then compiles only what
	# the submission changes (sources and objects keep their times).
	if [ -d build/obj ] && [ -f build/.flags ]; then
		mkdir -p "$tree/build" && cp -a build/obj build/.flags "$tree/build/"
	fi
	for san in kcsan kasan; do
		[ "${!san}" = 1 ] && [ -d build/$san/obj ] && [ -f build/$san/.flags ] &&
			mkdir -p "$tree/build/$san" && cp -a build/$san/obj build/$san/.flags "$tree/build/$san/"
	done
	taken="" graded_now=""
	for a in $graded; do
		files=$(bash "$here/assignment-files.sh" code "$a")
		have=0
		for f in $files; do [ -f "$student/$f" ] && have=1; done
		# Without --only, an assignment the submission has no file of
		# is not graded (a branch handout holds one assignment).
		[ -z "$only" ] && [ $have = 0 ] && continue
		graded_now="$graded_now $a"
		for f in $files; do
			if [ -f "$student/$f" ]; then
				cp "$student/$f" "$tree/$f"; taken="$taken $f"
			elif [ "${f%.c}" != "$f" ]; then	# the code: graded 0 without it
				printf '%s\t%s\n' "$a" "$f" >> "$logdir/missing"
			fi			# a header: the one handed out
		done
	done
	graded=${graded_now# }
	[ -n "$graded" ] || { echo "grade: $student has none of the assignments' files (assignments/*.c)" >&2; exit 2; }
	echo "grade: $student: taking${taken:- nothing}"
fi
# ---- the plan: every graded assignment's tests, from this tree's sources
# (the teachers', private ones included), and a review check each ----
grep -rhoE --include='*.c' 'KTEST\(assignment_[A-Za-z0-9_]+, *[A-Za-z0-9_]+\)' tests/assignments |
	sed -E 's/KTEST\((assignment_[A-Za-z0-9_]+), *([A-Za-z0-9_]+)\)/\1.\2/' | sort -u > "$logdir/plan.all"
for a in $names; do echo "assignment_$a.review"; done >> "$logdir/plan.all"
: > "$logdir/plan"
for a in $graded; do
	grep "^assignment_$a\.[A-Za-z0-9_]*$" "$logdir/plan.all" | grep -v '\.review$' >> "$logdir/plan" || true
done
[ -s "$logdir/plan" ] || { echo "grade: no tests found for: $graded" >&2; exit 2; }
ntests=$(wc -l < "$logdir/plan")
timeout=$((60 * ntests + 60))

# ---- points: each line "suite.test N" must name a check of the plan ----
if [ -n "$points" ]; then
	[ -f "$points" ] || { echo "grade: POINTS=$points: no such file" >&2; exit 2; }
	awk -v plan="$logdir/plan.all" -v file="$points" '
		BEGIN { while ((getline t < plan) > 0) known[t] = 1 }
		/^[ \t]*(#|$)/ { next }
		{
			bad = ""
			if (NF != 2) bad = "expected two fields, \"suite.test N\""
			else if (!($1 in known)) bad = "no test " $1 " (the tests are listed in the test sources; ASSIGNMENT.review is the review check)"
			else if ($2 !~ /^[0-9]+$/) bad = "points must be a whole number, not \"" $2 "\""
			if (bad != "") { printf "grade: %s:%d: %s\n", file, FNR, bad > "/dev/stderr"; err = 1 }
		}
		END { exit err }' "$points" || exit 2
fi

if [ -n "$student" ]; then
	# Only the graded assignments' tests are compiled: another
	# assignment's missing or unfinished code cannot break the build.
	for a in $names; do
		echo " $graded " | grep -q " $a " && continue
		(cd "$tree" && rm -f $(bash "$here/assignment-files.sh" tests "$a"))
	done
	echo "grade: building the submission for: $graded"
	if ! make -C "$tree" -j"$(nproc)" B=build RELEASE=0 iso > "$logdir/build.txt" 2>&1 ||
	   { [ "$kcsan" = 1 ] && ! make -C "$tree" -j"$(nproc)" B=build/kcsan KCSAN=1 iso \
		>> "$logdir/build.txt" 2>&1; } ||
	   { [ "$kasan" = 1 ] && ! make -C "$tree" -j"$(nproc)" B=build/kasan KASAN=1 iso \
		>> "$logdir/build.txt" 2>&1; }; then
		echo "grade: the submission does not build:"
		grep -E 'error|Error' "$logdir/build.txt" | head -20
		for a in $graded; do
			printf 'total\t%s\t0\t0\t0\t0\n' "$a" >> "$logdir/results.tsv"
			echo "grade: $(printf '%-16s' "$a") 0% - does not build (see $logdir/build.txt)"
		done
		exit 1
	fi
	iso=$tree/build/kernel.iso
	kbuild=$tree/build/kcsan abuild=$tree/build/kasan
else
	kbuild=$([ "$build" = build ] && echo build/kcsan || echo "$build/kcsan")
	abuild=$([ "$build" = build ] && echo build/kasan || echo "$build/kasan")
	for san in kcsan kasan; do
		[ "${!san}" = 1 ] || continue
		dir=$([ $san = kcsan ] && echo "$kbuild" || echo "$abuild")
		echo "grade: building the ${san^^} kernel ($dir)"
		make --no-print-directory -j"$(nproc)" B="$dir" "${san^^}=1" iso > "$logdir/build-$san.txt" 2>&1 ||
			{ echo "grade: the ${san^^} build failed:"; tail -20 "$logdir/build-$san.txt"; exit 1; }
	done
fi
# The KASAN boot: the first -smp value above 1 (readers and writers at
# once), or the only one.
kasan_smp=$(for v in $smp_list; do [ "$v" -gt 1 ] && { echo "$v"; break; }; done)
kasan_smp=${kasan_smp:-$(echo $smp_list | cut -d' ' -f1)}

# ---- the boots ----
: > "$logdir/outcomes"		# boot test status reason
: > "$logdir/findings"		# boot test report-line
for smp in $smp_list; do
	for run in $(seq 1 "$runs") $([ "$kcsan" = 1 ] && echo kcsan) \
		   $([ "$kasan" = 1 ] && [ "$smp" = "$kasan_smp" ] && echo kasan); do
		boot="smp$smp-run$run" boot_iso=$iso boot_timeout=$timeout
		args="test=$(echo $graded | sed -E 's/([^ ]+)/assignment_\1.*/g; s/ /,/g') poweroff softlockup_panic=1 watchdog.thresh=10"
		if [ "$run" = kcsan ] || [ "$run" = kasan ]; then	# slower: every access is checked
			boot="smp$smp-$run" boot_timeout=$((timeout * 5))
			boot_iso=$([ $run = kcsan ] && echo "$kbuild" || echo "$abuild")/kernel.iso
		elif [ "$run" -gt 1 ]; then
			args="$args jitter=$((run - 1))"
		fi
		log=$logdir/$boot.log
		bash tools/qemu.sh --iso "$boot_iso" --smp "$smp" --timeout "$boot_timeout" \
			--log "$log" --args "$args" > /dev/null 2>&1
		st=$?
		sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\]\[C[0-9]*\] //' "$log" > "$log.txt"
		# Frames get their source lines (Linux's decode_stacktrace.sh):
		# a KCSAN report then names the lines of both accesses, KASAN's
		# first line the line of the bad access.
		elf=${boot_iso%/kernel.iso}/kernel.elf
		if { [ "$run" = kcsan ] || [ "$run" = kasan ]; } && [ -f "$elf" ] && command -v python3 > /dev/null; then
			python3 "$here/decode-stacktrace.py" "$elf" "$tree" < "$log.txt" > "$log.dec" 2>/dev/null &&
				mv "$log.dec" "$log.txt"
		fi
		# How the boot ended, in one line, for a test it killed.
		case $st in
		0|3) death="" ;;
		5) death="the kernel panicked: $(grep -m1 -E 'Kernel panic|BUG:|Oops' "$log.txt" | cut -c1-140)" ;;
		124|137) death="time-out after ${timeout}s: $(grep -m1 -E 'BUG:|WARNING:' "$log.txt" | cut -c1-120)" ;;
		*) death="the boot ended with QEMU status $st (reboot or triple fault?)" ;;
		esac
		# Each planned test: PASS, FAIL with its reason, DIED (running when
		# the kernel died), or MISSING (never ran).
		awk -v boot="$boot" -v death="$death" -v findings="$logdir/findings" '
			FNR == NR { plan[$1] = 1; order[++n] = $1; next }
			/^RUN assignment_/ { running = $2 }
			# The first report during a test, shown beside its FAIL.
			/^(BUG|WARNING): |^inconsistent |^Kernel panic/ {
				kc = ""
				if (running != "" && !(running in report)) {
					report[running] = $0
					if ($0 ~ /^BUG: KCSAN: /) kc = running
				}
				if (running != "") print boot "\t" running "\t" $0 >> findings
			}
			# KCSAN: the line of each access, from its first frame.
			kc != "" && /^(read|write|assert|race at).* by (task [0-9]+|interrupt) on cpu [0-9]+:$/ { want = 1; next }
			kc != "" && want { want = 0
				if ($NF ~ /\.[ch]:[0-9]+$/) at[kc] = at[kc] (at[kc] == "" ? "" : " / ") $NF }
			kc != "" && /^Reported by Kernel Concurrency Sanitizer/ {
				if (at[kc] != "") report[kc] = report[kc] " (" at[kc] ")"
				kc = "" }
			/^PASS assignment_/ { st[$2] = "PASS"; why[$2] = ""; running = "" }
			/^FAIL assignment_/ {
				t = $2; sub(/:$/, "", t); r = $0; sub(/^FAIL [^ ]* /, "", r)
				# A sanitizer report, even if an assertion failed first.
				if ((r ~ /WARNING\(s\)/ || report[t] ~ /^BUG: K[CA]SAN: /) && (t in report))
					r = r " - " report[t]
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

# ---- the review check, and files a submission lacks ----
for a in $graded; do
	t=assignment_$a.review
	echo "$t" >> "$logdir/plan"
	files=$(for f in $(bash "$here/assignment-files.sh" code "$a"); do
		case "$f" in *.c) [ -f "$tree/$f" ] && echo "$f" ;; esac; done)
	found=$( [ -n "$files" ] && cd "$tree" && bash "$here/review.sh" $files | grep -E '^review: .*:[0-9]+:' || true)
	[ -n "$found" ] && echo "$found" | sed "s/^/review\t$t\t/" >> "$logdir/findings"
	if grep -q "^$a	" "$logdir/missing"; then
		printf 'review\t%s\tFAIL\tthe submission has no %s\n' "$t" "$(grep "^$a	" "$logdir/missing" | cut -f2 | head -1)" >> "$logdir/outcomes"
	elif ! grep -q "	assignment_$a\.[^	]*	PASS	" "$logdir/outcomes"; then
		# Code that passes no test earns nothing for being clean.
		printf 'review\t%s\tFAIL\tnothing to review: no test passed\n' "$t" >> "$logdir/outcomes"
	elif [ -n "$found" ]; then
		printf 'review\t%s\tFAIL\t%s\n' "$t" "$(echo "$found" | head -1 | sed 's/^review: //')" >> "$logdir/outcomes"
	else
		printf 'review\t%s\tPASS\t\n' "$t" >> "$logdir/outcomes"
	fi
done
while IFS=$'\t' read -r a f; do
	for t in $(grep "^assignment_$a\." "$logdir/plan"); do
		printf 'submission\t%s\tFAIL\tthe submission has no %s\n' "$t" "$f" >> "$logdir/outcomes"
	done
done < "$logdir/missing"
ntests=$(wc -l < "$logdir/plan")

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
		# A sanitizer report says more than "freed entry seen": show it.
		else if (s != "PASS" && first[t] !~ /BUG: K[CA]SAN: / && r ~ /BUG: K[CA]SAN: /)
			first[t] = boot ": " s " " r
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
# Every report seen during a test, and every review finding, beside it.
awk -F'\t' '{ a = $2; sub(/^assignment_/, "", a); sub(/\..*/, "", a)
	printf "finding\t%s\t%s\t%s\t%s\n", a, $2, $1, $3 }' "$logdir/findings" >> "$logdir/results.tsv"
[ -s "$logdir/findings" ] && echo "grade: $(wc -l < "$logdir/findings") finding(s) (reports during tests, review) in results.tsv"
# Pass only with a result for every planned test, none of them a failure.
[ "$(grep -c '^test	' "$logdir/results.tsv" 2>/dev/null)" = "$ntests" ] || exit 1
grep -q '	FAIL	' "$logdir/results.tsv" && exit 1
exit 0
