#!/usr/bin/env python3
"""A scripted PPP peer over one L2TP session, for tests/netns/t-ppp-reneg.sh.

  ppp_peer.py reneg LNS SRC USER1:PW1 USER2:PW2 ... [--hold SECONDS]
      a tunnel and one session; LCP, PAP as USER1 and IPCP, then for each
      further USER:PW an LCP renegotiation (a fresh Configure-Request while
      LCP is Opened, RFC 1661 §4.3) and PAP/IPCP again.  Prints one line per
      round: "up USER ADDRESS" (IPCP gave ADDRESS), "cdn RESULT" (the LNS
      ended the session), "term" (LCP Terminate-Request seen) or "timeout".
      Stops at the first round that does not come up; with --hold, stays on
      line that long after the last round (answering Echo and Hello).

Only PAP and the Magic-Number option are spoken: enough to drive the LNS
through Establish, Authenticate and Network again and again.  Written from
RFC 1661/1332/1334/2661, independent of vpdn's code.
"""
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from l2tp_craft import avp, u16, u32, parse, msg_type, result_of  # noqa: E402
from hostile import Tunnel  # noqa: E402

LCP, PAP, IPCP = 0xc021, 0xc023, 0x8021
CONF_REQ, CONF_ACK, CONF_NAK, CONF_REJ = 1, 2, 3, 4
TERM_REQ, TERM_ACK, ECHO_REQ, ECHO_REP = 5, 6, 9, 10


class Peer:
    def __init__(self, lns, src):
        self.t = Tunnel(lns, src, 779)
        self.t.s.settimeout(0.05)
        self.t.send_msg(10, avp(14, u16(4711)) + avp(15, u32(4711)))
        p = self.t.wait(11)			# ICRP
        if p is None:
            raise SystemExit("no ICRP")
        self.sid = struct.unpack("!H", p[5][14])[0]
        # ICCN: Tx Connect Speed, Framing Type (RFC 2661 §6.7)
        self.t.send_msg(12, avp(24, u32(100000000)) + avp(19, u32(3)),
                        sid=self.sid)
        self.magic = random.randint(1, 0xffffffff)
        self.ident = 1
        self.cdn = None
        self.term = False

    # ---- wire ----

    def send_ppp(self, proto, code, ident, data):
        ppp = struct.pack("!BBH", 0xff, 0x03, proto) + \
            struct.pack("!BBH", code, ident, 4 + len(data)) + data
        hdr = struct.pack("!HHH", 0x0002, self.t.tid, self.sid)
        self.t.s.sendto(hdr + ppp, self.t.lns)

    def zlb(self):
        self.t.s.sendto(struct.pack("!HHHHHH", 0xc802, 12, self.t.tid, 0,
                                    self.t.ns, self.t.nr), self.t.lns)

    def recv(self):
        """One PPP frame (proto, code, id, data), or None."""
        try:
            pkt = self.t.s.recv(4096)
        except socket.timeout:
            return None
        flags = struct.unpack("!H", pkt[:2])[0]
        if flags & 0x8000:			# control
            p = parse(pkt)
            if p and p[3] == self.t.nr and msg_type(p) is not None:
                self.t.nr += 1
                if msg_type(p) == 14:
                    self.cdn = result_of(p)[0]
                self.zlb()
            return None
        off = 2
        if flags & 0x4000:
            off += 2				# Length
        off += 4				# Tunnel ID, Session ID
        if flags & 0x0800:
            off += 4				# Ns, Nr
        if flags & 0x0200:
            off += 2 + struct.unpack("!H", pkt[off:off + 2])[0]
        ppp = pkt[off:]
        if ppp[:2] == b"\xff\x03":
            ppp = ppp[2:]
        if len(ppp) < 6:
            return None
        proto = struct.unpack("!H", ppp[:2])[0]
        code, ident, length = struct.unpack("!BBH", ppp[2:6])
        return proto, code, ident, ppp[6:2 + length]

    # ---- one round: Establish, Authenticate, Network ----

    def lcp_req(self):
        self.ident = (self.ident + 1) & 0xff
        self.lcp_id = self.ident
        self.send_ppp(LCP, CONF_REQ, self.lcp_id,
                      struct.pack("!BBI", 5, 6, self.magic))

    def round(self, user, pw, secs=15.0):
        lcp_ours = lcp_theirs = authed = False
        ipcp_ours = ipcp_theirs = False
        addr = b"\0\0\0\0"
        pap_id = ipcp_id = None
        last = 0.0
        self.lcp_req()
        end = time.time() + secs
        while time.time() < end:
            if self.cdn is not None:
                return "cdn %d" % self.cdn
            now = time.time()
            if now - last > 1.0:		# retransmit what is unanswered
                last = now
                if not lcp_ours and now - end + secs > 1.0:
                    self.lcp_req()
                if lcp_ours and lcp_theirs and not authed:
                    pap_id = (self.ident + 1) & 0xff
                    self.ident = pap_id
                    self.send_ppp(PAP, 1, pap_id, bytes([len(user)]) +
                                  user.encode() + bytes([len(pw)]) +
                                  pw.encode())
                if authed and not ipcp_ours:
                    ipcp_id = (self.ident + 1) & 0xff
                    self.ident = ipcp_id
                    self.send_ppp(IPCP, CONF_REQ, ipcp_id,
                                  struct.pack("!BB", 3, 6) + addr)
            f = self.recv()
            if f is None:
                continue
            proto, code, ident, data = f
            if proto == LCP:
                if code == CONF_REQ:
                    self.send_ppp(LCP, CONF_ACK, ident, data)
                    lcp_theirs = True
                    last = 0.0
                elif code == CONF_ACK and ident == self.lcp_id:
                    lcp_ours = True
                    last = 0.0
                elif code in (CONF_NAK, CONF_REJ):
                    self.magic = random.randint(1, 0xffffffff)
                    self.lcp_req()
                elif code == ECHO_REQ:
                    self.send_ppp(LCP, ECHO_REP, ident,
                                  struct.pack("!I", self.magic) + data[4:])
                elif code == TERM_REQ:
                    self.send_ppp(LCP, TERM_ACK, ident, b"")
                    self.term = True
            elif proto == PAP and ident == pap_id:
                if code == 2:
                    authed = True
                    last = 0.0
                else:
                    return "pap-nak"
            elif proto == IPCP:
                if code == CONF_REQ:
                    self.send_ppp(IPCP, CONF_ACK, ident, data)
                    ipcp_theirs = True
                elif code == CONF_NAK and ident == ipcp_id:
                    addr = data[2:6]
                    last = 0.0
                elif code == CONF_ACK and ident == ipcp_id:
                    ipcp_ours = True
            if ipcp_ours and ipcp_theirs:
                return "up %s %s" % (user, socket.inet_ntoa(addr))
            if self.term:
                # the CDN follows the Terminate exchange
                end = min(end, time.time() + 5)
        if self.cdn is not None:
            return "cdn %d" % self.cdn
        return "term" if self.term else "timeout"

    def hold(self, secs):
        end = time.time() + secs
        while time.time() < end and self.cdn is None:
            f = self.recv()
            if f and f[0] == LCP and f[1] == ECHO_REQ:
                self.send_ppp(LCP, ECHO_REP, f[2],
                              struct.pack("!I", self.magic) + f[3][4:])


def main():
    args = sys.argv[1:]
    hold = 0.0
    if "--hold" in args:
        i = args.index("--hold")
        hold = float(args[i + 1])
        del args[i:i + 2]
    if len(args) < 4 or args[0] != "reneg":
        raise SystemExit(__doc__)
    peer = Peer(args[1], args[2])
    for cred in args[3:]:
        user, pw = cred.split(":", 1)
        res = peer.round(user, pw)
        print(res)
        sys.stdout.flush()
        if not res.startswith("up "):
            return
    peer.hold(hold)


if __name__ == "__main__":
    main()
