#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/install/packages.sh [--no-vm] - the Debian packages, as a user gets
# them (as root, on the test machine itself):
#   build    dpkg-buildpackage -us -uc -b in a copy of the tree
#            (build/pkg/acsexplain-VERSION, a git repository of its own)
#            makes acsexplain_VERSION_ARCH.deb and acs-inspect-dkms_VERSION_all.deb
#            with the expected files and the version of VERSION, and leaves
#            git status clean (its products are in .gitignore)
#   lintian  no error
#   install  apt-get install ./acsexplain_*.deb ./acs-inspect-dkms_*.deb: the
#            tool runs, DKMS built and installed the module for Debian's 6.1
#            and 6.12 kernels where modprobe finds it
#   vm       the VM bed, once, with the packaged tool and the DKMS-built
#            module (ACSEXPLAIN=/usr/sbin/acsexplain ACSI_KO=installed) on
#            both kernels: the module loads and every check passes
#   purge    apt-get purge removes the tool and the modules
# Prints "packages: N passed, N failed"; exits 1 when a check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
vm=1
[ "${1:-}" = --no-vm ] && vm=0
# One topology is enough here: the bed's full runs are the vm part's.
VM_TOPOLOGY=${VM_TOPOLOGY:-sriov-nvme}

# shellcheck source=tests/install/lib.sh
. tests/install/lib.sh
finish() {
	echo "packages: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

if [ "$(id -u)" != 0 ]; then
	bad "packages: must run as root (installs the packages)"
	finish
fi
for c in dpkg-buildpackage dh_dkms lintian dkms; do
	command -v $c >/dev/null || bad "packages: $c missing (scripts/install-deps.sh)"
done
[ "$fail" -eq 0 ] || finish

version=$(cat VERSION)
arch=$(dpkg --print-architecture)
out=$top/build/pkg
src=$out/acsexplain-$version
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

# Nothing left from an earlier run: a make dkms-install of the same
# version, or installed packages.
apt_get purge -y -qq acsexplain acs-inspect-dkms >/dev/null 2>&1
make -s dkms-remove >/dev/null 2>&1

# --- build -----------------------------------------------------------------
t0=$(date +%s)
rm -rf "$out"
mkdir -p "$src"
# the tree as it is (tracked and new files), without what .gitignore ignores
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$src" 2>/dev/null
# a repository of its own, to see what the build leaves behind
git -C "$src" init -q && git -C "$src" add -A &&
	git -C "$src" -c user.name=t -c user.email=t@example.org commit -qm copy ||
	bad "build: cannot make a repository of the copy"
if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	ok "build: dpkg-buildpackage -us -uc -b"
else
	bad "build: dpkg-buildpackage failed (build/pkg/build.log)"
	tail -n 30 "$out/build.log"
	finish
fi
echo "packages: built in $(($(date +%s) - t0)) s"
tool_deb=$out/acsexplain_${version}_$arch.deb
dkms_deb=$out/acs-inspect-dkms_${version}_all.deb
for d in "$tool_deb" "$dkms_deb"; do
	if [ -f "$d" ]; then ok "build: ${d##*/}"; else bad "build: no ${d##*/}"; finish; fi
	eq "build: ${d##*/} version" "$(dpkg-deb -f "$d" Version)" "$version"
done
files() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sed 's/^\.//' | sort; }
eq "build: acsexplain files" "$(files "$tool_deb" | grep -v '^/usr/share/doc/')" \
	"$(printf '%s\n' /usr/sbin/acsexplain \
		/usr/share/bash-completion/completions/acsexplain \
		/usr/share/man/man4/acs_inspect.4.gz /usr/share/man/man8/acsexplain.8.gz | sort)"
eq "build: acs-inspect-dkms files" \
	"$(files "$dkms_deb" | grep "^/usr/src/" | sed "s|^/usr/src/acs-inspect-$version/||")" \
	"$(make -s -f Makefile -f - print-module-sources <<<'print-module-sources: ; @printf "%s\n" dkms.conf $(MODULE_SOURCES)' | sort)"
# dpkg-buildpackage in a tree leaves only what .gitignore names
eq "build: git status clean after dpkg-buildpackage" "$(git -C "$src" status --porcelain)" ""

# --- lintian ---------------------------------------------------------------
lintian --tag-display-limit 0 "$tool_deb" "$dkms_deb" >"$out/lintian.log" 2>&1
errors=$(grep -c '^E:' "$out/lintian.log")
eq "lintian: errors" "$errors" 0
[ "$errors" -eq 0 ] || grep '^E:' "$out/lintian.log"
echo "packages: lintian: $(grep -c '^W:' "$out/lintian.log") warning(s) in build/pkg/lintian.log"

# --- install ---------------------------------------------------------------
t0=$(date +%s)
if (cd "$out" && apt_get install -y -q --no-install-recommends \
	"./${tool_deb##*/}" "./${dkms_deb##*/}") >"$out/install.log" 2>&1; then
	ok "install: apt-get install ./acsexplain_*.deb ./acs-inspect-dkms_*.deb"
else
	bad "install: apt-get install failed (build/pkg/install.log)"
	tail -n 30 "$out/install.log"
fi
echo "packages: installed in $(($(date +%s) - t0)) s"
eq "install: acsexplain --version" "$(/usr/sbin/acsexplain --version 2>&1 | awk '{print $2}')" "$version"
rels=$(debian_kernels)
eq "install: Debian's 6.1 and 6.12 kernels have headers" "$(echo "$rels" | grep -cE '^6\.(1|12)\.')" 2
for rel in $rels; do
	dkms_module_checks install "$rel" "$version"
done

# make dkms-install / dkms-remove leave the package's module alone
make -s dkms-install >"$out/dkms-install.log" 2>&1
eq "install: make dkms-install refuses while the package is installed" "$?" 2
check "install: ... and says why" grep -q "apt remove acs-inspect-dkms first" "$out/dkms-install.log"
make -s dkms-remove >/dev/null 2>&1
check "install: ... and dkms-remove leaves its sources" test -f "/usr/src/acs-inspect-$version/dkms.conf"

# --- vm --------------------------------------------------------------------
if [ "$vm" = 1 ]; then
	t0=$(date +%s)
	ACSEXPLAIN=/usr/sbin/acsexplain ACSI_KO=installed \
		tests/vm/run.sh --no-fixtures -v "$VM_TOPOLOGY" >"$out/vm.log" 2>&1
	rc=$?
	line=$(grep -E '^vm: [0-9]+ passed' "$out/vm.log" | tail -n 1)
	echo "packages: $line (in $(($(date +%s) - t0)) s)"
	if [ "$rc" -eq 0 ] && echo "$line" | grep -q ' 0 failed'; then
		ok "vm: $line"
	else
		bad "vm: bed failed with the packaged tool and module (build/pkg/vm.log)"
		grep -E 'FAIL' "$out/vm.log" | head -n 20
	fi
	# the module was there and loaded, in each kernel's guest
	eq "vm: module-load passed on both kernels" \
		"$(grep -c 'PASS module-load:' "$out/vm.log")" 2
	eq "vm: the guests' module says version $version" \
		"$(grep -c "PASS module-info: .* version=$version\$" "$out/vm.log")" 2
fi

# --- purge -----------------------------------------------------------------
if apt_get purge -y -q acsexplain acs-inspect-dkms >"$out/purge.log" 2>&1; then
	ok "purge: apt-get purge"
else
	bad "purge: apt-get purge failed (build/pkg/purge.log)"
fi
eq "purge: tool removed" "$(ls /usr/sbin/acsexplain 2>/dev/null)" ""
for rel in $rels; do
	eq "purge $rel: module removed" "$(modinfo -k "$rel" -n acs_inspect 2>/dev/null)" ""
done
eq "purge: sources removed" "$(ls -d /usr/src/acs-inspect-* 2>/dev/null)" ""
finish
