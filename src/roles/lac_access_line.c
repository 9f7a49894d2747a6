/*
 * lac_access_line.c — a LAC call's access line: what the access node put
 * in the subscriber's PADR (TR-101 §3.9.3), or the circuit id the LAC
 * makes itself (insert-circuit-id) when the access network sent none; and
 * what the call passes on from it: the ICRQ's RFC 5515 AVPs and the
 * ICCN's connect speeds.  The RADIUS side reads c->al through
 * auth_request.access_line and aaa_session.access_line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/log.h"
#include "pppoe/pppoe_tr101.h"
#include "roles/lac_priv.h"

/* The VLAN ID of a Linux VLAN interface name ("eth0.100" → "100"), "0"
 * for an untagged one. */
static const char *
vlan_of(const char *ifname)
{
	const char *dot = strrchr(ifname, '.');

	if (dot == NULL || dot[1] == '\0' ||
	    strspn(dot + 1, "0123456789") != strlen(dot + 1))
		return "0";
	return dot + 1;
}

int
lac_circuit_id_format(const char *fmt, const char *ifname, const uint8_t mac[6],
    char *out, size_t cap)
{
	size_t n = 0;
	char mbuf[AAA_MAC_STR_LEN];
	const char *add;
	char one[2] = { 0, 0 };

	if (cap == 0)
		return -1;
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p == '%' && p[1] != '\0') {
			p++;
			switch (*p) {
			case 'i':
				add = ifname;
				break;
			case 'v':
				add = vlan_of(ifname);
				break;
			case 'm':
				aaa_mac_str(mac, mbuf);
				add = mbuf;
				break;
			default:
				/* %% and anything else: the character */
				one[0] = *p;
				add = one;
				break;
			}
		} else {
			one[0] = *p;
			add = one;
		}
		for (; *add != '\0'; add++) {
			if (n + 1 >= cap || n >= ACCESS_LINE_ID_MAX)
				return -1;
			out[n++] = *add;
		}
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

void
lac_call_access_line(struct lac_call *c, const struct pppoe_session *s)
{
	const struct cfg_lac *cfg = &c->lac->cfg;
	struct access_line al;
	char id[ACCESS_LINE_ID_MAX + 1];
	char sum[256];

	memset(&al, 0, sizeof(al));
	if (s->padr_tags != NULL)
		(void)pppoe_tr101_parse(s->padr_tags, s->padr_tags_len, &al,
		    NULL);
	/* The access network sent no circuit id: ours, if configured. */
	if (cfg->insert_circuit_id &&
	    !access_line_has(&al, ACCESS_LINE_CIRCUIT_ID) &&
	    lac_circuit_id_format(cfg->circuit_id_format, cfg->pppoe_interface,
		s->peer, id, sizeof(id)) == 0)
		(void)access_line_set_text(&al, ACCESS_LINE_CIRCUIT_ID, id,
		    strlen(id));
	if (al.present == 0)
		return;
	if ((c->al = malloc(sizeof(*c->al))) == NULL) {
		log_warnx("lac: no memory for the access line of PPPoE "
			  "session %u",
		    s->id);
		return;
	}
	*c->al = al;
	access_line_summary(c->al, sum, sizeof(sum));
	log_info("lac: PPPoE session %u access line %s", s->id, sum);
}

void
lac_call_params_access_line(const struct lac_call *c,
    struct l2tp_call_params *cp)
{
	const struct access_line *al = c->al;

	if (al == NULL)
		return;
	cp->access_line = *al;
	/* RFC 2661 §4.4.5: (Tx) Connect Speed is the speed towards the
	 * user, Rx Connect Speed the other way; the line's actual rates
	 * (RFC 5515 §3) are the truest figure the LAC has.  32-bit AVPs. */
	if (access_line_has(al, ACCESS_LINE_ACT_RATE_DOWN) &&
	    al->num[ACCESS_LINE_ACT_RATE_DOWN] != 0)
		cp->tx_connect_speed = al->num[ACCESS_LINE_ACT_RATE_DOWN] >
			UINT32_MAX ?
		    UINT32_MAX :
		    (uint32_t)al->num[ACCESS_LINE_ACT_RATE_DOWN];
	if (access_line_has(al, ACCESS_LINE_ACT_RATE_UP) &&
	    al->num[ACCESS_LINE_ACT_RATE_UP] != 0)
		cp->rx_connect_speed = al->num[ACCESS_LINE_ACT_RATE_UP] >
			UINT32_MAX ?
		    UINT32_MAX :
		    (uint32_t)al->num[ACCESS_LINE_ACT_RATE_UP];
}

void
lac_reconfigure_access_line(struct lac *lac, const struct vpdn_config *cfg)
{
	lac->cfg.access_line_tags = cfg->lac.access_line_tags;
	lac->cfg.insert_circuit_id = cfg->lac.insert_circuit_id;
	strlcpy(lac->cfg.circuit_id_format, cfg->lac.circuit_id_format,
	    sizeof(lac->cfg.circuit_id_format));
	pppoe_server_set_keep_access_line_tags(lac->srv,
	    cfg->lac.access_line_tags);
}
