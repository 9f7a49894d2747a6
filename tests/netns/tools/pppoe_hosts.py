#!/usr/bin/env python3
"""pppoe_hosts.py -- PPPoE discovery from one host MAC, several times over.

Runs RFC 2516 discovery (PADI -> PADO, PADR -> PADS) --count times from the
interface's MAC and keeps every session it gets (no PPP, no PADT), so that
an access concentrator's per-MAC session limit can be watched.  The cookie
of the first PADO is kept: when a later PADI gets no PADO, that cookie is
sent in a PADR, as a host whose PADO arrived before the limit was reached
would.  One line per round on stdout, flushed:

  PADS sid=N                   a session
  PADS sid=0 sys-err=TEXT      refused with AC-System-Error (RFC 2516 §5.4)
  no-PADO                      the PADI went unanswered (§5.2)
  no-PADS                      the PADR went unanswered
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

ETH_P_DISC = 0x8863
PADI, PADO, PADR, PADS = 0x09, 0x07, 0x19, 0x65
TAG_END, TAG_SVC, TAG_HOST_UNIQ, TAG_COOKIE = 0, 0x101, 0x103, 0x104
TAG_SYS_ERR = 0x202
BCAST = b'\xff' * 6


def say(*a):
    print(*a, flush=True)


def tag(t, v):
    return struct.pack('!HH', t, len(v)) + v


def tags(data):
    out, i = [], 0
    while i + 4 <= len(data):
        t, n = struct.unpack('!HH', data[i:i + 4])
        if t == TAG_END:
            break
        out.append((t, data[i + 4:i + 4 + n]))
        i += 4 + n
    return out


class Host:
    def __init__(self, ifname):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_DISC))
        self.sock.bind((ifname, ETH_P_DISC))
        self.mac = self.sock.getsockname()[4][:6]

    def send(self, dst, code, payload):
        self.sock.send(dst + self.mac +
                       struct.pack('!HBBHH', ETH_P_DISC, 0x11, code, 0,
                                   len(payload)) + payload)

    def wait(self, code, uniq, timeout):
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return None
            f = self.sock.recv(2048)
            if len(f) < 20 or f[0:6] != self.mac:
                continue
            _, c, sid, n = struct.unpack('!BBHH', f[14:20])
            if c != code:
                continue
            tl = tags(f[20:20 + n])
            if [v for t, v in tl if t == TAG_HOST_UNIQ] != [uniq]:
                continue
            return f[6:12], sid, tl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--interface', required=True)
    ap.add_argument('--count', type=int, default=5)
    ap.add_argument('--pause', type=float, default=1.0,
                    help='seconds between rounds (the per-MAC rate limit)')
    a = ap.parse_args()
    h = Host(a.interface)
    spare = None
    for _ in range(a.count):
        uniq = os.urandom(4)
        svc = tag(TAG_SVC, b'') + tag(TAG_HOST_UNIQ, uniq)
        h.send(BCAST, PADI, svc)
        got = h.wait(PADO, uniq, 1.5)
        if got is None:
            say('no-PADO')
            if spare is None:
                continue
            ac, cookie = spare
        else:
            ac = got[0]
            cookie = [v for t, v in got[2] if t == TAG_COOKIE][0]
            if spare is None:
                spare = (ac, cookie)
        h.send(ac, PADR, svc + tag(TAG_COOKIE, cookie))
        got = h.wait(PADS, uniq, 1.5)
        if got is None:
            say('no-PADS')
        elif got[1] == 0:
            err = [v for t, v in got[2] if t == TAG_SYS_ERR]
            say('PADS sid=0 sys-err=%s' %
                (err[0].decode(errors='replace') if err else '-'))
        else:
            say('PADS sid=%d' % got[1])
        time.sleep(a.pause)
    return 0


if __name__ == '__main__':
    sys.exit(main())
