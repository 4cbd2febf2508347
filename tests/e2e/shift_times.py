#!/usr/bin/env python3
"""shift_times.py IN OUT SECONDS: a copy of a cpu-clock perf.data file (sample_type
IP|TID|TIME|PERIOD, sample_id_all) whose times are all moved by one amount, so that its first
sample comes SECONDS after boot; a time of 0 stays 0. For checks whose output depends on how
long the machine had been up (preport --sort time)."""
import struct
import sys

src, dst, at = sys.argv[1], sys.argv[2], float(sys.argv[3])
b = bytearray(open(src, 'rb').read())
attr_size, attrs_off, attrs_size, data_off, data_size = struct.unpack_from('<QQQQQ', b, 16)
for off in range(attrs_off, attrs_off + attrs_size, attr_size):
    # perf_event_attr: type, size, config, sample_period, sample_type, read_format, flags
    sample_type, _, flags = struct.unpack_from('<QQQ', b, off + 24)
    if sample_type != 0x107 or not flags & (1 << 18):     # IP|TID|TIME|PERIOD, sample_id_all
        sys.exit('shift_times.py: %s: sample_type %#x (flags %#x), not the layout this '
                 'script knows' % (src, sample_type, flags))
spots, p = [], data_off          # (offset of a time, whether it is a sample's)
while p < data_off + data_size:
    rtype, _, size = struct.unpack_from('<IHH', b, p)
    if size < 8:
        sys.exit('shift_times.py: a record of size %d' % size)
    if rtype == 9:               # PERF_RECORD_SAMPLE: ip, pid/tid, then time
        spots.append((p + 24, True))
    elif rtype < 64:             # the kernel's records end with the sample_id's pid/tid, time
        spots.append((p + size - 8, False))
    p += size
t0 = min(struct.unpack_from('<Q', b, o)[0] for o, sample in spots if sample)
shift = int(at * 1e9) - t0
for o, _ in spots:
    v = struct.unpack_from('<Q', b, o)[0]
    if v:
        struct.pack_into('<Q', b, o, max(v + shift, 1))
open(dst, 'wb').write(b)
