/*
 * gen_corpus.c — writes the seed corpora of tests/fuzz/corpus/<target>/
 * from real messages built by the project's own encoders (l2tp_msg_encode,
 * data_hdr_push, pap/chap builders), laid out in each target's input
 * format (see the comment at the top of each fuzz_*.c).  The configuration
 * seeds are the config goldens' files (tests/config/NAME.conf), added by
 * mk/fuzz.mk's fuzz-corpus target.
 *
 *     gen_corpus DIR      (DIR = tests/fuzz/corpus)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/fastpath_env.h"
#include "core/buf.h"
#include "ipv6/ra.h"
#include "l2tp/data_hdr.h"
#include "fuzz_daemon.h"
#include "l2tp/msg.h"
#include "ppp/auth.h"
#include "ppp/auth_priv.h"
#include "ppp/ppp_proto.h"
#include "pppoe/pppoe_codec.h"
#include "radius/radius_codec.h"

static const char *outdir;

static void
seed(const char *target, const char *name, const uint8_t *p, size_t len)
{
	char path[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	(void)snprintf(path, sizeof(path), "%s/%s/seed-%s", outdir, target,
	    name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* ---- L2TP control messages (RFC 2661 §6), every type ---- */

static void
fill(struct l2tp_msg *m)
{
	static const uint8_t confreq[] = { 0x01, 0x04, 0x05, 0x78, 0x05, 0x06,
		0x12, 0x34, 0x56, 0x78 };

	switch (m->type) {
	case L2TP_MSG_SCCRQ:
	case L2TP_MSG_SCCRP:
		l2tp_msg_set(m, L2TP_AVP_PROTOCOL_VERSION);
		m->proto_ver = 1;
		l2tp_msg_set(m, L2TP_AVP_HOST_NAME);
		(void)snprintf(m->host_name, sizeof(m->host_name),
		    "lac.example");
		l2tp_msg_set(m, L2TP_AVP_FRAMING_CAP);
		m->framing_cap = 3;
		l2tp_msg_set(m, L2TP_AVP_BEARER_CAP);
		m->bearer_cap = 3;
		l2tp_msg_set(m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
		m->assigned_tunnel_id = 0x1234;
		l2tp_msg_set(m, L2TP_AVP_RECEIVE_WINDOW_SIZE);
		m->receive_window = 16;
		l2tp_msg_set(m, L2TP_AVP_VENDOR_NAME);
		(void)snprintf(m->vendor_name, sizeof(m->vendor_name), "vpdn");
		l2tp_msg_set(m, L2TP_AVP_FIRMWARE_REVISION);
		m->firmware_rev = 0x0100;
		l2tp_msg_set(m, L2TP_AVP_CHALLENGE);
		m->challenge.len = 16;
		memset(m->challenge.data, 0x5a, 16);
		if (m->type == L2TP_MSG_SCCRQ) {
			l2tp_msg_set(m, L2TP_AVP_TIE_BREAKER);
			memset(m->tie_breaker, 0x42, 8);
		} else {
			l2tp_msg_set(m, L2TP_AVP_CHALLENGE_RESPONSE);
			memset(m->challenge_response, 0xc3, 16);
		}
		break;
	case L2TP_MSG_SCCCN:
		l2tp_msg_set(m, L2TP_AVP_CHALLENGE_RESPONSE);
		memset(m->challenge_response, 0x3c, 16);
		break;
	case L2TP_MSG_STOPCCN:
	case L2TP_MSG_CDN:
		l2tp_msg_set(m, L2TP_AVP_RESULT_CODE);
		m->result.result = m->type == L2TP_MSG_CDN ? 3 : 4;
		m->result.has_error = true;
		m->result.error = 0;
		(void)snprintf(m->result.message, sizeof(m->result.message),
		    "administrative shutdown");
		if (m->type == L2TP_MSG_STOPCCN) {
			l2tp_msg_set(m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
			m->assigned_tunnel_id = 0x1234;
		} else {
			l2tp_msg_set(m, L2TP_AVP_ASSIGNED_SESSION_ID);
			m->assigned_session_id = 0x4321;
			l2tp_msg_set(m, L2TP_AVP_Q931_CAUSE);
			m->q931.cause = 16;
			m->q931.msg = 0x5a;
		}
		break;
	case L2TP_MSG_OCRQ:
		l2tp_msg_set(m, L2TP_AVP_MIN_BPS);
		m->min_bps = 9600;
		l2tp_msg_set(m, L2TP_AVP_MAX_BPS);
		m->max_bps = 100000000;
		l2tp_msg_set(m, L2TP_AVP_CALLED_NUMBER);
		(void)snprintf(m->called_number, sizeof(m->called_number),
		    "5551234");
		l2tp_msg_set(m, L2TP_AVP_FRAMING_TYPE);
		m->framing_type = 1;
		l2tp_msg_set(m, L2TP_AVP_BEARER_TYPE);
		m->bearer_type = 1;
		__attribute__((fallthrough));
	case L2TP_MSG_ICRQ:
		l2tp_msg_set(m, L2TP_AVP_CALL_SERIAL_NUMBER);
		m->call_serial = 7;
		l2tp_msg_set(m, L2TP_AVP_CALLING_NUMBER);
		(void)snprintf(m->calling_number, sizeof(m->calling_number),
		    "00:11:22:33:44:55");
		__attribute__((fallthrough));
	case L2TP_MSG_ICRP:
	case L2TP_MSG_OCRP:
		l2tp_msg_set(m, L2TP_AVP_ASSIGNED_SESSION_ID);
		m->assigned_session_id = 0x4321;
		break;
	case L2TP_MSG_ICCN:
	case L2TP_MSG_OCCN:
		l2tp_msg_set(m, L2TP_AVP_TX_CONNECT_SPEED);
		m->tx_connect_speed = 100000000;
		l2tp_msg_set(m, L2TP_AVP_RX_CONNECT_SPEED);
		m->rx_connect_speed = 100000000;
		l2tp_msg_set(m, L2TP_AVP_FRAMING_TYPE);
		m->framing_type = 1;
		l2tp_msg_set(m, L2TP_AVP_SEQUENCING_REQUIRED);
		if (m->type == L2TP_MSG_OCCN)
			break;
		/* RFC 2661 §4.4.5 proxy LCP and authentication. */
		l2tp_msg_set(m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ);
		l2tp_msg_set(m, L2TP_AVP_LAST_SENT_LCP_CONFREQ);
		l2tp_msg_set(m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ);
		m->initial_rcvd_confreq.len = sizeof(confreq);
		memcpy(m->initial_rcvd_confreq.data, confreq, sizeof(confreq));
		m->last_sent_confreq = m->initial_rcvd_confreq;
		m->last_rcvd_confreq = m->initial_rcvd_confreq;
		l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_TYPE);
		m->proxy_authen_type = 2;
		l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_NAME);
		(void)snprintf(m->proxy_authen_name,
		    sizeof(m->proxy_authen_name), "alice");
		l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_CHALLENGE);
		m->proxy_authen_challenge.len = 16;
		memset(m->proxy_authen_challenge.data, 0x11, 16);
		l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_ID);
		m->proxy_authen_id = 1;
		l2tp_msg_set(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE);
		m->proxy_authen_response.len = 16;
		memset(m->proxy_authen_response.data, 0x22, 16);
		l2tp_msg_set(m, L2TP_AVP_PRIVATE_GROUP_ID);
		m->private_group_id.len = 4;
		memcpy(m->private_group_id.data, "grp1", 4);
		break;
	case L2TP_MSG_WEN:
		l2tp_msg_set(m, L2TP_AVP_CALL_ERRORS);
		m->call_errors.crc_errors = 1;
		m->call_errors.framing_errors = 2;
		break;
	case L2TP_MSG_SLI:
		l2tp_msg_set(m, L2TP_AVP_ACCM);
		m->accm.send = 0xffffffff;
		m->accm.recv = 0;
		break;
	case L2TP_MSG_ZLB:
	case L2TP_MSG_HELLO:
	default:
		break;
	}
}

static void
gen_l2tp_msg(void)
{
	static const uint8_t secret_bytes[] = "fuzz-tunnel-secret";
	const struct l2tp_secret secret = { secret_bytes,
		sizeof(secret_bytes) - 1 };
	uint8_t buf[1 + 4096];
	struct l2tp_msg m;
	char name[64];
	size_t n;

	for (unsigned t = 0; t <= L2TP_MSG_TYPE_MAX; t++) {
		if (t != L2TP_MSG_ZLB && l2tp_msg_type_str(t) == NULL)
			continue;
		l2tp_msg_init(&m, (enum l2tp_msg_type)t, 0x1234,
		    l2tp_msg_is_session_msg((enum l2tp_msg_type)t) ? 0x4321 :
								     0);
		m.hdr.ns = (uint16_t)t;
		m.hdr.nr = 1;
		fill(&m);
		/* mode 0: no secret */
		n = l2tp_msg_encode(&m, NULL, false, buf + 1, sizeof(buf) - 1);
		if (n == 0)
			continue;
		buf[0] = 0;
		(void)snprintf(name, sizeof(name), "%02u-%s", t,
		    t ? l2tp_msg_type_str(t) : "ZLB");
		seed("fuzz_l2tp_msg", name, buf, n + 1);
		/* mode 3: the secret, AVPs hidden (§4.3) */
		n = l2tp_msg_encode(&m, &secret, true, buf + 1,
		    sizeof(buf) - 1);
		if (n == 0)
			continue;
		buf[0] = 3;
		(void)snprintf(name, sizeof(name), "%02u-%s-hidden", t,
		    t ? l2tp_msg_type_str(t) : "ZLB");
		seed("fuzz_l2tp_msg", name, buf, n + 1);
	}
}

/* ---- data messages (§3.1, §5.4) ---- */

static void
gen_l2tp_data(void)
{
	static const uint8_t lcp_echo[] = { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01,
		0x00, 0x08, 0x12, 0x34, 0x56, 0x78 };
	uint8_t pkt[DATA_HDR_MAX + sizeof(lcp_echo)], in[256], *p;
	struct data_seq sq;
	size_t n, off;

	for (unsigned mode = 0; mode < 4; mode++) {
		data_seq_init(&sq, (mode & 1) != 0, (mode & 2) != 0);
		sq.send_seq = true;
		off = 0;
		in[off++] = (uint8_t)mode;
		for (unsigned i = 0; i < 4; i++) {
			memcpy(pkt + DATA_HDR_MAX, lcp_echo, sizeof(lcp_echo));
			p = data_hdr_push(pkt + DATA_HDR_MAX, DATA_HDR_MAX,
			    0x1234, 0x4321, (i & 1) ? NULL : &sq, i == 3);
			n = (size_t)(pkt + sizeof(pkt) - p);
			in[off++] = (uint8_t)n;
			memcpy(in + off, p, n);
			off += n;
		}
		seed("fuzz_l2tp_data",
		    mode ? (mode == 1	     ? "lns" :
				   mode == 2 ? "lac-seq-required" :
					       "lns-seq-required") :
			   "lac",
		    in, off);
	}
	/* With L and O bits: T=0 L=1 S=1 O=1 (§3.1), offset pad 2. */
	{
		static const uint8_t full[] = { 1, 20, 0x4a, 0x02, 0x00, 0x14,
			0x12, 0x34, 0x43, 0x21, 0x00, 0x05, 0x00, 0x00, 0x00,
			0x02, 0xaa, 0xbb, 0xff, 0x03, 0x00, 0x21 };
		seed("fuzz_l2tp_data", "length-offset", full, sizeof(full));
	}
}

/* ---- l2tp_host: config byte + (op, length, bytes) records ---- */

static void
gen_l2tp_host(void)
{
	/* IDs are 0: op 1 and 2 write the live ones (fuzz_l2tp_host.c). */
	static const uint8_t variants[] = { 0, 1, 10, 0x00, 0x02, 0, 0, 0, 0,
		0xff, 0x03, 0xc0, 0x21, 1, 15, 0x40, 0x02, 0, 12, 0, 0, 0, 0,
		0xff, 0x03, 0x80, 0x21, 0xaa, 0xbb, 0xcc, /* L, link padding */
		1, 14, 0x08, 0x02, 0, 0, 0, 0, 0, 7, 0x55, 0x55, 0xff, 0x03,
		0x00, 0x21, /* S */
		1, 13, 0x02, 0x02, 0, 0, 0, 0, 0, 3, 0xee, 0xee, 0xee, 0xff,
		0x03, /* O, pad 3 */
		2, 20, 0x4a, 0x02, 0, 20, 0, 0, 0, 0, 0, 9, 0, 0, 0, 2, 0xaa,
		0xbb, 0xff, 0x03, 0x00, 0x21, /* L S O, send back */
		3, 20 };		      /* 1 s */
	static const uint8_t seq[] = { 1, 1, 14, 0x08, 0x02, 0, 0, 0, 0, 0, 0,
		0, 0, 0xff, 0x03, 0xc0, 0x21, 1, 14, 0x08, 0x02, 0, 0, 0, 0, 0,
		1, 0, 0, 0xff, 0x03, 0xc0, 0x21, 1, 14, 0x08, 0x02, 0, 0, 0, 0,
		0, 0, 0, 0, 0xff, 0x03, 0xc0, 0x21, 1, 10, 0x00, 0x02, 0, 0, 0,
		0, 0xff, 0x03, 0xc0, 0x21, 2 | 16, 6, 0x00, 0x02, 0, 0, 0,
		0,				  /* in place */
		2 | 4, 6, 0x00, 0x02, 0, 0, 0, 0, /* to the LAC */
		1 | 8, 10, 0x00, 0x02, 0, 0, 0, 0, 0xff, 0x03, 0xc0, 0x21 };
	/* HELLO (§6.5) on the live tunnel: T L S, Message Type AVP 6. */
	static const uint8_t hello[] = { 0, 1, 20, 0xc8, 0x02, 0, 20, 0, 0, 0,
		0, 0, 1, 0, 1, 0x80, 0x08, 0, 0, 0, 0, 0, 6, 3, 200, 0, 12,
		0x00, 0x02, 0x12, 0x34, 0x56, 0x78, 0xff, 0x03, 0xc0, 0x21, 0,
		0 }; /* unknown IDs */
	seed("fuzz_l2tp_host", "data-variants", variants, sizeof(variants));
	seed("fuzz_l2tp_host", "seq-required", seq, sizeof(seq));
	seed("fuzz_l2tp_host", "hello-time", hello, sizeof(hello));
}

/* ---- xport: 4 config bytes + 5-byte records ---- */

static void
gen_xport(void)
{
	static const uint8_t in_order[] = { 16, 4, 5, 8, 1, 0, 0, 0,
		0,		     /* send */
		0, 0, 0, 0, 1,	     /* rx Ns 0 Nr 1 */
		0, 0, 1, 0, 1,	     /* rx Ns 1 */
		2, 0, 200, 0, 0,     /* +200 ms: delayed ack */
		3, 0x12, 0x34, 8, 0, /* set_peer window 8 */
		1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 8, 0, 0, 0, 3, /* ZLB Nr 3 */
		4, 0, 0, 0, 0 };			     /* flush */
	static const uint8_t reorder[] = { 16, 4, 5, 8, 0, 0, 2, 0, 0, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 0, /* 2, 1, 0 */
		0, 0, 0, 0, 0,	     /* duplicate */
		0, 0, 40, 0, 0 };    /* out of window */
	static const uint8_t retransmit[] = { 4, 4, 3, 2, 1, 0, 0, 0, 0, 1, 0,
		0, 0, 0, 1, 0, 0, 0, 0, 2, 0x03, 0xe8, 0, 0, 2, 0x07, 0xd0, 0,
		0, 2, 0x0f, 0xa0, 0, 0, 2, 0x1f, 0x40, 0, 0, 1, 0, 0, 0, 0 };
	seed("fuzz_xport", "in-order", in_order, sizeof(in_order));
	seed("fuzz_xport", "reorder", reorder, sizeof(reorder));
	seed("fuzz_xport", "retransmit-fail", retransmit, sizeof(retransmit));
}

/* ---- users file (fuzz_ini mode 1) ---- */

static void
gen_users(void)
{
	static const char users[] = "\x01"
				    "# name password [address]\n"
				    "alice secret\n"
				    "bob\thunter2 10.0.0.7\n"
				    "carol #notacomment * # a comment\n"
				    "DOMAIN\\dave pw\r\n";
	seed("fuzz_ini", "users", (const uint8_t *)users, sizeof(users) - 1);
}

/* ---- PPP control protocols ---- */

/* Appends a packet record (op 0, length, bytes). */
static size_t
rec(uint8_t *in, size_t off, const uint8_t *p, size_t n)
{
	in[off++] = 0;
	in[off++] = (uint8_t)n;
	memcpy(in + off, p, n);
	return off + n;
}

static size_t
tick(uint8_t *in, size_t off, uint8_t t)
{
	in[off++] = 1;
	in[off++] = t;
	return off;
}

static void
gen_ppp_cp(void)
{
	/* RFC 1661 §6: MRU 1400, Auth CHAP-MD5 (c223 05), Magic. */
	static const uint8_t lcp_req[] = { 1, 1, 0, 19, 1, 4, 0x05, 0x78, 3, 5,
		0xc2, 0x23, 0x05, 5, 6, 0x12, 0x34, 0x56, 0x78 };
	static const uint8_t lcp_req_pap[] = { 1, 2, 0, 18, 1, 4, 0x05, 0x78, 3,
		4, 0xc0, 0x23, 7, 2, 8, 2, 2, 2 };
	static const uint8_t lcp_nak[] = { 3, 1, 0, 9, 3, 5, 0xc2, 0x23, 0x81 };
	static const uint8_t lcp_rej[] = { 4, 1, 0, 8, 5, 4, 0, 0 };
	static const uint8_t lcp_term[] = { 5, 9, 0, 4 };
	static const uint8_t lcp_echo[] = { 9, 3, 0, 8, 0x12, 0x34, 0x56,
		0x78 };
	static const uint8_t lcp_prej[] = { 8, 4, 0, 10, 0x80, 0x57, 1, 1, 0,
		4 };
	static const uint8_t lcp_coderej[] = { 7, 5, 0, 8, 0x0c, 1, 0, 4 };
	static const uint8_t ipcp_req[] = { 1, 1, 0, 22, 3, 6, 0, 0, 0, 0, 129,
		6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0 };
	static const uint8_t ipcp_nak[] = { 3, 1, 0, 10, 3, 6, 10, 0, 0, 2 };
	static const uint8_t ipcp_vj[] = { 1, 2, 0, 16, 2, 6, 0, 0x2d, 0x0f, 1,
		3, 6, 10, 0, 0, 2 };
	static const uint8_t v6_req[] = { 1, 1, 0, 14, 1, 10, 0x02, 0x11, 0x22,
		0xff, 0xfe, 0x33, 0x44, 0x55 };
	uint8_t in[1024], fr[256];
	size_t off;

	for (uint8_t mode = 0; mode < 2; mode++) {
		off = 0;
		in[off++] = mode;
		off = rec(in, off, mode ? lcp_req_pap : lcp_req,
		    mode ? sizeof(lcp_req_pap) : sizeof(lcp_req));
		off = rec(in, off, lcp_nak, sizeof(lcp_nak));
		off = rec(in, off, lcp_rej, sizeof(lcp_rej));
		off = tick(in, off, 30);
		off = rec(in, off, lcp_echo, sizeof(lcp_echo));
		off = rec(in, off, lcp_prej, sizeof(lcp_prej));
		off = rec(in, off, lcp_coderej, sizeof(lcp_coderej));
		off = rec(in, off, lcp_term, sizeof(lcp_term));
		seed("fuzz_ppp_cp", mode ? "lcp-client" : "lcp-server", in,
		    off);
	}
	for (uint8_t mode = 2; mode < 4; mode++) {
		off = 0;
		in[off++] = mode;
		off = rec(in, off, ipcp_req, sizeof(ipcp_req));
		off = rec(in, off, ipcp_nak, sizeof(ipcp_nak));
		off = rec(in, off, ipcp_vj, sizeof(ipcp_vj));
		off = tick(in, off, 30);
		seed("fuzz_ppp_cp", mode == 2 ? "ipcp-server" : "ipcp-client",
		    in, off);
	}
	off = 0;
	in[off++] = 4;
	off = rec(in, off, v6_req, sizeof(v6_req));
	off = tick(in, off, 30);
	seed("fuzz_ppp_cp", "ipv6cp", in, off);

	/* Whole frames for the link: FF 03 + protocol + packet. */
	for (uint8_t mode = 5; mode < 7; mode++) {
		off = 0;
		in[off++] = mode;
		fr[0] = 0xff;
		fr[1] = 0x03;
		fr[2] = 0xc0;
		fr[3] = 0x21;
		memcpy(fr + 4, lcp_req, sizeof(lcp_req));
		off = rec(in, off, fr, 4 + sizeof(lcp_req));
		fr[2] = 0x80;
		fr[3] = 0x21;
		memcpy(fr + 4, ipcp_req, sizeof(ipcp_req));
		off = rec(in, off, fr, 4 + sizeof(ipcp_req));
		/* ACFC + PFC compressed IPCP (RFC 1661 §6.5/6.6 accepted) */
		off = rec(in, off, fr + 2, 2 + sizeof(ipcp_req));
		fr[2] = 0x80;
		fr[3] = 0x57;
		memcpy(fr + 4, v6_req, sizeof(v6_req));
		off = rec(in, off, fr, 4 + sizeof(v6_req));
		fr[2] = 0x00;
		fr[3] = 0x21;
		memset(fr + 4, 0x45, 20);
		off = rec(in, off, fr, 24);
		off = tick(in, off, 40);
		seed("fuzz_ppp_cp", mode == 5 ? "link-server" : "link-client",
		    in, off);
	}
}

/* ---- PAP / CHAP / MS-CHAPv2 exchanges ---- */

static void
gen_ppp_auth(void)
{
	uint8_t in[1024], pkt[AUTH_PKT_MAX], val[64];
	uint8_t chal[16], resp[16];
	size_t off, n;

	memset(chal, 0x5a, sizeof(chal));
	/* PAP server: Authenticate-Request alice/secret, then a wrong one */
	off = 0;
	in[off++] = 0;
	n = pap_build_request(pkt, sizeof(pkt), 1, "alice",
	    (const uint8_t *)"secret", 6);
	off = rec(in, off, pkt, n);
	n = pap_build_request(pkt, sizeof(pkt), 2, "bob",
	    (const uint8_t *)"wrong", 5);
	off = rec(in, off, pkt, n);
	off = tick(in, off, 50);
	seed("fuzz_ppp_auth", "pap-server", in, off);
	in[0] = 8; /* asynchronous backend */
	seed("fuzz_ppp_auth", "pap-server-async", in, off);

	/* PAP client: Ack, Nak */
	off = 0;
	in[off++] = 4;
	off = tick(in, off, 31);
	n = pap_build_reply(pkt, sizeof(pkt), 3, 2, "bad password");
	off = rec(in, off, pkt, n);
	n = pap_build_reply(pkt, sizeof(pkt), 2, 1, "welcome");
	off = rec(in, off, pkt, n);
	seed("fuzz_ppp_auth", "pap-client", in, off);

	/* CHAP-MD5 server: a Response (id 1, our challenge is random so it
	 * fails: the failure path) */
	chap_md5_response(1, (const uint8_t *)"secret", 6, chal, 16, resp);
	off = 0;
	in[off++] = 1;
	n = chap_build_value(pkt, sizeof(pkt), 2, 1, resp, 16, "alice");
	off = rec(in, off, pkt, n);
	off = tick(in, off, 40);
	seed("fuzz_ppp_auth", "chap-server", in, off);

	/* CHAP-MD5 client: Challenge, Success, Failure, re-challenge */
	off = 0;
	in[off++] = 5;
	n = chap_build_value(pkt, sizeof(pkt), 1, 1, chal, 16, "lns");
	off = rec(in, off, pkt, n);
	n = chap_build_status(pkt, sizeof(pkt), 3, 1, "Welcome");
	off = rec(in, off, pkt, n);
	n = chap_build_value(pkt, sizeof(pkt), 1, 2, chal, 8, "lns");
	off = rec(in, off, pkt, n);
	n = chap_build_status(pkt, sizeof(pkt), 4, 2, "Denied");
	off = rec(in, off, pkt, n);
	seed("fuzz_ppp_auth", "chap-client", in, off);

	/* MS-CHAPv2 server: Response (RFC 2759 §4: 49 bytes) */
	off = 0;
	in[off++] = 2;
	memset(val, 0, sizeof(val));
	memset(val, 0x21, 16); /* peer challenge */
	mschapv2_nt_response(chal, val, "alice", (const uint8_t *)"secret", 6,
	    val + 24);
	n = chap_build_value(pkt, sizeof(pkt), 2, 1, val, 49, "alice");
	off = rec(in, off, pkt, n);
	seed("fuzz_ppp_auth", "mschapv2-server", in, off);

	/* MS-CHAPv2 client: Challenge, then Success "S=<40 hex> M=..." and
	 * a Failure "E=691 R=1 C=<32 hex> V=3 M=..." (RFC 2759 §5, §6) */
	off = 0;
	in[off++] = 6;
	n = chap_build_value(pkt, sizeof(pkt), 1, 1, chal, 16, "lns");
	off = rec(in, off, pkt, n);
	n = chap_build_status(pkt, sizeof(pkt), 3, 1,
	    "S=0123456789ABCDEF0123456789ABCDEF01234567 M=Welcome");
	off = rec(in, off, pkt, n);
	n = chap_build_status(pkt, sizeof(pkt), 4, 1,
	    "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=denied");
	off = rec(in, off, pkt, n);
	seed("fuzz_ppp_auth", "mschapv2-client", in, off);
}

/* ---- PPPoE (RFC 2516) ---- */

static void
gen_pppoe(void)
{
	static const uint8_t client[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 2 };
	static const uint8_t ac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 1 };
	static const uint8_t bcast[PPPOE_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff };
	static const uint8_t lcp[] = { 0xc0, 0x21, 1, 1, 0, 8, 5, 6, 0x12, 0x34,
		0x56, 0x78 };
	static const uint8_t code[] = { PPPOE_CODE_PADI, PPPOE_CODE_PADO,
		PPPOE_CODE_PADR, PPPOE_CODE_PADS, PPPOE_CODE_PADT };
	uint8_t frame[PPPOE_FRAME_MAX], in[1 + 4 * (2 + PPPOE_FRAME_MAX)];
	struct pppoe_pkt p;
	char name[32];
	size_t off;
	int n, padi = 0;

	for (unsigned i = 0; i < sizeof(code); i++) {
		memset(&p, 0, sizeof(p));
		memcpy(p.src,
		    code[i] == PPPOE_CODE_PADO || code[i] == PPPOE_CODE_PADS ?
			ac :
			client,
		    PPPOE_MAC_LEN);
		memcpy(p.dst,
		    code[i] == PPPOE_CODE_PADI ? bcast :
			code[i] == PPPOE_CODE_PADO ||
			    code[i] == PPPOE_CODE_PADS ?
						 client :
						 ac,
		    PPPOE_MAC_LEN);
		p.code = code[i];
		p.session_id = code[i] == PPPOE_CODE_PADS ||
			code[i] == PPPOE_CODE_PADT ?
		    1 :
		    0;
		if (code[i] != PPPOE_CODE_PADT) {
			p.nservice = 1;
			p.service[0] = pppoe_tag_str_val("internet");
		}
		p.present = PPPOE_HAVE_HOST_UNIQ;
		p.host_uniq = pppoe_tag_str_val("uniq");
		if (code[i] == PPPOE_CODE_PADO || code[i] == PPPOE_CODE_PADR) {
			p.present |= PPPOE_HAVE_AC_COOKIE | PPPOE_HAVE_AC_NAME;
			p.ac_cookie = pppoe_tag_str_val("0123456789abcdef");
			p.ac_name = pppoe_tag_str_val("vpdn-ac");
		}
		n = pppoe_build_disc(frame, sizeof(frame), &p);
		if (n <= 0)
			continue;
		in[0] = 0;
		memcpy(in + 1, frame, (size_t)n);
		(void)snprintf(name, sizeof(name), "codec-%s",
		    pppoe_code_str((enum pppoe_code)code[i]));
		seed("fuzz_pppoe", name, in, (size_t)n + 1);
		if (code[i] == PPPOE_CODE_PADI)
			padi = n;
		if (code[i] == PPPOE_CODE_PADI) {
			/* server: PADI, then the harness's PADR from the
			 * PADO, then a session frame and PADT (session 1) */
			off = 0;
			in[off++] = 1;
			in[off++] = 0;
			in[off++] = (uint8_t)padi;
			memcpy(in + off, frame, (size_t)padi);
			off += (size_t)padi;
			in[off++] = 2;
			n = pppoe_build_session(frame, sizeof(frame), ac,
			    client, 1, lcp, sizeof(lcp));
			in[off++] = 0;
			in[off++] = (uint8_t)n;
			memcpy(in + off, frame, (size_t)n);
			off += (size_t)n;
			in[off++] = 1;
			in[off++] = 50;
			seed("fuzz_pppoe", "server-discovery", in, off);
		}
	}
	n = pppoe_build_session(frame, sizeof(frame), ac, client, 1, lcp,
	    sizeof(lcp));
	in[0] = 0;
	memcpy(in + 1, frame, (size_t)n);
	seed("fuzz_pppoe", "codec-session", in, (size_t)n + 1);
}

/* ---- RADIUS (RFC 2865, 2866, 2868, 2869) ---- */

static void
gen_radius(void)
{
	static const char secret[] = "fuzz-radius-secret";
	/* clang-format off */
	static const uint8_t req_auth[RADIUS_AUTH_LEN] = {
		0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
		0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
	};
	/* clang-format on */
	static struct radius_packet p;

	radius_packet_init(&p, RADIUS_CODE_ACCESS_REQUEST, 7, req_auth);
	(void)radius_put_string(&p, RADIUS_ATTR_USER_NAME, "alice");
	(void)radius_put_user_password(&p, (const uint8_t *)"secret", 6,
	    secret);
	(void)radius_put_u32(&p, 6, 2); /* Service-Type Framed */
	(void)radius_put_u32(&p, 7, 1); /* Framed-Protocol PPP */
	(void)radius_put_string(&p, 31, "00:11:22:33:44:55");
	(void)radius_put_message_authenticator(&p);
	radius_sign_access_request(&p, secret);
	seed("fuzz_radius", "access-request", p.data, radius_len(&p));

	radius_packet_init(&p, RADIUS_CODE_ACCESS_ACCEPT, 7, req_auth);
	(void)radius_put_ipv4(&p, RADIUS_ATTR_FRAMED_IP_ADDRESS, 0x0a000007);
	(void)radius_put_string(&p, RADIUS_ATTR_REPLY_MESSAGE, "welcome");
	(void)radius_put_tagged_u32(&p, RADIUS_ATTR_TUNNEL_TYPE, 1,
	    RADIUS_TUNNEL_TYPE_L2TP);
	(void)radius_put_tunnel_password(&p, 1, (const uint8_t *)"tunnel", 6,
	    req_auth, secret);
	(void)radius_put_message_authenticator(&p);
	radius_sign_response(&p, req_auth, secret);
	seed("fuzz_radius", "access-accept", p.data, radius_len(&p));

	radius_packet_init(&p, RADIUS_CODE_ACCOUNTING_REQUEST, 8, NULL);
	(void)radius_put_string(&p, RADIUS_ATTR_USER_NAME, "alice");
	(void)radius_put_u32(&p, 40, 1); /* Acct-Status-Type Start */
	(void)radius_put_string(&p, 44, "00000001"); /* Acct-Session-Id */
	radius_sign_accounting_request(&p, secret);
	seed("fuzz_radius", "accounting-request", p.data, radius_len(&p));
}

/* ---- fuzz_daemon: operation scripts (fuzz_daemon.h) ---- */

static void
gen_daemon(void)
{
	/* Each reaches IPCP (the network phase) on at least one call, then
	 * takes a different way out. */
	static const uint8_t pap[] = { 0, DOP_CALL, 0, DOP_LCP, 0, DOP_AUTH, 0,
		0, DOP_IPCP, 0, DOP_TUN, 0, DOP_IP, 0, DOP_TIME, 5, DOP_END, 0,
		0 };
	static const uint8_t chap[] = { 2, DOP_CALL, 0, DOP_LCP, 0, DOP_AUTH, 0,
		1, DOP_IPCP, 0, DOP_TUN, DAEMON_ADDRS - 1, DOP_IP, 0, DOP_TIME,
		201, DOP_END, 0, 1 };
	static const uint8_t three[] = { 0, DOP_CALL, 0, DOP_CALL, 1, DOP_CALL,
		2, DOP_LCP, 0, DOP_LCP, 1, DOP_LCP, 2, DOP_AUTH, 0, 0, DOP_AUTH,
		1, 2, DOP_AUTH, 2, 1, DOP_IPCP, 0, DOP_IPCP, 1, DOP_IPCP, 2,
		DOP_TUN, 0, DOP_TUN, 1, DOP_TUN, 2, DOP_END, 0, 2, DOP_TIME, 3,
		DOP_END, 1, 0 };
	static const uint8_t reload[] = { 0, DOP_CALL, 0, DOP_LCP, 0, DOP_AUTH,
		0, 0, DOP_IPCP, 0, DOP_RELOAD, 3, DOP_TIME, 7, DOP_RELOAD, 1,
		DOP_IP, 0, DOP_END, 0, 3, DOP_TIME, 9, DOP_TIME, 9 };
	static const uint8_t refused[] = { 1, DOP_CALL, 0, DOP_LCP, 0, DOP_AUTH,
		0, 5, DOP_AUTH, 0, 1, DOP_TIME, 50, DOP_CALL, 2, DOP_LCP, 2,
		DOP_AUTH, 2, 0, DOP_IPCP, 2, DOP_TIME, 255, DOP_TIME, 255 };
	static const uint8_t mutated[] = { 0, DOP_CALL, 0, DOP_LCP, 0, DOP_PPP,
		0, 2, 0, DOP_PPP, 0, 9, 1, 3, 0x21, DOP_AUTH, 0, 2, DOP_IPCP, 0,
		DOP_PPP, 0, 7, 0, DOP_PPP, 0, 8, 0, DOP_RAW, 1, 4, 0xc8, 0x02,
		0x00, 0x00, DOP_TIME, 1 };

	/* PPPoE client 0 (t = 4) through the daemon's LAC to its LNS. */
	static const uint8_t lac[] = { 0, DOP_CALL, 4, DOP_LCP, 4, DOP_AUTH, 4,
		0, DOP_IPCP, 4, DOP_IP, 4, DOP_TUN, 0, DOP_TIME, 5, DOP_TIME,
		201, DOP_END, 4, 0, DOP_TIME, 3 };
	static const uint8_t lac_padt[] = { 2, DOP_CALL, 0, DOP_CALL, 4,
		DOP_LCP, 4, DOP_LCP, 0, DOP_AUTH, 4, 0, DOP_AUTH, 0, 2,
		DOP_IPCP, 4, DOP_IPCP, 0, DOP_IP, 4, DOP_TUN, 0, DOP_TUN, 1,
		DOP_END, 4, 0, DOP_TIME, 3, DOP_END, 0, 1 };

	seed("fuzz_daemon", "lac", lac, sizeof(lac));
	seed("fuzz_daemon", "lac-padt", lac_padt, sizeof(lac_padt));
	seed("fuzz_daemon", "pap", pap, sizeof(pap));
	seed("fuzz_daemon", "chap", chap, sizeof(chap));
	seed("fuzz_daemon", "three-calls", three, sizeof(three));
	seed("fuzz_daemon", "reload-up", reload, sizeof(reload));
	seed("fuzz_daemon", "refused", refused, sizeof(refused));
	seed("fuzz_daemon", "mutated", mutated, sizeof(mutated));
}

/* ---- kernel fast path: frames the programs carry (fuzz_bpf_fastpath) ---- */

static void
gen_bpf_fastpath(void)
{
	static const uint16_t flags[] = { 0, L2TP_F_L, L2TP_F_O,
		L2TP_F_L | L2TP_F_O, L2TP_F_S, L2TP_F_T | L2TP_F_L | L2TP_F_S };
	uint8_t buf[1 + 2048];
	struct l2tp_craft c;
	size_t i, len, inner_off;
	char name[32];
	int f;

	/* Byte 0: bit 0 clear (decapsulate), every rx PPP form accepted. */
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		for (f = PPP_FULL; f <= PPP_BOTH; f++) {
			l2tp_craft_default(&c);
			c.flags = flags[i];
			c.pad = 3;
			c.ppp = (enum ppp_form)f;
			buf[0] = 2 | 4;
			len = l2tp_frame(buf + 1, &c, &inner_off);
			(void)snprintf(name, sizeof(name), "decap-%04x-%d",
			    flags[i], f);
			seed("fuzz_bpf_fastpath", name, buf, 1 + len);
		}
	/* Bit 0 set (encapsulate), each tx PPP form. */
	for (f = 0; f < 4; f++) {
		buf[0] = (uint8_t)(1 | f << 3);
		eth_hdr(buf + 1, env_mac_i0, env_mac_host);
		len = 14 +
		    inner_pkt(buf + 1 + 14, ENV_HOST, ENV_SESSION, 64,
			(size_t)(f * 300 + 10));
		(void)snprintf(name, sizeof(name), "encap-%d", f);
		seed("fuzz_bpf_fastpath", name, buf, 1 + len);
	}
	/* IPv6 (PPP 0x0057): from the /64 and the delegated prefix, a
	 * spoofed source, a link-local destination; to the /64 and the
	 * delegated prefix on the ingress and on the TUN's egress. */
	{
		uint8_t src[16], dst[16];
		size_t ioff;

		for (f = PPP_FULL; f <= PPP_BOTH; f++) {
			memcpy(src, s6_prefix, 16);
			src[15] = 0x42;
			buf[0] = 2 | 4;
			len = frame6(buf + 1, (enum ppp_form)f, ENV_OUR_SID,
			    src, s6_host, 64, (size_t)(f * 300 + 10), &ioff);
			(void)snprintf(name, sizeof(name), "decap6-%d", f);
			seed("fuzz_bpf_fastpath", name, buf, 1 + len);
		}
		memcpy(src, s6_deleg, 16);
		src[7] = 9;
		src[15] = 1;
		len = frame6(buf + 1, PPP_FULL, ENV_OUR_SID, src, s6_host, 64,
		    40, &ioff);
		seed("fuzz_bpf_fastpath", "decap6-deleg", buf, 1 + len);
		src[5] = 0x77;
		len = frame6(buf + 1, PPP_FULL, ENV_OUR_SID, src, s6_host, 64,
		    40, &ioff);
		seed("fuzz_bpf_fastpath", "decap6-spoofed", buf, 1 + len);
		memcpy(src, s6_prefix, 16);
		src[15] = 0x42;
		memset(dst, 0, 16);
		dst[0] = 0xfe;
		dst[1] = 0x80;
		dst[15] = 1;
		len = frame6(buf + 1, PPP_FULL, ENV_OUR_SID, src, dst, 255, 16,
		    &ioff);
		seed("fuzz_bpf_fastpath", "decap6-linklocal", buf, 1 + len);
		for (f = 0; f < 2; f++) {
			memcpy(dst, f ? s6_deleg : s6_prefix, 16);
			dst[7] |= 3;
			dst[15] = 7;
			buf[0] = 1;
			eth_hdr(buf + 1, env_mac_i0, env_mac_host);
			put16(buf + 1 + 12, 0x86dd);
			len = 14 + inner6(buf + 1 + 14, s6_host, dst, 64, 200);
			(void)snprintf(name, sizeof(name), "encap6-%d", f);
			seed("fuzz_bpf_fastpath", name, buf, 1 + len);
		}
	}
	/* The client session (ENV_OUR_SID + 1, 10.100.0.6): its data from
	 * anywhere, each PPP form; and what its TUN sends (bits 7 and 1). */
	for (f = PPP_FULL; f <= PPP_BOTH; f++) {
		l2tp_craft_default(&c);
		c.sid = ENV_OUR_SID + 1;
		c.isrc = ENV_HOST;
		c.idst = 0x0a640006u;
		c.ppp = (enum ppp_form)f;
		buf[0] = 2 | 4;
		len = l2tp_frame(buf + 1, &c, &inner_off);
		(void)snprintf(name, sizeof(name), "decap-client-%d", f);
		seed("fuzz_bpf_fastpath", name, buf, 1 + len);
	}
	/* The test runner takes the first 14 octets for a link header:
	 * a source of 8.0.x.x reads as EtherType IPv4 there. */
	buf[0] = 1 | 2 | 0x80;
	len = inner_pkt(buf + 1, 0x08000001u, ENV_HOST, 64, 100);
	seed("fuzz_bpf_fastpath", "encap-client", buf, 1 + len);
}

/* ---- the LAC's fast path: frames it carries (fuzz_bpf_lac_fastpath) ---- */

static void
gen_bpf_lac_fastpath(void)
{
	static const uint16_t protos[] = { 0x0021, 0x0057, 0xc021 };
	static const uint16_t flags[] = { 0, L2TP_F_L, L2TP_F_O, L2TP_F_S };
	uint8_t buf[1 + 2048];
	struct l2tp_craft c;
	size_t i, len, inner_off;
	char name[32];

	/* Byte 0 bit 0 clear: a PPPoE session frame from the user on the
	 * access side (session 0x42; protocol, then an IPv4 packet). */
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		buf[0] = 0;
		memcpy(buf + 1, env_mac_i0, 6);
		memcpy(buf + 1 + 6, env_mac_host, 6);
		put16(buf + 1 + 12, 0x8864);
		buf[1 + 14] = 0x11;
		buf[1 + 15] = 0;
		put16(buf + 1 + 16, 0x42);
		put16(buf + 1 + 20, protos[i]);
		len = inner_pkt(buf + 1 + 22, ENV_SESSION, ENV_HOST, 64,
		    i * 200 + 10);
		put16(buf + 1 + 18, (uint16_t)(2 + len));
		(void)snprintf(name, sizeof(name), "up-%04x", protos[i]);
		seed("fuzz_bpf_lac_fastpath", name, buf, 1 + 22 + len);
	}
	/* Bit 0 set: L2TP data from the LNS on the LNS side. */
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		l2tp_craft_default(&c);
		c.flags = flags[i];
		c.pad = 3;
		buf[0] = 1;
		len = l2tp_frame(buf + 1, &c, &inner_off);
		(void)snprintf(name, sizeof(name), "down-%04x", flags[i]);
		seed("fuzz_bpf_lac_fastpath", name, buf, 1 + len);
	}
}

/* ---- IPv6 ND: an RA with every option, an RS (fuzz_ipv6_ra) ---- */

static void
gen_ipv6_ra(void)
{
	struct ra_params p;
	uint8_t buf[1 + RA_MAX_LEN];
	size_t n;

	memset(&p, 0, sizeof(p));
	p.src[0] = 0xfe;
	p.src[1] = 0x80;
	p.src[15] = 1;
	memcpy(p.dst, ipv6_all_nodes, 16);
	p.cur_hop_limit = 64;
	p.router_lifetime = 1800;
	p.has_prefix = true;
	p.prefix[0] = 0x20;
	p.prefix[1] = 0x01;
	p.prefix_len = 64;
	p.valid_lifetime = 86400;
	p.preferred_lifetime = 14400;
	p.mtu = 1400;
	p.dns[0][0] = 0x20;
	p.dns[0][15] = 0x53;
	p.dns_count = 1;
	p.dns_lifetime = 1200;
	buf[0] = 1;
	n = ra_build(&p, buf + 1, sizeof(buf) - 1);
	seed("fuzz_ipv6_ra", "ra", buf, 1 + n);
	/* An RS: the RA's IPv6 header with an 8-octet RS body. */
	buf[1 + 5] = 8;
	buf[1 + IPV6_HDR_LEN] = ICMP6_RS;
	seed("fuzz_ipv6_ra", "rs", buf, 1 + IPV6_HDR_LEN + 8);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) < 0 && errno != EEXIST) {
		perror(outdir);
		return 1;
	}
	gen_l2tp_msg();
	gen_daemon();
	gen_l2tp_data();
	gen_l2tp_host();
	gen_xport();
	gen_users();
	gen_ppp_cp();
	gen_ppp_auth();
	gen_pppoe();
	gen_radius();
	gen_bpf_fastpath();
	gen_bpf_lac_fastpath();
	gen_ipv6_ra();
	return 0;
}
