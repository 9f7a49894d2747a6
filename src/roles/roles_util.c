/*
 * roles_util.c — helpers shared by the roles (roles_util.h).  A leaf: it
 * must not include roles_priv.h or call into roles.c, lns.c, lac*.c or
 * client.c.
 */
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
