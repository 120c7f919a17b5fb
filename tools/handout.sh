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
rm -rf "$out"
mkdir -p "$out"
# What git tracks or would track (not ignored): no build/. The teachers'
# private tests (tests/assignments/private/) stay out: `make grade
# TEACHER=...` puts them back when grading.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
	case "$f" in tests/assignments/private/*) continue ;; esac
	mkdir -p "$out/$(dirname "$f")"
	cp -p "$f" "$out/$f"
done
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
names=$(grep -rhoE 'assignment_not_implemented\("[A-Za-z0-9_]+"\)' "$out/assignments" |
	sed -E 's/.*\("([^"]+)"\)/\1/' | sort -u)
files_of() {	# NAME: the files that belong to that assignment alone
	local name=$1 c t
	for c in $(grep -rlE "assignment_not_implemented\(\"$name\"\)" "$out/assignments"); do
		echo "${c#$out/}"
		[ -f "${c%.c}.h" ] && echo "${c#$out/}" | sed 's/\.c$/.h/'
	done
	for t in $(grep -rlE "KTEST\(assignment_$name," "$out/tests/assignments"); do
		echo "${t#$out/}"
		grep -lF "tests/assignments/$(basename "$t")" "$out"/docs/assignments/[0-9]*.md 2>/dev/null |
			sed "s|^$out/||"
	done
}
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
		git -c user.name="smpkern handout" -c user.email=handout@localhost \
			commit -q --allow-empty -m "Handout: assignment $name alone"
		git checkout -q main
	)
done
echo "handout: $out ($n files with solutions replaced by stubs; a git repository: main," \
     "and a branch per assignment: $(echo $names | sed 's/[^ ]*/assignment\/&/g'))"
