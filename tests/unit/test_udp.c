/*
 * test_udp.c — the L2TP socket's batched send (udp_queue, udp_flush) over
 * loopback: queued datagrams leave in the order they were queued, a full
 * queue is flushed before the next one is taken, and one sendmmsg carries
 * a whole batch.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "dataplane/udp.h"

struct pair {
	struct udp_sock tx, rx;
	struct l2tp_addr to;
	unsigned got;
	uint32_t seen[4 * UDP_TXQ];
};

static void
on_rx(void *ctx, const uint8_t *pkt, size_t len, const struct l2tp_addr *local,
    const struct l2tp_addr *peer)
{
	struct pair *p = ctx;
	uint32_t v;

	(void)local;
	(void)peer;
	assert_int_equal(len, sizeof(v));
	memcpy(&v, pkt, sizeof(v));
	if (p->got < 4 * UDP_TXQ)
		p->seen[p->got++] = v;
}

static void
pair_open(struct pair *p)
{
	struct sockaddr_in sin;

	memset(p, 0, sizeof(*p));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(udp_open(&p->rx, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	assert_int_equal(udp_open(&p->tx, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	p->to = p->rx.bound;
}

static void
pair_drain(struct pair *p)
{
	while (udp_recv_batch(&p->rx, on_rx, p) > 0)
		;
}

static void
test_queue_order(void **state)
{
	static uint32_t vals[2 * UDP_TXQ + 2];
	struct pair p;
	unsigned n = 0;

	(void)state;
	pair_open(&p);
	for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		vals[i] = i;
	/* A full queue goes out before the next datagram is taken. */
	for (unsigned i = 0; i < UDP_TXQ; i++)
		udp_queue(&p.tx, NULL, &p.to, (uint8_t *)&vals[n++], 4);
	assert_int_equal(p.tx.tx_datagrams, 0);
	udp_queue(&p.tx, NULL, &p.to, (uint8_t *)&vals[n++], 4);
	assert_int_equal(p.tx.tx_datagrams, UDP_TXQ);
	assert_int_equal(p.tx.tx_batches, 1);
	/* What is queued leaves before a datagram sent at once, if the
	 * sender flushes first (vpdnd does, before every other send). */
	udp_queue(&p.tx, NULL, &p.to, (uint8_t *)&vals[n++], 4);
	udp_flush(&p.tx);
	assert_int_equal(udp_send(&p.tx, NULL, &p.to, (uint8_t *)&vals[n++], 4),
	    0);
	assert_int_equal(p.tx.tx_datagrams, n);
	udp_flush(&p.tx); /* empty: no call */
	assert_int_equal(p.tx.tx_batches, 2);
	pair_drain(&p);
	assert_int_equal(p.got, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(p.seen[i], i);
	udp_close(&p.tx);
	udp_close(&p.rx);
}

/* Closing sends what is still queued. */
static void
test_close_flushes(void **state)
{
	static const uint32_t v = 7;
	struct pair p;

	(void)state;
	pair_open(&p);
	udp_queue(&p.tx, NULL, &p.to, (const uint8_t *)&v, 4);
	udp_close(&p.tx);
	pair_drain(&p);
	assert_int_equal(p.got, 1);
	assert_int_equal(p.seen[0], 7);
	udp_close(&p.rx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_order),
		cmocka_unit_test(test_close_flushes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
