#!/usr/bin/env python3
"""Hostile perf.data files for tests/e2e/hardening_limits.t, made by patching a real recording
(precord or perf record, one event): records are appended at the end of the data section and
the feature sections behind it move along, so the file stays one that perf reads.

  hardening_gen.py deep   IN OUT DEPTH N    N samples whose call chains are DEPTH frames deep
                                            (the user frames of a real sample, repeated)
  hardening_gen.py claim  IN OUT            one sample whose chain claims 2^61 frames
  hardening_gen.py threads IN OUT N EVERY   N threads (a COMM each, pid = tid), one sample in
                                            every EVERY-th of them
  hardening_gen.py late_comm IN OUT N       a process unknown to the file (no FORK, no COMM:
                                            forked as the recording started) sampled N times,
                                            then exec'd (COMM exec "late_exec"), then N more
  hardening_gen.py churn  IN OUT N          a process forked from the sampled one as it ends
                                            (it lives on, with its maps), then N short-lived
                                            processes one after another, 1 ms of recorded time
                                            each: forked from it, 4 libraries mapped, sampled
                                            twice (the recording's chain: it resolves through the
                                            maps they were forked with), exited; a
                                            FINISHED_ROUND after every 100
"""
import struct
import sys

IP, TID, TIME, ADDR, READ, CALLCHAIN, ID, CPU, PERIOD = 1, 2, 4, 8, 16, 32, 64, 128, 256
STREAM_ID, IDENTIFIER = 512, 1 << 16
CONTEXT_USER = (1 << 64) - 512
SAMPLE, COMM, EXIT, FORK, MMAP2 = 9, 3, 4, 7, 10


def load(path):
    b = bytearray(open(path, "rb").read())
    magic, hsize, attr_size, a_off, a_size, d_off, d_size = struct.unpack_from("<8sQQQQQQ", b, 0)
    assert magic == b"PERFILE2" and hsize == 104, "not a PERFILE2 file"
    assert a_size == attr_size, "one event only"
    sample_type, = struct.unpack_from("<Q", b, a_off + 24)
    flags, = struct.unpack_from("<Q", b, a_off + 40)
    known = IP | TID | TIME | CALLCHAIN | ID | CPU | PERIOD | IDENTIFIER | STREAM_ID
    assert not sample_type & ~known, "sample_type %#x not handled" % sample_type
    return b, d_off, d_size, sample_type, bool(flags & (1 << 18))


def records(b, d_off, d_size):
    pos = d_off
    while pos < d_off + d_size:
        typ, misc, size = struct.unpack_from("<IHH", b, pos)
        yield typ, misc, pos, size
        pos += size


def parse_sample(b, pos, st):
    """The fields of a SAMPLE record as a dict (the types load() accepts)."""
    s, off = {}, pos + 8
    for bit, name, fmt in ((IDENTIFIER, "identifier", "<Q"), (IP, "ip", "<Q"), (TID, "pidtid", "<II"),
                           (TIME, "time", "<Q"), (ID, "id", "<Q"), (STREAM_ID, "stream", "<Q"),
                           (CPU, "cpu", "<II"), (PERIOD, "period", "<Q")):
        if st & bit:
            s[name] = struct.unpack_from(fmt, b, off)
            off += 8
    if st & CALLCHAIN:
        nr, = struct.unpack_from("<Q", b, off)
        s["chain"] = list(struct.unpack_from("<%dQ" % nr, b, off + 8))
    return s


def sample_bytes(s, st, misc, chain_nr=None):
    body = b""
    for bit, name, fmt in ((IDENTIFIER, "identifier", "<Q"), (IP, "ip", "<Q"), (TID, "pidtid", "<II"),
                           (TIME, "time", "<Q"), (ID, "id", "<Q"), (STREAM_ID, "stream", "<Q"),
                           (CPU, "cpu", "<II"), (PERIOD, "period", "<Q")):
        if st & bit:
            body += struct.pack(fmt, *s[name])
    if st & CALLCHAIN:
        chain = s["chain"]
        body += struct.pack("<Q", len(chain) if chain_nr is None else chain_nr)
        body += struct.pack("<%dQ" % len(chain), *chain)
    assert 8 + len(body) < 65536, "record too big"
    return struct.pack("<IHH", SAMPLE, misc, 8 + len(body)) + body


def trailer(st, pid, tid, time, like):
    """sample_id_all trailer, in the kernel's order."""
    t = b""
    if st & TID:
        t += struct.pack("<II", pid, tid)
    if st & TIME:
        t += struct.pack("<Q", time)
    if st & ID:
        t += struct.pack("<Q", like["id"][0])
    if st & STREAM_ID:
        t += struct.pack("<Q", like["stream"][0])
    if st & CPU:
        t += struct.pack("<II", *like["cpu"])
    if st & IDENTIFIER:
        t += struct.pack("<Q", like["identifier"][0])
    return t


def comm_bytes(pid, tid, name, st, id_all, time, like, misc=0):
    body = struct.pack("<II", pid, tid) + name.encode().ljust((len(name) + 8) // 8 * 8, b"\0")
    if id_all:
        body += trailer(st, pid, tid, time, like)
    return struct.pack("<IHH", COMM, misc, 8 + len(body)) + body


def task_bytes(typ, pid, ppid, time, st, id_all, like):
    """FORK or EXIT of a process (its one thread)."""
    body = struct.pack("<IIIIQ", pid, ppid, pid, ppid, time)
    if id_all:
        body += trailer(st, pid, pid, time, like)
    return struct.pack("<IHH", typ, 0, 8 + len(body)) + body


def mmap2_bytes(pid, start, length, name, st, id_all, time, like):
    """An executable user mapping of file @name (no such file: no symbols, but a DSO)."""
    body = struct.pack("<IIQQQIIQQII", pid, pid, start, length, 0, 8, 1, 4242, 0, 5, 2)
    body += name.encode().ljust((len(name) + 8) // 8 * 8, b"\0")
    if id_all:
        body += trailer(st, pid, pid, time, like)
    return struct.pack("<IHH", MMAP2, 2, 8 + len(body)) + body	# PERF_RECORD_MISC_USER


def save(path, b, d_off, d_size, extra):
    """Append extra records to the data section; move everything stored behind it."""
    end, delta = d_off + d_size, len(extra)
    bitmap = struct.unpack_from("<4Q", b, 72)
    nfeat = sum(bin(w).count("1") for w in bitmap)
    for i in range(nfeat):
        o = end + 16 * i
        f_off, f_size = struct.unpack_from("<QQ", b, o)
        struct.pack_into("<QQ", b, o, f_off + delta if f_off >= end else f_off, f_size)
    for o in (24, 56):		# attrs, event_types: moved if they were behind the data
        s_off, = struct.unpack_from("<Q", b, o)
        if s_off >= end:
            struct.pack_into("<Q", b, o, s_off + delta)
    struct.pack_into("<Q", b, 48, d_size + delta)
    with open(path, "wb") as f:
        f.write(b[:end])
        f.write(extra)
        f.write(b[end:])


def main():
    mode, inp, out = sys.argv[1:4]
    b, d_off, d_size, st, id_all = load(inp)
    samples = [(misc, parse_sample(b, pos, st)) for typ, misc, pos, size in records(b, d_off, d_size)
               if typ == SAMPLE]
    # a user-space sample with a chain to copy (churn: any sample), and the last time in the file
    user = [(m, s) for m, s in samples if s.get("chain") and CONTEXT_USER in s["chain"]]
    assert user or (mode == "churn" and samples), "no user-space sample with a call chain"
    misc, like = user[0] if user else samples[0]
    last = max(s["time"][0] for m, s in samples) if st & TIME else 0
    extra = bytearray()
    if mode == "deep":
        depth, n = int(sys.argv[4]), int(sys.argv[5])
        user = [ip for ip in like["chain"][like["chain"].index(CONTEXT_USER) + 1:] if ip < CONTEXT_USER]
        s = dict(like)
        s["chain"] = [CONTEXT_USER] + [user[i % len(user)] for i in range(depth - 1)]
        for i in range(n):
            if st & TIME:
                s["time"] = (last + 1 + i,)
            extra += sample_bytes(s, st, misc)
    elif mode == "claim":
        s = dict(like)
        if st & TIME:
            s["time"] = (last + 1,)
        extra += sample_bytes(s, st, misc, chain_nr=1 << 61)
    elif mode == "threads":
        n, every = int(sys.argv[4]), int(sys.argv[5])
        s = dict(like)
        s["chain"] = [ip for ip in like["chain"] if ip < CONTEXT_USER][:1]
        parts = []
        for i in range(n):
            pid = 1000000 + i
            parts.append(comm_bytes(pid, pid, "t%d" % i, st, id_all, last + 1 + 2 * i, like))
            if i % every == 0:
                s["pidtid"] = (pid, pid)
                if st & TIME:
                    s["time"] = (last + 2 + 2 * i,)
                parts.append(sample_bytes(s, st, misc))
        extra = b"".join(parts)
    elif mode == "late_comm":
        n = int(sys.argv[4])
        s = dict(like)
        s["pidtid"] = (1000000, 1000000)
        parts = []
        for i in range(2 * n + 1):
            if i == n:
                parts.append(comm_bytes(1000000, 1000000, "late_exec", st, id_all, last + 1 + i, like,
                                        misc=1 << 13))	# PERF_RECORD_MISC_COMM_EXEC
                continue
            if st & TIME:
                s["time"] = (last + 1 + i,)
            parts.append(sample_bytes(s, st, misc))
        extra = b"".join(parts)
    elif mode == "churn":
        n = int(sys.argv[4])
        assert st & TIME and id_all, "churn needs sample times and sample_id_all"
        parent = 1999999
        s = dict(like)
        parts = [task_bytes(FORK, parent, like["pidtid"][0], last + 1, st, id_all, like)]
        for i in range(n):
            pid, t = 2000000 + i, last + 2 + i * 1000000
            parts.append(task_bytes(FORK, pid, parent, t, st, id_all, like))
            for k in range(4):
                parts.append(mmap2_bytes(pid, 0x10000000 + k * 0x100000, 0x10000,
                                         "/nonexistent/churn-lib%d.so" % k, st, id_all, t + 1 + k,
                                         like))
            s["pidtid"] = (pid, pid)
            for k in range(2):
                s["time"] = (t + 5 + k,)
                parts.append(sample_bytes(s, st, misc))
            parts.append(task_bytes(EXIT, pid, parent, t + 7, st, id_all, like))
            if i % 100 == 99:
                parts.append(struct.pack("<IHH", 68, 0, 8))	# FINISHED_ROUND, as perf writes
        extra = b"".join(parts)
    else:
        sys.exit("unknown mode " + mode)
    save(out, b, d_off, d_size, bytes(extra))


if __name__ == "__main__":
    main()
