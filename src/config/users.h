/*
 * users.h — the local users file of shared/INTERFACE.md:
 *
 *     # comment
 *     NAME  PASSWORD  [ADDRESS|*]  [rate-plan=PLAN]
 *
 * `*` or no address: an address from the pool.  rate-plan= names the
 * user's [rate-plan] (the LNS checks that it exists when it loads the
 * file).  A `#` that starts a line
 * (after blanks), or a field after the password, begins a comment, so a
 * password may itself start with `#`.  Names are unique and compared
 * exactly (PPP user names are case-sensitive, RFC 1334 §2.2.1 / RFC 1994).
 *
 * The roles load the file when they start or reload (config_load() only
 * records its path).  Lookup is a binary search over the sorted entries.
 */
#ifndef VPDN_CONFIG_USERS_H
#define VPDN_CONFIG_USERS_H

#include <stddef.h>
#include <stdint.h>

struct user_entry {
	const char *name;
	const char *password;
	uint32_t addr;	       /* host order; 0 = from the pool */
	int line;	       /* in the file, for log messages */
	const char *rate_plan; /* NULL: none */
};

struct users_db;

/*
 * Loads path.  Returns NULL with "FILE:LINE: message" (or "FILE: reason")
 * in errbuf; passwords never appear in messages.
 */
struct users_db *users_load(const char *path, char *errbuf, size_t errlen);
/* Same, from memory (tests, fuzzing); file is used in messages only. */
struct users_db *users_parse(const char *file, const char *buf, size_t len,
    char *errbuf, size_t errlen);
const struct user_entry *users_lookup(const struct users_db *db,
    const char *name);
size_t users_count(const struct users_db *db);
/* The i-th entry (in name order), i < users_count(). */
const struct user_entry *users_at(const struct users_db *db, size_t i);
/* Wipes the passwords and frees; NULL is fine. */
void users_free(struct users_db *db);

#endif
