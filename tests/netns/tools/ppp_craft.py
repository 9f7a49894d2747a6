#!/usr/bin/env python3
"""A PPP-over-L2TP client that stops between LCP and authentication.

    ppp_craft.py LNS PORT pap|chap USER PASSWORD --ready FILE --go FILE

Opens a tunnel and an incoming call (RFC 2661 §5.1, §5.2), agrees to what
the LNS asks in LCP (RFC 1661) and, once LCP is open in both directions
(and, for CHAP, the LNS's Challenge has arrived, RFC 1994 §4), creates the
--ready file.  It then only keeps the tunnel and the link alive (ZLB acks
for Hellos, Echo-Replies) until the --go file appears, and only then
authenticates: PAP Authenticate-Request (RFC 1334 §2.2) or a CHAP-MD5
Response to the latest Challenge.  Prints "auth ok" (exit 0) or "auth
failed: MESSAGE" (exit 1); anything else (no answer, the call torn down)
exits 2.  With --hold FILE a successful call stays up until FILE exists.  Written from the RFCs, independent of vpdn's own code.
"""
import argparse
import hashlib
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from l2tp_craft import avp, u16, u32  # noqa: E402

T, L, S, O = 0x8000, 0x4000, 0x0800, 0x0200
PPP_LCP, PPP_PAP, PPP_CHAP = 0xc021, 0xc023, 0xc223
MAGIC = b"\x1a\x2b\x3c\x4d"


class Call:
    def __init__(self, lns, port):
        fam = socket.AF_INET6 if ":" in lns else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_DGRAM)
        self.s.bind(("", 0))
        self.s.settimeout(0.2)
        self.lns = (lns, port)
        self.tid, self.sid = 4711, 815
        self.peer_tid = self.peer_sid = 0
        self.ns = self.nr = 0
        self.msgs = []          # control messages (type, avps) not yet used
        self.frames = []        # PPP (protocol, packet) not yet used
        self.lcp_acked = self.lcp_acking = False
        self.auth_proto = None
        self.challenge = None   # (id, value) of the latest CHAP Challenge
        self.down = False

    # ---- L2TP control ----
    def ctrl(self, body, tid=None, sid=0):
        tid = self.peer_tid if tid is None else tid
        pkt = struct.pack("!HHHHHH", T | L | S | 2, 12 + len(body), tid, sid,
                          self.ns, self.nr) + body
        if body:
            self.ns = (self.ns + 1) & 0xffff
        self.s.sendto(pkt, self.lns)

    def zlb(self):
        self.ctrl(b"")

    def on_ctrl(self, pkt):
        _, length, _, _, ns, _ = struct.unpack("!HHHHHH", pkt[:12])
        if length == 12:
            return              # a ZLB: our messages are acknowledged
        if ns != self.nr:
            self.zlb()          # a duplicate or out of order: ack again
            return
        self.nr = (self.nr + 1) & 0xffff
        avps, off = {}, 12
        while off + 6 <= min(length, len(pkt)):
            f, _, typ = struct.unpack("!HHH", pkt[off:off + 6])
            alen = f & 0x3ff
            if alen < 6:
                break
            avps.setdefault(typ, pkt[off + 6:off + alen])
            off += alen
        mtype = struct.unpack("!H", avps.get(0, b"\0\0"))[0]
        if mtype == 2 and len(avps.get(9, b"")) == 2:   # SCCRP
            self.peer_tid = struct.unpack("!H", avps[9])[0]
        if mtype in (4, 14):    # StopCCN, CDN
            self.down = True
        self.msgs.append((mtype, avps))
        self.zlb()

    # ---- L2TP data / PPP ----
    def send_ppp(self, proto, code, ident, data):
        pkt = struct.pack("!BBH", code, ident, 4 + len(data)) + data
        hdr = struct.pack("!HHH", 2, self.peer_tid, self.peer_sid)
        self.s.sendto(hdr + b"\xff\x03" + u16(proto) + pkt, self.lns)

    def on_data(self, pkt):
        flags = struct.unpack("!H", pkt[:2])[0]
        off = 2 + (2 if flags & L else 0) + 4 + (4 if flags & S else 0)
        if flags & O:
            off += 2 + struct.unpack("!H", pkt[off:off + 2])[0]
        f = pkt[off:]
        if f[:2] == b"\xff\x03":
            f = f[2:]
        if f and f[0] & 1:
            proto, f = f[0], f[1:]
        else:
            proto, f = struct.unpack("!H", f[:2])[0], f[2:]
        if len(f) < 4:
            return
        code, ident, length = struct.unpack("!BBH", f[:4])
        data = f[4:length]
        if proto == PPP_LCP:
            self.on_lcp(code, ident, data)
        elif proto == PPP_CHAP and code == 1:
            n = data[0]
            self.challenge = (ident, data[1:1 + n])
        elif proto in (PPP_PAP, PPP_CHAP):
            self.frames.append((proto, code, data))

    def on_lcp(self, code, ident, data):
        if code == 1:           # Configure-Request: agree to all of it
            off = 0
            while off + 2 <= len(data):
                typ, ln = data[off], data[off + 1]
                if ln < 2:
                    break
                if typ == 3:
                    self.auth_proto = struct.unpack(
                        "!H", data[off + 2:off + 4])[0]
                off += ln
            self.send_ppp(PPP_LCP, 2, ident, data)
            self.lcp_acking = True
        elif code == 2 and ident == 1:
            self.lcp_acked = True
        elif code == 5:         # Terminate-Request
            self.send_ppp(PPP_LCP, 6, ident, b"")
            self.down = True
        elif code == 9:         # Echo-Request
            self.send_ppp(PPP_LCP, 10, ident, MAGIC + data[4:])

    def pump(self, secs=0.2):
        end = time.time() + secs
        while time.time() < end:
            try:
                pkt, _ = self.s.recvfrom(65535)
            except socket.timeout:
                continue
            if len(pkt) < 6:
                continue
            if struct.unpack("!H", pkt[:2])[0] & T:
                if len(pkt) >= 12:
                    self.on_ctrl(pkt)
            else:
                self.on_data(pkt)

    def wait_msg(self, mtype, secs=5.0):
        end = time.time() + secs
        while time.time() < end:
            for m in self.msgs:
                if m[0] == mtype:
                    self.msgs.remove(m)
                    return m[1]
            if self.down:
                return None
            self.pump(0.1)
        return None


def hold(c, path, secs):
    """With --hold: keep the call (and the address the LNS gave it) until
    path exists; the LNS's IPCP is left unanswered."""
    end = time.time() + secs
    while path and not os.path.exists(path) and time.time() < end:
        c.pump(0.2)


def fail(why):
    print(why)
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lns")
    ap.add_argument("port", type=int)
    ap.add_argument("method", choices=("pap", "chap"))
    ap.add_argument("user")
    ap.add_argument("password")
    ap.add_argument("--ready", required=True)
    ap.add_argument("--go", required=True)
    ap.add_argument("--hold", help="after success, end the call only "
                    "once this file exists")
    ap.add_argument("--timeout", type=float, default=20.0)
    a = ap.parse_args()
    c = Call(a.lns, a.port)

    # RFC 2661 §5.1: SCCRQ, SCCRP, SCCCN
    c.ctrl(avp(0, u16(1)) + avp(2, bytes([1, 0])) + avp(3, u32(3)) +
           avp(7, b"ppp-craft") + avp(9, u16(c.tid)), tid=0)
    sccrp = c.wait_msg(2)
    if sccrp is None or 9 not in sccrp:
        fail("no SCCRP")
    c.peer_tid = struct.unpack("!H", sccrp[9])[0]
    c.ctrl(avp(0, u16(3)))
    # §5.2 incoming call: ICRQ, ICRP, ICCN
    c.ctrl(avp(0, u16(10)) + avp(14, u16(c.sid)) + avp(15, u32(1)))
    icrp = c.wait_msg(11)
    if icrp is None or 14 not in icrp:
        fail("no ICRP")
    c.peer_sid = struct.unpack("!H", icrp[14])[0]
    c.ctrl(avp(0, u16(12)) + avp(24, u32(100000000)) + avp(19, u32(1)),
           sid=c.peer_sid)

    # RFC 1661: our Configure-Request (Magic-Number only); theirs acked
    want = PPP_PAP if a.method == "pap" else PPP_CHAP
    end = time.time() + 10
    while not (c.lcp_acked and c.lcp_acking and
               (want == PPP_PAP or c.challenge is not None)):
        if time.time() > end or c.down:
            fail("LCP did not open")
        if not c.lcp_acked:
            c.send_ppp(PPP_LCP, 1, 1, bytes([5, 6]) + MAGIC)
        c.pump(0.5)
    if c.auth_proto != want:
        fail("the LNS asked for protocol 0x%04x" % (c.auth_proto or 0))
    print("lcp open")
    sys.stdout.flush()
    with open(a.ready, "w") as f:
        f.write("lcp open\n")

    # Hold the link between LCP-open and authentication.
    end = time.time() + a.timeout
    while not os.path.exists(a.go):
        if time.time() > end or c.down:
            fail("no go before the call ended")
        c.pump(0.2)

    user, pw = a.user.encode(), a.password.encode()
    end = time.time() + 10
    ident = 7
    while time.time() < end and not c.down:
        if want == PPP_PAP:
            c.send_ppp(PPP_PAP, 1, ident, bytes([len(user)]) + user +
                       bytes([len(pw)]) + pw)
        elif c.challenge is not None:
            cid, chal = c.challenge
            ident = cid
            resp = hashlib.md5(bytes([cid]) + pw + chal).digest()
            c.send_ppp(PPP_CHAP, 2, cid, bytes([16]) + resp + user)
        c.pump(1.0)
        for proto, code, data in c.frames:
            if proto == PPP_PAP and code in (2, 3):
                msg = data[1:1 + data[0]].decode(errors="replace") \
                    if data else ""
            elif proto == PPP_CHAP and code in (3, 4):
                msg = data.decode(errors="replace")
            else:
                continue
            if code == (2 if proto == PPP_PAP else 3):
                print("auth ok")
                sys.stdout.flush()
                hold(c, a.hold, a.timeout)
                c.ctrl(avp(0, u16(4)) + avp(9, u16(c.tid)) + avp(1, u16(1)))
                sys.exit(0)
            c.ctrl(avp(0, u16(4)) + avp(9, u16(c.tid)) + avp(1, u16(1)))
            print("auth failed: " + msg)
            sys.exit(1)
        c.frames.clear()
    fail("no answer to the authentication")


if __name__ == "__main__":
    main()
