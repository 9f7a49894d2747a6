/*
 * users.c — the local users file (format in users.h): parsed into an array
 * sorted by name, looked up with bsearch(3).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/ini.h"
#include "config/schema.h"
#include "config/users.h"
#include "core/file.h"

#define USERS_MAX_FILE	((size_t)16 * 1024 * 1024)
#define USERS_MAX_FIELD (CFG_MAX_STR - 1) /* PPP names and secrets */
#define RATE_PLAN_KEY	"rate-plan="

struct users_db {
	struct user_entry *v;
	size_t n;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct user_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static int
key_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct user_entry *)e)->name);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Cuts line into at most nf blank-separated fields; returns the count. */
static size_t
split_fields(char *line, char **f, size_t nf)
{
	size_t n = 0;
	char *p = line;

	while (n < nf) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		f[n++] = p;
		while (*p != '\0' && !is_blank(*p))
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

static int
parse_line(const char *file, int lineno, char *line, struct users_db *db,
    size_t *cap, char *errbuf, size_t errlen)
{
	char *f[5];
	size_t n;
	uint32_t addr = 0;
	const char *plan = NULL;
	struct user_entry *e;

	n = split_fields(line, f, 5);
	if (n == 0 || f[0][0] == '#')
		return 0;
	if (strlen(f[0]) > USERS_MAX_FIELD)
		return ini_error(errbuf, errlen, file, lineno,
		    "user name too long (max %d characters)", USERS_MAX_FIELD);
	if (n < 2)
		return ini_error(errbuf, errlen, file, lineno,
		    "missing password for user \"%s\"", f[0]);
	if (strlen(f[1]) > USERS_MAX_FIELD)
		return ini_error(errbuf, errlen, file, lineno,
		    "password too long for user \"%s\" (max %d characters)",
		    f[0], USERS_MAX_FIELD);
	/* Fields after the password that start with '#' begin a comment;
	 * an address, then rate-plan=PLAN, both optional. */
	for (size_t i = 2; i < n; i++) {
		if (f[i][0] == '#') {
			n = i;
			break;
		}
	}
	if (n >= 3 &&
	    strncmp(f[n - 1], RATE_PLAN_KEY, strlen(RATE_PLAN_KEY)) == 0) {
		plan = f[n - 1] + strlen(RATE_PLAN_KEY);
		if (*plan == '\0' || strlen(plan) > USERS_MAX_FIELD)
			return ini_error(errbuf, errlen, file, lineno,
			    "invalid rate-plan for user \"%s\"", f[0]);
		n--;
	}
	if (n >= 4)
		return ini_error(errbuf, errlen, file, lineno,
		    "unexpected text after the address of user \"%s\"", f[0]);
	if (n == 3 && strcmp(f[2], "*") != 0 &&
	    schema_parse_ipv4(f[2], &addr) < 0)
		return ini_error(errbuf, errlen, file, lineno,
		    "invalid address \"%s\" for user \"%s\"", f[2], f[0]);

	if (db->n == *cap) {
		size_t ncap = *cap == 0 ? 64 : *cap * 2;
		struct user_entry *v = reallocarray(db->v, ncap, sizeof(*v));

		if (v == NULL)
			return ini_error(errbuf, errlen, file, lineno,
			    "out of memory");
		db->v = v;
		*cap = ncap;
	}
	e = &db->v[db->n];
	e->name = strdup(f[0]);
	e->password = strdup(f[1]);
	e->addr = addr;
	e->line = lineno;
	e->rate_plan = plan != NULL ? strdup(plan) : NULL;
	if (e->name == NULL || e->password == NULL ||
	    (plan != NULL && e->rate_plan == NULL)) {
		free((char *)(uintptr_t)e->name);
		free((char *)(uintptr_t)e->password);
		free((char *)(uintptr_t)e->rate_plan);
		return ini_error(errbuf, errlen, file, lineno, "out of memory");
	}
	db->n++;
	return 0;
}

struct users_db *
users_parse(const char *file, const char *buf, size_t len, char *errbuf,
    size_t errlen)
{
	struct users_db *db;
	char line[INI_MAX_LINE];
	size_t pos = 0, cap = 0, n;
	int lineno = 0, r = 0;

	if (errlen > 0)
		errbuf[0] = '\0';
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		snprintf(errbuf, errlen, "%s: out of memory", file);
		return NULL;
	}
	while (r == 0 && pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;

		lineno++;
		n = end - pos;
		if (n > 0 && buf[end - 1] == '\r')
			n--;
		if (n >= sizeof(line)) {
			r = ini_error(errbuf, errlen, file, lineno,
			    "line too long (max %zu characters)",
			    sizeof(line) - 1);
			break;
		}
		for (size_t i = 0; i < n && r == 0; i++) {
			unsigned char c = (unsigned char)buf[pos + i];

			if ((c < 0x20 && c != '\t') || c == 0x7f)
				r = ini_error(errbuf, errlen, file, lineno,
				    "control character 0x%02x in line", c);
		}
		if (r != 0)
			break;
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos = end + 1;
		r = parse_line(file, lineno, line, db, &cap, errbuf, errlen);
		explicit_bzero(line, sizeof(line));
	}
	if (r == 0 && db->n > 1) {
		qsort(db->v, db->n, sizeof(*db->v), entry_cmp);
		/* Sorted by (name, line): the later twin is the error. */
		for (size_t i = 1; i < db->n; i++) {
			if (strcmp(db->v[i - 1].name, db->v[i].name) == 0) {
				r = ini_error(errbuf, errlen, file,
				    db->v[i].line,
				    "duplicate user \"%s\" "
				    "(first at line %d)",
				    db->v[i].name, db->v[i - 1].line);
				break;
			}
		}
	}
	if (r != 0) {
		users_free(db);
		return NULL;
	}
	return db;
}

struct users_db *
users_load(const char *path, char *errbuf, size_t errlen)
{
	struct users_db *db;
	char *buf;
	size_t got;

	if (file_read_all(path, USERS_MAX_FILE, &buf, &got, errbuf, errlen) < 0)
		return NULL;
	db = users_parse(path, buf, got, errbuf, errlen);
	explicit_bzero(buf, got);
	free(buf);
	return db;
}

const struct user_entry *
users_lookup(const struct users_db *db, const char *name)
{
	if (db == NULL || db->n == 0)
		return NULL;
	return bsearch(name, db->v, db->n, sizeof(*db->v), key_cmp);
}

size_t
users_count(const struct users_db *db)
{
	return db == NULL ? 0 : db->n;
}

const struct user_entry *
users_at(const struct users_db *db, size_t i)
{
	return &db->v[i];
}

void
users_free(struct users_db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->n; i++) {
		char *pw = (char *)(uintptr_t)db->v[i].password;

		explicit_bzero(pw, strlen(pw));
		free(pw);
		free((char *)(uintptr_t)db->v[i].name);
		free((char *)(uintptr_t)db->v[i].rate_plan);
	}
	free(db->v);
	free(db);
}
