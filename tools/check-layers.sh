#!/usr/bin/env bash
# check-layers.sh - the include rule of docs/architecture.md: every
# #include "dir/..." points down the layers, never up.
#
#   tests/        may include everything (top)
#   assignments/  the lab and the kernel, not the tests
#   lab/          the kernel, not the assignments or the tests
#   modules/      built-in modules: the kernel (through include/linux), no more
#   kernel/ sched/ sync/ arch/ boot/ include/   none of the above
#
# Prints each violation as file:line and exits 1 if there is any.
set -u
cd "$(dirname "$0")/.."
bad=0
check() {	# folders-of-the-layer... -- forbidden-folders...
	local dirs=() forbidden=()
	while [ "$1" != -- ]; do dirs+=("$1"); shift; done
	shift
	forbidden=("$@")
	local pat
	pat=$(printf '%s|' "${forbidden[@]}")
	pat="^[[:space:]]*#[[:space:]]*include[[:space:]]*\"(${pat%|})/"
	for d in "${dirs[@]}"; do
		[ -d "$d" ] || continue
		while IFS= read -r hit; do
			echo "layers: $hit: ${d%/} may not include ${forbidden[*]}"
			bad=1
		done < <(grep -rnE --include='*.[chS]' --include='*.asm' "$pat" "$d" | cut -d: -f1-3)
	done
}
check kernel sched sync arch boot include -- lab assignments tests
check lab -- assignments tests
check modules -- lab assignments tests
check assignments -- tests
[ $bad -eq 0 ] && echo "layers: every include points down (kernel < lab < assignments < tests)"
exit $bad
