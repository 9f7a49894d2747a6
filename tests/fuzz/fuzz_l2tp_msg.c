/*
 * fuzz_l2tp_msg.c — the L2TP control message codec (src/l2tp/msg.c,
 * avp_table.c, hidden.c) on hostile datagrams.
 *
 * Input: byte 0 chooses the secret (bit 0: none / a fixed one, so hidden
 * AVPs (RFC 2661 §4.3) are unhidden) and whether the re-encoding hides
 * (bit 1); the rest is the datagram.  Whatever decodes with L2TP_OK is
 * encoded again and must decode again to the same message: the codec may
 * not accept what it cannot reproduce.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "l2tp/msg.h"

static const uint8_t fixed_secret[] = "fuzz-tunnel-secret";

static void
same_bytes(const struct l2tp_bytes *a, const struct l2tp_bytes *b)
{
	FUZZ_CHECK(a->len == b->len);
	FUZZ_CHECK(memcmp(a->data, b->data, a->len) == 0);
}

/* Key fields of every AVP present in both (presence compared first). */
static void
same_msg(const struct l2tp_msg *a, const struct l2tp_msg *b)
{
	const uint64_t rv = L2TP_AVP_BIT(L2TP_AVP_RANDOM_VECTOR);

	FUZZ_CHECK(a->type == b->type);
	FUZZ_CHECK((a->present & ~rv) == (b->present & ~rv));
	FUZZ_CHECK(a->hdr.tunnel_id == b->hdr.tunnel_id);
	FUZZ_CHECK(a->hdr.session_id == b->hdr.session_id);
	FUZZ_CHECK(a->hdr.ns == b->hdr.ns && a->hdr.nr == b->hdr.nr);
	if (l2tp_msg_has(a, L2TP_AVP_RESULT_CODE)) {
		FUZZ_CHECK(a->result.result == b->result.result);
		FUZZ_CHECK(a->result.has_error == b->result.has_error);
		if (a->result.has_error)
			FUZZ_CHECK(a->result.error == b->result.error);
		FUZZ_CHECK(strcmp(a->result.message, b->result.message) == 0);
	}
	if (l2tp_msg_has(a, L2TP_AVP_PROTOCOL_VERSION))
		FUZZ_CHECK(a->proto_ver == b->proto_ver &&
		    a->proto_rev == b->proto_rev);
	if (l2tp_msg_has(a, L2TP_AVP_FRAMING_CAP))
		FUZZ_CHECK(a->framing_cap == b->framing_cap);
	if (l2tp_msg_has(a, L2TP_AVP_BEARER_CAP))
		FUZZ_CHECK(a->bearer_cap == b->bearer_cap);
	if (l2tp_msg_has(a, L2TP_AVP_TIE_BREAKER))
		FUZZ_CHECK(memcmp(a->tie_breaker, b->tie_breaker, 8) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_HOST_NAME))
		FUZZ_CHECK(strcmp(a->host_name, b->host_name) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_VENDOR_NAME))
		FUZZ_CHECK(strcmp(a->vendor_name, b->vendor_name) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_ASSIGNED_TUNNEL_ID))
		FUZZ_CHECK(a->assigned_tunnel_id == b->assigned_tunnel_id);
	if (l2tp_msg_has(a, L2TP_AVP_RECEIVE_WINDOW_SIZE))
		FUZZ_CHECK(a->receive_window == b->receive_window);
	if (l2tp_msg_has(a, L2TP_AVP_CHALLENGE))
		same_bytes(&a->challenge, &b->challenge);
	if (l2tp_msg_has(a, L2TP_AVP_CHALLENGE_RESPONSE))
		FUZZ_CHECK(memcmp(a->challenge_response, b->challenge_response,
			       16) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_ASSIGNED_SESSION_ID))
		FUZZ_CHECK(a->assigned_session_id == b->assigned_session_id);
	if (l2tp_msg_has(a, L2TP_AVP_CALL_SERIAL_NUMBER))
		FUZZ_CHECK(a->call_serial == b->call_serial);
	if (l2tp_msg_has(a, L2TP_AVP_CALLED_NUMBER))
		FUZZ_CHECK(strcmp(a->called_number, b->called_number) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_CALLING_NUMBER))
		FUZZ_CHECK(strcmp(a->calling_number, b->calling_number) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_TX_CONNECT_SPEED))
		FUZZ_CHECK(a->tx_connect_speed == b->tx_connect_speed);
	if (l2tp_msg_has(a, L2TP_AVP_FRAMING_TYPE))
		FUZZ_CHECK(a->framing_type == b->framing_type);
	if (l2tp_msg_has(a, L2TP_AVP_LAST_SENT_LCP_CONFREQ))
		same_bytes(&a->last_sent_confreq, &b->last_sent_confreq);
	if (l2tp_msg_has(a, L2TP_AVP_LAST_RCVD_LCP_CONFREQ))
		same_bytes(&a->last_rcvd_confreq, &b->last_rcvd_confreq);
	if (l2tp_msg_has(a, L2TP_AVP_PROXY_AUTHEN_TYPE))
		FUZZ_CHECK(a->proxy_authen_type == b->proxy_authen_type);
	if (l2tp_msg_has(a, L2TP_AVP_PROXY_AUTHEN_NAME))
		FUZZ_CHECK(
		    strcmp(a->proxy_authen_name, b->proxy_authen_name) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_PROXY_AUTHEN_RESPONSE))
		same_bytes(&a->proxy_authen_response,
		    &b->proxy_authen_response);
	if (l2tp_msg_has(a, L2TP_AVP_CALL_ERRORS))
		FUZZ_CHECK(memcmp(&a->call_errors, &b->call_errors,
			       sizeof(a->call_errors)) == 0);
	if (l2tp_msg_has(a, L2TP_AVP_ACCM))
		FUZZ_CHECK(a->accm.send == b->accm.send &&
		    a->accm.recv == b->accm.recv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct l2tp_msg m, m2;
	static uint8_t out[65536];
	struct l2tp_secret secret = { fixed_secret, sizeof(fixed_secret) - 1 };
	const struct l2tp_secret *sec;
	struct l2tp_hdr h;
	struct l2tp_err err;
	enum l2tp_verdict v;
	uint8_t mode;
	size_t n;

	fuzz_quiet();
	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	sec = (mode & 1) ? &secret : NULL;

	if (l2tp_hdr_decode(data, size, &h) == L2TP_HDR_OK) {
		FUZZ_CHECK((size_t)h.payload_off + h.payload_len <= size);
		if (h.has_length)
			FUZZ_CHECK(h.length <= size);
	}

	memset(&m, 0, sizeof(m));
	memset(&err, 0, sizeof(err));
	v = l2tp_msg_decode(data, size, sec, &m, &err);
	if (v != L2TP_OK) {
		FUZZ_CHECK(err.reason != NULL);
		FUZZ_CHECK(err.verdict == v);
		return 0;
	}

	/* Round trip: encode what we understood, decode it again. */
	n = l2tp_msg_encode(&m, sec, (mode & 2) != 0, out, sizeof(out));
	if (n == 0 && (mode & 2) != 0) /* hiding pads: may not fit */
		n = l2tp_msg_encode(&m, sec, false, out, sizeof(out));
	FUZZ_CHECK(n > 0);
	memset(&m2, 0, sizeof(m2));
	v = l2tp_msg_decode(out, n, sec, &m2, &err);
	if (v != L2TP_OK)
		fprintf(stderr, "re-decode: %s: %s (avp %u)\n",
		    l2tp_verdict_str(v), err.reason, err.avp_type);
	FUZZ_CHECK(v == L2TP_OK);
	same_msg(&m, &m2);
	return 0;
}
