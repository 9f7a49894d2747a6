/*
 * fake_io.h — link-time test doubles for what the roles reach past their
 * callbacks: the clock, the TUN device, rtnetlink routes, the RADIUS
 * client's sockets and the random source.  fuzz_daemon is linked against
 * the library without tun.o, route.o, radius_client.o, random.o and
 * timeutil.o, and with fake_io.o in their place.
 *
 * The doubles record and answer as the kernel or a silent network would;
 * they implement no protocol.  A seam in roles/ carrying these operations
 * would replace them one for one.
 */
#ifndef VPDN_TESTS_FAKE_IO_H
#define VPDN_TESTS_FAKE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_TUN_QUEUE		8
#define FAKE_TUN_PKT		128
#define FAKE_ROUTES		64
#define FAKE_ACCT		64
#define FAKE_PPPOE_QUEUE	8
#define FAKE_PPPOE_FRAME	1514

/* The clock time_now_ms() returns. */
extern uint64_t fake_now;

/* Packets waiting to be read from the TUN device (the kernel's side). */
bool	fake_tun_push(const uint8_t *pkt, size_t len);
uint64_t fake_tun_written(void);

/* Descriptors the doubles hand out, for the harness's watch table. */
#define FAKE_FD_TUN		1000
#define FAKE_FD_PPPOE_DISC	1001
#define FAKE_FD_PPPOE_SES	1002

/* Ethernet frames waiting on the PPPoE sockets (the access network's
 * side; the ethertype chooses the socket), and where frames sent go. */
bool	fake_pppoe_push(const uint8_t *frame, size_t len);
extern void (*fake_pppoe_sent)(void *arg, const uint8_t *frame, size_t len);
extern void *fake_pppoe_sent_arg;

/* The routing table as rtnetlink would hold it: add of an existing route
 * fails (EEXIST), delete of a missing one fails (ESRCH). */
struct fake_route {
	int		 ifindex;
	uint32_t	 dst;
	unsigned	 plen;
};
unsigned fake_route_count(void);
const struct fake_route *fake_route_get(unsigned i);

/* Accounting records sent through the RADIUS client and not yet stopped,
 * keyed by Acct-Session-Id.  A violation seen while recording (a second
 * Start, a Stop or Interim-Update for no open record) is kept in
 * fake_acct_error for the harness to report. */
struct fake_acct {
	char		 id[64];
	uint32_t	 framed_ip;
};
unsigned fake_acct_open_count(void);
const struct fake_acct *fake_acct_open(unsigned i);
extern const char *fake_acct_error;
extern unsigned fake_acct_starts, fake_acct_stops;

/* Back to the state of a fresh process: empty queues and tables, the clock
 * and the random sequence at their start. */
void	fake_io_reset(uint64_t now);

#endif
