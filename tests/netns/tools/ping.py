#!/usr/bin/env python3
"""ICMP echo, for hosts without iputils ping.

  ping.py [-c COUNT] [-i INTERVAL] [-W TIMEOUT] [-s SIZE] DST

Sends COUNT echo requests (raw socket) and waits up to TIMEOUT seconds for
each reply; prints one line per reply and a summary; exits 0 only if every
request was answered (stricter than ping(8), which is content with one).
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

from inetcsum import csum


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-c", type=int, default=3)
    p.add_argument("-i", type=float, default=0.2)
    p.add_argument("-W", type=float, default=2.0)
    p.add_argument("-s", type=int, default=56)
    p.add_argument("dst")
    a = p.parse_args()
    dst = socket.gethostbyname(a.dst)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    ident = os.getpid() & 0xFFFF
    answered = 0
    for seq in range(1, a.c + 1):
        payload = bytes((seq + i) & 0xFF for i in range(a.s))
        h = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        h = struct.pack("!BBHHH", 8, 0, csum(h + payload), ident, seq)
        t0 = time.monotonic()
        s.sendto(h + payload, (dst, 0))
        end = t0 + a.W
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                print("no reply to seq %d" % seq)
                break
            pkt, peer = s.recvfrom(65535)
            ihl = (pkt[0] & 0x0F) * 4
            typ, _, _, rid, rseq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
            if (typ == 0 and rid == ident and rseq == seq and
                    peer[0] == dst and pkt[ihl + 8:] == payload):
                print("reply from %s seq=%d time=%.1f ms" %
                      (dst, seq, (time.monotonic() - t0) * 1000))
                answered += 1
                break
        if seq < a.c:
            time.sleep(a.i)
    print("%d sent, %d answered" % (a.c, answered))
    sys.exit(0 if answered == a.c else 1)


if __name__ == "__main__":
    main()
