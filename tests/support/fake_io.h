/*
 * fake_io.h — a recorder behind the roles' seam (roles/roles_io.h) for unit
 * tests and the daemon fuzzer: the roles run on it with no descriptor open
 * and on whatever clock the test hands them.
 *
 * It answers as the kernel or a silent network would and implements no
 * protocol:
 *   - L2TP datagrams go to the test's send hook (fake_io.send);
 *   - TUN devices share one packet queue the test fills (fake_tun_push)
 *     and count what the roles wrote, keeping a copy of the last packet;
 *   - the routing table holds what rtnetlink would: adding an existing
 *     route fails with EEXIST, deleting a missing one with ESRCH; a lookup
 *     (route_get) answers with the longest prefix in it, the host's own
 *     routes (fake_route_preset) included, and finds nothing
 *     (ENETUNREACH) in an empty table; closing a TUN device takes its
 *     routes away, as the kernel does with the device;
 *   - PPPoE sockets share a discovery and a session queue (the ethertype of
 *     a pushed frame chooses) and hand frames sent to fake_io.pppoe_sent;
 *   - RADIUS requests are recorded and never answered by themselves: a
 *     test answers one (fake_radius_answer) or times it out
 *     (fake_radius_timeout); accounting records are also followed per
 *     Acct-Session-Id, so that a test can check Start/Stop pairing;
 *   - names resolve only when they are literals; the wall clock is a field;
 *   - with `fastpath` set before fake_io_roles_io(), the kernel fast path's
 *     maps are a table of sessions whose counters the test sets (what the
 *     programs would have counted); adds, updates and removals are counted
 *     and fp_removed is called inside each removal, so that a test can see
 *     what the roles had not yet released at that point.
 * Descriptors it hands out are the FAKE_FD_* numbers; fake_io_readable()
 * calls what the roles watch on one, with the test's `now`.
 *
 * Use: fake_io_init(&f); f.send = ...; fake_io_roles_io(&f, AF_INET, &io);
 * roles_new(cfg, &io, now); ... roles_free(); fake_io_release(&f).
 */
#ifndef VPDN_TESTS_SUPPORT_FAKE_IO_H
#define VPDN_TESTS_SUPPORT_FAKE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "radius/radius_client.h"
#include "roles/roles_io.h"

#define FAKE_TUN_QUEUE	 8
#define FAKE_TUN_PKT	 2048
#define FAKE_ROUTES	 64
#define FAKE_ACCT	 64
#define FAKE_RADIUS	 64
#define FAKE_PPPOE_QUEUE 8
#define FAKE_PPPOE_FRAME 1514
#define FAKE_FP_SESSIONS 16

/* Descriptors the fake hands out, in this order (fake_io_readable). */
#define FAKE_FD_TUN	   1000
#define FAKE_FD_PPPOE_DISC 1001
#define FAKE_FD_PPPOE_SES  1002
#define FAKE_FD_COUNT	   3

#define FAKE_TUN_IFINDEX   7
#define FAKE_LAN_NAME	   "lan0"
#define FAKE_LAN_IFINDEX   9
#define FAKE_PPPOE_IFINDEX 8

/* A route as the fake's table holds it. */
struct fake_route {
	int ifindex;
	uint32_t dst;
	unsigned plen;
	uint32_t gw; /* 0: on the link */
};

/* An IPv6 route the roles added (route6_add). */
struct fake_route6 {
	int ifindex;
	uint8_t dst[16];
	unsigned plen;
};

/* An accounting record sent and not yet stopped (by Acct-Session-Id). */
struct fake_acct {
	char id[64];
	uint32_t framed_ip;
};

/* A RADIUS request the roles sent; open until answered, timed out or
 * cancelled. */
struct fake_radius_req {
	uint64_t handle;	   /* 0: free slot */
	uint8_t code;		   /* of the request */
	struct radius_packet *pkt; /* copy of the template */
	uint8_t password[128];	   /* Access-Request (PAP) */
	size_t pwlen;
	radius_reply_fn *cb;
	void *arg;
};

/* A session in the fake fast path's maps. */
struct fake_fp_entry {
	bool used;
	struct fastpath_session s;
	struct fastpath_counters c; /* set by the test */
	int l2tp_ifindex, tun_ifindex;
};

/* A LAC call in the fake fast path's maps. */
struct fake_lac_fp_entry {
	bool used;
	struct lac_fastpath_call c;
	struct fastpath_counters ctr; /* set by the test */
	int l2tp_ifindex;
};

struct fake_watch {
	roles_readable_fn *readable; /* NULL: not watched */
	void *arg;
};

struct fake_io {
	/* Set by the test. */
	void (*send)(void *arg, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
	void *send_arg;
	void (*pppoe_sent)(void *arg, const uint8_t *frame, size_t len);
	void *pppoe_sent_arg;
	int64_t wall;	/* seconds since the epoch */
	bool fastpath;	/* offer the fp_* operations */
	bool fp_refuse; /* fp_session_add fails */
	void (*fp_removed)(void *arg, const struct fastpath_session *s,
	    const struct fastpath_counters *final);
	void *fp_removed_arg;

	/* Read by the test. */
	struct fake_watch watch[FAKE_FD_COUNT];
	struct {
		uint8_t pkt[FAKE_TUN_QUEUE][FAKE_TUN_PKT];
		size_t len[FAKE_TUN_QUEUE];
		unsigned head, count;
	} tunq;
	uint64_t tun_written; /* packets the roles wrote */
	unsigned tun_opens, tun_closes;
	char tun_name[32]; /* of the last tun_open */
	/* The last address the roles put on a device (addr_add). */
	unsigned addr_adds;
	int addr_ifindex;
	uint32_t addr_local, addr_peer;
	uint8_t tun_last[FAKE_TUN_PKT];
	size_t tun_last_len;
	struct {
		uint8_t frame[FAKE_PPPOE_QUEUE][FAKE_PPPOE_FRAME];
		size_t len[FAKE_PPPOE_QUEUE];
		unsigned head, count;
	} pppoeq[2]; /* [0] discovery, [1] session */
	struct fake_route routes[FAKE_ROUTES];
	unsigned nroutes;
	struct fake_route6 routes6[FAKE_ROUTES];
	unsigned nroutes6;
	/* The last IPv6 address the roles put on a device (addr6_add). */
	unsigned addr6_adds;
	int addr6_ifindex;
	uint8_t addr6[16];
	/* The last one taken away (addr6_del). */
	unsigned addr6_dels;
	int addr6_del_ifindex;
	uint8_t addr6_del[16];
	struct fake_radius_req radius[FAKE_RADIUS];
	uint64_t radius_next;
	uint64_t radius_sent; /* requests ever accepted */
	struct fake_acct acct[FAKE_ACCT];
	unsigned nacct;
	unsigned acct_starts, acct_stops;
	/* A Start twice, or a Stop/Interim-Update for no open record. */
	const char *acct_error;
	struct fake_fp_entry fp[FAKE_FP_SESSIONS];
	unsigned fp_adds, fp_updates, fp_removes;
	struct fake_lac_fp_entry lac_fp[FAKE_FP_SESSIONS];
	unsigned lac_fp_adds, lac_fp_removes;
	/* Accounting Stops sent before each LAC removal (a Stop must come
	 * after it, with its counters). */
	unsigned lac_fp_stops_at_remove;
	/* The table handed to the roles (fake_io_roles_io). */
	struct roles_io_ops ops;
};

/* An empty fake (queues, tables, watches); wall clock at 1,700,000,000. */
void fake_io_init(struct fake_io *f);
/* Frees recorded RADIUS requests (without calling back). */
void fake_io_release(struct fake_io *f);
/* The seam over f; radius false leaves radius_send NULL (no [radius]). */
void fake_io_roles_io(struct fake_io *f, int family, bool radius,
    struct roles_io *out);

/* The fast path's entry for our tunnel/session IDs, or NULL. */
struct fake_fp_entry *fake_fp_find(struct fake_io *f, uint16_t tunnel_id,
    uint16_t session_id);
unsigned fake_fp_count(const struct fake_io *f);
/* The same for the LAC's calls (fp_lac_*). */
struct fake_lac_fp_entry *fake_lac_fp_find(struct fake_io *f,
    uint16_t tunnel_id, uint16_t session_id);
unsigned fake_lac_fp_count(const struct fake_io *f);

/* Calls what watches fd (FAKE_FD_*) with now; false when nothing does. */
bool fake_io_readable(struct fake_io *f, int fd, uint64_t now);

/* A packet for the roles to read from their TUN device. */
bool fake_tun_push(struct fake_io *f, const uint8_t *pkt, size_t len);
/* A frame for the PPPoE sockets (ethertype 0x8864: session socket). */
bool fake_pppoe_push(struct fake_io *f, const uint8_t *frame, size_t len);

/* A route the host had before the roles ran (the default via a gateway,
 * say), in the table like any other: false when the table is full. */
bool fake_route_preset(struct fake_io *f, int ifindex, uint32_t dst,
    unsigned plen, uint32_t gw);
/* The route dst/plen on ifindex, or NULL. */
const struct fake_route *fake_route_find(const struct fake_io *f, int ifindex,
    uint32_t dst, unsigned plen);

/* The open request of that code (RADIUS_CODE_*), oldest first; NULL. */
struct fake_radius_req *fake_radius_find(struct fake_io *f, uint8_t code);
unsigned fake_radius_open(const struct fake_io *f);
/* Answers req with reply (whose authenticator needs no checking here:
 * the fake is the client that would have checked it); secret is what
 * Tunnel-Password & co. are decrypted with.  The request is closed first,
 * so the callback may send again. */
void fake_radius_answer(struct fake_io *f, struct fake_radius_req *req,
    const struct radius_packet *reply, const char *secret, uint64_t now);
/* No server answered. */
void fake_radius_timeout(struct fake_io *f, struct fake_radius_req *req,
    uint64_t now);

#endif
