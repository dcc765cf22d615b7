# SPDX-License-Identifier: GPL-2.0
#
# acsexplain: kernel module acs_inspect + userspace tool acsexplain.
#
#   make                 build kmod/acs_inspect.ko and user/acsexplain
#   make KERNELRELEASE=6.12.117+deb12-amd64   build the module for that kernel
#   make KDIR=/path/to/kernel/build           ... or for that build tree
#   make check           install what is missing and run every test
#   make demo            install what is missing, boot a VM, explain a device
#   make install         the tool, its man pages and bash completion
#                        (PREFIX=/usr/local, DESTDIR=); make uninstall
#   make dkms-install    the module's sources to /usr/src/acs-inspect-VERSION,
#                        built and installed by DKMS for every installed
#                        kernel with headers; make dkms-remove
#   make soak            the module's long soak in the KUnit kernel (~1 h)
#
KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
# Debian's headers for a release that is not running live in /usr/src.
ifeq ($(wildcard $(KDIR)/Makefile),)
KDIR := /usr/src/linux-headers-$(KERNELRELEASE)
endif

.PHONY: all kmod user clean check demo deps test-user test-kunit test-vm \
	test-quirks bench checkpatch kmod-all install uninstall dkms-src \
	dkms-install dkms-remove soak

# The project's one version number: tool, module, dkms.conf, packages.
VERSION := $(shell cat $(CURDIR)/VERSION)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# DKMS looks for sources in /usr/src/<name>-<version>, whatever the PREFIX.
DKMS_NAME := acs-inspect
DKMS_SRC ?= /usr/src/$(DKMS_NAME)-$(VERSION)
# What a module build needs, and nothing else (no tests, no tool).
MODULE_SOURCES := Kbuild VERSION kmod/Kbuild kmod/compat.mk \
	$(sort $(wildcard kmod/*.c kmod/*.h)) $(sort $(wildcard include/uapi/linux/*.h))

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
	tests/kunit/kernels.sh

soak:
	tests/kunit/soak.sh

test-vm: user
	tests/vm/run.sh --all

bench: user
	tests/user/bench.sh

# make check MAINLINE=1 also builds and tests on the mainline 7.2 kernel.
check: deps
	ACSX_MAINLINE=$(or $(MAINLINE),$(ACSX_MAINLINE)) scripts/check.sh

demo: deps
	tests/vm/demo.sh

install: user
	install -D -m 0755 user/acsexplain $(DESTDIR)$(SBINDIR)/acsexplain
	install -D -m 0644 Documentation/acsexplain.8 $(DESTDIR)$(MANDIR)/man8/acsexplain.8
	install -D -m 0644 Documentation/acs_inspect.4 $(DESTDIR)$(MANDIR)/man4/acs_inspect.4
	install -D -m 0644 completion/acsexplain.bash $(DESTDIR)$(BASHCOMPDIR)/acsexplain

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/acsexplain \
		$(DESTDIR)$(MANDIR)/man8/acsexplain.8 \
		$(DESTDIR)$(MANDIR)/man4/acs_inspect.4 \
		$(DESTDIR)$(BASHCOMPDIR)/acsexplain

# The module's sources as DKMS wants them (also used by debian/rules).
dkms-src:
	rm -rf $(DESTDIR)$(DKMS_SRC)
	for f in $(MODULE_SOURCES); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRC)/$$f || exit 1; \
	done
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DESTDIR)$(DKMS_SRC)/dkms.conf

dkms-install:
	scripts/dkms-install.sh install $(DKMS_NAME) $(VERSION)

dkms-remove:
	scripts/dkms-install.sh remove $(DKMS_NAME) $(VERSION)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C user clean
	rm -rf build
