#!/usr/bin/env python3
"""shift_times.py IN OUT SECONDS: a copy of a one-event perf.data file with sample times and
sample_id_all whose times are all moved by one amount, so that its first sample comes SECONDS
after boot; a time of 0 stays 0. For checks whose output depends on how long the machine had
been up (preport --sort time). The file is read with hardening_gen.py's parser."""
import struct
import sys

from hardening_gen import (CPU, ID, IDENTIFIER, IP, SAMPLE, STREAM_ID, TID, TIME, load,
                           records)

src, dst, at = sys.argv[1], sys.argv[2], float(sys.argv[3])
b, d_off, d_size, st, id_all = load(src)
if not st & TIME or not id_all:
    sys.exit('shift_times.py: %s: no sample times, or no sample_id_all' % src)
# a sample's time follows its identifier, ip and pid/tid; the kernel's other records end with
# the sample_id: pid/tid, time, id, stream_id, cpu, identifier (those the event has)
in_sample = 8 + 8 * sum(1 for f in (IDENTIFIER, IP, TID) if st & f)
from_end = 8 + 8 * sum(1 for f in (ID, STREAM_ID, CPU, IDENTIFIER) if st & f)
spots = []          # (offset of a time, whether it is a sample's)
for typ, _, pos, size in records(b, d_off, d_size):
    if typ == SAMPLE:
        spots.append((pos + in_sample, True))
    elif typ < 64:
        spots.append((pos + size - from_end, False))
t0 = min(struct.unpack_from('<Q', b, o)[0] for o, sample in spots if sample)
shift = int(at * 1e9) - t0
for o, _ in spots:
    v = struct.unpack_from('<Q', b, o)[0]
    if v:
        struct.pack_into('<Q', b, o, max(v + shift, 1))
open(dst, 'wb').write(b)
