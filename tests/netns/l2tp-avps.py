#!/usr/bin/env python3
"""List the L2TPv2 control messages one host sent in a capture, un-hiding
hidden AVPs with the tunnel secret, independently of the daemon under test.

usage: l2tp-avps.py PCAP SRC_ADDR [SECRET]

Prints one line per control message: frame number, message type (or ZLB) and
the AVP types in order, hidden ones marked "h" (e.g. "2 SCCRP 0 36 2 3h ...").
Exits 1 (with a reason on stderr) if a message breaks RFC 2661 §4.3:
  - a hidden AVP with no Random Vector before it in the same message,
  - a hidden AVP of a type that MUST NOT be hidden,
  - a hidden AVP whose decrypted Original Length does not fit (wrong
    secret, wrong hash input, bad padding),
  - a hidden AVP without a secret to check it with.
Exits 2 if tshark fails.
"""
import hashlib
import struct
import subprocess
import sys

MSG = {1: "SCCRQ", 2: "SCCRP", 3: "SCCCN", 4: "StopCCN", 6: "HELLO",
       7: "OCRQ", 8: "OCRP", 9: "OCCN", 10: "ICRQ", 11: "ICRP",
       12: "ICCN", 14: "CDN", 15: "WEN", 16: "SLI"}
# RFC 2661 §4.4: "This AVP MUST NOT be hidden" for these attribute types,
# plus Message Type (0) and Random Vector (36) which carry the hiding itself.
NEVER_HIDDEN = {0, 1, 2, 5, 7, 10, 12, 36, 39}
RANDOM_VECTOR = 36


def unhide(attr, value, secret, rv):
    """RFC 2661 §4.3: the first 16 octets are XORed with
    MD5(attribute type || secret || RV), each later block with
    MD5(secret || previous ciphertext block).  Returns the original value,
    or None if the Original Length field does not fit."""
    out = bytearray()
    prev = None
    for i in range(0, len(value), 16):
        blk = value[i:i + 16]
        if prev is None:
            key = hashlib.md5(struct.pack("!H", attr) + secret + rv).digest()
        else:
            key = hashlib.md5(secret + prev).digest()
        out += bytes(a ^ b for a, b in zip(blk, key))
        prev = blk
    if len(out) < 2:
        return None
    olen = struct.unpack("!H", out[:2])[0]
    if olen > len(out) - 2:
        return None
    return bytes(out[2:2 + olen])


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    pcap, src = sys.argv[1], sys.argv[2]
    secret = sys.argv[3].encode() if len(sys.argv) == 4 else None
    try:
        out = subprocess.run(
            ["tshark", "-n", "-r", pcap, "-Y", "l2tp && ip.src == " + src,
             "-T", "fields", "-e", "frame.number", "-e", "udp.payload"],
            check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.stderr.write("tshark failed: %s\n" % e)
        return 2
    bad = 0
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) != 2 or not fields[1]:
            continue
        frame, d = fields[0], bytes.fromhex(fields[1].replace(":", ""))
        flags = struct.unpack("!H", d[:2])[0]
        if not flags & 0x8000:
            continue            # data message
        off = 2 + (2 if flags & 0x4000 else 0) + 4 + \
            (4 if flags & 0x0800 else 0)
        if flags & 0x0200:
            off += 2 + struct.unpack("!H", d[off:off + 2])[0]
        rv = None
        types = []
        mtype = "ZLB"
        while off + 6 <= len(d):
            h, vendor, attr = struct.unpack("!HHH", d[off:off + 6])
            alen = h & 0x03ff
            if alen < 6 or off + alen > len(d):
                sys.stderr.write("frame %s: bad AVP length %d\n" % (frame, alen))
                bad = 1
                break
            value = d[off + 6:off + alen]
            hidden = bool(h & 0x4000)
            if hidden:
                why = None
                if vendor == 0 and attr in NEVER_HIDDEN:
                    why = "type %d MUST NOT be hidden" % attr
                elif rv is None:
                    why = "no Random Vector before it"
                elif secret is None:
                    why = "no secret given to check it"
                else:
                    value = unhide(attr, value, secret, rv)
                    if value is None:
                        why = "does not decrypt (Original Length too long)"
                if why:
                    sys.stderr.write("frame %s: hidden AVP %d: %s\n" %
                                     (frame, attr, why))
                    bad = 1
            if vendor == 0 and attr == RANDOM_VECTOR:
                rv = value
            if vendor == 0 and attr == 0 and value is not None and \
                    len(value) == 2:
                t = struct.unpack("!H", value)[0]
                mtype = MSG.get(t, str(t))
            types.append("%d%s" % (attr, "h" if hidden else "") if vendor == 0
                         else "v%d:%d%s" % (vendor, attr, "h" if hidden else ""))
            off += alen
        print(frame, mtype, " ".join(types))
    return bad


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader (grep -q) has what it wanted.
        sys.exit(0)
