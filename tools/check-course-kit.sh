#!/usr/bin/env bash
# check-course-kit.sh - part of `make test` (tools/run-tests.sh): what a
# course relies on, checked the way a teacher and a student would meet it.
# Prints one PASS or FAIL line per check.
#
#   check-course-kit.sh --build DIR --ref LOG [--accel tcg] [--mem 512M]
#                       [--timeout S]
#
# LOG: a reference boot's console (every test run, solutions in place):
# its passing assignment tests are the ones the stubs must fail.
#  1. the handout (main) builds, boots, and fails exactly those tests;
#  2. every branch assignment/NAME builds, and fails exactly NAME's;
#  3. the handout holds tracked files only: an untracked file, the points
#     file and private tests stay out, and it says what it left out;
#  4. a POINTS line naming no test, or with a bad number, is an error
#     that names the file and line;
#  5. grading takes only the assignment's files from a submission: one
#     whose own grade.sh and Makefile claim 100% scores 0 with stubs;
#  6. a plain-store MCS handover fails the review check, with its line,
#     and its mutual-exclusion test in the KCSAN boot, with KCSAN's
#     report and the lines of both accesses; an RCU hash that frees an
#     entry before the grace period fails in the KASAN boot, with KASAN's
#     use-after-free report;
#  7. Gradescope: make autograder's bundle, unpacked and run as Gradescope
#     does, writes a valid results.json: full points for a correct
#     submission, less for the plain-store one;
#  8. GitHub Classroom: the workflow of branch assignment/mcs, its grade
#     step and command-grader steps run as the runner would: the same.
set -u
build=build ref="" accel=tcg mem=512M timeout=120
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift ;;
	--ref) ref=$2; shift ;;
	--accel) accel=$2; shift ;;
	--mem) mem=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) echo "check-course-kit.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
here=$(cd "$(dirname "$0")" && pwd)
top=$(pwd)
work=$top/$build/course-kit
rm -rf "$work"; mkdir -p "$work"
git_c() { git -c user.name=check -c user.email=check@localhost "$@"; }
strip() { sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\]\[C[0-9]*\] //' "$1"; }
want_all=$(strip "$ref" | sed -n 's/^PASS \(assignment_[^ ]*\).*/\1/p' | sort)
[ -n "$want_all" ] || { echo "FAIL course kit: no assignment test passed in the reference boot $ref"; exit 0; }

# Boot an ISO with tests; print the tests that failed.
failed_tests() {	# iso log test-pattern
	bash "$here/qemu.sh" --iso "$1" --smp 2 --mem "$mem" --accel "$accel" \
		--timeout "$timeout" --log "$2" --args "test=$3 poweroff" >/dev/null 2>&1
	strip "$2" > "$2.txt"
	grep -q '^ktest: [0-9]* passed, [0-9]* failed' "$2.txt" || echo "(the boot did not complete)"
	sed -n 's/^FAIL \([^:]*\):.*/\1/p' "$2.txt" | sort
}

# ---- 1, 2: the handout and its branches ----
ho=$work/handout
if ! bash "$here/handout.sh" "$ho" > "$work/handout.txt" 2>&1; then
	echo "FAIL handout: tools/handout.sh failed"; tail -5 "$work/handout.txt"
else
	# This tree's objects: the handout keeps its sources' times (cp -p),
	# so only what differs (the stubs, the branches' changes) is compiled.
	if [ -d "$build/obj" ] && [ -f "$build/.flags" ]; then
		mkdir -p "$ho/build" && cp -a "$build/obj" "$build/.flags" "$ho/build/"
	fi
	for branch in main $(git -C "$ho" branch --format='%(refname:short)' | grep '^assignment/'); do
		git -C "$ho" checkout -q "$branch"
		name=${branch#assignment/}
		if [ "$branch" = main ]; then want=$want_all; else want=$(echo "$want_all" | grep "^assignment_$name\." || true); fi
		if ! make -C "$ho" -j"$(nproc)" B=build iso > "$work/build-${name}.txt" 2>&1; then
			echo "FAIL handout $branch: does not build"; grep -m5 -E 'error|Error' "$work/build-${name}.txt"
			continue
		fi
		# main: every test (the kernel's own must pass there too);
		# a branch: the assignments' tests.
		pattern='*'; [ "$branch" = main ] || pattern='assignment_*'
		got=$(failed_tests "$ho/build/kernel.iso" "$work/boot-${name}.log" "$pattern")
		if [ "$got" = "$want" ]; then
			echo "PASS handout $branch: builds, and its stubs fail exactly its $(echo "$want" | wc -l) assignment tests"
		else
			echo "FAIL handout $branch: the failing tests differ from its assignment tests"
			diff <(echo "$want") <(echo "$got") | sed 's/^/    /' | head -10
		fi
	done
	git -C "$ho" checkout -q main
fi

# ---- 3: tracked files only ----
t=$work/teacher
git clone -q "$top" "$t" 2>/dev/null
mkdir -p "$t/tests/assignments/private"
echo "assignment_mcs.fifo_order 5" > "$t/tests/assignments/points"
printf '/* teachers only */\n' > "$t/tests/assignments/private/test_secret.c"
(cd "$t" && git add tests/assignments && git_c commit -qm "private tests, points")
echo "the answers" > "$t/teacher-notes.md"
out=$( (cd "$t" && bash "$here/handout.sh" "$work/h3") 2>&1)
leaks=$(cd "$work/h3" && ls teacher-notes.md tests/assignments/points tests/assignments/private 2>/dev/null)
if [ -n "$leaks" ]; then
	echo "FAIL handout: teachers' files went into the students' tree: $leaks"
elif ! echo "$out" | grep -q 'left out, not tracked by git.*teacher-notes.md'; then
	echo "FAIL handout: it did not say that teacher-notes.md was left out: $out"
else
	echo "PASS handout: tracked files only (an untracked file, the points file and private tests left out, and said)"
fi

# ---- 4: malformed POINTS ----
bad=$work/points.bad
printf '# points\nassignment_mcs.no_such_test 2\nassignment_mcs.mutual_exclusion five\n' > "$bad"
msg=$(bash "$here/grade.sh" --build "$work/g4" --only mcs --points "$bad" 2>&1); st=$?
if [ $st = 2 ] && echo "$msg" | grep -q "$bad:2: no test assignment_mcs.no_such_test" &&
   echo "$msg" | grep -q "$bad:3: points must be a whole number, not \"five\""; then
	echo "PASS grade: bad POINTS lines are errors naming the file and line"
else
	echo "FAIL grade: bad POINTS lines were accepted (status $st): $msg"
fi

# ---- 5, 6: grading a submission from this tree ----
stu=$work/student
git clone -q -b assignment/mcs "$ho" "$stu" 2>/dev/null
printf '#!/bin/sh\necho "grade: mcs 10/10 tests passed 100%%"; exit 0\n' > "$stu/tools/grade.sh"
printf 'grade:\n\t@echo "grade: mcs 100%%"\n' >> "$stu/Makefile"
grade_student() {	# build-dir -> status; results in build-dir/grade
	bash "$here/grade.sh" --build "$1" --student "$stu" --only mcs --smp 2 --runs 1 > "$1.txt" 2>&1
}
g5=$work/g5
GRADE_KCSAN=0 GRADE_KASAN=0 grade_student "$g5"; st=$?	# stubs: no sanitizer boot needed
res=$g5/grade/results.tsv
if [ $st = 1 ] && grep -q $'^total\tmcs\t0\t' "$res" 2>/dev/null &&
   grep -q 'assignment mcs: not implemented' "$res"; then
	echo "PASS grade: a submission's own grade.sh and Makefile change nothing (stubs: 0, exit 1)"
else
	echo "FAIL grade: a faked submission was not graded 0 from the teachers' tree (status $st)"
	tail -5 "$g5.txt"
fi
cp assignments/mcs_spinlock.c assignments/mcs_spinlock.h "$stu/assignments/"
sed -i 's/smp_store_release(&next->locked, 1);/next->locked = 1;/' "$stu/assignments/mcs_spinlock.c"
line=$(grep -n 'next->locked = 1;' "$stu/assignments/mcs_spinlock.c" | cut -d: -f1)
g6=$work/g6
GRADE_KASAN=0 grade_student "$g6"; st=$?	# KCSAN is what this one needs
res=$g6/grade/results.tsv
if [ -n "$line" ] && [ $st = 1 ] &&
   grep -q $'^test\tmcs\tassignment_mcs.review\t[0-9]*\tFAIL\t.*mcs_spinlock.c:'"$line"': plain store' "$res" &&
   grep -q $'^finding\tmcs\tassignment_mcs.review\treview\t' "$res"; then
	echo "PASS grade: a plain-store MCS handover fails the review check, naming mcs_spinlock.c:$line"
else
	echo "FAIL grade: the plain-store MCS handover was not failed by the review check (status $st)"
	grep -E 'review|total' "$res" 2>/dev/null | head -5
fi
# ... and its test, in the KCSAN boot, with KCSAN's report and both lines
# (the waiter's acquire load, the plain store). Sanitizers see a race
# only when both sides overlap in time, which a busy host may not grant
# in a given boot: up to 3 gradings (each boot reported it in 5 of 5 on
# an idle host).
kc="FAIL"$'\t'"smp2-kcsan: .*BUG: KCSAN: data-race in mcs_spin_lock / mcs_spin_unlock (assignments/mcs_spinlock.c:[0-9]* / assignments/mcs_spinlock.c:$line)"
mcs_kcsan_seen() {	# results.tsv
	grep -q $'^test\tmcs\tassignment_mcs.mutual_exclusion\t[0-9]*\t'"$kc" "$1" &&
		grep -q $'^finding\tmcs\tassignment_mcs.mutual_exclusion\tsmp2-kcsan\tBUG: KCSAN: data-race in ' "$1"
}
for try in 2 3; do
	[ -n "$line" ] && ! mcs_kcsan_seen "$res" || break
	GRADE_KASAN=0 grade_student "$g6-$try"; res=$g6-$try/grade/results.tsv
done
if [ -n "$line" ] && mcs_kcsan_seen "$res"; then
	echo "PASS grade: the plain-store MCS handover fails assignment_mcs.mutual_exclusion under KCSAN, naming mcs_spinlock.c:$line"
else
	echo "FAIL grade: KCSAN did not fail the plain-store MCS handover's test with its report and lines (3 gradings)"
	grep -E 'mutual_exclusion' "$res" 2>/dev/null | head -3
fi

# ... and an RCU hash that frees a removed entry at once, not after a
# grace period: KASAN's use-after-free report fails its readers' test
# (up to 3 gradings, as above)
rs=$work/rcu-early
mkdir -p "$rs/assignments"
cp assignments/rcu_hash.c assignments/rcu_hash.h "$rs/assignments/"
sed -i 's/call_rcu(&e->rcu, free_entry);/free_entry(\&e->rcu);/' "$rs/assignments/rcu_hash.c"
t=assignment_rcu_hash.readers_never_see_freed_entries
for try in 1 2 3; do
	g7=$work/g7-$try
	GRADE_KCSAN=0 bash "$here/grade.sh" --build "$g7" --student "$rs" --only rcu_hash --smp 2 --runs 1 > "$g7.txt" 2>&1; st=$?
	res=$g7/grade/results.tsv
	grep -q $'^test\trcu_hash\t'"$t"$'\t[0-9]*\tFAIL\tsmp2-kasan: .*BUG: KASAN: slab-use-after-free in ' "$res" &&
		grep -q $'^finding\trcu_hash\t'"$t"$'\tsmp2-kasan\tBUG: KASAN: slab-use-after-free in ' "$res" && break
done
if grep -q 'free_entry(&e->rcu);' "$rs/assignments/rcu_hash.c" && [ $st = 1 ] &&
   grep -q $'^test\trcu_hash\t'"$t"$'\t[0-9]*\tFAIL\tsmp2-kasan: .*BUG: KASAN: slab-use-after-free in ' "$res" &&
   grep -q $'^finding\trcu_hash\t'"$t"$'\tsmp2-kasan\tBUG: KASAN: slab-use-after-free in ' "$res"; then
	echo "PASS grade: an RCU hash freeing entries before the grace period fails under KASAN: $(grep -o 'BUG: KASAN: slab-use-after-free in [^ ]*' "$res" | head -1)"
else
	echo "FAIL grade: KASAN did not fail the RCU hash that frees before the grace period (status $st, 3 gradings)"
	grep -E 'readers_never|total' "$res" 2>/dev/null | head -3
fi

# ---- 7: Gradescope - the bundle, unpacked as Gradescope does, grades a
# correct submission (the files alone) at full points and the
# plain-store one (a whole tree) below (without the KCSAN boots, which
# check 6 covers: here the packaging is checked) ----
ag=$work/gradescope
if ! bash "$here/autograder.sh" --assignment mcs --smp 2 --runs 1 --out "$work/ag-bundle" > "$work/ag.txt" 2>&1; then
	echo "FAIL gradescope: make autograder failed"; tail -3 "$work/ag.txt"
else
	mkdir -p "$ag/source" "$ag/results"
	python3 - "$work/ag-bundle/autograder.zip" "$ag/source" <<'PY'
import os, sys, time, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for i in z.infolist():		# as unzip does: modes and times kept
        p = z.extract(i, sys.argv[2])
        os.chmod(p, (i.external_attr >> 16) & 0o7777 or 0o644)
        t = time.mktime(i.date_time + (0, 0, -1))
        os.utime(p, (t, t))
PY
	# What setup.sh leaves: the tools, and the kernel built once (here
	# this tree's objects, as make iso would write them).
	[ -d "$build/obj" ] && mkdir -p "$ag/source/build" && cp -a "$build/obj" "$build/.flags" "$ag/source/build/"
	gs_run() {	# submission-dir -> results.json's "score max passed/total"
		rm -rf "$ag/submission" "$ag/results"; mkdir -p "$ag/results"
		cp -a "$1" "$ag/submission"
		GRADE_KCSAN=0 GRADE_KASAN=0 AUTOGRADER_ROOT=$ag bash "$ag/source/run_autograder" > "$ag/stdout.txt" 2>&1
		python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for t in r["tests"]:
    assert set(("name", "score", "max_score", "status", "output")) <= set(t), t
    assert t["status"] in ("passed", "failed"), t
m = sum(t["max_score"] for t in r["tests"])
print("%g %g %s" % (r["score"], m, " ".join(t["name"] for t in r["tests"] if t["status"] == "failed")))
' "$ag/results/results.json" 2>&1
	}
	mkdir -p "$work/good"; cp assignments/mcs_spinlock.c assignments/mcs_spinlock.h "$work/good/"
	good=$(gs_run "$work/good")
	bad=$(gs_run "$stu")
	set -- $good
	if [ $# -ge 2 ] && [ "$1" = "$2" ] && [ "$1" != 0 ] && echo "$bad" | grep -q '^[0-9.]* [0-9.]* assignment_mcs.review$' &&
	   [ "$(echo "$bad" | cut -d' ' -f1)" != "$(echo "$bad" | cut -d' ' -f2)" ]; then
		echo "PASS gradescope: results.json as the specification says; a correct submission $1/$2, the plain-store one $(echo "$bad" | cut -d' ' -f1,2 | tr ' ' /) (review failed)"
	else
		echo "FAIL gradescope: correct submission: '$good'; plain-store: '$bad'"
		tail -5 "$ag/stdout.txt"
	fi
fi

# ---- 8: GitHub Classroom - the branch's workflow, its steps run as the
# runner would (the submission and the teachers' tree side by side):
# the points its command-grader steps give ----
gh=$work/classroom
mkdir -p "$gh"
if ! git -C "$ho" show assignment/mcs:.github/workflows/classroom.yml > "$gh/classroom.yml" 2>/dev/null; then
	echo "FAIL classroom: the branch assignment/mcs has no .github/workflows/classroom.yml"
else
	if python3 -c 'import yaml' 2>/dev/null &&
	   ! python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$gh/classroom.yml"; then
		echo "FAIL classroom: the workflow is not valid YAML"
	fi
	ln -sfn "$top" "$gh/teacher"
	cl_run() {	# submission-dir -> "points max"
		rm -rf "$gh/submission" "$gh/classroom-grading"; cp -a "$1" "$gh/submission"
		grade_cmd=$(sed -n 's/^ *run: \(bash teacher\/tools\/classroom-grade.sh grade .*\)/\1/p' "$gh/classroom.yml")
		(cd "$gh" && GRADE_KCSAN=0 GRADE_KASAN=0 SMP=2 RUNS=1 GRADE_DIR=$gh/classroom-grading bash -c "$grade_cmd") > "$gh/grade.txt" 2>&1
		awk '/command: / { sub(/.*command: /, ""); c = $0 } /max-score: / { print $2 "\t" c }' "$gh/classroom.yml" |
		while IFS=$'\t' read -r pts cmd; do
			if (cd "$gh" && GRADE_DIR=$gh/classroom-grading bash -c "$cmd") > /dev/null 2>&1; then echo "$pts $pts"; else echo "0 $pts"; fi
		done | awk '{ s += $1; m += $2 } END { print s + 0, m + 0 }'
	}
	mkdir -p "$work/good-tree"; cp -a "$stu/." "$work/good-tree/"
	cp assignments/mcs_spinlock.c assignments/mcs_spinlock.h "$work/good-tree/assignments/"
	good=$(cl_run "$work/good-tree"); bad=$(cl_run "$stu")
	set -- $good; g1=${1:-x} g2=${2:-y}; set -- $bad
	if [ "$g1" = "$g2" ] && [ "$g1" != 0 ] && [ "${1:-0}" -lt "${2:-0}" ] && [ "${1:-0}" -gt 0 ]; then
		echo "PASS classroom: the workflow's steps give a correct submission $g1/$g2 points, the plain-store one $1/$2"
	else
		echo "FAIL classroom: points: correct '$good', plain-store '$bad'"; tail -5 "$gh/grade.txt"
	fi
fi
