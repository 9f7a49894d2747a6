/*
 * fuzz_daemon.c — the daemon's logic below the sockets as one system: the
 * l2tp_host (roles_input), PPP, the LNS role with its pool, address map and
 * accounting, the LAC role (PPPoE discovery, authentication by realm, the
 * relay), configuration reloads and time, driven by a small interpreter
 * (fuzz_daemon.h) whose operations include scripted LAC peers that build
 * their control messages with the project's own encoders, so the fuzzer
 * spends its time in established calls rather than rediscovering SCCRQ,
 * and PPPoE clients whose realm the daemon's LAC tunnels to its own LNS.
 *
 * The roles' I/O is the recorder behind their seam (tests/support/
 * fake_io.h): the clock is fake_now, TUN and routes are tables, PPPoE
 * frames and RADIUS accounting records are recorded, and the random
 * source, the one global left, a fixed sequence (fake_random.h);
 * datagrams leave through the seam's send into the scripted peers, which learn IDs, sequence numbers,
 * LCP/IPCP requests and CHAP challenges from them, or, addressed to the
 * daemon itself, come back in.  No socket is opened.
 *
 * After every operation these invariants must hold (abort() otherwise):
 *   one address per session: each address the pool holds belongs to exactly
 *     one live session; no two live sessions share an address, IPCP up
 *     or not; the address map and the routes point only at live sessions,
 *     at the address they were given; the LNS holds (lns.assigned) exactly
 *     the addresses of its live sessions;
 *   accounting: every open Start belongs to a live session with that
 *     address, no second Start, no Stop without Start, and after the daemon
 *     is freed no Start is left open;
 *   no freed object reachable: every session_link an L2TP session or the
 *     address map points at is in the live list (checked by identity before
 *     any dereference), and every live link's session is in the host's
 *     tables.
 * ASan catches a freed object when it is used anyway.
 *
 * VPDN_FUZZ_NO_RENEG=1 keeps LCP Configure-Request/Ack/Nak/Reject away from
 * links whose LCP the peer already opened, and VPDN_FUZZ_NO_RELOAD=1 turns
 * reloads off, so that one finding can be timed without another masking it.
 * VPDN_FUZZ_NO_FIXED=1 gives no user a fixed address (those outside the
 * pool take another path through the LNS), and VPDN_FUZZ_ONE_POOL=1 keeps
 * the pool the same in every configuration, for the same purpose.  Every
 * configuration written is valid: a reload the daemon refuses is a finding.
 * VPDN_FUZZ_SWITCH=1 adds [switch] to the configurations with a LAC, so
 * that calls of users in a [realm] are switched (roles/switch.c) instead of
 * terminated: the same invariants then hold with the switch's halves.
 * VPDN_FUZZ_NO_CHECK=1 skips the invariants, leaving ASan alone to show
 * where a broken one leads.  VPDN_FUZZ_TRACE=1 logs at debug level and
 * prints a line per operation (for writing seeds and reading findings).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "core/buf.h"
#include "fake_io.h"
#include "fake_random.h"
#include "fuzz.h"
#include "fuzz_daemon.h"
#include "l2tp/l2tp.h"
#include "l2tp/msg.h"
#include "ppp/auth.h"
#include "ppp/ppp_proto.h"
#include "pppoe/pppoe_codec.h"
#include "roles/lac_priv.h"
#include "roles/roles_priv.h"
#include "roles/session_link.h"
#include "script_peer.h"

#define NPEERS	    2
#define NSLOTS	    2
#define POOL_FIRST  0x0a09000au /* 10.9.0.10, as in the configurations */
#define FIXED_ADDR  0x0a0900c8u /* 10.9.0.200: bob's fixed address */
#define LOCAL_ADDR  0x0a090001u
#define TUN_IFINDEX FAKE_TUN_IFINDEX
#define MAX_STEPS   512
#define LOOP_QUEUE  32
#define LOOP_DGRAM  1600
#define REALM	    "@lns.fuzz"

#define INVARIANT(cond, what) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, \
			    "fuzz_daemon: invariant broken: %s " \
			    "(%s)\n", \
			    what, #cond); \
			abort(); \
		} \
	} while (0)

/* What a scripted LAC peer knows about one call, or a PPPoE client about
 * its session. */
struct slot {
	bool open; /* ICRQ sent, no CDN seen; PADS seen */
	uint16_t sid, lns_sid;
	bool pppoe; /* a PPPoE client's session */
	uint8_t mac[PPPOE_MAC_LEN];
	uint16_t ps_id; /* PPPoE SESSION_ID */
	bool have_pado;
	uint8_t cookie[64]; /* AC-Cookie from the PADO */
	uint16_t cookie_len;
	bool lcp_done;	     /* our LCP op ran once */
	uint8_t lcp_req[64]; /* the LNS's latest Configure-Request */
	size_t lcp_req_len;
	uint8_t ipcp_req[64];
	size_t ipcp_req_len;
	uint32_t offered; /* address from the LNS's IPCP Nak */
	bool have_chal;
	uint8_t chal_id, chal[64];
	size_t chal_len;
	uint8_t id; /* our next PPP identifier */
};

struct peer {
	bool open; /* SCCRQ sent, no StopCCN seen */
	uint16_t tid, lns_tid;
	uint16_t ns, nr;
	struct l2tp_addr addr;
	struct slot slot[NSLOTS];
};

struct world {
	struct roles *r;
	struct vpdn_config *cfg;
	struct peer peer[NPEERS];
	struct slot client[NPEERS]; /* PPPoE clients */
	struct l2tp_addr local;
	uint16_t next_id;
	/* Datagrams the daemon sent to itself (its LAC to its LNS), in
	 * order, delivered once the call that sent them returned. */
	uint8_t loop[LOOP_QUEUE][LOOP_DGRAM];
	size_t loop_len[LOOP_QUEUE];
	unsigned loop_head, loop_count;
};

/* The roles' world outside (fake_io.h) and the fuzzer's clock. */
static struct fake_io fio;
static uint64_t fake_now;

static char dir[64];
static char cfg_path[DAEMON_VARIANTS][96];
static bool no_reneg, no_reload, no_fixed, one_pool, no_check, trace, sw;

static const struct {
	const char *name, *pass;
} users[] = {
	{ "alice", "secret" },
	{ "bob", "hunter2" },
	{ "carol", "pass" },
	{ "mallory", "guess" },
};

/* ---- configurations, written once ---- */

/* The LNS and the LAC's realm read the same file: the LAC checks the name
 * with its realm, the LNS without (strip-realm). */
static const char *const users_text[] = {
	"alice secret\nbob hunter2 10.9.0.200\ncarol pass\n"
	"alice@lns.fuzz secret\nbob@lns.fuzz hunter2\n",
	"alice secret\nalice@lns.fuzz secret\n",
	"alice secret\nbob hunter2\ncarol pass 10.9.0.11\n"
	"alice@lns.fuzz secret\ncarol@lns.fuzz pass\n",
};

/* The same without fixed addresses (VPDN_FUZZ_NO_FIXED). */
static const char *const users_no_fixed[] = {
	"alice secret\nbob hunter2\ncarol pass\n"
	"alice@lns.fuzz secret\nbob@lns.fuzz hunter2\n",
	"alice secret\nalice@lns.fuzz secret\n",
	"alice secret\nbob hunter2\ncarol pass\n"
	"alice@lns.fuzz secret\ncarol@lns.fuzz pass\n",
};

static const struct {
	const char *auth, *pool;
	unsigned users;
} variants[DAEMON_VARIANTS] = {
	{ "pap", "10.9.0.10-10.9.0.13", 0 },
	{ "pap", "10.9.0.10-10.9.0.13", 1 },
	{ "chap-md5", "10.9.0.10-10.9.0.13", 0 },
	{ "chap-md5, pap", "10.9.0.12-10.9.0.15", 2 },
};

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fputs(text, f) >= 0);
	FUZZ_CHECK(fclose(f) == 0);
}

static void
cleanup_files(void)
{
	char path[128];

	for (unsigned i = 0; i < DAEMON_VARIANTS; i++)
		(void)unlink(cfg_path[i]);
	for (unsigned i = 0; i < sizeof(users_text) / sizeof(users_text[0]);
	     i++) {
		(void)snprintf(path, sizeof(path), "%s/users%u", dir, i);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

static void
setup_files(void)
{
	char path[128], text[1536];
	const char *e;

	e = getenv("VPDN_FUZZ_NO_RENEG");
	no_reneg = e != NULL && *e == '1';
	e = getenv("VPDN_FUZZ_NO_RELOAD");
	no_reload = e != NULL && *e == '1';
	e = getenv("VPDN_FUZZ_NO_FIXED");
	no_fixed = e != NULL && *e == '1';
	e = getenv("VPDN_FUZZ_ONE_POOL");
	one_pool = e != NULL && *e == '1';
	e = getenv("VPDN_FUZZ_NO_CHECK");
	no_check = e != NULL && *e == '1';
	e = getenv("VPDN_FUZZ_SWITCH");
	sw = e != NULL && *e == '1';
	e = getenv("VPDN_FUZZ_TRACE");
	trace = e != NULL && *e == '1';

	(void)snprintf(dir, sizeof(dir), "/tmp/vpdn-fuzz-daemon.XXXXXX");
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	for (unsigned i = 0; i < sizeof(users_text) / sizeof(users_text[0]);
	     i++) {
		(void)snprintf(path, sizeof(path), "%s/users%u", dir, i);
		write_file(path, no_fixed ? users_no_fixed[i] : users_text[i]);
	}
	for (unsigned v = 0; v < DAEMON_VARIANTS; v++) {
		/* [radius] only for accounting: the LNS checks the users
		 * file; fake_io.c records the records. */
		(void)snprintf(text, sizeof(text),
		    "[global]\nhostname = lns.fuzz\nhello-interval = 60\n"
		    "retransmit-max = 3\n\n"
		    "[lns]\nlocal-address = 10.9.0.1\npool = %s\n"
		    "auth = %s\nusers = %s/users%u\ninterface = vpdn0\n\n"
		    "[radius]\nserver = 127.0.0.1\nsecret = testing123\n"
		    "interim-interval = 60\n\n%s"
		    "[realm lns.fuzz]\nlns = 198.51.100.1\nusers = %s/users%u\n"
		    "strip-realm = yes\n",
		    one_pool ? variants[0].pool : variants[v].pool,
		    variants[v].auth, dir, variants[v].users,
		    /* a reload may take the LAC away */
		    v == 1 ? "" :
			sw ? "[lac]\npppoe-interface = eth-fuzz\n"
			     "auth = pap, chap-md5\n\n[switch]\n\n" :
			     "[lac]\npppoe-interface = eth-fuzz\n"
			     "auth = pap, chap-md5\n\n",
		    dir, variants[v].users);
		(void)snprintf(cfg_path[v], sizeof(cfg_path[v]), "%s/v%u.conf",
		    dir, v);
		write_file(cfg_path[v], text);
	}
	(void)atexit(cleanup_files);
}

/* ---- what the daemon sends: the scripted peers learn from it ---- */

static struct peer *
peer_of(struct world *w, const struct l2tp_addr *a)
{
	for (unsigned i = 0; i < NPEERS; i++)
		if (l2tp_addr_equal(&w->peer[i].addr, a))
			return &w->peer[i];
	return NULL;
}

static struct slot *
slot_by_sid(struct peer *p, uint16_t sid)
{
	for (unsigned i = 0; i < NSLOTS; i++)
		if (p->slot[i].open && p->slot[i].sid == sid)
			return &p->slot[i];
	return NULL;
}

static void
learn_ppp(struct slot *s, const uint8_t *f, size_t len)
{
	uint16_t proto, plen;

	if (!sp_ppp_open(&f, &len, &proto) || (plen = sp_cp_len(f, len)) == 0)
		return;
	if (proto == PPP_PROTO_LCP && f[0] == PPP_CONF_REQ &&
	    plen <= sizeof(s->lcp_req)) {
		memcpy(s->lcp_req, f, plen);
		s->lcp_req_len = plen;
	} else if (proto == PPP_PROTO_IPCP && f[0] == PPP_CONF_REQ &&
	    plen <= sizeof(s->ipcp_req)) {
		memcpy(s->ipcp_req, f, plen);
		s->ipcp_req_len = plen;
	} else if (proto == PPP_PROTO_IPCP && f[0] == 3 /* Nak */ &&
	    plen >= 10 && f[4] == 3 && f[5] == 6) {
		s->offered = sp_be32(f + 6);
	} else if (proto == PPP_PROTO_CHAP && f[0] == CHAP_CHALLENGE &&
	    plen >= 5 && f[4] >= 1 && (size_t)f[4] + 5 <= plen &&
	    f[4] <= sizeof(s->chal)) {
		s->have_chal = true;
		s->chal_id = f[1];
		s->chal_len = f[4];
		memcpy(s->chal, f + 5, f[4]);
	}
}

static void
io_send(void *ctx, const struct l2tp_addr *local, const struct l2tp_addr *to,
    const uint8_t *pkt, size_t len)
{
	struct world *w = ctx;
	struct peer *p = peer_of(w, to);
	struct l2tp_hdr h;
	struct l2tp_msg m;
	struct l2tp_err err;
	struct slot *s;

	(void)local;
	if (l2tp_addr_equal(to, &w->local)) {
		/* The LAC calling the LNS in the same daemon. */
		if (w->loop_count < LOOP_QUEUE && len <= LOOP_DGRAM) {
			unsigned i = (w->loop_head + w->loop_count++) %
			    LOOP_QUEUE;

			memcpy(w->loop[i], pkt, len);
			w->loop_len[i] = len;
		}
		return;
	}
	if (p == NULL || l2tp_hdr_decode(pkt, len, &h) != L2TP_HDR_OK)
		return;
	if (!h.is_control) {
		if ((s = slot_by_sid(p, h.session_id)) != NULL)
			learn_ppp(s, pkt + h.payload_off, h.payload_len);
		return;
	}
	if (h.payload_len == 0)
		return; /* ZLB: takes no sequence number */
	if (h.ns == p->nr)
		p->nr++;
	else
		return; /* a retransmission */
	if (l2tp_msg_decode(pkt, len, NULL, &m, &err) != L2TP_OK)
		return;
	if (m.type == L2TP_MSG_SCCRP) {
		p->lns_tid = m.assigned_tunnel_id;
	} else if (m.type == L2TP_MSG_STOPCCN) {
		p->open = false;
		for (unsigned i = 0; i < NSLOTS; i++)
			p->slot[i].open = false;
	} else if (m.type == L2TP_MSG_ICRP) {
		if ((s = slot_by_sid(p, h.session_id)) != NULL)
			s->lns_sid = m.assigned_session_id;
	} else if (m.type == L2TP_MSG_CDN) {
		if ((s = slot_by_sid(p, h.session_id)) != NULL)
			s->open = false;
	}
}

static void
readable(struct world *w, int fd)
{
	(void)w;
	(void)fake_io_readable(&fio, fd, fake_now);
}

/* What the LAC sent to a PPPoE client. */
static void
pppoe_sent(void *arg, const uint8_t *frame, size_t len)
{
	struct world *w = arg;
	struct pppoe_pkt pk;
	struct slot *s = NULL;

	if (pppoe_parse(frame, len, &pk) != PPPOE_OK)
		return;
	for (unsigned i = 0; i < NPEERS; i++)
		if (memcmp(pk.dst, w->client[i].mac, PPPOE_MAC_LEN) == 0)
			s = &w->client[i];
	if (s == NULL)
		return;
	switch (pk.code) {
	case PPPOE_CODE_PADO:
		s->have_pado = true;
		s->cookie_len = 0;
		if ((pk.present & PPPOE_HAVE_AC_COOKIE) != 0 &&
		    pk.ac_cookie.len <= sizeof(s->cookie)) {
			memcpy(s->cookie, pk.ac_cookie.p, pk.ac_cookie.len);
			s->cookie_len = pk.ac_cookie.len;
		}
		break;
	case PPPOE_CODE_PADS:
		if (pk.session_id != 0) {
			s->open = true;
			s->ps_id = pk.session_id;
		}
		break;
	case PPPOE_CODE_PADT:
		s->open = false;
		break;
	case PPPOE_CODE_SESSION:
		if (s->open && pk.session_id == s->ps_id)
			learn_ppp(s, pk.payload, pk.payload_len);
		break;
	default:
		break;
	}
}

static void settle(struct world *w);

/* ---- what the peers send ---- */

static void
deliver(struct world *w, struct peer *p, const uint8_t *pkt, size_t len)
{
	sp_deliver(w->r, pkt, len, &w->local, &p->addr, fake_now);
}

static void
send_ctl(struct world *w, struct peer *p, struct l2tp_msg *m)
{
	uint8_t buf[1024];

	deliver(w, p, buf, sp_ctl_encode(m, &p->ns, p->nr, buf, sizeof(buf)));
}

static void
send_ppp(struct world *w, struct peer *p, struct slot *s, const uint8_t *f,
    size_t len)
{
	uint8_t buf[PPPOE_FRAME_MAX];
	int n;

	if (len > 512)
		len = 512;
	if (s->pppoe) {
		static const uint8_t lac_mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0,
			0, 0x01 }; /* fake_io.c's interface */

		n = pppoe_build_session(buf, sizeof(buf), lac_mac, s->mac,
		    s->ps_id, f, len);
		if (n > 0 && fake_pppoe_push(&fio, buf, (size_t)n))
			readable(w, FAKE_FD_PPPOE_SES);
		/* Relayed to the LNS and back before the next frame, as
		 * for a directly connected peer. */
		settle(w);
		return;
	}
	deliver(w, p, buf,
	    sp_data_msg(buf, sizeof(buf), p->lns_tid, s->lns_sid, f, len));
}

static void
tunnel_open(struct world *w, struct peer *p)
{
	struct l2tp_msg m;

	memset(p->slot, 0, sizeof(p->slot));
	p->open = true;
	p->tid = ++w->next_id;
	p->lns_tid = 0;
	p->ns = p->nr = 0;
	l2tp_msg_init(&m, L2TP_MSG_SCCRQ, 0, 0);
	l2tp_msg_set(&m, L2TP_AVP_PROTOCOL_VERSION);
	m.proto_ver = 1;
	l2tp_msg_set(&m, L2TP_AVP_HOST_NAME);
	(void)snprintf(m.host_name, sizeof(m.host_name), "lac.fuzz");
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_CAP);
	m.framing_cap = 3;
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
	m.assigned_tunnel_id = p->tid;
	l2tp_msg_set(&m, L2TP_AVP_RECEIVE_WINDOW_SIZE);
	m.receive_window = 16;
	send_ctl(w, p, &m);
	if (p->lns_tid == 0) {
		p->open = false;
		return;
	}
	l2tp_msg_init(&m, L2TP_MSG_SCCCN, p->lns_tid, 0);
	send_ctl(w, p, &m);
}

static void
call_open(struct world *w, struct peer *p, struct slot *s)
{
	struct l2tp_msg m;

	memset(s, 0, sizeof(*s));
	s->open = true;
	s->sid = ++w->next_id;
	s->id = 1;
	l2tp_msg_init(&m, L2TP_MSG_ICRQ, p->lns_tid, 0);
	l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
	m.assigned_session_id = s->sid;
	l2tp_msg_set(&m, L2TP_AVP_CALL_SERIAL_NUMBER);
	m.call_serial = s->sid;
	l2tp_msg_set(&m, L2TP_AVP_CALLING_NUMBER);
	(void)snprintf(m.calling_number, sizeof(m.calling_number), "555%u",
	    s->sid);
	send_ctl(w, p, &m);
	if (!s->open || s->lns_sid == 0) {
		s->open = false;
		return;
	}
	l2tp_msg_init(&m, L2TP_MSG_ICCN, p->lns_tid, s->lns_sid);
	l2tp_msg_set(&m, L2TP_AVP_TX_CONNECT_SPEED);
	m.tx_connect_speed = 100000000;
	l2tp_msg_set(&m, L2TP_AVP_FRAMING_TYPE);
	m.framing_type = 1;
	if (sw && (s->sid & 1) != 0) {
		/* RFC 2661 §4.4.5: a user of [realm lns.fuzz] by proxy
		 * authentication, whom [switch] places again */
		l2tp_msg_set(&m, L2TP_AVP_PROXY_AUTHEN_TYPE);
		m.proxy_authen_type = L2TP_PROXY_AUTH_PAP;
		l2tp_msg_set(&m, L2TP_AVP_PROXY_AUTHEN_NAME);
		(void)snprintf(m.proxy_authen_name, sizeof(m.proxy_authen_name),
		    "alice@lns.fuzz");
		l2tp_msg_set(&m, L2TP_AVP_PROXY_AUTHEN_ID);
		m.proxy_authen_id = 1;
		l2tp_msg_set(&m, L2TP_AVP_PROXY_AUTHEN_RESPONSE);
		m.proxy_authen_response.len = 6;
		memcpy(m.proxy_authen_response.data, "secret", 6);
	}
	send_ctl(w, p, &m);
}

/* RFC 2516 §5.1-5.4 as a client: PADI, then PADR with the PADO's cookie. */
static void
pppoe_discover(struct world *w, struct slot *s)
{
	uint8_t buf[PPPOE_FRAME_MAX], mac[PPPOE_MAC_LEN];
	struct pppoe_pkt pk;
	size_t n;

	memcpy(mac, s->mac, sizeof(mac));
	memset(s, 0, sizeof(*s));
	s->pppoe = true;
	memcpy(s->mac, mac, sizeof(mac));
	s->id = 1;
	sp_pppoe_disc(&pk, sp_pppoe_bcast, s->mac, PPPOE_CODE_PADI, 0);
	n = sp_pppoe_build(buf, sizeof(buf), &pk);
	if (fake_pppoe_push(&fio, buf, n))
		readable(w, FAKE_FD_PPPOE_DISC);
	if (!s->have_pado)
		return;
	memcpy(pk.dst, (const uint8_t[PPPOE_MAC_LEN]){ 0x02, 0, 0, 0, 0, 1 },
	    PPPOE_MAC_LEN);
	pk.code = PPPOE_CODE_PADR;
	if (s->cookie_len > 0) {
		pk.present |= PPPOE_HAVE_AC_COOKIE;
		pk.ac_cookie.p = s->cookie;
		pk.ac_cookie.len = s->cookie_len;
	}
	n = sp_pppoe_build(buf, sizeof(buf), &pk);
	if (fake_pppoe_push(&fio, buf, n))
		readable(w, FAKE_FD_PPPOE_DISC);
}

static void
pppoe_padt(struct world *w, struct slot *s)
{
	uint8_t buf[PPPOE_FRAME_MAX];
	struct pppoe_pkt pk;
	size_t n;

	sp_pppoe_disc(&pk,
	    (const uint8_t[PPPOE_MAC_LEN]){ 0x02, 0, 0, 0, 0, 1 }, s->mac,
	    PPPOE_CODE_PADT, s->ps_id);
	n = sp_pppoe_build(buf, sizeof(buf), &pk);
	s->open = false;
	if (fake_pppoe_push(&fio, buf, n))
		readable(w, FAKE_FD_PPPOE_DISC);
}

/* ---- PPP frames the peer builds (protocol field first) ---- */

static size_t
lcp_confreq(struct slot *s, uint8_t *f)
{
	static const uint8_t opts[] = { 1, 4, 0x05, 0x78, /* MRU 1400 */
		5, 6, 0x50, 0x45, 0x45, 0x52 };		  /* magic */

	return sp_cp_frame(f, PPP_PROTO_LCP, PPP_CONF_REQ, s->id++, opts,
	    sizeof(opts));
}

/* Configure-Ack of a request the LNS sent: same id and options. */
static size_t
cp_ack(uint16_t proto, const uint8_t *req, size_t len, uint8_t *f)
{
	if (len < 4)
		return 0;
	return sp_cp_ack(proto, req, len, f);
}

static size_t
auth_frame(struct slot *s, unsigned u, bool wrong, uint8_t *f)
{
	const char *pass = users[u % 4].pass;
	char name[64];
	uint8_t d[128];
	size_t nl, pl;

	/* A PPPoE user names the realm its LAC tunnels it to. */
	(void)snprintf(name, sizeof(name), "%s%s", users[u % 4].name,
	    s->pppoe ? REALM : "");
	nl = strlen(name);
	if (wrong)
		pass = "wrong";
	pl = strlen(pass);
	if (s->have_chal) {
		d[0] = 16;
		chap_md5_response(s->chal_id, (const uint8_t *)pass, pl,
		    s->chal, s->chal_len, d + 1);
		memcpy(d + 17, name, nl);
		return sp_cp_frame(f, PPP_PROTO_CHAP, CHAP_RESPONSE, s->chal_id,
		    d, 17 + nl);
	}
	d[0] = (uint8_t)nl;
	memcpy(d + 1, name, nl);
	d[1 + nl] = (uint8_t)pl;
	memcpy(d + 2 + nl, pass, pl);
	return sp_cp_frame(f, PPP_PROTO_PAP, PAP_AUTH_REQ, s->id++, d,
	    2 + nl + pl);
}

static size_t
ipcp_confreq(struct slot *s, uint8_t *f)
{
	uint8_t opt[6] = { 3, 6 };

	sp_put_be32(opt + 2, s->offered);
	return sp_cp_frame(f, PPP_PROTO_IPCP, PPP_CONF_REQ, s->id++, opt,
	    sizeof(opt));
}

static size_t
ip_packet(uint8_t *f, uint32_t src, uint32_t dst)
{
	uint8_t *ip = f + 2;

	put_be16(f, PPP_PROTO_IP);
	memset(ip, 0, 28);
	ip[0] = 0x45;
	put_be16(ip + 2, 28);
	ip[8] = 64;
	ip[9] = 17;
	sp_put_be32(ip + 12, src);
	sp_put_be32(ip + 16, dst);
	return 2 + 28;
}

static size_t
template_frame(struct slot *s, unsigned k, uint8_t *f)
{
	static const uint8_t magic[4] = { 0x50, 0x45, 0x45, 0x52 };

	switch (k % DAEMON_TEMPLATES) {
	case 0:
		return lcp_confreq(s, f);
	case 1:
		return cp_ack(PPP_PROTO_LCP, s->lcp_req, s->lcp_req_len, f);
	case 2:
		return sp_cp_frame(f, PPP_PROTO_LCP, 9 /* Echo-Request */,
		    s->id++, magic, sizeof(magic));
	case 3:
		return sp_cp_frame(f, PPP_PROTO_LCP, 5 /* Terminate-Request */,
		    s->id++, NULL, 0);
	case 4:
		return auth_frame(s, 0, false, f);
	case 5:
		return sp_cp_frame(f, PPP_PROTO_PAP, PAP_AUTH_REQ, s->id++,
		    NULL, 0);
	case 6:
		return ipcp_confreq(s, f);
	case 7:
		return cp_ack(PPP_PROTO_IPCP, s->ipcp_req, s->ipcp_req_len, f);
	case 8:
		return ip_packet(f, s->offered, LOCAL_ADDR);
	default:
		return sp_cp_frame(f, PPP_PROTO_LCP, 8 /* Protocol-Reject */,
		    s->id++, (const uint8_t *)"\x80\x57", 2);
	}
}

/* An LCP frame that would (re)open negotiation on a link whose LCP the
 * peer already opened. */
static bool
renegotiates(const struct slot *s, const uint8_t *f, size_t len)
{
	return s->lcp_done && len >= 3 && get_be16(f) == PPP_PROTO_LCP &&
	    f[2] >= 1 && f[2] <= 4;
}

/* ---- the interpreter ---- */

struct input {
	const uint8_t *p;
	size_t n, off;
};

static uint8_t
next(struct input *in)
{
	return in->off < in->n ? in->p[in->off++] : 0;
}

static struct slot *
slot_of(struct world *w, uint8_t t, struct peer **pp)
{
	struct peer *p = &w->peer[t & 1];
	struct slot *s = &p->slot[(t >> 1) & 1];

	*pp = p;
	if (t & 4)
		return w->client[t & 1].open ? &w->client[t & 1] : NULL;
	return p->open && s->open ? s : NULL;
}

/* Delivers what the daemon sent itself, the answers included. */
static void
settle(struct world *w)
{
	for (unsigned i = 0; i < 4 * LOOP_QUEUE && w->loop_count > 0; i++) {
		const uint8_t *pkt = w->loop[w->loop_head];
		size_t len = w->loop_len[w->loop_head];

		w->loop_head = (w->loop_head + 1) % LOOP_QUEUE;
		w->loop_count--;
		sp_deliver(w->r, pkt, len, &w->local, &w->local, fake_now);
	}
}

static void
advance(struct world *w, uint64_t ms)
{
	uint64_t until = fake_now + ms, d;

	for (unsigned i = 0; i < 1000; i++) {
		d = roles_next_deadline(w->r);
		if (d > until)
			break;
		if (d > fake_now)
			fake_now = d;
		roles_run_timers(w->r, fake_now);
		settle(w);
	}
	fake_now = until;
	roles_run_timers(w->r, fake_now);
	settle(w);
}

static void
reload(struct world *w, unsigned v)
{
	struct vpdn_config *ncfg;
	char err[512];

	ncfg = config_load(cfg_path[v % DAEMON_VARIANTS], err, sizeof(err));
	FUZZ_CHECK(ncfg != NULL);
	/* As vpdnd does: the old snapshot lives until the roles moved.
	 * Every variant and users file is valid, so a refusal is a bug;
	 * were it legitimate, the running snapshot would have to stay. */
	if (roles_reconfigure(w->r, ncfg, fake_now, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_daemon: reload refused: %s\n", err);
		INVARIANT(w->r->cfg == w->cfg,
		    "a refused reload left the running configuration");
		INVARIANT(false, "a valid configuration was refused");
	}
	config_free(w->cfg);
	w->cfg = ncfg;
}

static void
op_end(struct world *w, uint8_t t, uint8_t how)
{
	struct peer *p;
	struct slot *s = slot_of(w, t, &p);
	struct l2tp_msg m;
	uint8_t f[16];

	if ((t & 4) && (how % 4) != 2) {
		if (s == NULL)
			return;
		if (how % 4 == 3)
			send_ppp(w, p, s, f,
			    sp_cp_frame(f, PPP_PROTO_LCP, 5, s->id++, NULL, 0));
		else
			pppoe_padt(w, s);
		return;
	}
	switch (how % 4) {
	case 0:
		if (s == NULL)
			return;
		l2tp_msg_init(&m, L2TP_MSG_CDN, p->lns_tid, s->lns_sid);
		l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
		m.result.result = 3;
		l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_SESSION_ID);
		m.assigned_session_id = s->sid;
		send_ctl(w, p, &m);
		s->open = false;
		break;
	case 1:
		if (!p->open)
			return;
		l2tp_msg_init(&m, L2TP_MSG_STOPCCN, p->lns_tid, 0);
		l2tp_msg_set(&m, L2TP_AVP_RESULT_CODE);
		m.result.result = 1;
		l2tp_msg_set(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID);
		m.assigned_tunnel_id = p->tid;
		send_ctl(w, p, &m);
		p->open = false;
		break;
	case 2:
		(void)roles_disconnect_user(w->r, users[how / 4 % 4].name,
		    fake_now);
		break;
	default:
		if (s != NULL)
			send_ppp(w, p, s, f,
			    sp_cp_frame(f, PPP_PROTO_LCP, 5, s->id++, NULL, 0));
		break;
	}
}

static void
step(struct world *w, struct input *in)
{
	uint8_t op = next(in) % DOP_COUNT, t, f[600];
	struct peer *p;
	struct slot *s;
	size_t n;

	switch ((enum daemon_op)op) {
	case DOP_CALL:
		t = next(in);
		if (t & 4) {
			if (!w->client[t & 1].open)
				pppoe_discover(w, &w->client[t & 1]);
			break;
		}
		p = &w->peer[t & 1];
		if (!p->open)
			tunnel_open(w, p);
		if (p->open && !p->slot[(t >> 1) & 1].open)
			call_open(w, p, &p->slot[(t >> 1) & 1]);
		break;
	case DOP_LCP:
		if ((s = slot_of(w, next(in), &p)) == NULL)
			break;
		if (no_reneg && s->lcp_done)
			break;
		send_ppp(w, p, s, f, lcp_confreq(s, f));
		if ((n = cp_ack(PPP_PROTO_LCP, s->lcp_req, s->lcp_req_len, f)) >
			0 &&
		    s->open)
			send_ppp(w, p, s, f, n);
		s->lcp_done = true;
		break;
	case DOP_AUTH: {
		uint8_t u;

		s = slot_of(w, next(in), &p);
		u = next(in);
		if (s != NULL)
			send_ppp(w, p, s, f, auth_frame(s, u, (u & 4) != 0, f));
		break;
	}
	case DOP_IPCP:
		if ((s = slot_of(w, next(in), &p)) == NULL)
			break;
		send_ppp(w, p, s, f, ipcp_confreq(s, f));
		if (s->open && s->offered != 0)
			send_ppp(w, p, s, f, ipcp_confreq(s, f));
		if (s->open &&
		    (n = cp_ack(PPP_PROTO_IPCP, s->ipcp_req, s->ipcp_req_len,
			 f)) > 0)
			send_ppp(w, p, s, f, n);
		break;
	case DOP_PPP: {
		uint8_t k, m;

		s = slot_of(w, next(in), &p);
		k = next(in);
		m = next(in) % 8;
		n = s != NULL ? template_frame(s, k, f) : 0;
		for (unsigned i = 0; i < m; i++) {
			uint8_t pos = next(in), val = next(in);

			if (n > 0)
				f[pos % (n + 4)] = val;
			if (pos % (n + 4) >= n)
				n = pos % (n + 4) + 1;
		}
		if (s != NULL && n > 0 && !(no_reneg && renegotiates(s, f, n)))
			send_ppp(w, p, s, f, n);
		break;
	}
	case DOP_RAW: {
		uint8_t len;

		p = &w->peer[next(in) & 1];
		len = next(in);
		n = 0;
		while (n < len && in->off < in->n)
			f[n++] = next(in);
		/* Without renegotiation, only control messages: a data
		 * message could carry an LCP Configure-Request. */
		if (no_reneg && n > 0)
			f[0] |= 0x80;
		deliver(w, p, f, n);
		break;
	}
	case DOP_TUN: {
		uint8_t a = next(in) % DAEMON_ADDRS;
		uint32_t dst = a < DAEMON_ADDRS - 1 ? POOL_FIRST + a :
						      FIXED_ADDR;

		n = ip_packet(f, 0x08080808u, dst);
		if (fake_tun_push(&fio, f + 2, n - 2))
			readable(w, FAKE_FD_TUN);
		break;
	}
	case DOP_IP:
		if ((s = slot_of(w, next(in), &p)) != NULL)
			send_ppp(w, p, s, f,
			    ip_packet(f, s->offered, 0x08080808u));
		break;
	case DOP_RELOAD:
		t = next(in);
		if (!no_reload)
			reload(w, t);
		break;
	case DOP_TIME:
		t = next(in);
		advance(w, (uint64_t)t * t * 10);
		if (t & 1) {
			for (unsigned i = 0; i < NPEERS; i++) {
				struct l2tp_msg m;

				if (!w->peer[i].open)
					continue;
				l2tp_msg_init(&m, L2TP_MSG_ZLB,
				    w->peer[i].lns_tid, 0);
				send_ctl(w, &w->peer[i], &m);
			}
		}
		break;
	case DOP_END:
		t = next(in);
		op_end(w, t, next(in));
		break;
	case DOP_COUNT:
		break;
	}
}

/* ---- invariants ---- */

struct walk {
	struct roles *r;
	struct l2tp_session *sessions[256];
	unsigned nsessions;
};

static bool
link_live(struct roles *r, const void *p)
{
	struct session_link *sl;

	/* Identity only: p may point at freed memory. */
	LIST_FOREACH(sl, &r->links, entry)
	if ((const void *)sl == p)
		return !sl->ended;
	return false;
}

static bool
lns_live(const struct session_link *sl)
{
	return !sl->ended && lns_owns(sl);
}

static unsigned
links_with_addr(struct roles *r, uint32_t a)
{
	struct session_link *sl;
	unsigned n = 0;

	LIST_FOREACH(sl, &r->links, entry)
	if (lns_live(sl) && sl->peer_addr == a)
		n++;
	return n;
}

/* A LAC call not yet freed: still in a call, or waiting for lac_reap(). */
static bool
lac_call_alive(struct roles *r, const void *p)
{
	struct lac_call *c;

	if (r->lac == NULL)
		return false;
	LIST_FOREACH(c, &r->lac->calls, entry)
	if ((const void *)c == p)
		return true;
	LIST_FOREACH(c, &r->lac->dead, entry)
	if ((const void *)c == p)
		return true;
	return false;
}

static void
check_session(struct l2tp_session *s, void *arg)
{
	struct walk *wk = arg;
	void *u = l2tp_session_user(s);

	if (wk->nsessions < 256)
		wk->sessions[wk->nsessions++] = s;
	if (u == NULL)
		return;
	if (l2tp_tunnel_role(l2tp_session_tunnel(s)) == L2TP_ROLE_LAC) {
		INVARIANT(lac_call_alive(wk->r, u),
		    "an L2TP session points at a freed LAC call");
		INVARIANT(((struct lac_call *)u)->ls == s,
		    "a LAC call and its L2TP session disagree");
		return;
	}
	INVARIANT(link_live(wk->r, u),
	    "an L2TP session points at a freed or ended PPP link");
	INVARIANT(((struct session_link *)u)->carrier == s,
	    "a PPP link and its L2TP session disagree");
}

static void
check_tunnel(struct l2tp_tunnel *t, void *arg)
{
	l2tp_tunnel_foreach_session(t, check_session, arg);
}

static void
check_held(void *ctx, uint32_t addr, bool orphan)
{
	(void)orphan;
	INVARIANT(links_with_addr(ctx, addr) == 1,
	    "an address the pool holds belongs to exactly one session");
}

static void
check_addr(struct roles *r, uint32_t a)
{
	void *m = addrmap_get(&r->lns.by_addr, a);

	if (m == NULL)
		return;
	INVARIANT(link_live(r, m),
	    "the address map points at a freed or ended session");
	INVARIANT(((struct session_link *)m)->peer_addr == a &&
		((struct session_link *)m)->routed,
	    "the address map and the session disagree on its address");
}

static void
check(struct world *w)
{
	struct roles *r = w->r;
	struct session_link *sl, *o;
	struct lns_pool *pool;
	struct walk wk;
	unsigned routed = 0, up = 0, assigned = 0;

	if (no_check)
		return;
	/* Ended links may wait in r->dead_links for sl_reap(): they are
	 * reachable from nothing below (checked by identity). */
	/* No freed object reachable: host tables -> links -> host tables. */
	memset(&wk, 0, sizeof(wk));
	wk.r = r;
	l2tp_host_foreach_tunnel(r->host, check_tunnel, &wk);
	LIST_FOREACH(sl, &r->links, entry)
	{
		struct l2tp_session *s = sl_l2tp_session(sl);
		bool found = false;

		if (sl->ended || s == NULL)
			continue;
		for (unsigned i = 0; i < wk.nsessions && !found; i++)
			found = wk.sessions[i] == s;
		INVARIANT(found || wk.nsessions == 256,
		    "a live PPP link's L2TP session is not in the host");
	}
	if (r->lac != NULL) {
		struct lac_call *c;

		LIST_FOREACH(c, &r->lac->calls, entry)
		{
			bool found = c->ls == NULL;

			for (unsigned i = 0; i < wk.nsessions && !found; i++)
				found = wk.sessions[i] == c->ls;
			INVARIANT(found || wk.nsessions == 256,
			    "a LAC call's L2TP session is not in the host");
			INVARIANT(c->sl == NULL || link_live(r, c->sl),
			    "a LAC call points at a freed or ended PPP link");
		}
	}

	/* One address per session. */
	for (unsigned a = 0; a < DAEMON_ADDRS - 1; a++)
		check_addr(r, POOL_FIRST + a);
	check_addr(r, FIXED_ADDR);
	for (unsigned i = 0; i < fio.nroutes; i++) {
		const struct fake_route *rt = &fio.routes[i];

		if (rt->ifindex != TUN_IFINDEX || rt->plen != 32)
			continue;
		check_addr(r, rt->dst);
		INVARIANT(addrmap_get(&r->lns.by_addr, rt->dst) != NULL,
		    "a route into the TUN for an address no session has");
	}
	LIST_FOREACH(sl, &r->links, entry)
	{
		if (!lns_live(sl))
			continue;
		if (sl->peer_addr != 0) {
			LIST_FOREACH(o, &r->links, entry)
			INVARIANT(o == sl || !lns_live(o) ||
				o->peer_addr != sl->peer_addr,
			    "two sessions have one address");
			pool = lns_pools_containing(&r->lns.pools,
			    sl->peer_addr);
			if (pool != NULL)
				INVARIANT(ippool_in_use(&pool->ip,
					      sl->peer_addr),
				    "a session's address is free in the pool");
			assigned++;
			INVARIANT(addrmap_get(&r->lns.assigned,
				      sl->peer_addr) == sl,
			    "a session's address is not held for it");
		}
		if (sl->routed) {
			routed++;
			INVARIANT(addrmap_get(&r->lns.by_addr, sl->peer_addr) ==
				sl,
			    "a routed session is not in the address map");
		}
		if (sl->network_up && sl->peer_addr != 0)
			up++;
	}
	INVARIANT(addrmap_count(&r->lns.by_addr) == routed,
	    "the address map holds entries of no live session");
	INVARIANT(addrmap_count(&r->lns.assigned) == assigned,
	    "an address is held for no live session");
	for (unsigned i = 0; w->cfg->lns.enabled && i < r->lns.pools.n; i++)
		ippool_walk(&r->lns.pools.v[i].p->ip, check_held, r);

	/* Every accounting Start belongs to a live session. */
	INVARIANT(fio.acct_error == NULL, fio.acct_error);
	for (unsigned i = 0; i < fio.nacct; i++) {
		const struct fake_acct *a = &fio.acct[i];
		bool found = false;

		LIST_FOREACH(sl, &r->links, entry)
		if (lns_live(sl) && sl->network_up &&
		    sl->peer_addr == a->framed_ip)
			found = true;
		INVARIANT(found,
		    "an accounting Start whose session ended without a Stop");
	}
	INVARIANT(fio.nacct == r->lns.acct_live,
	    "accounting records open differ from accounted sessions");
	INVARIANT(fio.nacct <= up,
	    "more accounting records open than sessions up");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roles_io io;
	struct input in = { data, size, 0 };
	struct world w;
	char err[512];

	fuzz_quiet();
	if (dir[0] == '\0') {
		setup_files();
		if (trace)
			log_init("fuzz", LOG_LEVEL_DEBUG, false);
	}
	if (size < 1)
		return 0;
	fake_now = 1000000;
	fake_random_reset();
	fake_io_init(&fio);
	memset(&w, 0, sizeof(w));
	fio.send = io_send;
	fio.send_arg = &w;
	/* RADIUS on: accounting goes to the recorder, which never answers. */
	fake_io_roles_io(&fio, AF_INET, true, &io);
	for (unsigned i = 0; i < NPEERS; i++) {
		struct sockaddr_in *sin =
		    (struct sockaddr_in *)&w.peer[i].addr.ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(1701);
		sin->sin_addr.s_addr = htonl(0xc000020a + i); /* 192.0.2.10 */
		w.peer[i].addr.len = sizeof(*sin);
	}
	{
		struct sockaddr_in *sin = (struct sockaddr_in *)&w.local.ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(1701);
		sin->sin_addr.s_addr = htonl(0xc6336401); /* 198.51.100.1 */
		w.local.len = sizeof(*sin);
	}
	for (unsigned i = 0; i < NPEERS; i++) {
		static const uint8_t mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 1 };

		memcpy(w.client[i].mac, mac, sizeof(mac));
		w.client[i].mac[5] = (uint8_t)(0x10 + i);
		w.client[i].pppoe = true;
	}
	fio.pppoe_sent = pppoe_sent;
	fio.pppoe_sent_arg = &w;
	w.cfg = config_load(cfg_path[next(&in) % DAEMON_VARIANTS], err,
	    sizeof(err));
	FUZZ_CHECK(w.cfg != NULL);
	w.r = roles_new(w.cfg, &io, fake_now);
	FUZZ_CHECK(w.r != NULL);
	check(&w);
	for (unsigned i = 0; i < MAX_STEPS && in.off < in.n; i++) {
		uint8_t op = in.p[in.off] % DOP_COUNT;

		step(&w, &in);
		settle(&w);
		if (trace) {
			struct session_link *sl;

			LIST_FOREACH(sl, &w.r->links, entry)
			fprintf(stderr,
			    "  link %p: %s%s, phase %s, "
			    "user \"%s\", address %08x%s\n",
			    (void *)sl, sl->ended ? "ended" : "live",
			    sl->network_up ? ", network up" : "",
			    ppp_phase_str(ppp_link_phase(sl->link)),
			    ppp_link_user(sl->link), sl->peer_addr,
			    sl->routed ? ", routed" : "");
		}
		if (trace)
			fprintf(stderr,
			    "op %u: tunnels %u, addresses %u, "
			    "accounting starts %u stops %u, TUN writes %llu\n",
			    op, l2tp_host_tunnel_count(w.r->host),
			    addrmap_count(&w.r->lns.by_addr), fio.acct_starts,
			    fio.acct_stops,
			    (unsigned long long)fio.tun_written);
		check(&w);
	}
	roles_shutdown(w.r, fake_now);
	settle(&w);
	roles_free(w.r);
	fake_io_release(&fio);
	INVARIANT(no_check || fio.acct_error == NULL, fio.acct_error);
	INVARIANT(no_check || fio.nacct == 0,
	    "an accounting Start without its Stop after the daemon ended");
	config_free(w.cfg);
	return 0;
}
