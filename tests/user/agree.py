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
# the advice prints domain 0 addresses short ("01:00.0")
SHORT = r"(?:[0-9a-f]{4,8}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]"


def full(a):
    return a if a.count(":") == 2 else "0000:" + a
ESC = re.compile(r"\x1b\[[0-9;]*m")


def parse_text(lines):
    """The facts a reader takes from the text output."""
    t = {"notes": [], "devices": {}, "groups": {}, "idle": [], "nogroup": [],
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
                              "entries": [], "functions": {}, "fit": None,
                              "warning": False, "changes": [], "still": {},
                              "not_covered": [], "assignable": [],
                              "patch": None, "carried": None, "differs": [],
                              "newer": None}
            part = "quirk"
            continue
        if part == "quirk":
            m = re.match(r"  table entry: \{ [0-9a-f]{4}, [0-9a-f]{4}, (\S+) \}, since (\S+?)(?:,| \(|$)", line)
            if m:
                q["entries"].append((m.group(1), m.group(2),
                                     not line.endswith("(not in this release)")))
                continue
            m = re.match(r"  a newer kernel, (\S+), has quirk (\S+) covering", line)
            if m:
                q["newer"] = (m.group(1), m.group(2))
                continue
            m = re.match(r"  (%s) (?:multifunction )?(\S+): (isolated|not isolated) \(" % ADDR, line)
            if m:
                qf = q["functions"][m.group(1)] = {
                    "isolated": m.group(3) == "isolated", "seen": False,
                    "kernel_isolated": None, "agree": None}
                continue
            m = re.match(r"    kernel \(acs_inspect kretprobe\): (isolated|not isolated)[,;].*; (agrees|DIFFERS)", line)
            if m:
                qf.update(seen=True, kernel_isolated=m.group(1) == "isolated",
                          agree=m.group(2) == "agrees")
                continue
            m = re.match(r"  (?:(\S+) \((asked for|proposed)\): )?(fits|refused|not_needed|in_table|no_device): ", line)
            if m and q["fit"] is None:
                q["fit"] = (m.group(3), m.group(1), m.group(2) == "asked for")
                continue
            if line.startswith("  warning: "):
                q["warning"] = True
                continue
            m = re.match(r"  (split|merge|regroup): (.*) -> (.*)$", line)
            if m:
                def sets(s):
                    return [g.split() for g in re.findall(r"\{([^}]*)\}", s)]
                q["changes"].append((m.group(1), sets(m.group(2)), sets(m.group(3))))
                continue
            m = re.match(r"  (%s) still shares its group, at fault (%s|-):" % (ADDR, ADDR), line)
            if m:
                q["still"][m.group(1)] = None if m.group(2) == "-" else m.group(2)
                continue
            m = re.match(r"  function (%s) \[" % ADDR, line)
            if m:
                q["not_covered"].append(m.group(1))
                continue
            m = re.match(r"  assignable on their own afterwards: (.*)$", line)
            if m:
                q["assignable"] = m.group(1).split()
                continue
            m = re.match(r"  written to (.*) against .*, entry at drivers/pci/quirks.c:(\d+)", line)
            if m:
                q["patch"] = (m.group(1), int(m.group(2)))
                continue
            m = re.match(r"  (yes|no|differs|unknown): ", line)
            if m and q["carried"] is None and q["fit"] is not None:
                q["carried"] = m.group(1)
                continue
            m = re.match(r"  grouped unlike the prediction: (.*)$", line)
            if m:
                q["differs"] = re.findall(ADDR, m.group(1))
                continue
            if line.startswith("  ") or re.match(r"[1-5]\. ", line) or not line:
                continue
        # a device section: "ADDR NAME [vvvv:dddd] (type)[, driver X]"
        m = re.match(r"(%s) .* \[[0-9a-f]{4}:[0-9a-f]{4}\] \([a-z-]+\)(, driver \S+)?$" % ADDR, line)
        if m:
            cur = t["devices"][m.group(1)] = {
                "members": [], "verdict": None, "at_fault": [],
                "remedies": 0, "audit": [], "plan": None, "nogroup": False}
            part = "device"
            continue
        # --all: "IOMMU group 14: shared, ..." / "Derived group 3: alone: ..."
        m = re.match(r"(?:IOMMU|Derived) group (\d+): ([a-z-]+)", line)
        if m:
            grp = {"verdict": m.group(2), "members": []}
            if part == "what_if" and wi["moved"]:
                wi["groups"][int(m.group(1))] = grp
            else:
                t["groups"][int(m.group(1))] = grp
                part = "groups"
            continue
        m = re.match(r"Nothing to assign .* in (?:IOMMU|derived) groups (.*)", line)
        if m:
            idle = [int(x) for x in re.findall(r"\d+", m.group(1))]
            if part == "what_if" and wi["moved"]:
                wi["idle"] = idle
            else:
                t["idle"] = idle
                part = "idle"
            continue
        if part in ("idle", "what_if_idle") and re.match(r"  [\d, ]+$", line):
            (wi["idle"] if part == "what_if_idle" else t["idle"]).extend(
                int(x) for x in re.findall(r"\d+", line))
            continue
        if line == "No IOMMU group:":
            part = "nogroup"
            continue
        if part in ("idle", "nogroup") and line.startswith("  Isolation audit"):
            t["audit_all"] = []
            part = "audit_all"
            continue
        if part == "nogroup":
            m = re.match(r"  (%s) \[" % SHORT, line)
            if m:
                t["nogroup"].append(full(m.group(1)))
                continue
        m = re.match(r"What if (.*?)( \(addresses changed\))?:$", line)
        if m:
            wi = t["what_if"] = {"what": m.group(1), "changes": [],
                                 "simulated": [], "groups": {}, "idle": [],
                                 "moved": bool(m.group(2)), "unknown": None}
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
            m = re.match(r"  (?:unknown|uncertain): (.*)\.$", line)
            if m:
                wi["unknown"] = m.group(1)
                continue
        if part == "groups" or (part == "what_if" and wi["moved"]):
            m = re.match(r"  (%s) \[" % SHORT, line)
            if m:
                grp["members"].append(full(m.group(1)))
                continue
            m = re.match(r"  \+ [a-z ,]+: (.*)", line)
            if m:
                grp["members"] += [full(x) for x in re.findall(SHORT, m.group(1))]
                continue
            m = re.match(r"      (%s(?: %s)*)$" % (SHORT, SHORT), line)
            if m:   # a folded list wrapped
                grp["members"] += [full(x) for x in m.group(1).split()]
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
            m = re.match(r"  Verdict: ([a-z-]+)\. ", line)
            if m:
                cur["verdict"] = m.group(1)
                continue
            m = re.match(r"  At fault: (%s) " % SHORT, line)
            if m:
                cur["at_fault"].append(full(m.group(1)))
                continue
            if line.startswith("  What you can do:"):
                part = "remedies"
                continue
            m = re.match(r"  Plan for (%s): (.*)" % SHORT, line)
            if m:
                part = "plan"
                v = m.group(2)
                cur["plan"] = {"bind": [], "keep": [],
                               "viable": True if v.startswith("VFIO can take it now") else
                               None if v.startswith("whether") else False}
                continue
            if line.startswith("  Derived group:") or line.startswith("  Upstream path"):
                part = "device"
                continue
            if line.startswith("  Isolation audit"):
                part = "audit"
                continue
        if part == "device":
            if line.startswith("  No IOMMU group: "):
                cur["nogroup"] = True
                continue
            m = re.match(r"    (%s) .* \[[0-9a-f]{4}:[0-9a-f]{4}\] " % ADDR, line)
            if m:
                cur["members"].append(m.group(1))
                continue
        if part == "remedies":
            if line.startswith("    - "):
                cur["remedies"] += 1
                continue
        if part == "audit":
            m = re.match(r"    - (.*)", line)
            if m:
                cur["audit"].append(m.group(1))
                continue
        if part == "plan":
            m = re.match(r"    (bind|keep) (%s) " % SHORT, line)
            if m:
                cur["plan"][m.group(1)].append(full(m.group(2)))
                continue
    return t


def check_groups(want, tgroups, idle, nogroup, jdevs, what):
    """--all: the groups the advice rests on, their verdicts, members."""
    byg = {}
    for d in jdevs:
        g = d["assignment"]["group"]
        byg.setdefault(g, []).append(d)
    keys = sorted(k for k in byg if k is not None)
    want(sorted(list(tgroups) + idle) == keys,
         "%sgroups differ: %s vs %s" % (what, sorted(list(tgroups) + idle), keys))
    for k, g in tgroups.items():
        js = byg.get(k, [])
        want(sorted(g["members"]) == sorted(d["address"] for d in js),
             "%sgroup %d members differ" % (what, k))
        first = [d for d in js if d["address"] in g["members"]]
        want(any(d["assignment"]["verdict"] == g["verdict"] for d in first),
             "%sgroup %d verdict %s not in JSON" % (what, k, g["verdict"]))
    if nogroup is not None:
        jn = sorted(d["address"] for d in byg.get(None, []))
        want(sorted(nogroup) == jn, "%sno-group devices %s vs %s" % (what, nogroup, jn))


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
        check_groups(want, t["groups"], t["idle"], t["nogroup"], j["devices"], "")
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
        asg = d["assignment"]
        want(td["verdict"] == asg["verdict"], "%s: verdict %s vs %s" % (a, td["verdict"], asg["verdict"]))
        want(td["at_fault"] == asg["at_fault"], "%s: at fault %s vs %s" % (a, td["at_fault"], asg["at_fault"]))
        want(td["remedies"] == len(asg["remedies"]),
             "%s: %d remedies vs %d" % (a, td["remedies"], len(asg["remedies"])))
        if e["audit"] is None:
            want(not td["audit"], "%s: audit without --audit" % a)
        else:
            want(td["audit"] == [x["text"] for x in e["audit"]], "%s: audit differs" % a)
        p = e["plan"]
        if p is None:
            want(td["plan"] is None, "%s: plan without --plan" % a)
        else:
            want(td["plan"] is not None, "%s: --plan missing in text" % a)
            if td["plan"] is not None:
                want(td["plan"]["bind"] == p["bind"], "%s: plan bind %s vs %s" % (a, td["plan"]["bind"], p["bind"]))
                want(td["plan"]["keep"] == p["keep"], "%s: plan keep differs" % a)
                want(td["plan"]["viable"] == p["viable"] or (not p["bind"] and not td["plan"]["viable"]),
                     "%s: plan viability %s vs %s" % (a, td["plan"]["viable"], p["viable"]))
    jq = j["quirk_validation"]
    want((t["quirk"] is None) == (jq is None), "quirk validation in one only")
    if jq and t["quirk"]:
        tq = t["quirk"]
        want(tq["id"] == jq["vendor"] + ":" + jq["device"], "quirk id")
        want(tq["entries"] == [(x["callback"], x["first"], x["in_release"])
                               for x in jq["today"]["entries"]],
             "quirk table entries differ")
        nk = jq["today"]["newer_kernel_quirk"]
        want(tq["newer"] == ((nk["release"], nk["callback"]) if nk else None),
             "newer kernel quirk differs")
        jf = {x["address"]: x for x in jq["today"]["functions"]}
        want(sorted(tq["functions"]) == sorted(jf), "quirk functions differ")
        for a, x in jf.items():
            tf = tq["functions"].get(a)
            if tf:
                want(tf == {"isolated": x["isolated"], "seen": x["kernel"]["seen"],
                            "kernel_isolated": x["kernel"]["isolated"],
                            "agree": x["agree"]},
                     "quirk function %s differs" % a)
        fit = jq["fit"]
        want(tq["fit"] == (fit["status"], fit["callback"], fit["requested"]),
             "quirk fit %s vs %s" % (tq["fit"], fit))
        want(tq["warning"] == (fit["warning"] is not None), "quirk warning in one only")
        ch = jq["changes"]
        if ch is None:
            want(not tq["changes"] and not tq["assignable"], "quirk changes without a fit")
        else:
            want(tq["changes"] == [(c["kind"], c["before"], c["after"]) for c in ch["groups"]],
                 "quirk changes differ")
            want(tq["assignable"] == ch["assignable"], "quirk assignable differs")
            want(tq["not_covered"] == ch["not_covered"], "quirk not covered differs")
            want(tq["still"] == {x["address"]: x["still_shared_by"]
                                 for x in jq["today"]["functions"]
                                 if x["still_why"] is not None},
                 "quirk still-shared differs")
        p = jq["patch"]
        want(tq["patch"] == ((p["file"], p["line"]) if p else None), "quirk patch differs")
        want(tq["carried"] == jq["kernel_carries"]["status"], "kernel carries differs")
        want(tq["differs"] == jq["kernel_carries"]["differs"], "kernel differs list differs")
    jw = j["what_if"]
    want((t["what_if"] is None) == (jw is None), "what-if in one only")
    if jw and t["what_if"]:
        tw = t["what_if"]
        want(tw["what"] == jw["scenarios"], "what-if scenarios differ")
        want(tw["moved"] == jw["moved"], "what-if moved differs")
        if jw["moved"]:
            check_groups(want, tw["groups"], tw["idle"], None, jw["devices"], "what-if ")
        else:
            want(tw["changes"] == [(c["kind"], c["from"], c["members"]) for c in jw["changes"]],
                 "what-if changes differ: %s vs %s" % (tw["changes"], jw["changes"]))
        want(tw["simulated"] == jw["simulated"], "what-if simulated differs")
        want(tw["unknown"] == jw["unknown"], "what-if unknown %s vs %s" % (tw["unknown"], jw["unknown"]))
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
