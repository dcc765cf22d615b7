# SPDX-License-Identifier: GPL-2.0-or-later
"""Load and validate the quirks database (the *.tsv files in quirks-db/).

Shared by gen-c.py (C tables for the tool), regen.py (agreement with
kernel source trees) and crosscheck.py (agreement with the tables in
shared/data/kernel-quirks).  Every error names file:line.
"""

import os
import re

ACS_FILE = "acs-quirks.tsv"
RANGES_FILE = "acs-id-ranges.tsv"
ALIAS_FILE = "dma-alias-quirks.tsv"
CALLBACKS_FILE = "callbacks.tsv"
TREES_FILE = "trees.tsv"

ACS_COLS = ["vendor", "device", "callback", "first", "last", "backports",
            "note"]
RANGES_COLS = ["callback", "vendor", "lo", "hi", "what", "first", "last",
               "backports", "note"]
ALIAS_COLS = ["stage", "vendor", "device", "class", "subvendor", "subdevice",
              "hook", "first", "last", "backports", "note"]
CALLBACKS_COLS = ["name", "table", "kind", "decision"]
TREES_COLS = ["release", "version", "source", "checked_by"]

ACS_KINDS = {
    "AXQ_AMD_SB", "AXQ_MF_ENDPOINT", "AXQ_RCIEP", "AXQ_QCOM_RP", "AXQ_NXP_RP",
    "AXQ_BRCM", "AXQ_LOONGSON", "AXQ_XGENE", "AXQ_INTEL_PCH",
    "AXQ_INTEL_SPT_PCH", "AXQ_CAVIUM", "AXQ_ZHAOXIN", "AXQ_AL", "AXQ_WANGXUN",
    "AXQ_ACS_UNKNOWN",
}
ALIAS_KINDS = {
    "AXQ_ALIAS_FUNC0", "AXQ_ALIAS_FUNC1", "AXQ_ALIAS_FIXED",
    "AXQ_ALIAS_PCIE_BRIDGE", "AXQ_ALIAS_MIC_X200", "AXQ_ALIAS_PEX_VCA",
    "AXQ_ALIAS_SWITCHTEC", "AXQ_ALIAS_PLX_NTB", "AXQ_ALIAS_XLATE_ROOT",
    "AXQ_ALIAS_BRIDGE_NO_ALIAS", "AXQ_ALIAS_UNKNOWN",
}
STAGES = {"early", "header", "final", "enable", "resume", "resume_early",
          "suspend", "suspend_late"}

REL_RE = re.compile(r"^(\d+)\.(\d+)$")
BACKPORT_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+|y)$")
HEX16_RE = re.compile(r"^[0-9a-f]{4}$")
CLASS_RE = re.compile(r"^[0-9a-f]{4,6}$")


class DbError(Exception):
    """A database file is malformed; str() is 'file:line: message'."""


def kver(major, minor):
    """Release number as user/quirks.h counts it: AX_KVER(6, 12) == 6012."""
    return major * 1000 + minor


def parse_release(text, where):
    m = REL_RE.match(text)
    if not m:
        raise DbError(f"{where}: release '{text}' is not MAJOR.MINOR")
    return kver(int(m.group(1)), int(m.group(2)))


def release_str(kv):
    return f"{kv // 1000}.{kv % 1000}"


class Backport:
    """A stable series that carries an entry newer than its release.

    '6.1.74': present in 6.1.y from 6.1.74 on at the latest (an upper
    bound: it may have arrived earlier); '4.19.y': backported to 4.19.y
    at a sublevel nobody recorded here.
    """

    def __init__(self, text, where):
        m = BACKPORT_RE.match(text)
        if not m:
            raise DbError(f"{where}: backport '{text}' is not X.Y.Z or X.Y.y")
        self.series = kver(int(m.group(1)), int(m.group(2)))
        self.sublevel = None if m.group(3) == "y" else int(m.group(3))
        self.text = text


class Entry:
    """One row of a database table, with where it came from."""

    def __init__(self, fields, where):
        self.__dict__.update(fields)
        self.where = where

    def expected(self, series, sublevel=None):
        """Is this entry in release `series` (kver) at `sublevel`?

        Returns 'yes', 'no' or 'maybe' (a stable backport whose exact
        sublevel is not known, or a tree older than the recorded bound).
        """
        if series >= self.first and (not self.last or series <= self.last):
            return "yes"
        for bp in self.backports:
            if bp.series != series:
                continue
            if bp.sublevel is not None and sublevel is not None and \
               sublevel >= bp.sublevel:
                return "yes"
            return "maybe"
        return "no"


def _read_tsv(path, cols):
    """Yield (where, dict) for each data row; '#' lines are comments."""
    name = os.path.basename(path)
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise DbError(f"{name}:0: cannot open: {e.strerror}") from e
    with f:
        header = None
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            where = f"{name}:{n}"
            if header is None:
                if fields != cols:
                    raise DbError(f"{where}: header must be: "
                                  + "\\t".join(cols))
                header = fields
                continue
            if len(fields) != len(cols):
                raise DbError(f"{where}: {len(fields)} columns, "
                              f"expected {len(cols)}")
            yield where, dict(zip(cols, fields))
        if header is None:
            raise DbError(f"{name}:0: no header line")


def _hex16(text, where, what, allow_any=True):
    if allow_any and text == "any":
        return None
    if not HEX16_RE.match(text):
        raise DbError(f"{where}: {what} '{text}' is not 4 lower-case hex "
                      "digits" + (" or 'any'" if allow_any else ""))
    return int(text, 16)


def _releases(row, where):
    first = parse_release(row["first"], where)
    last = parse_release(row["last"], where) if row["last"] else 0
    if last and last < first:
        raise DbError(f"{where}: last {row['last']} before first "
                      f"{row['first']}")
    bps = [Backport(t, where) for t in row["backports"].split()]
    for bp in bps:
        if bp.series >= first:
            raise DbError(f"{where}: backport {bp.text} is not older than "
                          f"first release {row['first']}")
    return first, last, bps


class Database:
    def __init__(self, dbdir):
        self.dir = dbdir
        self.callbacks = {}
        self.acs = []
        self.ranges = []
        self.alias = []
        self.trees = []
        self._load_trees()
        self._load_callbacks()
        self._load_acs()
        self._load_ranges()
        self._load_alias()
        newest = self.newest()
        for e in self.acs + self.ranges + self.alias:
            if e.first > newest and not e.backports:
                raise DbError(f"{e.where}: first {release_str(e.first)} is "
                              "newer than every tree in trees.tsv and no "
                              "stable tree carries it")

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _load_trees(self):
        for where, row in _read_tsv(self._path(TREES_FILE), TREES_COLS):
            rel = parse_release(row["release"], where)
            if not row["version"].startswith(row["release"] + "."):
                raise DbError(f"{where}: version {row['version']} is not "
                              f"in release {row['release']}")
            if row["checked_by"] not in ("regen.py", "crosscheck.py"):
                raise DbError(f"{where}: checked_by must be regen.py or "
                              "crosscheck.py")
            self.trees.append(Entry(dict(row, kver=rel), where))
        if not self.trees:
            raise DbError(f"{TREES_FILE}:0: no trees")

    def _load_callbacks(self):
        for where, row in _read_tsv(self._path(CALLBACKS_FILE),
                                    CALLBACKS_COLS):
            table = row["table"]
            kinds = {"acs": ACS_KINDS, "alias": ALIAS_KINDS}.get(table)
            if kinds is None:
                raise DbError(f"{where}: table '{table}' is not acs or alias")
            if row["kind"] not in kinds:
                raise DbError(f"{where}: kind '{row['kind']}' is not an "
                              f"enum of user/quirks.h for table {table}")
            if not re.match(r"^[a-z_][a-z0-9_]*$", row["name"]):
                raise DbError(f"{where}: '{row['name']}' is not a C name")
            if row["name"] in self.callbacks:
                raise DbError(f"{where}: callback '{row['name']}' repeated")
            if not row["decision"].strip() or '"' in row["decision"] or \
               "\\" in row["decision"]:
                raise DbError(f"{where}: decision text empty or contains "
                              "a quote or backslash")
            self.callbacks[row["name"]] = Entry(row, where)

    def _callback(self, name, table, where):
        cb = self.callbacks.get(name)
        if cb is None:
            raise DbError(f"{where}: unknown callback '{name}' (not in "
                          f"{CALLBACKS_FILE})")
        if cb.table != table:
            raise DbError(f"{where}: '{name}' is an {cb.table} callback, "
                          f"not {table}")
        return cb

    def _load_acs(self):
        seen = set()
        for where, row in _read_tsv(self._path(ACS_FILE), ACS_COLS):
            vendor = _hex16(row["vendor"], where, "vendor")
            device = _hex16(row["device"], where, "device")
            cb = self._callback(row["callback"], "acs", where)
            first, last, bps = _releases(row, where)
            key = (vendor, device, row["callback"])
            if key in seen:
                raise DbError(f"{where}: entry repeated")
            seen.add(key)
            self.acs.append(Entry(dict(
                vendor=vendor, device=device, callback=row["callback"],
                kind=cb.kind, first=first, last=last, backports=bps,
                note=row["note"], key=key), where))

    def _load_ranges(self):
        for where, row in _read_tsv(self._path(RANGES_FILE), RANGES_COLS):
            cb = self._callback(row["callback"], "acs", where)
            vendor = _hex16(row["vendor"], where, "vendor", allow_any=False)
            lo = _hex16(row["lo"], where, "lo", allow_any=False)
            hi = _hex16(row["hi"], where, "hi", allow_any=False)
            if hi < lo:
                raise DbError(f"{where}: hi {row['hi']} below lo {row['lo']}")
            if not row["what"].strip() or '"' in row["what"] or \
               "\\" in row["what"]:
                raise DbError(f"{where}: 'what' empty or has a quote or "
                              "backslash")
            first, last, bps = _releases(row, where)
            self.ranges.append(Entry(dict(
                callback=row["callback"], kind=cb.kind, vendor=vendor,
                lo=lo, hi=hi, what=row["what"], first=first, last=last,
                backports=bps, note=row["note"]), where))

    def _load_alias(self):
        seen = set()
        for where, row in _read_tsv(self._path(ALIAS_FILE), ALIAS_COLS):
            if row["stage"] not in STAGES:
                raise DbError(f"{where}: stage '{row['stage']}' unknown")
            vendor = _hex16(row["vendor"], where, "vendor", allow_any=False)
            device = _hex16(row["device"], where, "device")
            cls = None
            if row["class"] != "any":
                if not CLASS_RE.match(row["class"]):
                    raise DbError(f"{where}: class '{row['class']}' is not "
                                  "hex (class >> 8) or 'any'")
                cls = int(row["class"], 16)
            subv = _hex16(row["subvendor"], where, "subvendor")
            subd = _hex16(row["subdevice"], where, "subdevice")
            cb = self._callback(row["hook"], "alias", where)
            first, last, bps = _releases(row, where)
            key = (row["stage"], vendor, device, cls, subv, subd, row["hook"])
            if key in seen:
                raise DbError(f"{where}: entry repeated")
            seen.add(key)
            self.alias.append(Entry(dict(
                stage=row["stage"], vendor=vendor, device=device, class_=cls,
                subvendor=subv, subdevice=subd, hook=row["hook"],
                kind=cb.kind, first=first, last=last, backports=bps,
                note=row["note"], key=key), where))

    def newest(self):
        """Newest release of a tree the database was built from."""
        return max(t.kver for t in self.trees)

    def oldest(self):
        return min(t.kver for t in self.trees)

    def mainline(self, entries):
        """Entries present in some release up to the newest tree."""
        return [e for e in entries if e.first <= self.newest()]

    def range_ids(self, callback, vendor, series, sublevel=None):
        """IDs the callback checks in that release: (sure, maybe) sets."""
        sure, maybe = set(), set()
        for r in self.ranges:
            if r.callback != callback or r.vendor != vendor:
                continue
            e = r.expected(series, sublevel)
            if e == "yes":
                sure.update(range(r.lo, r.hi + 1))
            elif e == "maybe":
                maybe.update(range(r.lo, r.hi + 1))
        return sure, maybe - sure


def fmt_id(v):
    return "any" if v is None else f"{v:04x}"


def fmt_ids(ids):
    """Compress a set of IDs into 'a-b c' text."""
    out = []
    for v in sorted(ids):
        if out and out[-1][1] == v - 1:
            out[-1][1] = v
        else:
            out.append([v, v])
    return " ".join(f"{a:04x}" if a == b else f"{a:04x}-{b:04x}"
                    for a, b in out)
