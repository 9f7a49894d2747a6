/*
 * client_fp.c — see client_fp.h.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "roles/client_fp.h"
#include "roles/roles_priv.h"
#include "roles/roles_util.h"
#include "roles/session_link.h"

/*
 * What the maps need to carry the call: false with the reason when it
 * cannot be carried (the user path then carries it, as it always did).
 */
static bool
client_fp_session(struct client *c, struct fastpath_session *fp, char *why,
    size_t whylen)
{
	if (c->pppoe != NULL || c->session == NULL || c->tunnel == NULL ||
	    c->link == NULL) {
		snprintf(why, whylen, "not an L2TP call");
		return false;
	}
	if (!roles_fp_from_session(c->session, c->link->link, fp, why, whylen))
		return false;
	/* Our IPCP address (RFC 1332 §3.3): the only destination received
	 * data is delivered for in the kernel. */
	fp->inner_addr.s_addr = htonl(c->link->local_addr);
	/* No limit of its own: the stack routes into the TUN only what its
	 * MTU allows, as it does for the user path. */
	fp->mtu = 0;
	fp->client_ifindex = c->tun.ifindex;
	return true;
}

void
client_fp_enter(struct client *c)
{
	struct roles *r = c->roles;
	struct l2tp_tunnel_info ti;
	char why[256];

	if (r->io.ops->fp_session_add == NULL || c->fp_in || c->tun.fd < 0)
		return;
	why[0] = '\0';
	if (!client_fp_session(c, &c->fp, why, sizeof(why))) {
		log_info("client %s: data on the user path (%s)", c->cfg.name,
		    why);
		return;
	}
	/* A new call's counters start from zero, as its PPP link's do. */
	if (c->fp_link != c->link) {
		memset(&c->fp_done, 0, sizeof(c->fp_done));
		c->fp_link = c->link;
	}
	l2tp_tunnel_get_info(c->tunnel, &ti);
	if (RIO(r, fp_session_add, &c->fp, ti.local.ifindex, c->tun.ifindex,
		why, sizeof(why)) < 0) {
		log_warnx("client %s: data on the user path: %s", c->cfg.name,
		    why);
		return;
	}
	c->fp_in = true;
	log_info("client %s: data in the kernel fast path", c->cfg.name);
}

void
client_fp_leave(struct client *c)
{
	struct fastpath_counters f;
	char why[256];

	if (!c->fp_in)
		return;
	c->fp_in = false;
	memset(&f, 0, sizeof(f));
	if (RIO(c->roles, fp_session_remove, &c->fp, &f, why, sizeof(why)) <
	    0) {
		log_warnx("client %s: %s", c->cfg.name, why);
		return;
	}
	c->fp_done.rx_packets += f.rx_packets;
	c->fp_done.rx_bytes += f.rx_bytes;
	c->fp_done.tx_packets += f.tx_packets;
	c->fp_done.tx_bytes += f.tx_bytes;
}

void
client_fp_counters(const struct client *c, struct fastpath_counters *out)
{
	struct fastpath_counters now;

	memset(out, 0, sizeof(*out));
	if (c->link == NULL || c->fp_link != c->link)
		return;
	*out = c->fp_done;
	memset(&now, 0, sizeof(now));
	if (!c->fp_in ||
	    RIO(c->roles, fp_session_stats, c->fp.our_tunnel_id,
		c->fp.our_session_id, &now) < 0)
		return;
	out->rx_packets += now.rx_packets;
	out->rx_bytes += now.rx_bytes;
	out->tx_packets += now.tx_packets;
	out->tx_bytes += now.tx_bytes;
}
