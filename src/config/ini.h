/*
 * ini.h — the tokenizer of vpdnd's INI configuration format
 * (shared/INTERFACE.md, "Configuration file").
 *
 * It knows nothing about sections or keys: it cuts a buffer into events
 * (a `[section]` / `[section NAME]` header, or a `key = value` line) and hands
 * each one, trimmed and with its line number, to a callback.  Meaning lives in
 * schema.c; this split keeps the lexer small enough to fuzz (tests/fuzz).
 *
 * Lexical rules:
 *   - blank lines and lines whose first non-blank character is `#` or `;`
 *     are comments;
 *   - elsewhere `#` or `;` preceded by a blank starts a comment that runs to
 *     the end of the line ("key = a#b" keeps "a#b", "key = a #b" gives "a");
 *   - a value is everything after the first `=`, blanks trimmed at both ends;
 *   - a line (without its newline) is at most INI_MAX_LINE - 1 bytes; a CR
 *     before the newline is dropped; other control bytes are errors.
 */
#ifndef VPDN_CONFIG_INI_H
#define VPDN_CONFIG_INI_H

#include <stddef.h>

#define INI_MAX_LINE 1024

struct ini_event {
	int line;
	/* A header: section is its first word, name the optional second one
	 * (NULL when absent); key and value are NULL. */
	const char *section;
	const char *name;
	/* A `key = value` line: key and value are set, section/name NULL. */
	const char *key;
	const char *value;
};

/*
 * Called once per event.  Returns 0 to go on, or -1 after writing a message
 * (without FILE:LINE prefix) into msg; ini_parse() then stops and formats
 * "FILE:LINE: msg" into its errbuf.  The strings live only during the call.
 */
typedef int ini_handler_fn(void *arg, const struct ini_event *ev, char *msg,
    size_t msglen);

/*
 * Tokenizes buf[0..len) (need not be NUL-terminated).  file is only used in
 * messages.  Returns 0, or -1 with "FILE:LINE: message" in errbuf.  *lastline
 * (if not NULL) receives the number of the last line read.
 */
int ini_parse(const char *file, const char *buf, size_t len, ini_handler_fn *fn,
    void *arg, char *errbuf, size_t errlen, int *lastline);

/* Formats "FILE:LINE: message" into errbuf; always returns -1. */
int ini_error(char *errbuf, size_t errlen, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
