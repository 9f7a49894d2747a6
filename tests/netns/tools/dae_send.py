#!/usr/bin/env python3
"""RFC 5176 Disconnect-Requests as exact bytes, to replay them.

  dae_send.py new SECRET HOST PORT USER FILE
      builds a Disconnect-Request for User-Name USER with Event-Timestamp
      now, signed as RFC 5176 §3.5 says (the Request Authenticator is
      MD5(Code+Identifier+Length+16 zero octets+Attributes+Secret)), saves
      the datagram to FILE, sends it and prints "reply CODE" (or
      "reply none" after 2 s).
  dae_send.py resend HOST PORT FILE
      sends FILE's bytes again, unchanged, from a new source port, and
      prints the reply likewise: what an attacker who captured it can do.
"""
import hashlib
import os
import socket
import struct
import sys
import time


def build(secret, user):
    attrs = bytes([1, 2 + len(user)]) + user
    attrs += bytes([55, 6]) + struct.pack("!I", int(time.time()))
    ident = os.urandom(1)[0]
    length = 20 + len(attrs)
    head = struct.pack("!BBH", 40, ident, length)
    auth = hashlib.md5(head + bytes(16) + attrs + secret).digest()
    return head + auth + attrs


def send(host, port, pkt):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(pkt, (host, port))
    try:
        rep = s.recv(4096)
        print("reply %d" % rep[0])
    except socket.timeout:
        print("reply none")


def main():
    if sys.argv[1] == "new":
        secret, host, port, user, path = sys.argv[2:7]
        pkt = build(secret.encode(), user.encode())
        with open(path, "wb") as f:
            f.write(pkt)
        send(host, int(port), pkt)
    elif sys.argv[1] == "resend":
        host, port, path = sys.argv[2:5]
        with open(path, "rb") as f:
            send(host, int(port), f.read())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
