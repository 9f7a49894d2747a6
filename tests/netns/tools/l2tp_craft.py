#!/usr/bin/env python3
"""Hostile L2TP peer for tests/netns/t-hostile-peer.sh.

Sends hand-built, mostly malformed RFC 2661 control messages to an LNS and
checks the answers that the RFC requires.  Each case prints one line
"ok CASE" or "FAIL CASE: why"; the exit status is the number of failures.
It is deliberately independent of vpdn's own codec (written from the RFC),
so a bug shared by encoder and decoder cannot hide.
"""
import os
import socket
import struct
import sys
import time

T, L, S = 0x8000, 0x4000, 0x0800
VER = 2


def avp(typ, value, m=True, vendor=0):
    flags = (0x8000 if m else 0) | (6 + len(value))
    return struct.pack("!HHH", flags, vendor, typ) + value


def u16(v):
    return struct.pack("!H", v)


def u32(v):
    return struct.pack("!I", v)


def ctrl(tid, sid, ns, nr, body):
    return struct.pack("!HHHHHH", T | L | S | VER, 12 + len(body), tid, sid,
                       ns, nr) + body


def sccrq_avps(assigned=4242, host=b"evil", extra=b""):
    return (avp(0, u16(1)) + avp(2, bytes([1, 0])) + avp(3, u32(3)) +
            avp(7, host) + avp(9, u16(assigned)) + extra)


def parse(pkt):
    """Returns (is_control, tid, sid, ns, nr, {avp_type: value}) or None."""
    if len(pkt) < 6:
        return None
    flags, = struct.unpack("!H", pkt[:2])
    if not flags & T:
        return None
    if len(pkt) < 12:
        return None
    _, length, tid, sid, ns, nr = struct.unpack("!HHHHHH", pkt[:12])
    avps, off = {}, 12
    while off + 6 <= min(length, len(pkt)):
        f, vendor, typ = struct.unpack("!HHH", pkt[off:off + 6])
        alen = f & 0x3ff
        if alen < 6:
            break
        avps.setdefault(typ, pkt[off + 6:off + alen])
        off += alen
    return True, tid, sid, ns, nr, avps


class Peer:
    def __init__(self, lns, port):
        fam = socket.AF_INET6 if ":" in lns else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_DGRAM)
        self.s.bind(("", 0))
        self.s.settimeout(0.3)
        self.lns = (lns, port)

    def send(self, pkt):
        self.s.sendto(pkt, self.lns)

    def collect(self, secs=2.0):
        out, end = [], time.time() + secs
        while time.time() < end:
            try:
                pkt, _ = self.s.recvfrom(65535)
            except socket.timeout:
                continue
            p = parse(pkt)
            if p:
                out.append(p)
        return out

    def close(self):
        self.s.close()


def msg_type(p):
    v = p[5].get(0)
    return struct.unpack("!H", v)[0] if v and len(v) == 2 else None


def result_of(p):
    v = p[5].get(1, b"")
    res = struct.unpack("!H", v[:2])[0] if len(v) >= 2 else None
    err = struct.unpack("!H", v[2:4])[0] if len(v) >= 4 else None
    return res, err


FAILS = 0


def report(name, ok, why=""):
    global FAILS
    if ok:
        print("ok", name)
    else:
        FAILS += 1
        print("FAIL %s: %s" % (name, why))
    sys.stdout.flush()


def expect_silence(peer, name, pkt):
    peer.send(pkt)
    got = [p for p in peer.collect(1.0) if msg_type(p) is not None]
    report(name, not got, "got answers %r" % [msg_type(p) for p in got])


def expect_stopccn(peer, name, pkt, result, error):
    peer.send(pkt)
    got = peer.collect(2.0)
    stops = [p for p in got if msg_type(p) == 4]
    if not stops:
        report(name, False, "no StopCCN (got %r)" % [msg_type(p) for p in got])
        return None
    res, err = result_of(stops[0])
    report(name, (res, err) == (result, error),
           "StopCCN result %r error %r, want %r %r" % (res, err, result, error))
    # The StopCCN must be addressed to the tunnel ID we assigned (§5.7).
    return stops[0]


def main():
    lns, port = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1701
    p = Peer(lns, port)

    # -- framing that must be dropped without an answer (§3.1, §4.1) --
    expect_silence(p, "truncated header (3 bytes)", b"\xc8\x02\x00")
    good = ctrl(0, 0, 0, 0, sccrq_avps(assigned=1000))
    bad_len = bytearray(good)
    struct.pack_into("!H", bad_len, 2, len(good) + 50)
    expect_silence(p, "Length field beyond the datagram", bytes(bad_len))
    v3 = bytearray(good)
    struct.pack_into("!H", v3, 0, T | L | S | 3)
    expect_silence(p, "version 3 header", bytes(v3))
    expect_silence(p, "control message without L bit",
                   struct.pack("!HHHHH", T | S | VER, 0, 0, 0, 0) +
                   sccrq_avps())
    short_avp = ctrl(0, 0, 0, 0, avp(0, u16(1)) +
                     struct.pack("!HHH", 0x8004, 0, 7))
    expect_silence(p, "AVP length < 6", short_avp)
    over = ctrl(0, 0, 0, 0, avp(0, u16(1)) +
                struct.pack("!HHH", 0x8000 | 200, 0, 7) + b"x")
    expect_silence(p, "AVP overrunning the message", over)
    expect_silence(p, "first AVP not Message Type",
                   ctrl(0, 0, 0, 0, avp(7, b"evil") + avp(0, u16(1))))
    expect_silence(p, "control message for an unknown tunnel ID",
                   ctrl(0xbeef, 0, 0, 0, avp(0, u16(6))))
    expect_silence(p, "data message for an unknown tunnel",
                   struct.pack("!HHH", VER, 0xbeef, 0x1234) + b"\xff\x03\xc0\x21")

    # -- messages the RFC answers with StopCCN (§4.2, §4.4.2) --
    p2 = Peer(lns, port)
    stop = expect_stopccn(p2, "unknown mandatory AVP in SCCRQ: StopCCN error 8",
                          ctrl(0, 0, 0, 0, sccrq_avps(
                              assigned=2001, extra=avp(99, b"??"))), 2, 8)
    if stop is not None:
        report("StopCCN goes to the tunnel ID the SCCRQ assigned",
               stop[1] == 2001, "tunnel ID %d" % stop[1])
    p2.close()
    p3 = Peer(lns, port)
    body = (avp(0, u16(1)) + avp(2, bytes([1, 0])) + avp(3, u32(3)) +
            avp(9, u16(2002)))      # no Host Name
    expect_stopccn(p3, "SCCRQ missing Host Name: StopCCN result 2 error 3",
                   ctrl(0, 0, 0, 0, body), 2, 3)
    p3.close()
    p4 = Peer(lns, port)
    body = sccrq_avps(assigned=2003).replace(avp(9, u16(2003)),
                                             avp(9, u32(2003)))
    expect_stopccn(p4, "Assigned Tunnel ID of wrong size: StopCCN error 2",
                   ctrl(0, 0, 0, 0, body), 2, 2)
    p4.close()

    # -- an unknown optional AVP is ignored: SCCRP comes back --
    p5 = Peer(lns, port)
    p5.send(ctrl(0, 0, 0, 0, sccrq_avps(assigned=2004,
                                        extra=avp(99, b"ok", m=False))))
    got = p5.collect(1.5)
    report("unknown non-mandatory AVP ignored: SCCRP",
           any(msg_type(x) == 2 for x in got),
           "got %r" % [msg_type(x) for x in got])
    sccrp = next((x for x in got if msg_type(x) == 2), None)
    if sccrp is not None:
        tid = struct.unpack("!H", sccrp[5][9])[0]
        # -- FSM error: ICCN in wait-ctl-conn → StopCCN result 7 --
        iccn = ctrl(tid, 0, 1, 1, avp(0, u16(12)) + avp(24, u32(1)) +
                    avp(19, u32(1)))
        p5.send(iccn)
        got = p5.collect(2.0)
        stops = [x for x in got if msg_type(x) == 4]
        report("message out of state (ICCN before SCCCN): StopCCN result 7",
               bool(stops) and result_of(stops[0])[0] == 7,
               "got %r" % [(msg_type(x), result_of(x)) for x in got])
    p5.close()
    p.close()
    return FAILS


if __name__ == "__main__":
    sys.exit(main())
