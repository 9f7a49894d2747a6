#!/usr/bin/env python3
"""Moves N bytes over one TCP connection and prints "BYTES SHA256" on each end.

  tcp_xfer.py recv ADDR PORT [--ready FILE] [--timeout S]
      listens on ADDR:PORT, accepts one connection, reads until EOF.
  tcp_xfer.py send ADDR PORT NBYTES [--timeout S]
      connects, sends NBYTES of random data, closes.

Both print the byte count and the SHA-256 of what went through, so the
scenario compares the two lines: a transfer that lost, reordered or changed a
byte anywhere on the way (TUN, PPP, L2TP, NAT) shows as a mismatch.  Errors
and timeouts exit 1 with a message on stderr, never hang the test.
"""
import argparse
import hashlib
import os
import socket
import sys

CHUNK = 65536


def recv(a):
    # An IPv6 literal binds an IPv6 socket (t-ipv6.sh).
    fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    s.listen(1)
    s.settimeout(a.timeout)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("listening\n")
    c, _ = s.accept()
    c.settimeout(a.timeout)
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(CHUNK)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.close()
    print(n, h.hexdigest())


def send(a):
    c = socket.create_connection((a.addr, a.port), timeout=a.timeout)
    h, left = hashlib.sha256(), a.nbytes
    while left > 0:
        b = os.urandom(min(CHUNK, left))
        c.sendall(b)
        h.update(b)
        left -= len(b)
    c.shutdown(socket.SHUT_WR)
    # Wait for the receiver's close, so "sent" means "read by the peer".
    while c.recv(CHUNK):
        pass
    c.close()
    print(a.nbytes, h.hexdigest())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=("recv", "send"))
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("nbytes", type=int, nargs="?", default=0)
    p.add_argument("--ready")
    p.add_argument("--timeout", type=float, default=20.0)
    a = p.parse_args()
    try:
        recv(a) if a.mode == "recv" else send(a)
    except OSError as e:
        print("tcp_xfer %s: %s" % (a.mode, e), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
