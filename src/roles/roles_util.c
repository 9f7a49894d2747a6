/*
 * roles_util.c — helpers shared by the roles (roles_util.h).  A leaf: it
 * must not include roles_priv.h or call into roles.c, lns.c, lac*.c or
 * client.c.
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "roles/roles_util.h"

int
roles_resolve_lns(int family, const struct cfg_hostport *hp,
    struct l2tp_addr *out, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = family;
	if (hints.ai_family == AF_INET6)
		hints.ai_flags = AI_V4MAPPED | AI_ALL;
	snprintf(port, sizeof(port), "%u", hp->port);
	rc = getaddrinfo(hp->host, port, &hints, &res);
	if (rc != 0 || res == NULL) {
		snprintf(err, errlen, "cannot resolve LNS %s: %s", hp->host,
		    rc != 0 ? gai_strerror(rc) : "no address");
		if (res != NULL)
			freeaddrinfo(res);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

void
roles_tun_add(struct roles_tun_stats *st, const struct tun *t)
{
	struct tun_kstats ks;

	if (t->fd < 0)
		return;
	if (tun_kstats(t, &ks) == 0) {
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
	case CFG_AUTH_PAP:		return PPP_AUTH_PAP;
	case CFG_AUTH_CHAP_MD5:		return PPP_AUTH_CHAP_MD5;
	case CFG_AUTH_MSCHAPV2:		return PPP_AUTH_MSCHAPV2;
	}
	return PPP_AUTH_NONE;
}

int
roles_refuse_call(struct roles *r, void *ctx, struct l2tp_session *s,
    const struct l2tp_msg *req)
{
	(void)r;
	(void)ctx;
	(void)s;
	(void)req;
	return L2TP_CDN_NO_RESOURCES;
}
