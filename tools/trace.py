#!/usr/bin/env python3
"""trace.py - turn the kernel's trace dumps into pictures.

    tools/trace.py LOG [--out DIR] [--width PX]

LOG is a console log holding one or more dumps (`trace dump` in the shell,
or counter.trace=1: one per mode). For each dump TITLE it writes

    DIR/trace-TITLE.json   Chrome trace events: open in https://ui.perfetto.dev
                           or chrome://tracing
    DIR/trace-TITLE.png    a timeline: one lane per CPU (coloured by the
                           thread running there, red while it spins for a
                           lock), then one lane per thread (running,
                           spinning, asleep in a mutex, waiting for a CPU)

and prints one summary line per dump. Only Python's standard library is
used (json, zlib); the PNG is drawn here, with a small built-in font.

The dump format is kernel/trace.c's:
    trace: begin TITLE cpus=N size=S
    trace: task PID COMM / trace: class N NAME / trace: cpu C events=N dropped=D
    trace: C NS TYPE PID A B        (A in hex for lock events)
    trace: end TITLE dropped=D
"""
import argparse
import json
import os
import re
import struct
import sys
import zlib

LOCK_EVENTS = {"contended", "acquired", "released", "mutex_sleep", "mutex_wake"}
SLEEPING = 0x8000             # in b: the lock is a mutex
TYPES = LOCK_EVENTS | {"switch", "wakeup", "gp_start", "gp_end", "mark"}


class Dump:
    def __init__(self, title, cpus):
        self.title, self.cpus = title, cpus
        self.tasks, self.classes = {}, {}
        self.events = {}          # cpu -> [(ns, type, pid, a, b)]
        self.dropped = {}         # cpu -> n
        self.complete = False


def parse(lines):
    """The dumps in a log, in order. Raises ValueError on a malformed line."""
    dumps, cur = [], None
    for num, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        i = line.find("trace: ")
        if i < 0:
            continue
        f = line[i + 7:].split(" ")
        try:
            if f[0] == "begin":
                cur = Dump(f[1], int(f[2].split("=")[1]))
                dumps.append(cur)
            elif cur is None:
                continue
            elif f[0] == "task":
                cur.tasks[int(f[1])] = " ".join(f[2:])
            elif f[0] == "class":
                cur.classes[int(f[1])] = " ".join(f[2:])
            elif f[0] == "cpu":
                c = int(f[1])
                cur.events.setdefault(c, [])
                cur.dropped[c] = int(f[3].split("=")[1])
            elif f[0] == "end":
                cur.complete = True
                cur = None
            elif f[0].isdigit():
                c, ns, typ, pid = int(f[0]), int(f[1]), f[2], int(f[3])
                if typ not in TYPES:
                    raise ValueError("unknown event type %r" % typ)
                if typ == "mark":
                    a, b = " ".join(f[4:]), 0
                else:
                    a = int(f[4], 16) if typ in LOCK_EVENTS else int(f[4])
                    b = int(f[5])
                cur.events.setdefault(c, []).append((ns, typ, pid, a, b))
        except (IndexError, ValueError) as e:
            raise ValueError("line %d: %s: %s" % (num, e, line)) from None
    return dumps


def name_of(d, pid):
    return "%s/%d" % (d.tasks.get(pid, "pid"), pid)


def is_idle(d, pid):
    return d.tasks.get(pid, "").startswith(("idle", "swapper"))


def analyse(d):
    """Intervals from the events:
    run[cpu] = [(start, end, pid)], spin[cpu] = [(start, end, pid, cls)],
    tstate[pid] = [(start, end, state, cpu)] with state in
    running/spinning/sleeping; lock holds; RCU grace periods; marks."""
    end_all = max((e[-1][0] for e in d.events.values() if e), default=0)
    a = {"run": {}, "spin": {}, "hold": {}, "task": {}, "gp": [], "marks": [],
         "wakeups": [], "end": end_all, "cpu_end": {}}
    waiting = {}                 # (owner, lock) -> start
    holding = {}                 # (owner, lock) -> start
    asleep = {}                  # pid -> (start, cls)
    gp_open = {}
    waits = []                   # (start, end, pid, cls): contended -> acquired
    # A mutex may be taken on one CPU and released on another: walk all
    # CPUs' events in time order (their clocks agree).
    merged = sorted((e[0], cpu, i, e) for cpu, evs in d.events.items() for i, e in enumerate(evs))
    cur = {cpu: (evs[0][2], 0) for cpu, evs in d.events.items() if evs}
    runs = {cpu: [] for cpu in d.events}
    holds = {cpu: [] for cpu in d.events}
    for _, cpu, _, (ns, typ, pid, x, y) in merged:
        if typ == "switch":
            runs[cpu].append((cur[cpu][1], ns, pid))
            cur[cpu] = (x, ns)
        elif typ in ("contended", "acquired", "released"):
            # A mutex is held by a task, a spinning lock by a CPU.
            owner = ("task", pid) if y & SLEEPING else ("cpu", cpu)
            cls = y & ~SLEEPING
            if typ == "contended":
                waiting[(owner, x)] = ns
            elif typ == "acquired":
                w = waiting.pop((owner, x), None)
                if w is not None:
                    waits.append((w, ns, pid, cls))
                holding[(owner, x)] = ns
            else:
                h = holding.pop((owner, x), None)
                if h is not None:
                    holds[cpu].append((h, ns, pid, cls))
        elif typ == "mutex_sleep":
            asleep[pid] = (ns, y & ~SLEEPING)
        elif typ == "mutex_wake":
            sl = asleep.pop(pid, None)
            if sl:
                a["task"].setdefault(pid, []).append((sl[0], ns, "sleeping", cpu))
        elif typ == "gp_start":
            gp_open[x] = ns
        elif typ == "gp_end" and x in gp_open:
            a["gp"].append((gp_open.pop(x), ns, x))
        elif typ == "mark":
            a["marks"].append((ns, cpu, x))
        elif typ == "wakeup":
            a["wakeups"].append((ns, cpu, pid, x, y))
    for cpu, evs in d.events.items():
        # A full ring stops early: no data after its last event.
        cpu_end = evs[-1][0] if evs and d.dropped.get(cpu) else end_all
        if cpu in cur:
            runs[cpu].append((cur[cpu][1], cpu_end, cur[cpu][0]))
        a["run"][cpu], a["spin"][cpu], a["hold"][cpu] = runs[cpu], [], holds[cpu]
        a["cpu_end"][cpu] = cpu_end
    ran = {}                     # pid -> [(start, end, cpu)]
    for cpu, runs in a["run"].items():
        for s, e, pid in runs:
            ran.setdefault(pid, []).append((s, e, cpu))
            if not is_idle(d, pid) and e > s:
                a["task"].setdefault(pid, []).append((s, e, "running", cpu))
    # A waiter spins only while it runs (a mutex waiter also sleeps):
    # its wait, cut to the times it was on a CPU, on that CPU.
    for s, e, pid, cls in waits:
        for rs, re_, cpu in ran.get(pid, []):
            lo, hi = max(s, rs), min(e, re_)
            if hi > lo or (hi == lo and s == e):
                a["spin"][cpu].append((lo, hi, pid, cls))
                a["task"].setdefault(pid, []).append((lo, hi, "spinning", cpu))
    order = {"running": 0, "spinning": 1, "sleeping": 2}   # drawn in this order
    for states in a["task"].values():
        states.sort(key=lambda st: (order[st[2]], st[0]))
    return a


# ---- Chrome trace events ----

def chrome(d, a):
    us = lambda ns: ns / 1000.0
    ev = [{"ph": "M", "pid": 0, "name": "process_name", "args": {"name": "CPUs"}},
          {"ph": "M", "pid": 1, "name": "process_name", "args": {"name": "threads"}},
          {"ph": "M", "pid": 2, "name": "process_name", "args": {"name": "RCU"}}]
    for cpu in sorted(a["run"]):
        ev.append({"ph": "M", "pid": 0, "tid": cpu, "name": "thread_name",
                   "args": {"name": "CPU %d" % cpu}})
        for s, e, pid in a["run"][cpu]:
            ev.append({"ph": "X", "pid": 0, "tid": cpu, "ts": us(s), "dur": us(e - s),
                       "name": name_of(d, pid), "cat": "sched"})
        for s, e, pid, cls in a["spin"][cpu]:
            ev.append({"ph": "X", "pid": 0, "tid": cpu, "ts": us(s), "dur": us(e - s),
                       "name": "wait " + d.classes.get(cls, "?"), "cat": "lock",
                       "args": {"task": name_of(d, pid)}})
    for pid in sorted(a["task"]):
        ev.append({"ph": "M", "pid": 1, "tid": pid, "name": "thread_name",
                   "args": {"name": name_of(d, pid)}})
        for s, e, state, cpu in a["task"][pid]:
            ev.append({"ph": "X", "pid": 1, "tid": pid, "ts": us(s), "dur": us(e - s),
                       "name": state, "cat": "state", "args": {"cpu": cpu}})
    for cpu, holds in a["hold"].items():
        for s, e, pid, cls in holds:
            ev.append({"ph": "X", "pid": 1, "tid": pid, "ts": us(s), "dur": us(e - s),
                       "name": "hold " + d.classes.get(cls, "?"), "cat": "lock"})
    for s, e, gp in a["gp"]:
        ev.append({"ph": "X", "pid": 2, "tid": 0, "ts": us(s), "dur": us(e - s),
                   "name": "grace period %d" % gp, "cat": "rcu"})
    for ns, cpu, pid, woken, target in a["wakeups"]:
        ev.append({"ph": "i", "s": "t", "pid": 0, "tid": cpu, "ts": us(ns),
                   "name": "wake " + name_of(d, woken), "args": {"to_cpu": target}})
    for ns, cpu, label in a["marks"]:
        ev.append({"ph": "i", "s": "g", "pid": 0, "tid": cpu, "ts": us(ns), "name": label})
    return {"traceEvents": ev, "displayTimeUnit": "ns",
            "otherData": {"title": d.title, "dropped": sum(d.dropped.values())}}


# ---- the PNG ----

# A 3x5 font, our own: each glyph is 5 rows of 3 bits (left = 4).
FONT = {
    "0": "75557", "1": "26227", "2": "71747", "3": "71717", "4": "55711",
    "5": "74717", "6": "74757", "7": "71111", "8": "75757", "9": "75717",
    "a": "25755", "b": "65656", "c": "34443", "d": "65556", "e": "74647",
    "f": "74644", "g": "34553", "h": "55755", "i": "72227", "j": "11156",
    "k": "55655", "l": "44447", "m": "57755", "n": "65555", "o": "25552",
    "p": "65644", "q": "25573", "r": "65655", "s": "34716", "t": "72222",
    "u": "55557", "v": "55552", "w": "55775", "x": "55255", "y": "55222",
    "z": "71247", " ": "00000", ".": "00002", ",": "00024", ":": "02020",
    "-": "00700", "_": "00007", "/": "11244", "(": "24442", ")": "42224",
    "&": "25257", ">": "42124", "<": "12421", "=": "07070", "%": "51245",
    "+": "02720", "#": "57575", "?": "71202", "*": "05250", "[": "64446",
    "]": "62226", "|": "22222", "'": "22000", "!": "22202", "^": "25000",
}


class Canvas:
    def __init__(self, w, h, bg=(255, 255, 255)):
        self.w, self.h = w, h
        self.px = bytearray(bytes(bg) * (w * h))

    def rect(self, x0, y0, x1, y1, rgb):
        x0, x1 = max(0, int(x0)), min(self.w, int(x1))
        y0, y1 = max(0, int(y0)), min(self.h, int(y1))
        if x1 <= x0 or y1 <= y0:
            return
        row = bytes(rgb) * (x1 - x0)
        for y in range(y0, y1):
            o = (y * self.w + x0) * 3
            self.px[o:o + len(row)] = row

    def text(self, x, y, s, rgb=(0, 0, 0), scale=2):
        for ch in s.lower():
            g = FONT.get(ch, FONT["?"])
            for r, bits in enumerate(g):
                v = int(bits, 16)
                for c in range(3):
                    if v & (4 >> c):
                        self.rect(x + c * scale, y + r * scale,
                                  x + (c + 1) * scale, y + (r + 1) * scale, rgb)
            x += 4 * scale
        return x

    def png(self, path):
        raw = b"".join(b"\0" + bytes(self.px[y * self.w * 3:(y + 1) * self.w * 3])
                       for y in range(self.h))

        def chunk(kind, data):
            c = struct.pack(">I", len(data)) + kind + data
            return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
            f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)))
            f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
            f.write(chunk(b"IEND", b""))


PALETTE = [(66, 133, 244), (52, 168, 83), (251, 188, 5), (171, 71, 188),
           (0, 172, 193), (255, 112, 67), (124, 179, 66), (92, 107, 192),
           (240, 98, 146), (141, 110, 99), (38, 166, 154), (212, 225, 87)]
IDLE, NODATA, SPIN = (235, 235, 235), (200, 200, 200), (219, 40, 40)
SLEEP, HOLD, GRID = (40, 40, 120), (20, 20, 20), (150, 150, 150)


def nice_step(span):
    """A round time step for about 8 grid lines over span ns."""
    step = 1
    while span / step > 8:
        for m in (2, 5, 10):
            if span / (step * m) <= 8:
                return step * m
        step *= 10
    return step


def fmt_ns(ns):
    for unit, div in (("s", 10**9), ("ms", 10**6), ("us", 10**3)):
        if ns >= div:
            v = ns / div
            return ("%d" % v if v == int(v) else "%.1f" % v) + unit
    return "%dns" % ns


class Lane:
    """Time per pixel column, per colour: a lane drawn at any zoom shows
    each state in proportion to the time spent in it (a 1-pixel column
    may hold a hundred critical sections)."""

    def __init__(self, x0, x1, span):
        self.x0, self.n, self.span = x0, x1 - x0, span
        self.ns_per_px = span / self.n
        self.acc = {}              # rgb -> [ns per column]

    def add(self, s, e, rgb):
        cols = self.acc.setdefault(rgb, [0.0] * self.n)
        p0, p1 = s / self.ns_per_px, e / self.ns_per_px
        i = int(p0)
        while i < self.n and i <= p1:
            lo, hi = max(p0, i), min(p1, i + 1)
            if hi > lo:
                cols[i] += (hi - lo) * self.ns_per_px
            i += 1

    def draw(self, cv, y0, y1, rest=(255, 255, 255)):
        for i in range(self.n):
            total = self.ns_per_px
            mix = [(rgb, cols[i] / total) for rgb, cols in self.acc.items() if cols[i] > 0]
            used = min(1.0, sum(f for _, f in mix))
            if used < 1.0:
                mix.append((rest, 1.0 - used))
            norm = sum(f for _, f in mix) or 1.0
            rgb = tuple(int(sum(c[k] * f for c, f in mix) / norm) for k in range(3))
            cv.rect(self.x0 + i, y0, self.x0 + i + 1, y1, rgb)


def picture(d, a, path, width=1400):
    left, lane, gap = 200, 28, 4
    cpus = sorted(a["run"])
    pids = [p for p in sorted(a["task"]) if not is_idle(d, p)]
    colour = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(pids)}
    top = 60
    y_threads = top + len(cpus) * (lane + gap) + 30
    height = y_threads + len(pids) * (lane + gap) + 70
    cv = Canvas(width, height)
    span = max(a["end"], 1)
    right = width - 20
    sx = lambda ns: left + (right - left) * ns / span
    dropped = sum(d.dropped.values())
    cv.text(10, 10, "trace: %s   %d cpus, %s shown%s" % (
        d.title, d.cpus, fmt_ns(span),
        ", %d events dropped (rings full: grey)" % dropped if dropped else ""), scale=3)
    step = nice_step(span)
    for t in range(0, span + 1, step):
        cv.rect(sx(t), top - 8, sx(t) + 1, height - 50, GRID)
        cv.text(sx(t) + 2, top - 14, fmt_ns(t) if t else "0", GRID)
    cv.text(10, top - 14, "time", GRID)
    # CPU lanes: the top part is who runs, the bottom what it does.
    for i, cpu in enumerate(cpus):
        y = top + i * (lane + gap)
        cv.text(10, y + 9, "cpu %d" % cpu)
        who, what = Lane(left, right, span), Lane(left, right, span)
        for s, e, pid in a["run"][cpu]:
            who.add(s, e, IDLE if is_idle(d, pid) else colour.get(pid, GRID))
        for s, e, pid, cls in a["spin"][cpu]:
            what.add(s, e, SPIN)
        for s, e, pid, cls in a["hold"][cpu]:
            what.add(s, e, HOLD)
        if a["cpu_end"][cpu] < span:
            who.add(a["cpu_end"][cpu], span, NODATA)
            what.add(a["cpu_end"][cpu], span, NODATA)
        who.draw(cv, y, y + lane * 3 // 5)
        what.draw(cv, y + lane * 3 // 5, y + lane, rest=(245, 245, 245))
    cv.text(10, y_threads - 20, "threads", GRID)
    for i, pid in enumerate(pids):
        y = y_threads + i * (lane + gap)
        cv.rect(0, y + 6, 12, y + lane - 6, colour[pid])
        cv.text(18, y + 9, name_of(d, pid)[:22])
        ln = Lane(left, right, span)
        for s, e, state, cpu in a["task"][pid]:
            if state == "running":
                ln.add(s, e, colour[pid])
            elif state == "spinning":      # inside a running interval: move it
                ln.add(s, e, SPIN)
                ln.add(s, e, (-1, -1, -1))
            else:
                ln.add(s, e, SLEEP)
        minus = ln.acc.pop((-1, -1, -1), None)
        if minus and colour[pid] in ln.acc:
            ln.acc[colour[pid]] = [max(0.0, r - m) for r, m in zip(ln.acc[colour[pid]], minus)]
        ln.draw(cv, y + 4, y + lane - 4)
    for s, e, gp in a["gp"]:
        cv.rect(sx(s), height - 46, max(sx(e), sx(s) + 1), height - 40, (0, 150, 0))
    ly, x = height - 30, 10
    for label, rgb in (("running (a colour per thread)", PALETTE[0]), ("spinning for a lock", SPIN),
                       ("holding a lock", HOLD), ("asleep in a mutex", SLEEP),
                       ("idle", IDLE), ("no data", NODATA), ("rcu grace period", (0, 150, 0))):
        cv.rect(x, ly, x + 14, ly + 12, rgb)
        x = cv.text(x + 20, ly + 1, label) + 24
    cv.png(path)


def summary(d, a):
    spins = sum(len(v) for v in a["spin"].values())
    spin_ns = sum(e - s for v in a["spin"].values() for s, e, *_ in v)
    sleeps = sum(1 for v in a["task"].values() for s in v if s[2] == "sleeping")
    switches = sum(1 for v in d.events.values() for e in v if e[1] == "switch")
    nev = sum(len(v) for v in d.events.values())
    return ("%s: %d events over %s, %d dropped; %d switches, %d lock waits (%s spinning), "
            "%d mutex sleeps" % (d.title, nev, fmt_ns(a["end"]), sum(d.dropped.values()),
                                 switches, spins, fmt_ns(spin_ns), sleeps))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log")
    ap.add_argument("--out", default="build/trace")
    ap.add_argument("--width", type=int, default=1400)
    o = ap.parse_args()
    try:
        with open(o.log, errors="replace") as f:
            dumps = parse(f)
    except (OSError, ValueError) as e:
        print("trace.py: %s: %s" % (o.log, e), file=sys.stderr)
        return 1
    if not dumps:
        print("trace.py: %s: no trace dump in it (`trace dump` in the shell, or "
              "counter.trace=1)" % o.log, file=sys.stderr)
        return 1
    os.makedirs(o.out, exist_ok=True)
    bad = 0
    for d in dumps:
        if not d.complete:
            print("trace.py: dump %s is cut short (no 'trace: end'): drawn as far as it goes"
                  % d.title, file=sys.stderr)
            bad = 1
        a = analyse(d)
        base = os.path.join(o.out, "trace-" + re.sub(r"[^A-Za-z0-9_.-]", "_", d.title))
        with open(base + ".json", "w") as f:
            json.dump(chrome(d, a), f)
        picture(d, a, base + ".png", o.width)
        print(summary(d, a) + "\n  -> %s.json (Perfetto: ui.perfetto.dev), %s.png" % (base, base))
    return bad


if __name__ == "__main__":
    sys.exit(main())
