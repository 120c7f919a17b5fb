#!/usr/bin/env bash
# classroom-grade.sh - the steps of the GitHub Classroom workflow that
# make handout puts in the students' repository (.github/workflows/
# classroom.yml, written by tools/classroom-workflow.sh). It runs from the
# teachers' tree, checked out beside the submission:
#
#   classroom-grade.sh grade SUBMISSION NAME...   grade (make grade STUDENT=)
#   classroom-grade.sh check TEST                 exit 0 if TEST passed
#
# `check` is what each autograding-command-grader step runs, so that
# Classroom's reporter adds up the points per test. TEST is a test of the
# plan, ASSIGNMENT.review, or ASSIGNMENT.private: every private test of
# the assignment passed (their names stay out of the students' workflow).
# The results are in $GRADE_DIR (default ./classroom-grading).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
gdir=${GRADE_DIR:-$PWD/classroom-grading}
case "${1:-}" in
grade)
	sub=$(cd "$2" && pwd); shift 2
	cd "$top" || exit 1
	bash tools/setup.sh || exit 1
	make -s RELEASE=0 B=build iso > /dev/null || exit 1	# the objects grading reuses
	[ "${GRADE_KCSAN:-1}" = 0 ] || make -s KCSAN=1 B=build/kcsan iso > /dev/null || exit 1
	[ "${GRADE_KASAN:-1}" = 0 ] || make -s KASAN=1 B=build/kasan iso > /dev/null || exit 1
	mkdir -p "$gdir"
	for a in "$@"; do
		points=""
		[ -f tests/assignments/points ] && points="--points tests/assignments/points"
		bash tools/grade.sh --student "$sub" --only "$a" --build "$gdir/$a" \
			--smp "${SMP:-1 2 4}" --runs "${RUNS:-3}" $points
		cat "$gdir/$a/grade/results.tsv" >> "$gdir/results.tsv" 2>/dev/null
	done
	exit 0 ;;	# the points decide, not this status
check)
	t=$2 res=$gdir/results.tsv
	[ -f "$res" ] || { echo "no results: the grade step did not run"; exit 1; }
	case "$t" in
	*.private)
		a=${t%.private}; a=${a#assignment_}
		cd "$top" || exit 1
		priv=$(grep -rhoE "KTEST\\(assignment_$a, *[A-Za-z0-9_]+\\)" tests/assignments/private 2>/dev/null |
			sed -E 's/KTEST\((assignment_[A-Za-z0-9_]+), *([A-Za-z0-9_]+)\)/\1.\2/')
		for p in $priv; do
			grep -q "^test	[^	]*	$p	[0-9]*	PASS	" "$res" || { echo "a private test failed"; exit 1; }
		done
		exit 0 ;;
	esac
	line=$(grep "^test	[^	]*	$t	" "$res") || { echo "$t: no result"; exit 1; }
	echo "$line" | cut -f6
	echo "$line" | cut -f5 | grep -qx PASS ;;
*)
	echo "usage: classroom-grade.sh grade SUBMISSION NAME... | check TEST" >&2; exit 2 ;;
esac
