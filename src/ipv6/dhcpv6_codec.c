/*
 * dhcpv6_codec.c — DHCPv6 message parse/build (RFC 8415 §8, §21).
 *
 * A message is msg-type (1), transaction-id (3), then options; an option
 * is option-code (2), option-len (2), option-len octets of data (§21.1).
 * The IA options (§21.4, §21.5, §21.21) and the IA Address / IA Prefix
 * options (§21.6, §21.22) carry options of their own inside their data;
 * each is parsed within the bounds of its parent.
 */
#include "ipv6/dhcpv6_codec.h"

#include <string.h>

#include "core/buf.h"
#include "core/log.h"

static uint32_t
be32(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

const char *
dhcpv6_type_name(uint8_t type)
{
	static const char *const names[] = { "?", "SOLICIT", "ADVERTISE",
		"REQUEST", "CONFIRM", "RENEW", "REBIND", "REPLY", "RELEASE",
		"DECLINE", "RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW",
		"RELAY-REPL" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

bool
dhcpv6_duid_eq(const struct dhcpv6_duid *a, const struct dhcpv6_duid *b)
{
	/* RFC 8415 §11: DUIDs are opaque, compared only for equality. */
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

void
dhcpv6_duid_ll(struct dhcpv6_duid *d, uint16_t hwtype, const uint8_t *lladdr,
    size_t len)
{
	if (len > 16)
		len = 16;
	put_be16(d->b, DHCPV6_DUID_LL);
	put_be16(d->b + 2, hwtype);
	memcpy(d->b + 4, lladdr, len);
	d->len = (uint16_t)(4 + len);
}

bool
dhcpv6_oro_has(const struct dhcpv6_msg *m, uint16_t code)
{
	unsigned i;

	if (!(m->present & DHCPV6_HAVE_ORO))
		return false;
	for (i = 0; i < m->noro; i++)
		if (m->oro[i] == code)
			return true;
	return false;
}

/* RFC 8415 §11.1: the DUID is the whole option data, at most 130 octets.
 * The known types must hold their fixed fields (§11.2 DUID-LLT: type,
 * hardware type, time; §11.3 DUID-EN: type, enterprise number; §11.4
 * DUID-LL: type, hardware type; RFC 6355 §4 DUID-UUID: type, 16-octet
 * UUID).  Other types are opaque (§11: "MUST treat DUIDs as opaque"). */
static int
parse_duid(const uint8_t *p, size_t len, struct dhcpv6_duid *d)
{
	size_t need;

	if (len < 3 || len > DHCPV6_DUID_MAX)
		return DHCPV6_ERR_DUID;
	switch (get_be16(p)) {
	case DHCPV6_DUID_LLT:
		need = 8 + 1;
		break;
	case DHCPV6_DUID_EN:
		need = 6 + 1;
		break;
	case DHCPV6_DUID_LL:
		need = 4 + 1;
		break;
	case DHCPV6_DUID_UUID:
		if (len != 18)
			return DHCPV6_ERR_DUID;
		need = 18;
		break;
	default:
		need = 3;
		break;
	}
	if (len < need)
		return DHCPV6_ERR_DUID;
	memcpy(d->b, p, len);
	d->len = (uint16_t)len;
	return DHCPV6_OK;
}

/* Status Code (§21.13): status-code (2) and a UTF-8 message, ignored. */
static int
parse_status(const uint8_t *p, size_t len, bool *has, uint16_t *st)
{
	if (len < 2)
		return DHCPV6_ERR_BAD_LEN;
	if (*has)
		return DHCPV6_ERR_DUPLICATE;
	*has = true;
	*st = get_be16(p);
	return DHCPV6_OK;
}

/* Steps over one option of r: returns its code and data (bounded by the
 * parent, which r covers), or an error if its length overruns. */
static int
next_opt(struct rbuf *r, uint16_t *code, const uint8_t **data, size_t *len)
{
	uint16_t olen;

	*code = rd_be16(r);
	olen = rd_be16(r);
	*data = rd_ptr(r, olen);
	*len = olen;
	return r->err ? DHCPV6_ERR_OPTION : DHCPV6_OK;
}

/* The options inside an IA Address or IA Prefix: only the Status Code is
 * kept (§21.6, §21.22). */
static int
parse_lease_opts(const uint8_t *p, size_t len, struct dhcpv6_lease6 *l)
{
	struct rbuf r;
	uint16_t code;
	const uint8_t *d;
	size_t n;
	int rc;

	rbuf_init(&r, p, len);
	while (rbuf_left(&r) > 0) {
		if ((rc = next_opt(&r, &code, &d, &n)) != DHCPV6_OK)
			return rc;
		if (code == DHCPV6_OPT_STATUS_CODE &&
		    (rc = parse_status(d, n, &l->has_status, &l->status)) !=
			DHCPV6_OK)
			return rc;
	}
	return DHCPV6_OK;
}

/* IA Address (§21.6): address (16), preferred (4), valid (4), options. */
static int
parse_iaaddr(const uint8_t *p, size_t len, struct dhcpv6_lease6 *l)
{
	if (len < 24)
		return DHCPV6_ERR_BAD_LEN;
	memset(l, 0, sizeof(*l));
	memcpy(l->addr, p, 16);
	l->plen = 128;
	l->preferred = be32(p + 16);
	l->valid = be32(p + 20);
	return parse_lease_opts(p + 24, len - 24, l);
}

/* IA Prefix (§21.22): preferred (4), valid (4), prefix-length (1),
 * prefix (16), options. */
static int
parse_iaprefix(const uint8_t *p, size_t len, struct dhcpv6_lease6 *l)
{
	if (len < 25)
		return DHCPV6_ERR_BAD_LEN;
	memset(l, 0, sizeof(*l));
	l->preferred = be32(p);
	l->valid = be32(p + 4);
	l->plen = p[8];
	if (l->plen > 128)
		return DHCPV6_ERR_BAD_LEN;
	memcpy(l->addr, p + 9, 16);
	return parse_lease_opts(p + 25, len - 25, l);
}

/* IA_NA (§21.4) / IA_PD (§21.21): IAID, T1, T2 (4 each), options;
 * IA_TA (§21.5): IAID, options. */
static int
parse_ia(uint16_t type, const uint8_t *p, size_t len, struct dhcpv6_ia *ia,
    unsigned *dropped)
{
	size_t fixed = type == DHCPV6_OPT_IA_TA ? 4 : 12;
	uint16_t code, want;
	const uint8_t *d;
	struct rbuf r;
	size_t n;
	int rc;

	if (len < fixed)
		return DHCPV6_ERR_BAD_LEN;
	memset(ia, 0, sizeof(*ia));
	ia->type = type;
	ia->iaid = be32(p);
	if (type != DHCPV6_OPT_IA_TA) {
		ia->t1 = be32(p + 4);
		ia->t2 = be32(p + 8);
	}
	want = type == DHCPV6_OPT_IA_PD ? DHCPV6_OPT_IAPREFIX :
					  DHCPV6_OPT_IAADDR;
	rbuf_init(&r, p + fixed, len - fixed);
	while (rbuf_left(&r) > 0) {
		if ((rc = next_opt(&r, &code, &d, &n)) != DHCPV6_OK)
			return rc;
		if (code == DHCPV6_OPT_STATUS_CODE) {
			rc = parse_status(d, n, &ia->has_status, &ia->status);
		} else if (code == want) {
			if (ia->n == DHCPV6_MAX_PREFIX) {
				(*dropped)++;
				continue;
			}
			rc = want == DHCPV6_OPT_IAPREFIX ?
			    parse_iaprefix(d, n, &ia->lease[ia->n]) :
			    parse_iaaddr(d, n, &ia->lease[ia->n]);
			if (rc == DHCPV6_OK)
				ia->n++;
		} else {
			rc = DHCPV6_OK; /* §16: unknown options ignored */
		}
		if (rc != DHCPV6_OK)
			return rc;
	}
	return DHCPV6_OK;
}

static int
parse_one(struct dhcpv6_msg *m, uint16_t code, const uint8_t *d, size_t n)
{
	size_t i;

	switch (code) {
	case DHCPV6_OPT_CLIENTID:
	case DHCPV6_OPT_SERVERID: {
		uint32_t bit = code == DHCPV6_OPT_CLIENTID ?
		    DHCPV6_HAVE_CLIENTID :
		    DHCPV6_HAVE_SERVERID;

		if (m->present & bit)
			return DHCPV6_ERR_DUPLICATE;
		m->present |= bit;
		return parse_duid(d, n,
		    code == DHCPV6_OPT_CLIENTID ? &m->client_id :
						  &m->server_id);
	}
	case DHCPV6_OPT_IA_NA:
	case DHCPV6_OPT_IA_TA:
	case DHCPV6_OPT_IA_PD: {
		struct dhcpv6_ia scratch;
		int rc;

		/* Beyond the limit the IA is still checked for form, so a
		 * malformed message is refused whatever its IA count. */
		rc = parse_ia(code, d, n,
		    m->nia < DHCPV6_MAX_IA ? &m->ia[m->nia] : &scratch,
		    &m->dropped);
		if (rc != DHCPV6_OK)
			return rc;
		if (m->nia < DHCPV6_MAX_IA)
			m->nia++;
		else
			m->dropped++;
		return DHCPV6_OK;
	}
	case DHCPV6_OPT_ORO:
		/* §21.7: a list of 2-octet option codes. */
		if (n % 2 != 0)
			return DHCPV6_ERR_BAD_LEN;
		if (m->present & DHCPV6_HAVE_ORO)
			return DHCPV6_ERR_DUPLICATE;
		m->present |= DHCPV6_HAVE_ORO;
		for (i = 0; i < n; i += 2) {
			if (m->noro == DHCPV6_MAX_ORO) {
				m->dropped++;
				continue;
			}
			m->oro[m->noro++] = get_be16(d + i);
		}
		return DHCPV6_OK;
	case DHCPV6_OPT_PREFERENCE: /* §21.8: one octet */
		if (n != 1)
			return DHCPV6_ERR_BAD_LEN;
		if (m->present & DHCPV6_HAVE_PREFERENCE)
			return DHCPV6_ERR_DUPLICATE;
		m->present |= DHCPV6_HAVE_PREFERENCE;
		m->preference = d[0];
		return DHCPV6_OK;
	case DHCPV6_OPT_ELAPSED_TIME: /* §21.9: two octets */
		if (n != 2)
			return DHCPV6_ERR_BAD_LEN;
		if (m->present & DHCPV6_HAVE_ELAPSED)
			return DHCPV6_ERR_DUPLICATE;
		m->present |= DHCPV6_HAVE_ELAPSED;
		m->elapsed = get_be16(d);
		return DHCPV6_OK;
	case DHCPV6_OPT_STATUS_CODE: {
		bool has = (m->present & DHCPV6_HAVE_STATUS) != 0;
		int rc = parse_status(d, n, &has, &m->status);

		m->present |= DHCPV6_HAVE_STATUS;
		return rc;
	}
	case DHCPV6_OPT_RAPID_COMMIT: /* §21.14: no data */
	case DHCPV6_OPT_RECONF_ACCEPT: /* §21.20: no data */ {
		uint32_t bit = code == DHCPV6_OPT_RAPID_COMMIT ?
		    DHCPV6_HAVE_RAPID_COMMIT :
		    DHCPV6_HAVE_RECONF_ACCEPT;

		if (n != 0)
			return DHCPV6_ERR_BAD_LEN;
		if (m->present & bit)
			return DHCPV6_ERR_DUPLICATE;
		m->present |= bit;
		return DHCPV6_OK;
	}
	case DHCPV6_OPT_DNS_SERVERS:
		/* RFC 3646 §3: a list of 16-octet addresses. */
		if (n % 16 != 0)
			return DHCPV6_ERR_BAD_LEN;
		if (m->present & DHCPV6_HAVE_DNS)
			return DHCPV6_ERR_DUPLICATE;
		m->present |= DHCPV6_HAVE_DNS;
		for (i = 0; i < n; i += 16) {
			if (m->ndns == DHCPV6_MAX_DNS) {
				m->dropped++;
				continue;
			}
			memcpy(m->dns[m->ndns++], d + i, 16);
		}
		return DHCPV6_OK;
	default:
		return DHCPV6_OK; /* §16: unknown options are ignored */
	}
}

int
dhcpv6_parse(const uint8_t *buf, size_t len, struct dhcpv6_msg *m)
{
	struct rbuf r;
	uint16_t code;
	const uint8_t *d;
	size_t n;
	int rc;

	memset(m, 0, sizeof(*m));
	if (len < DHCPV6_HDR_LEN)
		return DHCPV6_ERR_SHORT;
	m->type = buf[0];
	/* §9: relay agent messages have another header; vpdn's server is on
	 * the subscriber's own link and never behind a relay. */
	if (m->type == DHCPV6_RELAY_FORW || m->type == DHCPV6_RELAY_REPL)
		return DHCPV6_ERR_RELAY;
	m->xid = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	rbuf_init(&r, buf + DHCPV6_HDR_LEN, len - DHCPV6_HDR_LEN);
	while (rbuf_left(&r) > 0) {
		if ((rc = next_opt(&r, &code, &d, &n)) != DHCPV6_OK)
			return rc;
		if ((rc = parse_one(m, code, d, n)) != DHCPV6_OK)
			return rc;
	}
	if (m->dropped > 0)
		LOG_RL(LOG_LEVEL_WARN,
		    "dhcpv6: %s with more IAs, leases, ORO codes or DNS "
		    "servers than kept: %u skipped",
		    dhcpv6_type_name(m->type), m->dropped);
	return DHCPV6_OK;
}

/* ---- building ---- */

/* Starts an option; returns the offset of its length field, patched by
 * opt_end() once the data is written. */
static size_t
opt_begin(struct wbuf *w, uint16_t code)
{
	size_t at;

	wr_be16(w, code);
	at = w->len;
	wr_be16(w, 0);
	return at;
}

static void
opt_end(struct wbuf *w, size_t at)
{
	if (!w->err)
		wr_be16_at(w, at, (uint16_t)(w->len - at - 2));
}

static void
wr_status(struct wbuf *w, uint16_t st)
{
	size_t at = opt_begin(w, DHCPV6_OPT_STATUS_CODE);

	/* §21.13: the status-message may be empty. */
	wr_be16(w, st);
	opt_end(w, at);
}

static void
wr_lease(struct wbuf *w, uint16_t ia_type, const struct dhcpv6_lease6 *l)
{
	size_t at;

	if (ia_type == DHCPV6_OPT_IA_PD) {
		at = opt_begin(w, DHCPV6_OPT_IAPREFIX);
		wr_be32(w, l->preferred);
		wr_be32(w, l->valid);
		wr_u8(w, l->plen);
		wr_bytes(w, l->addr, 16);
	} else {
		at = opt_begin(w, DHCPV6_OPT_IAADDR);
		wr_bytes(w, l->addr, 16);
		wr_be32(w, l->preferred);
		wr_be32(w, l->valid);
	}
	if (l->has_status)
		wr_status(w, l->status);
	opt_end(w, at);
}

static void
wr_ia(struct wbuf *w, const struct dhcpv6_ia *ia)
{
	size_t at = opt_begin(w, ia->type);
	unsigned i;

	wr_be32(w, ia->iaid);
	if (ia->type != DHCPV6_OPT_IA_TA) {
		wr_be32(w, ia->t1);
		wr_be32(w, ia->t2);
	}
	for (i = 0; i < ia->n; i++)
		wr_lease(w, ia->type, &ia->lease[i]);
	if (ia->has_status)
		wr_status(w, ia->status);
	opt_end(w, at);
}

static void
wr_duid(struct wbuf *w, uint16_t code, const struct dhcpv6_duid *d)
{
	wr_be16(w, code);
	wr_be16(w, d->len);
	wr_bytes(w, d->b, d->len);
}

int
dhcpv6_build(const struct dhcpv6_msg *m, uint8_t *out, size_t cap)
{
	struct wbuf w;
	size_t at;
	unsigned i;

	if (m->nia > DHCPV6_MAX_IA || m->noro > DHCPV6_MAX_ORO ||
	    m->ndns > DHCPV6_MAX_DNS || m->client_id.len > DHCPV6_DUID_MAX ||
	    m->server_id.len > DHCPV6_DUID_MAX)
		return -1;
	for (i = 0; i < m->nia; i++)
		if (m->ia[i].n > DHCPV6_MAX_PREFIX)
			return -1;
	wbuf_init(&w, out, cap);
	wr_u8(&w, m->type);
	wr_u8(&w, (uint8_t)(m->xid >> 16));
	wr_be16(&w, (uint16_t)m->xid);
	if (m->present & DHCPV6_HAVE_CLIENTID)
		wr_duid(&w, DHCPV6_OPT_CLIENTID, &m->client_id);
	if (m->present & DHCPV6_HAVE_SERVERID)
		wr_duid(&w, DHCPV6_OPT_SERVERID, &m->server_id);
	for (i = 0; i < m->nia; i++)
		wr_ia(&w, &m->ia[i]);
	if (m->present & DHCPV6_HAVE_ORO) {
		at = opt_begin(&w, DHCPV6_OPT_ORO);
		for (i = 0; i < m->noro; i++)
			wr_be16(&w, m->oro[i]);
		opt_end(&w, at);
	}
	if (m->present & DHCPV6_HAVE_ELAPSED) {
		at = opt_begin(&w, DHCPV6_OPT_ELAPSED_TIME);
		wr_be16(&w, m->elapsed);
		opt_end(&w, at);
	}
	if (m->present & DHCPV6_HAVE_PREFERENCE) {
		at = opt_begin(&w, DHCPV6_OPT_PREFERENCE);
		wr_u8(&w, m->preference);
		opt_end(&w, at);
	}
	if (m->present & DHCPV6_HAVE_STATUS)
		wr_status(&w, m->status);
	if (m->present & DHCPV6_HAVE_RAPID_COMMIT)
		opt_end(&w, opt_begin(&w, DHCPV6_OPT_RAPID_COMMIT));
	if (m->present & DHCPV6_HAVE_RECONF_ACCEPT)
		opt_end(&w, opt_begin(&w, DHCPV6_OPT_RECONF_ACCEPT));
	if (m->present & DHCPV6_HAVE_DNS) {
		at = opt_begin(&w, DHCPV6_OPT_DNS_SERVERS);
		for (i = 0; i < m->ndns; i++)
			wr_bytes(&w, m->dns[i], 16);
		opt_end(&w, at);
	}
	return w.err || w.len > 0xffff ? -1 : (int)w.len;
}
