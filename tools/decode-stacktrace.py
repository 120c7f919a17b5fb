#!/usr/bin/env python3
"""decode-stacktrace.py - add file:line to the frames of a console log,
as Linux's scripts/decode_stacktrace.sh does.

    python3 tools/decode-stacktrace.py build/kcsan/kernel.elf [SRCROOT] < console.log

A frame is a line holding `function+0xOFF/0xSIZE` (backtraces, KCSAN's
and lockdep's reports); it gets ` path/file.c:LINE` appended, the line
of the call (return address - 1) or, for KCSAN's first frame, of the
access; paths relative to SRCROOT (default: here) where inside it. Lines whose function is not in the ELF pass unchanged. Needs
nm and addr2line (binutils; $CROSS prefix honoured).
"""
import os
import re
import subprocess
import sys

FRAME = re.compile(r'\b([A-Za-z_][A-Za-z0-9_.]*)\+0x([0-9a-f]+)/0x([0-9a-f]+)\b')


def symbols(elf, nm):
    """name -> [(address, size)]: static functions share names (reader)."""
    out = subprocess.run([nm, '-S', elf], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in 'tTwW':
            syms.setdefault(parts[3], []).append((int(parts[0], 16), int(parts[1], 16)))
    return syms


def address(syms, name, off, size):
    """The function's address; if names repeat, the one whose size is
    nearest the printed one (the kernel's table counts the padding up to
    the next function, nm does not)."""
    cands = syms.get(name, [])
    if not cands:
        return None
    return min(cands, key=lambda c: abs(c[1] - size))[0] + off


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit('usage: decode-stacktrace.py KERNEL.ELF [SRCROOT] < log')
    elf = sys.argv[1]
    cross = os.environ.get('CROSS', '')
    syms = symbols(elf, cross + 'nm')
    lines = sys.stdin.read().splitlines()
    wanted = {}
    for i, line in enumerate(lines):
        m = FRAME.search(line)
        if m:
            off = int(m.group(2), 16)
            addr = address(syms, m.group(1), off, int(m.group(3), 16))
            if addr is not None:
                wanted[i] = addr - 1 if off > 0 else addr
    where = {}
    if wanted:
        addrs = sorted(set(wanted.values()))
        out = subprocess.run([cross + 'addr2line', '-e', elf] + ['%x' % a for a in addrs],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        root = os.path.realpath(sys.argv[2] if len(sys.argv) == 3 else os.getcwd()) + '/'
        for a, w in zip(addrs, out):
            w = re.sub(r' \(discriminator \d+\)$', '', w)
            if not w.startswith('??') and not w.endswith(':?'):
                where[a] = w[len(root):] if w.startswith(root) else w
    for i, line in enumerate(lines):
        w = where.get(wanted.get(i))
        print(line + ' ' + w if w else line)


if __name__ == '__main__':
    main()
