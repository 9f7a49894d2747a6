/*
 * test_pppoe_sock.c — pppoe_sock over a veth pair in a private network
 * namespace: a pppoe_server on one end and a pppoe_client on the other run
 * a real discovery and exchange session frames.  Needs root: the process
 * unshare(CLONE_NEWNET)s itself first, so it only ever touches a namespace
 * of its own.  Without the privilege every test skips itself.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/timeutil.h"
#include "pppoe/pppoe_client.h"
#include "pppoe/pppoe_server.h"
#include "pppoe/pppoe_sock.h"

static bool have_ns;

static int
setup_ns(void **state)
{
	(void)state;
	have_ns = geteuid() == 0 && unshare(CLONE_NEWNET) == 0 &&
	    system("ip link add vpdnpe0 type veth peer name vpdnpe1 && "
		   "ip link set vpdnpe0 up && ip link set vpdnpe1 up") == 0;
	return 0;
}

#define NEED_NS() \
	do { \
		if (!have_ns) \
			skip(); \
	} while (0)

static struct pppoe_sock ac_sock, host_sock;
static struct pppoe_session *sess;
static unsigned srv_data, srv_down, cli_up, cli_data, cli_down;
static uint8_t got[PPPOE_FRAME_MAX];
static size_t got_len;

static int
ac_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	return pppoe_sock_send(&ac_sock, f, len);
}

static int
srv_up(void *ctx, struct pppoe_session *s, uint64_t now)
{
	(void)ctx;
	(void)now;
	sess = s;
	return 0;
}

static void
srv_on_down(void *ctx, struct pppoe_session *s, const char *reason,
    uint64_t now)
{
	(void)ctx;
	(void)now;
	(void)s;
	(void)reason;
	srv_down++;
	sess = NULL;
}

static void
srv_on_data(void *ctx, struct pppoe_session *s, const uint8_t *p, size_t len,
    uint64_t now)
{
	(void)ctx;
	(void)now;
	(void)s;
	srv_data++;
	memcpy(got, p, len);
	got_len = len;
}

static int
host_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	return pppoe_sock_send(&host_sock, f, len);
}

static void
cli_on_up(void *ctx, uint16_t sid, const uint8_t mac[6], uint64_t now)
{
	(void)ctx;
	(void)now;
	(void)sid;
	(void)mac;
	cli_up++;
}

static void
cli_on_down(void *ctx, const char *reason, uint64_t now)
{
	(void)ctx;
	(void)now;
	(void)reason;
	cli_down++;
}

static void
cli_on_data(void *ctx, const uint8_t *p, size_t len, uint64_t now)
{
	(void)ctx;
	(void)now;
	cli_data++;
	memcpy(got, p, len);
	got_len = len;
}

/* Polls the four sockets and feeds the FSMs until done() or 3 s. */
static void
run(struct pppoe_server *srv, struct pppoe_client *cli, bool (*done)(void))
{
	uint64_t end = time_now_ms() + 3000;

	while (!done() && time_now_ms() < end) {
		struct pollfd pfd[4] = {
			{ pppoe_sock_fd_disc(&ac_sock), POLLIN, 0 },
			{ pppoe_sock_fd_ses(&ac_sock), POLLIN, 0 },
			{ pppoe_sock_fd_disc(&host_sock), POLLIN, 0 },
			{ pppoe_sock_fd_ses(&host_sock), POLLIN, 0 },
		};
		uint8_t buf[PPPOE_FRAME_MAX];
		ssize_t n;

		(void)poll(pfd, 4, 50);
		for (int i = 0; i < 4; i++) {
			struct pppoe_sock *s = i < 2 ? &ac_sock : &host_sock;

			while ((n = pppoe_sock_read(s, pfd[i].fd, buf,
				    sizeof(buf))) > 0) {
				if (i < 2)
					pppoe_server_input(srv, buf, (size_t)n,
					    time_now_ms());
				else
					pppoe_client_input(cli, buf, (size_t)n,
					    time_now_ms());
			}
			assert_true(n == 0);
		}
		pppoe_client_timeout(cli, time_now_ms());
	}
}

static bool
is_up(void)
{
	return cli_up == 1 && sess != NULL;
}

static bool
srv_got_data(void)
{
	return srv_data > 0;
}

static bool
cli_got_data(void)
{
	return cli_data > 0;
}

static bool
srv_saw_padt(void)
{
	return srv_down > 0;
}

static void
test_discovery_and_session_over_veth(void **state)
{
	static const struct pppoe_server_ops sops = {
		ac_send,
		srv_up,
		srv_on_down,
		srv_on_data,
	};
	static const struct pppoe_client_ops cops = {
		host_send,
		cli_on_up,
		cli_on_down,
		cli_on_data,
	};
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x07, 0x00,
		0x08, 0x12, 0x34, 0x56, 0x78 };
	struct pppoe_server_config scfg;
	struct pppoe_client_config ccfg;
	struct pppoe_server *srv;
	struct pppoe_client *cli;

	(void)state;
	NEED_NS();
	assert_int_equal(pppoe_sock_open(&ac_sock, "vpdnpe0"), 0);
	assert_int_equal(pppoe_sock_open(&host_sock, "vpdnpe1"), 0);
	assert_int_equal(ac_sock.mtu, 1500);
	assert_true(pppoe_mac_is_unicast(ac_sock.mac));
	assert_memory_not_equal(ac_sock.mac, host_sock.mac, 6);
	assert_true(ac_sock.fd_disc >= 0 && ac_sock.fd_ses >= 0);

	memset(&scfg, 0, sizeof(scfg));
	memcpy(scfg.mac, ac_sock.mac, 6);
	scfg.ac_name = "veth-lac";
	srv = pppoe_server_new(&scfg, &sops, NULL, time_now_ms());
	memset(&ccfg, 0, sizeof(ccfg));
	memcpy(ccfg.mac, host_sock.mac, 6);
	ccfg.service_name = "isp";
	cli = pppoe_client_new(&ccfg, &cops, NULL);
	assert_non_null(srv);
	assert_non_null(cli);

	assert_int_equal(pppoe_client_start(cli, time_now_ms()), 0);
	run(srv, cli, is_up);
	assert_true(is_up());
	assert_int_equal(pppoe_client_session_id(cli), sess->id);
	assert_memory_equal(sess->peer, host_sock.mac, 6);
	assert_string_equal(pppoe_client_ac_name(cli), "veth-lac");

	/* One session frame each way. */
	assert_int_equal(pppoe_client_send(cli, lcp, sizeof(lcp)), 0);
	run(srv, cli, srv_got_data);
	assert_int_equal(got_len, sizeof(lcp) - 2);
	assert_memory_equal(got, lcp + 2, sizeof(lcp) - 2);
	assert_int_equal(pppoe_server_send(sess, lcp + 2, sizeof(lcp) - 2), 0);
	run(srv, cli, cli_got_data);
	assert_int_equal(got_len, sizeof(lcp) - 2);

	/* Hang-up: the host's PADT reaches the server. */
	pppoe_client_close(cli, "bye");
	run(srv, cli, srv_saw_padt);
	assert_int_equal(srv_down, 1);
	assert_int_equal(pppoe_server_session_count(srv), 0);
	assert_int_equal(cli_down, 0);

	pppoe_client_free(cli);
	pppoe_server_free(srv);
	pppoe_sock_close(&ac_sock);
	pppoe_sock_close(&host_sock);
}

static void
test_open_errors(void **state)
{
	struct pppoe_sock s;

	(void)state;
	NEED_NS();
	assert_int_equal(pppoe_sock_open(&s, "no-such-if"), -1);
	assert_int_equal(s.fd_disc, -1);
	assert_int_equal(pppoe_sock_open(&s, "a-name-longer-than-ifnamsiz"),
	    -1);
	assert_int_equal(errno, ENAMETOOLONG);
	/* lo is not Ethernet: ARPHRD_LOOPBACK. */
	assert_int_equal(pppoe_sock_open(&s, "lo"), -1);
}

/* pppoe_sock_drain's frame sink: records each frame's tag byte; stops
 * after stop_after frames (0: never). */
static unsigned drained, stop_after;
static uint8_t drained_tag[16];

static bool
drain_fn(void *arg, const uint8_t *f, size_t len)
{
	(void)arg;
	assert_true(len > PPPOE_HDR_LEN + PPPOE_ETH_HDR_LEN);
	if (drained < sizeof(drained_tag))
		drained_tag[drained] = f[len - 1];
	drained++;
	return stop_after == 0 || drained < stop_after;
}

/* A session frame from host_sock to ac_sock of len bytes ending in tag. */
static void
send_ses(size_t len, uint8_t tag)
{
	uint8_t f[128];

	assert_true(len <= sizeof(f));
	memset(f, 0, sizeof(f));
	memcpy(f, ac_sock.mac, 6);
	memcpy(f + 6, host_sock.mac, 6);
	f[12] = PPPOE_ETHERTYPE_SES >> 8;
	f[13] = PPPOE_ETHERTYPE_SES & 0xff;
	f[14] = 0x11; /* ver 1, type 1 */
	f[17] = 1;    /* SESSION_ID */
	f[19] = (uint8_t)(len - PPPOE_ETH_HDR_LEN - PPPOE_HDR_LEN);
	f[len - 1] = tag;
	assert_int_equal(pppoe_sock_send(&host_sock, f, len), 0);
}

/* Nothing to read from: the error is counted, errno kept, no frame. */
static void
test_drain_error_stops(void **state)
{
	struct pppoe_sock s;
	uint8_t buf[64];

	(void)state;
	memset(&s, 0, sizeof(s));
	drained = 0;
	stop_after = 0;
	assert_int_equal(pppoe_sock_drain(&s, -1, buf, sizeof(buf), 8, drain_fn,
			     NULL),
	    1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(drained, 0);
}

/* Drains ac_sock's session socket, reading at most max frames into a
 * 64-byte buffer, the sink stopping after stop frames (0: never). */
static unsigned
drain_ses(unsigned max, unsigned stop)
{
	uint8_t buf[64];

	drained = 0;
	stop_after = stop;
	return pppoe_sock_drain(&ac_sock, pppoe_sock_fd_ses(&ac_sock), buf,
	    sizeof(buf), max, drain_fn, NULL);
}

/* The burst bound, an oversize frame skipped (counted, reading goes on),
 * the sink stopping the loop, and an empty socket ending it. */
static void
test_drain_over_veth(void **state)
{
	struct pollfd pfd;

	(void)state;
	NEED_NS();
	assert_int_equal(pppoe_sock_open(&ac_sock, "vpdnpe0"), 0);
	assert_int_equal(pppoe_sock_open(&host_sock, "vpdnpe1"), 0);
	send_ses(30, 1);
	send_ses(100, 2); /* longer than drain_ses's buffer */
	send_ses(30, 3);
	send_ses(31, 4);
	send_ses(32, 5);
	send_ses(33, 6);
	pfd.fd = pppoe_sock_fd_ses(&ac_sock);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	usleep(100 * 1000);

	/* max 3 reads: 1, the oversize 2, 3 */
	assert_int_equal(drain_ses(3, 0), 1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(drained, 2);
	assert_int_equal(drained_tag[0], 1);
	assert_int_equal(drained_tag[1], 3);
	/* the sink says stop after one: 4 */
	assert_int_equal(drain_ses(16, 1), 0);
	assert_int_equal(drained, 1);
	assert_int_equal(drained_tag[0], 4);
	/* the rest, 5 and 6, then nothing pending */
	assert_int_equal(drain_ses(16, 0), 0);
	assert_int_equal(drained, 2);
	assert_int_equal(drained_tag[0], 5);
	assert_int_equal(drained_tag[1], 6);
	pppoe_sock_close(&ac_sock);
	pppoe_sock_close(&host_sock);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery_and_session_over_veth),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_drain_error_stops),
		cmocka_unit_test(test_drain_over_veth),
	};

	return cmocka_run_group_tests(tests, setup_ns, NULL);
}
