#!/usr/bin/env bash
# autograder.sh - `make autograder`: the bundle Gradescope's autograder
# takes (gradescope-autograders.readthedocs.io/en/latest/specs/), for one
# assignment, graded from this tree (the teachers').
#
#   autograder.sh --assignment NAME [--smp "1 2 4"] [--runs 3] [--out DIR]
#
# DIR/autograder.zip holds, at its root (Gradescope unpacks it into
# /autograder/source):
#  - setup.sh: installs the Debian/Ubuntu packages (tools/setup.sh) and
#    builds the kernel once, so that grading compiles only a submission's
#    files;
#  - run_autograder: takes from /autograder/submission only the files the
#    assignment owns (the whole tree, or the files alone, uploaded or from
#    a repository), grades them with tools/grade.sh --student, and writes
#    /autograder/results/results.json (tools/gradescope-results.py);
#  - this tree as git tracks it, private tests and points file included
#    (Gradescope never shows the bundle to students).
# AUTOGRADER_ROOT (default /autograder) lets run_autograder run elsewhere
# in the same layout: `make test` grades sample submissions that way.
set -eu
assignment="" smp="1 2 4" runs=3 out=build/autograder
while [ $# -gt 0 ]; do
	case "$1" in
	--assignment) assignment=$2; shift ;;
	--smp) smp=$2; shift ;;
	--runs) runs=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "autograder.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
here=$(cd "$(dirname "$0")" && pwd)
names=$(bash "$here/assignment-files.sh" names)
if [ -z "$assignment" ] || ! echo "$names" | grep -qx "$assignment"; then
	echo "make autograder: ASSIGNMENT= one of: $(echo $names)" >&2
	exit 2
fi
case "$runs" in ''|*[!0-9]*|0) echo "make autograder: RUNS must be a positive number" >&2; exit 2 ;; esac
git rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	{ echo "make autograder: needs a git checkout (it packs the files git tracks)" >&2; exit 2; }

rm -rf "$out"; mkdir -p "$out/bundle"
git ls-files -z --cached | while IFS= read -r -d '' f; do
	[ -e "$f" ] || continue
	mkdir -p "$out/bundle/$(dirname "$f")"
	cp -p "$f" "$out/bundle/$f"
done

cat > "$out/bundle/setup.sh" <<'EOF'
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the image.
set -e
cd /autograder/source
bash tools/setup.sh
make RELEASE=0 B=build iso	# the objects grading reuses
make KCSAN=1 B=build/kcsan iso	# and those of its KCSAN boots
make KASAN=1 B=build/kasan iso	# and its KASAN boot
EOF

cat > "$out/bundle/run_autograder" <<EOF
#!/usr/bin/env bash
# Gradescope runs this for each submission (written by make autograder).
set -u
assignment=$assignment smp="$smp" runs=$runs
EOF
cat >> "$out/bundle/run_autograder" <<'EOF'
root=${AUTOGRADER_ROOT:-/autograder}
src=$root/source
cd "$src" || exit 1
mkdir -p "$root/results"
# The submission as a tree: a whole repository, or the files alone.
stu=$(mktemp -d)
if [ -d "$root/submission/assignments" ]; then
	cp -a "$root/submission/." "$stu/"
else
	mkdir -p "$stu/assignments"
	for f in $(bash tools/assignment-files.sh code "$assignment"); do
		found=$(find "$root/submission" -type f -name "$(basename "$f")" | head -n 1)
		[ -n "$found" ] && cp "$found" "$stu/$f"
	done
fi
points=""
[ -f tests/assignments/points ] && points="--points tests/assignments/points"
bash tools/grade.sh --student "$stu" --only "$assignment" --smp "$smp" --runs "$runs" \
	--build "$root/grading" $points > "$root/results/grade.txt" 2>&1
cat "$root/results/grade.txt"		# the instructor's stdout
python3 tools/gradescope-results.py "$root/grading/grade" tests/assignments/points \
	> "$root/results/results.json"
rm -rf "$stu"
exit 0
EOF
chmod +x "$out/bundle/setup.sh" "$out/bundle/run_autograder"
# Zip the files, not the folder (Gradescope looks for setup.sh at the root).
python3 - "$out/bundle" "$out/autograder.zip" <<'EOF'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in os.walk(src):
        for f in sorted(files):
            p = os.path.join(d, f)
            info = zipfile.ZipInfo.from_file(p, os.path.relpath(p, src))
            with open(p, "rb") as fh:
                z.writestr(info, fh.read(), zipfile.ZIP_DEFLATED)
EOF
echo "autograder: $out/autograder.zip (assignment $assignment, -smp $smp, $runs boot(s) each):" \
     "upload it as a Gradescope programming assignment's autograder"
