# SPDX-License-Identifier: GPL-2.0
#
# Kernel capabilities the module adapts to, probed in the kernel's own
# headers at build time rather than guessed from the version number:
# distribution kernels backport features, and the probe sees what is
# really there.  Each becomes -DACSI_HAVE_<NAME>=1; compat.h documents them
# and defaults the missing ones to 0.  Included by kmod/Kbuild and by the
# KUnit suites' Kbuild.
acsi_probe = $(shell grep -qsE '$(1)' $(srctree)/$(2) && echo -DACSI_HAVE_$(3)=1)

# struct genl_split_ops, separate do/dump ops (6.2+): 6.12, 7.2 have it; 6.1 not
ccflags-y += $(call acsi_probe,^struct genl_split_ops,include/net/genetlink.h,GENL_SPLIT_OPS)
# PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS, bridge keeps requester IDs (7.0+): 7.2 only
ccflags-y += $(call acsi_probe,PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS,include/linux/pci.h,PCI_BRIDGE_NO_ALIAS)
# GENL_MCAST_CAP_SYS_ADMIN: privileged multicast groups (6.7, stable backports)
ccflags-y += $(call acsi_probe,define GENL_MCAST_CAP_SYS_ADMIN,include/net/genetlink.h,GENL_MCAST_CAP)
