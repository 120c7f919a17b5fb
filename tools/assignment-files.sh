#!/usr/bin/env bash
# assignment-files.sh - which files belong to which assignment: the one
# answer that make handout (a branch per assignment) and make grade
# (what it takes from a student's tree) both use.
#
#   assignment-files.sh [--tree DIR] names        every assignment's name
#   assignment-files.sh [--tree DIR] code NAME    the files the student writes
#   assignment-files.sh [--tree DIR] tests NAME   its test files (private too)
#   assignment-files.sh [--tree DIR] docs NAME    its page(s) in docs/assignments
#
# An assignment's code is each assignments/*.c whose stubs name it - the
# line `/* STUB: assignment_not_implemented("NAME"); ... */` in the
# teachers' tree, `assignment_not_implemented("NAME");` once handed out -
# and the .h of the same name. Only those lines count: a comment that
# mentions the call (assignments/assignment.h has one) does not make a
# file an assignment's. Paths are printed relative to DIR (default: .).
set -euo pipefail
tree=.
if [ "${1:-}" = --tree ]; then tree=$2; shift 2; fi
what=${1:-}
name=${2:-}
[ -d "$tree/assignments" ] || { echo "assignment-files: $tree has no assignments/ directory" >&2; exit 2; }
cd "$tree"

# A stub line, as written in the solution tree or as handed out.
stub_re() { echo "^[[:space:]]*(/\\* STUB: )?assignment_not_implemented\\(\"$1\"\\);"; }

names() {
	grep -hoE "$(stub_re '[A-Za-z0-9_]+')" assignments/*.c 2>/dev/null |
		sed -E 's/.*\("([^"]+)"\).*/\1/' | sort -u
}

case "$what" in
names) names ;;
code|tests|docs)
	[ -n "$name" ] || { echo "assignment-files: $what needs an assignment name" >&2; exit 2; }
	names | grep -qx "$name" || {
		echo "assignment-files: no assignment '$name' (assignments: $(names | tr '\n' ' '))" >&2; exit 2; }
	case "$what" in
	code)
		for c in $(grep -lE "$(stub_re "$name")" assignments/*.c); do
			echo "$c"
			[ -f "${c%.c}.h" ] && echo "${c%.c}.h"
		done ;;
	tests)
		grep -rlE "KTEST\\(assignment_$name," tests/assignments --include='*.c' | sort ;;
	docs)
		for t in $(grep -rlE "KTEST\\(assignment_$name," tests/assignments --include='*.c'); do
			grep -lF "tests/assignments/$(basename "$t")" docs/assignments/[0-9]*.md 2>/dev/null || true
		done | sort -u ;;
	esac ;;
*) echo "usage: assignment-files.sh [--tree DIR] names | code NAME | tests NAME | docs NAME" >&2; exit 2 ;;
esac
