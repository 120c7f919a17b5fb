#!/usr/bin/env bash
# check-linux-names.sh CC "CFLAGS" [doc] - every name docs/linux.md lists
# as there must be there: each line of its "names" list,
#
#     - `<linux/atomic.h>`: `atomic_or`, `atomic_fetch_or`, ...
#
# is checked by preprocessing the header alone (as a module includes it)
# and finding each name either defined as a macro that is not a build
# error, or declared in the preprocessed code (a function, type,
# variable or enum constant). Behaviour is for the tests; this keeps the
# page from listing a name that does not build.
set -u
cc=$1 cflags=$2 doc=${3:-docs/linux.md}
# No dependency files from these probes (the kernel's CFLAGS ask for them).
cflags=$(for f in $cflags; do case "$f" in -MMD|-MP) ;; *) printf '%s ' "$f" ;; esac; done)
tmp=$(mktemp -d /tmp/smpkern-names.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
bad=0 names=0 headers=0
while IFS= read -r line; do
	header=$(sed -n 's/^- `<\([a-z0-9_/.-]*\.h\)>`:.*/\1/p' <<<"$line")
	[ -n "$header" ] || continue
	headers=$((headers + 1))
	printf '#include <%s>\n' "$header" > "$tmp/t.c"
	if ! $cc $cflags -DMODULE -E -P "$tmp/t.c" > "$tmp/code" 2> "$tmp/err" ||
	   ! $cc $cflags -DMODULE -E -dM "$tmp/t.c" > "$tmp/macros" 2>> "$tmp/err"; then
		echo "linux-names: <$header> does not build alone:"; head -5 "$tmp/err"
		bad=1
		continue
	fi
	for name in $(sed 's/^- `<[^>]*>`://' <<<"$line" | grep -o '`[A-Za-z_][A-Za-z0-9_]*`' | tr -d '`'); do
		names=$((names + 1))
		macro=$(grep -E "^#define $name([ (]|$)" "$tmp/macros" | head -1)
		if [ -n "$macro" ]; then
			if grep -q 'GCC error' <<<"$macro"; then
				echo "linux-names: $name (<$header>) is listed as there, but it is a build error"
				bad=1
			fi
		elif ! grep -qw -- "$name" "$tmp/code"; then
			echo "linux-names: $name is listed in $doc under <$header>, which does not have it"
			bad=1
		fi
	done
done < <(sed -n '/^<!-- names: /,/^<!-- end of names -->/p' "$doc")
if [ $headers -eq 0 ]; then
	echo "linux-names: no names list found in $doc"
	exit 1
fi
[ $bad -eq 0 ] && echo "linux-names: the $names names $doc lists (under $headers headers) are all there"
exit $bad
