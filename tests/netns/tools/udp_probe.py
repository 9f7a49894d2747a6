#!/usr/bin/env python3
"""UDP probes with a chosen source address, for the anti-spoofing check.

  udp_probe.py send IFACE SRC DST PORT TEXT
      builds the IPv4 + UDP headers itself (raw socket, IP_HDRINCL) and sends
      the datagram out of IFACE (SO_BINDTODEVICE), so SRC can be an address
      this host does not have: what a user behind a PPP session could forge.
  udp_probe.py recv ADDR PORT SECONDS [--ready FILE] [--until TEXT]
      prints "SRC TEXT" for every datagram that reaches ADDR:PORT within
      SECONDS, then exits 0; with --until, also stops after the datagram
      carrying TEXT (send it last: what was sent before it through the same
      path has arrived by then, so the window need not be guessed short).
"""
import socket
import struct
import sys
import time

from inetcsum import csum


def send(iface, src, dst, port, text):
    data = text.encode()
    s_ip, d_ip = socket.inet_aton(src), socket.inet_aton(dst)
    ulen = 8 + len(data)
    pseudo = s_ip + d_ip + struct.pack("!BBH", 0, 17, ulen)
    udp = struct.pack("!HHHH", 40000, port, ulen, 0) + data
    uc = csum(pseudo + udp) or 0xFFFF
    udp = struct.pack("!HHHH", 40000, port, ulen, uc) + data
    tot = 20 + ulen
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, 0x1234, 0x4000, 64, 17,
                      0, s_ip, d_ip)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.sendto(hdr + udp, (dst, 0))


def recv(addr, port, seconds, ready, until):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    if ready:
        with open(ready, "w") as f:
            f.write("listening\n")
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            b, peer = s.recvfrom(2048)
        except socket.timeout:
            break
        text = b.decode(errors="replace")
        print(peer[0], text, flush=True)
        if until is not None and text == until:
            break


def main():
    a = sys.argv[1:]
    if len(a) == 6 and a[0] == "send":
        send(a[1], a[2], a[3], int(a[4]), a[5])
    elif len(a) in (4, 6, 8) and a[0] == "recv":
        opts = dict(zip(a[4::2], a[5::2]))
        if set(opts) - {"--ready", "--until"}:
            print(__doc__, file=sys.stderr)
            sys.exit(2)
        recv(a[1], int(a[2]), float(a[3]), opts.get("--ready"),
             opts.get("--until"))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
