#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare acsexplain --all --json output with the kernel's groups.

usage: groupcmp.py JSON [TOPOLOGY [KERNEL]]

Two devices must share predicted_group exactly when they share
kernel_group (devices with no kernel group must have no predicted group
when the IOMMU is on).  With a topology file from tests/vm/topologies, its
`expect-reason: DEV AT` lines are checked too: DEV must carry a reason whose
`at` is AT.  Prints one line per problem and "N passed, N failed".
"""
import json
import sys


def norm(a):
    return a if a.count(":") == 2 else "0000:" + a


def main():
    doc = json.load(open(sys.argv[1]))
    devs = {d["address"]: d for d in doc["devices"]}
    passed = failed = 0
    iommu_on = doc.get("kernel", {}).get("iommu") == "on"
    if iommu_on:
        kg, pg = {}, {}
        for a, d in devs.items():
            if d["kernel_group"] is None:
                if d["predicted_group"] is not None:
                    print(f"MISMATCH {a}: kernel gave no group, predicted {d['predicted_group']}")
                    failed += 1
                continue
            kg.setdefault(d["kernel_group"], set()).add(a)
            pg.setdefault(d["predicted_group"], set()).add(a)
        kparts = sorted(sorted(s) for s in kg.values())
        pparts = sorted(sorted(s) for s in pg.values())
        if kparts == pparts:
            passed += 1
        else:
            failed += 1
            for s in kparts:
                if s not in pparts:
                    print("MISMATCH kernel group", " ".join(s))
            for s in pparts:
                if s not in kparts:
                    print("MISMATCH predicted   ", " ".join(s))
    if doc.get("kernel", {}).get("iommu") == "off":
        # no groups at all: every device must say so, and still get the
        # group the kernel would make once the IOMMU is on
        bad = [a for a, d in devs.items()
               if not any(r["code"] == "no_iommu" for r in d["reasons"])
               or d["predicted_group"] is None]
        if bad:
            failed += 1
            print("FAIL no_iommu not explained for", " ".join(bad))
        else:
            passed += 1
    kernel = sys.argv[3] if len(sys.argv) > 3 else None
    if len(sys.argv) > 2:
        # expect-reason[@KERNEL]: DEV AT [CODE|CODE...]
        for line in open(sys.argv[2]):
            f = line.split()
            if len(f) < 3 or not f[0].startswith("expect-reason"):
                continue
            key = f[0].rstrip(":")
            if "@" in key and key.split("@", 1)[1] != kernel:
                continue
            dev, at = norm(f[1]), norm(f[2])
            codes = f[3].split("|") if len(f) > 3 else None
            d = devs.get(dev)
            if d and any(r.get("at") == at and (codes is None or r["code"] in codes)
                         for r in d["reasons"]):
                passed += 1
            else:
                failed += 1
                got = [(r["code"], r.get("at")) for r in d["reasons"]] if d else "absent"
                print(f"FAIL reason for {dev}: wanted {codes or 'any'} at {at}, got {got}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
