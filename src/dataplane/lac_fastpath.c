/*
 * lac_fastpath.c — the libbpf side of the LAC's kernel fast path (see
 * lac_fastpath.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dataplane/bpf_owner.h"
#include "dataplane/lac_fastpath.h"
#include "dataplane/lac_fastpath_skel.h"

#define DEFAULT_MAX_CALLS 4096

struct lac_fastpath {
	struct lac_fastpath_bpf *skel;
	int ncpu;
	uint32_t prog_id;
	int *att; /* ifindexes with our filter */
	size_t natt, catt;
};

static void say(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* libbpf's first warning of a failed load says why; nothing reaches
 * stderr behind the daemon's logging (as in fastpath.c). */
static char first_warn[160];

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
    va_list ap) __attribute__((format(printf, 2, 0)));

static int
libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[sizeof(first_warn)];
	char *nl;

	if (level != LIBBPF_WARN || first_warn[0] != '\0')
		return 0;
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	if ((nl = strchr(line, '\n')) != NULL)
		*nl = '\0';
	(void)snprintf(first_warn, sizeof(first_warn), "%s", line);
	return 0;
}

int
lac_fastpath_prog_fd(const struct lac_fastpath *lfp)
{
	return bpf_program__fd(lfp->skel->progs.vpdn_lac_fp);
}

int
lac_fastpath_open(struct lac_fastpath **lfpp, unsigned max_calls, char *why,
    size_t whylen)
{
	struct lac_fastpath *lfp;
	struct lfp_owner own = { .pid = (uint32_t)getpid() };
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), k = 0;
	uint64_t start;
	unsigned max = max_calls != 0 ? max_calls : DEFAULT_MAX_CALLS;
	int err, pfd;

	*lfpp = NULL;
	if ((lfp = calloc(1, sizeof(*lfp))) == NULL) {
		say(why, whylen, "LAC fast path: out of memory");
		return -1;
	}
	first_warn[0] = '\0';
	(void)libbpf_set_print(libbpf_quiet);
	if ((lfp->ncpu = libbpf_num_possible_cpus()) <= 0) {
		say(why, whylen, "LAC fast path: cannot count CPUs");
		free(lfp);
		return -1;
	}
	if ((lfp->skel = lac_fastpath_skel_open()) == NULL) {
		say(why, whylen, "LAC fast path: opening the program: %s",
		    strerror(errno));
		free(lfp);
		return -1;
	}
	if (bpf_map__set_max_entries(lfp->skel->maps.lfp_up, max) != 0 ||
	    bpf_map__set_max_entries(lfp->skel->maps.lfp_down, max) != 0 ||
	    bpf_map__set_max_entries(lfp->skel->maps.lfp_stats, max) != 0) {
		say(why, whylen, "LAC fast path: sizing the maps failed");
		goto fail;
	}
	if ((err = lac_fastpath_skel_load(lfp->skel)) != 0) {
		say(why, whylen, "LAC fast path: loading the program: %s%s%s",
		    strerror(-err), first_warn[0] ? ": " : "", first_warn);
		goto fail;
	}
	pfd = lac_fastpath_prog_fd(lfp);
	memset(&info, 0, sizeof(info));
	/* The program never reads lfp_owner; binding it makes it one of
	 * its maps, where a later run finds it from the filter alone. */
	if (bpf_prog_bind_map(pfd, bpf_map__fd(lfp->skel->maps.lfp_owner),
		NULL) != 0 ||
	    bpf_obj_get_info_by_fd(pfd, &info, &len) != 0 ||
	    bpf_owner_start_time(getpid(), &start) != 0)
		goto fail_owner;
	own.start_time = start;
	if (bpf_map__update_elem(lfp->skel->maps.lfp_owner, &k, sizeof(k), &own,
		sizeof(own), BPF_ANY) != 0)
		goto fail_owner;
	lfp->prog_id = info.id;
	*lfpp = lfp;
	return 0;
fail_owner:
	say(why, whylen, "LAC fast path: recording the owner: %s",
	    strerror(errno));
fail:
	lac_fastpath_skel_destroy(lfp->skel);
	free(lfp);
	return -1;
}

static void
tc_init(struct bpf_tc_hook *th, struct bpf_tc_opts *to, int ifindex)
{
	memset(th, 0, sizeof(*th));
	th->sz = sizeof(*th);
	th->ifindex = ifindex;
	th->attach_point = BPF_TC_INGRESS;
	memset(to, 0, sizeof(*to));
	to->sz = sizeof(*to);
	to->handle = LAC_FASTPATH_TC_HANDLE;
	to->priority = LAC_FASTPATH_TC_PRIO;
}

int
lac_fastpath_remove_stale(int ifindex, char *why, size_t whylen)
{
	struct bpf_tc_hook th;
	struct bpf_tc_opts to;
	struct bpf_prog_info pi;
	uint32_t len = sizeof(pi), pid;
	uint64_t start;
	int fd, rc;

	(void)libbpf_set_print(libbpf_quiet);
	tc_init(&th, &to, ifindex);
	rc = bpf_tc_query(&th, &to);
	/* No clsact qdisc (EINVAL) or nothing at our handle (ENOENT). */
	if (rc == -ENOENT || rc == -EINVAL)
		return 0;
	if (rc != 0) {
		say(why, whylen, "LAC fast path: querying ifindex %d: %s",
		    ifindex, strerror(-rc));
		return -1;
	}
	if ((fd = bpf_prog_get_fd_by_id(to.prog_id)) < 0) {
		say(why, whylen, "LAC fast path: program %u: %s", to.prog_id,
		    strerror(errno));
		return -1;
	}
	memset(&pi, 0, sizeof(pi));
	rc = bpf_obj_get_info_by_fd(fd, &pi, &len);
	if (rc == 0 && strcmp(pi.name, LFP_PROG) != 0) {
		say(why, whylen,
		    "LAC fast path: ifindex %d has a foreign filter (program "
		    "%s) at handle %#x priority %#x",
		    ifindex, pi.name, LAC_FASTPATH_TC_HANDLE,
		    LAC_FASTPATH_TC_PRIO);
		(void)close(fd);
		return 0;
	}
	if (rc == 0)
		rc = bpf_owner_of_prog(fd, "lfp_owner", &pid, &start);
	(void)close(fd);
	if (rc != 0) {
		say(why, whylen,
		    "LAC fast path: ifindex %d: program %u has no owner "
		    "record: left alone",
		    ifindex, to.prog_id);
		return 0;
	}
	if (bpf_owner_alive(pid, start)) {
		say(why, whylen,
		    "LAC fast path: ifindex %d is in use by running process %u",
		    ifindex, pid);
		return 0;
	}
	tc_init(&th, &to, ifindex);
	if ((rc = bpf_tc_detach(&th, &to)) != 0) {
		say(why, whylen,
		    "LAC fast path: removing the stale filter of process %u "
		    "at ifindex %d: %s",
		    pid, ifindex, strerror(-rc));
		return -1;
	}
	return 1;
}

int
lac_fastpath_attach(struct lac_fastpath *lfp, int ifindex, char *why,
    size_t whylen)
{
	struct bpf_tc_hook th;
	struct bpf_tc_opts to;
	int rc;

	for (size_t i = 0; i < lfp->natt; i++)
		if (lfp->att[i] == ifindex)
			return 0;
	if (lfp->natt == lfp->catt) {
		size_t n = lfp->catt != 0 ? lfp->catt * 2 : 4;
		int *na = realloc(lfp->att, n * sizeof(*na));

		if (na == NULL) {
			say(why, whylen, "LAC fast path: out of memory");
			return -1;
		}
		lfp->att = na;
		lfp->catt = n;
	}
	tc_init(&th, &to, ifindex);
	/* A clsact qdisc already there (the LNS's, or anyone's) stays. */
	rc = bpf_tc_hook_create(&th);
	if (rc != 0 && rc != -EEXIST) {
		say(why, whylen, "LAC fast path: clsact on ifindex %d: %s",
		    ifindex, strerror(-rc));
		return -1;
	}
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (lac_fastpath_remove_stale(ifindex, why, whylen) < 0)
		return -1;
	tc_init(&th, &to, ifindex);
	to.prog_fd = lac_fastpath_prog_fd(lfp);
	if ((rc = bpf_tc_attach(&th, &to)) != 0) {
		if (rc != -EEXIST || why == NULL || why[0] == '\0')
			say(why, whylen,
			    "LAC fast path: attaching to ifindex %d: %s",
			    ifindex, strerror(-rc));
		return -1;
	}
	lfp->att[lfp->natt++] = ifindex;
	return 0;
}

/* Our filter off ifindex, unless it is gone with its interface or was
 * replaced by someone else's. */
static void
detach(struct lac_fastpath *lfp, int ifindex)
{
	struct bpf_tc_hook th;
	struct bpf_tc_opts to;
	int rc;

	tc_init(&th, &to, ifindex);
	rc = bpf_tc_query(&th, &to);
	if (rc != 0 || to.prog_id != lfp->prog_id)
		return;
	tc_init(&th, &to, ifindex);
	(void)bpf_tc_detach(&th, &to);
}

void
lac_fastpath_close(struct lac_fastpath *lfp)
{
	if (lfp == NULL)
		return;
	while (lfp->natt > 0)
		detach(lfp, lfp->att[--lfp->natt]);
	free(lfp->att);
	lac_fastpath_skel_destroy(lfp->skel);
	free(lfp);
}

int
lac_fastpath_allow_egress(struct lac_fastpath *lfp, int ifindex, char *why,
    size_t whylen)
{
	uint32_t k = (uint32_t)ifindex, v = 1;
	int rc = bpf_map__update_elem(lfp->skel->maps.lfp_egress, &k, sizeof(k),
	    &v, sizeof(v), BPF_ANY);

	if (rc != 0) {
		say(why, whylen,
		    "LAC fast path: allowing egress ifindex %d: %s", ifindex,
		    strerror(-rc));
		return -1;
	}
	return 0;
}

/* ---- calls ---- */

static void
keys_of(const struct lac_fastpath_call *c, struct lfp_up_key *uk,
    struct lfp_l2tp_key *dk)
{
	memset(uk, 0, sizeof(*uk));
	uk->ifindex = (uint32_t)c->access_ifindex;
	uk->session_id = htons(c->pppoe_sid);
	memcpy(uk->mac, c->user_mac, sizeof(uk->mac));
	dk->tunnel_id = htons(c->our_tunnel_id);
	dk->session_id = htons(c->our_session_id);
}

static void
values_of(const struct lac_fastpath_call *c, struct lfp_up_val *uv,
    struct lfp_down_val *dv)
{
	memset(uv, 0, sizeof(*uv));
	memcpy(uv->our_mac, c->our_mac, sizeof(uv->our_mac));
	uv->max_ppp = htons(c->max_ppp);
	uv->peer_addr = c->peer_addr.s_addr;
	uv->local_addr = c->local_addr.s_addr;
	uv->peer_port = htons(c->peer_port);
	uv->local_port = htons(c->local_port);
	uv->peer_tunnel_id = htons(c->peer_tunnel_id);
	uv->peer_session_id = htons(c->peer_session_id);
	uv->stats_key.tunnel_id = htons(c->our_tunnel_id);
	uv->stats_key.session_id = htons(c->our_session_id);
	uv->egress_ifindex = (uint32_t)c->l2tp_ifindex;
	memset(dv, 0, sizeof(*dv));
	dv->peer_addr = c->peer_addr.s_addr;
	dv->local_addr = c->local_addr.s_addr;
	dv->peer_port = htons(c->peer_port);
	dv->local_port = htons(c->local_port);
	dv->ifindex = (uint32_t)c->access_ifindex;
	memcpy(dv->user_mac, c->user_mac, sizeof(dv->user_mac));
	memcpy(dv->our_mac, c->our_mac, sizeof(dv->our_mac));
	dv->pppoe_sid = htons(c->pppoe_sid);
	dv->max_ppp = htons(c->max_ppp);
}

static const char *
map_err(int rc)
{
	switch (rc) {
	case -EEXIST:
		return "already in the fast path";
	case -ENOENT:
		return "not in the fast path";
	case -E2BIG:
		return "fast path maps full";
	default:
		return strerror(-rc);
	}
}

int
lac_fastpath_call_add(struct lac_fastpath *lfp,
    const struct lac_fastpath_call *c, char *why, size_t whylen)
{
	struct lfp_up_key uk;
	struct lfp_l2tp_key dk;
	struct lfp_up_val uv;
	struct lfp_down_val dv;
	struct lfp_stats *zero;
	int rc;

	if (c->access_ifindex <= 0 || c->peer_addr.s_addr == 0 ||
	    c->local_addr.s_addr == 0 || c->peer_port == 0 ||
	    c->local_port == 0) {
		say(why, whylen,
		    "LAC fast path: call %u/%u: incomplete "
		    "addresses",
		    c->our_tunnel_id, c->our_session_id);
		return -1;
	}
	keys_of(c, &uk, &dk);
	values_of(c, &uv, &dv);
	if ((zero = calloc((size_t)lfp->ncpu, sizeof(*zero))) == NULL) {
		say(why, whylen, "LAC fast path: out of memory");
		return -1;
	}
	/* Counters first, so the first frame carried is counted. */
	rc = bpf_map__update_elem(lfp->skel->maps.lfp_stats, &dk, sizeof(dk),
	    zero, (size_t)lfp->ncpu * sizeof(*zero), BPF_NOEXIST);
	free(zero);
	if (rc != 0)
		goto fail;
	rc = bpf_map__update_elem(lfp->skel->maps.lfp_down, &dk, sizeof(dk),
	    &dv, sizeof(dv), BPF_NOEXIST);
	if (rc != 0)
		goto fail_stats;
	rc = bpf_map__update_elem(lfp->skel->maps.lfp_up, &uk, sizeof(uk), &uv,
	    sizeof(uv), BPF_NOEXIST);
	if (rc != 0)
		goto fail_down;
	return 0;
fail_down:
	(void)bpf_map__delete_elem(lfp->skel->maps.lfp_down, &dk, sizeof(dk),
	    0);
fail_stats:
	(void)bpf_map__delete_elem(lfp->skel->maps.lfp_stats, &dk, sizeof(dk),
	    0);
fail:
	say(why, whylen, "LAC fast path: call %u/%u (PPPoE %u): %s",
	    c->our_tunnel_id, c->our_session_id, c->pppoe_sid, map_err(rc));
	return -1;
}

int
lac_fastpath_call_update(struct lac_fastpath *lfp,
    const struct lac_fastpath_call *c, char *why, size_t whylen)
{
	struct lfp_up_key uk;
	struct lfp_l2tp_key dk;
	struct lfp_up_val uv;
	struct lfp_down_val dv;
	int rc;

	keys_of(c, &uk, &dk);
	values_of(c, &uv, &dv);
	rc = bpf_map__update_elem(lfp->skel->maps.lfp_down, &dk, sizeof(dk),
	    &dv, sizeof(dv), BPF_EXIST);
	if (rc == 0)
		rc = bpf_map__update_elem(lfp->skel->maps.lfp_up, &uk,
		    sizeof(uk), &uv, sizeof(uv), BPF_EXIST);
	if (rc != 0) {
		say(why, whylen, "LAC fast path: updating call %u/%u: %s",
		    c->our_tunnel_id, c->our_session_id, map_err(rc));
		return -1;
	}
	return 0;
}

static int
read_stats(struct lac_fastpath *lfp, const struct lfp_l2tp_key *k,
    struct fastpath_counters *c)
{
	struct lfp_stats *v;
	int rc, i;

	if ((v = calloc((size_t)lfp->ncpu, sizeof(*v))) == NULL)
		return -ENOMEM;
	rc = bpf_map__lookup_elem(lfp->skel->maps.lfp_stats, k, sizeof(*k), v,
	    (size_t)lfp->ncpu * sizeof(*v), 0);
	memset(c, 0, sizeof(*c));
	for (i = 0; rc == 0 && i < lfp->ncpu; i++) {
		c->rx_packets += v[i].up_packets;
		c->rx_bytes += v[i].up_bytes;
		c->tx_packets += v[i].down_packets;
		c->tx_bytes += v[i].down_bytes;
	}
	free(v);
	return rc;
}

int
lac_fastpath_call_remove(struct lac_fastpath *lfp,
    const struct lac_fastpath_call *c, struct fastpath_counters *final,
    char *why, size_t whylen)
{
	struct lfp_up_key uk;
	struct lfp_l2tp_key dk;
	struct fastpath_counters ctr;
	int rc_up, rc_down, rc_st;

	keys_of(c, &uk, &dk);
	/* Both directions, then the counters.  A frame the program looked
	 * up just before a delete may still leave: it carries a copy of the
	 * map value, never a pointer into the daemon, so the caller may
	 * free its state on return. */
	rc_up = bpf_map__delete_elem(lfp->skel->maps.lfp_up, &uk, sizeof(uk),
	    0);
	rc_down = bpf_map__delete_elem(lfp->skel->maps.lfp_down, &dk,
	    sizeof(dk), 0);
	rc_st = read_stats(lfp, &dk, &ctr);
	if (rc_st == 0)
		rc_st = bpf_map__delete_elem(lfp->skel->maps.lfp_stats, &dk,
		    sizeof(dk), 0);
	if (final != NULL)
		*final = rc_st == 0 ? ctr : (struct fastpath_counters){ 0 };
	if (rc_up != 0 || rc_down != 0 || rc_st != 0) {
		say(why, whylen, "LAC fast path: removing call %u/%u: %s",
		    c->our_tunnel_id, c->our_session_id,
		    map_err(rc_up   ? rc_up :
			    rc_down ? rc_down :
				      rc_st));
		return -1;
	}
	return 0;
}

int
lac_fastpath_call_counters(struct lac_fastpath *lfp, uint16_t our_tunnel_id,
    uint16_t our_session_id, struct fastpath_counters *c, char *why,
    size_t whylen)
{
	struct lfp_l2tp_key k = {
		.tunnel_id = htons(our_tunnel_id),
		.session_id = htons(our_session_id),
	};
	int rc;

	if ((rc = read_stats(lfp, &k, c)) != 0) {
		say(why, whylen, "LAC fast path: counters of call %u/%u: %s",
		    our_tunnel_id, our_session_id, map_err(rc));
		return -1;
	}
	return 0;
}

int
lac_fastpath_global_counters(struct lac_fastpath *lfp,
    uint64_t out[LFP_COUNTER_MAX], char *why, size_t whylen)
{
	uint64_t *v;
	uint32_t k;
	int rc = 0, i;

	if ((v = calloc((size_t)lfp->ncpu, sizeof(*v))) == NULL) {
		say(why, whylen, "LAC fast path: out of memory");
		return -1;
	}
	for (k = 0; k < LFP_COUNTER_MAX && rc == 0; k++) {
		rc = bpf_map__lookup_elem(lfp->skel->maps.lfp_global, &k,
		    sizeof(k), v, (size_t)lfp->ncpu * sizeof(*v), 0);
		out[k] = 0;
		for (i = 0; rc == 0 && i < lfp->ncpu; i++)
			out[k] += v[i];
	}
	free(v);
	if (rc != 0) {
		say(why, whylen, "LAC fast path: reading counters: %s",
		    strerror(-rc));
		return -1;
	}
	return 0;
}

const char *
lac_fastpath_counter_name(enum lfp_counter c)
{
	static const char *const names[LFP_COUNTER_MAX] = {
		[LFP_UP_ENCAP] = "lac_up_encap",
		[LFP_UP_PASS_NO_SESSION] = "lac_up_pass_no_session",
		[LFP_UP_PASS_WRONG_MAC] = "lac_up_pass_wrong_mac",
		[LFP_UP_PASS_MALFORMED] = "lac_up_pass_malformed",
		[LFP_UP_PASS_PPP] = "lac_up_pass_ppp",
		[LFP_UP_PASS_TOO_BIG] = "lac_up_pass_too_big",
		[LFP_UP_PASS_ROUTE] = "lac_up_pass_route",
		[LFP_UP_PASS_GSO] = "lac_up_pass_gso",
		[LFP_DOWN_DECAP] = "lac_down_decap",
		[LFP_DOWN_PASS_NOT_L2TP] = "lac_down_pass_not_l2tp",
		[LFP_DOWN_PASS_CONTROL] = "lac_down_pass_control",
		[LFP_DOWN_PASS_SEQ] = "lac_down_pass_sequenced",
		[LFP_DOWN_PASS_MALFORMED] = "lac_down_pass_malformed",
		[LFP_DOWN_PASS_NO_SESSION] = "lac_down_pass_no_session",
		[LFP_DOWN_PASS_WRONG_PEER] = "lac_down_pass_wrong_peer",
		[LFP_DOWN_PASS_PPP] = "lac_down_pass_ppp",
		[LFP_DOWN_PASS_TOO_BIG] = "lac_down_pass_too_big",
		[LFP_DOWN_PASS_GSO] = "lac_down_pass_gso",
		[LFP_PASS_OTHER] = "lac_pass_other",
		[LFP_PASS_HELPER] = "lac_pass_helper_refused",
		[LFP_DROP_HELPER] = "lac_drop_helper_failed",
	};

	return (unsigned)c < LFP_COUNTER_MAX ? names[c] : "unknown";
}
