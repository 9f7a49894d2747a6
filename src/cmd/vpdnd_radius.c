/*
 * vpdnd_radius.c — [radius] into sockets: the RADIUS client and the
 * RFC 5176 listener (vpdnd_radius.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "cmd/vpdnd_radius.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "radius/radius_client.h"
#include "radius/radius_dae.h"
#include "roles/roles.h"

struct vpdnd_dae {
	ev_io io;
	struct ev_loop *loop;
	struct radius_dae *dae;
	struct roles *roles;
	void (*after)(void *arg);
	void *arg;
};

/* The shared secret as the client and the listener take it: a string. */
static void
secret_str(const struct cfg_radius *rc, char *out)
{
	memcpy(out, rc->secret.data, rc->secret.len);
	out[rc->secret.len] = '\0';
}

struct radius_client *
radius_client_from_config(struct ev_loop *loop, const struct cfg_radius *rc)
{
	struct radius_client_config ccfg;
	struct radius_client *c;
	char secret[CFG_MAX_STR + 1];

	secret_str(rc, secret);
	/* Every Access-Request carries Message-Authenticator; a reply
	 * without one could be forged by an MD5 chosen-prefix collision on
	 * the Response Authenticator (Blast-RADIUS), so it is required
	 * (RFC 2869 §5.14) unless the operator turned that off for a
	 * server too old to send it. */
	radius_client_config_default(&ccfg);
	ccfg.require_msgauth = rc->require_message_authenticator;
	if ((c = radius_client_new(loop, &ccfg)) == NULL)
		goto fail;
	for (unsigned i = 0; i < rc->server_count; i++) {
		struct sockaddr_storage ss = rc->server[i].ss;

		if (radius_client_add_server(c, RADIUS_SERVER_AUTH,
			(const struct sockaddr *)&rc->server[i].ss,
			rc->server[i].len, secret) < 0)
			goto fail;
		if (rc->accounting_server_count > 0)
			continue;
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = htons(1813);
		else
			((struct sockaddr_in6 *)&ss)->sin6_port = htons(1813);
		if (radius_client_add_server(c, RADIUS_SERVER_ACCT,
			(struct sockaddr *)&ss, rc->server[i].len, secret) < 0)
			goto fail;
	}
	for (unsigned i = 0; i < rc->accounting_server_count; i++)
		if (radius_client_add_server(c, RADIUS_SERVER_ACCT,
			(const struct sockaddr *)&rc->accounting_server[i].ss,
			rc->accounting_server[i].len, secret) < 0)
			goto fail;
	explicit_bzero(secret, sizeof(secret));
	return c;
fail:
	explicit_bzero(secret, sizeof(secret));
	log_error("radius: cannot set up the client");
	radius_client_free(c);
	return NULL;
}

static unsigned
dae_disconnect(void *arg, const struct radius_dae_match *m)
{
	struct vpdnd_dae *dd = arg;

	return roles_dae_disconnect(dd->roles, m, time_now_ms());
}

static unsigned
dae_coa(void *arg, const struct radius_dae_match *m,
    const struct radius_dae_coa *c, enum radius_dae_error *err)
{
	struct vpdnd_dae *dd = arg;

	return roles_dae_coa(dd->roles, m, c, time_now_ms(), err);
}

static void
dae_on_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct vpdnd_dae *dd = (struct vpdnd_dae *)w;

	(void)loop;
	(void)revents;
	radius_dae_readable(dd->dae);
	if (dd->after != NULL)
		dd->after(dd->arg);
}

struct vpdnd_dae *
vpdnd_dae_new(struct ev_loop *loop, const struct cfg_radius *rc,
    struct roles *r, void (*after)(void *arg), void *arg)
{
	static const struct radius_dae_ops dae_ops = {
		.disconnect = dae_disconnect,
		.coa = dae_coa,
	};
	struct sockaddr_storage allow[RADIUS_DAE_MAX_CLIENTS];
	unsigned nallow = 0;
	char secret[CFG_MAX_STR + 1];
	struct vpdnd_dae *dd;

	if ((dd = calloc(1, sizeof(*dd))) == NULL)
		return NULL;
	dd->loop = loop;
	dd->roles = r;
	dd->after = after;
	dd->arg = arg;
	for (unsigned i = 0;
	     i < rc->server_count && nallow < RADIUS_DAE_MAX_CLIENTS; i++)
		allow[nallow++] = rc->server[i].ss;
	for (unsigned i = 0;
	     i < rc->accounting_server_count && nallow < RADIUS_DAE_MAX_CLIENTS;
	     i++)
		allow[nallow++] = rc->accounting_server[i].ss;
	secret_str(rc, secret);
	dd->dae = radius_dae_new((const struct sockaddr *)&rc->dae_listen.ss,
	    rc->dae_listen.len, secret, allow, nallow, &dae_ops, dd);
	explicit_bzero(secret, sizeof(secret));
	if (dd->dae == NULL) {
		log_error("radius: dae-listen: %s", strerror(errno));
		free(dd);
		return NULL;
	}
	radius_dae_set_replay(dd->dae, rc->dae_replay_window,
	    rc->dae_require_event_timestamp);
	ev_io_init(&dd->io, dae_on_readable, radius_dae_fd(dd->dae), EV_READ);
	ev_io_start(loop, &dd->io);
	return dd;
}

void
vpdnd_dae_free(struct vpdnd_dae *dd)
{
	if (dd == NULL)
		return;
	ev_io_stop(dd->loop, &dd->io);
	radius_dae_free(dd->dae);
	free(dd);
}
