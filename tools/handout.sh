#!/usr/bin/env bash
# handout.sh OUT - write the students' tree: every reference solution
# (between BEGIN SOLUTION and END SOLUTION comment lines) is removed, and
# the stub that follows it, written in a comment as
#     /* STUB: code; */
# becomes live code. The stubs compile, boot, and make exactly their
# assignment's tests fail with "assignment NAME: not implemented".
#
# OUT is a git repository: branch main holds every assignment, and a
# branch assignment/NAME per assignment holds that one alone (the other
# assignments' code, tests and pages removed), for a course that hands
# them out one at a time. A .handout file marks a students' tree: there
# `make test` leaves the assignments' tests to `make grade`.
set -euo pipefail
out=${1:-build/handout}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
git rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	{ echo "handout: needs a git checkout of the teachers' tree (it copies the files git tracks)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
# The files git tracks, as they are in the working tree: nothing untracked
# (a teacher's notes, build/), and never what only teachers may see - the
# private tests (`make grade STUDENT=...` runs them from the teachers'
# tree) and the points file (it names them).
git ls-files -z --cached | while IFS= read -r -d '' f; do
	case "$f" in tests/assignments/private/*|tests/assignments/points) continue ;; esac
	[ -e "$f" ] || continue		# deleted, not yet committed
	mkdir -p "$out/$(dirname "$f")"
	cp -p "$f" "$out/$f"
done
left=$(git ls-files --others --exclude-standard)
if [ -n "$left" ]; then
	echo "handout: left out, not tracked by git ($(echo "$left" | wc -l) files):" \
	     "$(echo "$left" | head -5 | tr '\n' ' ')$([ "$(echo "$left" | wc -l)" -gt 5 ] && echo ...)"
fi
n=0
marker='^[[:space:]]*/\* (BEGIN|END) SOLUTION \*/[[:space:]]*$'
for f in $(grep -rlE --include='*.c' --include='*.h' "$marker" "$out" || true); do
	awk '
	/^[ \t]*\/\* BEGIN SOLUTION \*\/[ \t]*$/ { skip = 1; next }
	/^[ \t]*\/\* END SOLUTION \*\/[ \t]*$/   { skip = 0; next }
	skip { next }
	/^[ \t]*\/\* STUB: .*\*\/[ \t]*$/ {
		line = $0
		sub(/\/\* STUB: /, "", line)
		sub(/ *\*\/ *$/, "", line)
		print line
		next
	}
	{ print }
	' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
	n=$((n + 1))
done
if grep -rqE "$marker" "$out" --include='*.c' --include='*.h'; then
	echo "handout: unbalanced solution markers" >&2
	exit 1
fi
echo "This is a students' tree (make handout): make test checks the kernel, make grade the assignments." > "$out/.handout"

# ---- the repository, and a branch per assignment ----
here=$(cd "$(dirname "$0")" && pwd)
names=$(bash "$here/assignment-files.sh" --tree "$out" names)
files_of() {	# NAME: the files that belong to that assignment alone
	local a
	for a in code tests docs; do bash "$here/assignment-files.sh" --tree "$out" $a "$1"; done
}
# The GitHub Classroom workflow (grading from the teachers' repository),
# written from this tree: it knows the points and the private tests.
wf=.github/workflows/classroom.yml
mkdir -p "$out/.github/workflows"
bash "$here/classroom-workflow.sh" $names > "$out/$wf"
(
	cd "$out"
	git init -q -b main . 2>/dev/null || { git init -q . && git checkout -q -b main; }
	git add -A
	git -c user.name="smpkern handout" -c user.email=handout@localhost \
		commit -q -m "Handout: every assignment (stubs in place of the solutions)"
)
for name in $names; do
	others=$(for o in $names; do if [ "$o" != "$name" ]; then files_of "$o"; fi; done | sort -u)
	(
		cd "$out"
		git checkout -q -b "assignment/$name" main
		[ -n "$others" ] && git rm -q $others
		bash "$here/classroom-workflow.sh" "$name" > "$wf"
		git add "$wf"
		git -c user.name="smpkern handout" -c user.email=handout@localhost \
			commit -q --allow-empty -m "Handout: assignment $name alone"
		git checkout -q main
	)
done
echo "handout: $out ($n files with solutions replaced by stubs; a git repository: main," \
     "and a branch per assignment: $(echo $names | sed 's/[^ ]*/assignment\/&/g'))"
