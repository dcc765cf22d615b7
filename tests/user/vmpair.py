#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The "IOMMU off, then on" captures of tests/vm/run.sh --iommu-pair, judged
offline: for each tests/user/fixtures/vm-pair/TOPOLOGY-KERNEL/, acsexplain
predicts the groups from lspci-xxxx-off.txt (a boot without an IOMMU) with
that guest's uname -r and command line, and the partition must equal the one
in each groups-IOMMU.txt (the same machine booted with intel-iommu or
amd-iommu), on the devices both boots have.  The prediction from the
controls as read (--what-if iommu=off) must differ wherever the capture says
so, or the check could not fail.

usage: vmpair.py TOOL FIXTURE-DIR        prints "vmpair: N passed, N failed"
"""
import glob
import json
import os
import re
import subprocess
import sys


def partition(groups, addrs):
    parts = {}
    for a in addrs:
        parts.setdefault(groups[a], set()).add(a)
    return sorted(sorted(p) for p in parts.values())


def kernel_groups(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"/sys/kernel/iommu_groups/(\d+)/devices/(\S+)$",
                         line.strip())
            if m:
                out[m.group(2)] = int(m.group(1))
    return out


def predict(tool, d, extra):
    uname = open(os.path.join(d, "uname.txt")).read().strip()
    cmdline = open(os.path.join(d, "cmdline-off.txt")).read().strip()
    p = subprocess.run([tool, "--from", os.path.join(d, "lspci-xxxx-off.txt"),
                        "--all", "--json", "--kernel", uname,
                        "--kernel-cmdline", cmdline] + extra,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("acsexplain exited %d: %s" % (
            p.returncode, p.stderr.strip()[-200:]))
    doc = json.loads(p.stdout)
    devs = doc["what_if"]["devices"] if extra else doc["devices"]
    return {x["address"]: x["predicted_group"] for x in devs}


def main():
    tool, root = sys.argv[1], sys.argv[2]
    passed = failed = 0
    for d in sorted(glob.glob(os.path.join(root, "*"))):
        name = os.path.basename(d)
        try:
            pred = predict(tool, d, [])
            asread = predict(tool, d, ["--what-if", "iommu=off"])
        except (RuntimeError, ValueError, KeyError) as e:
            print("FAIL %s: %s" % (name, e))
            failed += 1
            continue
        for g in sorted(glob.glob(os.path.join(d, "groups-*.txt"))):
            iommu = os.path.basename(g)[len("groups-"):-len(".txt")]
            kg = kernel_groups(g)
            common = sorted(a for a in kg if a in pred)
            want = partition(kg, common)
            if partition(pred, common) == want:
                passed += 1
                print("PASS %s %s: %d devices, %d groups as the kernel made "
                      "them; as read: %s" % (
                          name, iommu, len(common), len(want),
                          "the same" if partition(asread, common) == want
                          else "other groups"))
            else:
                failed += 1
                print("FAIL %s %s: predicted %s, kernel %s" % (
                    name, iommu, partition(pred, common), want))
    print("vmpair: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
