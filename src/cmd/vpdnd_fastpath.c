/*
 * vpdnd_fastpath.c — see vpdnd_fastpath.h.
 */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bsd/string.h>

#include "cmd/vpdnd_fastpath.h"
#include "core/log.h"

struct vpdnd_fastpath {
	struct fastpath *fp;
	struct lac_fastpath *lfp; /* the LAC's program */
	/* Where a program of ours is attached (ifindex, hook). */
	struct {
		int ifindex;
		enum fastpath_hook hook;
	} * att;
	size_t natt, catt;
};

/* Is ifindex an Ethernet device (ARPHRD_ETHER)?  fd: any socket. */
static bool
is_ethernet(int fd, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	return ioctl(fd, SIOCGIFHWADDR, &ifr) == 0 &&
	    ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER;
}

/*
 * Every interface: a filter a dead instance of ours left (kill -9 leaves
 * them attached) goes, whenever this run tries the kernel path; with vf,
 * Ethernet devices become allowed exits.  Done at start, while the privilege to
 * read another process's programs (bpf_prog_get_fd_by_id) is still there.
 */
static void
scan_interfaces(struct vpdnd_fastpath *vf)
{
	struct if_nameindex *ifs, *i;
	char why[256];
	int fd;

	if ((ifs = if_nameindex()) == NULL) {
		log_warnx("fast path: listing interfaces: %s", strerror(errno));
		return;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (i = ifs; i->if_index != 0; i++) {
		for (int h = 0; h < FASTPATH_HOOK_MAX; h++) {
			why[0] = '\0';
			int rc = fastpath_remove_stale((int)i->if_index,
			    (enum fastpath_hook)h, why, sizeof(why));

			if (rc > 0)
				log_info("fast path: removed a dead "
					 "instance's filter from %s",
				    i->if_name);
			else if (why[0] != '\0')
				log_warnx("%s", why);
		}
		why[0] = '\0';
		if (lac_fastpath_remove_stale((int)i->if_index, why,
			sizeof(why)) > 0)
			log_info("fast path: removed a dead instance's LAC "
				 "filter from %s",
			    i->if_name);
		else if (why[0] != '\0')
			log_warnx("%s", why);
		if (vf == NULL || fd < 0 || !is_ethernet(fd, i->if_name))
			continue;
		if (fastpath_allow_egress(vf->fp, (int)i->if_index, why,
			sizeof(why)) < 0 ||
		    lac_fastpath_allow_egress(vf->lfp, (int)i->if_index, why,
			sizeof(why)) < 0)
			log_warnx("%s", why);
	}
	if (fd >= 0)
		(void)close(fd);
	if_freenameindex(ifs);
}

/*
 * A client's TUN without IPv4 forwarding: the kernel's route lookup the
 * programs use (bpf_fib_lookup) refuses for such a device, so what the
 * host sends into the tunnel stays on the user path.  Said once per call;
 * the setting is the operator's (turning it on would make the host route
 * what the LNS sends for other addresses).
 */
static void
client_forwarding_note(int tun_ifindex)
{
	char name[IF_NAMESIZE], path[96], v = '0';
	FILE *f;

	if (if_indextoname((unsigned)tun_ifindex, name) == NULL)
		return;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding",
	    name);
	if ((f = fopen(path, "re")) == NULL)
		return;
	if (fread(&v, 1, 1, f) != 1)
		v = '0';
	(void)fclose(f);
	if (v == '0')
		log_info("fast path: %s does not forward IPv4 "
			 "(net.ipv4.conf.%s.forwarding = 0): what the host "
			 "sends into it stays on the user path",
		    name, name);
}

/* The hook's program on ifindex, attached once. */
static int ensure_attached(struct vpdnd_fastpath *vf, int ifindex,
    enum fastpath_hook hook, char *why, size_t whylen);

/* vpdn_fp_encap on the ingress of one interface named in
 * fastpath-ingress: it must exist and be Ethernet (the program reads an
 * Ethernet header).  0, or -1 with why. */
static int
ingress_one(struct vpdnd_fastpath *vf, int fd, const char *name, char *why,
    size_t whylen)
{
	unsigned idx = if_nametoindex(name);

	if (idx == 0) {
		snprintf(why, whylen, "fastpath-ingress: no interface \"%s\"",
		    name);
		return -1;
	}
	if (fd < 0 || !is_ethernet(fd, name)) {
		snprintf(why, whylen,
		    "fastpath-ingress: %s is not an Ethernet device", name);
		return -1;
	}
	if (ensure_attached(vf, (int)idx, FASTPATH_ENCAP, why, whylen) < 0)
		return -1;
	log_info("fast path: encapsulating on %s's ingress", name);
	return 0;
}

/*
 * fastpath-ingress: "all" (every Ethernet device present now), or names
 * separated by commas or blanks.  Returns -1 (logged) at the first one
 * that fails.
 */
static int
attach_ingress(struct vpdnd_fastpath *vf, const char *list)
{
	char buf[CFG_MAX_STR], why[256], *tok, *save = NULL;
	struct if_nameindex *ifs, *i;
	int fd, rc = 0;

	if (list == NULL || list[0] == '\0')
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (strcmp(list, "all") == 0) {
		if ((ifs = if_nameindex()) == NULL) {
			log_error("fastpath-ingress: listing interfaces: %s",
			    strerror(errno));
			rc = -1;
		} else {
			for (i = ifs; rc == 0 && i->if_index != 0; i++)
				if (fd >= 0 && is_ethernet(fd, i->if_name) &&
				    ingress_one(vf, fd, i->if_name, why,
					sizeof(why)) < 0) {
					log_error("%s", why);
					rc = -1;
				}
			if_freenameindex(ifs);
		}
	} else {
		strlcpy(buf, list, sizeof(buf));
		for (tok = strtok_r(buf, ", \t", &save); rc == 0 && tok != NULL;
		     tok = strtok_r(NULL, ", \t", &save))
			if (ingress_one(vf, fd, tok, why, sizeof(why)) < 0) {
				log_error("%s", why);
				rc = -1;
			}
	}
	if (fd >= 0)
		(void)close(fd);
	return rc;
}

int
vpdnd_fastpath_open(const struct cfg_global *g, struct vpdnd_fastpath **out)
{
	struct vpdnd_fastpath *vf;
	struct fastpath_opts o = { .max_sessions = 0,
		.veth_gso = g->fastpath_veth_gso };
	enum cfg_dataplane dp = g->dataplane;
	char why[256];

	*out = NULL;
	/* dataplane = user touches no TC state at all: an operator who
	 * turned the kernel path off gets a daemon that needs no BPF
	 * privilege and runs as before (under valgrind too, which does not
	 * know libbpf's netlink buffers). */
	if (dp == CFG_DATAPLANE_USER)
		return 0;
	if ((vf = calloc(1, sizeof(*vf))) == NULL) {
		log_error("fast path: out of memory");
		return -1;
	}
	if (fastpath_open(&vf->fp, &o, why, sizeof(why)) < 0 ||
	    lac_fastpath_open(&vf->lfp, o.max_sessions, why, sizeof(why)) < 0) {
		fastpath_close(vf->fp);
		free(vf);
		scan_interfaces(NULL);
		if (dp == CFG_DATAPLANE_KERNEL) {
			log_error("dataplane = kernel: %s", why);
			return -1;
		}
		log_warnx("dataplane = auto: using the user path: %s", why);
		return 0;
	}
	scan_interfaces(vf);
	log_info("dataplane: kernel fast path loaded");
	/* An interface named but not usable is a configuration error: the
	 * operator asked for downstream in the kernel and would otherwise
	 * get the slower TUN path without noticing. */
	if (attach_ingress(vf, g->fastpath_ingress) < 0) {
		vpdnd_fastpath_close(vf);
		return -1;
	}
	*out = vf;
	return 0;
}

void
vpdnd_fastpath_close(struct vpdnd_fastpath *vf)
{
	if (vf == NULL)
		return;
	/* fastpath_close detaches what it attached. */
	fastpath_close(vf->fp);
	lac_fastpath_close(vf->lfp);
	free(vf->att);
	free(vf);
}

static int
ensure_attached(struct vpdnd_fastpath *vf, int ifindex, enum fastpath_hook hook,
    char *why, size_t whylen)
{
	for (size_t i = 0; i < vf->natt; i++)
		if (vf->att[i].ifindex == ifindex && vf->att[i].hook == hook)
			return 0;
	if (vf->natt == vf->catt) {
		size_t n = vf->catt != 0 ? vf->catt * 2 : 4;
		void *na = realloc(vf->att, n * sizeof(*vf->att));

		if (na == NULL) {
			snprintf(why, whylen, "fast path: out of memory");
			return -1;
		}
		vf->att = na;
		vf->catt = n;
	}
	if (fastpath_attach(vf->fp, ifindex, hook, why, whylen) < 0)
		return -1;
	vf->att[vf->natt].ifindex = ifindex;
	vf->att[vf->natt].hook = hook;
	vf->natt++;
	return 0;
}

int
vpdnd_fastpath_add(struct vpdnd_fastpath *vf, const struct fastpath_session *s,
    int l2tp_ifindex, int tun_ifindex, char *why, size_t whylen)
{
	if (l2tp_ifindex <= 0 || tun_ifindex <= 0) {
		snprintf(why, whylen,
		    "fast path: the tunnel's interface is "
		    "not known");
		return -1;
	}
	/* The encapsulated packets leave towards the peer, usually by the
	 * interface the tunnel arrives on: allowed even if it was made
	 * after start. */
	/* A client's TUN is its session's alone (fp_cli_tx). */
	if (ensure_attached(vf, l2tp_ifindex, FASTPATH_DECAP, why, whylen) <
		0 ||
	    ensure_attached(vf, tun_ifindex,
		s->client_ifindex != 0 ? FASTPATH_CLI_ENC : FASTPATH_ENCAP_L3,
		why, whylen) < 0 ||
	    fastpath_allow_egress(vf->fp, l2tp_ifindex, why, whylen) < 0)
		return -1;
	/* A client's TCP over its TUN comes in GSO aggregates, which the
	 * programs carry only towards a device that cuts them up before
	 * another stack reads them.  Towards one that hands them on whole
	 * (a veth), the TUN's aggregates are limited to one segment: TCP
	 * then sends plain packets, every one carried in the kernel, rather
	 * than every aggregate going to the user path.  The TUN is the
	 * call's own, so nothing else changes; failing that, aggregates take
	 * the user path as before. */
	if (s->client_ifindex != 0)
		client_forwarding_note(tun_ifindex);
	if (s->client_ifindex != 0 &&
	    fastpath_egress_passes_gso(vf->fp, l2tp_ifindex)) {
		char w[256];

		if (fastpath_tun_single_segments(tun_ifindex, w, sizeof(w)) < 0)
			log_warnx("%s", w);
	}
	return fastpath_session_add(vf->fp, s, why, whylen);
}

int
vpdnd_fastpath_update(struct vpdnd_fastpath *vf,
    const struct fastpath_session *s, char *why, size_t whylen)
{
	return fastpath_session_update(vf->fp, s, why, whylen);
}

/* The filter on a client's TUN goes with its session: the TUN is closed
 * next (taking the filter with it anyway), and a later TUN must not be
 * taken for attached. */
static void
client_detach(struct vpdnd_fastpath *vf, int ifindex)
{
	char why[256];

	for (size_t i = 0; i < vf->natt; i++) {
		if (vf->att[i].ifindex != ifindex ||
		    vf->att[i].hook != FASTPATH_CLI_ENC)
			continue;
		vf->att[i] = vf->att[--vf->natt];
		if (fastpath_detach(vf->fp, ifindex, FASTPATH_CLI_ENC, why,
			sizeof(why)) < 0)
			log_warnx("%s", why);
		return;
	}
}

int
vpdnd_fastpath_remove(struct vpdnd_fastpath *vf,
    const struct fastpath_session *s, struct fastpath_counters *final,
    char *why, size_t whylen)
{
	int rc = fastpath_session_remove(vf->fp, s, final, why, whylen);

	if (s->client_ifindex != 0)
		client_detach(vf, s->client_ifindex);
	return rc;
}

int
vpdnd_fastpath_stats(struct vpdnd_fastpath *vf, uint16_t tunnel_id,
    uint16_t session_id, struct fastpath_counters *c)
{
	return fastpath_session_counters(vf->fp, tunnel_id, session_id, c, NULL,
	    0);
}

bool
vpdnd_fastpath_has_lac(const struct vpdnd_fastpath *vf)
{
	return vf != NULL && vf->lfp != NULL;
}

int
vpdnd_fastpath_lac_add(struct vpdnd_fastpath *vf,
    const struct lac_fastpath_call *c, int l2tp_ifindex, char *why,
    size_t whylen)
{
	if (l2tp_ifindex <= 0) {
		snprintf(why, whylen,
		    "fast path: the tunnel's interface is not known");
		return -1;
	}
	/* One program on both hooks (one if the LNS and the users are on
	 * the same interface); attaching is once per interface.  The LNS
	 * is usually reached by the interface its datagrams arrive on:
	 * allowed even if it was made after start. */
	if (lac_fastpath_attach(vf->lfp, c->access_ifindex, why, whylen) < 0 ||
	    lac_fastpath_attach(vf->lfp, l2tp_ifindex, why, whylen) < 0 ||
	    lac_fastpath_allow_egress(vf->lfp, l2tp_ifindex, why, whylen) < 0)
		return -1;
	return lac_fastpath_call_add(vf->lfp, c, why, whylen);
}

int
vpdnd_fastpath_lac_remove(struct vpdnd_fastpath *vf,
    const struct lac_fastpath_call *c, struct fastpath_counters *final,
    char *why, size_t whylen)
{
	return lac_fastpath_call_remove(vf->lfp, c, final, why, whylen);
}

int
vpdnd_fastpath_lac_stats(struct vpdnd_fastpath *vf, uint16_t tunnel_id,
    uint16_t session_id, struct fastpath_counters *c)
{
	return lac_fastpath_call_counters(vf->lfp, tunnel_id, session_id, c,
	    NULL, 0);
}
