#!/usr/bin/env bash
# handout.sh OUT - write the students' tree: every reference solution
# (between BEGIN SOLUTION and END SOLUTION comment lines) is removed, and
# the stub that follows it, written in a comment as
#     /* STUB: code; */
# becomes live code. The stubs compile, boot, and make exactly their
# assignment's tests fail with "assignment NAME: not implemented".
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
echo "handout: $out ($n files with solutions replaced by stubs)"
