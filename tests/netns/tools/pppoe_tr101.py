#!/usr/bin/env python3
"""pppoe_tr101.py -- a PPPoE subscriber whose discovery carries the access
line information of a Broadband Forum access node (TR-101 section 3.9.3).

  pppoe_tr101.py --interface eth0 --user U --password P
                 --circuit-id TEXT --remote-id TEXT
                 [--up-kbps N] [--down-kbps N] [--hold SECONDS]

PADI and PADR (RFC 2516 section 5) carry, besides Service-Name and
Host-Uniq, the Vendor-Specific TAG (0x0105) an access node adds:

  vendor-id 0x00000DE9 (3561, Broadband Forum), then sub-options
  0x01 len Agent-Circuit-Id   0x02 len Agent-Remote-Id
  0x81 04  Actual-Data-Rate-Upstream (kbps)
  0x82 04  Actual-Data-Rate-Downstream (kbps)
  0x90 03  Access-Loop-Encapsulation: 0x02 Ethernet, 0x01 untagged, 0x00

then LCP (RFC 1661: Magic-Number only; everything the concentrator asks is
acknowledged), PAP (RFC 1334) and IPCP (RFC 1332: address from the Nak).
Prints "up ADDRESS" once IPCP is open, answers LCP Echo for --hold seconds,
sends PADT and exits 0; on any failure prints "failed STAGE" and exits 1.
Written from the RFCs and TR-101, independent of vpdn's code.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

DISC, SESS = 0x8863, 0x8864
PADI, PADO, PADR, PADS, PADT = 0x09, 0x07, 0x19, 0x65, 0xa7
T_SVC, T_UNIQ, T_COOKIE, T_VENDOR = 0x0101, 0x0103, 0x0104, 0x0105
LCP, PAP, IPCP = 0xc021, 0xc023, 0x8021
BCAST = b'\xff' * 6


def say(*a):
    print(*a, flush=True)


def tag(t, v):
    return struct.pack('!HH', t, len(v)) + v


def tags(data):
    out, i = {}, 0
    while i + 4 <= len(data):
        t, n = struct.unpack('!HH', data[i:i + 4])
        if t == 0:
            break
        out.setdefault(t, data[i + 4:i + 4 + n])
        i += 4 + n
    return out


def tr101(circuit, remote, up, down):
    sub = lambda c, v: bytes([c, len(v)]) + v  # noqa: E731
    return (struct.pack('!I', 3561) + sub(0x01, circuit.encode()) +
            sub(0x02, remote.encode()) + sub(0x81, struct.pack('!I', up)) +
            sub(0x82, struct.pack('!I', down)) +
            sub(0x90, bytes([0x02, 0x01, 0x00])))


class Sub:
    def __init__(self, ifname):
        self.d = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                               socket.htons(DISC))
        self.d.bind((ifname, DISC))
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                               socket.htons(SESS))
        self.s.bind((ifname, SESS))
        self.mac = self.d.getsockname()[4][:6]
        self.ac, self.sid, self.ident = BCAST, 0, 1

    def disc(self, code, payload, sid=0):
        self.d.send(self.ac + self.mac + struct.pack(
            '!HBBHH', DISC, 0x11, code, sid, len(payload)) + payload)

    def wait_disc(self, code, timeout):
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([self.d], [], [], end - time.time())
            if not r:
                break
            f = self.d.recv(1600)
            if f[0:6] != self.mac or f[15] != code:
                continue
            sid, n = struct.unpack('!HH', f[16:20])
            return f[6:12], sid, tags(f[20:20 + n])
        return None

    def ppp(self, proto, code, ident, data):
        p = struct.pack('!HBBH', proto, code, ident, 4 + len(data)) + data
        self.s.send(self.ac + self.mac + struct.pack(
            '!HBBHH', SESS, 0x11, 0, self.sid, len(p)) + p)

    def recv_ppp(self, timeout):
        r, _, _ = select.select([self.s], [], [], timeout)
        if not r:
            return None
        f = self.s.recv(1600)
        if f[0:6] != self.mac or struct.unpack('!H', f[16:18])[0] != self.sid:
            return None
        n = struct.unpack('!H', f[18:20])[0]
        p = f[20:20 + n]
        if len(p) < 6:
            return None
        proto, code, ident, ln = struct.unpack('!HBBH', p[:6])
        return proto, code, ident, p[6:2 + ln]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--interface', required=True)
    ap.add_argument('--user', required=True)
    ap.add_argument('--password', required=True)
    ap.add_argument('--circuit-id', required=True)
    ap.add_argument('--remote-id', required=True)
    ap.add_argument('--up-kbps', type=int, default=1024)
    ap.add_argument('--down-kbps', type=int, default=16384)
    ap.add_argument('--hold', type=float, default=10)
    a = ap.parse_args()
    h = Sub(a.interface)
    uniq = os.urandom(4)
    line = tag(T_VENDOR, tr101(a.circuit_id, a.remote_id, a.up_kbps,
                               a.down_kbps))
    pado = None
    for _ in range(5):
        h.disc(PADI, tag(T_SVC, b'') + tag(T_UNIQ, uniq) + line)
        pado = h.wait_disc(PADO, 2)
        if pado:
            break
    if not pado:
        say('failed PADO')
        return 1
    h.ac = pado[0]
    cookie = pado[2].get(T_COOKIE, b'')
    h.disc(PADR, tag(T_SVC, b'') + tag(T_UNIQ, uniq) +
           tag(T_COOKIE, cookie) + line)
    pads = h.wait_disc(PADS, 5)
    if not pads or pads[1] == 0:
        say('failed PADS')
        return 1
    h.sid = pads[1]
    magic = os.urandom(4)
    h.ppp(LCP, 1, 1, bytes([5, 6]) + magic)
    our_ack = their_ack = pap_sent = pap_ok = False
    ipcp_sent = ipcp_ack = their_ipcp = False
    addr = b'\0\0\0\0'
    end = time.time() + 30
    while time.time() < end and not (ipcp_ack and their_ipcp):
        m = h.recv_ppp(1)
        if m is None:
            # RFC 1661 section 4.6: Configure-Requests are retransmitted
            # until answered (the LNS drops IPCP until its RADIUS answer).
            if not our_ack:
                h.ppp(LCP, 1, 1, bytes([5, 6]) + magic)
            elif pap_ok and not ipcp_ack:
                h.ppp(IPCP, 1, 7, bytes([3, 6]) + addr)
            continue
        proto, code, ident, data = m
        if proto == LCP and code == 1:
            h.ppp(LCP, 2, ident, data)
            their_ack = True
        elif proto == LCP and code == 2:
            our_ack = True
        elif proto == LCP and code == 9:
            h.ppp(LCP, 10, ident, magic + data[4:])
        elif proto == PAP and code == 2:
            pap_ok = True
        elif proto == PAP and code == 3:
            say('failed PAP')
            return 1
        elif proto == IPCP and code == 1:
            h.ppp(IPCP, 2, ident, data)
            their_ipcp = True
        elif proto == IPCP and code == 3 and len(data) >= 6 and data[0] == 3:
            addr = data[2:6]
            ipcp_sent = False
        elif proto == IPCP and code == 2:
            ipcp_ack = True
        if our_ack and their_ack and not pap_sent:
            u, p = a.user.encode(), a.password.encode()
            h.ppp(PAP, 1, 1, bytes([len(u)]) + u + bytes([len(p)]) + p)
            pap_sent = True
        if pap_ok and not ipcp_sent:
            h.ppp(IPCP, 1, 7, bytes([3, 6]) + addr)
            ipcp_sent = True
    if not (ipcp_ack and their_ipcp):
        say('failed IPCP')
        return 1
    say('up', socket.inet_ntoa(addr))
    end = time.time() + a.hold
    while time.time() < end:
        m = h.recv_ppp(end - time.time())
        if m and m[0] == LCP and m[1] == 9:
            h.ppp(LCP, 10, m[2], magic + m[3][4:])
    h.disc(PADT, b'', h.sid)
    return 0


if __name__ == '__main__':
    sys.exit(main())
