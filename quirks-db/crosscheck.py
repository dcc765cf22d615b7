#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Cross-check the quirks database against shared/data/kernel-quirks.

    crosscheck.py [--db DIR] [--allow FILE] DATADIR

DATADIR holds acs-quirk-table.tsv and dma-alias-fixups.tsv: the tables
as found in many kernel trees (some of them research forks).  For every
tree and table the entries the database expects for that tree's release
(mainline range, or a stable backport bound) are compared with the rows
found.  A disagreement is explained when a line of the allowlist
(shared-data-oddities.tsv) matches it; otherwise the tree fails.  An
allowlist line that explains nothing fails too, so the list cannot rot.

Exit status: 0 all explained, 1 disagreements, 2 bad usage or input.
"""

import argparse
import collections
import csv
import fnmatch
import os
import re
import signal
import sys

# Keep the source tree free of __pycache__ when run from the build.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quirksdb  # noqa: E402

ALLOW_COLS = ["table", "tree", "direction", "entry", "reason"]


def die(msg):
    print(f"crosscheck.py: {msg}", file=sys.stderr)
    sys.exit(2)


def parse_kernel(text, where):
    m = re.match(r"^(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not m:
        die(f"{where}: kernel '{text}' is not a release")
    return quirksdb.kver(int(m.group(1)), int(m.group(2))), \
        int(m.group(3) or 0)


def hexid(text, where):
    if text in ("any", ""):
        return None
    try:
        return int(text, 16)
    except ValueError:
        die(f"{where}: '{text}' is not hex")


def load_rows(path, cols):
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        die(f"{path}: {e.strerror}")
    with f:
        r = csv.DictReader(f, delimiter="\t")
        if r.fieldnames != cols:
            die(f"{path}:1: expected columns {' '.join(cols)}")
        for n, row in enumerate(r, 2):
            yield f"{os.path.basename(path)}:{n}", row


class Allowlist:
    def __init__(self, path):
        self.rules = []
        for where, row in quirksdb._read_tsv(path, ALLOW_COLS):
            if row["table"] not in ("acs", "alias") or \
               row["direction"] not in ("missing", "extra"):
                raise quirksdb.DbError(f"{where}: table must be acs|alias, "
                                       "direction missing|extra")
            if not row["reason"].strip():
                raise quirksdb.DbError(f"{where}: a reason is required")
            self.rules.append(dict(row, where=where, used=0))

    def explain(self, table, tree, direction, entry):
        for r in self.rules:
            if r["table"] == table and r["direction"] == direction and \
               fnmatch.fnmatchcase(tree, r["tree"]) and \
               fnmatch.fnmatchcase(entry, r["entry"]):
                r["used"] += 1
                return r
        return None


def acs_text(k):
    return f"{quirksdb.fmt_id(k[0])}:{quirksdb.fmt_id(k[1])} {k[2]}"


def alias_text(k):
    stage, v, d, cls, hook = k
    c = "any" if cls is None else f"{cls:04x}"
    return f"{stage} {quirksdb.fmt_id(v)}:{quirksdb.fmt_id(d)} class {c} " \
           f"{hook}"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=here)
    ap.add_argument("--allow", default=os.path.join(
        here, "shared-data-oddities.tsv"))
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list every explained disagreement")
    ap.add_argument("datadir")
    args = ap.parse_args()
    try:
        db = quirksdb.Database(args.db)
        allow = Allowlist(args.allow)
    except quirksdb.DbError as e:
        die(str(e))

    trees = collections.OrderedDict()
    for where, r in load_rows(os.path.join(args.datadir,
                                           "acs-quirk-table.tsv"),
                              ["kernel", "source_tree", "vendor", "device",
                               "callback"]):
        t = trees.setdefault((r["kernel"], r["source_tree"]),
                             {"acs": [], "alias": [], "where": where})
        t["acs"].append((hexid(r["vendor"], where),
                         hexid(r["device"], where), r["callback"]))
    for where, r in load_rows(os.path.join(args.datadir,
                                           "dma-alias-fixups.tsv"),
                              ["kernel", "source_tree", "fixup_stage",
                               "vendor", "device", "class", "fixup"]):
        t = trees.setdefault((r["kernel"], r["source_tree"]),
                             {"acs": [], "alias": [], "where": where})
        t["alias"].append((r["fixup_stage"], hexid(r["vendor"], where),
                           hexid(r["device"], where),
                           hexid(r["class"], where), r["fixup"]))

    passed = failed = explained = 0
    per_release = collections.defaultdict(lambda: [0, 0, 0])

    def verdict(name, rel, bad, notes):
        nonlocal passed, failed
        per_release[rel][2] += notes
        if bad:
            failed += 1
            per_release[rel][1] += 1
            print(f"FAIL {name}")
            for b in bad:
                print(f"     {b}")
        else:
            passed += 1
            per_release[rel][0] += 1
            print(f"PASS {name}" + (f" ({notes} explained)" if notes else ""))

    for (kernel, src), t in trees.items():
        series, sub = parse_kernel(kernel, t["where"])
        rel = quirksdb.release_str(series)
        tag = f"{kernel} {src}"

        def compare(table, got, entries, keyfn, text):
            nonlocal explained
            bad, notes = [], 0
            want = {}
            for e in entries:
                want.setdefault(keyfn(e), []).append(e)
            gotset = set(got)
            for k in got:
                es = want.get(k)
                if es and any(e.expected(series, sub) != "no" for e in es):
                    continue
                why = "not in the db" if not es else \
                    f"db ({es[0].where}) dates it outside {rel}"
                r = allow.explain(table, src, "extra", text(k))
                if r:
                    notes += 1
                    if args.verbose:
                        print(f"  ok {tag}: extra {text(k)}: "
                              f"{r['where']}")
                else:
                    bad.append(f"extra {text(k)}: {why}")
            for k, es in want.items():
                if k in gotset or \
                   not any(e.expected(series, sub) == "yes" for e in es):
                    continue
                r = allow.explain(table, src, "missing", text(k))
                if r:
                    notes += 1
                    if args.verbose:
                        print(f"  ok {tag}: missing {text(k)}: "
                              f"{r['where']}")
                else:
                    bad.append(f"missing {text(k)} (db {es[0].where})")
            explained += notes
            return bad, notes

        bad, notes = compare("acs", t["acs"], db.acs, lambda e: e.key,
                             acs_text)
        # Order: the tree's entries that the db knows, in db order.
        pos = {e.key: i for i, e in enumerate(db.acs)}
        idx = [pos[k] for k in t["acs"] if k in pos]
        if idx != sorted(idx):
            bad.append("table order differs from the db's")
        verdict(f"{tag}: ACS table ({len(t['acs'])} rows, release {rel})",
                rel, bad, notes)
        if not t["alias"] and series < min(e.first for e in db.alias):
            continue
        bad, notes = compare(
            "alias", t["alias"], db.alias,
            lambda e: (e.stage, e.vendor, e.device, e.class_, e.hook),
            alias_text)
        verdict(f"{tag}: DMA-alias fixups ({len(t['alias'])} rows)", rel,
                bad, notes)

    for r in allow.rules:
        if not r["used"]:
            failed += 1
            print(f"FAIL {r['where']}: allowlist line explains nothing "
                  f"(stale): {r['entry']}")
    print("allowlist lines used (disagreements explained):")
    for r in allow.rules:
        print(f"  {r['where']}: {r['used']}")
    print("per release (passed/failed/explained disagreements):")
    for rel in sorted(per_release, key=lambda s: tuple(map(int,
                                                           s.split(".")))):
        p, f, x = per_release[rel]
        print(f"  {rel}: {p}/{f}/{x}")
    print(f"crosscheck: {passed} passed, {failed} failed, "
          f"{explained} disagreements explained by the allowlist")
    return 1 if failed else 0


if __name__ == "__main__":
    # Output piped into head: stop quietly, as other command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
