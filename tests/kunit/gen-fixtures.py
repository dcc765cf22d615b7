#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn pciutils' regression dumps into C config-space fixtures for KUnit.

Usage:
  gen-fixtures.py [--data DIR] [--out DIR]  (writes fixtures.h and fixtures.c)
  gen-fixtures.py --scan [--data DIR]       (list every device of every dump)

The dumps are `lspci -vvv -x...` text: a device header line
"[DDDD:]BB:DD.F description" followed by hex lines "OFF: b0 b1 ... b15".
Only the hex is used; the text is lspci's interpretation and is ignored.
The default --data is the project's sibling directory shared/data/pciutils-tests.

Exit codes: 0 written, 1 a fixture's device is missing from its dump,
2 the data directory does not exist.
"""

import argparse
import os
import re
import sys

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            '..', '..', '..', 'shared', 'data',
                            'pciutils-tests')

# (fixture name, dump file, bdf in that dump). Chosen to cover every case the
# suites need: ACS on/off/absent, the Intel dword layout, each port type, and
# one real multi-level hierarchy (X58 + NF200 switch).
FIXTURES = [
    ('hsw_rp', 'cap-aer-root', '00:02.0'),
    ('cx3_ep', 'cap-aer-root', '03:00.0'),
    ('ioh_rp', 'cap-pcie-1', '00:01.0'),
    ('spt_rp', 'cap-exp-lnkcap2', '00:1c.0'),
    ('jhl_dsp', 'cap-exp-lnkcap2', '08:00.0'),
    ('x58_rp3', 'tree-asus-p6t6', '00:03.0'),
    ('ich10_rp', 'tree-asus-p6t6', '00:1c.0'),
    ('nf200_usp', 'tree-asus-p6t6', '02:00.0'),
    ('nf200_dsp0', 'tree-asus-p6t6', '03:00.0'),
    ('nf200_dsp2', 'tree-asus-p6t6', '03:02.0'),
    ('sas2008_ep', 'tree-asus-p6t6', '04:00.0'),
    ('gt218_vga', 'tree-asus-p6t6', '06:00.0'),
    ('gt218_hda', 'tree-asus-p6t6', '06:00.1'),
    ('ich10_pcibr', 'tree-asus-p6t6', '00:1e.0'),
    ('ich10_uhci', 'tree-asus-p6t6', '00:1a.0'),
    ('x58_rciep', 'tree-asus-p6t6', '00:14.0'),
    ('skl_gpu_rciep', 'cap-pasid-pri', '00:02.0'),
    ('pcix_pcie_br', 'cap-ptm-1', '0003:01:00.0'),
    ('ptm_ep', 'cap-ptm-2', '0003:02:01.0'),
    ('rcec', 'cap-rcec', '6a:00.4'),
    ('legacy_ep', 'cap-vc-and-rcl', '02:00.0'),
    ('ide_mfd_acs0', 'cap-ide', 'e1:00.0'),
]

HDR_RE = re.compile(r'^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])\s')
HEX_RE = re.compile(r'^([0-9a-f]{1,3}): ((?:[0-9a-f]{2} ?){1,16})$')

PORT_TYPES = {0: 'endpoint', 1: 'legacy-endpoint', 4: 'root-port',
              5: 'upstream-port', 6: 'downstream-port',
              7: 'pcie-to-pci-bridge', 8: 'pci-to-pcie-bridge',
              9: 'rciep', 10: 'rcec'}


def parse_dump(path):
    """Return [(bdf, bytearray)] in file order."""
    devs = []
    cur = None
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            m = HDR_RE.match(line)
            if m:
                dom, bus, dev, fn = m.groups()
                bdf = '%s:%s.%s' % (bus, dev, fn)
                if dom and dom != '0000':
                    bdf = dom + ':' + bdf
                cur = (bdf, {})
                devs.append(cur)
                continue
            m = HEX_RE.match(line.strip())
            if m and cur is not None:
                off = int(m.group(1), 16)
                for i, b in enumerate(m.group(2).split()):
                    cur[1][off + i] = int(b, 16)
    out = []
    for bdf, cells in devs:
        if not cells:
            continue
        size = max(cells) + 1
        size = 4096 if size > 256 else (256 if size > 64 else 64)
        buf = bytearray(size)
        for off, val in cells.items():
            buf[off] = val
        out.append((bdf, buf))
    return out


def rd16(buf, off):
    return buf[off] | buf[off + 1] << 8


def rd32(buf, off):
    return rd16(buf, off) | rd16(buf, off + 2) << 16


def find_cap(buf, cap_id):
    if len(buf) < 64 or not rd16(buf, 6) & 0x10:
        return 0
    pos = buf[0x34] & ~3
    for _ in range(48):
        if pos < 0x40 or pos + 2 > len(buf):
            return 0
        if buf[pos] == cap_id:
            return pos
        pos = buf[pos + 1] & ~3
    return 0


def find_ext_cap(buf, cap_id):
    if len(buf) <= 256:
        return 0
    pos = 0x100
    for _ in range(480):
        hdr = rd32(buf, pos)
        if hdr in (0, 0xffffffff):
            return 0
        if hdr & 0xffff == cap_id:
            return pos
        pos = hdr >> 20 & 0xffc
        if pos < 0x100:
            return 0
    return 0


def describe(buf):
    exp = find_cap(buf, 0x10)
    ptype = PORT_TYPES.get(rd16(buf, exp + 2) >> 4 & 0xf, '?') if exp else 'pci'
    acs = find_ext_cap(buf, 0x0d)
    acs_s = ''
    if acs:
        acs_s = ' acs@%#x cap=%#06x ctl=%#06x raw=%s' % (
            acs, rd16(buf, acs + 4), rd16(buf, acs + 6),
            buf[acs:acs + 12].hex(' '))
    return '%04x:%04x hdr=%#04x len=%d %s%s' % (
        rd16(buf, 0), rd16(buf, 2), buf[0x0e], len(buf), ptype, acs_s)


def c_array(name, buf):
    # Trailing zeroes are left to the fake, which reads them as 0.
    used = len(buf)
    while used > 64 and buf[used - 1] == 0:
        used -= 1
    used = (used + 15) & ~15
    lines = ['static const u8 fx_%s_cfg[] = {' % name]
    for off in range(0, used, 8):
        lines.append('\t' + ' '.join('0x%02x,' % b for b in buf[off:off + 8]))
    lines.append('};')
    return '\n'.join(lines), len(buf)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--out', default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument('--scan', action='store_true')
    args = ap.parse_args()
    if not os.path.isdir(args.data):
        sys.stderr.write('gen-fixtures: %s: no such directory (use --data)\n'
                         % args.data)
        return 2

    if args.scan:
        for fname in sorted(os.listdir(args.data)):
            for bdf, buf in parse_dump(os.path.join(args.data, fname)):
                print('%-28s %-12s %s' % (fname, bdf, describe(buf)))
        return 0

    head = ['/*',
            ' * Config-space fixtures for the acs_inspect KUnit suites.',
            ' *',
            ' * GENERATED by tests/kunit/gen-fixtures.py from pciutils\' regression',
            ' * dumps (shared/data/pciutils-tests/; pciutils, GPL-2.0-or-later).',
            ' * Regenerate with: tests/kunit/gen-fixtures.py',
            ' * Do not edit by hand.',
            ' */']
    hdr = ['/* SPDX-License-Identifier: GPL-2.0-or-later */'] + head + [
        '#ifndef ACSX_KUNIT_FIXTURES_H',
        '#define ACSX_KUNIT_FIXTURES_H',
        '',
        '#include <linux/types.h>',
        '',
        'struct acsx_fixture {',
        '\tconst char *name;\t/* source dump and bdf */',
        '\tconst u8 *cfg;\t\t/* leading bytes; the rest reads as 0 */',
        '\tunsigned int cfg_len;',
        '\tunsigned int dump_len;\t/* 64, 256 or 4096: what lspci dumped */',
        '};',
        '']
    src = ['// SPDX-License-Identifier: GPL-2.0-or-later'] + head + [
        '#include "fixtures.h"', '']
    cache = {}
    for name, fname, bdf in FIXTURES:
        if fname not in cache:
            cache[fname] = parse_dump(os.path.join(args.data, fname))
        match = [d for d in cache[fname] if d[0] == bdf]
        if not match:
            sys.stderr.write('gen-fixtures: %s: %s not found\n' % (fname, bdf))
            return 1
        dbdf, buf = match[0]
        arr, dump_len = c_array(name, buf)
        desc = describe(buf).split(' acs@')
        hdr.append('/* %s %s: %s */' % (fname, dbdf, desc[0]))
        hdr.append('extern const struct acsx_fixture fx_%s;' % name)
        if len(desc) > 1:
            src += ['/*', ' * %s %s: %s' % (fname, dbdf, desc[0]),
                    ' * acs@' + desc[1], ' */']
        else:
            src.append('/* %s %s: %s */' % (fname, dbdf, desc[0]))
        src.append(arr)
        src.append('')
        src.append('const struct acsx_fixture fx_%s = {' % name)
        src.append('\t.name = "%s %s",' % (fname, dbdf))
        src.append('\t.cfg = fx_%s_cfg,' % name)
        src.append('\t.cfg_len = sizeof(fx_%s_cfg),' % name)
        src.append('\t.dump_len = %d,' % dump_len)
        src.append('};')
        src.append('')
    hdr += ['', '#endif /* ACSX_KUNIT_FIXTURES_H */']
    with open(os.path.join(args.out, 'fixtures.h'), 'w') as f:
        f.write('\n'.join(hdr) + '\n')
    with open(os.path.join(args.out, 'fixtures.c'), 'w') as f:
        f.write('\n'.join(src[:-1]) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
