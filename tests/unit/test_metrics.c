/*
 * test_metrics.c — the HTTP request classifier, the monotonic accumulator
 * and the exposition renderer of src/ctl/metrics.c (the listener itself is
 * exercised by tests/netns/t-metrics.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ctl/metrics.h"
#include "l2tp/l2tp.h"

static const struct {
	const char *req;
	enum metrics_req want;
} req_table[] = {
	{ "GET /metrics HTTP/1.0\r\n\r\n", METRICS_REQ_OK },
	{ "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
	    METRICS_REQ_OK },
	{ "GET /metrics?name[]=x HTTP/1.1\r\n\r\n", METRICS_REQ_OK },
	{ "GET /metrics HTTP/1.0\n\n", METRICS_REQ_OK },
	{ "GET / HTTP/1.0\r\n\r\n", METRICS_REQ_NOT_FOUND },
	{ "GET /metricsx HTTP/1.0\r\n\r\n", METRICS_REQ_NOT_FOUND },
	{ "GET /metrics/ HTTP/1.0\r\n\r\n", METRICS_REQ_NOT_FOUND },
	{ "GET /Metrics HTTP/1.0\r\n\r\n", METRICS_REQ_NOT_FOUND },
	{ "POST /metrics HTTP/1.0\r\n\r\n", METRICS_REQ_BAD_METHOD },
	{ "HEAD /metrics HTTP/1.0\r\n\r\n", METRICS_REQ_BAD_METHOD },
	{ "get /metrics HTTP/1.0\r\n\r\n", METRICS_REQ_BAD_METHOD },
	{ "GET /metrics HTTP/1.0\r\n", METRICS_REQ_INCOMPLETE },
	{ "GET /metr", METRICS_REQ_INCOMPLETE },
	{ "", METRICS_REQ_INCOMPLETE },
	{ "GET /metrics\r\n\r\n", METRICS_REQ_BAD }, /* HTTP/0.9 */
	{ "GET /metrics HTTP/2.0\r\n\r\n", METRICS_REQ_BAD },
	{ "GET  /metrics HTTP/1.0\r\n\r\n", METRICS_REQ_BAD },
	{ " GET /metrics HTTP/1.0\r\n\r\n", METRICS_REQ_BAD },
	{ "G(T /metrics HTTP/1.0\r\n\r\n", METRICS_REQ_BAD },
	{ "\r\n\r\n", METRICS_REQ_BAD },
};

static void
test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(req_table) / sizeof(req_table[0]); i++) {
		enum metrics_req got = metrics_parse_request(req_table[i].req,
		    strlen(req_table[i].req));

		if (got != req_table[i].want)
			fail_msg("%zu \"%s\": got %s, want %s", i,
			    req_table[i].req, metrics_req_str(got),
			    metrics_req_str(req_table[i].want));
	}
}

/* A head that never ends is refused once it reaches the cap, not before. */
static void
test_parse_size_cap(void **state)
{
	static char buf[METRICS_MAX_REQUEST];

	(void)state;
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "GET /metrics HTTP/1.0\r\nX: ", 26);
	assert_int_equal(metrics_parse_request(buf, sizeof(buf) - 1),
	    METRICS_REQ_INCOMPLETE);
	assert_int_equal(metrics_parse_request(buf, sizeof(buf)),
	    METRICS_REQ_BAD);
}

static struct metrics_obj
obj(uint64_t key, uint64_t created, uint64_t rx)
{
	struct metrics_obj o = { .key = key, .created_ms = created };

	o.v[METRICS_CTR_RX_BYTES] = rx;
	o.v[METRICS_CTR_RETRANSMITS] = rx / 10;
	return o;
}

static uint64_t
round_rx(struct metrics_acc *a, const struct metrics_obj *objs, size_t n)
{
	uint64_t tot[METRICS_CTR__COUNT];
	struct metrics_obj o;

	metrics_acc_begin(a);
	for (size_t i = 0; i < n; i++) {
		o = objs[i];
		metrics_acc_add(a, &o);
	}
	metrics_acc_end(a, tot);
	assert_int_equal(tot[METRICS_CTR_TX_BYTES], 0);
	return tot[METRICS_CTR_RX_BYTES];
}

/* Totals never go down when objects disappear or IDs are reused. */
static void
test_acc_monotonic(void **state)
{
	struct metrics_acc a;
	struct metrics_obj r1[] = { obj(1, 100, 50), obj(2, 100, 70) };
	struct metrics_obj r2[] = { obj(2, 100, 80) }; /* 1 gone */
	/* ID 1 reused by a new object (another created_ms). */
	struct metrics_obj r3[] = { obj(1, 900, 5), obj(2, 100, 90) };
	struct metrics_obj r4[] = { obj(1, 900, 6) }; /* 2 gone */

	(void)state;
	metrics_acc_init(&a);
	assert_int_equal(round_rx(&a, NULL, 0), 0);
	assert_int_equal(round_rx(&a, r1, 2), 120);
	assert_int_equal(round_rx(&a, r2, 1), 50 + 80);
	assert_int_equal(round_rx(&a, r3, 2), 50 + 5 + 90);
	assert_int_equal(round_rx(&a, r4, 1), 50 + 90 + 6);
	assert_int_equal(round_rx(&a, NULL, 0), 50 + 90 + 6);
	metrics_acc_free(&a);
}

/* Many objects, added out of order: the merge needs no sorted input. */
static void
test_acc_many_unsorted(void **state)
{
	static struct metrics_obj r[1000];
	struct metrics_acc a;
	uint64_t sum = 0, first;

	(void)state;
	metrics_acc_init(&a);
	for (size_t i = 0; i < 1000; i++) {
		r[i] = obj((i * 7919) % 1000 + 1, 1, i);
		sum += i;
	}
	assert_int_equal(round_rx(&a, r, 1000), sum);
	/* Keep every other one, each grown by 1. */
	first = 0;
	for (size_t i = 0; i < 500; i++) {
		r[i] = r[2 * i];
		r[i].v[METRICS_CTR_RX_BYTES]++;
		first++;
	}
	assert_int_equal(round_rx(&a, r, 500), sum + first);
	metrics_acc_free(&a);
}

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static void
send_nothing(void *ctx, const struct l2tp_addr *local,
    const struct l2tp_addr *peer, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)local;
	(void)peer;
	(void)pkt;
	(void)len;
}

/* Every family is present with HELP/TYPE, zero values for an idle host,
 * and each sample line is "name{labels} value". */
static void
test_render(void **state)
{
	static const char *const want[] = {
		"# TYPE vpdn_tunnels gauge",
		"vpdn_tunnels{state=\"established\"} 0",
		"vpdn_tunnels{state=\"closing\"} 0",
		"# TYPE vpdn_sessions gauge",
		"vpdn_sessions{state=\"established\"} 0",
		"# TYPE vpdn_tunnels_created_total counter",
		"vpdn_tunnels_created_total 0",
		"vpdn_sessions_established_total 0",
		"# TYPE vpdn_drops_total counter",
		"vpdn_drops_total{reason=\"unknown-tunnel\"} 0",
		"vpdn_drops_total{reason=\"out-of-window\"} 0",
		"vpdn_stopccn_total{direction=\"sent\",result=\"1\"} 0",
		"vpdn_stopccn_total{direction=\"rcvd\",result=\"7\"} 0",
		"vpdn_cdn_total{direction=\"sent\",result=\"11\"} 0",
		"# TYPE vpdn_control_retransmits_total counter",
		"vpdn_control_retransmits_total 0",
		"vpdn_rx_bytes_total 0",
		"vpdn_tx_bytes_total 0",
		"# TYPE vpdn_policer_dropped_bytes_total counter",
		"vpdn_policer_dropped_bytes_total{direction=\"up\"} 0",
		"vpdn_policer_dropped_bytes_total{direction=\"down\"} 0",
		"# TYPE vpdn_policer_dropped_packets_total counter",
		"vpdn_policer_dropped_packets_total{direction=\"down\"} 0",
		"# TYPE vpdn_tun_drops_total counter",
		"vpdn_tun_drops_total{where=\"kernel-tx\"} 0",
		"vpdn_tun_drops_total{where=\"write-full\"} 0",
		"# TYPE vpdn_isolated_total counter",
		"vpdn_isolated_total 0",
	};
	struct l2tp_host_config hc;
	struct l2tp_host_ops ops = { .send = send_nothing };
	struct l2tp_host *h;
	struct metrics_acc a;
	struct strbuf out;

	(void)state;
	l2tp_host_config_defaults(&hc);
	h = l2tp_host_new(&hc, &ops, NULL);
	assert_non_null(h);
	metrics_acc_init(&a);
	for (int pass = 0; pass < 2; pass++) {
		strbuf_init(&out);
		metrics_render(&a, pass == 0 ? NULL : h, NULL, NULL, NULL,
		    &out);
		assert_false(out.err);
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			if (!has_line(strbuf_str(&out), want[i]))
				fail_msg("missing line \"%s\" in:\n%s", want[i],
				    strbuf_str(&out));
		assert_false(has_line(strbuf_str(&out),
		    "vpdn_stopccn_total{direction=\"sent\",result=\"0\"} 0"));
		/* no LAC: no PPPoE families */
		assert_null(strstr(strbuf_str(&out), "vpdn_pppoe_"));
		strbuf_free(&out);
	}
	metrics_acc_free(&a);
	l2tp_host_free(h);
}

/* Renders tun and pppoe alone and checks every line of want is there. */
static void
assert_rendered(const struct ctl_tun_stats *ts,
    const struct ctl_pppoe_stats *pp, const char *const *want, size_t nwant)
{
	struct metrics_acc a;
	struct strbuf out;

	metrics_acc_init(&a);
	strbuf_init(&out);
	metrics_render(&a, NULL, ts, pp, NULL, &out);
	assert_false(out.err);
	for (size_t i = 0; i < nwant; i++)
		if (!has_line(strbuf_str(&out), want[i]))
			fail_msg("missing line \"%s\" in:\n%s", want[i],
			    strbuf_str(&out));
	strbuf_free(&out);
	metrics_acc_free(&a);
}

/* The TUN counters, each under its own label. */
static void
test_render_tun(void **state)
{
	struct ctl_tun_stats ts = {
		.kernel_tx_dropped = 11,
		.kernel_rx_dropped = 12,
		.write_full = 13,
		.write_errors = 14,
		.isolated = 15,
	};
	static const char *const want[] = {
		"vpdn_tun_drops_total{where=\"kernel-tx\"} 11",
		"vpdn_tun_drops_total{where=\"kernel-rx\"} 12",
		"vpdn_tun_drops_total{where=\"write-full\"} 13",
		"vpdn_tun_drops_total{where=\"write-error\"} 14",
		"vpdn_isolated_total 15",
	};

	(void)state;
	assert_rendered(&ts, NULL, want, sizeof(want) / sizeof(want[0]));
}

/* A LAC's PPPoE counters: the refusals an operator watches in a dial-in
 * storm (expired cookies, the per-MAC limit) each have a series. */
static void
test_render_pppoe(void **state)
{
	static const char *const want[] = {
		"# TYPE vpdn_pppoe_sessions gauge",
		"vpdn_pppoe_sessions 12",
		"# TYPE vpdn_pppoe_discovery_total counter",
		"vpdn_pppoe_discovery_total{code=\"PADI\",direction=\"rx\"} 40",
		"vpdn_pppoe_discovery_total{code=\"PADT\",direction=\"tx\"} 2",
		"vpdn_pppoe_pads_refused_total 3",
		"# TYPE vpdn_pppoe_refused_mac_limit_total counter",
		"vpdn_pppoe_refused_mac_limit_total 5",
		"vpdn_pppoe_drops_total{reason=\"bad-cookie\"} 7",
		"vpdn_pppoe_drops_total{reason=\"rate-limited\"} 9",
	};
	struct ctl_pppoe_stats pp;

	(void)state;
	memset(&pp, 0, sizeof(pp));
	pp.sessions = 12;
	pp.st.padi_rx = 40;
	pp.st.padt_tx = 2;
	pp.st.pads_refused = 3;
	pp.st.refused_mac_limit = 5;
	pp.st.drops[PPPOE_SRV_DROP_BAD_COOKIE] = 7;
	pp.st.drops[PPPOE_SRV_DROP_RATE_LIMITED] = 9;
	assert_rendered(NULL, &pp, want, sizeof(want) / sizeof(want[0]));
}

/* The LNS's pool: size and used as one gauge family (the alerting rule
 * "pool nearly empty" divides them), refusals as a counter. */
static void
test_render_pool(void **state)
{
	struct ctl_pool_stats ps = { .size = 241, .used = 230, .refused = 4 };
	struct strbuf out;

	(void)state;
	strbuf_init(&out);
	metrics_render_pool(&ps, &out);
	assert_non_null(
	    strstr(strbuf_str(&out), "# TYPE vpdn_pool_addresses gauge\n"));
	assert_non_null(strstr(strbuf_str(&out),
	    "vpdn_pool_addresses{state=\"size\"} 241\n"));
	assert_non_null(strstr(strbuf_str(&out),
	    "vpdn_pool_addresses{state=\"used\"} 230\n"));
	assert_non_null(strstr(strbuf_str(&out),
	    "# TYPE vpdn_pool_refused_total counter\n"
	    "vpdn_pool_refused_total 4\n"));
	strbuf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_size_cap),
		cmocka_unit_test(test_acc_monotonic),
		cmocka_unit_test(test_acc_many_unsorted),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_tun),
		cmocka_unit_test(test_render_pppoe),
		cmocka_unit_test(test_render_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
