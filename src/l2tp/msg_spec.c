/*
 * msg_spec.c — RFC 2661 §6: the AVPs each control message MUST and MAY
 * carry.  A Random Vector may precede hidden AVPs in any message (§4.4.1
 * "Random Vector (All Messages)"), so every message allows it.
 */
#include <stddef.h>

#include "l2tp/msg.h"
#include "l2tp/msg_spec.h"

/* clang-format off */
#define B(t)	L2TP_AVP_BIT(L2TP_AVP_##t)
#define ALL	(B(MESSAGE_TYPE) | B(RANDOM_VECTOR))

/* One row: MUST list, MAY list, session scope.  allowed = MUST | MAY | RV. */
#define SPEC(t, n, req, opt, sess) \
	[L2TP_MSG_##t] = { L2TP_MSG_##t, n, .required = (req), \
	    .allowed = ALL | (req) | (opt), .session = (sess) }
/* The same for a message that carries the RFC 5515 access-line AVPs. */
#define SPEC_AL(t, n, req, opt, sess) \
	[L2TP_MSG_##t] = { L2TP_MSG_##t, n, .required = (req), \
	    .allowed = ALL | (req) | (opt), .session = (sess), \
	    .access_line = true }

static const struct l2tp_msg_spec msg_specs[L2TP_MSG_TYPE_MAX + 1] = {
	/* §6.1 */
	SPEC(SCCRQ, "SCCRQ",
	    B(MESSAGE_TYPE) | B(PROTOCOL_VERSION) | B(HOST_NAME) |
	    B(FRAMING_CAP) | B(ASSIGNED_TUNNEL_ID),
	    B(BEARER_CAP) | B(RECEIVE_WINDOW_SIZE) | B(CHALLENGE) |
	    B(TIE_BREAKER) | B(FIRMWARE_REVISION) | B(VENDOR_NAME), false),
	/* §6.2 */
	SPEC(SCCRP, "SCCRP",
	    B(MESSAGE_TYPE) | B(PROTOCOL_VERSION) | B(FRAMING_CAP) |
	    B(HOST_NAME) | B(ASSIGNED_TUNNEL_ID),
	    B(BEARER_CAP) | B(FIRMWARE_REVISION) | B(VENDOR_NAME) |
	    B(RECEIVE_WINDOW_SIZE) | B(CHALLENGE) | B(CHALLENGE_RESPONSE),
	    false),
	/* §6.3 */
	SPEC(SCCCN, "SCCCN", B(MESSAGE_TYPE), B(CHALLENGE_RESPONSE), false),
	/* §6.4 */
	SPEC(STOPCCN, "StopCCN",
	    B(MESSAGE_TYPE) | B(ASSIGNED_TUNNEL_ID) | B(RESULT_CODE), 0, false),
	/* §6.5 */
	SPEC(HELLO, "HELLO", B(MESSAGE_TYPE), 0, false),
	/* §6.9 */
	SPEC(OCRQ, "OCRQ",
	    B(MESSAGE_TYPE) | B(ASSIGNED_SESSION_ID) | B(CALL_SERIAL_NUMBER) |
	    B(MIN_BPS) | B(MAX_BPS) | B(BEARER_TYPE) | B(FRAMING_TYPE) |
	    B(CALLED_NUMBER),
	    B(SUB_ADDRESS), true),
	/* §6.10 */
	SPEC(OCRP, "OCRP", B(MESSAGE_TYPE) | B(ASSIGNED_SESSION_ID),
	    B(PHYSICAL_CHANNEL_ID), true),
	/* §6.11 */
	SPEC(OCCN, "OCCN",
	    B(MESSAGE_TYPE) | B(TX_CONNECT_SPEED) | B(FRAMING_TYPE),
	    B(RX_CONNECT_SPEED) | B(SEQUENCING_REQUIRED), true),
	/* §6.6 */
	SPEC_AL(ICRQ, "ICRQ",
	    B(MESSAGE_TYPE) | B(ASSIGNED_SESSION_ID) | B(CALL_SERIAL_NUMBER),
	    B(BEARER_TYPE) | B(PHYSICAL_CHANNEL_ID) | B(CALLING_NUMBER) |
	    B(CALLED_NUMBER) | B(SUB_ADDRESS), true),
	/* §6.7 */
	SPEC(ICRP, "ICRP", B(MESSAGE_TYPE) | B(ASSIGNED_SESSION_ID), 0, true),
	/* §6.8 */
	SPEC(ICCN, "ICCN",
	    B(MESSAGE_TYPE) | B(TX_CONNECT_SPEED) | B(FRAMING_TYPE),
	    B(INITIAL_RCVD_LCP_CONFREQ) | B(LAST_SENT_LCP_CONFREQ) |
	    B(LAST_RCVD_LCP_CONFREQ) | B(PROXY_AUTHEN_TYPE) |
	    B(PROXY_AUTHEN_NAME) | B(PROXY_AUTHEN_CHALLENGE) |
	    B(PROXY_AUTHEN_ID) | B(PROXY_AUTHEN_RESPONSE) |
	    B(PRIVATE_GROUP_ID) | B(RX_CONNECT_SPEED) |
	    B(SEQUENCING_REQUIRED), true),
	/* §6.12 */
	SPEC(CDN, "CDN",
	    B(MESSAGE_TYPE) | B(RESULT_CODE) | B(ASSIGNED_SESSION_ID),
	    B(Q931_CAUSE), true),
	/* §6.13 */
	SPEC(WEN, "WEN", B(MESSAGE_TYPE) | B(CALL_ERRORS), 0, true),
	/* §6.14 */
	SPEC(SLI, "SLI", B(MESSAGE_TYPE) | B(ACCM), 0, true),
};
/* clang-format on */

const struct l2tp_msg_spec *
l2tp_msg_spec_get(uint16_t type)
{
	if (type > L2TP_MSG_TYPE_MAX || msg_specs[type].name == NULL)
		return NULL;
	return &msg_specs[type];
}
