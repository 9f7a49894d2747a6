/*
 * schema.h — the table of every section and key vpdnd understands.
 *
 * One row per key: { section, key, type, offsetof(field), min, max, ... }.
 * A key that has no row is an error, so "unknown keys are errors" holds by
 * construction, and adding a key is one line here plus its struct field in
 * config.h.  Offsets are relative to the section's struct (struct cfg_lns for
 * SCHEMA_SEC_LNS, one struct cfg_realm for SCHEMA_SEC_REALM, ...).
 */
#ifndef VPDN_CONFIG_SCHEMA_H
#define VPDN_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

enum schema_section {
	SCHEMA_SEC_GLOBAL,
	SCHEMA_SEC_LNS,
	SCHEMA_SEC_LAC,
	SCHEMA_SEC_REALM,
	SCHEMA_SEC_CLIENT,
	SCHEMA_SEC_RADIUS,
	SCHEMA_SEC_POOL,
	SCHEMA_SEC_PEER,
	SCHEMA_SEC_RATE_PLAN,
	SCHEMA_SEC_SWITCH,
	SCHEMA_SEC_COUNT,
};
const char *schema_section_str(enum schema_section s);

enum schema_type {
	SCHEMA_T_BOOL,	   /* yes/no/true/false/on/off/1/0 */
	SCHEMA_T_UINT,	   /* unsigned, min..max */
	SCHEMA_T_STRING,   /* char[CFG_MAX_STR], 1..max bytes; never echoed */
	SCHEMA_T_IFNAME,   /* network interface name (IFNAMSIZ - 1) */
	SCHEMA_T_SECRET,   /* struct cfg_secret; never echoed */
	SCHEMA_T_SOCKADDR, /* struct cfg_sockaddr, "1.2.3.4:P", "[::]:P" */
	SCHEMA_T_SOCKADDR_LIST,
	SCHEMA_T_HOSTPORT, /* struct cfg_hostport: name or address[:P] */
	SCHEMA_T_HOSTPORT_LIST,
	SCHEMA_T_IPV4, /* uint32_t host order, not 0.0.0.0 */
	SCHEMA_T_IPV4_LIST,
	SCHEMA_T_RANGE_LIST, /* struct cfg_ip4_range[], "a-b, c-d" */
	SCHEMA_T_AUTH_LIST,  /* struct cfg_auth_list */
	SCHEMA_T_ROUTE_LIST, /* cfg_client.routes, "10.9.0.0/24, ..." */
	SCHEMA_T_LOG_LEVEL,  /* enum log_level */
	SCHEMA_T_DATAPLANE,  /* enum cfg_dataplane: auto|kernel|user */
	SCHEMA_T_LNS_SEL,    /* enum cfg_lns_selection: ordered|balanced */
	/* struct cfg_ip6_prefix "ADDR/LEN", host bits zero, LEN min..max */
	SCHEMA_T_IPV6_PREFIX,
	SCHEMA_T_IPV6_LIST, /* uint8_t [][16], global unicast addresses */
	/* struct cfg_ip6_prefix[], "2001:db8::/32, ::/0", LEN 0..128 */
	SCHEMA_T_IPV6_PREFIX_LIST,
	SCHEMA_T_CHOICE,      /* an enum: the index of the value in words[] */
	SCHEMA_T_PREFIX_LIST, /* struct cfg_ip4_prefix[], "a.b.c.d/len, ..." */
	SCHEMA_T_RATE,	      /* uint64_t bit/s: N[k|M|G] */
	SCHEMA_T_BURST,	      /* struct cfg_burst: N[k|M] bytes or Nms */
	SCHEMA_T_KEEP_STRIP,  /* bool: keep (true) | strip (false) */
};
const char *schema_type_str(enum schema_type t);

struct schema_key {
	enum schema_section section;
	const char *key;
	enum schema_type type;
	size_t off;	  /* the field */
	size_t count_off; /* lists: the unsigned count */
	/* UINT: value range; STRING: max length (min 1); lists: max
	 * entries; SOCKADDR/HOSTPORT: min is the default port. */
	unsigned long min, max;
	/* The default as it would be written in the file, applied by
	 * config_load() before the file; NULL when there is none or the
	 * loader derives it (hostname, nas-identifier, a client's
	 * interface).  vpdn.conf(5) states the same (checked by the
	 * tests). */
	const char *def;
	/* CHOICE: the accepted words, NULL-terminated; the field is an enum
	 * whose values are their indices. */
	const char *const *words;
};

extern const struct schema_key schema_keys[];
extern const size_t schema_nkeys;
#define SCHEMA_MAX_KEYS 128 /* >= schema_nkeys, checked by the tests */

/* Section type by header word ("lns"); NULL when unknown. */
bool schema_section_find(const char *word, enum schema_section *out);
/* Whether the header takes a NAME ([realm NAME], [client NAME]). */
bool schema_section_named(enum schema_section s);

/* The row for key in section s, or NULL. */
const struct schema_key *schema_key_find(enum schema_section s,
    const char *key);

/*
 * Parses value as k's type into the section struct at base.  Returns 0, or
 * -1 with "KEY: problem" in msg (secret values are never quoted).
 */
int schema_key_apply(const struct schema_key *k, const char *value, void *base,
    char *msg, size_t msglen);

/* Applies the default of every key of section s that has one to base;
 * 0, or -1 with "KEY: problem" in msg (a bad row). */
int schema_apply_defaults(enum schema_section s, void *base, char *msg,
    size_t msglen);

/* Type parsers shared with users.c and the tests.  0 or -1. */
int schema_parse_ipv4(const char *s, uint32_t *out);
/* A rate "N[k|M|G]" (bit/s, SI multipliers, k or K) up to
 * POLICER-sized 100G; 0 or -1.  Also what RADIUS rate attributes use. */
int schema_parse_rate(const char *s, uint64_t *out);

#endif
