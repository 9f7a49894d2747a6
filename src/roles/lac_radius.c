/*
 * lac_radius.c — RFC 2868 tunnel attributes to LAC destinations (see the
 * header).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "roles/lac_radius.h"

#define L2TP_DEFAULT_PORT 1701 /* RFC 2661 §8.1 */

int
lac_radius_endpoint(const char *s, struct cfg_hostport *hp)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strchr(s, ':');
	size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	unsigned long port = L2TP_DEFAULT_PORT;
	struct in_addr a;

	/* RFC 2868 §3.3: for Medium IPv4 the endpoint is an address in
	 * dotted-decimal notation; a ":port" suffix is common practice. */
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &a) != 1)
		return -1;
	if (colon != NULL) {
		char *end;

		if (colon[1] < '0' || colon[1] > '9')
			return -1;
		port = strtoul(colon + 1, &end, 10);
		if (*end != '\0' || port == 0 || port > 65535)
			return -1;
	}
	memset(hp, 0, sizeof(*hp));
	strlcpy(hp->host, host, sizeof(hp->host));
	hp->port = (uint16_t)port;
	return 0;
}

/* ":1702" (or "") after an endpoint's address into *port; -1 if bad. */
static int
endpoint_port(const char *p, unsigned long *port)
{
	char *end;

	if (*p == '\0')
		return 0;
	if (p[0] != ':' || p[1] < '0' || p[1] > '9')
		return -1;
	*port = strtoul(p + 1, &end, 10);
	return *end != '\0' || *port == 0 || *port > 65535 ? -1 : 0;
}

int
lac_radius_endpoint6(const char *s, struct cfg_hostport *hp)
{
	char host[INET6_ADDRSTRLEN];
	unsigned long port = L2TP_DEFAULT_PORT;
	const char *rest = "";
	struct in6_addr a;
	size_t n;

	/* RFC 2868 §3.3: for Medium IPv6 an address in the text form of
	 * RFC 2373 (now RFC 4291 §2.2); a port needs the brackets of
	 * RFC 3986 §3.2.2 to be told from the address. */
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL)
			return -1;
		n = (size_t)(close - s - 1);
		s++;
		rest = close + 1;
	} else {
		n = strlen(s);
	}
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET6, host, &a) != 1 ||
	    endpoint_port(rest, &port) < 0)
		return -1;
	memset(hp, 0, sizeof(*hp));
	strlcpy(hp->host, host, sizeof(hp->host));
	hp->port = (uint16_t)port;
	return 0;
}

unsigned
lac_radius_dests(const struct radius_auth_reply *rep, struct lac_dest *out,
    unsigned max)
{
	struct lac_dest all[RADIUS_AUTH_MAX_TUNNELS];
	unsigned n = 0;

	/* sorted in full first, so that max keeps the most preferred */
	memset(all, 0, sizeof(all));
	for (unsigned i = 0; i < rep->ntunnels && n < RADIUS_AUTH_MAX_TUNNELS;
	     i++) {
		const struct radius_tunnel *t = &rep->tunnels[i];
		struct lac_dest d;
		unsigned j;

		/* RFC 2868 §3.1/§3.2: only L2TP over IPv4 or IPv6 is ours;
		 * other tags (PPTP, ...) are for other initiators. */
		if (t->type != LAC_RADIUS_TUNNEL_L2TP ||
		    (t->medium != LAC_RADIUS_MEDIUM_IPV4 &&
			t->medium != LAC_RADIUS_MEDIUM_IPV6))
			continue;
		memset(&d, 0, sizeof(d));
		d.ipv6 = t->medium == LAC_RADIUS_MEDIUM_IPV6;
		if ((d.ipv6 ?
			    lac_radius_endpoint6(t->server_endpoint, &d.hp) :
			    lac_radius_endpoint(t->server_endpoint, &d.hp)) < 0)
			continue;
		if (t->has_password && t->password_len <= sizeof(d.secret)) {
			memcpy(d.secret, t->password, t->password_len);
			d.secret_len = t->password_len;
		}
		strlcpy(d.assignment_id, t->assignment_id,
		    sizeof(d.assignment_id));
		strlcpy(d.client_auth_id, t->client_auth_id,
		    sizeof(d.client_auth_id));
		d.preference = t->preference;
		d.tag = t->tag;
		/* RFC 2868 §3.8: the lower Tunnel-Preference is tried first;
		 * insertion keeps equal preferences in the reply's order. */
		for (j = n; j > 0 && all[j - 1].preference > d.preference; j--)
			all[j] = all[j - 1];
		all[j] = d;
		n++;
	}
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(*out));
	explicit_bzero(all, sizeof(all));
	return n;
}
