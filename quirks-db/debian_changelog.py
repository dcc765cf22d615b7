#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What Debian's kernel changelog says about stable quirks and ABI names.

    debian_changelog.py abi CHANGELOG.Debian.gz SERIES [PKG=VERSION...]
        print debian-abi.tsv rows for SERIES (e.g. 6.1): each "Bump ABI to
        N" / "Set ABI to N" with the upstream release of its upload; each
        PKG=VERSION (linux-image-6.1.0-57-amd64=6.1.192-3, as dpkg-query
        prints it) adds the ABI of an installed image package.
    debian_changelog.py check-abi DBDIR CHANGELOG.Debian.gz SERIES [PKG=VERSION...]
        debian-abi.tsv has exactly the rows 'abi' prints.
    debian_changelog.py check-backports DBDIR CHANGELOG.Debian.gz...
        every row of stable-backports.tsv whose series one of the
        changelogs covers appears there under ChangeLog-X.Y.Z, and the
        quirk tables' backports column names that very sublevel.

Lines "PASS ..." / "FAIL ..." for check.sh; exit status 0 all passed,
1 a check failed, 2 usage or unreadable input.
"""

import gzip
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quirksdb  # noqa: E402

UPLOAD_RE = re.compile(r"^linux \((\d+)\.(\d+)\.(\d+)-[^)]*\)")
STABLE_RE = re.compile(r"ChangeLog-(\d+)\.(\d+)\.(\d+)\b")
ABI_RE = re.compile(r"^\s*\*\s+(?:Bump|Set) ABI to (\d+)\b")
ITEM_RE = re.compile(r"^\s{4}- (.*)$")
IMAGE_RE = re.compile(r"^linux-image-(\d+)\.(\d+)\.0-(\d+)-[a-z0-9-]+="
                      r"(\d+)\.(\d+)\.(\d+)-")

ABI_COLS = ["series", "abi", "first", "last", "evidence"]
BP_COLS = ["stable", "table", "entries", "subject"]


def read(path):
    with (gzip.open if path.endswith(".gz") else open)(
            path, "rt", encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()


def uploads(lines):
    """[(upstream (maj, min, sub), [abi...], [(stable or None, item)])],
    newest first, as the changelog lists them."""
    out = []
    cur = None
    stable = None
    for line in lines:
        m = UPLOAD_RE.match(line)
        if m:
            cur = (tuple(int(x) for x in m.groups()), [], [])
            out.append(cur)
            stable = None
            continue
        if cur is None:
            continue
        m = ABI_RE.match(line)
        if m:
            cur[1].append(int(m.group(1)))
            continue
        m = STABLE_RE.search(line)
        if m and line.strip().startswith("http"):
            stable = tuple(int(x) for x in m.groups())
            continue
        m = ITEM_RE.match(line)
        if m:
            cur[2].append((stable, m.group(1).strip()))
        elif cur[2] and line.startswith("      ") and \
                not line.strip().startswith("http"):
            # an item continued on the next line
            s, t = cur[2][-1]
            cur[2][-1] = (s, t + " " + line.strip())
    return out


def abi_rows(lines, series, images):
    """ABI -> (first, last) sublevels of the uploads that carried it."""
    maj, mnr = series
    ups = [u for u in uploads(lines) if u[0][:2] == (maj, mnr)]
    ups.reverse()                                  # oldest first
    rows = {}
    abi = None
    for up, bumps, _ in ups:
        if bumps:
            abi = bumps[-1]
            rows[abi] = [up[2], up[2], "changelog"]
        elif abi is not None:
            rows[abi][1] = up[2]
    # Uploads after the last recorded bump may carry unrecorded ones:
    # the last ABI's end is then not known.
    if abi is not None and ups and ups[-1][1] == [] and \
            rows[abi][1] != rows[abi][0]:
        pass
    for img in images:
        m = IMAGE_RE.match(img)
        if not m or (int(m.group(1)), int(m.group(2))) != series:
            continue
        n, sub = int(m.group(3)), int(m.group(6))
        if n in rows and rows[n][2] == "changelog":
            rows[n][0] = min(rows[n][0], sub)
            rows[n][1] = max(rows[n][1], sub)
        else:
            rows[n] = [sub, sub, "package " + img.split("=")[0]]
    # An ABI whose successor is not recorded may span later uploads.
    known = sorted(rows)
    for i, n in enumerate(known):
        nxt = known[i + 1] if i + 1 < len(known) else None
        if rows[n][2] == "changelog" and nxt is not None and nxt != n + 1:
            rows[n][1] = None
    return [(f"{maj}.{mnr}", n, rows[n][0], rows[n][1], rows[n][2])
            for n in known]


def fmt_abi(rows):
    out = ["\t".join(ABI_COLS)]
    for s, n, a, b, ev in rows:
        out.append(f"{s}\t{n}\t{a}\t{'' if b is None else b}\t{ev}")
    return out


def read_tsv(path, cols):
    rows = []
    for n, line in enumerate(read(path), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if f == cols:
            continue
        if len(f) != len(cols):
            raise ValueError(f"{os.path.basename(path)}:{n}: {len(f)} "
                             f"columns, expected {len(cols)}")
        rows.append((n, dict(zip(cols, f))))
    return rows


def series_of(text):
    a, b, c = (int(x) for x in text.split("."))
    return (a, b), c


def check_backports(dbdir, changelogs):
    db = quirksdb.Database(dbdir)
    items = {}                   # (maj, min, sub) -> set of subjects
    covered = set()              # series the changelogs cover
    for path in changelogs:
        for up, _, its in uploads(read(path)):
            covered.add(up[:2])
            for stable, text in its:
                if stable:
                    items.setdefault(stable, set()).add(text)
    tables = {"acs": [(e.vendor, e.device, e) for e in db.acs],
              "range": [(e.vendor, e.lo, e) for e in db.ranges],
              "alias": [(e.vendor, e.device, e) for e in db.alias]}
    ok = True
    for n, row in read_tsv(os.path.join(dbdir, "stable-backports.tsv"),
                           BP_COLS):
        where = f"stable-backports.tsv:{n}"
        (maj, mnr), sub = series_of(row["stable"])
        if (maj, mnr) not in covered:
            print(f"SKIP {where}: no changelog covers {maj}.{mnr}")
            continue
        if row["subject"] in items.get((maj, mnr, sub), set()):
            print(f"PASS {where}: '{row['subject']}' under "
                  f"ChangeLog-{row['stable']}")
        else:
            print(f"FAIL {where}: '{row['subject']}' not under "
                  f"ChangeLog-{row['stable']} in the changelogs")
            ok = False
        want = quirksdb.kver(maj, mnr)
        for ent in row["entries"].split():
            v, d = ent.split(":")
            v = int(v, 16)
            d = None if d == "any" else int(d, 16)
            hits = [e for ev, ed, e in tables[row["table"]]
                    if ev == v and ed == d]
            if not hits:
                print(f"FAIL {where}: {ent} not in the {row['table']} table")
                ok = False
                continue
            for e in hits:
                bps = [b for b in e.backports if b.series == want]
                if len(bps) == 1 and bps[0].sublevel == sub:
                    continue
                print(f"FAIL {where}: {e.where} backports "
                      f"'{' '.join(b.text for b in e.backports)}' do not "
                      f"name {row['stable']}")
                ok = False
        if ok:
            print(f"PASS {where}: table rows name {row['stable']}")
    return ok


def main(argv):
    try:
        if len(argv) >= 4 and argv[1] == "abi":
            s = tuple(int(x) for x in argv[3].split("."))
            print("\n".join(fmt_abi(abi_rows(read(argv[2]), s, argv[4:]))))
            return 0
        if len(argv) >= 5 and argv[1] == "check-abi":
            s = tuple(int(x) for x in argv[4].split("."))
            want = fmt_abi(abi_rows(read(argv[3]), s, argv[5:]))[1:]
            path = os.path.join(argv[2], "debian-abi.tsv")
            have = [line for line in read(path)
                    if line.startswith(argv[4] + "\t")]
            if have == want:
                print(f"PASS debian-abi.tsv: {len(want)} ABIs of {argv[4]} "
                      "as the changelog and packages record them")
                return 0
            print(f"FAIL debian-abi.tsv: {argv[4]} rows differ from the "
                  "changelog; expected:")
            print("\n".join(want))
            return 1
        if len(argv) >= 4 and argv[1] == "check-backports":
            return 0 if check_backports(argv[2], argv[3:]) else 1
    except (OSError, ValueError, quirksdb.DbError) as e:
        print(f"debian_changelog.py: {e}", file=sys.stderr)
        return 2
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
