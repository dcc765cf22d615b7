#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""QEMU test bed: boot Debian kernels under TCG on named topologies.

For each kernel x topology the guest (tests/vm/guest-init.sh as /init) runs
the checks and prints ACSX-RESULT lines on the serial console; this side
drives hot-plug through the QEMU monitor when the guest asks for it, compares
acsexplain's JSON with the kernel's groups, saves the captures as fixtures
and prints the verdicts.  Pass or fail comes from the markers only: a run
without ACSX-DONE (timeout, panic, early exit of /init) fails.

Exit codes: 0 all checks passed (SKIPs allowed), 1 a check failed,
2 usage error, 3 missing host input (kernel, initramfs build).
"""

import argparse
import concurrent.futures
import copy
import glob
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time

import randtopo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOPO_DIR = os.path.join(HERE, "topologies")
BUILD = os.path.join(ROOT, "build", "vm")
FIXTURES = os.path.join(ROOT, "tests", "user", "fixtures", "vm")
PAIR_FIXTURES = os.path.join(ROOT, "tests", "user", "fixtures", "vm-pair")
RANDOM_DIR = os.path.join(BUILD, "random")

# Short kernel names the bed knows, mapped to installed Debian releases;
# MAINLINE is the kernel scripts/build-mainline.sh builds from Debian
# unstable's linux-source-7.2 into its cache.
MAINLINE = "mainline"
KERNELS = {"6.1": "6.1.0-*-amd64", "6.12": "6.12.*+deb12-amd64",
           "7.2": MAINLINE}
MAINLINE_CACHE = os.environ.get("ACSX_MAINLINE_CACHE",
                                "/var/cache/acsexplain/mainline")
# Seconds a guest may take unless --timeout says otherwise.  The mainline
# kernel carries KASAN, lockdep and kmemleak (tests/vm/mainline.config,
# shared with KUnit): under TCG it reached /init after about 290 s on the
# shared machine (load average 16) where Debian's kernels take seconds, and
# whole guests took 228 s (load 10) to over 900 s (load 16).
DEFAULT_TIMEOUT = {"6.1": 240, "6.12": 240, "7.2": 1800}

# Capture name in the log -> fixture file name.
FIXTURE_FILES = {
    "lspci-xxxx": "lspci-xxxx.txt",
    "lspci-vvv": "lspci-vvv.txt",
    "groups": "groups.txt",
    "uname": "uname.txt",
    "cmdline": "cmdline.txt",
}

# Keys only the guest (guest-init.sh) reads; an unknown key is an error, so
# a mistyped expectation cannot be skipped silently.
GUEST_EXPECTATIONS = {"expect-same-group", "expect-own-group",
                      "expect-diff-group", "expect-exists",
                      "expect-no-groups", "expect-has-groups"}
GUEST_KEYS = {"sriov_vfs", "name", "demo", "bench-min-ratio",
              "stress", "ynl-cli", "ynl-spec"} | GUEST_EXPECTATIONS

# The kernel's YNL CLI and the family's spec, run in guests that get the
# host's root (topology key host-root).
# From the tree scripts/build-mainline.sh extracts, or the YNL tools alone
# that scripts/ynl-gen.sh extracts without it.
YNL_CLI = next((p for p in (
    os.path.join(MAINLINE_CACHE, d, "linux-source-7.2", "tools", "net",
                 "ynl", "pyynl", "cli.py") for d in ("", "ynl-tools"))
    if os.path.exists(p)), None)
YNL_SPEC = os.path.join(ROOT, "Documentation", "netlink", "specs",
                        "acs_inspect.yaml")

print_lock = threading.Lock()


def say(msg):
    with print_lock:
        print(msg, flush=True)


class UsageError(Exception):
    pass


class HostError(Exception):
    pass


def full_addr(a):
    return a if a.count(":") == 2 else "0000:" + a


# --- topology files -------------------------------------------------------

class Topology:
    """One tests/vm/topologies/NAME.topo file (see Documentation/testbed.md)."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[: -len(".topo")]
        self.about = []
        self.iommu = None
        self.machine = []
        self.append = []
        self.devices = []
        self.hotplug = []
        self.expect_reasons = []
        self.groups_as = None
        self.kernels = None
        self.host_root = False
        self.random = False  # generated: no fixtures of its own
        self.extra = ""     # lines the runner adds for the guest (demo)
        with open(path) as f:
            self.text = f.read()
        for n, line in enumerate(self.text.splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                self.about.append(line.lstrip("# "))
                continue
            if ":" not in line:
                raise UsageError("%s:%d: expected 'key: value'" % (path, n))
            key, val = (s.strip() for s in line.split(":", 1))
            # KEY@KERNEL: the line holds on that kernel only.
            key, _, only = key.partition("@")
            if only and only not in KERNELS:
                raise UsageError("%s:%d: unknown kernel '%s' after @"
                                 % (path, n, only))
            if only and not (key.startswith("expect-") or
                             key.startswith("hotplug-expect-")):
                raise UsageError("%s:%d: only expectations take @KERNEL"
                                 % (path, n))
            if key == "iommu":
                if val not in ("intel", "amd", "none"):
                    raise UsageError("%s:%d: iommu must be intel, amd or none"
                                     % (path, n))
                self.iommu = val
            elif key == "machine":
                self.machine.append(val)
            elif key == "append":
                self.append.append(val)
            elif key == "device":
                self.devices.append(val)
            elif key == "kernels":
                self.kernels = val.split()
            elif key == "host-root":
                if val != "ro":
                    raise UsageError("%s:%d: host-root: ro (the only mode)"
                                     % (path, n))
                self.host_root = True
            elif key == "hotplug":
                parts = val.split()
                if len(parts) != 3:
                    raise UsageError("%s:%d: hotplug: ID ADDRESS DEVICE-ARGS"
                                     % (path, n))
                self.hotplug.append(parts)
            elif key == "expect-reason":
                parts = val.split()
                if len(parts) not in (2, 3):
                    raise UsageError("%s:%d: expect-reason: DEVICE AT-FAULT "
                                     "[CODE[|CODE...]]" % (path, n))
                codes = set(parts[2].split("|")) if len(parts) == 3 else None
                self.expect_reasons.append((full_addr(parts[0]),
                                            full_addr(parts[1]), codes, only))
            elif key == "expect-groups-as":
                self.groups_as = val
            elif key in GUEST_KEYS or \
                    key.replace("hotplug-", "", 1) in GUEST_EXPECTATIONS:
                pass  # read by the guest
            else:
                raise UsageError("%s:%d: unknown key '%s'" % (path, n, key))
        if self.iommu is None:
            raise UsageError("%s: no 'iommu:' line" % path)
        if not self.about:
            raise UsageError("%s: no comment saying what the machine models"
                             % path)

    def guest_text(self, kshort):
        """The file as the guest sees it on kernel KSHORT: lines for other
        kernels dropped, the @KERNEL tag of the others removed."""
        out = []
        for line in self.text.splitlines():
            m = re.match(r"^([a-z-]+)@([0-9.]+):(.*)$", line.strip())
            if m:
                if m.group(2) != kshort:
                    continue
                line = m.group(1) + ":" + m.group(3)
            out.append(line)
        extra = self.extra
        if self.host_root:
            extra += "ynl-cli: %s\nynl-spec: %s\n" % (YNL_CLI, YNL_SPEC)
        return "\n".join(out) + "\nname: %s\n%s" % (self.name, extra)

    def qemu_args(self, log, monitor):
        machine = "q35"
        if self.iommu == "intel":
            machine += ",kernel-irqchip=split"
        for m in self.machine:
            machine += "," + m
        args = ["qemu-system-x86_64", "-nodefaults", "-accel", "tcg",
                "-M", machine, "-m", "512", "-smp", "1", "-display", "none",
                "-no-reboot", "-serial", "file:" + log,
                "-monitor", "unix:%s,server=on,wait=off" % monitor]
        # The IOMMU must come before the devices it translates for.
        if self.iommu == "intel":
            args += ["-device", "intel-iommu,intremap=on"]
        elif self.iommu == "amd":
            args += ["-device", "amd-iommu"]
        for d in self.devices:
            args += ["-device", d]
        if self.host_root:
            # virtio-9p-pci on the root bus: one more device in the guest.
            args += ["-virtfs", "local,path=/,mount_tag=hostroot,"
                     "security_model=none,readonly=on"]
        return args

    def cmdline(self):
        # no_timer_check: under TCG on a busy host the IO-APIC timer test
        # can miss its window and panic ("timer doesn't work through
        # Interrupt-remapped IO-APIC") before anything of ours runs.
        parts = ["console=ttyS0", "panic=-1", "oops=panic", "no_timer_check"]
        if self.iommu == "intel":
            parts.append("intel_iommu=on")
        parts += self.append
        return " ".join(parts)


def load_topologies(names):
    if not names:
        paths = sorted(glob.glob(os.path.join(TOPO_DIR, "*.topo")))
    else:
        paths = []
        for n in names:
            p = n if n.endswith(".topo") else os.path.join(TOPO_DIR, n + ".topo")
            if not os.path.exists(p):
                raise UsageError("unknown topology '%s' (no %s)" % (n, p))
            paths.append(p)
    return [Topology(p) for p in paths]


def resolve_kernel(short):
    """(release, kernel image) of short name SHORT."""
    if KERNELS[short] == MAINLINE:
        p = subprocess.run([os.path.join(ROOT, "scripts", "build-mainline.sh"),
                            "--release"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise HostError(p.stderr.strip() or "no %s kernel" % short)
        rel = p.stdout.strip()
        return rel, os.path.join(MAINLINE_CACHE, "build", "arch", "x86",
                                 "boot", "bzImage")
    rels = sorted(os.path.basename(p)[len("vmlinuz-"):] for p in
                  glob.glob("/boot/vmlinuz-" + KERNELS[short]))
    if not rels:
        raise HostError("no installed kernel matches %s (/boot/vmlinuz-%s)"
                        % (short, KERNELS[short]))
    return rels[-1], "/boot/vmlinuz-" + rels[-1]


def build_initramfs(rel):
    p = subprocess.run([os.path.join(HERE, "mkinitramfs.sh"), rel],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise HostError(p.stderr.strip() or "mkinitramfs.sh %s failed" % rel)
    return p.stdout.strip().splitlines()[-1]


def topo_cpio(text, path):
    """A gzipped cpio holding /topo, appended to the initramfs (the kernel
    unpacks concatenated archives in order; a compressed one needs no
    alignment)."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "topo"), "w") as f:
            f.write(text)
        with open(path, "wb") as out:
            cpio = subprocess.Popen(["cpio", "-o", "-H", "newc", "--quiet",
                                     "-R", "0:0"], cwd=d, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE)
            gz = subprocess.Popen(["gzip", "-1"], stdin=cpio.stdout, stdout=out)
            cpio.stdout.close()
            cpio.communicate(b"topo\n")
            gz.wait()
            if cpio.returncode != 0 or gz.returncode != 0:
                raise HostError("cpio | gzip failed")


# --- one boot -------------------------------------------------------------

def monitor_cmd(sock_path, cmd):
    """Send one HMP command; return its output (the text before the next
    prompt)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock_path)
    buf = b""
    try:
        while not buf.endswith(b"(qemu) "):
            buf += s.recv(4096)
        s.sendall(cmd.encode() + b"\n")
        buf = b""
        while b"(qemu) " not in buf:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    out = buf.decode(errors="replace").replace("\r", "")
    out = out.split("(qemu) ")[0]
    # The monitor echoes the command line first.
    lines = [l for l in out.split("\n") if l.strip() and cmd not in l]
    return "\n".join(lines)


class Run:
    def __init__(self, topo, kshort, rel, initramfs, timeout, keep, workdir,
                 demo=False, image=None):
        self.demo = demo
        self.write_fixtures = True
        self.topo = topo
        self.kshort = kshort
        self.rel = rel
        self.image = image or "/boot/vmlinuz-" + rel
        self.initramfs = initramfs
        self.timeout = timeout
        self.keep = keep
        self.dir = os.path.join(workdir, "%s-%s%s" % (
            topo.name, kshort, "-demo" if demo else ""))
        self.results = []   # (check, verdict, detail)
        self.log = os.path.join(self.dir, "serial.log")

    def add(self, check, verdict, detail):
        self.results.append((check, verdict, detail))

    def boot(self):
        os.makedirs(self.dir, exist_ok=True)
        run_cpio = os.path.join(self.dir, "initramfs.cpio.gz")
        tcpio = os.path.join(self.dir, "topo.cpio.gz")
        topo_cpio(self.topo.guest_text(self.kshort), tcpio)
        with open(run_cpio, "wb") as out:
            for p in (self.initramfs, tcpio):
                with open(p, "rb") as f:
                    out.write(f.read())
        self.retried = None
        done, rc, text = self.run_qemu(run_cpio)
        if not done and not self.timed_out and not re.search(
                r"^ACSX-BOOT ", text, re.M):
            # The kernel died before /init ran: nothing of ours was tested
            # yet.  Boot once more; a second failure counts.
            first = os.path.join(self.dir, "serial-first-boot.log")
            if os.path.exists(self.log):
                os.replace(self.log, first)
            last = [l for l in text.splitlines() if "panic" in l.lower()]
            self.retried = "%s (log %s)" % (
                last[0].strip() if last else "QEMU exited %s" % rc,
                os.path.relpath(first, ROOT))
            say("note: %s on %s died before /init: %s; booting again"
                % (self.topo.name, self.kshort, self.retried))
            done, rc, text = self.run_qemu(run_cpio)
        self.parse(text, done, rc)
        if not self.keep:
            for f in (run_cpio, tcpio):
                os.unlink(f)

    def run_qemu(self, run_cpio):
        """One boot; returns (ACSX-DONE seen, QEMU's status, the log)."""
        for f in ("serial.log", "monitor.sock"):
            try:
                os.unlink(os.path.join(self.dir, f))
            except FileNotFoundError:
                pass
        mon = os.path.join(self.dir, "monitor.sock")
        args = self.topo.qemu_args(self.log, mon)
        args += ["-kernel", self.image, "-initrd", run_cpio,
                 "-append", self.topo.cmdline()]
        with open(os.path.join(self.dir, "qemu-cmd.txt"), "w") as f:
            f.write(" ".join(shlex.quote(a) for a in args) + "\n")
        qerr = open(os.path.join(self.dir, "qemu.err"), "w")
        start = time.time()
        q = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                             stdout=qerr, stderr=qerr)
        handled = set()
        done = False
        self.timed_out = False
        # When /init started: the kernel's share of the guest's time.
        self.init_at = None
        try:
            while True:
                text = self.read_log()
                if self.init_at is None and re.search(r"^ACSX-BOOT ", text,
                                                      re.M):
                    self.init_at = time.time() - start
                for m in re.finditer(r"^ACSX-HOTPLUG (add|del) (\S+) (\S+)\s*$",
                                     text, re.M):
                    key = (m.group(1), m.group(2))
                    if key not in handled:
                        handled.add(key)
                        self.hotplug(mon, m.group(1), m.group(2))
                if re.search(r"^ACSX-DONE\s*$", text, re.M):
                    done = True
                if done or q.poll() is not None:
                    break
                if time.time() - start > self.timeout:
                    self.timed_out = True
                    break
                time.sleep(0.25)
            if done:
                # /init powers off right after ACSX-DONE.
                try:
                    q.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            if q.poll() is None:
                q.kill()
                q.wait()
            qerr.close()
        self.elapsed = time.time() - start
        return done, q.returncode, self.read_log()

    def read_log(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode(errors="replace").replace("\r", "")
        except FileNotFoundError:
            return ""

    def hotplug(self, mon, action, hid):
        spec = next((h for h in self.topo.hotplug if h[0] == hid), None)
        if spec is None:
            self.add("hotplug-host:" + hid, "FAIL",
                     "guest asked for unknown hot-plug id")
            return
        if action == "add":
            cmd = "device_add %s,id=%s" % (spec[2], hid)
        else:
            cmd = "device_del %s" % hid
        try:
            out = monitor_cmd(mon, cmd)
        except OSError as e:
            self.add("hotplug-host-%s:%s" % (action, hid), "FAIL",
                     "monitor: %s" % e)
            return
        if out.strip():
            self.add("hotplug-host-%s:%s" % (action, hid), "FAIL",
                     "%s: %s" % (cmd, out.strip()))

    def parse(self, text, done, rc):
        self.captures = {}
        for m in re.finditer(r"^ACSX-BEGIN (\S+)\n(.*?)^ACSX-END \1 rc=(\d+)\s*$",
                             text, re.M | re.S):
            self.captures[m.group(1)] = (m.group(2), int(m.group(3)))
        for m in re.finditer(r"^ACSX-RESULT (\S+) (PASS|FAIL|SKIP) ?(.*)$",
                             text, re.M):
            self.add(m.group(1), m.group(2), m.group(3).strip())
            if m.group(1).startswith("bench-"):
                # figures are printed for people, whatever they are
                say("%s on %s: %s" % (m.group(1), self.kshort,
                                      m.group(3).strip()))
        if not done:
            why = ("timeout after %ds" % self.timeout if self.timed_out
                   else "QEMU exited (%s) before ACSX-DONE" % rc)
            if not text:
                with open(os.path.join(self.dir, "qemu.err")) as f:
                    why += "; qemu: " + f.read().strip()[-300:]
            self.add("done", "FAIL", why)
            tail = "\n".join(text.rstrip("\n").split("\n")[-25:])
            say("---- %s on %s: no ACSX-DONE, last lines of %s:\n%s\n----"
                % (self.topo.name, self.kshort, self.log, tail))
            return
        self.add("done", "PASS", "guest finished in %.0fs, /init after "
                 "%.0fs%s" % (self.elapsed, self.init_at or 0,
                              "; first boot died before /init: " +
                              self.retried if self.retried else ""))
        if self.demo:
            return
        if self.save_fixtures(self.write_fixtures):
            self.check_tool()
            if self.topo.host_root:
                self.check_ynl()
            if self.topo.iommu == "amd":
                self.check_ivrs_alias()

    def save_fixtures(self, write):
        missing = [c for c in FIXTURE_FILES if c not in self.captures]
        if missing:
            self.add("capture", "FAIL", "missing: " + " ".join(missing))
            return False
        d = os.path.join(FIXTURES, "%s-%s" % (self.topo.name, self.kshort))
        if not write:
            d = os.path.join(self.dir, "fixtures")
        os.makedirs(d, exist_ok=True)
        for cap, fname in FIXTURE_FILES.items():
            body, rc = self.captures[cap]
            if rc != 0:
                self.add("capture", "FAIL", "%s exited %d" % (cap, rc))
                return False
            if cap == "groups":
                body = "".join(sorted(body.splitlines(True)))
            p = os.path.join(d, fname)
            old = None
            if os.path.exists(p):
                with open(p) as f:
                    old = f.read()
            if old != body:
                with open(p, "w") as f:
                    f.write(body)
        # The module snapshot exists only when tool and module ran.
        if "snapshot" in self.captures:
            body, rc = self.captures["snapshot"]
            if rc != 0:
                self.add("snapshot", "FAIL", "acsexplain --save exited %d: %s"
                         % (rc, body.strip()[-200:]))
            else:
                p = os.path.join(d, "snapshot-module.json")
                old = open(p).read() if os.path.exists(p) else None
                if old != body:
                    with open(p, "w") as f:
                        f.write(body)
                self.add("snapshot", "PASS", "snapshot-module.json saved")
        self.add("capture", "PASS", "fixtures in " + os.path.relpath(d, ROOT))
        return True

    def check_ivrs_alias(self):
        """AMD-Vi: QEMU's IVRS aliases every device behind a PCIe-to-PCI
        bridge to secondary:00.0, and amd_iommu's setup_aliases() adds
        that to the device's dma_alias_mask (same bus): the module must
        report it (acsexplain uses the module's masks).  Nothing to check
        without such a bridge or without the module's snapshot."""
        if "snapshot" not in self.captures or self.captures["snapshot"][1]:
            return
        try:
            devs = json.loads(self.captures["snapshot"][0])["devices"]
        except (ValueError, KeyError):
            return      # the snapshot check reports it
        secondaries = {(d["address"][:4], d["secondary"]) for d in devs
                       if d.get("is_pcie") and d.get("pcie_type") == 7}
        behind = [d for d in devs if (d["address"][:4], int(
            d["address"][5:7], 16)) in secondaries]
        if not behind:
            return
        bad = [d["address"] for d in behind
               if not d["kernel"].get("has_alias_mask") or
               not int(d["kernel"]["alias_mask"][:2], 16) & 1]
        if bad:
            self.add("ivrs-alias", "FAIL", "no IVRS alias secondary:00.0 "
                     "in the module's mask of %s" % ", ".join(bad))
        else:
            self.add("ivrs-alias", "PASS", "the module reports the IVRS "
                     "alias secondary:00.0 for %d devices behind a "
                     "PCIe-to-PCI bridge" % len(behind))

    def ynl_json(self, cap):
        """The parsed output of the guest's YNL CLI run CAP, or None (and a
        failure) when it did not run or printed no JSON."""
        if cap not in self.captures:
            self.add(cap, "FAIL", "the guest did not run the YNL CLI")
            return None
        body, rc = self.captures[cap]
        if rc != 0:
            self.add(cap, "FAIL", "cli.py exited %d: %s" % (
                rc, " ".join(body.strip().splitlines()[-2:])))
            return None
        try:
            return json.loads(body)
        except ValueError as e:
            self.add(cap, "FAIL", "no JSON from cli.py: %s" % e)
            return None

    def check_ynl(self):
        """The family driven by the kernel's YNL CLI from the spec: its
        answers must be the kernel's (sysfs groups, lspci's devices)."""
        kgroups = self.kernel_groups()
        devices = self.devices_seen()

        def addr(m):
            return "%04x:%02x:%02x.%d" % (m["domain"], m["bus"],
                                          m["devfn"] >> 3, m["devfn"] & 7)

        info = self.ynl_json("ynl-info")
        if info is not None:
            if info.get("device-count") == len(devices):
                self.add("ynl-info", "PASS", "get-info: %d devices, "
                         "module %s" % (len(devices),
                                        info.get("module-version")))
            else:
                self.add("ynl-info", "FAIL", "device-count %s, lspci lists "
                         "%d" % (info.get("device-count"), len(devices)))
        dump = self.ynl_json("ynl-dump")
        if dump is not None:
            problems = []
            try:
                got = {addr(m): m.get("iommu-group") for m in dump}
            except (KeyError, TypeError) as e:
                got = {}
                problems.append("reply without address: %s" % e)
            if set(got) != devices:
                problems.append("devices differ from lspci: missing %s, "
                                "extra %s" % (sorted(devices - set(got)),
                                              sorted(set(got) - devices)))
            for a, g in sorted(got.items()):
                if g != kgroups.get(a):
                    problems.append("%s iommu-group %s, sysfs %s"
                                    % (a, g, kgroups.get(a)))
            if problems:
                self.add("ynl-dump", "FAIL", "; ".join(problems[:4]))
            else:
                self.add("ynl-dump", "PASS", "dump get-device: %d devices, "
                         "groups as in sysfs" % len(got))
        m = re.search(r"^ACSX-YNL-ADDR (\S+)", self.read_log(), re.M)
        want = m.group(1) if m else None
        one = self.ynl_json("ynl-get")
        if one is not None:
            if want and addr(one) == want and \
                    one.get("iommu-group") == kgroups.get(want):
                self.add("ynl-get", "PASS", "do get-device %s: group %s"
                         % (want, one.get("iommu-group")))
            else:
                self.add("ynl-get", "FAIL", "asked %s, got %s group %s "
                         "(sysfs %s)" % (want, addr(one),
                                         one.get("iommu-group"),
                                         kgroups.get(want)))
        path = self.ynl_json("ynl-path")
        if path is not None:
            hops = path.get("hop") or []
            if path.get("hop-count") == len(hops) and hops and \
                    addr(hops[0]) == want:
                self.add("ynl-path", "PASS", "do get-path %s: %s" % (
                    want, " -> ".join(addr(h) for h in hops)))
            else:
                self.add("ynl-path", "FAIL", "hop-count %s, %d hops, first "
                         "%s (asked %s)" % (path.get("hop-count"), len(hops),
                                            addr(hops[0]) if hops else None,
                                            want))
        pol = self.ynl_json("ynl-policy")
        if pol is not None:
            # The attributes the kernel accepts for do get-device are
            # exactly those the spec's request lists.
            names = sorted(pol) if isinstance(pol, dict) else pol
            if sorted(names) == ["bus", "devfn", "domain"]:
                self.add("ynl-policy", "PASS", "kernel policy of "
                         "get-device: %s" % ", ".join(names))
            else:
                self.add("ynl-policy", "FAIL", "kernel policy of "
                         "get-device: %s, spec: bus, devfn, domain" % names)

    def kernel_groups(self, body=None):
        groups = {}
        if body is None:
            body = self.captures["groups"][0]
        for line in body.splitlines():
            m = re.match(r"/sys/kernel/iommu_groups/(\d+)/devices/(\S+)$", line)
            if m:
                groups[m.group(2)] = int(m.group(1))
        return groups

    def devices_seen(self):
        body = self.captures["lspci-xxxx"][0]
        return {full_addr(m.group(1)) for m in
                re.finditer(r"^([0-9a-f:]+\.[0-7]) ", body, re.M)}

    def check_tool(self):
        kgroups = self.kernel_groups()
        devices = self.devices_seen()
        for tag in ("module", "sysfs", "hotplug-added", "hotplug-removed"):
            names = [c for c in self.captures if c == "json-" + tag
                     or c.startswith("json-%s-" % tag)]
            for cap in names:
                body, rc = self.captures[cap]
                check = "partition-" + cap[len("json-"):]
                if rc != 0:
                    self.add(check, "FAIL", "acsexplain exited %d: %s"
                             % (rc, body.strip().splitlines()[-1:]))
                    continue
                if tag.startswith("hotplug"):
                    # Only the module's liveness and the new device's
                    # presence are judged; the groups were captured before.
                    self.check_hotplug_json(check, body, tag)
                    continue
                self.compare(check, body, kgroups, devices)

    def parse_json(self, check, body):
        try:
            doc = json.loads(body)
            devs = doc["devices"]
            for d in devs:
                d["address"], d["predicted_group"], d["kernel_group"]
            return devs
        except (ValueError, KeyError, TypeError) as e:
            self.add(check, "FAIL", "bad JSON from acsexplain: %s" % e)
            return None

    def check_hotplug_json(self, check, body, tag):
        devs = self.parse_json(check, body)
        if devs is None:
            return
        addrs = {d["address"] for d in devs}
        for h in self.topo.hotplug:
            a = full_addr(h[1])
            want = tag == "hotplug-added"
            if (a in addrs) != want:
                self.add(check, "FAIL", "%s %s in acsexplain --all after %s"
                         % (a, "missing" if want else "still", tag))
                return
        self.add(check, "PASS", "module answered, %d devices" % len(devs))

    def compare(self, check, body, kgroups, devices):
        devs = self.parse_json(check, body)
        if devs is None:
            return
        problems = []
        addrs = {d["address"] for d in devs}
        if addrs != devices:
            problems.append("devices differ from lspci: missing %s, extra %s"
                            % (sorted(devices - addrs), sorted(addrs - devices)))
        for d in devs:
            kg = kgroups.get(d["address"])
            if d["kernel_group"] != kg:
                problems.append("%s kernel_group %s, sysfs says %s"
                                % (d["address"], d["kernel_group"], kg))
        basis = ""
        if not kgroups and self.topo.groups_as:
            # No IOMMU here: the groups it would make are those the kernel
            # made on the same machine with an IOMMU (that topology's
            # captured groups on this kernel).
            ref = os.path.join(FIXTURES, "%s-%s" % (self.topo.groups_as,
                                                    self.kshort), "groups.txt")
            if not os.path.exists(ref):
                self.add(check, "FAIL", "no %s to compare with (run %s first)"
                         % (os.path.relpath(ref, ROOT), self.topo.groups_as))
                return
            with open(ref) as f:
                kgroups = self.kernel_groups(f.read())
            if set(kgroups) != addrs:
                problems.append("devices differ from %s: %s" % (
                    self.topo.groups_as, sorted(set(kgroups) ^ addrs)))
            basis = " (as %s's kernel groups)" % self.topo.groups_as
        if not kgroups:
            if problems:
                self.add(check, "FAIL", "; ".join(problems[:4]))
            else:
                self.add(check, "SKIP", "kernel made no groups to compare "
                         "(%d devices listed)" % len(devs))
            return
        # Same partition: two devices share predicted_group iff they share
        # the kernel's group (devices the kernel left without a group are
        # not part of the comparison).
        ingroup = [d for d in devs if d["address"] in kgroups]
        for i, a in enumerate(ingroup):
            for b in ingroup[i + 1:]:
                same_k = kgroups[a["address"]] == kgroups[b["address"]]
                same_p = (a["predicted_group"] is not None and
                          a["predicted_group"] == b["predicted_group"])
                if same_k != same_p:
                    problems.append("%s and %s: kernel %s, acsexplain %s" % (
                        a["address"], b["address"],
                        "together" if same_k else "apart",
                        "together" if same_p else "apart"))
        byaddr = {d["address"]: d for d in devs}
        reasons = [(d, at, codes) for d, at, codes, only
                   in self.topo.expect_reasons
                   if not only or only == self.kshort]
        for dev, at, codes in reasons:
            got = byaddr.get(dev, {}).get("reasons") or []
            if not any(r.get("at") == at and
                       (codes is None or r.get("code") in codes)
                       for r in got):
                problems.append("%s: no reason %sat %s (got %s)" % (
                    dev, "/".join(sorted(codes)) + " " if codes else "", at,
                    ", ".join("%s at %s" % (r.get("code"), r.get("at"))
                              for r in got) or "none"))
        if problems:
            self.add(check, "FAIL", "%d problems: %s" % (
                len(problems), "; ".join(problems[:4])))
        else:
            self.add(check, "PASS", "%d devices, %d groups agree%s%s" % (
                len(ingroup), len(set(kgroups.values())), basis,
                ", %d reasons right" % len(reasons) if reasons else ""))


# --iommu-pair: the same machine booted without an IOMMU, then with
# intel-iommu and with amd-iommu.  The tool predicts on the host from the
# first boot's config space; the kernels of the other two are the judges.
PAIR_ON = ("intel", "amd")


def pair_variant(topo, iommu):
    """The topology with another IOMMU and no expectations of its own
    (they were written for its IOMMU); only whether groups exist."""
    v = copy.copy(topo)
    v.iommu = iommu
    v.name = "%s+iommu-%s" % (topo.name, iommu)
    v.expect_reasons = []
    lines = []
    for line in topo.text.splitlines():
        key = line.strip().split(":", 1)[0].split("@", 1)[0]
        if key.startswith("expect-") or key.startswith("hotplug-expect-"):
            continue
        if key == "iommu":
            line = "iommu: " + iommu
        lines.append(line)
    lines.append("expect-no-groups: -" if iommu == "none"
                 else "expect-has-groups: -")
    v.text = "\n".join(lines) + "\n"
    return v


def partition(groups, addrs):
    parts = {}
    for a in addrs:
        parts.setdefault(groups[a], set()).add(a)
    return sorted(sorted(p) for p in parts.values())


def pair_save(topo, off, ons, kshort):
    """The captures tests/user/vmpair.py judges offline, in
    tests/user/fixtures/vm-pair/TOPOLOGY-KERNEL/ (with the topology file,
    so that a random machine can be booted again)."""
    d = os.path.join(PAIR_FIXTURES, "%s-%s" % (topo.name, kshort))
    os.makedirs(d, exist_ok=True)
    files = {"lspci-xxxx-off.txt": off.captures["lspci-xxxx"][0],
             "uname.txt": off.captures["uname"][0],
             "cmdline-off.txt": off.captures["cmdline"][0],
             "topology.topo": topo.text}
    for on in ons:
        if "groups" in getattr(on, "captures", {}):
            files["groups-%s.txt" % on.topo.iommu] = "".join(
                sorted(on.captures["groups"][0].splitlines(True)))
    for name, body in files.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(body)
    return d


def pair_judge(off, ons, tool):
    """(check, verdict, detail) for each IOMMU: the prediction from the
    IOMMU-off boot against that kernel's groups, on the devices both
    boots have (amd-iommu is itself a PCI function, without a group)."""
    out = []
    if not all(c in getattr(off, "captures", {})
               for c in ("lspci-xxxx", "uname", "cmdline")):
        return [("pair", "FAIL", "the IOMMU-off boot captured no config space")]
    dump = os.path.join(off.dir, "lspci-xxxx-off.txt")
    with open(dump, "w") as f:
        f.write(off.captures["lspci-xxxx"][0])
    uname = off.captures["uname"][0].strip()
    cmdline = off.captures["cmdline"][0].strip()
    base = [tool, "--from", dump, "--all", "--json", "--kernel", uname,
            "--kernel-cmdline", cmdline]
    preds = {}
    for tag, extra in (("predicted", []),
                       ("as-read", ["--what-if", "iommu=off"])):
        p = subprocess.run(base + extra, capture_output=True, text=True)
        if p.returncode != 0:
            return [("pair", "FAIL", "acsexplain %s exited %d: %s" % (
                " ".join(extra), p.returncode, p.stderr.strip()[-200:]))]
        doc = json.loads(p.stdout)
        # acsexplain/2: the changed machine under "what_if"
        devs = doc["what_if"]["devices"] if extra else doc["devices"]
        preds[tag] = {d["address"]: d["predicted_group"] for d in devs}
    for on in ons:
        check = "pair-%s" % on.topo.iommu
        if "groups" not in getattr(on, "captures", {}):
            out.append((check, "FAIL", "no group listing from that boot"))
            continue
        kg = on.kernel_groups()
        common = sorted(a for a in kg if a in preds["predicted"])
        want = partition(kg, common)
        got = partition(preds["predicted"], common)
        asread = partition(preds["as-read"], common)
        note = ("; the controls as read would give %s" % (
            "the same" if asread == want else "other groups"))
        if got == want:
            out.append((check, "PASS", "%d devices, %d groups as the kernel "
                        "made them%s" % (len(common), len(want), note)))
        else:
            out.append((check, "FAIL", "predicted %s, kernel %s" % (
                got, want)))
    return out


def timeout_for(a, kshort):
    return a.timeout if a.timeout is not None else DEFAULT_TIMEOUT[kshort]


def demo(topo, kshort, rel, img, a, logdir, image):
    r = Run(topo, kshort, rel, img, timeout_for(a, kshort), a.keep, logdir,
            demo=True, image=image)
    r.boot()
    for check, verdict, detail in r.results:
        if verdict == "FAIL":
            print("demo: %s: %s" % (check, detail), file=sys.stderr)
    if "demo" not in r.captures:
        print("demo: the guest did not run acsexplain (log: %s)"
              % os.path.relpath(r.log, os.getcwd()), file=sys.stderr)
        return 1
    body, rc = r.captures["demo"]
    sys.stdout.write(body)
    if rc != 0:
        print("demo: acsexplain exited %d in the guest" % rc, file=sys.stderr)
    return 0 if rc == 0 else 1


# --- main -----------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        prog="tests/vm/run.sh",
        description="Boot Debian kernels in QEMU (TCG) on the topologies in "
        "tests/vm/topologies and run the checks inside the guest.")
    # The mainline kernel is opt-in: it exists only once
    # scripts/build-mainline.sh has built it.
    ap.add_argument("--kernel", default="6.1,6.12",
                    help="%s, a comma list of them, or all (default "
                    "6.1,6.12: Debian's kernels)" % ", ".join(KERNELS))
    ap.add_argument("--all", action="store_true",
                    help="every topology (the default when none is named)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the per-run initramfs next to the logs")
    ap.add_argument("--jobs", type=int, default=2,
                    help="guests booted in parallel (default 2)")
    ap.add_argument("--timeout", type=int,
                    help="seconds per guest before it counts as hung "
                    "(default %s)" % ", ".join(
                        "%d on %s" % (v, k) for k, v in DEFAULT_TIMEOUT.items()))
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print every check, not only failures")
    ap.add_argument("--no-fixtures", action="store_true",
                    help="do not write tests/user/fixtures/vm")
    ap.add_argument("--demo", metavar="ARGS",
                    help="demo mode: boot one topology on one kernel, run "
                    "'acsexplain ARGS' in the guest and show its output")
    ap.add_argument("--iommu-pair", action="store_true",
                    help="boot each topology without an IOMMU, predict its "
                    "groups on the host from that boot's config space, and "
                    "judge them by booting it with intel-iommu and amd-iommu")
    ap.add_argument("--random", type=int, metavar="N", default=0,
                    help="also N random topologies (tests/vm/randtopo.py), "
                    "written to build/vm/random/")
    ap.add_argument("--seed", type=int, default=1,
                    help="seed of the random topologies (default 1)")
    ap.add_argument("topology", nargs="*")
    try:
        a = ap.parse_args()
    except SystemExit as e:
        return 2 if e.code else 0
    try:
        if a.kernel == "all":
            kshorts = list(KERNELS)
        else:
            # one kernel, or several separated by commas: "6.1,6.12"
            kshorts = a.kernel.split(",")
            for k in kshorts:
                if k not in KERNELS:
                    raise UsageError("unknown kernel '%s' (%s, a comma "
                                     "list of them, or all)"
                                     % (k, ", ".join(KERNELS)))
        if a.all and a.topology:
            raise UsageError("--all and topology names exclude each other")
        if a.random < 0:
            raise UsageError("--random must be 0 or more")
        if a.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        if a.random and not a.topology and not a.all:
            topos = []      # only the random machines
        else:
            topos = load_topologies(a.topology)
        for p in randtopo.write(a.seed, a.random, RANDOM_DIR):
            t = Topology(p)
            t.random = True
            topos.append(t)
        if any(t.host_root for t in topos) and YNL_CLI is None:
            raise HostError("no YNL CLI in %s (scripts/build-mainline.sh or "
                            "scripts/ynl-gen.sh extracts it)" % MAINLINE_CACHE)
        if a.demo is not None:
            if len(topos) != 1 or len(kshorts) != 1:
                raise UsageError("--demo needs one topology and one --kernel")
            topos[0].extra = "demo: %s\n" % a.demo
        rels, images = {}, {}
        for k in kshorts:
            rels[k], images[k] = resolve_kernel(k)
            if not os.path.exists(images[k]):
                raise HostError("missing " + images[k])
        imgs = {k: build_initramfs(rels[k]) for k in kshorts}
    except UsageError as e:
        print("vm: %s" % e, file=sys.stderr)
        return 2
    except HostError as e:
        print("vm: %s" % e, file=sys.stderr)
        return 3

    logdir = os.path.join(BUILD, "runs")
    if a.demo is not None:
        return demo(topos[0], kshorts[0], rels[kshorts[0]],
                    imgs[kshorts[0]], a, logdir, images[kshorts[0]])
    pairs = []
    if a.iommu_pair:
        tool = os.environ.get("ACSEXPLAIN_HOST",
                              os.path.join(ROOT, "user", "acsexplain"))
        if not os.access(tool, os.X_OK):
            print("vm: --iommu-pair needs the tool on the host: %s (make user)"
                  % tool, file=sys.stderr)
            return 3
        # hot-plugged devices are not in the boot-time dump
        base = [t for t in topos if not t.hotplug]
        variants = {t.name: [pair_variant(t, i) for i in ("none",) + PAIR_ON]
                    for t in base}
        runs = []
        for k in kshorts:
            for t in base:
                if t.kernels is not None and k not in t.kernels:
                    continue
                trio = [Run(v, k, rels[k], imgs[k], timeout_for(a, k), a.keep,
                            logdir,
                            image=images[k])
                        for v in variants[t.name]]
                pairs.append((t, k, trio))
                runs += trio
        topos = [v for t in base for v in variants[t.name]]
        for r in runs:
            r.write_fixtures = False
    else:
        runs = [Run(t, k, rels[k], imgs[k], timeout_for(a, k), a.keep, logdir,
                    image=images[k])
                for k in kshorts for t in topos
                if t.kernels is None or k in t.kernels]
        for r in runs:
            r.write_fixtures = not a.no_fixtures and not r.topo.random
    say("vm: %d boots (%s x %d topologies), %d at a time, logs in %s"
        % (len(runs), "+".join(kshorts), len(topos), a.jobs,
           os.path.relpath(logdir, os.getcwd())))
    if a.random:
        say("vm: %d random topologies of seed %d in %s (again: --seed %d "
            "--random %d)" % (a.random, a.seed,
                              os.path.relpath(RANDOM_DIR, os.getcwd()),
                              a.seed, a.random))
    start = time.time()

    def one(r):
        try:
            r.boot()
        except Exception as e:  # a broken run must be a failure, not a crash
            r.add("runner", "FAIL", "%s: %s" % (type(e).__name__, e))
        v = [x[1] for x in r.results]
        state = "FAIL" if "FAIL" in v else "PASS"
        say("%-4s %-28s %-5s %3d pass %d fail %d skip  %s" % (
            state, r.topo.name, r.kshort, v.count("PASS"), v.count("FAIL"),
            v.count("SKIP"), os.path.relpath(r.log, os.getcwd())))
        for check, verdict, detail in r.results:
            if verdict == "FAIL" or a.verbose:
                say("     %s %s: %s" % (verdict, check, detail))
        return r

    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        list(ex.map(one, runs))

    for t, k, trio in pairs:
        for check, verdict, detail in pair_judge(trio[0], trio[1:], tool):
            trio[0].add(check, verdict, detail)
            if verdict == "FAIL" or a.verbose:
                say("     %s %s %s %s: %s" % (verdict, t.name, k, check,
                                             detail))
        if not a.no_fixtures and "lspci-xxxx" in getattr(trio[0], "captures",
                                                         {}):
            d = pair_save(t, trio[0], trio[1:], k)
            if a.verbose:
                say("     captures in %s" % os.path.relpath(d, ROOT))

    # Table: topology x kernel, then totals over every check.
    say("\n%-28s %s" % ("topology", " ".join("%-14s" % k for k in kshorts)))
    for t in topos:
        cells = []
        for k in kshorts:
            r = next((r for r in runs if r.topo is t and r.kshort == k), None)
            if r is None:
                cells.append("%-14s" % "-")
                continue
            v = [x[1] for x in r.results]
            cells.append("%-14s" % ("%s %d/%d%s" % (
                "FAIL" if "FAIL" in v else "ok", v.count("PASS"),
                v.count("PASS") + v.count("FAIL"),
                " s%d" % v.count("SKIP") if v.count("SKIP") else "")))
        say("%-28s %s" % (t.name, " ".join(cells)))
    allv = [x[1] for r in runs for x in r.results]
    npass, nfail, nskip = (allv.count(v) for v in ("PASS", "FAIL", "SKIP"))
    say("(%.0f s)" % (time.time() - start))
    # Per kernel, for make check's summary.
    label = "vm-pair" if a.iommu_pair else "vm"
    for k in kshorts:
        kv = [x[1] for r in runs if r.kshort == k for x in r.results]
        nb = len([r for r in runs if r.kshort == k])
        say("%s[%s]: %d passed, %d failed%s (%s, %d boots)" % (
            label, k, kv.count("PASS"), kv.count("FAIL"),
            ", %d skipped" % kv.count("SKIP") if kv.count("SKIP") else "",
            rels[k], nb))
    say("%s: %d passed, %d failed%s" % (
        label, npass, nfail, ", %d skipped" % nskip if nskip else ""))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
