/*
 * fp_drive.c — holds the kernel fast path loaded for a measurement, before
 * vpdnd drives it: loads the programs, allows the exits, attaches, enters
 * one session, waits for SIGTERM, prints the programs' counters, detaches.
 *
 *   fp_drive --decap IF --encap IF --egress IF... --our T/S --peer-ids T/S
 *            --peer IP:PORT --local IP:PORT --inner IP
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataplane/fastpath.h"

static volatile sig_atomic_t stop;

static void
on_sig(int sig)
{
	(void)sig;
	stop = 1;
}

static int
addr_port(const char *s, struct in_addr *a, uint16_t *port)
{
	char buf[64], *c;

	(void)snprintf(buf, sizeof(buf), "%s", s);
	if ((c = strchr(buf, ':')) == NULL)
		return -1;
	*c = '\0';
	*port = (uint16_t)atoi(c + 1);
	return inet_pton(AF_INET, buf, a) == 1 ? 0 : -1;
}

static int
ids(const char *s, uint16_t *t, uint16_t *sid)
{
	unsigned a, b;

	if (sscanf(s, "%u/%u", &a, &b) != 2)
		return -1;
	*t = (uint16_t)a;
	*sid = (uint16_t)b;
	return 0;
}

int
main(int argc, char **argv)
{
	struct fastpath *fp;
	struct fastpath_session s;
	uint64_t c[FP_COUNTER_MAX];
	char why[256];
	int i, ifx, bad = 0;

	memset(&s, 0, sizeof(s));
	s.rx_acfc = s.rx_pfc = true;
	if (fastpath_open(&fp, NULL, why, sizeof(why)) != 0) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	for (i = 1; i + 1 < argc; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];

		ifx = (int)if_nametoindex(v);
		if (strcmp(o, "--decap") == 0)
			bad |= fastpath_attach(fp, ifx, FASTPATH_DECAP, why,
			    sizeof(why));
		else if (strcmp(o, "--encap") == 0)
			bad |= fastpath_attach(fp, ifx, FASTPATH_ENCAP, why,
			    sizeof(why));
		else if (strcmp(o, "--encap-l3") == 0)
			bad |= fastpath_attach(fp, ifx, FASTPATH_ENCAP_L3, why,
			    sizeof(why));
		else if (strcmp(o, "--egress") == 0)
			bad |= fastpath_allow_egress(fp, ifx, why,
			    sizeof(why));
		else if (strcmp(o, "--our") == 0)
			bad |= ids(v, &s.our_tunnel_id, &s.our_session_id);
		else if (strcmp(o, "--peer-ids") == 0)
			bad |= ids(v, &s.peer_tunnel_id, &s.peer_session_id);
		else if (strcmp(o, "--peer") == 0)
			bad |= addr_port(v, &s.peer_addr, &s.peer_port);
		else if (strcmp(o, "--local") == 0)
			bad |= addr_port(v, &s.local_addr, &s.local_port);
		else if (strcmp(o, "--inner") == 0)
			bad |= inet_pton(AF_INET, v, &s.inner_addr) == 1 ? 0 : -1;
		else
			bad = -1;
		if (bad) {
			fprintf(stderr, "fp_drive: %s %s: %s\n", o, v, why);
			fastpath_close(fp);
			return 1;
		}
	}
	if (fastpath_session_add(fp, &s, why, sizeof(why)) != 0) {
		fprintf(stderr, "%s\n", why);
		fastpath_close(fp);
		return 1;
	}
	(void)signal(SIGTERM, on_sig);
	(void)signal(SIGINT, on_sig);
	printf("ready\n");
	(void)fflush(stdout);
	while (!stop)
		(void)pause();
	if (fastpath_global_counters(fp, c, why, sizeof(why)) == 0)
		for (i = 0; i < FP_COUNTER_MAX; i++)
			if (c[i] != 0)
				printf("%s=%llu\n",
				    fastpath_counter_name((enum fp_counter)i),
				    (unsigned long long)c[i]);
	fastpath_close(fp);
	return 0;
}
