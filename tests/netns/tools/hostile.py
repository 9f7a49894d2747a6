#!/usr/bin/env python3
"""Dead and hostile L2TP peers for tests/netns/t-flood.sh.

  hostile.py flood LNS SRC SECONDS RATE PORTS
      SCCRQs with fresh Assigned Tunnel IDs from PORTS source ports of SRC at
      RATE a second for SECONDS; never answers.  Prints "sent N replies N".
  hostile.py sessions LNS SRC COUNT
      a proper tunnel (no secret, our Assigned Tunnel ID 777), then COUNT ICRQs one after another, each
      acked; prints one line per ICRQ: "icrp" or "cdn RESULT ERROR".
  hostile.py noack LNS SRC COUNT
      a tunnel (our Assigned Tunnel ID 778, Receive Window Size 4) whose
      peer acks the SCCRP (in SCCCN) and nothing after: COUNT ICRQs, so the
      LNS's ICRPs fill the window and are never acked.  Prints "tunnel ID"
      (the LNS's ID), then stays silent for a minute.
  hostile.py spoof LNS SRC TUNNEL SESSION COUNT
      COUNT data messages (T=0) to TUNNEL/SESSION from SRC:1701 with a raw
      socket (the source address is whatever SRC says, so it can be someone
      else's).  Prints "sent N".
Written from RFC 2661, independent of vpdn's codec (like l2tp_craft.py).
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from l2tp_craft import avp, u16, u32, ctrl, sccrq_avps, parse, msg_type, \
    result_of  # noqa: E402
from inetcsum import csum  # noqa: E402


def sock(src, port=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, port))
    return s


def flood(lns, src, secs, rate, nports):
    socks = [sock(src) for _ in range(nports)]
    for s in socks:
        s.setblocking(False)
    sent = replies = 0
    start = time.time()
    tid = 1
    while True:
        now = time.time()
        if now - start >= secs:
            break
        due = int((now - start) * rate)
        while sent < due:
            s = socks[sent % nports]
            try:
                s.sendto(ctrl(0, 0, 0, 0,
                              sccrq_avps(assigned=tid, host=b"flood")),
                         (lns, 1701))
            except BlockingIOError:
                pass
            sent += 1
            tid = tid % 65535 + 1
        for s in socks:
            try:
                while True:
                    s.recv(2048)
                    replies += 1
            except BlockingIOError:
                pass
        time.sleep(0.002)
    print("sent %d replies %d" % (sent, replies))


class Tunnel:
    """The peer side of one control connection, Ns/Nr kept by hand."""

    def __init__(self, lns, src, mytid, rws=4):
        self.s = sock(src)
        self.s.settimeout(0.2)
        self.lns = (lns, 1701)
        self.ns = 0
        self.nr = 0
        self.tid = 0
        self.mytid = mytid
        self.send_msg(None, sccrq_avps(assigned=self.mytid, host=b"hostile",
                                    extra=avp(10, u16(rws))), tid=0)
        rp = self.wait(2)		# SCCRP (type 2)
        if rp is None:
            raise SystemExit("no SCCRP")
        self.tid = struct.unpack("!H", rp[5][9])[0]
        self.send_msg(3, b"")

    def send_msg(self, typ, body, tid=None, sid=0, nr=None):
        self.s.sendto(ctrl(self.tid if tid is None else tid, sid, self.ns,
                           self.nr if nr is None else nr,
                           (b"" if typ is None else avp(0, u16(typ))) +
                           body), self.lns)
        self.ns += 1

    def wait(self, typ, secs=5.0):
        """Next in-sequence message of type typ (others in sequence are
        acknowledged by the Nr of what we send next)."""
        end = time.time() + secs
        while time.time() < end:
            try:
                pkt = self.s.recv(4096)
            except socket.timeout:
                continue
            p = parse(pkt)
            if not p or msg_type(p) is None:
                continue
            if p[3] != self.nr:
                continue	# a retransmission of what we already have
            self.nr += 1
            if msg_type(p) == typ or typ is None:
                return p
        return None

    def wait_any(self, secs=5.0):
        return self.wait(None, secs)


def sessions(lns, src, count):
    t = Tunnel(lns, src, 777)
    for i in range(count):
        t.send_msg(10, avp(14, u16(100 + i)) + avp(15, u32(5000 + i)))
        p = t.wait_any()
        if p is None:
            print("none")
        elif msg_type(p) == 11:
            print("icrp")
        elif msg_type(p) == 14:
            print("cdn %s %s" % result_of(p))
        else:
            print("other %s" % msg_type(p))
        sys.stdout.flush()
    # a ZLB for the last answer, then go quiet (the LNS keeps the tunnel
    # until the test is done with it)
    t.s.sendto(struct.pack("!HHHHHH", 0xc802, 12, t.tid, 0, t.ns, t.nr),
               t.lns)


def noack(lns, src, count):
    t = Tunnel(lns, src, 778)
    frozen = t.nr		# acks the SCCRP, nothing after
    for i in range(count):
        t.send_msg(10, avp(14, u16(200 + i)) + avp(15, u32(6000 + i)),
                   nr=frozen)
        time.sleep(0.05)
    print("tunnel %d" % t.tid)
    sys.stdout.flush()
    # stay silent but alive, so that anything the LNS sends is not refused
    time.sleep(60)


def spoof(lns, src, tunnel, session, count):
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    # L2TP data message without length or sequence fields (§3.1): flags
    # and version, tunnel, session, then a PPP LCP Echo-Request that the
    # LNS must drop before looking at it.
    payload = struct.pack("!HHH", 0x0002, tunnel, session) + \
        b"\xc0\x21\x09\x01\x00\x08\x00\x00\x00\x00"
    udp_len = 8 + len(payload)
    sip, dip = socket.inet_aton(src), socket.inet_aton(lns)
    udp = struct.pack("!HHHH", 1701, 1701, udp_len, 0) + payload
    pseudo = sip + dip + struct.pack("!BBH", 0, 17, udp_len)
    c = csum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0,
                     sip, dip)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    for _ in range(count):
        r.sendto(ip + udp, (lns, 0))
    print("sent %d" % count)


def main():
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == "flood":
        flood(a[0], a[1], float(a[2]), int(a[3]), int(a[4]))
    elif cmd == "sessions":
        sessions(a[0], a[1], int(a[2]))
    elif cmd == "noack":
        noack(a[0], a[1], int(a[2]))
    elif cmd == "spoof":
        spoof(a[0], a[1], int(a[2]), int(a[3]), int(a[4]))
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
