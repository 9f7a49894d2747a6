#!/usr/bin/env python3
"""pppoe_ac.py -- a minimal PPPoE access concentrator for the netns tests.

Just enough of RFC 2516 (discovery: PADI -> PADO, PADR -> PADS with an
AC-Cookie, PADT both ways) and of a PPP server (RFC 1661 LCP with PAP
required, RFC 1334 PAP, RFC 1332 IPCP giving one address, LCP Echo and
Terminate, Protocol-Reject of anything else; ICMP echo requests to our
address are answered) to bring a PPPoE host to the network phase.  It is a
test peer, not an AC: one session at a time, no retransmission limits.

Every event is printed on stdout, one line each, flushed, for the test to
grep:  PADI, PADO, PADR, PADS sid=N, PADT-rx sid=N [reason], PADT-tx sid=N,
LCP-up, PAP-ack USER / PAP-nak USER, IPCP-up ADDR, LCP-termreq, ICMP-echo.

SIGUSR1: send PADT for the current session (the AC hangs up).
SIGTERM/SIGINT: exit (no PADT).
"""
import argparse
import os
import select
import signal
import socket
import struct
import sys
import time

from inetcsum import csum

ETH_P_DISC, ETH_P_SES = 0x8863, 0x8864
PADI, PADO, PADR, PADS, PADT = 0x09, 0x07, 0x19, 0x65, 0xA7
TAG_END, TAG_SVC, TAG_AC_NAME, TAG_HOST_UNIQ, TAG_COOKIE = 0, 0x101, 0x102, 0x103, 0x104
TAG_GEN_ERR = 0x203
P_LCP, P_PAP, P_IPCP, P_IP = 0xC021, 0xC023, 0x8021, 0x0021
CONFREQ, CONFACK, CONFNAK, CONFREJ, TERMREQ, TERMACK, CODEREJ, PROTREJ, ECHOREQ, ECHOREP = range(1, 11)


def say(*a):
    print(*a, flush=True)


def tags(data):
    out = []
    i = 0
    while i + 4 <= len(data):
        t, n = struct.unpack('!HH', data[i:i + 4])
        if t == TAG_END:
            break
        out.append((t, data[i + 4:i + 4 + n]))
        i += 4 + n
    return out


def tag(t, v):
    return struct.pack('!HH', t, len(v)) + v


def opts(data):
    out = []
    i = 0
    while i + 2 <= len(data):
        t, n = data[i], data[i + 1]
        if n < 2 or i + n > len(data):
            return None
        out.append((t, data[i + 2:i + n]))
        i += n
    return out


def opt(t, v):
    return bytes([t, len(v) + 2]) + v


class AC:
    def __init__(self, a):
        self.a = a
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        self.sock.bind((a.iface, 0))
        with open('/sys/class/net/%s/address' % a.iface) as f:
            self.mac = bytes.fromhex(f.read().strip().replace(':', ''))
        self.cookie = os.urandom(16)
        self.local = socket.inet_aton(a.local)
        self.peer = socket.inet_aton(a.peer)
        self.next_sid = 0x1234
        self.reset()

    def reset(self):
        self.sid = 0
        self.host = None
        self.ident = 1
        self.lcp_ours_acked = self.lcp_theirs_acked = self.lcp_up = False
        self.authed = False
        self.ipcp_ours_acked = self.ipcp_theirs_acked = self.ipcp_up = False
        self.retry_at = None

    # ---- frames ----
    def send_disc(self, dst, code, sid, payload):
        hdr = dst + self.mac + struct.pack('!HBBHH', ETH_P_DISC, 0x11, code, sid, len(payload))
        self.sock.send(hdr + payload)

    def send_ppp(self, proto, code, ident, data):
        ppp = struct.pack('!HBBH', proto, code, ident, 4 + len(data)) + data
        self.send_raw(ppp)

    def send_raw(self, ppp):
        hdr = self.host + self.mac + struct.pack('!HBBHH', ETH_P_SES, 0x11, 0, self.sid, len(ppp))
        self.sock.send(hdr + ppp)

    def padt(self, why):
        if self.sid:
            self.send_disc(self.host, PADT, self.sid, tag(TAG_GEN_ERR, why.encode()))
            say('PADT-tx sid=%d' % self.sid)
        self.reset()

    # ---- discovery (RFC 2516 §5) ----
    def on_disc(self, src, dst, code, sid, payload):
        tl = tags(payload)
        hu = [v for t, v in tl if t == TAG_HOST_UNIQ]
        svc = [v for t, v in tl if t == TAG_SVC]
        echo = tag(TAG_SVC, svc[0] if svc else b'') + (tag(TAG_HOST_UNIQ, hu[0]) if hu else b'')
        if code == PADI:
            say('PADI')
            self.send_disc(src, PADO, 0, tag(TAG_AC_NAME, self.a.ac_name.encode()) + echo +
                           tag(TAG_COOKIE, self.cookie))
            say('PADO')
        elif code == PADR and dst == self.mac:
            say('PADR')
            if [v for t, v in tl if t == TAG_COOKIE] != [self.cookie]:
                say('PADR-bad-cookie')
                return
            if self.sid:
                self.padt('new session')
            self.reset()
            self.sid = self.next_sid
            self.next_sid += 1
            self.host = src
            self.send_disc(src, PADS, self.sid, echo)
            say('PADS sid=%d' % self.sid)
            self.lcp_confreq()
        elif code == PADT and dst == self.mac and sid == self.sid and src == self.host:
            gen = [v for t, v in tl if t == TAG_GEN_ERR]
            say('PADT-rx sid=%d %s' % (sid, gen[0].decode(errors='replace') if gen else ''))
            self.reset()

    # ---- PPP server ----
    def lcp_confreq(self):
        # RFC 2516 §7: MRU 1492 at most; Magic-Number recommended.
        data = opt(1, struct.pack('!H', 1492)) + opt(3, struct.pack('!H', P_PAP)) + opt(5, b'\x5a\x5a\xa5\xa5')
        self.send_ppp(P_LCP, CONFREQ, self.ident, data)
        self.retry_at = time.monotonic() + 1

    def ipcp_confreq(self):
        self.send_ppp(P_IPCP, CONFREQ, self.ident, opt(3, self.local))
        self.retry_at = time.monotonic() + 1

    def on_ppp(self, ppp):
        if len(ppp) < 2:
            return
        proto = struct.unpack('!H', ppp[:2])[0]
        body = ppp[2:]
        if proto == P_IP:
            self.on_ip(body)
            return
        if len(body) < 4:
            return
        code, ident, ln = struct.unpack('!BBH', body[:4])
        data = body[4:ln]
        if proto == P_LCP:
            self.on_lcp(code, ident, data)
        elif proto == P_PAP:
            self.on_pap(code, ident, data)
        elif proto == P_IPCP:
            self.on_ipcp(code, ident, data)
        elif self.lcp_up:
            # RFC 1661 §5.7: an unknown protocol is rejected.
            self.send_ppp(P_LCP, PROTREJ, self.ident, ppp[:2] + body)
            self.ident = (self.ident + 1) & 0xFF

    def on_lcp(self, code, ident, data):
        if code == CONFREQ:
            ol = opts(data)
            bad = [o for o in ol if o[0] not in (1, 5)] if ol is not None else []
            if bad:
                self.send_ppp(P_LCP, CONFREJ, ident, b''.join(opt(t, v) for t, v in bad))
                return
            self.send_ppp(P_LCP, CONFACK, ident, data)
            self.lcp_theirs_acked = True
        elif code == CONFACK and ident == self.ident:
            self.lcp_ours_acked = True
            self.ident = (self.ident + 1) & 0xFF
        elif code in (CONFNAK, CONFREJ):
            say('LCP-nak-or-rej %d' % code)
        elif code == ECHOREQ:
            self.send_ppp(P_LCP, ECHOREP, ident, b'\x5a\x5a\xa5\xa5' + data[4:])
        elif code == TERMREQ:
            say('LCP-termreq')
            self.send_ppp(P_LCP, TERMACK, ident, b'')
            self.lcp_up = self.lcp_ours_acked = self.lcp_theirs_acked = False
        if not self.lcp_up and self.lcp_ours_acked and self.lcp_theirs_acked:
            self.lcp_up = True
            self.retry_at = None
            say('LCP-up')

    def on_pap(self, code, ident, data):
        if code != 1 or not self.lcp_up or len(data) < 1:
            return
        n = data[0]
        user = data[1:1 + n]
        pw = data[2 + n:2 + n + data[1 + n]] if len(data) > 1 + n else b''
        ok = user.decode(errors='replace') == self.a.user and pw.decode(errors='replace') == self.a.password
        self.send_ppp(P_PAP, 2 if ok else 3, ident, b'\x00')
        say('%s %s' % ('PAP-ack' if ok else 'PAP-nak', user.decode(errors='replace')))
        if ok and not self.authed:
            self.authed = True
            self.ipcp_confreq()

    def on_ipcp(self, code, ident, data):
        if not self.authed:
            return
        if code == CONFREQ:
            ol = opts(data) or []
            rej = [o for o in ol if o[0] != 3]
            if rej:
                self.send_ppp(P_IPCP, CONFREJ, ident, b''.join(opt(t, v) for t, v in rej))
                return
            addr = [v for t, v in ol if t == 3]
            if addr != [self.peer]:
                self.send_ppp(P_IPCP, CONFNAK, ident, opt(3, self.peer))
                return
            self.send_ppp(P_IPCP, CONFACK, ident, data)
            self.ipcp_theirs_acked = True
        elif code == CONFACK and ident == self.ident:
            self.ipcp_ours_acked = True
            self.ident = (self.ident + 1) & 0xFF
        elif code == TERMREQ:
            self.send_ppp(P_IPCP, TERMACK, ident, b'')
        if not self.ipcp_up and self.ipcp_ours_acked and self.ipcp_theirs_acked:
            self.ipcp_up = True
            self.retry_at = None
            say('IPCP-up %s' % self.a.peer)

    def on_ip(self, pkt):
        # ICMP echo request to our address -> reply (RFC 792).
        if not self.ipcp_up or len(pkt) < 28 or pkt[9] != 1 or pkt[16:20] != self.local:
            return
        ihl = (pkt[0] & 0xF) * 4
        icmp = bytearray(pkt[ihl:])
        if icmp[0] != 8:
            return
        icmp[0] = 0
        icmp[2:4] = b'\0\0'
        icmp[2:4] = struct.pack('!H', csum(bytes(icmp)))
        ip = bytearray(pkt[:ihl])
        ip[12:16], ip[16:20] = pkt[16:20], pkt[12:16]
        ip[10:12] = b'\0\0'
        ip[10:12] = struct.pack('!H', csum(bytes(ip)))
        self.send_raw(struct.pack('!H', P_IP) + bytes(ip) + bytes(icmp))
        say('ICMP-echo')

    def on_frame(self, f):
        if len(f) < 20:
            return
        dst, src = f[0:6], f[6:12]
        et, vt, code, sid, ln = struct.unpack('!HBBHH', f[12:20])
        if src == self.mac or vt != 0x11:
            return
        payload = f[20:20 + ln]
        if et == ETH_P_DISC:
            self.on_disc(src, dst, code, sid, payload)
        elif et == ETH_P_SES and dst == self.mac and sid == self.sid and src == self.host:
            self.on_ppp(payload)

    def timers(self):
        if self.retry_at is None or time.monotonic() < self.retry_at or not self.sid:
            return
        if not self.lcp_ours_acked:
            self.lcp_confreq()
        elif self.authed and not self.ipcp_ours_acked:
            self.ipcp_confreq()
        else:
            self.retry_at = None


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--iface', required=True)
    p.add_argument('--ac-name', default='test-ac')
    p.add_argument('--user', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--local', required=True, help='our IPCP address')
    p.add_argument('--peer', required=True, help='address given to the host')
    a = p.parse_args()
    ac = AC(a)
    flags = {'padt': False, 'stop': False}
    signal.signal(signal.SIGUSR1, lambda *_: flags.__setitem__('padt', True))
    signal.signal(signal.SIGTERM, lambda *_: flags.__setitem__('stop', True))
    signal.signal(signal.SIGINT, lambda *_: flags.__setitem__('stop', True))
    say('READY %s' % ':'.join('%02x' % b for b in ac.mac))
    while not flags['stop']:
        if flags['padt']:
            flags['padt'] = False
            ac.padt('hung up by the test')
        try:
            r, _, _ = select.select([ac.sock], [], [], 0.2)
        except InterruptedError:
            continue
        if r:
            try:
                f, addr = ac.sock.recvfrom(2048)
            except BlockingIOError:
                continue
            if addr[2] != socket.PACKET_OUTGOING:
                ac.on_frame(f)
        ac.timers()
    return 0


if __name__ == '__main__':
    sys.exit(main())
