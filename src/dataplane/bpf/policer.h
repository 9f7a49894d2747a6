/*
 * policer.h — the kernel fast path's per-session token buckets: the rate
 * plan of a session the programs carry, in both directions, with the
 * arithmetic of dataplane/policer.c (a packet conforms when the bucket
 * holds its length in bytes, which it then takes; the bucket refills at
 * `rate` bytes a second up to `burst`).
 *
 *   fp_police  keyed by OUR IDs (the fp_rx key, also what fp_tx values
 *              carry as stats_key): the two buckets under one spin lock,
 *              since every CPU draws on the same bucket; absent: no limit.
 *              The loader writes it with BPF_F_LOCK, so a plan change
 *              keeps the drop counters.
 *
 * The struct is shared with the loader (dataplane/fastpath.c); the map and
 * the check exist only in the BPF object.  A packet larger than the bucket
 * can ever hold (a GSO aggregate) is left to the stack and the user path,
 * which polices its segments one by one.
 */
#ifndef VPDN_DATAPLANE_BPF_POLICER_H
#define VPDN_DATAPLANE_BPF_POLICER_H

#include <linux/bpf.h>
#include <linux/types.h>

#include "fastpath_maps.h"

#define FP_POLICE_NS 1000000000ULL

struct fp_police_dir {
	__u64 rate;    /* bytes per second; 0: no limit */
	__u64 burst;   /* bytes */
	__u64 fill_ns; /* time to fill from empty */
	__u64 tokens;  /* bytes */
	__u64 last_ns; /* bpf_ktime_get_ns() of the last refill */
	__u64 drop_packets;
	__u64 drop_bytes; /* inner IP bytes, as fp_stats counts */
};

struct fp_police {
	struct bpf_spin_lock lock;
	__u32 pad;
	struct fp_police_dir down; /* encapsulated: to the user */
	struct fp_police_dir up;   /* decapsulated: from the user */
};

enum fp_police_verdict {
	FP_POLICE_PASS = 0,
	FP_POLICE_DROP,
	FP_POLICE_TOO_BIG, /* over the burst: the user path's */
};

#ifdef __bpf__
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096); /* the loader sets the real size */
	__type(key, struct fp_rx_key);
	__type(value, struct fp_police);
} fp_police SEC(".maps");

/* Called with the lock held: no helper calls in here. */
static __always_inline int
fp_police_dir_admit(struct fp_police_dir *d, __u64 now, __u32 len)
{
	__u64 el, add;

	if (d->rate == 0)
		return FP_POLICE_PASS;
	if (len > d->burst)
		return FP_POLICE_TOO_BIG;
	if (d->tokens < d->burst) {
		el = now > d->last_ns ? now - d->last_ns : 0;
		if (el >= d->fill_ns) {
			d->tokens = d->burst;
			d->last_ns = now;
		} else {
			/* el < fill_ns keeps el * rate below burst * 1e9. */
			add = el * d->rate / FP_POLICE_NS;
			if (add != 0) {
				d->tokens += add;
				if (d->tokens > d->burst)
					d->tokens = d->burst;
				d->last_ns = now;
			}
		}
	} else {
		d->last_ns = now;
	}
	if (d->tokens < len) {
		d->drop_packets++;
		d->drop_bytes += len;
		return FP_POLICE_DROP;
	}
	d->tokens -= len;
	return FP_POLICE_PASS;
}

/* The session's verdict for len inner bytes, up (from the user) or down. */
static __always_inline int
fp_police_check(const struct fp_rx_key *key, int up, __u32 len)
{
	struct fp_police *p = bpf_map_lookup_elem(&fp_police, key);
	__u64 now;
	int v;

	if (p == 0)
		return FP_POLICE_PASS;
	now = bpf_ktime_get_ns();
	bpf_spin_lock(&p->lock);
	if (up)
		v = fp_police_dir_admit(&p->up, now, len);
	else
		v = fp_police_dir_admit(&p->down, now, len);
	bpf_spin_unlock(&p->lock);
	return v;
}
#endif

#endif
