#!/usr/bin/env bash
# busy.sh - run a command while every host core is kept busy, as on a
# student's laptop doing other work or a server grading many students.
#
#   busy.sh [--runs N] [--hogs N] -- command...
#
# Starts one CPU-bound process per core (--hogs, default nproc), runs the
# command up to N times in a row (default 3), stopping at the first
# failure, then stops the hogs. Exit status: 0 if every run passed.
set -u
runs=3 hogs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift ;;
	--hogs) hogs=$2; shift ;;
	--) shift; break ;;
	*) echo "busy.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ $# -gt 0 ] || { echo "busy.sh: no command" >&2; exit 2; }

pids=()
stop_hogs() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
trap stop_hogs EXIT
for _ in $(seq "$hogs"); do
	( trap - EXIT; while :; do :; done ) &
	pids+=($!)
done
echo "busy: $hogs CPU-bound processes on $(nproc) cores; running '$*' up to $runs times"
for k in $(seq "$runs"); do
	t0=$SECONDS
	if "$@"; then
		echo "busy: run $k of $runs passed ($((SECONDS - t0)) s)"
	else
		echo "busy: run $k of $runs FAILED ($((SECONDS - t0)) s)"
		exit 1
	fi
done
echo "busy: all $runs runs passed with every core busy"
