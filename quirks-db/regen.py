#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Extract ACS and DMA-alias quirk facts from kernel source trees.

    regen.py TREE...              print what each tree has
    regen.py --check [--db DIR] TREE...
                                  verify the database against each tree
    regen.py --suggest TREE...    print the database rows to add or change
                                  so that it agrees with each tree

TREE is a kernel source directory or a linux-source-X.tar.xz; from an
archive only Makefile, drivers/pci/quirks.c and include/linux/pci_ids.h
are extracted, once, into --cache (default $XDG_CACHE_HOME/acsexplain/
quirks-db, i.e. ~/.cache/acsexplain/quirks-db).

From drivers/pci/quirks.c it reads the pci_dev_acs_enabled[] table, the
device IDs checked inside the ACS callbacks (ID arrays, 'case A ... B:',
'dev->device == X', '(dev->device & M) == V') and every
DECLARE_PCI_FIXUP_* (one level of macros expanded, e.g. SWITCHTEC_QUIRK)
whose hook adds, redirects or suppresses a DMA alias.  PCI_VENDOR_ID_*
and PCI_DEVICE_ID_* names resolve through include/linux/pci_ids.h and
the #defines of quirks.c itself.

Exit status: 0 agreement (or print mode), 1 disagreement, 2 bad usage or
unreadable input.
"""

import argparse
import os
import re
import signal
import subprocess
import sys

# Keep the source tree free of __pycache__ when run from the build.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quirksdb  # noqa: E402

FILES = ["Makefile", "drivers/pci/quirks.c", "include/linux/pci_ids.h"]
DEFAULT_CACHE = os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
    "acsexplain", "quirks-db")

# What makes a fixup hook a DMA-alias hook, when the database does not
# know the hook yet (so that a new one in a future tree is noticed).
ALIAS_BODY_RE = re.compile(r"pci_add_dma_alias|PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS|"
                           r"PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT|"
                           r"PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS|"
                           r"PCI_DEV_FLAGS_DMA_ALIAS_DEVFN|dma_alias_devfn")


class TreeError(Exception):
    pass


def die(msg, code=2):
    print(f"regen.py: {msg}", file=sys.stderr)
    sys.exit(code)


def open_tree(path, cache):
    """Directory holding FILES for a tree dir or a .tar.xz (extracted once)."""
    if os.path.isdir(path):
        return path
    if not os.path.isfile(path) or not re.search(r"\.tar(\.xz|\.gz|\.bz2)?$",
                                                 path):
        raise TreeError(f"{path}: neither a directory nor a .tar.xz archive")
    name = re.sub(r"\.tar(\.xz|\.gz|\.bz2)?$", "", os.path.basename(path))
    dest = os.path.join(cache, name)
    stamp = os.path.join(dest, ".extracted")
    st = os.stat(path)
    want = f"{st.st_size} {int(st.st_mtime)}\n"
    if os.path.exists(stamp) and open(stamp).read() == want:
        return find_root(dest)
    os.makedirs(dest, exist_ok=True)
    # Member names carry the archive's top directory; match any.
    cmd = ["tar", "-xf", path, "-C", dest, "--wildcards",
           "--no-wildcards-match-slash"] + \
          ["*/" + f for f in FILES]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        raise TreeError(f"{path}: tar failed: {r.stderr.strip()}")
    root = find_root(dest)
    with open(stamp, "w") as f:
        f.write(want)
    return root


def find_root(dest):
    for dirpath, dirnames, filenames in os.walk(dest):
        if "Makefile" in filenames and \
           os.path.exists(os.path.join(dirpath, "drivers/pci/quirks.c")):
            return dirpath
        dirnames.sort()
    raise TreeError(f"{dest}: no kernel tree with drivers/pci/quirks.c")


def read(root, rel):
    p = os.path.join(root, rel)
    try:
        with open(p, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        raise TreeError(f"{p}: {e.strerror}") from e


def tree_version(root):
    mk = read(root, "Makefile")
    v = {}
    for key in ("VERSION", "PATCHLEVEL", "SUBLEVEL"):
        m = re.search(rf"^{key}\s*=\s*(\d+)", mk, re.M)
        if not m:
            raise TreeError(f"{root}/Makefile: no {key}")
        v[key] = int(m.group(1))
    return v["VERSION"], v["PATCHLEVEL"], v["SUBLEVEL"]


def strip_comments(text):
    """Blank out comments, keeping newlines so line numbers stay right."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r"/\*.*?\*/|//[^\n]*", blank, text, flags=re.S)


def parse_defines(text, ids):
    for m in re.finditer(r"^\s*#\s*define\s+(PCI_\w+)\s+(0x[0-9a-fA-F]+|\d+)"
                         r"\b", text, re.M):
        ids[m.group(1)] = int(m.group(2), 0)
    # Names defined as other names (rare, but pci_ids.h has a few).
    for m in re.finditer(r"^\s*#\s*define\s+(PCI_\w+)\s+(PCI_\w+)\s*$", text,
                         re.M):
        if m.group(2) in ids:
            ids[m.group(1)] = ids[m.group(2)]


class Tree:
    def __init__(self, path, cache, known_hooks=()):
        self.path = path
        self.root = open_tree(path, cache)
        self.version = tree_version(self.root)
        self.series = quirksdb.kver(*self.version[:2])
        self.sublevel = self.version[2]
        raw = read(self.root, "drivers/pci/quirks.c")
        self.src = strip_comments(raw)
        self.ids = {"PCI_ANY_ID": None}
        parse_defines(read(self.root, "include/linux/pci_ids.h"), self.ids)
        parse_defines(raw, self.ids)
        self.acs = self.parse_acs_table()
        self.callback_ids = {cb: self.parse_callback_ids(cb)
                             for cb in dict.fromkeys(e[2] for e in self.acs)}
        self.alias = self.parse_alias_fixups(known_hooks)

    @property
    def name(self):
        v = self.version
        return f"{os.path.basename(self.path.rstrip('/'))} " \
               f"({v[0]}.{v[1]}.{v[2]})"

    def line_of(self, pos):
        return self.src.count("\n", 0, pos) + 1

    def value(self, token, where):
        token = token.strip()
        token = re.sub(r"^\(u16\)\s*", "", token)
        if re.match(r"^(0x[0-9a-fA-F]+|\d+)$", token):
            return int(token, 0)
        if token in self.ids:
            return self.ids[token]
        raise TreeError(f"{where}: cannot resolve '{token}'")

    def parse_acs_table(self):
        m = re.search(r"\bpci_dev_acs_enabled\s*\[\s*\]\s*=\s*\{", self.src)
        if not m:
            raise TreeError(f"{self.root}: no pci_dev_acs_enabled[] table")
        end = self.src.index("};", m.end())
        body = self.src[m.end():end]
        out = []
        for e in re.finditer(r"\{([^{}]*)\}", body):
            parts = [p.strip() for p in e.group(1).split(",") if p.strip()]
            where = f"quirks.c:{self.line_of(m.end() + e.start())}"
            if parts == ["0"] or not parts:
                continue
            if len(parts) != 3:
                raise TreeError(f"{where}: ACS entry with {len(parts)} "
                                "fields")
            out.append((self.value(parts[0], where),
                        self.value(parts[1], where), parts[2], where))
        return out

    def function_body(self, name):
        m = re.search(r"\b" + re.escape(name) + r"\s*\([^;{)]*\)\s*\{",
                      self.src)
        if not m:
            return None
        depth, i = 1, m.end()
        while depth and i < len(self.src):
            c = self.src[i]
            depth += (c == "{") - (c == "}")
            i += 1
        return self.src[m.end():i - 1]

    def array_values(self, name):
        m = re.search(r"\b" + re.escape(name) + r"\s*\[\s*\]\s*=\s*\{",
                      self.src)
        if not m:
            return None
        end = self.src.index("}", m.end())
        where = f"quirks.c:{self.line_of(m.start())}"
        return {self.value(t, where)
                for t in self.src[m.end():end].split(",") if t.strip()}

    def parse_callback_ids(self, callback):
        """Device IDs an ACS callback (or its _match helper) accepts.

        None: the callback checks no device ID (any device of the entry).
        """
        ids = set()
        found = False
        names = [callback, callback + "_match",
                 re.sub(r"_acs$", "_acs_match", callback)]
        for fn in dict.fromkeys(names):
            body = self.function_body(fn)
            if body is None:
                continue
            for arr in re.findall(r"\b(\w+_ids)\s*\[", body):
                vals = self.array_values(arr)
                if vals is not None:
                    ids |= vals
                    found = True
            for a, b in re.findall(r"case\s+(0x[0-9a-fA-F]+)\s*\.\.\.\s*"
                                   r"(0x[0-9a-fA-F]+)\s*:", body):
                ids |= set(range(int(a, 16), int(b, 16) + 1))
                found = True
            for a in re.findall(r"case\s+(0x[0-9a-fA-F]+)\s*:", body):
                ids.add(int(a, 16))
                found = True
            for a in re.findall(r"dev->device\s*==\s*(0x[0-9a-fA-F]+)", body):
                ids.add(int(a, 16))
                found = True
            for neg, mk, v in re.findall(
                    r"\(\s*dev->device\s*&\s*(~?)\s*(0x[0-9a-fA-F]+)\s*\)"
                    r"\s*==\s*(0x[0-9a-fA-F]+)", body):
                mk, v = int(mk, 16), int(v, 16)
                if neg:
                    mk = ~mk & 0xffff
                ids |= {d for d in range(0x10000) if d & mk == v}
                found = True
            for a, b in re.findall(r"dev->device\s*>=\s*(0x[0-9a-fA-F]+)\s*"
                                   r"&&\s*\(?\s*dev->device\s*<=\s*"
                                   r"(0x[0-9a-fA-F]+)", body):
                ids |= set(range(int(a, 16), int(b, 16) + 1))
                found = True
        return ids if found else None

    def alias_hooks(self, known):
        """Hooks the database knows plus any whose body sets an alias."""
        hooks = set(known)
        for m in re.finditer(r"^static\s+void\s+(\w+)\s*\(\s*struct\s+pci_dev"
                             r"\s*\*\s*\w+\s*\)\s*\{", self.src, re.M):
            body = self.function_body(m.group(1)) or ""
            if ALIAS_BODY_RE.search(body):
                hooks.add(m.group(1))
        return hooks

    def expand_macros(self):
        """Expand one level of function-like macros that declare fixups."""
        src = self.src.replace("\\\n", "  ")
        macros = {}
        self.define_spans = [(m.start(), m.end()) for m in re.finditer(
            r"^\s*#\s*define\b.*$", src, re.M)]
        for m in re.finditer(r"^\s*#\s*define\s+(\w+)\(([^)]*)\)\s*(.*)$",
                             src, re.M):
            if "DECLARE_PCI_FIXUP" in m.group(3):
                params = [p.strip() for p in m.group(2).split(",")]
                macros[m.group(1)] = (params, m.group(3), m.start(), m.end())
        out = []
        for name, (params, body, ds, de) in macros.items():
            for inv in re.finditer(r"\b" + name + r"\s*\(([^()]*)\)\s*;",
                                   src):
                if ds <= inv.start() < de:
                    continue
                args = [a.strip() for a in inv.group(1).split(",")]
                text = body
                for p, a in zip(params, args):
                    text = re.sub(r"\b" + re.escape(p) + r"\b", a, text)
                out.append((text, inv.start()))
        return src, out

    def parse_alias_fixups(self, known):
        hooks = self.alias_hooks(known)
        src, expanded = self.expand_macros()
        decls = [(m.group(0), m.start()) for m in re.finditer(
            r"\bDECLARE_PCI_FIXUP_\w+\s*\([^;]*?\)\s*;", src)]
        # A macro body is a template, not a declaration.
        decls = [d for d in decls
                 if not any(a <= d[1] < b for a, b in self.define_spans)]
        rows = []
        fixed = self.fixed_alias_table()
        for text, pos in decls + expanded:
            m = re.match(r"\s*DECLARE_PCI_FIXUP_(CLASS_)?(\w+?)\s*\((.*)\)"
                         r"\s*;?\s*$", text, re.S)
            if not m:
                continue
            where = f"quirks.c:{self.line_of(pos)}"
            args = [a.strip() for a in m.group(3).split(",")]
            if m.group(1):
                if len(args) != 5:
                    continue
                vendor, device, cls, shift, hook = args
                if hook in hooks and shift != "8":
                    raise TreeError(f"{where}: class shift {shift} for "
                                    f"{hook}: only 8 (class >> 8) is "
                                    "modelled")
                cls = self.value(cls, where)
            else:
                if len(args) != 3:
                    continue
                vendor, device, hook = args
                cls = None
            if hook not in hooks:
                continue
            stage = m.group(2).lower()
            v = self.value(vendor, where)
            d = self.value(device, where)
            subs = [(None, None)]
            if hook == "quirk_fixed_dma_alias":
                subs = [(sv, sd) for (fv, fd, sv, sd) in fixed
                        if fv == v and fd == d] or subs
            for sv, sd in subs:
                rows.append(dict(stage=stage, vendor=v, device=d, class_=cls,
                                 subvendor=sv, subdevice=sd, hook=hook,
                                 where=where))
        return rows

    def fixed_alias_table(self):
        m = re.search(r"\bfixed_dma_alias_tbl\s*\[\s*\]\s*=\s*\{", self.src)
        if not m:
            return []
        end = self.src.index("};", m.end())
        out = []
        where = f"quirks.c:{self.line_of(m.start())}"
        for e in re.finditer(r"PCI_DEVICE_SUB\s*\(([^)]*)\)",
                             self.src[m.end():end]):
            a = [x.strip() for x in e.group(1).split(",")]
            out.append(tuple(self.value(x, where) for x in a))
        return out


def alias_key(r):
    return (r["stage"], r["vendor"], r["device"], r["class_"],
            r["subvendor"], r["subdevice"], r["hook"])


def fmt_alias_key(k):
    stage, v, d, cls, sv, sd, hook = k
    s = f"{stage} {v:04x}:{quirksdb.fmt_id(d)}"
    if cls is not None:
        s += f" class {cls:04x}"
    if sv is not None:
        s += f" sub {quirksdb.fmt_id(sv)}:{quirksdb.fmt_id(sd)}"
    return s + f" {hook}"


def fmt_acs_key(k):
    return f"{quirksdb.fmt_id(k[0])}:{quirksdb.fmt_id(k[1])} {k[2]}"


def print_tree(t):
    print(f"# tree {t.path} version {'.'.join(map(str, t.version))}")
    print(f"# pci_dev_acs_enabled[]: {len(t.acs)} entries")
    for v, d, cb, where in t.acs:
        print(f"acs\t{quirksdb.fmt_id(v)}\t{quirksdb.fmt_id(d)}\t{cb}\t"
              f"{where}")
    for cb, ids in t.callback_ids.items():
        if ids is not None:
            print(f"ids\t{cb}\t{quirksdb.fmt_ids(ids)}")
    print(f"# DMA-alias fixups: {len(t.alias)}")
    for r in t.alias:
        cls = "any" if r["class_"] is None else f"{r['class_']:04x}"
        print(f"alias\t{r['stage']}\t{r['vendor']:04x}\t"
              f"{quirksdb.fmt_id(r['device'])}\t{cls}\t"
              f"{quirksdb.fmt_id(r['subvendor'])}\t"
              f"{quirksdb.fmt_id(r['subdevice'])}\t{r['hook']}\t{r['where']}")


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, msg):
        self.passed += 1
        print(f"PASS {msg}")

    def fail(self, msg, details):
        self.failed += 1
        print(f"FAIL {msg}")
        for d in details:
            print(f"     {d}")


def check_tree(db, t, rep):
    rel = quirksdb.release_str(t.series)
    tag = f"{t.name}"

    # ACS table: entries, then their order.
    tree_keys = [(v, d, cb) for v, d, cb, _ in t.acs]
    where = {(v, d, cb): w for v, d, cb, w in t.acs}
    bad = []
    if len(set(tree_keys)) != len(tree_keys):
        bad.append("the tree repeats an entry")
    dbkeys = {e.key: e for e in db.acs}
    for k in tree_keys:
        e = dbkeys.get(k)
        if e is None:
            bad.append(f"{fmt_acs_key(k)} ({where[k]}) is not in the db")
        elif e.expected(t.series, t.sublevel) == "no":
            bad.append(f"{fmt_acs_key(k)} ({where[k]}) is in the tree but "
                       f"{e.where} dates it outside {rel}")
    for e in db.acs:
        if e.expected(t.series, t.sublevel) == "yes" and \
           e.key not in where:
            bad.append(f"{fmt_acs_key(e.key)} ({e.where}) missing from the "
                       "tree")
    n = len(tree_keys)
    if bad:
        rep.fail(f"{tag}: pci_dev_acs_enabled[] ({n} entries)", bad)
    else:
        rep.ok(f"{tag}: pci_dev_acs_enabled[] has the {n} entries the db "
               f"expects for {rel}.{t.sublevel}")
    order = [e.key for e in db.acs if e.key in where]
    present = [k for k in tree_keys if k in dbkeys]
    if order != present:
        first = next(i for i, (a, b) in enumerate(zip(order, present))
                     if a != b)
        rep.fail(f"{tag}: table order", [
            f"entry {first}: tree has {fmt_acs_key(present[first])}, db "
            f"order has {fmt_acs_key(order[first])}"])
    else:
        rep.ok(f"{tag}: table order matches the db")

    # Device IDs checked inside callbacks.
    for cb, ids in sorted(t.callback_ids.items()):
        vendors = {v for v, d, c, _ in t.acs if c == cb}
        ranged = [r for r in db.ranges if r.callback == cb]
        if ids is None and not ranged:
            continue
        bad = []
        for vendor in sorted(vendors):
            sure, maybe = db.range_ids(cb, vendor, t.series, t.sublevel)
            got = ids if ids is not None else set(range(0x10000))
            missing = sure - got
            extra = got - sure - maybe
            if missing:
                bad.append(f"db has IDs the tree lacks: "
                           f"{vendor:04x}:{quirksdb.fmt_ids(missing)}")
            if extra:
                bad.append(f"tree has IDs the db lacks for {rel}: "
                           f"{vendor:04x}:{quirksdb.fmt_ids(extra)}")
        if bad:
            rep.fail(f"{tag}: IDs checked by {cb}", bad)
        else:
            shown = "any device" if ids is None else \
                quirksdb.fmt_ids(ids)
            rep.ok(f"{tag}: IDs checked by {cb}: {shown}")

    # DMA-alias fixups.
    bad = []
    tree_alias = {alias_key(r): r["where"] for r in t.alias}
    dbalias = {e.key: e for e in db.alias}
    for k, w in tree_alias.items():
        e = dbalias.get(k)
        if e is None:
            bad.append(f"{fmt_alias_key(k)} ({w}) is not in the db")
        elif e.expected(t.series, t.sublevel) == "no":
            bad.append(f"{fmt_alias_key(k)} ({w}) is in the tree but "
                       f"{e.where} dates it outside {rel}")
    for e in db.alias:
        if e.expected(t.series, t.sublevel) == "yes" and \
           e.key not in tree_alias:
            bad.append(f"{fmt_alias_key(e.key)} ({e.where}) missing from the "
                       "tree")
    if bad:
        rep.fail(f"{tag}: DMA-alias fixups ({len(tree_alias)})", bad)
    else:
        rep.ok(f"{tag}: DMA-alias fixups: the {len(tree_alias)} the db "
               f"expects for {rel}.{t.sublevel}")


def suggest(db, t):
    """Print what to change in the database so that it agrees with t."""
    rel = quirksdb.release_str(t.series)
    ver = ".".join(map(str, t.version))
    note = f"first seen in {os.path.basename(t.path.rstrip('/'))} {ver}; " \
        "date it: bracket or commit"
    print(f"# suggestions for {t.name}")
    dbkeys = {e.key: e for e in db.acs}
    prev = None
    for v, d, cb, w in t.acs:
        k = (v, d, cb)
        e = dbkeys.get(k)
        if e is None:
            after = f"after {fmt_acs_key(prev)}" if prev else "first"
            print(f"acs-quirks.tsv ({after}):\t{quirksdb.fmt_id(v)}\t"
                  f"{quirksdb.fmt_id(d)}\t{cb}\t{rel}\t\t\t{note}")
        elif e.expected(t.series, t.sublevel) == "no":
            print(f"{e.where}: add backport {ver} (tree has it, {w})")
        prev = k
    keys = {(v, d, cb) for v, d, cb, _ in t.acs}
    for e in db.acs:
        if e.expected(t.series, t.sublevel) == "yes" and e.key not in keys:
            print(f"{e.where}: {rel} lacks it: set last, or fix first")
    for cb, ids in sorted(t.callback_ids.items()):
        if ids is None:
            continue
        for vendor in sorted({v for v, d, c, _ in t.acs if c == cb}):
            sure, maybe = db.range_ids(cb, vendor, t.series, t.sublevel)
            extra = sorted(ids - sure - maybe)
            runs = []
            for x in extra:
                if runs and runs[-1][1] == x - 1:
                    runs[-1][1] = x
                else:
                    runs.append([x, x])
            for lo, hi in runs:
                print(f"acs-id-ranges.tsv:\t{cb}\t{vendor:04x}\t{lo:04x}\t"
                      f"{hi:04x}\tWHAT THESE ARE\t{rel}\t\t\t{note}")
            if sure - ids:
                print(f"acs-id-ranges.tsv: {cb} in {rel} lacks "
                      f"{quirksdb.fmt_ids(sure - ids)}: set last")
    dbalias = {e.key: e for e in db.alias}
    tree_alias = set()
    for r in t.alias:
        k = alias_key(r)
        tree_alias.add(k)
        e = dbalias.get(k)
        if e is None:
            cls = "any" if r["class_"] is None else f"{r['class_']:04x}"
            print(f"dma-alias-quirks.tsv:\t{r['stage']}\t{r['vendor']:04x}\t"
                  f"{quirksdb.fmt_id(r['device'])}\t{cls}\t"
                  f"{quirksdb.fmt_id(r['subvendor'])}\t"
                  f"{quirksdb.fmt_id(r['subdevice'])}\t{r['hook']}\t{rel}"
                  f"\t\t\t{note}")
        elif e.expected(t.series, t.sublevel) == "no":
            print(f"{e.where}: add backport {ver} (tree has it, "
                  f"{r['where']})")
    for e in db.alias:
        if e.expected(t.series, t.sublevel) == "yes" and \
           e.key not in tree_alias:
            print(f"{e.where}: {rel} lacks it: set last, or fix first")


def main():
    ap = argparse.ArgumentParser(
        description="Extract ACS/DMA-alias quirk facts from kernel trees, "
        "or --check the quirks database against them.")
    ap.add_argument("--check", action="store_true",
                    help="verify the database agrees with every tree")
    ap.add_argument("--suggest", action="store_true",
                    help="print the database changes that would make it "
                    "agree with each tree (rows to add, backports, last)")
    ap.add_argument("--db", default=os.path.dirname(os.path.abspath(
        __file__)), help="database directory (default: this script's)")
    ap.add_argument("--cache", default=DEFAULT_CACHE,
                    help="where archives are extracted (default %(default)s)")
    ap.add_argument("trees", nargs="+", metavar="TREE",
                    help="kernel source directory or linux-source-X.tar.xz")
    args = ap.parse_args()

    db = None
    try:
        db = quirksdb.Database(args.db)
    except quirksdb.DbError as e:
        if args.check:
            die(str(e))
        # Printing needs no database: alias hooks are then found by body.
        print(f"regen.py: warning: {e}", file=sys.stderr)
    hooks = {n for n, c in db.callbacks.items() if c.table == "alias"} \
        if db else set()
    rep = Report()
    for path in args.trees:
        try:
            t = Tree(path, args.cache, hooks)
        except TreeError as e:
            die(str(e))
        if args.check:
            check_tree(db, t, rep)
        elif args.suggest:
            if db is None:
                die("--suggest needs a valid database")
            suggest(db, t)
        else:
            print_tree(t)
    if args.check:
        print(f"regen --check: {rep.passed} passed, {rep.failed} failed")
        return 1 if rep.failed else 0
    return 0


if __name__ == "__main__":
    # Output piped into head: stop quietly, as other command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
