/*
 * roles_util.c — helpers shared by the roles (roles_util.h).  A leaf: it
 * must not include roles_priv.h or call into roles.c, lns.c, lac*.c or
 * client.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "roles/roles_util.h"

void
roles_tun_add(const struct roles_io *io, struct roles_tun_stats *st,
    const struct tun *t)
{
	struct tun_kstats ks;

	if (t->fd < 0)
		return;
	if (io->ops->tun_kstats(io->ctx, t, &ks) == 0) {
		st->kernel_tx_dropped += ks.tx_dropped;
		st->kernel_rx_dropped += ks.rx_dropped;
	}
	st->write_full += t->tx_full;
	st->write_errors += t->tx_errors;
}

enum ppp_auth_method
roles_auth_method(enum cfg_auth a)
{
	switch (a) {
	/* clang-format off */
	case CFG_AUTH_PAP:		return PPP_AUTH_PAP;
	case CFG_AUTH_CHAP_MD5:		return PPP_AUTH_CHAP_MD5;
	case CFG_AUTH_MSCHAPV2:		return PPP_AUTH_MSCHAPV2;
		/* clang-format on */
	}
	return PPP_AUTH_NONE;
}

int
roles_refuse_call(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *req, uint64_t now)
{
	(void)r;
	(void)ctx;
	(void)s;
	(void)req;
	(void)now;
	return L2TP_CDN_NO_RESOURCES;
}

bool
roles_fp_from_session(struct l2tp_session *s, const struct ppp_link *link,
    struct fastpath_session *fp, char *why, size_t whylen)
{
	struct l2tp_session_info si;
	struct l2tp_tunnel_info ti;
	struct sockaddr_in peer, local;
	bool acfc, pfc;

	l2tp_session_get_info(s, &si);
	/* RFC 2661 §5.4: sequenced data needs the Ns/Nr state and the
	 * reordering the user path keeps. */
	if (si.sequencing) {
		snprintf(why, whylen, "data sequencing");
		return false;
	}
	l2tp_tunnel_get_info(l2tp_session_tunnel(s), &ti);
	if (ti.peer.ss.ss_family != AF_INET ||
	    ti.local.ss.ss_family != AF_INET) {
		snprintf(why, whylen, "the tunnel is not over IPv4");
		return false;
	}
	memcpy(&peer, &ti.peer.ss, sizeof(peer));
	memcpy(&local, &ti.local.ss, sizeof(local));
	if (local.sin_addr.s_addr == htonl(INADDR_ANY) || local.sin_port == 0) {
		snprintf(why, whylen,
		    "the tunnel's local address is not known");
		return false;
	}
	memset(fp, 0, sizeof(*fp));
	fp->our_tunnel_id = si.tunnel_local_id;
	fp->our_session_id = si.local_id;
	fp->peer_tunnel_id = ti.peer_id;
	fp->peer_session_id = si.peer_id;
	fp->peer_addr = peer.sin_addr;
	fp->peer_port = ntohs(peer.sin_port);
	fp->local_addr = local.sin_addr;
	fp->local_port = ntohs(local.sin_port);
	/* RFC 1662 §3.2, RFC 1661 §6.5/§6.6: the user path takes both PPP
	 * header forms whatever was negotiated (ppp/link.c), and so do the
	 * programs; they send the form the peer agreed to receive. */
	fp->rx_acfc = true;
	fp->rx_pfc = true;
	ppp_link_peer_compression(link, &acfc, &pfc);
	fp->tx_acfc = acfc;
	fp->tx_pfc = pfc;
	return true;
}
