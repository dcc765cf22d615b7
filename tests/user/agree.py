#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Text and JSON say the same: read the facts out of acsexplain's text
output and compare them with its --json output for the same inputs.

    agree.py TEXT_FILE JSON_FILE

Prints one line per disagreement and exits 1 if there is any.
"""
import json
import re
import sys

ADDR = r"[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]"
ESC = re.compile(r"\x1b\[[0-9;]*m")


def parse_text(lines):
    """The facts a reader takes from the text output."""
    t = {"notes": [], "devices": {}, "groups": [], "nogroup": [],
         "audit_all": None, "quirk": None, "what_if": None,
         "warning": None, "matches": None, "cause": None}
    cur = None          # the device section being read
    part = None         # what the indented lines belong to
    grp = None
    wi = None
    q = None
    for raw in lines:
        line = ESC.sub("", raw.rstrip("\n"))
        m = re.match(r"Facts: .*; rules of kernel (\S+)", line)
        if m:
            t["rules"] = m.group(1).split()[0]
            continue
        m = re.match(r"  note: (.*)", line)
        if m and part is None:
            t["notes"].append(m.group(1))
            continue
        m = re.search(r"WARNING: (\d+) device\(s\) are grouped differently", line)
        if m:
            t["warning"] = int(m.group(1))
            t["matches"] = False
            continue
        if "The derived groups match the kernel's own groups." in line:
            t["matches"] = True
            continue
        m = re.match(r"  Found the cause: (.*)\.$", line)
        if m:
            t["cause"] = m.group(1)
            continue
        m = re.match(r"Quirk validation for ([0-9a-f]{4}):([0-9a-f]{4})", line)
        if m:
            q = t["quirk"] = {"id": m.group(1) + ":" + m.group(2),
                              "table": [], "devices": {}, "newer": None}
            part = "quirk"
            continue
        if part == "quirk":
            m = re.match(r"  quirk table: (\S+) for", line)
            if m:
                q["table"].append(m.group(1))
                continue
            m = re.match(r"  (%s) \S+: the kernel treats it as (isolating|not isolating)" % ADDR, line)
            if m:
                qd = q["devices"][m.group(1)] = {
                    "isolated": m.group(2) == "isolating", "overrides": False,
                    "has_cap": False, "single": False, "peers": []}
                continue
            if line.startswith("    inconsistent:"):
                qd["overrides"] = True
                continue
            if line.startswith("    it already has an ACS capability"):
                qd["has_cap"] = True
                continue
            if line.startswith("    single-function"):
                qd["single"] = True
                continue
            m = re.match(r"    function (%s) \[" % ADDR, line)
            if m:
                qd["peers"].append(m.group(1))
                continue
            m = re.match(r"  a newer kernel has quirk (\S+) covering", line)
            if m:
                q["newer"] = m.group(1)
                continue
            if line.startswith("  ") or not line:
                continue
        # a device section: "ADDR NAME [vvvv:dddd] (type)"
        m = re.match(r"(%s) .* \[[0-9a-f]{4}:[0-9a-f]{4}\] \([a-z-]+\)$" % ADDR, line)
        if m:
            cur = t["devices"][m.group(1)] = {
                "members": [], "culprit": None, "ports": [], "whole": False,
                "switched_off": False, "quirk": None, "audit": [],
                "plan": None, "nogroup": False}
            part = "device"
            continue
        m = re.match(r"(Group \d+)(?: \(kernel \d+\))?: (alone|(\d+) devices, because of (\S+))$", line)
        if m:
            grp = []
            if part == "what_if" and wi["moved"]:
                wi["groups"].append(grp)
            else:
                t["groups"].append(grp)
                part = "groups"
            continue
        m = re.match(r"No group: (%s) " % ADDR, line)
        if m:
            t["nogroup"].append(m.group(1))
            continue
        m = re.match(r"What if (.*?)( \(addresses changed\))?:$", line)
        if m:
            wi = t["what_if"] = {"what": m.group(1), "changes": [],
                                 "simulated": [], "groups": [],
                                 "moved": bool(m.group(2))}
            part = "what_if"
            continue
        if line == "Isolation audit: no group promises more isolation than the hardware gives.":
            t["audit_all"] = []
            continue
        if part == "what_if":
            m = re.match(r"  (merged) from (\d+) groups:(.*)|  (split) off a group of (\d+):(.*)", line)
            if m:
                kind = m.group(1) or m.group(4)
                n = int(m.group(2) or m.group(5))
                mem = (m.group(3) or m.group(6)).split()
                wi["changes"].append((kind, n, mem))
                continue
            m = re.match(r"  SIMULATED: (.*)", line)
            if m:
                wi["simulated"].append(m.group(1))
                continue
        if part == "groups" or (part == "what_if" and wi["moved"]):
            m = re.match(r"  (%s) " % ADDR, line)
            if m:
                grp.append(m.group(1))
                continue
            m = re.match(r"  Isolation audit", line)
            if m:
                t["audit_all"] = []
                part = "audit_all"
                continue
        if part == "audit_all":
            m = re.match(r"    - (.*)", line)
            if m:
                t["audit_all"].append(m.group(1))
                continue
        if part in ("device", "remedies", "audit", "plan"):
            if line.startswith("  No IOMMU group: ") and part == "device":
                cur["nogroup"] = True
                continue
            m = re.match(r"    (%s) .* \[[0-9a-f]{4}:[0-9a-f]{4}\] " % ADDR, line)
            if m and part == "device":
                cur["members"].append(m.group(1))
                continue
            m = re.match(r"  At fault: (%s) " % ADDR, line)
            if m:
                cur["culprit"] = m.group(1)
                continue
            if line.startswith("  What you can do:"):
                part = "remedies"
                continue
            if line.startswith("  Isolation audit"):
                part = "audit"
                continue
            if re.match(r"  (Assignment plan for group of|No IOMMU group: VFIO cannot assign)", line):
                part = "plan"
                cur["plan"] = {"members": {}, "viable": None,
                               "group": not line.startswith("  No IOMMU")}
                continue
        if part == "remedies":
            m = re.match(r"    - Move the card to a slot behind a port that isolates:(.*)\.$", line)
            if m:
                cur["ports"] = re.findall(ADDR, m.group(1))
                continue
            if line.startswith("    - Assign the whole group"):
                cur["whole"] = True
                continue
            if line.startswith("    - A port implements ACS but it is switched off"):
                cur["switched_off"] = True
                continue
            m = re.match(r"    - Kernel \S+ and later .* have the quirk (\S+) for", line)
            if m:
                cur["quirk"] = m.group(1)
                continue
        if part == "audit":
            m = re.match(r"    - (.*)", line)
            if m:
                cur["audit"].append(m.group(1))
                continue
            if re.match(r"  (Assignment plan|No IOMMU group: VFIO)", line):
                part = "plan"
                cur["plan"] = {"members": {}, "viable": None,
                               "group": not line.startswith("  No IOMMU")}
                continue
        if part == "plan":
            m = re.match(r"    (%s) endpoint, now .*?(: must be bound to vfio-pci| \(fine\))$" % ADDR, line)
            if m:
                cur["plan"]["members"][m.group(1)] = "bind" if "must" in m.group(2) else "none"
                continue
            m = re.match(r"    (%s) \S+: bridge, stays with" % ADDR, line)
            if m:
                cur["plan"]["members"][m.group(1)] = "keep"
                continue
            m = re.match(r"  Group is (viable now|not viable)", line)
            if m:
                cur["plan"]["viable"] = m.group(1) == "viable now"
                continue
    return t


def check(text_lines, j):
    bad = []

    def want(cond, what):
        if not cond:
            bad.append(what)

    t = parse_text(text_lines)
    devs = {d["address"]: d for d in j["devices"]}
    groups = {g["id"]: g for g in j["groups"]}

    rel = j["rules"]["release"] or "newest"
    want(t.get("rules") == rel, "rules %s vs %s" % (t.get("rules"), rel))
    want(t["notes"] == j["notes"], "notes %s vs %s" % (t["notes"], j["notes"]))
    cmp = j["comparison"]
    want(t["matches"] == cmp["matches"], "matches %s vs %s" % (t["matches"], cmp["matches"]))
    if cmp["matches"] is False:
        want(t["warning"] == len(cmp["mismatched_devices"]),
             "mismatch count %s vs %d" % (t["warning"], len(cmp["mismatched_devices"])))
        want(t["cause"] == cmp["cause"], "cause %s vs %s" % (t["cause"], cmp["cause"]))

    if j["scope"] == "all":
        tg = sorted(sorted(g) for g in t["groups"])
        jg = sorted(sorted(g["members"]) for g in j["groups"])
        want(tg == jg, "groups differ: %d vs %d" % (len(tg), len(jg)))
        jn = sorted(a for a, d in devs.items() if d["predicted_group"] is None)
        want(sorted(t["nogroup"]) == jn, "no-group devices %s vs %s" % (t["nogroup"], jn))
        if j["audit"] is not None:
            want(t["audit_all"] == [a["text"] for a in j["audit"]], "--all audit differs")
        else:
            want(t["audit_all"] is None, "audit printed without --audit")
    want(sorted(t["devices"]) == sorted(e["device"] for e in j["explained"]),
         "devices explained %s vs %s" % (sorted(t["devices"]), [e["device"] for e in j["explained"]]))
    for e in j["explained"]:
        a = e["device"]
        td = t["devices"].get(a)
        if td is None:
            continue
        d = devs[a]
        if d["predicted_group"] is None:
            want(td["nogroup"], "%s: group in text, none in JSON" % a)
            continue
        want(sorted(td["members"]) == sorted(groups[d["predicted_group"]]["members"]),
             "%s: group members differ" % a)
        want(td["culprit"] == d["culprit"], "%s: culprit %s vs %s" % (a, td["culprit"], d["culprit"]))
        r = e["remedies"]
        want(td["ports"] == [p["address"] for p in r["isolating_ports"]], "%s: ports differ" % a)
        want(td["whole"] == r["assign_whole_group"], "%s: whole group differs" % a)
        want(td["switched_off"] == r["acs_switched_off"], "%s: ACS switched off differs" % a)
        nq = r["newer_kernel_quirk"]
        want(td["quirk"] == (nq["callback"] if nq else None), "%s: newer quirk differs" % a)
        if e["audit"] is None:
            want(not td["audit"], "%s: audit without --audit" % a)
        else:
            want(td["audit"] == [x["text"] for x in e["audit"]], "%s: audit differs" % a)
        p = e["plan"]
        if p is None:
            want(td["plan"] is None, "%s: plan without --plan" % a)
        else:
            want(td["plan"] is not None, "%s: --plan missing in text" % a)
            if td["plan"] is not None and p["group"] is not None:
                want(td["plan"]["members"] == {x["address"]: x["action"] for x in p["members"]},
                     "%s: plan members differ" % a)
                want(td["plan"]["viable"] == p["viable"], "%s: plan viability differs" % a)
    jq = j["quirk_validation"]
    want((t["quirk"] is None) == (jq is None), "quirk validation in one only")
    if jq and t["quirk"]:
        tq = t["quirk"]
        want(tq["id"] == jq["vendor_id"] + ":" + jq["device_id"], "quirk id")
        want(tq["table"] == [x["callback"] for x in jq["table"]], "quirk table differs")
        want(tq["newer"] == jq["newer_kernel_quirk"], "newer quirk differs")
        want(sorted(tq["devices"]) == sorted(x["address"] for x in jq["devices"]),
             "quirk devices differ")
        for x in jq["devices"]:
            qd = tq["devices"].get(x["address"])
            if qd:
                want(qd == {"isolated": x["isolated"], "overrides": x["quirk_overrides_capability"],
                            "has_cap": x["has_capability"], "single": x["single_function"],
                            "peers": x["unisolated_functions"]},
                     "quirk device %s differs" % x["address"])
    jw = j["what_if"]
    want((t["what_if"] is None) == (jw is None), "what-if in one only")
    if jw and t["what_if"]:
        tw = t["what_if"]
        want(tw["what"] == jw["scenarios"], "what-if scenarios differ")
        want(tw["moved"] == jw["moved"], "what-if moved differs")
        if jw["moved"]:
            tg = sorted(sorted(g) for g in tw["groups"])
            jg = sorted(sorted(g["members"]) for g in jw["groups"])
            want(tg == jg, "what-if groups differ")
        else:
            want(tw["changes"] == [(c["kind"], c["from"], c["members"]) for c in jw["changes"]],
                 "what-if changes differ: %s vs %s" % (tw["changes"], jw["changes"]))
        want(tw["simulated"] == jw["simulated"], "what-if simulated differs")
    return bad


def main():
    with open(sys.argv[1]) as f:
        text = f.readlines()
    with open(sys.argv[2]) as f:
        j = json.load(f)
    bad = check(text, j)
    for b in bad:
        print("disagree: " + b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
