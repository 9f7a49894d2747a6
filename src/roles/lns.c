/*
 * lns.c — the LNS role: accepts incoming calls on tunnels that peers opened.
 *
 * The l2tp_host answers SCCRQs itself (accept_tunnels); this file decides
 * about each call and, once it is up, about its PPP frames.  PPP (LCP,
 * authentication, IPCP) and the TUN data plane arrive with issue #3; until
 * then an established session carries no traffic and its frames are counted
 * and dropped.
 */
#include "core/log.h"
#include "roles/roles_priv.h"

int
lns_session_request(struct roles *r, struct l2tp_session *s,
    const struct l2tp_msg *req)
{
	struct l2tp_session_info si;

	(void)r;
	l2tp_session_get_info(s, &si);
	/* RFC 2661 §7.4.2: the LNS answers ICRQ with ICRP when it can take the
	 * call.  Framing must be one we can carry (§4.4.3: sync or async PPP). */
	if (req->type == L2TP_MSG_ICRQ)
		return 0;
	log_info("session %u (tunnel %u): refusing %s: this LNS places no "
	    "outgoing calls", si.local_id, si.tunnel_local_id,
	    l2tp_msg_type_str(req->type));
	return L2TP_CDN_NO_RESOURCES;
}

void
lns_session_up(struct roles *r, struct l2tp_session *s,
    const struct l2tp_msg *iccn)
{
	struct l2tp_session_info si;

	(void)r;
	l2tp_session_get_info(s, &si);
	log_info("session %u/%u (tunnel %u): call connected, serial %u%s",
	    si.local_id, si.peer_id, si.tunnel_local_id, si.call_serial,
	    iccn != NULL && l2tp_msg_has(iccn, L2TP_AVP_PROXY_AUTHEN_TYPE) ?
	    ", with proxy authentication" : "");
}

void
lns_session_down(struct roles *r, struct l2tp_session *s)
{
	struct l2tp_session_info si;

	(void)r;
	l2tp_session_get_info(s, &si);
	log_info("session %u/%u (tunnel %u): call cleared", si.local_id,
	    si.peer_id, si.tunnel_local_id);
}

void
lns_session_data(struct roles *r, struct l2tp_session *s, const uint8_t *frame,
    size_t len)
{
	struct l2tp_session_info si;

	(void)r;
	(void)frame;
	l2tp_session_get_info(s, &si);
	LOG_RL(LOG_LEVEL_DEBUG, "session %u (tunnel %u): %zu-byte PPP frame "
	    "dropped: no PPP on this session yet", si.local_id,
	    si.tunnel_local_id, len);
}
