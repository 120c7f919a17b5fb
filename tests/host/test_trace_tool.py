#!/usr/bin/env python3
"""test_trace_tool.py LOG OUTDIR - check a traced counter run end to end.

LOG is the console of a boot with
    lockstat=1 trace.size=4096 counter.trace=2 counter.modes=spinlock,mutex,percpu
    counter.workers=4 counter.iters=20000
(tools/run-tests.sh makes it). Checks the dumps, the lock tables, and
what tools/trace.py makes of them: valid Chrome trace JSON with the
expected events, and PNG files that decode. Prints PASS/FAIL lines.
"""
import json
import os
import struct
import subprocess
import sys
import zlib

WORKERS, ITERS = 4, 20000
failed = 0


def check(ok, what):
    global failed
    print(("PASS " if ok else "FAIL ") + what)
    failed += not ok
    return ok


def png_pixels(path):
    """(width, height, rows of RGB bytes) of our PNGs (8-bit RGB, filter 0)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG signature")
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if zlib.crc32(kind + body) & 0xffffffff != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
            raise ValueError("bad CRC in chunk %r" % kind)
        if kind == b"IHDR":
            w, h = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = 1 + 3 * w
    if len(raw) != stride * h:
        raise ValueError("image data is %d bytes, not %d" % (len(raw), stride * h))
    return w, h, [raw[y * stride + 1:(y + 1) * stride] for y in range(h)]


def count_coloured(rows):
    """Saturated pixels: threads, spinning (not text, grid or background)."""
    return sum(1 for row in rows for i in range(0, len(row), 3)
               if max(row[i:i + 3]) - min(row[i:i + 3]) > 60)


def main():
    log, out = sys.argv[1], sys.argv[2]
    with open(log, errors="replace") as f:
        text = f.read()
    lines = text.splitlines()
    for mode in ("spinlock", "mutex", "percpu"):
        check("trace: begin %s " % mode in text and "trace: end %s " % mode in text,
              "trace: the %s mode's dump is complete" % mode)
    # Each CPU's events in time order, in every dump.
    order_ok, last = True, {}
    for ln in lines:
        f = ln.split(" ")
        if ln.startswith("trace: begin"):
            last = {}
        elif ln.startswith("trace: ") and len(f) > 3 and f[1].isdigit():
            cpu, ns = int(f[1]), int(f[2])
            order_ok &= ns >= last.get(cpu, 0)
            last[cpu] = ns
    check(order_ok, "trace: every CPU's events are in time order in the dump")
    check("events dropped: the rings were full" in text,
          "trace: a full ring is reported (trace.size=4096)")
    # lockstat's table after each lock mode: every acquisition counted.
    for mode, cls in (("spinlock", "&counter_spinlock"), ("mutex", "&counter_mutex")):
        rows = [ln for ln in lines if ("counter: " + cls + " ") in ln]
        acq = rows[0].split(cls, 1)[1].split()[0] if rows else None
        check(acq == str(WORKERS * ITERS),
              "lockstat: %s taken %s times in the %s mode (want %d)" % (cls, acq, mode, WORKERS * ITERS))

    r = subprocess.run([sys.executable, "tools/trace.py", log, "--out", out],
                       capture_output=True, text=True)
    if not check(r.returncode == 0, "trace.py: ran (%s)" % (r.stderr.strip() or "ok")):
        return 1
    print(r.stdout.rstrip())
    docs = {}
    for mode in ("spinlock", "mutex", "percpu"):
        try:
            with open(os.path.join(out, "trace-%s.json" % mode)) as f:
                docs[mode] = json.load(f)
            check(True, "trace.py: trace-%s.json is valid JSON" % mode)
        except (OSError, ValueError) as e:
            check(False, "trace.py: trace-%s.json: %s" % (mode, e))
    if len(docs) < 3:
        return 1
    names = lambda d, **kw: {e.get("name") for e in d["traceEvents"]
                             if all(e.get(k) == v for k, v in kw.items())}
    for mode, d in docs.items():
        ran = names(d, ph="X", pid=0)
        workers = {n for n in ran if n.startswith(mode + "/")}
        check(len(workers) >= 2, "trace.py: %s: workers run on the CPU lanes (%s)" % (mode, sorted(workers)))
    # Whether the workers met on the lock in the traced window depends on
    # the host; what was traced must be drawn: one slice per wait that
    # ended in the ring (a CPU's last wait may be cut off by a full ring).
    cls = [ln.split()[2] for ln in lines if ln.startswith("trace: class ") and
           ln.endswith(" &counter_spinlock")]
    dump = text[text.find("trace: begin spinlock"):text.find("trace: end spinlock")]
    contended = sum(1 for ln in dump.splitlines() if " contended " in ln and
                    cls and ln.split()[-1] == cls[0])
    slices = sum(1 for e in docs["spinlock"]["traceEvents"]
                 if e.get("name") == "wait &counter_spinlock" and e.get("ph") == "X")
    check(contended - 2 <= slices <= contended,
          "trace.py: spinlock: %d waits for &counter_spinlock in the dump, %d drawn" % (contended, slices))
    check("hold &counter_spinlock" in names(docs["spinlock"], ph="X", pid=1),
          "trace.py: spinlock: the holds of &counter_spinlock are slices")
    check("hold &counter_mutex" in names(docs["mutex"], ph="X", pid=1),
          "trace.py: mutex: the holds of &counter_mutex are slices")
    check(not any("&counter_" in (n or "") for n in names(docs["percpu"])),
          "trace.py: percpu: no counter lock in the per-CPU mode's trace")
    check(docs["spinlock"]["otherData"]["dropped"] > 0 and docs["percpu"]["otherData"]["dropped"] == 0,
          "trace.py: the drops are carried into the JSON")

    for mode in ("spinlock", "mutex", "percpu"):
        path = os.path.join(out, "trace-%s.png" % mode)
        try:
            w, h, rows = png_pixels(path)
        except (OSError, ValueError) as e:
            check(False, "trace.py: %s: %s" % (path, e))
            continue
        check(w == 1400 and h > 100, "trace.py: %s decodes, %dx%d" % (path, w, h))
        drawn = count_coloured(rows)        # the legend alone: 3 swatches of 14x12
        check(drawn > 10000, "trace.py: %s: the lanes are drawn (%d coloured pixels)" % (mode, drawn))
    print("%s" % ("all good" if not failed else "%d failed" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
