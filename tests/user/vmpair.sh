#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# IOMMU-off captures judged by the IOMMU-on kernels (tests/user/vmpair.py).
top=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$top/tests/user/vmpair.py" "${ACSX_TOOL:-$top/user/acsexplain}" \
	"$top/tests/user/fixtures/vm-pair"
