#!/usr/bin/env bash
# compare.sh - each cell of the counter experiment beside Linux's.
#
#   compare.sh OURS_CSV LINUX_CSV "where Linux's figures come from" [RECORDED_MD]
#
# OURS_CSV: accel,smp,workers,iters,mode,final,ns,ns_per_op[,expected,lost_pct]
# (make bench); LINUX_CSV: the format of tools/linux-bench.sh's
# linux-counter.csv (its 15th column, expected, is there when the module
# added 1 in every worker: only then is its lost count comparable).
# Prints the table, how many cells are slower than Linux (preempt=full:
# this kernel preempts fully too; voluntary for information) and how many
# by more than the noise seen between repeated boots (about 1.5 ns for the
# cheap modes, 10% for the locks), and percpu against one plain increment.
#
# RECORDED_MD (docs/experiment.md for `make bench-compare`): the guard.
# Its table (the line "| smp | W | none | ...", then rows whose cells read
# "ours / linux") holds the figures last recorded; every cell measured now
# that is above Linux, and every cell more than 10% slower than recorded,
# is listed by name, so a regression is seen the day it lands. It prints;
# it never fails (benchmarks are not tests).
set -u
ours=$1 linux=$2 where=$3 recorded=${4:-}
awk -F, -v L="$linux" -v where="$where" -v R="$recorded" '
BEGIN {
	# The recorded table: rec["smp,W,mode"] = our figure then.
	intable = 0
	while (R != "" && (getline line < R) > 0) {
		if (line ~ /^\| *smp *\| *W *\|/) {
			nc = split(line, hdr, "|"); intable = 1; continue
		}
		if (!intable) continue
		if (line !~ /^\|/) { intable = 0; continue }
		if (line ~ /^\|[- |]*$/) continue
		split(line, c, "|")
		gsub(/ /, "", c[2]); gsub(/ /, "", c[3])
		for (i = 4; i < nc; i++) {
			m = hdr[i]; gsub(/ /, "", m)
			split(c[i], pair, "/"); v = pair[1]; gsub(/ /, "", v)
			if (v != "") { rec[c[2] "," c[3] "," m] = v + 0; nrec++ }
		}
	}
	if (R != "" && nrec == 0)
		printf "warning: no recorded table found in %s\n", R
	while ((getline line < L) > 0) {
		split(line, f, ",")
		if (f[1] == "smp") continue
		lx[f[8] "," f[1] "," f[2] "," f[4]] = f[7] + 0
		if (f[15] != "" && f[8] == "full" && f[4] == "none")
			{ lxlost[f[1] "," f[2]] = sprintf("%.2f", 100 * (f[15] - f[5]) / (f[2] * f[3])); nlx++ }
	}
	printf "Linux 6.1 figures: %s\n%s\n\n", L, where
	printf "%-14s %4s %7s %10s %11s %7s %11s\n", "mode", "cpus", "workers",
	       "ns/op", "linux full", "ratio", "linux vol."
}
NR > 1 {
	k = $2 "," $3 "," $5
	ours = $8 + 0
	full = lx["full," k]; vol = lx["voluntary," k]
	r = full > 0 ? sprintf("%.2f", ours / full) : "-"
	fs = (full > 0) ? sprintf("%.2f", full) : "-"
	vs = (vol > 0) ? sprintf("%.2f", vol) : "-"
	printf "%-14s %4s %7s %10.2f %11s %7s %11s\n", $5, $2, $3, ours, fs, r, vs
	if (full > 0) {
		n++
		if (ours > full) { slower++; above = above sprintf("  %s -smp %s W=%s: %.2f vs Linux %.2f (%.2fx)\n", $5, $2, $3, ours, full, ours / full) }
		tol = ($5 ~ /lock|mutex|ticket/) ? full * 0.10 : 1.5
		if (ours > full + tol) { beyond++; worst = worst sprintf("  %s -smp %s W=%s: %.2f vs %.2f\n", $5, $2, $3, ours, full) }
	}
	rk = $2 "," $3 "," $5
	if (rk in rec) {
		nrc++
		if (ours > 1.10 * rec[rk]) { regressed++; reg = reg sprintf("  %s -smp %s W=%s: %.2f, recorded %.2f (+%.0f%%)\n", $5, $2, $3, ours, rec[rk], 100 * (ours / rec[rk] - 1)) }
	}
	if ($5 == "none" && $2 == 1 && (base == 0 || ours < base)) base = ours
	if ($5 == "none" && $10 != "") { nl++; lostrow[nl] = $2 "," $3; lost[nl] = $10 }
	if ($5 == "percpu" && ours > pc[$2]) pc[$2] = ours
}
END {
	printf "\n%d cells compared with Linux (preempt=full): %d slower, %d beyond the noise\n", n, slower, beyond
	printf "%s", worst
	if (slower) printf "\ncells above Linux (ratio over 1.00):\n%s", above
	if (R != "") {
		printf "\n%d cells compared with the figures recorded in %s: %d more than 10%% slower\n", nrc, R, regressed
		printf "%s", reg
	}
	if (nl) {
		printf "\nupdates lost by none (%% of W*I, in the reported run; Linux: its median run)\n"
		printf "%4s %7s %8s %8s\n", "cpus", "workers", "ours", "linux"
		for (i = 1; i <= nl; i++) {
			split(lostrow[i], rc, ",")
			printf "%4s %7s %7s%% %8s\n", rc[1], rc[2], lost[i],
			       (lostrow[i] in lxlost) ? lxlost[lostrow[i]] "%" : "-"
		}
		if (nlx == 0)
			printf "(no Linux figures: they come from a module whose odd-numbered workers subtracted, so lost updates cancelled out)\n"
	}
	if (base > 0) {
		printf "\npercpu against one plain memory increment (none, 1 CPU: %.2f ns):\n", base
		for (s in pc) {
			verdict = (pc[s] <= 2 * base) ? "(within 2x)" : "(MORE THAN 2x)"
			printf "  -smp %s: worst %.2f ns/op = %.2fx %s\n", s, pc[s], pc[s] / base, verdict
		}
	}
}' "$ours"
