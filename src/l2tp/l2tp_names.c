/*
 * l2tp_names.c — the *_str() names of msg.h, in the RFC's words.  Message
 * and AVP names come from the tables (msg_spec.c, avp_table.c) so a name
 * is written once.
 */
#include "l2tp/avp_table.h"
#include "l2tp/msg.h"
#include "l2tp/msg_spec.h"

const char *
l2tp_hdr_status_str(enum l2tp_hdr_status st)
{
	switch (st) {
	/* clang-format off */
	case L2TP_HDR_OK:		return "ok";
	case L2TP_HDR_TRUNCATED:	return "truncated header";
	case L2TP_HDR_BAD_VERSION:	return "bad version";
	case L2TP_HDR_BAD_LENGTH:	return "bad length";
	case L2TP_HDR_BAD_CONTROL:	return "bad control header bits";
		/* clang-format on */
	}
	return "unknown header status";
}

const char *
l2tp_msg_type_str(enum l2tp_msg_type t)
{
	const struct l2tp_msg_spec *s;

	if (t == L2TP_MSG_ZLB)
		return "ZLB";
	s = l2tp_msg_spec_get((uint16_t)t);
	return s != NULL ? s->name : "unknown message type";
}

const char *
l2tp_avp_type_str(uint16_t t)
{
	const struct l2tp_avp_desc *d = l2tp_avp_desc_get(t);

	return d != NULL ? d->name : "unknown AVP";
}

const char *
l2tp_verdict_str(enum l2tp_verdict v)
{
	switch (v) {
	/* clang-format off */
	case L2TP_OK:			return "ok";
	case L2TP_DROP:			return "drop";
	case L2TP_REJECT_TUNNEL:	return "reject tunnel";
	case L2TP_REJECT_SESSION:	return "reject session";
		/* clang-format on */
	}
	return "unknown verdict";
}

/*
 * RFC 2661 §4.4.2 Result Codes, index = code: the RFC's words for logs, and
 * a short token for `vpdnctl show stats` (table and JSON), which are part of
 * the control interface.
 */
struct result_name {
	const char *token;
	const char *text;
};

static const struct result_name stopccn_results[] = {
	[0] = { "reserved", "reserved" },
	[L2TP_STOPCCN_GENERAL] = { "general-request",
	    "general request to clear control connection" },
	[L2TP_STOPCCN_ERROR] = { "general-error", "general error" },
	[L2TP_STOPCCN_EXISTS] = { "channel-exists",
	    "control channel already exists" },
	[L2TP_STOPCCN_NOT_AUTHORIZED] = { "not-authorized",
	    "requester is not authorized" },
	[L2TP_STOPCCN_BAD_VERSION] = { "bad-protocol-version",
	    "protocol version not supported" },
	[L2TP_STOPCCN_SHUTDOWN] = { "shutting-down",
	    "requester is being shut down" },
	[L2TP_STOPCCN_FSM_ERROR] = { "fsm-error",
	    "finite state machine error" },
};

static const struct result_name cdn_results[] = {
	[0] = { "reserved", "reserved" },
	[L2TP_CDN_LOST_CARRIER] = { "lost-carrier", "loss of carrier" },
	[L2TP_CDN_ERROR] = { "general-error", "general error" },
	[L2TP_CDN_ADMIN] = { "administrative", "administrative reasons" },
	[L2TP_CDN_NO_RESOURCES] = { "no-resources-temporary",
	    "lack of appropriate facilities (temporary)" },
	[L2TP_CDN_NO_RESOURCES_PERM] = { "no-resources-permanent",
	    "lack of appropriate facilities (permanent)" },
	[L2TP_CDN_INVALID_DEST] = { "invalid-destination",
	    "invalid destination" },
	[L2TP_CDN_NO_CARRIER] = { "no-carrier", "no carrier detected" },
	[L2TP_CDN_BUSY] = { "busy", "busy signal" },
	[L2TP_CDN_NO_DIAL_TONE] = { "no-dial-tone", "no dial tone" },
	[L2TP_CDN_TIMEOUT] = { "timeout",
	    "not established within time allotted" },
	[L2TP_CDN_BAD_FRAMING] = { "no-framing",
	    "no appropriate framing detected" },
};

#define NRESULTS(t) (sizeof(t) / sizeof((t)[0]))

/* The host's per-code counters must have a name for every slot. */
_Static_assert(NRESULTS(stopccn_results) == L2TP_STOPCCN_NCODES,
    "StopCCN result names and counters disagree");
_Static_assert(NRESULTS(cdn_results) == L2TP_CDN_NCODES,
    "CDN result names and counters disagree");

const char *
l2tp_stopccn_result_str(uint16_t r)
{
	return r < NRESULTS(stopccn_results) ? stopccn_results[r].text :
					       "unknown result code";
}

const char *
l2tp_stopccn_result_token(uint16_t r)
{
	return r < NRESULTS(stopccn_results) ? stopccn_results[r].token :
					       "unknown";
}

const char *
l2tp_cdn_result_str(uint16_t r)
{
	return r < NRESULTS(cdn_results) ? cdn_results[r].text :
					   "unknown result code";
}

const char *
l2tp_cdn_result_token(uint16_t r)
{
	return r < NRESULTS(cdn_results) ? cdn_results[r].token : "unknown";
}

/* RFC 2661 §4.4.2 General Error Codes. */
const char *
l2tp_error_code_str(uint16_t e)
{
	static const char *const names[] = {
		[L2TP_ERR_NONE] = "no general error",
		[L2TP_ERR_NO_CONTROL_CONNECTION] =
		    "no control connection exists yet",
		[L2TP_ERR_BAD_LENGTH] = "length is wrong",
		[L2TP_ERR_BAD_VALUE] = "field value out of range",
		[L2TP_ERR_NO_RESOURCES] = "insufficient resources",
		[L2TP_ERR_BAD_SESSION_ID] =
		    "session ID invalid in this context",
		[L2TP_ERR_VENDOR] = "vendor-specific error",
		[L2TP_ERR_TRY_ANOTHER] = "try another",
		[L2TP_ERR_UNKNOWN_M_AVP] = "unknown mandatory AVP",
	};

	return e < sizeof(names) / sizeof(names[0]) ? names[e] :
						      "unknown error code";
}
