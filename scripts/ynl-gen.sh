#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ynl-gen.sh [--write]: Documentation/netlink/specs/acs_inspect.yaml drives
# the code, checked with the mainline kernel's own YNL tools
# (tools/net/ynl/pyynl from Debian unstable's linux-source-7.2):
#  - the spec is valid for the genetlink-legacy schema (cli.py --validate);
#  - include/uapi/linux/acs_inspect.h is exactly what
#    ynl_gen_c.py --mode uapi generates from it (--write regenerates it);
#  - every request policy of kmod/acs_netlink.c accepts exactly the
#    attributes, with the types, of the policy ynl_gen_c.py --mode kernel
#    generates for that command;
#  - the checks can fail: a spec with one attribute renamed gives another
#    header, a module policy with another type is caught.
# The generator wants its spec inside a kernel-like tree (MAINTAINERS, the
# schema in Documentation/netlink/): a scratch copy is made.
# Prints PASS/FAIL lines, then "ynl: N passed, N failed".
# Exit codes: 0 all passed, 1 a check failed, 2 usage error, 3 missing input.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
spec=$top/Documentation/netlink/specs/acs_inspect.yaml
hdr=$top/include/uapi/linux/acs_inspect.h
cache=${ACSX_MAINLINE_CACHE:-/var/cache/acsexplain/mainline}
write=no
case ${1:-} in
'') ;;
--write) write=yes ;;
*) echo "usage: $0 [--write]" >&2; exit 2 ;;
esac

# The YNL tools: from the mainline tree when scripts/build-mainline.sh has
# extracted it, else only tools/net/ynl and the schemas from the tarball.
tree=$cache/linux-source-7.2
if [ ! -f "$tree/tools/net/ynl/pyynl/ynl_gen_c.py" ]; then
	tree=$cache/ynl-tools/linux-source-7.2
	if [ ! -f "$tree/tools/net/ynl/pyynl/ynl_gen_c.py" ]; then
		d=$("$top/scripts/fetch-sid.sh" linux-source-7.2 | tail -n 1) || {
			echo "ynl: cannot fetch linux-source-7.2 for its YNL tools" >&2
			exit 3
		}
		mkdir -p "$cache/ynl-tools" &&
			tar -C "$cache/ynl-tools" -xf "$d/usr/src/linux-source-7.2.tar.xz" \
				linux-source-7.2/tools/net/ynl \
				linux-source-7.2/Documentation/netlink || {
			echo "ynl: cannot extract the YNL tools" >&2
			exit 3
		}
	fi
fi
python3 -c 'import yaml, jsonschema' 2>/dev/null || {
	echo "ynl: python3 needs yaml and jsonschema (apt-get install python3-yaml python3-jsonschema)" >&2
	exit 3
}

tmp=$(mktemp -d /tmp/ynl-gen.XXXXXX) || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# gen SPEC-DIR ARGS...: run ynl_gen_c.py on SPEC-DIR's copy of the spec.
mkroot() {
	mkdir -p "$1/Documentation/netlink/specs"
	: >"$1/MAINTAINERS"
	cp "$tree"/Documentation/netlink/*.yaml "$1/Documentation/netlink/"
	cp "$2" "$1/Documentation/netlink/specs/acs_inspect.yaml"
}
gen() {
	r=$1
	shift
	python3 "$tree/tools/net/ynl/pyynl/ynl_gen_c.py" \
		--spec "$r/Documentation/netlink/specs/acs_inspect.yaml" "$@"
}
mkroot "$tmp/r" "$spec"

# 1. Schema.
if python3 "$tree/tools/net/ynl/pyynl/cli.py" --validate --spec \
	"$tmp/r/Documentation/netlink/specs/acs_inspect.yaml" >"$tmp/val" 2>&1 &&
	[ ! -s "$tmp/val" ]; then
	pass "spec valid for the genetlink-legacy schema"
else
	fail "spec invalid: $(tail -n 3 "$tmp/val")"
fi

# 2. The UAPI header.
if ! gen "$tmp/r" --mode uapi --header -o "$tmp/uapi.h" >"$tmp/gen.err" 2>&1; then
	fail "ynl_gen_c.py --mode uapi: $(tail -n 1 "$tmp/gen.err")"
elif [ $write = yes ]; then
	cp "$tmp/uapi.h" "$hdr"
	pass "wrote include/uapi/linux/acs_inspect.h"
elif cmp -s "$tmp/uapi.h" "$hdr"; then
	pass "include/uapi/linux/acs_inspect.h is the generated header"
else
	fail "include/uapi/linux/acs_inspect.h differs from the spec's (scripts/ynl-gen.sh --write):"
	diff -u "$hdr" "$tmp/uapi.h" | head -20
fi

# 3. Kernel policies: the generated ones against the module's.
if gen "$tmp/r" --mode kernel --source -o "$tmp/kernel.c" >"$tmp/genk.err" 2>&1; then
	cat >"$tmp/polcmp.py" <<'EOF'
import re, sys
gen, mod = (open(p).read() for p in sys.argv[1:])
def policies(text):
    """name -> {attribute: type} of every nla_policy array."""
    out = {}
    for m in re.finditer(r"struct nla_policy (\w+)\[[^]]*\] = \{(.*?)\n\};",
                         text, re.S):
        out[m.group(1)] = dict(re.findall(
            r"\[(ACSI_A_\w+)\]\s*=\s*\{\s*\.type\s*=\s*(NLA_\w+)", m.group(2)))
    return out
gp, mp = policies(gen), policies(mod)
# Generated: acs_inspect_<cmd>_nl_policy for a command's do request.
want = {}
for name, pol in gp.items():
    m = re.match(r"acs_inspect_(\w+?)_nl_policy$", name)
    if m:
        want["ACSI_CMD_" + m.group(1).upper()] = pol
# The module: the entry of each command that has a .doit (split ops on
# 6.2+, one entry per command before) names the do request's policy.
have = {}
for m in re.finditer(r"\{([^{}]*?\.cmd\s*=\s*(ACSI_CMD_\w+)[^{}]*)\}", mod):
    p = re.search(r"\.policy\s*=\s*(\w+)", m.group(1))
    if p and ".doit" in m.group(1):
        have.setdefault(m.group(2), mp.get(p.group(1), {}))
bad = 0
for cmd in sorted(set(want) | set(have)):
    w, h = want.get(cmd, {}), have.get(cmd, {})
    if w == h:
        print("PASS %s request policy: %s" % (cmd, ", ".join(
            "%s %s" % (a[len("ACSI_A_"):], t[len("NLA_"):])
            for a, t in sorted(w.items())) or "no attributes"))
    else:
        bad += 1
        print("FAIL %s request policy: spec %s, module %s" % (cmd, w, h))
if not want:
    print("FAIL no request policy in the generated kernel source")
EOF
	python3 "$tmp/polcmp.py" "$tmp/kernel.c" "$top/kmod/acs_netlink.c" >"$tmp/pol" 2>&1
	cat "$tmp/pol"
	passed=$((passed + $(grep -c '^PASS' "$tmp/pol")))
	failed=$((failed + $(grep -c '^FAIL' "$tmp/pol")))
	grep -q '^PASS' "$tmp/pol" || fail "policy comparison: $(tail -n 1 "$tmp/pol")"
	# ... and it can fail: a module that takes the bus as u16.
	sed 's/\[ACSI_A_BUS\] = { .type = NLA_U8 }/[ACSI_A_BUS] = { .type = NLA_U16 }/' \
		"$top/kmod/acs_netlink.c" >"$tmp/bad-netlink.c"
	if python3 "$tmp/polcmp.py" "$tmp/kernel.c" "$tmp/bad-netlink.c" |
		grep -q '^FAIL ACSI_CMD_GET_DEVICE'; then
		pass "mutation: a policy type the spec does not have is caught"
	else
		fail "mutation: a u16 bus in the module's policy went unnoticed"
	fi
else
	fail "ynl_gen_c.py --mode kernel: $(tail -n 1 "$tmp/genk.err")"
fi

# 4. The check can fail: rename one attribute, the header must change.
sed 's/^        name: hop-count$/        name: hops-counted/' "$spec" >"$tmp/bad.yaml"
mkroot "$tmp/b" "$tmp/bad.yaml"
sed -i 's/^            - hop-count$/            - hops-counted/' \
	"$tmp/b/Documentation/netlink/specs/acs_inspect.yaml"
if gen "$tmp/b" --mode uapi --header -o "$tmp/bad.h" >/dev/null 2>&1 &&
	! cmp -s "$tmp/bad.h" "$tmp/uapi.h" && grep -q ACSI_A_HOPS_COUNTED "$tmp/bad.h"; then
	pass "mutation: a renamed attribute changes the generated header"
else
	fail "mutation: a renamed attribute went unnoticed"
fi

echo "ynl: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
