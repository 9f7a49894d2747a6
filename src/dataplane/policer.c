/*
 * policer.c — the token bucket of policer.h.
 */
#include "dataplane/policer.h"

void
policer_set(struct policer *p, uint64_t rate_bps, uint64_t burst,
    uint64_t now_ns)
{
	/* A policer never configured (zeroed) has burst 0. */
	bool fresh = p->burst == 0;

	if (rate_bps > POLICER_MAX_RATE)
		rate_bps = POLICER_MAX_RATE;
	if (burst == 0)
		burst = 1;
	if (burst > POLICER_MAX_BURST)
		burst = POLICER_MAX_BURST;
	p->rate = rate_bps / 8;
	if (rate_bps != 0 && p->rate == 0)
		p->rate = 1;
	p->burst = burst;
	p->fill_ns = p->rate != 0 ? burst * POLICER_NS / p->rate : 0;
	if (fresh || p->tokens > burst)
		p->tokens = burst;
	p->last_ns = now_ns;
}

bool
policer_admit(struct policer *p, uint64_t now_ns, uint32_t len)
{
	if (p->rate != 0) {
		if (p->tokens < p->burst) {
			uint64_t el = now_ns > p->last_ns ?
			    now_ns - p->last_ns :
			    0;
			uint64_t add;

			if (el >= p->fill_ns) {
				p->tokens = p->burst;
				p->last_ns = now_ns;
			} else if ((add = el * p->rate / POLICER_NS) != 0) {
				/* Less than a byte's time is kept for the
				 * next packet rather than lost. */
				p->tokens += add;
				if (p->tokens > p->burst)
					p->tokens = p->burst;
				p->last_ns = now_ns;
			}
		} else {
			p->last_ns = now_ns;
		}
		if (p->tokens < len) {
			p->drop_packets++;
			p->drop_bytes += len;
			return false;
		}
		p->tokens -= len;
	}
	p->pass_packets++;
	p->pass_bytes += len;
	return true;
}
