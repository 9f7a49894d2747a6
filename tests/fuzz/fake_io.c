/*
 * fake_io.c — the test doubles fake_io.h describes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "core/random.h"
#include "core/timeutil.h"
#include "dataplane/route.h"
#include "dataplane/tun.h"
#include "fake_io.h"
#include "pppoe/pppoe_sock.h"
#include "radius/radius_attr_table.h"
#include "radius/radius_client.h"

uint64_t fake_now;

/* ---- clock ---- */

uint64_t
time_now_ms(void)
{
	return fake_now;
}

/* ---- random: a fixed sequence, so that an input replays identically ---- */

static uint64_t rng_state;

void
random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		/* xorshift64* */
		rng_state ^= rng_state >> 12;
		rng_state ^= rng_state << 25;
		rng_state ^= rng_state >> 27;
		p[i] = (uint8_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 56);
	}
}

uint16_t
random_u16(void)
{
	uint16_t v;

	random_bytes(&v, sizeof(v));
	return v;
}

uint32_t
random_u32(void)
{
	uint32_t v;

	random_bytes(&v, sizeof(v));
	return v;
}

/* ---- TUN ---- */

static struct {
	uint8_t	 pkt[FAKE_TUN_QUEUE][FAKE_TUN_PKT];
	size_t	 len[FAKE_TUN_QUEUE];
	unsigned head, count;
	uint64_t written;
} tunq;

bool
fake_tun_push(const uint8_t *pkt, size_t len)
{
	unsigned i;

	if (tunq.count == FAKE_TUN_QUEUE || len > FAKE_TUN_PKT)
		return false;
	i = (tunq.head + tunq.count++) % FAKE_TUN_QUEUE;
	memcpy(tunq.pkt[i], pkt, len);
	tunq.len[i] = len;
	return true;
}

uint64_t
fake_tun_written(void)
{
	return tunq.written;
}

int
tun_open(struct tun *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	/* Never read or written: every TUN call lands here. */
	t->fd = FAKE_FD_TUN;
	t->ifindex = 7;
	strlcpy(t->name, name != NULL && *name ? name : "tun0",
	    sizeof(t->name));
	return 0;
}

void
tun_close(struct tun *t)
{
	t->fd = -1;
}

int
tun_set_mtu(struct tun *t, unsigned mtu)
{
	(void)t;
	(void)mtu;
	return 0;
}

int
tun_set_up(struct tun *t)
{
	(void)t;
	return 0;
}

int
tun_set_txqueuelen(struct tun *t, unsigned qlen)
{
	(void)t;
	(void)qlen;
	return 0;
}

/* A device the kernel never dropped a packet of. */
int
tun_kstats(const struct tun *t, struct tun_kstats *ks)
{
	memset(ks, 0, sizeof(*ks));
	return t->fd >= 0 ? 0 : -1;
}

ssize_t
tun_read(struct tun *t, uint8_t *buf, size_t cap)
{
	size_t n;

	if (tunq.count == 0)
		return 0;
	n = tunq.len[tunq.head];
	if (n > cap)
		n = cap;
	memcpy(buf, tunq.pkt[tunq.head], n);
	tunq.head = (tunq.head + 1) % FAKE_TUN_QUEUE;
	tunq.count--;
	t->rx_packets++;
	t->rx_bytes += n;
	return (ssize_t)n;
}

int
tun_read_batch(struct tun *t, struct tun_pkt *pkts, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		ssize_t got = tun_read(t, pkts[i].buf, pkts[i].cap);

		if (got <= 0)
			break;
		pkts[i].len = (size_t)got;
	}
	return (int)i;
}

int
tun_write(struct tun *t, const uint8_t *pkt, size_t len)
{
	(void)pkt;
	t->tx_packets++;
	t->tx_bytes += len;
	tunq.written++;
	return 0;
}

/* ---- PPPoE (AF_PACKET) ---- */

static struct {
	uint8_t	 frame[FAKE_PPPOE_QUEUE][FAKE_PPPOE_FRAME];
	size_t	 len[FAKE_PPPOE_QUEUE];
	unsigned head, count;
} pppoeq[2];		/* [0] discovery, [1] session */

void (*fake_pppoe_sent)(void *arg, const uint8_t *frame, size_t len);
void *fake_pppoe_sent_arg;

bool
fake_pppoe_push(const uint8_t *frame, size_t len)
{
	unsigned q, i;

	if (len < 14 || len > FAKE_PPPOE_FRAME)
		return false;
	q = frame[12] == 0x88 && frame[13] == 0x64 ? 1 : 0;
	if (pppoeq[q].count == FAKE_PPPOE_QUEUE)
		return false;
	i = (pppoeq[q].head + pppoeq[q].count++) % FAKE_PPPOE_QUEUE;
	memcpy(pppoeq[q].frame[i], frame, len);
	pppoeq[q].len[i] = len;
	return true;
}

int
pppoe_sock_open(struct pppoe_sock *s, const char *ifname)
{
	static const uint8_t mac[PPPOE_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };

	memset(s, 0, sizeof(*s));
	s->fd_disc = FAKE_FD_PPPOE_DISC;
	s->fd_ses = FAKE_FD_PPPOE_SES;
	s->ifindex = 8;
	s->mtu = 1500;
	memcpy(s->mac, mac, sizeof(mac));
	strlcpy(s->ifname, ifname, sizeof(s->ifname));
	return 0;
}

void
pppoe_sock_close(struct pppoe_sock *s)
{
	s->fd_disc = s->fd_ses = -1;
}

ssize_t
pppoe_sock_read(struct pppoe_sock *s, int fd, uint8_t *buf, size_t cap)
{
	unsigned q = fd == s->fd_ses ? 1 : 0;
	size_t n;

	if (pppoeq[q].count == 0)
		return 0;
	n = pppoeq[q].len[pppoeq[q].head];
	if (n > cap) {
		errno = EMSGSIZE;
		n = 0;
	} else {
		memcpy(buf, pppoeq[q].frame[pppoeq[q].head], n);
	}
	pppoeq[q].head = (pppoeq[q].head + 1) % FAKE_PPPOE_QUEUE;
	pppoeq[q].count--;
	return n > 0 ? (ssize_t)n : -1;
}

unsigned
pppoe_sock_drain(struct pppoe_sock *s, int fd, uint8_t *buf, size_t cap,
    unsigned max, pppoe_sock_frame_fn *fn, void *arg)
{
	unsigned errors = 0;

	for (unsigned i = 0; i < max; i++) {
		ssize_t got = pppoe_sock_read(s, fd, buf, cap);

		if (got < 0) {
			errors++;	/* EMSGSIZE: dropped, reading goes on */
			continue;
		}
		if (got == 0 || !fn(arg, buf, (size_t)got))
			break;
	}
	return errors;
}

int
pppoe_sock_send(struct pppoe_sock *s, const uint8_t *frame, size_t len)
{
	(void)s;
	if (fake_pppoe_sent != NULL)
		fake_pppoe_sent(fake_pppoe_sent_arg, frame, len);
	return 0;
}

/* ---- rtnetlink ---- */

static struct fake_route routes[FAKE_ROUTES];
static unsigned nroutes;

unsigned
fake_route_count(void)
{
	return nroutes;
}

const struct fake_route *
fake_route_get(unsigned i)
{
	return i < nroutes ? &routes[i] : NULL;
}

int
route_open(struct route_ctx *r)
{
	memset(r, 0, sizeof(*r));
	/* Only compared with NULL by its owner. */
	r->nl = (struct mnl_socket *)&routes;
	return 0;
}

void
route_close(struct route_ctx *r)
{
	r->nl = NULL;
}

const char *
route_error(const struct route_ctx *r)
{
	return r->err;
}

static int
route_fail(struct route_ctx *r, const char *what, int e)
{
	(void)snprintf(r->err, sizeof(r->err), "%s: %s", what, strerror(e));
	errno = e;
	return -1;
}

int
route_addr_add(struct route_ctx *r, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen)
{
	(void)r;
	(void)ifindex;
	(void)local;
	(void)peer;
	(void)plen;
	return 0;
}

int
route_addr_del(struct route_ctx *r, int ifindex, uint32_t local,
    uint32_t peer, unsigned plen)
{
	(void)r;
	(void)ifindex;
	(void)local;
	(void)peer;
	(void)plen;
	return 0;
}

static int
route_find(int ifindex, uint32_t dst, unsigned plen)
{
	for (unsigned i = 0; i < nroutes; i++)
		if (routes[i].ifindex == ifindex && routes[i].dst == dst &&
		    routes[i].plen == plen)
			return (int)i;
	return -1;
}

int
route_add_mtu(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw, unsigned mtu)
{
	(void)gw;
	(void)mtu;
	if (route_find(ifindex, dst, plen) >= 0)
		return route_fail(r, "RTM_NEWROUTE", EEXIST);
	if (nroutes == FAKE_ROUTES)
		return route_fail(r, "RTM_NEWROUTE", ENOBUFS);
	routes[nroutes].ifindex = ifindex;
	routes[nroutes].dst = dst;
	routes[nroutes].plen = plen;
	nroutes++;
	return 0;
}

int
route_add(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw)
{
	return route_add_mtu(r, ifindex, dst, plen, gw, 0);
}

int
route_add_host(struct route_ctx *r, int ifindex, uint32_t dst, uint32_t gw,
    uint32_t prefsrc)
{
	(void)prefsrc;
	return route_add_mtu(r, ifindex, dst, 32, gw, 0);
}

/* The harness configures no client, the only caller: an empty table. */
int
route_get(struct route_ctx *r, uint32_t addr, struct route_lookup *out)
{
	(void)addr;
	memset(out, 0, sizeof(*out));
	return route_fail(r, "RTM_GETROUTE", ENETUNREACH);
}

int
route_del(struct route_ctx *r, int ifindex, uint32_t dst, unsigned plen,
    uint32_t gw)
{
	int i = route_find(ifindex, dst, plen);

	(void)gw;
	if (i < 0)
		return route_fail(r, "RTM_DELROUTE", ESRCH);
	routes[i] = routes[--nroutes];
	return 0;
}

int
route_link_set(struct route_ctx *r, int ifindex, bool up, unsigned mtu)
{
	(void)r;
	(void)ifindex;
	(void)up;
	(void)mtu;
	return 0;
}

/* ---- RADIUS client: records what would be sent, never answers ---- */

struct radius_client {
	struct radius_client_stats	stats;
	uint64_t			next_handle;
};

static struct fake_acct acct[FAKE_ACCT];
static unsigned nacct;
const char *fake_acct_error;
unsigned fake_acct_starts, fake_acct_stops;

unsigned
fake_acct_open_count(void)
{
	return nacct;
}

const struct fake_acct *
fake_acct_open(unsigned i)
{
	return i < nacct ? &acct[i] : NULL;
}

void
radius_client_config_default(struct radius_client_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = 3000;
	cfg->tries = 3;
	cfg->acct_max_tries = 100;
	cfg->acct_max_ms = 3600 * 1000;
	cfg->require_msgauth = true;
}

const char *
radius_server_kind_str(enum radius_server_kind k)
{
	return k == RADIUS_SERVER_AUTH ? "auth" : "acct";
}

const char *
radius_status_str(enum radius_status s)
{
	return s == RADIUS_STATUS_REPLY ? "reply" : "timeout";
}

struct radius_client *
radius_client_new(struct ev_loop *loop, const struct radius_client_config *cfg)
{
	(void)loop;
	(void)cfg;
	return calloc(1, sizeof(struct radius_client));
}

void
radius_client_free(struct radius_client *rc)
{
	free(rc);
}

int
radius_client_add_server(struct radius_client *rc,
    enum radius_server_kind kind, const struct sockaddr *sa, socklen_t salen,
    const char *secret)
{
	(void)rc;
	(void)kind;
	(void)sa;
	(void)salen;
	(void)secret;
	return 0;
}

static int
acct_find(const char *id)
{
	for (unsigned i = 0; i < nacct; i++)
		if (strcmp(acct[i].id, id) == 0)
			return (int)i;
	return -1;
}

static void
acct_record(const struct radius_packet *p)
{
	struct fake_acct a;
	uint32_t status;
	int i;

	memset(&a, 0, sizeof(a));
	if (radius_get_u32(p, RADIUS_ATTR_ACCT_STATUS_TYPE, &status) !=
	    RADIUS_OK)
		return;
	if (radius_get_string(p, RADIUS_ATTR_ACCT_SESSION_ID, a.id,
	    sizeof(a.id)) != RADIUS_OK)
		return;		/* Accounting-On/Off */
	(void)radius_get_ipv4(p, RADIUS_ATTR_FRAMED_IP_ADDRESS, &a.framed_ip);
	i = acct_find(a.id);
	switch (status) {
	case RADIUS_ACCT_STATUS_START:
		fake_acct_starts++;
		if (i >= 0)
			fake_acct_error = "second accounting Start for one "
			    "session";
		else if (nacct < FAKE_ACCT)
			acct[nacct++] = a;
		break;
	case RADIUS_ACCT_STATUS_STOP:
		fake_acct_stops++;
		if (i < 0)
			fake_acct_error = "accounting Stop without a Start";
		else
			acct[i] = acct[--nacct];
		break;
	case RADIUS_ACCT_STATUS_INTERIM:
		if (i < 0)
			fake_acct_error = "accounting Interim-Update without "
			    "a Start";
		break;
	default:
		break;
	}
}

uint64_t
radius_client_send(struct radius_client *rc, const struct radius_packet *tmpl,
    const uint8_t *password, size_t pwlen, radius_reply_fn *cb, void *arg)
{
	(void)password;
	(void)pwlen;
	(void)cb;
	(void)arg;
	if (radius_code(tmpl) == RADIUS_CODE_ACCOUNTING_REQUEST)
		acct_record(tmpl);
	rc->stats.requests++;
	rc->stats.sent++;
	return ++rc->next_handle;
}

void *
radius_client_cancel(struct radius_client *rc, uint64_t handle)
{
	(void)rc;
	(void)handle;
	return NULL;
}

const struct radius_client_stats *
radius_client_stats(const struct radius_client *rc)
{
	return &rc->stats;
}

unsigned
radius_client_pending(const struct radius_client *rc)
{
	(void)rc;
	return 0;
}

/* ---- reset ---- */

void
fake_io_reset(uint64_t now)
{
	fake_now = now;
	rng_state = 0x9e3779b97f4a7c15ULL;
	memset(&tunq, 0, sizeof(tunq));
	memset(pppoeq, 0, sizeof(pppoeq));
	nroutes = 0;
	nacct = 0;
	fake_acct_error = NULL;
	fake_acct_starts = fake_acct_stops = 0;
}
