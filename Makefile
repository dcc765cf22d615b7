# SPDX-License-Identifier: GPL-2.0
#
# acsexplain: kernel module acs_inspect + userspace tool acsexplain.
#
#   make                 build kmod/acs_inspect.ko and user/acsexplain
#   make KERNELRELEASE=6.12.117+deb12-amd64   build the module for that kernel
#   make KDIR=/path/to/kernel/build           ... or for that build tree
#   make check           install what is missing and run every test
#   make demo            install what is missing, boot a VM, explain a device
#   make soak            the module's long soak in the KUnit kernel (~1 h)
#
KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
# Debian's headers for a release that is not running live in /usr/src.
ifeq ($(wildcard $(KDIR)/Makefile),)
KDIR := /usr/src/linux-headers-$(KERNELRELEASE)
endif

.PHONY: all kmod user clean check demo deps test-user test-kunit test-vm \
	test-quirks bench checkpatch kmod-all soak

all: kmod user

kmod:
	@test -f $(KDIR)/Makefile || { echo "kmod: no kernel headers for $(KERNELRELEASE) in $(KDIR): apt-get install linux-headers-$(KERNELRELEASE), or make KERNELRELEASE=... / KDIR=..., or make kmod-all"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

# Build the module for every Debian kernel the test bed boots.
kmod-all:
	scripts/build-kmod-all.sh

user:
	$(MAKE) -C user

deps:
	scripts/install-deps.sh

checkpatch:
	scripts/checkpatch.sh

test-user: user
	tests/user/run.sh

test-quirks: user
	quirks-db/check.sh

test-kunit:
	tests/kunit/run.sh

soak:
	tests/kunit/soak.sh

test-vm: user
	tests/vm/run.sh --all

bench: user
	tests/user/bench.sh

check: deps
	scripts/check.sh

demo: deps
	tests/vm/demo.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C user clean
	rm -rf build
