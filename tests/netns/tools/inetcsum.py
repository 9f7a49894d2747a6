"""The Internet checksum (RFC 1071), for the netns tools that build IPv4,
ICMP and UDP headers themselves (ping.py, udp_probe.py, hostile.py,
pppoe_ac.py)."""
import struct


def csum(data):
    """One's complement of the one's complement sum of DATA's 16-bit words
    (an odd length padded with a zero octet)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
