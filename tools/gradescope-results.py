#!/usr/bin/env python3
"""gradescope-results.py - make grade's results.tsv as Gradescope's results.json.

    gradescope-results.py GRADE_DIR [POINTS_FILE] > results.json

GRADE_DIR is make grade's log folder (build/grade): results.tsv (lines
"test", "total", "finding"), plan (the graded tests), build.txt. The
format is Gradescope's autograder specification
(gradescope-autograders.readthedocs.io/en/latest/specs/): a top-level
score, and one entry per test with name, score, max_score, status
("passed" or "failed") and output - here the reason of a failure, the
kernel's report beside it, and every finding during the test. A
submission that did not build gets one failed entry per planned test,
with the compiler's errors as output, so its maximum stays the same.
"""
import json
import os
import sys


def read_points(path):
    points = {}
    if path and os.path.exists(path):
        for line in open(path):
            f = line.split()
            if len(f) == 2 and not f[0].startswith("#"):
                points[f[0]] = int(f[1])
    return points


def main():
    gdir = sys.argv[1]
    points = read_points(sys.argv[2] if len(sys.argv) > 2 else "")
    tsv = os.path.join(gdir, "results.tsv")
    rows = [l.rstrip("\n").split("\t") for l in open(tsv)] if os.path.exists(tsv) else []
    findings = {}
    for r in rows:
        if r[0] == "finding" and len(r) >= 5:
            findings.setdefault(r[2], []).append("%s: %s" % (r[3], r[4]))
    tests = []
    for r in rows:
        if r[0] != "test" or len(r) < 6:
            continue
        _, _, name, pts, status, reason = r[:6]
        out = reason
        if name in findings:
            out += ("\n" if out else "") + "\n".join(findings[name])
        tests.append({
            "name": name,
            "score": float(pts) if status == "PASS" else 0.0,
            "max_score": float(pts),
            "status": "passed" if status == "PASS" else "failed",
            "output": out,
            "visibility": "visible",
        })
    output = ""
    if not tests:
        # It did not build (or nothing ran): every planned check fails.
        log = os.path.join(gdir, "build.txt")
        errors = [l.rstrip() for l in open(log) if "error" in l.lower()] if os.path.exists(log) else []
        output = "The submission did not build:\n" + "\n".join(errors[:30])
        plan = os.path.join(gdir, "plan")
        names = [l.strip() for l in open(plan) if l.strip()] if os.path.exists(plan) else []
        for a in sorted({n.split(".")[0] for n in names}):
            names.append(a + ".review")
        for name in dict.fromkeys(names):
            tests.append({"name": name, "score": 0.0, "max_score": float(points.get(name, 1)),
                          "status": "failed", "output": "the submission did not build",
                          "visibility": "visible"})
    result = {
        "score": sum(t["score"] for t in tests),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
