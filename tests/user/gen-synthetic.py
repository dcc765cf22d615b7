#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a synthetic machine as an `lspci -xxxx` dump, for the benchmark.

The dump has exactly N functions and is read by `lspci -F FILE` (libpci's
dump method) and `acsexplain --from FILE`.  The topology repeats, per
root port, four shapes so every grouping rule is exercised at scale:

  r % 4 == 0  switch: upstream port + 8 downstream ports (ACS with
              controls on / ACS with controls off / no ACS), below them an
              SR-IOV PF with 31 VFs, a 4-function endpoint, a single
              endpoint, a 2-PF SR-IOV device with 7 VFs each
  r % 4 == 1  SR-IOV PF with 63 VFs (ARI) directly below the root port
  r % 4 == 2  PCIe-to-PCI bridge with conventional devices behind it
  r % 4 == 3  8-function endpoint directly below the root port

Every fifth root port has no ACS capability.  The root bus of each domain
also holds a host bridge and a 4-function conventional chipset device.  When a domain
runs out of root-port slots or bus numbers the next domain starts.

PCIe functions get the full 4 KiB with valid chains: PM -> MSI -> PCIe
capability, then AER -> ACS / ARI / SR-IOV extended capabilities.
Conventional functions get 256 bytes, as the kernel gives them (their
config space has no extended part).  VFs read vendor/device ffff, as real
VF config space does; the PF's SR-IOV capability (VF Enable, NumVFs,
First VF Offset, VF Stride) places them.
"""

import argparse
import subprocess
import sys

PCI_EXP_ENDPOINT, PCI_EXP_ROOT_PORT, PCI_EXP_UPSTREAM = 0x0, 0x4, 0x5
PCI_EXP_DOWNSTREAM, PCI_EXP_PCI_BRIDGE, PCI_EXP_RC_END = 0x6, 0x7, 0x9

ACS_CAP_PORT = 0x005f           # SV TB RR CR UF DT
ACS_CTRL_ON = 0x001d            # SV RR CR UF: what the kernel enables
ACS_MF_CAP = 0x000c             # RR CR on a multi-function endpoint

MAX_RP_SLOT = 0x1c              # root ports at 01.0 .. 1c.0
CHIPSET_SLOT = 0x1f


class Func:
    __slots__ = ("addr", "cfg", "text")

    def __init__(self, addr, cfg, text):
        self.addr = addr
        self.cfg = cfg
        self.text = text


def put16(cfg, off, val):
    cfg[off] = val & 0xff
    cfg[off + 1] = (val >> 8) & 0xff


def put32(cfg, off, val):
    for i in range(4):
        cfg[off + i] = (val >> (8 * i)) & 0xff


def header(vendor, device, cls, bridge=False, mf=False, size=4096, rev=1):
    cfg = bytearray(size)
    put16(cfg, 0x00, vendor)
    put16(cfg, 0x02, device)
    put16(cfg, 0x04, 0x0007 if bridge else 0x0006)
    put16(cfg, 0x06, 0x0010)            # capability list present
    cfg[0x08] = rev
    cfg[0x09] = cls & 0xff
    cfg[0x0a] = (cls >> 8) & 0xff
    cfg[0x0b] = (cls >> 16) & 0xff
    cfg[0x0e] = (0x01 if bridge else 0x00) | (0x80 if mf else 0)
    cfg[0x34] = 0x40
    if not bridge:
        put16(cfg, 0x2c, vendor)
        put16(cfg, 0x2e, 0x0001)
    return cfg


def std_caps(cfg, pcie_type=None, slot=False, ari_fwd=False, port=0):
    """PM at 0x40 -> MSI at 0x50 -> PCIe at 0x70 (when PCIe)."""
    cfg[0x40] = 0x01
    cfg[0x41] = 0x50
    put16(cfg, 0x42, 0x0003)
    cfg[0x50] = 0x05
    cfg[0x51] = 0x70 if pcie_type is not None else 0x00
    put16(cfg, 0x52, 0x0080)            # 64-bit MSI
    if pcie_type is None:
        return
    p = 0x70
    cfg[p] = 0x10
    cfg[p + 1] = 0x00
    put16(cfg, p + 2, 0x0002 | (pcie_type << 4) | (0x100 if slot else 0))
    devcap = 0x00008001
    if pcie_type in (PCI_EXP_ENDPOINT, PCI_EXP_RC_END):
        devcap |= 1 << 28               # FLR
    put32(cfg, p + 4, devcap)
    put16(cfg, p + 8, 0x2810)
    put32(cfg, p + 0x0c, 0x00000083 | (port << 24))    # 8 GT/s x8
    put16(cfg, p + 0x10, 0x0040)
    put16(cfg, p + 0x12, 0x1083)
    if slot:
        put32(cfg, p + 0x14, 0x00000060 | (port << 19))
    put32(cfg, p + 0x24, 0x00000020 if ari_fwd else 0)     # ARI forwarding
    put16(cfg, p + 0x28, 0x0020 if ari_fwd else 0)
    put32(cfg, p + 0x2c, 0x0000000e)


def ext_caps(cfg, caps):
    """caps: list of (id, version, size, filler(cfg, pos)) from 0x100."""
    pos = 0x100
    for i, (cid, ver, size, fill) in enumerate(caps):
        nxt = pos + size if i + 1 < len(caps) else 0
        put32(cfg, pos, cid | (ver << 16) | (nxt << 20))
        if fill:
            fill(cfg, pos)
        pos += size


def aer():
    return (0x0001, 2, 0x48, None)


def acs(cap, ctrl):
    def fill(cfg, pos):
        put16(cfg, pos + 4, cap)
        put16(cfg, pos + 6, ctrl)
    return (0x000d, 1, 0x08, fill)


def ari(next_fn):
    def fill(cfg, pos):
        put16(cfg, pos + 4, next_fn << 8)
    return (0x000e, 1, 0x08, fill)


def sriov(total, num, offset, stride, vf_device):
    def fill(cfg, pos):
        put32(cfg, pos + 4, 0x00000002)             # ARI capable hierarchy
        put16(cfg, pos + 8, 0x0019 if num else 0)   # VFE MSE ARI
        put16(cfg, pos + 0x0c, total)
        put16(cfg, pos + 0x0e, total)
        put16(cfg, pos + 0x10, num)
        put16(cfg, pos + 0x14, offset)
        put16(cfg, pos + 0x16, stride)
        put16(cfg, pos + 0x1a, vf_device)
        put32(cfg, pos + 0x1c, 0x00000553)
        put32(cfg, pos + 0x20, 0x00000001)
        put32(cfg, pos + 0x24, 0x0000000c)          # VF BAR0 64-bit pref
    return (0x0010, 1, 0x40, fill)


class Machine:
    def __init__(self, n):
        self.left = n
        self.funcs = []
        self.domain = -1
        self.next_bus = 0
        self.next_rp = 0
        self.rp_index = 0
        self.new_domain()

    def new_domain(self):
        self.domain += 1
        if self.domain > 0xffff:
            sys.exit("gen-synthetic: too many functions")
        self.next_bus = 1
        self.next_rp = 1
        if self.left >= 1:
            cfg = header(0x8086, 0x2f00, 0x060000)
            std_caps(cfg, PCI_EXP_RC_END)
            ext_caps(cfg, [aer()])
            self.add(0, 0, 0, cfg, "Host bridge: host bridge")
        # chipset: 4 conventional functions sharing a slot, as PCH LPC /
        # SMBus / SATA / USB functions are: a multifunction group
        chip = [(0x8d44, 0x060100, "ISA bridge"), (0x8d22, 0x0c0500, "SMBus"),
                (0x8d02, 0x010601, "SATA controller"),
                (0x8d31, 0x0c0330, "USB controller")]
        for fn, (dev, cls, what) in enumerate(chip):
            if self.left < 1:
                break
            cfg = header(0x8086, dev, cls, mf=True, size=256)
            std_caps(cfg)
            self.add(0, CHIPSET_SLOT, fn, cfg, what + ": chipset")

    def add(self, bus, slot, fn, cfg, text):
        """Append one function; False when the budget is spent."""
        if self.left < 1:
            return False
        self.left -= 1
        addr = "%04x:%02x:%02x.%d" % (self.domain, bus, slot, fn)
        self.funcs.append(Func(addr, cfg, text))
        return True

    def add_devfn(self, bus, devfn, cfg, text):
        return self.add(bus, devfn >> 3, devfn & 7, cfg, text)

    def take_bus(self):
        b = self.next_bus
        self.next_bus += 1
        return b

    @staticmethod
    def bridge_buses(cfg, primary, secondary, subordinate):
        cfg[0x18] = primary
        cfg[0x19] = secondary
        cfg[0x1a] = subordinate

    # ---- endpoints below a port; `bus` is the port's secondary bus ----

    def sriov_device(self, bus, n_vfs):
        """One PF at devfn 0 with VFs at devfn 1.. (ARI, stride 1)."""
        if self.left < 1:
            return
        nvf = min(n_vfs, self.left - 1)
        cfg = header(0x15b3, 0x1017, 0x020000)
        std_caps(cfg, PCI_EXP_ENDPOINT)
        ext_caps(cfg, [aer(), ari(0), sriov(n_vfs, nvf, 1, 1, 0x1018)])
        self.add(bus, 0, 0, cfg, "Ethernet controller: SR-IOV PF")
        for k in range(nvf):
            self.add_devfn(bus, 1 + k, self.vf(), "Ethernet controller: VF")

    @staticmethod
    def vf():
        cfg = header(0xffff, 0xffff, 0x020000)
        cfg[0x0e] = 0
        std_caps(cfg, PCI_EXP_ENDPOINT)
        ext_caps(cfg, [ari(0)])
        return cfg

    def sriov_two_pf(self, bus, n_vfs):
        """PFs at devfn 0 and 1, VFs interleaved: offset 2 (PF1: 1 + 2 = 3),
        stride 2, as 2-port NICs lay them out.
        """
        pfs = min(2, self.left)
        nvf = [0, 0]
        budget = self.left - pfs
        for p in range(pfs):
            nvf[p] = max(0, min(n_vfs, budget))
            budget -= nvf[p]
        for p in range(pfs):
            cfg = header(0x8086, 0x10fb, 0x020000, mf=True)
            std_caps(cfg, PCI_EXP_ENDPOINT)
            ext_caps(cfg, [aer(), ari(1 if p == 0 else 0),
                           sriov(n_vfs, nvf[p], 2, 2, 0x10ed)])
            self.add(bus, 0, p, cfg, "Ethernet controller: 2-port PF")
        for p in range(pfs):
            for k in range(nvf[p]):
                self.add_devfn(bus, p + 2 + 2 * k, self.vf(),
                               "Ethernet controller: VF")

    def mf_endpoint(self, bus, nfn, with_acs):
        for fn in range(nfn):
            cfg = header(0x8086, 0x1521, 0x020000, mf=nfn > 1)
            std_caps(cfg, PCI_EXP_ENDPOINT)
            caps = [aer()]
            if with_acs:
                caps.append(acs(ACS_MF_CAP, ACS_MF_CAP))
            ext_caps(cfg, caps)
            if not self.add(bus, 0, fn, cfg,
                            "Ethernet controller: multi-function"):
                return

    def single_endpoint(self, bus):
        cfg = header(0x144d, 0xa808, 0x010802)
        std_caps(cfg, PCI_EXP_ENDPOINT)
        ext_caps(cfg, [aer()])
        self.add(bus, 0, 0, cfg, "Non-Volatile memory controller: NVMe")

    # ---- ports ----

    def port(self, bus, devfn, pcie_type, vendor, device, acs_mode, port_no):
        """A type 1 PCIe port; acs_mode None / 'on' / 'off'."""
        cfg = header(vendor, device, 0x060400, bridge=True)
        std_caps(cfg, pcie_type, slot=pcie_type != PCI_EXP_UPSTREAM,
                 ari_fwd=pcie_type != PCI_EXP_UPSTREAM, port=port_no)
        caps = [aer()]
        if acs_mode:
            caps.append(acs(ACS_CAP_PORT,
                            ACS_CTRL_ON if acs_mode == "on" else 0))
        ext_caps(cfg, caps)
        if not self.add_devfn(bus, devfn, cfg, "PCI bridge: port"):
            return None
        return cfg

    def switch(self, bus):
        usp = self.port(bus, 0, PCI_EXP_UPSTREAM, 0x10b5, 0x8747, None, 0)
        if usp is None:
            return
        inner = self.take_bus()
        for j in range(8):
            mode = (None, "on", "off")[j % 3]
            dsp = self.port(inner, j << 3, PCI_EXP_DOWNSTREAM, 0x10b5, 0x8747,
                            mode, j + 1)
            if dsp is None:
                break
            below = self.take_bus()
            kind = j % 4
            if kind == 0:
                self.sriov_device(below, 31)
            elif kind == 1:
                self.mf_endpoint(below, 4, with_acs=j % 8 == 1)
            elif kind == 2:
                self.single_endpoint(below)
            else:
                self.sriov_two_pf(below, 7)
            self.bridge_buses(dsp, inner, below, self.next_bus - 1)
        self.bridge_buses(usp, bus, inner, self.next_bus - 1)

    def pci_bridge(self, bus):
        cfg = header(0x12d8, 0xe111, 0x060400, bridge=True)
        std_caps(cfg, PCI_EXP_PCI_BRIDGE)
        ext_caps(cfg, [aer()])
        if not self.add(bus, 0, 0, cfg, "PCI bridge: PCIe to PCI bridge"):
            return
        conv = self.take_bus()
        # conventional functions: 256 bytes, no PCIe capability
        for slot, fn, mf in ((0, 0, True), (0, 1, True), (1, 0, False),
                             (2, 0, False)):
            c = header(0x1106, 0x3044, 0x0c0010, mf=mf, size=256)
            std_caps(c)
            if not self.add(conv, slot, fn, c, "FireWire: conventional PCI"):
                break
        self.bridge_buses(cfg, bus, conv, self.next_bus - 1)

    def root_port(self):
        # Buses a root port subtree may take (the switch shape is largest).
        if self.next_rp > MAX_RP_SLOT or self.next_bus + 12 > 0xff:
            self.new_domain()
        r = self.rp_index
        self.rp_index += 1
        mode = None if r % 5 == 4 else "on"
        cfg = self.port(0, self.next_rp << 3, PCI_EXP_ROOT_PORT, 0x8086,
                        0x2f04, mode, self.next_rp)
        self.next_rp += 1
        if cfg is None:
            return
        below = self.take_bus()
        shape = r % 4
        if shape == 0:
            self.switch(below)
        elif shape == 1:
            self.sriov_device(below, 63)
        elif shape == 2:
            self.pci_bridge(below)
        else:
            self.mf_endpoint(below, 8, with_acs=False)
        self.bridge_buses(cfg, 0, below, self.next_bus - 1)

    def build(self):
        while self.left > 0:
            self.root_port()


def class_text(f):
    return f.text.split(":")[0]


def write_dump(funcs, out):
    # lspci lists in address order
    for f in sorted(funcs, key=lambda f: f.addr):
        out.write("%s %s: Synthetic %s\n" % (f.addr, class_text(f),
                                             f.text.split(": ", 1)[1]))
        cfg = f.cfg
        out.write("\n".join("%02x: %s" % (off, cfg[off:off + 16].hex(" "))
                            for off in range(0, len(cfg), 16)))
        out.write("\n\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("functions", type=int, help="number of PCI functions")
    ap.add_argument("-o", "--output", default="-",
                    help="dump file (default: stdout)")
    ap.add_argument("--verify", action="store_true",
                    help="check that `lspci -F` reads back every function")
    args = ap.parse_args()
    if args.functions < 1:
        ap.error("need at least one function")
    if args.verify and args.output == "-":
        ap.error("--verify needs --output")

    m = Machine(args.functions)
    m.build()
    if args.output == "-":
        write_dump(m.funcs, sys.stdout)
    else:
        with open(args.output, "w") as out:
            write_dump(m.funcs, out)
    if args.verify:
        res = subprocess.run(["lspci", "-F", args.output, "-n"],
                             capture_output=True, text=True)
        got = len(res.stdout.splitlines())
        if res.returncode or got != args.functions:
            sys.exit("gen-synthetic: lspci -F read %d of %d functions: %s"
                     % (got, args.functions, res.stderr.strip()))
        print("gen-synthetic: %s: %d functions, %d domain(s), lspci reads all"
              % (args.output, got, m.domain + 1), file=sys.stderr)


if __name__ == "__main__":
    main()
