#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kconfig-tiny.sh SRC BUILD FRAGMENT: configure the kernel tree SRC into
# BUILD as tinyconfig plus FRAGMENT, the one way both test kernels are
# configured (tests/kunit/run.sh: Debian's 6.1 for KUnit; scripts/
# build-mainline.sh: sid's 7.2).  Output goes to stdout/stderr for the
# caller's log; the exit status is that of the failing step.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 SRC BUILD FRAGMENT" >&2; exit 2; }
src=$1 build=$2 fragment=$3
mkdir -p "$build"
cd "$src"
make -s ARCH=x86_64 O="$build" tinyconfig
scripts/kconfig/merge_config.sh -m -O "$build" "$build/.config" "$fragment"
make -s ARCH=x86_64 O="$build" olddefconfig
