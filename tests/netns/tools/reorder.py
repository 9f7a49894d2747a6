#!/usr/bin/env python3
"""Delay and reorder packets for tests/netns/t-lossy.sh.

These kernels have neither netem nor NFQUEUE, so the router namespace of the
test steers the packets to impair (policy routing on an nftables mark) into
a TUN device that this program owns: every packet read from it is held for
a random delay (uniform 0..MAXDELAY ms) and written back, so the kernel
forwards it on; packets that arrive close together leave in another order.

  reorder.py IFNAME MAXDELAY_MS STATSFILE

On SIGTERM it writes "packets N reordered N" to STATSFILE (reordered: left
before a packet that had arrived earlier).
"""
import fcntl
import heapq
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454ca
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


def main():
    ifname, maxdelay, statsf = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", ifname.encode(),
                                           IFF_TUN | IFF_NO_PI))
    held = []		# (release time, arrival seq, packet)
    seq = 0
    released_upto = -1	# highest arrival seq released so far
    stats = {"packets": 0, "reordered": 0}
    stop = []

    def term(*_):
        stop.append(1)
    signal.signal(signal.SIGTERM, term)
    print("ready", flush=True)
    while not stop:
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, s, pkt = heapq.heappop(held)
            if s < released_upto:
                stats["reordered"] += 1
            released_upto = max(released_upto, s)
            os.write(fd, pkt)
        timeout = max(0.0, held[0][0] - now) if held else 0.5
        try:
            r, _, _ = select.select([fd], [], [], timeout)
        except InterruptedError:
            continue
        if r:
            pkt = os.read(fd, 65535)
            stats["packets"] += 1
            heapq.heappush(held, (time.monotonic() +
                                  random.uniform(0, maxdelay) / 1000.0,
                                  seq, pkt))
            seq += 1
    with open(statsf, "w") as f:
        f.write("packets %d reordered %d\n" % (stats["packets"],
                                               stats["reordered"]))


if __name__ == "__main__":
    main()
