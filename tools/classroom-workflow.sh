#!/usr/bin/env bash
# classroom-workflow.sh NAME... - print the GitHub Classroom workflow that
# grades these assignments on every push (make handout writes it to each
# branch as .github/workflows/classroom.yml).
#
# Classroom's conventions: one classroom-resources/autograding-command-
# grader step per test, worth its points, and the autograding-grading-
# reporter step that adds them up and reports them to Classroom. The
# grading itself runs from the teachers' repository (a private one: the
# repository variable TEACHER_REPO names it, the secret TEACHER_TOKEN may
# read it), in the course's container image (the variable SMPKERN_IMAGE,
# built from tools/container/Dockerfile; debian:12 if unset, which
# installs the packages first): tools/classroom-grade.sh. Private tests
# appear as one step per assignment, ASSIGNMENT.private, not by name.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")" || exit 1
pts() {	# TEST -> its points (tests/assignments/points, 1 by default)
	local p
	p=$(awk -v t="$1" '$1 == t { print $2 }' tests/assignments/points 2>/dev/null)
	echo "${p:-1}"
}
steps="" ids="" n=0
add() {	# test-name points
	n=$((n + 1))
	steps="$steps
      - name: $1
        id: t$n
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: $1
          command: bash teacher/tools/classroom-grade.sh check $1
          timeout: 1
          max-score: $2"
	ids="$ids${ids:+,}t$n"
	env="${env:-}
          T${n}_RESULTS: \"\${{ steps.t$n.outputs.result }}\""
}
for a in "$@"; do
	for t in $(grep -rhoE --include='*.c' "KTEST\\(assignment_$a, *[A-Za-z0-9_]+\\)" tests/assignments \
			--exclude-dir=private | sed -E 's/KTEST\((assignment_[A-Za-z0-9_]+), *([A-Za-z0-9_]+)\)/\1.\2/' | sort -u); do
		add "$t" "$(pts "$t")"
	done
	priv=$(grep -rhoE "KTEST\\(assignment_$a, *[A-Za-z0-9_]+\\)" tests/assignments/private 2>/dev/null |
		sed -E 's/KTEST\((assignment_[A-Za-z0-9_]+), *([A-Za-z0-9_]+)\)/\1.\2/' | sort -u || true)
	if [ -n "$priv" ]; then
		sum=0; for t in $priv; do sum=$((sum + $(pts "$t"))); done
		add "assignment_$a.private" "$sum"
	fi
	add "assignment_$a.review" "$(pts "assignment_$a.review")"
done
cat <<YAML
# Written by make handout (tools/classroom-workflow.sh): grades $* on every
# push, from the teachers' repository, and reports the points to GitHub
# Classroom. Changing this file changes nothing a teacher does not see:
# the grading code and tests come from the teachers' repository.
name: Autograding
on: [push, repository_dispatch, workflow_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 60
    container:
      image: \${{ vars.SMPKERN_IMAGE || 'debian:12' }}
    steps:
      - name: Tools for the checkouts
        run: command -v git || (apt-get update -qq && apt-get install -y -qq git ca-certificates)
      - uses: actions/checkout@v4
        with:
          path: submission
      - uses: actions/checkout@v4
        with:
          repository: \${{ vars.TEACHER_REPO }}
          token: \${{ secrets.TEACHER_TOKEN }}
          path: teacher
      - name: Grade
        run: bash teacher/tools/classroom-grade.sh grade submission $*$steps
      - name: Report
        uses: classroom-resources/autograding-grading-reporter@v1
        env:$env
        with:
          runners: $ids
YAML
