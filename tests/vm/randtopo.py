#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded random PCI topologies for the QEMU bed (tests/vm/bed.py
--random N --seed S), written as ordinary topology files.

Each machine mixes the building blocks whose grouping rules differ (see
REFERENCE.md section 3): root ports with and without ACS (pcie-root-port,
ioh3420), switches without ACS (x3130-upstream + xio3130-downstream, nested
up to two deep), PCIe-to-PCI bridges (pcie-pci-bridge) and the DMI-to-PCI
bridge with its DMA-alias quirk (i82801b11-bridge) with conventional e1000
behind them, multifunction endpoints without ACS below ports and on the
root bus, single endpoints on the root bus, and a second host bridge
(pxb-pcie).  The files carry no expectations: the kernel's own groups are
the judge (--iommu-pair), so a topology cannot be wrong, only the tool.

Slot 00:01.0 stays free (QEMU puts amd-iommu there) and so do 00:1f.*
(q35's ICH9 functions).  No SR-IOV and no hot-plug: the addresses of VFs
would depend on SeaBIOS's bus numbering, and the pair check compares the
devices present at boot.

usage: randtopo.py [--seed S] N DIR     writes DIR/rand-S-I.topo, I = 1..N
"""
import argparse
import os
import random


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.chassis = 0
        self.serial = 0
        self.ids = 0
        self.bridges = 0    # SeaBIOS gives each bridge I/O space: keep few
        self.about = []
        # (path, vendor:device) of every port: pci_dev_str_match() paths
        # need no bus numbers ("0000:00:0c.0/00.0/01.0")
        self.ports = []

    def new_id(self, kind):
        self.ids += 1
        return "%s%d" % (kind, self.ids)

    def dev(self, spec):
        self.lines.append("device: " + spec)

    def endpoint(self, bus, addr="00.0"):
        """One PCIe endpoint function (single-function)."""
        if self.rng.random() < 0.3:
            self.serial += 1
            self.dev("nvme,bus=%s,addr=%s,serial=acsxr%03d" % (
                bus, addr, self.serial))
        else:
            self.dev("e1000e,bus=%s,addr=%s" % (bus, addr))

    def multifunction(self, bus, slot):
        """Two or three e1000e functions in one slot (no ACS)."""
        nf = self.rng.choice((2, 2, 3))
        self.dev("e1000e,bus=%s,addr=%02x.0,multifunction=on" % (bus, slot))
        for f in range(1, nf):
            self.dev("e1000e,bus=%s,addr=%02x.%d" % (bus, slot, f))

    def conventional(self, bus, first, n):
        for k in range(n):
            self.dev("e1000,bus=%s,addr=%02x.0" % (bus, first + k))

    def below_port(self, port, depth, path):
        """What sits below a root or downstream port at PATH."""
        kinds = ["ep", "ep", "mf", "pcibr", "empty"]
        if depth < 2 and self.bridges < 9:
            kinds += ["switch", "switch"]
        kind = self.rng.choice(kinds)
        if kind == "ep":
            self.endpoint(port)
        elif kind == "mf":
            self.multifunction(port, 0)
        elif kind == "pcibr" and self.bridges < 10:
            self.bridges += 1
            b = self.new_id("pb")
            self.dev("pcie-pci-bridge,id=%s,bus=%s" % (b, port))
            self.conventional(b, 1, self.rng.randint(1, 2))
        elif kind == "switch":
            self.bridges += 1
            up = self.new_id("up")
            self.dev("x3130-upstream,id=%s,bus=%s" % (up, port))
            for k in range(self.rng.randint(1, 3)):
                if self.bridges >= 10:
                    break
                self.bridges += 1
                self.chassis += 1
                dn = self.new_id("dn")
                self.dev("xio3130-downstream,id=%s,bus=%s,addr=%02x.0,"
                         "chassis=%d,slot=%d" % (dn, up, k, self.chassis,
                                                 k + 1))
                dpath = "%s/00.0/%02x.0" % (path, k)
                self.ports.append((dpath, "104c:8233"))
                self.below_port(dn, depth + 1, dpath)

    def root_port(self, bus, slot, func=0, mf=False):
        """A root port at (root bus BUS) SLOT.FUNC: (its id, its path)."""
        self.bridges += 1
        self.chassis += 1
        rp = self.new_id("rp")
        model = self.rng.choice(("pcie-root-port", "pcie-root-port",
                                 "ioh3420"))
        acs = "" if self.rng.random() < 0.7 else ",disable-acs=on"
        self.dev("%s,id=%s,bus=%s,chassis=%d,slot=%d,addr=%02x.%d%s%s" % (
            model, rp, bus, self.chassis, self.chassis, slot, func,
            ",multifunction=on" if mf else "", acs))
        path = "%s:%02x.%d" % ("00" if bus == "pcie.0" else "80", slot, func)
        self.ports.append((path, "1b36:000c" if model == "pcie-root-port"
                           else "8086:3420"))
        return rp, path

    def machine(self):
        slots = list(range(2, 0x1d))
        self.rng.shuffle(slots)
        slots = sorted(slots[:self.rng.randint(3, 6)])
        pxb = False
        for slot in slots:
            kind = self.rng.choice(("rp", "rp", "rp", "rp", "mfrp", "rcmf",
                                    "rcep", "dmi", "pxb"))
            if kind == "pxb" and (pxb or self.bridges > 6):
                kind = "rp"
            if self.bridges >= 10 and kind in ("rp", "mfrp", "dmi"):
                kind = "rcep"
            if kind == "rp":
                rp, path = self.root_port("pcie.0", slot)
                self.below_port(rp, 0, path)
            elif kind == "mfrp":
                # root ports as functions of one slot (REFERENCE C7)
                for f in range(self.rng.randint(2, 3)):
                    rp, path = self.root_port("pcie.0", slot, f, mf=f == 0)
                    self.below_port(rp, 1, path)
            elif kind == "rcmf":
                self.multifunction("pcie.0", slot)
            elif kind == "rcep":
                self.endpoint("pcie.0", "%02x.0" % slot)
            elif kind == "dmi":
                self.bridges += 1
                b = self.new_id("dmi")
                self.dev("i82801b11-bridge,id=%s,bus=pcie.0,addr=%02x.0"
                         % (b, slot))
                self.conventional(b, 1, self.rng.randint(1, 2))
            elif kind == "pxb":
                pxb = True
                self.bridges += 1
                b = self.new_id("pxb")
                self.dev("pxb-pcie,id=%s,bus_nr=0x80,bus=pcie.0,addr=%02x.0"
                         % (b, slot))
                for k in range(self.rng.randint(1, 2)):
                    rp, path = self.root_port(b, k)
                    self.below_port(rp, 1, path)
            self.about.append(kind)
        self.kernel_params()

    def selector(self, path, ids):
        """One pci_dev_str_match() entry for the port at PATH."""
        form = self.rng.choice(("path", "path", "domain", "ids", "ids4"))
        if form == "domain":
            return "0000:" + path
        if form == "ids":
            return "pci:" + ids
        if form == "ids4":
            # QEMU's bridges carry their own vendor as subsystem vendor
            # in an SSVID capability (subsystem device 0); 0 = any
            return "pci:%s:%s" % (ids, self.rng.choice((
                ids.split(":")[0] + ":0", "0:0", "1af4:1100")))
        return path

    def kernel_params(self):
        """Sometimes pci=disable_acs_redir= and pci=config_acs= naming
        ports of this machine (and a device that is not there first: only
        the first entry that matches applies)."""
        if not self.ports:
            return
        for param in ("disable_acs_redir", "config_acs"):
            if self.rng.random() < 0.6:
                continue
            entries = []
            if self.rng.random() < 0.3:
                entries.append("0000:00:1e.7")  # no such device
            for path, ids in self.rng.sample(self.ports, min(
                    len(self.ports), self.rng.randint(1, 2))):
                entries.append(self.selector(path, ids))
            if param == "config_acs":
                # bits SV TB RR CR UF, right-most first
                entries = ["".join(self.rng.choice("01xx") for _ in
                                   range(5)) + "@" + e for e in entries]
            self.lines.append("append: pci=%s=%s" % (param,
                                                     ";".join(entries)))
            self.about.append(param)


def topology_text(seed, index):
    """The text of random topology INDEX (1-based) of SEED."""
    g = Gen(random.Random("%d/%d" % (seed, index)))
    g.machine()
    head = ["# Random machine %d of seed %d (tests/vm/randtopo.py): %s."
            % (index, seed, ", ".join(g.about)),
            "# No expectations: the kernel's groups judge the prediction.",
            "iommu: intel"]
    return "\n".join(head + g.lines) + "\n"


def write(seed, n, outdir):
    """Write N topologies; return their paths."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for i in range(1, n + 1):
        p = os.path.join(outdir, "rand-%d-%d.topo" % (seed, i))
        with open(p, "w") as f:
            f.write(topology_text(seed, i))
        paths.append(p)
    return paths


def main():
    ap = argparse.ArgumentParser(prog="randtopo.py")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    a = ap.parse_args()
    for p in write(a.seed, a.n, a.dir):
        print(p)


if __name__ == "__main__":
    main()
