#!/usr/bin/env bash
# review.sh [files...] - `make review`, and the end of `make grade`: point
# at plain stores that a reviewer would ask about. Not a grade: a hint.
#
# The one rule checked: a field that some CPU polls with
# smp_load_acquire(&p->field) (or spins on with READ_ONCE in a while
# condition) is a handover flag; a store to it through another pointer -
# the CPU handing over, not the poller initializing its own - must be
# smp_store_release() (or at least WRITE_ONCE()). A plain `q->field = v`
# there may be torn, reordered before the writes it publishes, or kept in
# a register by the compiler: the classic MCS handover bug.
set -u
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(assignments/*.c)
n=0
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	# poller-variable field pairs
	polled=$(grep -oE 'smp_load_acquire\(&[A-Za-z_][A-Za-z0-9_]*->[A-Za-z_][A-Za-z0-9_]*\)|while \(.*READ_ONCE\([A-Za-z_][A-Za-z0-9_]*->[A-Za-z_][A-Za-z0-9_]*\)' "$f" |
		grep -oE '[A-Za-z_][A-Za-z0-9_]*->[A-Za-z_][A-Za-z0-9_]*' | sort -u)
	for pf in $polled; do
		var=${pf%%->*} field=${pf##*->}
		while IFS=: read -r line text; do
			store_var=$(echo "$text" | sed -E "s/^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)->$field[[:space:]]*=.*/\1/")
			[ "$store_var" = "$var" ] && continue	# the poller's own (initialization)
			echo "review: $f:$line: plain store to ->$field, which ${var}'s CPU polls with an acquire load: use smp_store_release(&$store_var->$field, ...)"
			n=$((n + 1))
		done < <(grep -nE "^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*->$field[[:space:]]*=[^=]" "$f")
	done
done
[ $n -eq 0 ] && echo "review: no plain store to a polled handover field (${#files[@]} files)"
exit 0
