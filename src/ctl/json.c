/*
 * json.c — write-only JSON emitter (see json.h).
 */
#include <inttypes.h>
#include <string.h>

#include "ctl/json.h"

void
json_init(struct json *j, struct strbuf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

void
json_escape(struct strbuf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run, k;

	strbuf_putc(out, '"');
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			strbuf_puts(out, "\\\"");
			i++;
			continue;
		case '\\':
			strbuf_puts(out, "\\\\");
			i++;
			continue;
		case '\b':
			strbuf_puts(out, "\\b");
			i++;
			continue;
		case '\f':
			strbuf_puts(out, "\\f");
			i++;
			continue;
		case '\n':
			strbuf_puts(out, "\\n");
			i++;
			continue;
		case '\r':
			strbuf_puts(out, "\\r");
			i++;
			continue;
		case '\t':
			strbuf_puts(out, "\\t");
			i++;
			continue;
		default:
			break;
		}
		/* RFC 8259 §7: U+0000..U+001F must be escaped; DEL too, so a
		 * terminal showing the document is not steered by it. */
		if (c < 0x20 || c == 0x7f) {
			strbuf_printf(out, "\\u%04x", c);
			i++;
			continue;
		}
		if ((k = strbuf_utf8_len(str + i, n - i)) == 0) {
			strbuf_puts(out, "\\ufffd");
			i++;
			continue;
		}
		/* Copy a run of plain bytes in one go. */
		run = k;
		while (i + run < n) {
			unsigned char d = s[i + run];

			if (d < 0x20 || d == 0x7f || d == '"' || d == '\\')
				break;
			if ((k = strbuf_utf8_len(str + i + run, n - i - run)) ==
			    0)
				break;
			run += k;
		}
		strbuf_append(out, str + i, run);
		i += run;
	}
	strbuf_putc(out, '"');
}

/* Called before any value: checks the context and writes the comma. */
static bool
json_value_prefix(struct json *j)
{
	if (j->err)
		return false;
	if (j->done) {
		j->err = true; /* a second top-level value */
		return false;
	}
	if (j->depth == 0)
		return true;
	if (j->is_obj[j->depth]) {
		if (!j->key_pending) {
			j->err = true;
			return false;
		}
		j->key_pending = false;
		return true;
	}
	if (j->has_member[j->depth])
		strbuf_putc(j->out, ',');
	j->has_member[j->depth] = true;
	return true;
}

/* Called after a scalar or a closing bracket. */
static void
json_value_done(struct json *j)
{
	if (j->depth == 0)
		j->done = true;
}

static void
json_open(struct json *j, bool obj)
{
	if (!json_value_prefix(j))
		return;
	if (j->depth == JSON_MAX_DEPTH) {
		j->err = true;
		return;
	}
	strbuf_putc(j->out, obj ? '{' : '[');
	j->depth++;
	j->is_obj[j->depth] = obj;
	j->has_member[j->depth] = false;
}

static void
json_close(struct json *j, bool obj)
{
	if (j->err)
		return;
	if (j->depth == 0 || j->is_obj[j->depth] != obj || j->key_pending) {
		j->err = true;
		return;
	}
	strbuf_putc(j->out, obj ? '}' : ']');
	j->depth--;
	json_value_done(j);
}

void
json_obj_begin(struct json *j)
{
	json_open(j, true);
}

void
json_obj_end(struct json *j)
{
	json_close(j, true);
}

void
json_arr_begin(struct json *j)
{
	json_open(j, false);
}

void
json_arr_end(struct json *j)
{
	json_close(j, false);
}

void
json_key(struct json *j, const char *key)
{
	if (j->err)
		return;
	if (j->depth == 0 || !j->is_obj[j->depth] || j->key_pending) {
		j->err = true;
		return;
	}
	if (j->has_member[j->depth])
		strbuf_putc(j->out, ',');
	j->has_member[j->depth] = true;
	json_escape(j->out, key, strlen(key));
	strbuf_putc(j->out, ':');
	j->key_pending = true;
}

void
json_strn(struct json *j, const char *s, size_t n)
{
	if (!json_value_prefix(j))
		return;
	json_escape(j->out, s, n);
	json_value_done(j);
}

void
json_str(struct json *j, const char *s)
{
	json_strn(j, s, strlen(s));
}

void
json_u64(struct json *j, uint64_t v)
{
	if (!json_value_prefix(j))
		return;
	strbuf_printf(j->out, "%" PRIu64, v);
	json_value_done(j);
}

void
json_i64(struct json *j, int64_t v)
{
	if (!json_value_prefix(j))
		return;
	strbuf_printf(j->out, "%" PRId64, v);
	json_value_done(j);
}

void
json_bool(struct json *j, bool v)
{
	if (!json_value_prefix(j))
		return;
	strbuf_puts(j->out, v ? "true" : "false");
	json_value_done(j);
}

void
json_null(struct json *j)
{
	if (!json_value_prefix(j))
		return;
	strbuf_puts(j->out, "null");
	json_value_done(j);
}

void
json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void
json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void
json_kv_i64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_i64(j, v);
}

void
json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

bool
json_finish(const struct json *j)
{
	return !j->err && !j->out->err && j->done && j->depth == 0;
}
