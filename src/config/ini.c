/*
 * ini.c — line tokenizer for the configuration format; see ini.h for the
 * lexical rules.  Every error names the file and line, because a daemon
 * that refuses to start must say exactly where.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config/ini.h"

int
ini_error(char *errbuf, size_t errlen, const char *file, int line,
    const char *fmt, ...)
{
	char msg[INI_MAX_LINE + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (errlen > 0)
		snprintf(errbuf, errlen, "%s:%d: %s", file, line, msg);
	return -1;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *
trim(char *s)
{
	char *e;

	while (is_blank(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank(e[-1]))
		*--e = '\0';
	return s;
}

/*
 * Cuts an inline comment: `#` or `;` preceded by a blank.  Only called on the
 * part of the line after `=` or `]`, so keys and headers cannot hide one.
 */
static void
strip_comment(char *s)
{
	for (char *p = s; *p != '\0'; p++) {
		if ((*p == '#' || *p == ';') && (p == s || is_blank(p[-1]))) {
			*p = '\0';
			return;
		}
	}
}

static int
parse_header(char *line, struct ini_event *ev, char *msg, size_t msglen)
{
	char *close, *inner, *rest, *sp;

	close = strchr(line, ']');
	if (close == NULL) {
		snprintf(msg, msglen,
		    "unterminated section header "
		    "(missing ']')");
		return -1;
	}
	*close = '\0';
	rest = close + 1;
	if (*rest != '\0' && !is_blank(*rest)) {
		snprintf(msg, msglen, "unexpected text after ']'");
		return -1;
	}
	strip_comment(rest);
	if (*trim(rest) != '\0') {
		snprintf(msg, msglen, "unexpected text after ']'");
		return -1;
	}
	inner = trim(line + 1);
	if (*inner == '\0') {
		snprintf(msg, msglen, "empty section header");
		return -1;
	}
	if (strchr(inner, '[') != NULL) {
		snprintf(msg, msglen, "unexpected '[' in section header");
		return -1;
	}
	ev->section = inner;
	ev->name = NULL;
	for (sp = inner; *sp != '\0' && !is_blank(*sp); sp++)
		;
	if (*sp != '\0') {
		*sp++ = '\0';
		ev->name = trim(sp);
		for (const char *p = ev->name; *p != '\0'; p++) {
			if (is_blank(*p)) {
				snprintf(msg, msglen,
				    "section header takes "
				    "at most one name");
				return -1;
			}
		}
	}
	return 0;
}

static int
parse_line(char *line, struct ini_event *ev, char *msg, size_t msglen)
{
	char *s, *eq;

	s = trim(line);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 1; /* nothing */
	if (*s == '[')
		return parse_header(s, ev, msg, msglen);
	eq = strchr(s, '=');
	if (eq == NULL) {
		snprintf(msg, msglen,
		    "expected \"key = value\" or "
		    "\"[section]\"");
		return -1;
	}
	*eq = '\0';
	ev->key = trim(s);
	if (*ev->key == '\0') {
		snprintf(msg, msglen, "empty key before '='");
		return -1;
	}
	/* The blank before an inline comment may be the one after '='. */
	strip_comment(eq + 1);
	ev->value = trim(eq + 1);
	return 0;
}

int
ini_parse(const char *file, const char *buf, size_t len, ini_handler_fn *fn,
    void *arg, char *errbuf, size_t errlen, int *lastline)
{
	char line[INI_MAX_LINE];
	char msg[INI_MAX_LINE + 64];
	size_t pos = 0, n;
	int lineno = 0, r;

	if (lastline != NULL)
		*lastline = 0;
	while (pos < len) {
		struct ini_event ev = { 0 };
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;

		lineno++;
		if (lastline != NULL)
			*lastline = lineno;
		n = end - pos;
		if (n > 0 && buf[end - 1] == '\r')
			n--;
		if (n >= sizeof(line))
			return ini_error(errbuf, errlen, file, lineno,
			    "line too long (max %zu characters)",
			    sizeof(line) - 1);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)buf[pos + i];

			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return ini_error(errbuf, errlen, file, lineno,
				    "control character 0x%02x in line", c);
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos = end + 1;

		ev.line = lineno;
		msg[0] = '\0';
		r = parse_line(line, &ev, msg, sizeof(msg));
		if (r == 0)
			r = fn(arg, &ev, msg, sizeof(msg));
		if (r < 0)
			return ini_error(errbuf, errlen, file, lineno, "%s",
			    msg);
	}
	return 0;
}
