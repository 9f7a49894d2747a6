/*
 * fastpath.c — the libbpf side of the kernel fast path (see fastpath.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dataplane/bpf_owner.h"
#include "dataplane/fastpath.h"
#include "dataplane/bpf/policer.h"
#include "dataplane/fastpath_skel.h"

#define DEFAULT_MAX_SESSIONS 4096

struct fastpath_attachment {
	int ifindex;
	enum fastpath_hook hook;
};

struct fastpath {
	struct fastpath_bpf *skel;
	int ncpu;
	uint32_t prog_id[FASTPATH_HOOK_MAX];
	struct fastpath_attachment *att;
	size_t natt, catt;
	bool veth_gso; /* fastpath_opts.veth_gso */
};

static const char *const prog_names[FASTPATH_HOOK_MAX] = {
	[FASTPATH_DECAP] = FP_PROG_DECAP,
	[FASTPATH_ENCAP] = FP_PROG_ENCAP,
	[FASTPATH_ENCAP_L3] = FP_PROG_ENCAP_L3,
	[FASTPATH_CLI_ENC] = FP_PROG_CLI_ENC,
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

/*
 * libbpf reports through a process-wide print callback.  The first warning
 * of a failed load is the one that says why (no capability, the verifier's
 * refusal, a missing kernel feature); it is kept for `why`, and nothing
 * reaches stderr behind the daemon's logging.
 */
static char libbpf_first_warn[160];

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
    va_list ap) __attribute__((format(printf, 2, 0)));

static int
libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[sizeof(libbpf_first_warn)];
	char *nl;

	if (level != LIBBPF_WARN || libbpf_first_warn[0] != '\0')
		return 0;
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	if ((nl = strchr(line, '\n')) != NULL)
		*nl = '\0';
	(void)snprintf(libbpf_first_warn, sizeof(libbpf_first_warn), "%s",
	    line);
	return 0;
}

static int
hook_point(enum fastpath_hook hook, enum bpf_tc_attach_point *ap)
{
	switch (hook) {
	case FASTPATH_DECAP:
	case FASTPATH_ENCAP:
		*ap = BPF_TC_INGRESS;
		return 0;
	case FASTPATH_ENCAP_L3:
	case FASTPATH_CLI_ENC:
		*ap = BPF_TC_EGRESS;
		return 0;
	case FASTPATH_HOOK_MAX:
		break;
	}
	return -1;
}

static struct bpf_program *
hook_prog(const struct fastpath *fp, enum fastpath_hook hook)
{
	switch (hook) {
	case FASTPATH_DECAP:
		return fp->skel->progs.vpdn_fp_decap;
	case FASTPATH_ENCAP:
		return fp->skel->progs.vpdn_fp_encap;
	case FASTPATH_ENCAP_L3:
		return fp->skel->progs.vpdn_fp_enc_l3;
	case FASTPATH_CLI_ENC:
		return fp->skel->progs.vpdn_fp_cli_enc;
	case FASTPATH_HOOK_MAX:
		break;
	}
	return NULL;
}

int
fastpath_prog_fd(const struct fastpath *fp, enum fastpath_hook hook)
{
	const struct bpf_program *p = hook_prog(fp, hook);

	return p == NULL ? -1 : bpf_program__fd(p);
}

static int
set_owner(struct fastpath *fp)
{
	struct fp_owner o = { .pid = (uint32_t)getpid() };
	uint64_t start;
	uint32_t k = 0;

	if (bpf_owner_start_time(getpid(), &start) != 0)
		return -1;
	o.start_time = start;
	return bpf_map__update_elem(fp->skel->maps.fp_owner, &k, sizeof(k), &o,
	    sizeof(o), BPF_ANY);
}

static int
prog_id_of(int fd, uint32_t *id)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
		return -1;
	*id = info.id;
	return 0;
}

int
fastpath_open(struct fastpath **fpp, const struct fastpath_opts *o, char *why,
    size_t whylen)
{
	struct fastpath *fp;
	unsigned max = (o != NULL && o->max_sessions != 0) ?
	    o->max_sessions :
	    DEFAULT_MAX_SESSIONS;
	int h, err;

	*fpp = NULL;
	if ((fp = calloc(1, sizeof(*fp))) == NULL) {
		say(why, whylen, "fast path: out of memory");
		return -1;
	}
	fp->veth_gso = o != NULL && o->veth_gso;
	libbpf_first_warn[0] = '\0';
	(void)libbpf_set_print(libbpf_print);
	if ((fp->ncpu = libbpf_num_possible_cpus()) <= 0) {
		say(why, whylen, "fast path: cannot count CPUs: %s",
		    strerror(-fp->ncpu));
		free(fp);
		return -1;
	}
	if ((fp->skel = fastpath_skel_open()) == NULL) {
		say(why, whylen, "fast path: opening the programs: %s",
		    strerror(errno));
		free(fp);
		return -1;
	}
	if (bpf_map__set_max_entries(fp->skel->maps.fp_rx, max) != 0 ||
	    bpf_map__set_max_entries(fp->skel->maps.fp_tx, max) != 0 ||
	    bpf_map__set_max_entries(fp->skel->maps.fp_cli_tx, max) != 0 ||
	    bpf_map__set_max_entries(fp->skel->maps.fp_tx6, 2 * max) != 0 ||
	    bpf_map__set_max_entries(fp->skel->maps.fp_stats, max) != 0 ||
	    bpf_map__set_max_entries(fp->skel->maps.fp_police, max) != 0) {
		say(why, whylen,
		    "fast path: sizing the maps for %u sessions "
		    "failed",
		    max);
		goto fail;
	}
	if ((err = fastpath_skel_load(fp->skel)) != 0) {
		say(why, whylen, "fast path: loading the programs: %s%s%s",
		    strerror(-err), libbpf_first_warn[0] ? ": " : "",
		    libbpf_first_warn);
		goto fail;
	}
	/* The programs never read fp_owner; binding it makes it one of
	 * their maps, where a later run finds it from the filter alone. */
	for (h = 0; h < FASTPATH_HOOK_MAX; h++) {
		int pfd = fastpath_prog_fd(fp, (enum fastpath_hook)h);

		if (bpf_prog_bind_map(pfd, bpf_map__fd(fp->skel->maps.fp_owner),
			NULL) != 0 ||
		    prog_id_of(pfd, &fp->prog_id[h]) != 0) {
			say(why, whylen,
			    "fast path: binding the owner map: "
			    "%s",
			    strerror(errno));
			goto fail;
		}
	}
	if (set_owner(fp) != 0) {
		say(why, whylen, "fast path: recording the owner: %s",
		    strerror(errno));
		goto fail;
	}
	*fpp = fp;
	return 0;
fail:
	fastpath_skel_destroy(fp->skel);
	free(fp);
	return -1;
}

static void
tc_hook_init(struct bpf_tc_hook *th, int ifindex, enum bpf_tc_attach_point ap)
{
	memset(th, 0, sizeof(*th));
	th->sz = sizeof(*th);
	th->ifindex = ifindex;
	th->attach_point = ap;
}

static void
tc_opts_init(struct bpf_tc_opts *to, enum fastpath_hook hook)
{
	memset(to, 0, sizeof(*to));
	to->sz = sizeof(*to);
	to->handle = FASTPATH_TC_HANDLE;
	to->priority = fastpath_tc_prio(hook);
}

unsigned
fastpath_tc_prio(enum fastpath_hook hook)
{
	/* vpdn_fp_encap runs first where both programs share an ingress:
	 * what it does not take goes on to vpdn_fp_decap (TC_ACT_UNSPEC),
	 * whereas vpdn_fp_decap ends the chain for what it leaves alone. */
	return hook == FASTPATH_ENCAP ? FASTPATH_TC_PRIO_ENCAP :
					FASTPATH_TC_PRIO;
}

int
fastpath_remove_stale(int ifindex, enum fastpath_hook hook, char *why,
    size_t whylen)
{
	enum bpf_tc_attach_point ap;
	struct bpf_tc_hook th;
	struct bpf_tc_opts to;
	struct bpf_prog_info pi;
	uint32_t owner_pid;
	uint64_t owner_start;
	uint32_t len = sizeof(pi);
	int fd, rc, h;
	bool ours = false;

	if (hook_point(hook, &ap) != 0) {
		say(why, whylen, "fast path: no such hook %d", (int)hook);
		return -1;
	}
	/* libbpf prints netlink's complaints to stderr unless told where
	 * to ("Parent Qdisc doesn't exists" for every interface without a
	 * clsact qdisc): that is no news here. */
	(void)libbpf_set_print(libbpf_print);
	tc_hook_init(&th, ifindex, ap);
	tc_opts_init(&to, hook);
	rc = bpf_tc_query(&th, &to);
	/* No clsact qdisc (EINVAL) or nothing at our handle (ENOENT). */
	if (rc == -ENOENT || rc == -EINVAL)
		return 0;
	if (rc != 0) {
		say(why, whylen, "fast path: querying ifindex %d: %s", ifindex,
		    strerror(-rc));
		return -1;
	}
	if ((fd = bpf_prog_get_fd_by_id(to.prog_id)) < 0) {
		say(why, whylen, "fast path: program %u at ifindex %d: %s",
		    to.prog_id, ifindex, strerror(errno));
		return -1;
	}
	memset(&pi, 0, sizeof(pi));
	if (bpf_obj_get_info_by_fd(fd, &pi, &len) != 0) {
		say(why, whylen, "fast path: program %u: %s", to.prog_id,
		    strerror(errno));
		(void)close(fd);
		return -1;
	}
	for (h = 0; h < FASTPATH_HOOK_MAX; h++)
		if (strcmp(pi.name, prog_names[h]) == 0)
			ours = true;
	if (!ours) {
		say(why, whylen,
		    "fast path: ifindex %d has a foreign filter "
		    "(program %s) at handle %#x priority %#x",
		    ifindex, pi.name, FASTPATH_TC_HANDLE,
		    fastpath_tc_prio(hook));
		(void)close(fd);
		return 0;
	}
	rc = bpf_owner_of_prog(fd, "fp_owner", &owner_pid, &owner_start);
	(void)close(fd);
	if (rc != 0) {
		say(why, whylen,
		    "fast path: ifindex %d: program %s has no "
		    "owner record: left alone",
		    ifindex, pi.name);
		return 0;
	}
	if (bpf_owner_alive(owner_pid, owner_start)) {
		say(why, whylen,
		    "fast path: ifindex %d is in use by running "
		    "process %u",
		    ifindex, owner_pid);
		return 0;
	}
	tc_opts_init(&to, hook);
	if ((rc = bpf_tc_detach(&th, &to)) != 0) {
		say(why, whylen,
		    "fast path: removing the stale filter of "
		    "process %u at ifindex %d: %s",
		    owner_pid, ifindex, strerror(-rc));
		return -1;
	}
	return 1;
}

/*
 * FP_EGRESS_NO_GSO for a device that passes GSO packets on whole to
 * another stack of this host: a veth, or a TAP with TSO (a VM's, whose
 * guest would get them whole).  Elsewhere a NIC or the stack's software
 * GSO cuts them up before the wire.  With fastpath_opts.veth_gso a veth is
 * FP_EGRESS_GSO_WHOLE instead: the operator says every stack behind it
 * takes L2TP data in the kernel, which can take an aggregate whole.
 */
static uint32_t
egress_value(const struct fastpath *fp, int ifindex)
{
	struct ethtool_drvinfo di;
	struct ethtool_value ev;
	struct ifreq ifr;
	uint32_t v = FP_EGRESS_OK;
	int fd;

	memset(&ifr, 0, sizeof(ifr));
	if (if_indextoname((unsigned)ifindex, ifr.ifr_name) == NULL ||
	    (fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return v;
	memset(&di, 0, sizeof(di));
	di.cmd = ETHTOOL_GDRVINFO;
	ifr.ifr_data = (void *)&di;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0) {
		if (strcmp(di.driver, "veth") == 0) {
			v |= fp->veth_gso ? FP_EGRESS_GSO_WHOLE :
					    FP_EGRESS_NO_GSO;
		} else if (strcmp(di.driver, "tun") == 0) {
			memset(&ev, 0, sizeof(ev));
			ev.cmd = ETHTOOL_GTSO;
			ifr.ifr_data = (void *)&ev;
			if (ioctl(fd, SIOCETHTOOL, &ifr) == 0 && ev.data != 0)
				v |= FP_EGRESS_NO_GSO;
		}
	}
	(void)close(fd);
	return v;
}

bool
fastpath_egress_passes_gso(const struct fastpath *fp, int ifindex)
{
	return (egress_value(fp, ifindex) & FP_EGRESS_NO_GSO) != 0;
}

/*
 * A TUN whose GSO aggregates hold one segment each (IFLA_GSO_MAX_SEGS 1,
 * as `ip link set DEV gso_max_segs 1`): TCP always builds aggregates
 * (it sets NETIF_F_GSO on its route whatever the device says), but not
 * larger than the device allows, and a one-segment one is a plain packet.
 */
int
fastpath_tun_single_segments(int ifindex, char *why, size_t whylen)
{
	char buf[512];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned seq = 1, portid;
	ssize_t n;
	int rc = -1;

	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL) {
		say(why, whylen, "fast path: rtnetlink: %s", strerror(errno));
		return -1;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_GSO_MAX_SEGS, 1);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n >= 0 && mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL) >= 0)
		rc = 0;
out:
	if (rc != 0)
		say(why, whylen, "fast path: gso_max_segs 1 on ifindex %d: %s",
		    ifindex, strerror(errno));
	mnl_socket_close(nl);
	return rc;
}

static int
egress_map(struct fastpath *fp, int ifindex, bool add, char *why, size_t whylen)
{
	uint32_t k = (uint32_t)ifindex, v = add ? egress_value(fp, ifindex) : 0;
	int rc;

	if (add)
		rc = bpf_map__update_elem(fp->skel->maps.fp_egress, &k,
		    sizeof(k), &v, sizeof(v), BPF_ANY);
	else
		rc = bpf_map__delete_elem(fp->skel->maps.fp_egress, &k,
		    sizeof(k), 0);
	if (rc != 0 && !(rc == -ENOENT && !add)) {
		say(why, whylen, "fast path: %s egress ifindex %d: %s",
		    add ? "allowing" : "disallowing", ifindex, strerror(-rc));
		return -1;
	}
	return 0;
}

int
fastpath_allow_egress(struct fastpath *fp, int ifindex, char *why,
    size_t whylen)
{
	return egress_map(fp, ifindex, true, why, whylen);
}

int
fastpath_disallow_egress(struct fastpath *fp, int ifindex, char *why,
    size_t whylen)
{
	return egress_map(fp, ifindex, false, why, whylen);
}

int
fastpath_attach(struct fastpath *fp, int ifindex, enum fastpath_hook hook,
    char *why, size_t whylen)
{
	enum bpf_tc_attach_point ap;
	struct bpf_tc_hook th;
	struct bpf_tc_opts to;
	struct fastpath_attachment *na;
	int rc;

	if (hook_point(hook, &ap) != 0) {
		say(why, whylen, "fast path: no such hook %d", (int)hook);
		return -1;
	}
	if (fp->natt == fp->catt) {
		size_t n = fp->catt ? fp->catt * 2 : 4;

		if ((na = realloc(fp->att, n * sizeof(*na))) == NULL) {
			say(why, whylen, "fast path: out of memory");
			return -1;
		}
		fp->att = na;
		fp->catt = n;
	}
	tc_hook_init(&th, ifindex, ap);
	/* The clsact qdisc may be there already (ours from before, or
	 * someone else's with their filters): either way it stays. */
	rc = bpf_tc_hook_create(&th);
	if (rc != 0 && rc != -EEXIST) {
		say(why, whylen, "fast path: clsact on ifindex %d: %s", ifindex,
		    strerror(-rc));
		return -1;
	}
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (fastpath_remove_stale(ifindex, hook, why, whylen) < 0)
		return -1;
	tc_opts_init(&to, hook);
	to.prog_fd = fastpath_prog_fd(fp, hook);
	if ((rc = bpf_tc_attach(&th, &to)) != 0) {
		/* remove_stale said why the place is taken, if it is. */
		if (rc != -EEXIST || why == NULL || why[0] == '\0')
			say(why, whylen,
			    "fast path: attaching %s to ifindex "
			    "%d: %s",
			    prog_names[hook], ifindex, strerror(-rc));
		return -1;
	}
	fp->att[fp->natt].ifindex = ifindex;
	fp->att[fp->natt].hook = hook;
	fp->natt++;
	return 0;
}

int
fastpath_detach(struct fastpath *fp, int ifindex, enum fastpath_hook hook,
    char *why, size_t whylen)
{
	enum bpf_tc_attach_point ap;
	struct bpf_tc_hook th;
	struct bpf_tc_opts to;
	size_t i;
	int rc;

	for (i = 0; i < fp->natt; i++)
		if (fp->att[i].ifindex == ifindex && fp->att[i].hook == hook)
			break;
	if (i == fp->natt || hook_point(hook, &ap) != 0) {
		say(why, whylen, "fast path: %s is not attached to ifindex %d",
		    hook < FASTPATH_HOOK_MAX ? prog_names[hook] : "?", ifindex);
		return -1;
	}
	fp->att[i] = fp->att[--fp->natt];
	tc_hook_init(&th, ifindex, ap);
	tc_opts_init(&to, hook);
	rc = bpf_tc_query(&th, &to);
	/* Gone with its interface, or replaced by someone else: nothing of
	 * ours to remove. */
	if (rc == -ENOENT || rc == -EINVAL || rc == -ENODEV ||
	    (rc == 0 && to.prog_id != fp->prog_id[hook]))
		return 0;
	tc_opts_init(&to, hook);
	if (rc != 0 || (rc = bpf_tc_detach(&th, &to)) != 0) {
		say(why, whylen, "fast path: detaching %s from ifindex %d: %s",
		    prog_names[hook], ifindex, strerror(-rc));
		return -1;
	}
	return 0;
}

void
fastpath_close(struct fastpath *fp)
{
	if (fp == NULL)
		return;
	while (fp->natt > 0)
		(void)fastpath_detach(fp, fp->att[fp->natt - 1].ifindex,
		    fp->att[fp->natt - 1].hook, NULL, 0);
	free(fp->att);
	fastpath_skel_destroy(fp->skel);
	free(fp);
}

/* ---- sessions ---- */

static void
keys_of(const struct fastpath_session *s, struct fp_rx_key *rk,
    struct fp_tx_key *tk)
{
	rk->tunnel_id = htons(s->our_tunnel_id);
	rk->session_id = htons(s->our_session_id);
	tk->inner_addr = s->inner_addr.s_addr;
}

static void
values_of(const struct fastpath_session *s, struct fp_rx_val *rv,
    struct fp_tx_val *tv)
{
	memset(rv, 0, sizeof(*rv));
	rv->peer_addr = s->peer_addr.s_addr;
	rv->local_addr = s->local_addr.s_addr;
	rv->inner_src = s->inner_addr.s_addr;
	rv->peer_port = htons(s->peer_port);
	rv->local_port = htons(s->local_port);
	rv->flags = (s->rx_acfc ? FP_RX_ACFC : 0) | (s->rx_pfc ? FP_RX_PFC : 0);
	memset(tv, 0, sizeof(*tv));
	tv->peer_addr = s->peer_addr.s_addr;
	tv->local_addr = s->local_addr.s_addr;
	tv->peer_port = htons(s->peer_port);
	tv->local_port = htons(s->local_port);
	tv->peer_tunnel_id = htons(s->peer_tunnel_id);
	tv->peer_session_id = htons(s->peer_session_id);
	tv->stats_key.tunnel_id = htons(s->our_tunnel_id);
	tv->stats_key.session_id = htons(s->our_session_id);
	tv->flags = (s->tx_acfc ? FP_TX_ACFC : 0) | (s->tx_pfc ? FP_TX_PFC : 0);
	tv->mtu = htons(s->mtu);
	if (s->client_ifindex != 0) {
		rv->flags |= FP_RX_CLI;
		rv->cli_ifindex = (uint32_t)s->client_ifindex;
	}
	if (s->ipv6 && s->client_ifindex == 0) {
		unsigned len = s->deleg6_len > 128 ? 128 : s->deleg6_len, i;

		rv->flags |= FP_RX_IPV6;
		memcpy(rv->prefix6, s->prefix6, sizeof(rv->prefix6));
		/* Bits past the length zero: the program compares each octet
		 * under its mask. */
		for (i = 0; i < 16; i++) {
			unsigned bits = len > i * 8 ? len - i * 8 : 0;
			uint8_t m = bits >= 8 ? 0xff :
						(uint8_t)(0xff00 >> bits);

			rv->deleg6[i] = s->deleg6[i] & m;
		}
		rv->deleg6_len = (uint8_t)len;
	}
}

/* The fp_tx6 entries an fp_rx value stands for: its /64 and its delegated
 * prefix.  n of them in k[]. */
static unsigned
tx6_keys(const struct fp_rx_val *rv, struct fp_tx6_key k[2])
{
	unsigned n = 0;

	if (!(rv->flags & FP_RX_IPV6))
		return 0;
	memset(k, 0, 2 * sizeof(*k));
	k[n].prefixlen = 64;
	memcpy(k[n].addr, rv->prefix6, sizeof(rv->prefix6));
	n++;
	if (rv->deleg6_len != 0) {
		k[n].prefixlen = rv->deleg6_len;
		memcpy(k[n].addr, rv->deleg6, sizeof(rv->deleg6));
		n++;
	}
	return n;
}

static void
tx6_del(struct fastpath *fp, const struct fp_rx_val *rv)
{
	struct fp_tx6_key k[2];
	unsigned n = tx6_keys(rv, k), i;

	for (i = 0; i < n; i++)
		(void)bpf_map__delete_elem(fp->skel->maps.fp_tx6, &k[i],
		    sizeof(k[i]), 0);
}

/* The session's IPv6 send entries: the fp_tx value with the TUN's MTU.
 * On failure none is left. */
static int
tx6_put(struct fastpath *fp, const struct fastpath_session *s,
    const struct fp_rx_val *rv, const struct fp_tx_val *tv)
{
	struct fp_tx6_key k[2];
	struct fp_tx_val v = *tv;
	unsigned n = tx6_keys(rv, k), i;
	int rc = 0;

	v.mtu = htons(s->mtu6);
	for (i = 0; i < n && rc == 0; i++)
		rc = bpf_map__update_elem(fp->skel->maps.fp_tx6, &k[i],
		    sizeof(k[i]), &v, sizeof(v), BPF_ANY);
	if (rc != 0)
		tx6_del(fp, rv);
	return rc;
}

/* The session's send entry: a client's by its TUN (fp_cli_tx), any other
 * by its address (fp_tx). */
static int
tx_update(struct fastpath *fp, const struct fastpath_session *s,
    const struct fp_tx_key *tk, const struct fp_tx_val *tv, uint64_t flags)
{
	uint32_t dev = (uint32_t)s->client_ifindex;

	if (s->client_ifindex != 0)
		return bpf_map__update_elem(fp->skel->maps.fp_cli_tx, &dev,
		    sizeof(dev), tv, sizeof(*tv), flags);
	return bpf_map__update_elem(fp->skel->maps.fp_tx, tk, sizeof(*tk), tv,
	    sizeof(*tv), flags);
}

static int
tx_delete(struct fastpath *fp, const struct fastpath_session *s,
    const struct fp_tx_key *tk)
{
	uint32_t dev = (uint32_t)s->client_ifindex;

	if (s->client_ifindex != 0)
		return bpf_map__delete_elem(fp->skel->maps.fp_cli_tx, &dev,
		    sizeof(dev), 0);
	return bpf_map__delete_elem(fp->skel->maps.fp_tx, tk, sizeof(*tk), 0);
}

/* The fp_rx value now in the map (to find its fp_tx6 entries). */
static int
rx_current(struct fastpath *fp, const struct fp_rx_key *rk,
    struct fp_rx_val *rv)
{
	return bpf_map__lookup_elem(fp->skel->maps.fp_rx, rk, sizeof(*rk), rv,
	    sizeof(*rv), 0);
}

/* One direction's bucket for rate (bit/s) and burst (bytes), as
 * dataplane/policer.c sets it up. */
static void
police_dir_of(struct fp_police_dir *d, uint64_t rate_bps, uint64_t burst,
    const struct fp_police_dir *old)
{
	memset(d, 0, sizeof(*d));
	if (rate_bps == 0)
		return;
	d->rate = rate_bps / 8 != 0 ? rate_bps / 8 : 1;
	d->burst = burst != 0 ? burst : 1;
	d->fill_ns = d->burst * FP_POLICE_NS / d->rate;
	/* Full at the start; a plan change keeps what the bucket holds (up
	 * to the new burst) and the drop counters. */
	d->tokens = d->burst;
	if (old != NULL) {
		if (old->rate != 0 && old->tokens < d->tokens)
			d->tokens = old->tokens;
		d->last_ns = old->last_ns;
		d->drop_packets = old->drop_packets;
		d->drop_bytes = old->drop_bytes;
	}
}

/*
 * Writes (or, with no rate in either direction, removes) the session's
 * fp_police entry; 0 or -errno.  An existing entry is read and written
 * under its spin lock (BPF_F_LOCK).
 */
static int
police_write(struct fastpath *fp, const struct fp_rx_key *rk,
    const struct fastpath_session *s)
{
	struct fp_police old, v;
	bool have;
	int rc;

	memset(&old, 0, sizeof(old));
	have = bpf_map__lookup_elem(fp->skel->maps.fp_police, rk, sizeof(*rk),
		   &old, sizeof(old), BPF_F_LOCK) == 0;
	if (s->police_down_bps == 0 && s->police_up_bps == 0) {
		if (!have)
			return 0;
		rc = bpf_map__delete_elem(fp->skel->maps.fp_police, rk,
		    sizeof(*rk), 0);
		return rc == -ENOENT ? 0 : rc;
	}
	memset(&v, 0, sizeof(v));
	police_dir_of(&v.down, s->police_down_bps, s->police_down_burst,
	    have ? &old.down : NULL);
	police_dir_of(&v.up, s->police_up_bps, s->police_up_burst,
	    have ? &old.up : NULL);
	return bpf_map__update_elem(fp->skel->maps.fp_police, rk, sizeof(*rk),
	    &v, sizeof(v), have ? BPF_F_LOCK : 0);
}

/* Adds the policer's drop counters of a session to c (none: nothing). */
static void
police_read(struct fastpath *fp, const struct fp_rx_key *rk,
    struct fastpath_counters *c)
{
	struct fp_police v;

	if (bpf_map__lookup_elem(fp->skel->maps.fp_police, rk, sizeof(*rk), &v,
		sizeof(v), BPF_F_LOCK) != 0)
		return;
	c->police_up_drop_packets += v.up.drop_packets;
	c->police_up_drop_bytes += v.up.drop_bytes;
	c->police_down_drop_packets += v.down.drop_packets;
	c->police_down_drop_bytes += v.down.drop_bytes;
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
fastpath_session_add(struct fastpath *fp, const struct fastpath_session *s,
    char *why, size_t whylen)
{
	struct fp_rx_key rk;
	struct fp_tx_key tk;
	struct fp_rx_val rv;
	struct fp_tx_val tv;
	struct fp_session_stats *zero;
	size_t zlen = (size_t)fp->ncpu * sizeof(*zero);
	char addr[INET_ADDRSTRLEN];
	int rc;

	if (s->inner_addr.s_addr == 0 || s->peer_addr.s_addr == 0 ||
	    s->peer_port == 0 || s->local_port == 0) {
		say(why, whylen,
		    "fast path: session %u/%u: incomplete "
		    "addresses",
		    s->our_tunnel_id, s->our_session_id);
		return -1;
	}
	keys_of(s, &rk, &tk);
	values_of(s, &rv, &tv);
	if ((zero = calloc((size_t)fp->ncpu, sizeof(*zero))) == NULL) {
		say(why, whylen, "fast path: out of memory");
		return -1;
	}
	/* Counters first, so the first packet the programs carry is
	 * counted; then receive, then send. */
	rc = bpf_map__update_elem(fp->skel->maps.fp_stats, &rk, sizeof(rk),
	    zero, zlen, BPF_NOEXIST);
	free(zero);
	if (rc != 0)
		goto fail;
	/* The policer before the session's data can reach the programs. */
	rc = police_write(fp, &rk, s);
	if (rc != 0)
		goto fail_stats;
	rc = bpf_map__update_elem(fp->skel->maps.fp_rx, &rk, sizeof(rk), &rv,
	    sizeof(rv), BPF_NOEXIST);
	if (rc != 0)
		goto fail_stats;
	rc = tx_update(fp, s, &tk, &tv, BPF_NOEXIST);
	if (rc != 0)
		goto fail_rx;
	rc = tx6_put(fp, s, &rv, &tv);
	if (rc != 0)
		goto fail_tx;
	return 0;
fail_tx:
	(void)tx_delete(fp, s, &tk);
fail_rx:
	(void)bpf_map__delete_elem(fp->skel->maps.fp_rx, &rk, sizeof(rk), 0);
fail_stats:
	(void)bpf_map__delete_elem(fp->skel->maps.fp_police, &rk, sizeof(rk),
	    0);
	(void)bpf_map__delete_elem(fp->skel->maps.fp_stats, &rk, sizeof(rk), 0);
fail:
	if (inet_ntop(AF_INET, &s->inner_addr, addr, sizeof(addr)) == NULL)
		(void)snprintf(addr, sizeof(addr), "?");
	say(why, whylen, "fast path: session %u/%u (%s): %s", s->our_tunnel_id,
	    s->our_session_id, addr, map_err(rc));
	return -1;
}

int
fastpath_session_update(struct fastpath *fp, const struct fastpath_session *s,
    char *why, size_t whylen)
{
	struct fp_rx_key rk;
	struct fp_tx_key tk;
	struct fp_rx_val rv, old;
	struct fp_tx_val tv;
	int rc;

	keys_of(s, &rk, &tk);
	values_of(s, &rv, &tv);
	rc = rx_current(fp, &rk, &old);
	/* The old prefixes' entries first: a packet to a prefix given up
	 * goes to the stack from here (and a prefix kept is put back at
	 * once below). */
	if (rc == 0)
		tx6_del(fp, &old);
	if (rc == 0)
		rc = bpf_map__update_elem(fp->skel->maps.fp_rx, &rk, sizeof(rk),
		    &rv, sizeof(rv), BPF_EXIST);
	if (rc == 0)
		rc = tx_update(fp, s, &tk, &tv, BPF_EXIST);
	if (rc == 0)
		rc = police_write(fp, &rk, s);
	if (rc == 0)
		rc = tx6_put(fp, s, &rv, &tv);
	if (rc != 0) {
		say(why, whylen, "fast path: updating session %u/%u: %s",
		    s->our_tunnel_id, s->our_session_id, map_err(rc));
		return -1;
	}
	return 0;
}

static int
read_stats(struct fastpath *fp, const struct fp_rx_key *rk,
    struct fastpath_counters *c)
{
	struct fp_session_stats *v;
	int rc, i;

	if ((v = calloc((size_t)fp->ncpu, sizeof(*v))) == NULL)
		return -ENOMEM;
	rc = bpf_map__lookup_elem(fp->skel->maps.fp_stats, rk, sizeof(*rk), v,
	    (size_t)fp->ncpu * sizeof(*v), 0);
	memset(c, 0, sizeof(*c));
	for (i = 0; rc == 0 && i < fp->ncpu; i++) {
		c->rx_packets += v[i].rx_packets;
		c->rx_bytes += v[i].rx_bytes;
		c->tx_packets += v[i].tx_packets;
		c->tx_bytes += v[i].tx_bytes;
	}
	free(v);
	if (rc == 0)
		police_read(fp, rk, c);
	return rc;
}

int
fastpath_session_remove(struct fastpath *fp, const struct fastpath_session *s,
    struct fastpath_counters *final, char *why, size_t whylen)
{
	struct fp_rx_key rk;
	struct fp_tx_key tk;
	struct fastpath_counters c;
	struct fp_rx_val old;
	int rc_tx, rc_rx, rc_st;

	keys_of(s, &rk, &tk);
	/* IPv6 send entries first, found from what the map holds (a
	 * delegated prefix may have come since `s` was made). */
	if (rx_current(fp, &rk, &old) == 0)
		tx6_del(fp, &old);
	/*
	 * Send first (the address is what the stack routes to the session's
	 * TUN again), then receive, then the counters.  A packet a program
	 * looked up just before the delete may still leave: it carries a
	 * copy of the map value, never a pointer into the daemon, so the
	 * caller may free its state on return.
	 */
	rc_tx = tx_delete(fp, s, &tk);
	rc_rx = bpf_map__delete_elem(fp->skel->maps.fp_rx, &rk, sizeof(rk), 0);
	rc_st = read_stats(fp, &rk, &c);
	if (rc_st == 0)
		rc_st = bpf_map__delete_elem(fp->skel->maps.fp_stats, &rk,
		    sizeof(rk), 0);
	(void)bpf_map__delete_elem(fp->skel->maps.fp_police, &rk, sizeof(rk),
	    0);
	if (final != NULL)
		*final = rc_st == 0 ? c : (struct fastpath_counters){ 0 };
	if (rc_tx != 0 || rc_rx != 0 || rc_st != 0) {
		say(why, whylen, "fast path: removing session %u/%u: %s",
		    s->our_tunnel_id, s->our_session_id,
		    map_err(rc_tx ? rc_tx :
			    rc_rx ? rc_rx :
				    rc_st));
		return -1;
	}
	return 0;
}

int
fastpath_session_counters(struct fastpath *fp, uint16_t our_tunnel_id,
    uint16_t our_session_id, struct fastpath_counters *c, char *why,
    size_t whylen)
{
	struct fp_rx_key rk = {
		.tunnel_id = htons(our_tunnel_id),
		.session_id = htons(our_session_id),
	};
	int rc;

	if ((rc = read_stats(fp, &rk, c)) != 0) {
		say(why, whylen, "fast path: counters of session %u/%u: %s",
		    our_tunnel_id, our_session_id, map_err(rc));
		return -1;
	}
	return 0;
}

int
fastpath_global_counters(struct fastpath *fp, uint64_t out[FP_COUNTER_MAX],
    char *why, size_t whylen)
{
	uint64_t *v;
	uint32_t k;
	int rc = 0, i;

	if ((v = calloc((size_t)fp->ncpu, sizeof(*v))) == NULL) {
		say(why, whylen, "fast path: out of memory");
		return -1;
	}
	for (k = 0; k < FP_COUNTER_MAX && rc == 0; k++) {
		rc = bpf_map__lookup_elem(fp->skel->maps.fp_global, &k,
		    sizeof(k), v, (size_t)fp->ncpu * sizeof(*v), 0);
		out[k] = 0;
		for (i = 0; rc == 0 && i < fp->ncpu; i++)
			out[k] += v[i];
	}
	free(v);
	if (rc != 0) {
		say(why, whylen, "fast path: reading counters: %s",
		    strerror(-rc));
		return -1;
	}
	return 0;
}

const char *
fastpath_counter_name(enum fp_counter c)
{
	switch (c) {
	case FP_RX_DECAP:
		return "rx_decap";
	case FP_RX_PASS_NOT_L2TP:
		return "rx_pass_not_l2tp";
	case FP_RX_PASS_CONTROL:
		return "rx_pass_control";
	case FP_RX_PASS_SEQ:
		return "rx_pass_sequenced";
	case FP_RX_PASS_MALFORMED:
		return "rx_pass_malformed";
	case FP_RX_PASS_NO_SESSION:
		return "rx_pass_no_session";
	case FP_RX_PASS_WRONG_PEER:
		return "rx_pass_wrong_peer";
	case FP_RX_PASS_PPP:
		return "rx_pass_ppp";
	case FP_RX_PASS_WRONG_SRC:
		return "rx_pass_wrong_source";
	case FP_RX_PASS_INNER:
		return "rx_pass_inner";
	case FP_RX_PASS_ROUTE:
		return "rx_pass_route";
	case FP_RX_PASS_GSO:
		return "rx_pass_gso";
	case FP_TX_ENCAP:
		return "tx_encap";
	case FP_TX_PASS_NOT_IP:
		return "tx_pass_not_ipv4";
	case FP_TX_PASS_NO_SESSION:
		return "tx_pass_no_session";
	case FP_TX_PASS_INNER:
		return "tx_pass_inner";
	case FP_TX_PASS_TOO_BIG:
		return "tx_pass_too_big";
	case FP_TX_PASS_ROUTE:
		return "tx_pass_route";
	case FP_TX_PASS_GSO:
		return "tx_pass_gso";
	case FP_PASS_HELPER:
		return "pass_helper_refused";
	case FP_DROP_HELPER:
		return "drop_helper_failed";
	case FP_TX_CSUM_DONE:
		return "tx_checksum_completed";
	case FP_RX_DECAP6:
		return "rx_decap_ipv6";
	case FP_RX_PASS_LINK6:
		return "rx_pass_link_local_ipv6";
	case FP_RX_PASS_WRONG_SRC6:
		return "rx_pass_wrong_source_ipv6";
	case FP_RX_PASS_INNER6:
		return "rx_pass_inner_ipv6";
	case FP_TX_ENCAP6:
		return "tx_encap_ipv6";
	case FP_TX_PASS_NO_SESSION6:
		return "tx_pass_no_session_ipv6";
	case FP_RX_DECAP_CLIENT:
		return "rx_decap_client";
	case FP_RX_PASS_WRONG_DST:
		return "rx_pass_wrong_destination";
	case FP_RX_DECAP_GSO:
		return "rx_decap_gso";
	case FP_COUNTER_MAX:
		break;
	}
	return "unknown";
}
