/*
 * roles_io.h — the one seam between roles/ and the world.
 *
 * Everything the roles do outside their own memory goes through these
 * operations: L2TP datagrams out, TUN devices, rtnetlink routes and
 * addresses, PPPoE sockets, RADIUS requests, name resolution, watching a
 * descriptor, the kernel fast path's session maps, and the wall clock.  The monotonic clock is never read here:
 * `now` (milliseconds, CLOCK_MONOTONIC in the daemon) arrives with every
 * call into the roles — roles_input, roles_run_timers, a watched
 * descriptor's readable callback, a RADIUS reply — and is passed down.
 *
 * The daemon implements the seam with dataplane/, pppoe/pppoe_sock.c and
 * radius/radius_client.c (src/cmd/vpdnd_io.c); unit tests and the daemon
 * fuzzer implement it with a recorder that answers as the kernel or a
 * silent network would (tests/support/fake_io.c), so role logic runs on a
 * fake clock with no descriptor open.
 *
 * State objects (struct tun, struct route_ctx, struct pppoe_sock) stay the
 * roles' own memory: the implementation fills them in on open and the roles
 * read their public fields (name, ifindex, counters, MAC, MTU); a
 * descriptor in them is only ever handed back to `watch`.
 */
#ifndef VPDN_ROLES_ROLES_IO_H
#define VPDN_ROLES_ROLES_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/config.h"
#include "dataplane/fastpath.h"
#include "dataplane/lac_fastpath.h"
#include "dataplane/route.h"
#include "dataplane/tun.h"
#include "l2tp/l2tp.h"
#include "pppoe/pppoe_sock.h"
#include "radius/radius_client.h"

/* A watched descriptor became readable; now as for every upcall. */
typedef void roles_readable_fn(void *arg, uint64_t now);

struct roles_io_ops {
	/* ---- the L2TP socket ---- */
	void (*send)(void *ctx, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);
	/* Optional (NULL: send): a data message built in place in a buffer
	 * that stays unchanged until the watched descriptor's readable
	 * callback returns; may be queued and sent in a batch then, or
	 * before the next `send` (l2tp_host_ops.send_data). */
	void (*send_data)(void *ctx, const struct l2tp_addr *local,
	    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len);

	/* ---- the loop ---- */
	/* Calls readable(arg, now) whenever fd can be read; a handle for
	 * unwatch, NULL on failure. */
	void *(
	    *watch)(void *ctx, int fd, roles_readable_fn *readable, void *arg);
	void (*unwatch)(void *ctx, void *handle);

	/* ---- clocks and names ---- */
	/* Seconds since the epoch (accounting timestamps). */
	int64_t (*wall_time)(void *ctx);
	/* An LNS's host (a literal or a name) and port into an address of
	 * `family`; -1 with the reason in err. */
	int (*resolve)(void *ctx, int family, const struct cfg_hostport *hp,
	    struct l2tp_addr *out, char *err, size_t errlen);

	/* ---- TUN devices (dataplane/tun.h has the semantics) ---- */
	int (*tun_open)(void *ctx, struct tun *t, const char *name);
	void (*tun_close)(void *ctx, struct tun *t);
	int (*tun_set_mtu)(void *ctx, struct tun *t, unsigned mtu);
	int (*tun_set_up)(void *ctx, struct tun *t);
	int (*tun_set_txqueuelen)(void *ctx, struct tun *t, unsigned qlen);
	int (
	    *tun_kstats)(void *ctx, const struct tun *t, struct tun_kstats *ks);
	int (*tun_read_batch)(void *ctx, struct tun *t, struct tun_pkt *pkts,
	    unsigned n);
	int (*tun_write)(void *ctx, struct tun *t, const uint8_t *pkt,
	    size_t len);

	/* ---- rtnetlink (dataplane/route.h has the semantics) ---- */
	int (*route_open)(void *ctx, struct route_ctx *rt);
	void (*route_close)(void *ctx, struct route_ctx *rt);
	int (*addr_add)(void *ctx, struct route_ctx *rt, int ifindex,
	    uint32_t local, uint32_t peer, unsigned plen);
	int (*addr_del)(void *ctx, struct route_ctx *rt, int ifindex,
	    uint32_t local, uint32_t peer, unsigned plen);
	int (*route_add)(void *ctx, struct route_ctx *rt, int ifindex,
	    uint32_t dst, unsigned plen, uint32_t gw, unsigned mtu);
	int (*route_del)(void *ctx, struct route_ctx *rt, int ifindex,
	    uint32_t dst, unsigned plen, uint32_t gw);
	int (*route_add_host)(void *ctx, struct route_ctx *rt, int ifindex,
	    uint32_t dst, uint32_t gw, uint32_t prefsrc);
	int (*route_get)(void *ctx, struct route_ctx *rt, uint32_t addr,
	    struct route_lookup *out);
	int (*link_set)(void *ctx, struct route_ctx *rt, int ifindex, bool up,
	    unsigned mtu);
	/* IPv6 (route6_add, route6_del, route6_addr_add). */
	int (*route6_add)(void *ctx, struct route_ctx *rt, int ifindex,
	    const uint8_t dst[16], unsigned plen);
	int (*route6_del)(void *ctx, struct route_ctx *rt, int ifindex,
	    const uint8_t dst[16], unsigned plen);
	int (*addr6_add)(void *ctx, struct route_ctx *rt, int ifindex,
	    const uint8_t addr[16], unsigned plen);
	int (*addr6_del)(void *ctx, struct route_ctx *rt, int ifindex,
	    const uint8_t addr[16], unsigned plen);
	/* A device's index by name (if_nametoindex), 0 when there is none:
	 * a client's lan-interface. */
	int (*if_index)(void *ctx, const char *name);

	/* ---- PPPoE sockets (pppoe/pppoe_sock.h has the semantics) ---- */
	int (*pppoe_open)(void *ctx, struct pppoe_sock *s, const char *ifname);
	void (*pppoe_close)(void *ctx, struct pppoe_sock *s);
	unsigned (*pppoe_drain)(void *ctx, struct pppoe_sock *s, int fd,
	    uint8_t *buf, size_t cap, unsigned max, pppoe_sock_frame_fn *fn,
	    void *arg);
	int (*pppoe_send)(void *ctx, struct pppoe_sock *s, const uint8_t *frame,
	    size_t len);

	/* ---- RADIUS (radius/radius_client.h has the semantics) ---- */
	/* NULL radius_send: the daemon has no [radius]. */
	uint64_t (*radius_send)(void *ctx, const struct radius_packet *tmpl,
	    const uint8_t *password, size_t pwlen, radius_reply_fn *cb,
	    void *arg);
	void *(*radius_cancel)(void *ctx, uint64_t handle);
	unsigned (*radius_pending)(void *ctx);

	/* ---- the kernel fast path (dataplane/fastpath.h has the
	 * semantics) ----
	 * NULL fp_session_add: no fast path (dataplane = user, or auto that
	 * could not load it); every session stays on the user path.  Each
	 * call that fails leaves the session where it was and says why in
	 * `why`. */
	/* Puts s into the maps once the programs run where its packets
	 * pass: the decapsulating one on l2tp_ifindex (the interface its
	 * tunnel's datagrams arrive on), the encapsulating one on the egress
	 * of tun_ifindex (the device its route points into). */
	int (*fp_session_add)(void *ctx, const struct fastpath_session *s,
	    int l2tp_ifindex, int tun_ifindex, char *why, size_t whylen);
	/* The tunnel's peer address or port changed (same IDs). */
	int (*fp_session_update)(void *ctx, const struct fastpath_session *s,
	    char *why, size_t whylen);
	/* Out of the maps (no packet of it is handled in the kernel after
	 * the return), with its final counters in `final`; called before
	 * the session's state is freed. */
	int (*fp_session_remove)(void *ctx, const struct fastpath_session *s,
	    struct fastpath_counters *final, char *why, size_t whylen);
	/* Its counters so far (summed over CPUs). */
	int (*fp_session_stats)(void *ctx, uint16_t our_tunnel_id,
	    uint16_t our_session_id, struct fastpath_counters *c);

	/* ---- the LAC's kernel fast path (dataplane/lac_fastpath.h has
	 * the semantics) ----
	 * NULL fp_lac_add: none (dataplane = user, or auto that could not
	 * load it); every call stays on the user path.  Counters: rx = user
	 * → LNS, tx = LNS → user. */
	/* Puts an established call into the maps once the program runs on
	 * c->access_ifindex and on l2tp_ifindex (where its tunnel's
	 * datagrams arrive). */
	int (*fp_lac_add)(void *ctx, const struct lac_fastpath_call *c,
	    int l2tp_ifindex, char *why, size_t whylen);
	/* Out of the maps before the call's state is freed, with its final
	 * counters. */
	int (*fp_lac_remove)(void *ctx, const struct lac_fastpath_call *c,
	    struct fastpath_counters *final, char *why, size_t whylen);
	int (*fp_lac_stats)(void *ctx, uint16_t our_tunnel_id,
	    uint16_t our_session_id, struct fastpath_counters *c);
};

struct roles_io {
	const struct roles_io_ops *ops;
	void *ctx;
	/* Address family of the L2TP socket (AF_INET / AF_INET6): peers
	 * resolved by the client and the LAC are converted to it. */
	int family;
};

#endif
