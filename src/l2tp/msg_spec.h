/*
 * msg_spec.h — per control message type, the AVPs RFC 2661 §6 says MUST be
 * present (required) and MAY be present (allowed ⊇ required), and whether
 * the message belongs to a session (§4.1 M-bit scope, §4.2).
 */
#ifndef VPDN_L2TP_MSG_SPEC_H
#define VPDN_L2TP_MSG_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "l2tp/l2tp_proto.h"

struct l2tp_msg_spec {
	enum l2tp_msg_type type;
	const char *name;
	uint64_t required; /* L2TP_AVP_BIT()s */
	uint64_t allowed;  /* includes required and RV */
	bool session;	   /* ICRQ..CDN, WEN, SLI */
	/* Carries the RFC 5515 access-line AVPs (Vendor ID 3561): the LAC
	 * sends them in ICRQ (RFC 5515 §3). */
	bool access_line;
};

/* The spec of a message type, or NULL for ZLB, reserved and unknown types. */
const struct l2tp_msg_spec *l2tp_msg_spec_get(uint16_t type);

#endif
