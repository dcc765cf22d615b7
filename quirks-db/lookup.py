#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Which ACS and DMA-alias quirks name a device, and since when.

    lookup.py VENDOR:DEVICE [--kernel X.Y[.Z]] [--db DIR]

Without --kernel it prints every matching entry with its history (first,
last, stable backports); with --kernel only those present in that
release (X.Y.Z: that stable sublevel, so backports count) and, for ACS,
in the kernel's table order, so the first line whose conditions the
device meets is the quirk that decides.  For a quick look at the data
(a vendor asking "what does kernel X do with my device"); the tool itself
uses the C tables built from the same files.

Exit status: 0 printed (even if nothing matches), 2 bad usage or database.
"""

import argparse
import os
import re
import signal
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quirksdb  # noqa: E402


def history(e):
    s = f"{quirksdb.release_str(e.first)}-"
    if e.last:
        s += quirksdb.release_str(e.last)
    if e.backports:
        s += ", stable " + " ".join(b.text for b in e.backports)
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("device", metavar="VENDOR:DEVICE")
    ap.add_argument("--kernel", metavar="X.Y[.Z]")
    ap.add_argument("--db", default=os.path.dirname(os.path.abspath(
        __file__)))
    args = ap.parse_args()
    m = re.match(r"^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$", args.device)
    if not m:
        print(f"lookup.py: '{args.device}' is not VENDOR:DEVICE (hex)",
              file=sys.stderr)
        return 2
    vendor, device = int(m.group(1), 16), int(m.group(2), 16)
    series = sub = None
    if args.kernel:
        k = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?$", args.kernel)
        if not k:
            print(f"lookup.py: --kernel '{args.kernel}' is not X.Y or "
                  "X.Y.Z", file=sys.stderr)
            return 2
        series = quirksdb.kver(int(k.group(1)), int(k.group(2)))
        sub = int(k.group(3)) if k.group(3) else None
    try:
        db = quirksdb.Database(args.db)
    except quirksdb.DbError as e:
        print(f"lookup.py: {e}", file=sys.stderr)
        return 2
    if series and not db.oldest() <= series <= db.newest():
        print(f"note: {args.kernel} is outside the releases the database "
              f"knows ({quirksdb.release_str(db.oldest())} to "
              f"{quirksdb.release_str(db.newest())})")

    def present(e):
        if series is None:
            return "yes"
        return e.expected(series, sub)

    where = f"in {args.kernel}" if args.kernel else "in any release"
    print(f"{vendor:04x}:{device:04x} {where}:")
    n = 0
    for i, e in enumerate(db.acs, 1):
        if e.vendor not in (None, vendor) or e.device not in (None, device):
            continue
        p = present(e)
        if p == "no":
            continue
        n += 1
        cond = ""
        ranges = [r for r in db.ranges
                  if r.callback == e.callback and r.vendor == vendor and
                  r.lo <= device <= r.hi and present(r) != "no"]
        if any(r.callback == e.callback for r in db.ranges):
            if ranges:
                cond = "; ID listed: " + "; ".join(
                    f"{r.what} ({history(r)})" +
                    (" [only from that stable sublevel on]"
                     if present(r) == "maybe" else "") for r in ranges)
            elif e.kind in ("AXQ_ZHAOXIN", "AXQ_WANGXUN"):
                cond = "; ID not in the callback's list for this release: " \
                       "it answers 'not isolated' (returns 0)"
            else:
                cond = "; ID not in the callback's list for this release: " \
                       "it returns -ENOTTY, the next entry decides"
        maybe = " [only if that stable sublevel has it]" if p == "maybe" \
            else ""
        print(f"  acs #{i} {quirksdb.fmt_id(e.vendor)}:"
              f"{quirksdb.fmt_id(e.device)} {e.callback} ({history(e)})"
              f"{maybe}{cond}")
        print(f"      {db.callbacks[e.callback].decision}")
    for e in db.alias:
        if e.vendor != vendor or e.device not in (None, device):
            continue
        p = present(e)
        if p == "no":
            continue
        n += 1
        extra = ""
        if e.class_ is not None:
            extra += f" class {e.class_:04x}"
        if e.subvendor is not None:
            extra += f" subsystem {quirksdb.fmt_id(e.subvendor)}:" \
                     f"{quirksdb.fmt_id(e.subdevice)}"
        maybe = " [only if that stable sublevel has it]" if p == "maybe" \
            else ""
        print(f"  alias {e.stage}{extra} {e.hook} ({history(e)}){maybe}")
        print(f"      {db.callbacks[e.hook].decision}")
    if not n:
        print("  no ACS or DMA-alias quirk names this device: the standard "
              "ACS capability check decides")
    return 0


if __name__ == "__main__":
    # Output piped into head: stop quietly, as other command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
