#!/usr/bin/env python3
"""The tests' own mutator of perf.data files (tests/e2e/corpus.t): from one fresh recording it
writes a corpus of damaged copies, each named after what was done to it, covering every
region of the file (header, ids, attrs, data, feature index, feature payloads):

  trunc-REGION-N   the file cut inside REGION
  flip-REGION-S    random bytes of REGION changed (seed S)
  over-REGION-V-N  a u64 of REGION overwritten with V (zero, ones, big)
  swap-N           records N and N+1 of the data swapped
  dup-N            record N duplicated (data size and feature offsets moved along)
  feat-WHAT        feature-table damage: an entry pointing outside the file, a size that
                   runs past it, unknown bits set, the bitmap cleared, a payload garbled
  datasize-WHAT    data size 0 (a killed perf record) or larger than the file (cut copy)

  corpus_gen.py IN OUTDIR [SEED [REGEX]]   prints the names written, one a line; with REGEX only
                                           the names it matches
"""
import os
import random
import re
import struct
import sys


def regions(b):
    """[name, start, end) of the file's parts, from its header."""
    attr_size, a_off, a_size, d_off, d_size = struct.unpack_from("<QQQQQ", b, 16)
    feats = struct.unpack_from("<4Q", b, 72)
    nfeat = sum(bin(w).count("1") for w in feats)
    idx = d_off + d_size
    out = [("header", 0, 104), ("attrs", a_off, a_off + a_size)]
    ids = struct.unpack_from("<QQ", b, a_off + attr_size - 16)
    if ids[1]:
        out.append(("ids", ids[0], ids[0] + ids[1]))
    out.append(("data", d_off, d_off + d_size))
    if nfeat:
        out.append(("featidx", idx, idx + 16 * nfeat))
        payload_start = min(struct.unpack_from("<Q", b, idx + 16 * i)[0] for i in range(nfeat))
        out.append(("featdata", payload_start, len(b)))
    return out, d_off, d_size, idx, nfeat


def records(b, d_off, d_size):
    pos, out = d_off, []
    while pos + 8 <= d_off + d_size:
        size = struct.unpack_from("<H", b, pos + 6)[0]
        if size < 8:
            break
        out.append((pos, size))
        pos += size
    return out


def main():
    src, outdir = sys.argv[1], sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    keep = re.compile(sys.argv[4]) if len(sys.argv) > 4 else None
    b = open(src, "rb").read()
    regs, d_off, d_size, idx, nfeat = regions(b)
    recs = records(b, d_off, d_size)
    os.makedirs(outdir, exist_ok=True)

    def put(name, data):
        if keep and not keep.search(name):
            return
        with open(os.path.join(outdir, name + ".data"), "wb") as f:
            f.write(data)
        print(name)

    for name, start, end in regs:
        end = min(end, len(b))
        if end <= start:
            continue
        # cut at the start and in the middle of the region (the end of one is the start of the next)
        for i, at in enumerate(sorted({start, (start + end) // 2})):
            put("trunc-%s-%d" % (name, i), b[:at])
        for s in range(1):
            m = bytearray(b)
            for _ in range(rnd.randint(1, 6)):
                m[rnd.randrange(start, end)] = rnd.randrange(256)
            put("flip-%s-%d" % (name, s), bytes(m))
        for vname, v in (("zero", 0), ("ones", (1 << 64) - 1), ("big", 1 << 40)):
            if end - start < 8 or (vname != "ones" and name not in ("header", "featidx", "data")):
                continue
            at = start + rnd.randrange(0, (end - start) // 8) * 8
            m = bytearray(b)
            struct.pack_into("<Q", m, at, v)
            put("over-%s-%s-%d" % (name, vname, at), bytes(m))
    # cut in the middle of a record, and exactly between two
    if len(recs) > 4:
        pos, size = recs[len(recs) * 2 // 3]
        put("trunc-midrecord", b[:pos + size // 2])
        put("trunc-recordend", b[:pos])
    # swapped and duplicated records
    for n in sorted({1, len(recs) // 2}):
        if n + 1 >= len(recs) or n < 0:
            continue
        (p1, s1), (p2, s2) = recs[n], recs[n + 1]
        put("swap-%d" % n, b[:p1] + b[p2:p2 + s2] + b[p1:p1 + s1] + b[p2 + s2:])
        m = bytearray(b[:p2] + b[p1:p1 + s1] + b[p2:])
        struct.pack_into("<Q", m, 48, d_size + s1)
        for i in range(nfeat):
            off, = struct.unpack_from("<Q", m, idx + s1 + 16 * i)
            struct.pack_into("<Q", m, idx + s1 + 16 * i, off + s1)
        put("dup-%d" % n, bytes(m))
    # feature-table damage
    if nfeat:
        for i in sorted({0, nfeat - 1}):
            m = bytearray(b)
            struct.pack_into("<Q", m, idx + 16 * i, len(b) + 4096)
            put("feat-outside-%d" % i, bytes(m))
            m = bytearray(b)
            struct.pack_into("<Q", m, idx + 16 * i + 8, len(b))
            put("feat-size-%d" % i, bytes(m))
            m = bytearray(b)
            off, size = struct.unpack_from("<QQ", b, idx + 16 * i)
            for k in range(min(size, 64)):
                m[off + k] = rnd.randrange(256)
            put("feat-garbled-%d" % i, bytes(m))
        m = bytearray(b)
        struct.pack_into("<Q", m, 72 + 8, struct.unpack_from("<Q", b, 80)[0] | (1 << 7))
        put("feat-unknownbit", bytes(m))
        m = bytearray(b)
        struct.pack_into("<4Q", m, 72, 0, 0, 0, 0)
        put("feat-cleared", bytes(m))
        m = bytearray(b)
        struct.pack_into("<Q", m, 72, struct.unpack_from("<Q", b, 72)[0] | (1 << 1) | (1 << 18))
        put("feat-extrabits", bytes(m))
    m = bytearray(b)
    struct.pack_into("<Q", m, 48, 0)
    put("datasize-zero", bytes(m))
    m = bytearray(b[:d_off + d_size * 3 // 4])
    struct.pack_into("<Q", m, 48, 0)
    put("datasize-zero-cut", bytes(m))
    m = bytearray(b)
    struct.pack_into("<Q", m, 48, d_size * 4)
    put("datasize-past-end", bytes(m))


if __name__ == "__main__":
    main()
