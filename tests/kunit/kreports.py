#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel reports in a soak guest's console log, split into those that
involve acs_inspect and those that do not (tests/kunit/soak.sh).

A report starts at a header line (WARNING:, BUG: (KASAN), Oops, general
protection fault, INFO: (lockdep, hung task), DEBUG_LOCKS_WARN_ON,
suspicious RCU usage, UBSAN:, list corruption, refcount_t:) and runs to
the next report or to the guest's own output (acsx/ACSX- lines).  A
"refcount_t:", list-corruption or DEBUG_LOCKS_WARN_ON line and the WARNING
right after it are one report, as is an oops and the panic it causes.
Each kmemleak object between "acsx: kmemleak report begin/end" is one
report.

A report involves acs_inspect when a stack frame or lock site in it is the
module's ("... [acs_inspect]"), or, for kmemleak, when a backtrace frame
has no symbol: acs_inspect.ko is the only module the soak guest loads, and
only a module unloaded since the allocation leaves a bare address.
"Modules linked in:" and "Comm: acsi-soak" say nothing about whose bug it
is and do not count.  Reports without such a frame are kernel bugs
outside the module (e.g. 6.1's pciehp lockdep report on a QMP hot-add).

Usage: kreports.py CONSOLE_LOG
Prints every report with its verdict, then "kreports: N acs_inspect, N
other".  Exit code 0 (the caller judges), 2 on a usage error.
kreports.py --self-test: the rules above on made-up logs; prints
"kreports: N passed, N failed", exit code 1 if any failed.
"""
import re
import sys

HEADER = re.compile(r"WARNING:|BUG:|Oops|general protection fault|"
                    r"Kernel panic|INFO: |DEBUG_LOCKS_WARN_ON|"
                    r"suspicious RCU usage|UBSAN:|list_add corruption|"
                    r"list_del corruption|refcount_t:")
# Lines that name the trouble a WARNING right after them reports.
PREFIX = re.compile(r"refcount_t:|list_(add|del) corruption|DEBUG_LOCKS_WARN_ON")
NOT_A_REPORT = re.compile(r"INFO: lockdep is turned off")
GUEST = re.compile(r"^(acsx|ACSX-)")
OURS = re.compile(r"\[acs_inspect\]")
BARE_FRAME = re.compile(r"^\s*\[<[0-9a-f]+>\] 0x[0-9a-f]+\s*$")


def split_reports(lines):
    """Kernel reports outside the kmemleak section: lists of lines."""
    reports, cur, cur_start, cur_prefix = [], None, 0, False
    in_leaks = False
    for n, line in enumerate(lines):
        if line.startswith("acsx: kmemleak report begin"):
            in_leaks = True
        elif line.startswith("acsx: kmemleak report end"):
            in_leaks = False
        if in_leaks or GUEST.match(line):
            if cur:
                reports.append(cur)
            cur = None
            continue
        if HEADER.search(line) and not NOT_A_REPORT.search(line):
            glued = cur is not None and (
                (cur_prefix and n - cur_start <= 4) or
                "Kernel panic" in line)
            if not glued:
                if cur:
                    reports.append(cur)
                cur, cur_start = [], n
                cur_prefix = bool(PREFIX.search(line))
        if cur is not None:
            cur.append(line)
    if cur:
        reports.append(cur)
    return reports


def split_leaks(lines):
    """kmemleak objects of the final scan: lists of lines."""
    leaks, cur, inside = [], None, False
    for line in lines:
        if line.startswith("acsx: kmemleak report begin"):
            inside = True
            continue
        if line.startswith("acsx: kmemleak report end"):
            inside = False
        if not inside:
            continue
        if "unreferenced object" in line:
            if cur:
                leaks.append(cur)
            cur = []
        if cur is not None:
            cur.append(line)
    if cur:
        leaks.append(cur)
    return leaks


def classify(lines):
    """(acs_inspect reports, other reports) in a log."""
    ours = other = 0
    for kind, items in (("report", split_reports(lines)),
                        ("kmemleak", split_leaks(lines))):
        for rep in items:
            if involves_module(kind, rep):
                ours += 1
            else:
                other += 1
    return ours, other


def involves_module(kind, rep):
    return any(OURS.search(l) for l in rep) or (
        kind == "kmemleak" and any(BARE_FRAME.match(l) for l in rep))


# Made-up logs in the kernel's formats, and the (ours, other) they hold.
SELF_TESTS = [
    ("pciehp lockdep report, module loaded, acsi-soak's context", """\
======================================================
WARNING: possible circular locking dependency detected
6.1.0 #1 Not tainted
irq/24-pciehp/78 is trying to acquire lock:
ffff888 (pci_rescan_remove_lock){+.+.}-{3:3}, at: pciehp_configure_device+0x1e/0x140
Modules linked in: acs_inspect
CPU: 0 PID: 9 Comm: acsi-soak Not tainted 6.1.0 #1
Call Trace:
 <TASK>
 pciehp_ist+0x1a/0x2c0
""", (0, 1)),
    ("KASAN report in a module function", """\
==================================================================
BUG: KASAN: use-after-free in pci_upstream_bridge+0x1/0x2
Read of size 8 at addr ffff888 by task acsi-soak/99
Call Trace:
 acsi_fill_device+0x10/0x400 [acs_inspect]
""", (1, 0)),
    ("refcount_t line and its WARNING are one report", """\
------------[ cut here ]------------
refcount_t: underflow; use-after-free.
WARNING: CPU: 1 PID: 3 at lib/refcount.c:28 refcount_warn_saturate+0x1/0x2
Modules linked in: acs_inspect
 acsi_dump_done+0x12/0x40 [acs_inspect]
---[ end trace 0000000000000000 ]---
""", (1, 0)),
    ("lockdep report with a lock taken at a module site", """\
WARNING: possible recursive locking detected
 #0: ffff (pci_rescan_remove_lock){+.+.}-{3:3}, at: acsi_get_doit+0x20/0x90 [acs_inspect]
""", (1, 0)),
    ("the guest's output ends a report", """\
WARNING: CPU: 0 PID: 1 at drivers/pci/probe.c:1 pci_x+0x1/0x2
ACSX-STEP hot-plug 20 cycles, 99 s
 acsi_fill_device+0x10/0x400 [acs_inspect]
""", (0, 1)),
    ("kmemleak: a bare frame (the unloaded module) and a kernel-only leak", """\
acsx: kmemleak report begin
unreferenced object 0xffff888 (size 64):
  comm "acsi-soak", pid 1, jiffies 1
  backtrace:
    [<00000000abcd>] kmalloc_trace+0x26/0x60
    [<00000000abce>] 0xffffffffc0012345
unreferenced object 0xffff889 (size 64):
  comm "acsi-soak", pid 1, jiffies 1
  backtrace:
    [<00000000abcd>] kmalloc_trace+0x26/0x60
    [<00000000abcd>] pci_device_add+0x26/0x60
acsx: kmemleak report end
""", (1, 1)),
    ("lockdep's own notice is no report", """\
INFO: lockdep is turned off.
""", (0, 0)),
]


def self_test():
    passed = failed = 0
    for name, text, want in SELF_TESTS:
        got = classify(text.splitlines())
        if got == want:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: (acs_inspect, other) = {got}, want {want}")
    print(f"kreports: {passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print("usage: kreports.py CONSOLE_LOG", file=sys.stderr)
        return 2
    with open(sys.argv[1], errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    ours = other = 0
    for kind, items in (("report", split_reports(lines)),
                        ("kmemleak", split_leaks(lines))):
        for rep in items:
            mine = involves_module(kind, rep)
            if mine:
                ours += 1
            else:
                other += 1
            verdict = "acs_inspect" if mine else "not acs_inspect"
            print(f"--- {kind} ({verdict}): {rep[0].strip()}")
            for l in rep[:60]:
                print("    " + l)
            if len(rep) > 60:
                print(f"    ... {len(rep) - 60} more lines")
    print(f"kreports: {ours} acs_inspect, {other} other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
