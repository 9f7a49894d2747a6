/*
 * policer.h — a single-rate token bucket (RFC 2697's committed bucket, with
 * no excess bucket): a packet conforms when the bucket holds at least its
 * length in bytes, which it then takes; otherwise it is dropped and the
 * bucket is left as it was.  The bucket refills at `rate` bytes a second up
 * to `burst` bytes.
 *
 * Sans-I/O: the caller passes the monotonic time in nanoseconds.  The same
 * arithmetic runs in the kernel fast path (bpf/policer.h), so a session is
 * policed alike on either data path.
 *
 * Overflow: the refill is computed only while the bucket is below full,
 * for at most the time it takes to fill from empty (fill_ns), so
 * elapsed * rate stays below burst * 1e9: with burst <= POLICER_MAX_BURST
 * that fits in 64 bits.
 */
#ifndef VPDN_DATAPLANE_POLICER_H
#define VPDN_DATAPLANE_POLICER_H

#include <stdbool.h>
#include <stdint.h>

#define POLICER_NS	  1000000000ULL
#define POLICER_MAX_BURST ((uint64_t)1 << 32)	   /* bytes */
#define POLICER_MAX_RATE  ((uint64_t)100000000000) /* bit/s */

struct policer {
	uint64_t rate;	  /* bytes per second; 0: no limit */
	uint64_t burst;	  /* bytes */
	uint64_t fill_ns; /* time to fill from empty */
	uint64_t tokens;  /* bytes */
	uint64_t last_ns; /* when tokens was last refilled */
	uint64_t pass_packets, pass_bytes;
	uint64_t drop_packets, drop_bytes;
};

/*
 * (Re)configures p: rate in bits per second (0: no limit), burst in bytes
 * (clamped to 1..POLICER_MAX_BURST).  The bucket starts full; on a change
 * of a live policer it keeps what it holds, up to the new burst, and the
 * counters go on.
 */
void policer_set(struct policer *p, uint64_t rate_bps, uint64_t burst,
    uint64_t now_ns);

/* Whether a packet of len bytes conforms at now_ns (then it is taken from
 * the bucket); counts it as passed or dropped. */
bool policer_admit(struct policer *p, uint64_t now_ns, uint32_t len);

#endif
