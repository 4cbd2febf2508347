#!/usr/bin/env python3
"""Seeds for the framed cases of tests/fuzz/fuzz_perfdata.c, from a real perf.data file: each
of its feature sections as a "FEAT" input, its data section with lying sizes and cuts as
"TRNC" inputs.   framed_seeds.py PERF.DATA OUTDIR"""
import struct
import sys

b = open(sys.argv[1], "rb").read()
out = sys.argv[2]
d_off, d_size = struct.unpack_from("<QQ", b, 40)
feats = struct.unpack_from("<4Q", b, 72)
idx, slot = d_off + d_size, 0
for bit in range(256):
    if feats[bit // 64] >> (bit % 64) & 1:
        off, size = struct.unpack_from("<QQ", b, idx + 16 * slot)
        slot += 1
        if size < 60000:
            open("%s/feat-%d" % (out, bit), "wb").write(b"FEAT" + bytes([bit]) + b[off:off + size])
open("%s/feat-index" % out, "wb").write(b"FEAT\0" + struct.pack("<QQ", 400, 100) + b"\0" * 100)
data = b[d_off:d_off + min(d_size, 60000)]
# data.size 0 (killed), twice the data (cut copy), cut mid-way, a size ending inside a record
for i, (cut, size) in enumerate(((0xffffffff, 0), (0xffffffff, len(data) * 2),
                                 (232 + len(data) // 2, len(data)), (0xffffffff, len(data) - 3))):
    open("%s/trnc-%d" % (out, i), "wb").write(b"TRNC" + struct.pack("<IQ", cut, size) + data)
