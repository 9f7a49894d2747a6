/*
 * access_line.h — the identity and characteristics of a subscriber's
 * access line, as the access node reports them (Broadband Forum TR-101
 * §3.9.3, the PPPoE Intermediate Agent) and as vpdn passes them on: to
 * RADIUS as the DSL Forum vendor attributes (RFC 4679 §3.3, Vendor-Id 3561)
 * and to the LNS as the access-line AVPs of RFC 5515 (Vendor ID 3561).
 *
 * The three encodings share one numbering: the TR-101 sub-option code,
 * the RFC 4679 Vendor-Type and the RFC 5515 Attribute Type of a field are
 * the same number (Agent-Circuit-Id 1, Agent-Remote-Id 2, the data rates
 * 129..138, the interleaving delays 139..142, Access-Loop-Encapsulation
 * 144), so one table (access_line_fields) drives all of them.  Units
 * differ per encoding and are converted by their codecs: a rate is kept
 * here in bits per second (TR-101 sends kbps, RFC 4679 and RFC 5515 bps),
 * a delay in milliseconds.
 *
 * Pure data: no allocation, no I/O.
 */
#ifndef VPDN_CORE_ACCESS_LINE_H
#define VPDN_CORE_ACCESS_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TR-101 §3.9.3 and RFC 4679 §3.3.1/§3.3.2: each identifier is at most
 * 63 octets. */
#define ACCESS_LINE_ID_MAX     63
/* IANA enterprise number of the Broadband Forum (formerly DSL Forum). */
#define ACCESS_LINE_VENDOR_BBF 3561u

enum access_line_kind {
	ACCESS_LINE_TEXT,   /* 1..63 octets */
	ACCESS_LINE_RATE,   /* bits per second */
	ACCESS_LINE_DELAY,  /* milliseconds */
	ACCESS_LINE_ENCAPS, /* 3 octets: data link, encaps 1, encaps 2 */
};

enum access_line_field {
	ACCESS_LINE_CIRCUIT_ID,
	ACCESS_LINE_REMOTE_ID,
	ACCESS_LINE_ACT_RATE_UP,
	ACCESS_LINE_ACT_RATE_DOWN,
	ACCESS_LINE_MIN_RATE_UP,
	ACCESS_LINE_MIN_RATE_DOWN,
	ACCESS_LINE_ATT_RATE_UP,
	ACCESS_LINE_ATT_RATE_DOWN,
	ACCESS_LINE_MAX_RATE_UP,
	ACCESS_LINE_MAX_RATE_DOWN,
	ACCESS_LINE_MIN_RATE_UP_LP,
	ACCESS_LINE_MIN_RATE_DOWN_LP,
	ACCESS_LINE_MAX_DELAY_UP,
	ACCESS_LINE_ACT_DELAY_UP,
	ACCESS_LINE_MAX_DELAY_DOWN,
	ACCESS_LINE_ACT_DELAY_DOWN,
	ACCESS_LINE_ENCAPS_FIELD,
	ACCESS_LINE_NFIELDS
};

struct access_line_desc {
	enum access_line_field field;
	uint8_t code; /* TR-101 sub-option = RFC 4679 type = RFC 5515 type */
	enum access_line_kind kind;
	const char *name; /* "Agent-Circuit-Id" (the RFCs' names) */
	const char *key;  /* "circuit_id" (JSON, show) */
};

/* In field order; ACCESS_LINE_NFIELDS rows. */
extern const struct access_line_desc access_line_fields[ACCESS_LINE_NFIELDS];

/* The row of a sub-option code / attribute type, or NULL. */
const struct access_line_desc *access_line_by_code(unsigned code);

struct access_line {
	uint32_t present; /* 1u << enum access_line_field */
	char circuit_id[ACCESS_LINE_ID_MAX + 1];
	char remote_id[ACCESS_LINE_ID_MAX + 1];
	/* RATE fields in bps, DELAY fields in ms; indexed by field. */
	uint64_t num[ACCESS_LINE_NFIELDS];
	uint8_t encaps[3];
};

static inline bool
access_line_has(const struct access_line *al, enum access_line_field f)
{
	return (al->present & (1u << f)) != 0;
}

static inline bool
access_line_empty(const struct access_line *al)
{
	return al == NULL || al->present == 0;
}

/* Stores a text field (CIRCUIT_ID / REMOTE_ID) of 1..63 octets; -1 (and
 * nothing stored) if empty, longer, or carrying a NUL. */
int access_line_set_text(struct access_line *al, enum access_line_field f,
    const void *v, size_t len);
/* The text of a text field ("" when absent). */
const char *access_line_text(const struct access_line *al,
    enum access_line_field f);
/* Stores a numeric field (RATE in bps, DELAY in ms). */
void access_line_set_num(struct access_line *al, enum access_line_field f,
    uint64_t v);

/* "circuit=...,remote=...,up=...,down=..." for logs: at most cap - 1
 * characters, always terminated. */
void access_line_summary(const struct access_line *al, char *buf, size_t cap);

#endif
