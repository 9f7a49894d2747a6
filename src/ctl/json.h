/*
 * json.h — a write-only JSON emitter for `vpdnctl ... --json`.
 *
 * The emitter tracks nesting and inserts commas itself, so a renderer just
 * calls begin/key/value/end in document order.  Strings are escaped per
 * RFC 8259 §7: quote, backslash and every control character are escaped, and
 * bytes that are not well-formed UTF-8 (RFC 3629 §4: overlongs, surrogates,
 * > U+10FFFF, truncated sequences) become U+FFFD, so the document is valid
 * UTF-8 whatever a peer put in its Host Name AVP.  Misuse (a value without a
 * key inside an object, a key in an array, unbalanced ends, nesting deeper
 * than JSON_MAX_DEPTH) sets a sticky ->err instead of emitting bad JSON.
 */
#ifndef VPDN_CTL_JSON_H
#define VPDN_CTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/strbuf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct strbuf *out;
	unsigned depth;
	/* Per level: is it an object, has it had a member yet. */
	bool is_obj[JSON_MAX_DEPTH + 1];
	bool has_member[JSON_MAX_DEPTH + 1];
	bool key_pending; /* a key was written, its value is due */
	bool done;	  /* the top-level value is complete */
	bool err;
};

void json_init(struct json *j, struct strbuf *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key + value in one call, for object members. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_i64(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/* True when one complete, well-formed document was written. */
bool json_finish(const struct json *j);

/* The string escaper on its own: appends "s" (with quotes) to out. */
void json_escape(struct strbuf *out, const char *s, size_t n);

#endif
