#!/usr/bin/env python3
"""Packets vpdn's kernel fast path carried in one network namespace.

  fp_packets.py [--entries | --global | --counter NAME | --stats] NETNS

Prints the sum of every "*_packets" counter (per CPU, per session or call)
in the statistics maps (fp_stats: the LNS's, lfp_stats: the LAC's) of the
vpdn programs attached as TC filters to any interface of NETNS.  BPF maps
are not per namespace, so they are found through the programs the
namespace's filters run.  Prints 0 if no program of ours is attached.  An
entry exists while its session is in the fast path and starts at zero, so
anything above zero was carried by the programs, not by vpdnd.

With --entries, prints how many entries the per-session maps (the LNS's
fp_rx, fp_tx, fp_tx6, fp_stats; the LAC's lfp_up, lfp_down, lfp_stats)
hold instead: 0 once no session is in the fast path.  With --global, the
programs' own counters (fp_global: enum fp_counter of fastpath_maps.h,
lfp_global: enum lfp_counter of lac_fastpath_maps.h), "MAP[INDEX]=N" for
each that is not zero: why packets were left to vpdnd, for a post mortem.
With --stats, "RX TX": the packets the LNS or client programs
decapsulated and encapsulated (fp_stats rx_packets, tx_packets).  With
--counter NAME, the one program counter NAME of enum fp_counter or
enum lfp_counter (FP_RX_DECAP_GSO, say), summed over CPUs: its index is
read from the header, so a test names what it checks.
"""
import json
import os
import re
import subprocess
import sys

BPF_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "..", "src", "dataplane", "bpf")
COUNTER_ENUMS = (("fastpath_maps.h", "fp_counter", "fp_global"),
                 ("lac_fastpath_maps.h", "lfp_counter", "lfp_global"))

STATS_MAPS = ("fp_stats", "lfp_stats")
GLOBAL_MAPS = ("fp_global", "lfp_global")
SESSION_MAPS = ("fp_rx", "fp_tx", "fp_tx6", "fp_stats",
                "lfp_up", "lfp_down", "lfp_stats")


def run_json(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        return None
    return json.loads(r.stdout)


def our_prog_ids(netns):
    ids = set()
    links = run_json(["ip", "-n", netns, "-j", "link", "show"]) or []
    for link in links:
        for hook in ("ingress", "egress"):
            filters = run_json(["ip", "netns", "exec", netns, "tc", "-j",
                                "filter", "show", "dev", link["ifname"],
                                hook]) or []
            for f in filters:
                o = f.get("options", {})
                name = o.get("bpf_name", "") or o.get("prog", {}).get("name", "")
                pid = o.get("prog", {}).get("id")
                if name.startswith("vpdn_") and pid is not None:
                    ids.add(pid)
    return ids


def our_maps(netns, names):
    maps = set()
    for pid in our_prog_ids(netns):
        prog = run_json(["bpftool", "-j", "prog", "show", "id", str(pid)]) or {}
        for mid in prog.get("map_ids", []):
            m = run_json(["bpftool", "-j", "map", "show", "id", str(mid)]) or {}
            if m.get("name") in names:
                maps.add(mid)
    return maps


def dump(mid):
    return run_json(["bpftool", "-j", "map", "dump", "id", str(mid)]) or []


def counter_index(name):
    """(global map name, index) of enum counter NAME, from the headers."""
    for header, enum, gmap in COUNTER_ENUMS:
        with open(os.path.join(BPF_DIR, header)) as f:
            text = f.read()
        body = re.search(r"enum %s \{(.*?)\};" % enum, text, re.S)
        if body is None:
            continue
        # Comments out; every entry is NAME or NAME = NUMBER.
        entries = re.sub(r"/\*.*?\*/", "", body.group(1), flags=re.S)
        index = -1
        for entry in entries.split(","):
            m = re.match(r"\s*([A-Z0-9_]+)\s*(?:=\s*(\d+))?\s*$", entry)
            if m is None:
                continue
            index = int(m.group(2)) if m.group(2) else index + 1
            if m.group(1) == name:
                return gmap, index
    sys.exit("fp_packets.py: no counter %s in %s" % (name, BPF_DIR))


def counter_value(netns, name):
    gmap, index = counter_index(name)
    total = 0
    for mid in our_maps(netns, (gmap,)):
        for e in dump(mid):
            f = e.get("formatted", e)
            if f.get("key") == index:
                total += sum(v["value"] for v in f.get("values", []))
    return total


def main():
    args = sys.argv[1:]
    opt = args.pop(0) if args[:1] in (["--entries"], ["--global"],
                                      ["--counter"], ["--stats"]) else ""
    name = args.pop(0) if opt == "--counter" and args else ""
    if len(args) != 1 or (opt == "--counter" and not name):
        sys.exit("usage: fp_packets.py [--entries | --global | "
                 "--counter NAME | --stats] NETNS")
    if opt == "--stats":
        rx = tx = 0
        for mid in our_maps(args[0], ("fp_stats",)):
            for e in dump(mid):
                for v in e.get("formatted", e).get("values", []):
                    rx += v["value"]["rx_packets"]
                    tx += v["value"]["tx_packets"]
        print(rx, tx)
        return
    if opt == "--counter":
        print(counter_value(args[0], name))
        return
    if opt == "--entries":
        print(sum(len(dump(m)) for m in our_maps(args[0], SESSION_MAPS)))
        return
    if opt == "--global":
        out = []
        for mid in sorted(our_maps(args[0], GLOBAL_MAPS)):
            name = (run_json(["bpftool", "-j", "map", "show", "id",
                              str(mid)]) or {}).get("name", "?")
            for e in dump(mid):
                f = e.get("formatted", e)
                n = sum(v["value"] for v in f.get("values", []))
                if n:
                    out.append("%s[%s]=%d" % (name, f["key"], n))
        print(" ".join(out))
        return
    total = 0
    for mid in our_maps(args[0], STATS_MAPS):
        for e in dump(mid):
            for v in e.get("formatted", e).get("values", []):
                total += sum(n for k, n in v["value"].items()
                             if k.endswith("_packets"))
    print(total)

if __name__ == "__main__":
    main()
