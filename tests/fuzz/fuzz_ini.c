/*
 * fuzz_ini.c — the configuration file (ini.c tokenizer + schema.c types +
 * config.c cross-checks, through config_load()) and the users file
 * (users_parse()).
 *
 * Input: byte 0 bit 0 chooses users file (1) or configuration (0); the rest
 * is the file.  The configuration goes through the real entry point,
 * config_load(), on a memfd (a regular file, as config_load demands).
 * Invariants: an error always comes with a "FILE:LINE: message"-shaped
 * text; a loaded config is internally consistent; lookups find every user.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/config.h"
#include "config/users.h"
#include "fuzz.h"

static void
check_config(const struct vpdn_config *cfg)
{
	FUZZ_CHECK(
	    cfg->lns.enabled || cfg->lac.enabled || cfg->client_count > 0);
	FUZZ_CHECK(cfg->lns.pool_count <= CFG_MAX_LIST);
	FUZZ_CHECK(cfg->lns.dns_count <= 2);
	FUZZ_CHECK(cfg->lns.auth.count <= 3);
	FUZZ_CHECK(cfg->radius.server_count <= CFG_MAX_LIST);
	for (unsigned i = 0; i < cfg->lns.pool_count; i++)
		FUZZ_CHECK(cfg->lns.pool[i].first <= cfg->lns.pool[i].last);
	for (unsigned i = 0; i < cfg->realm_count; i++) {
		FUZZ_CHECK(memchr(cfg->realms[i].name, '\0', CFG_MAX_STR));
		FUZZ_CHECK(cfg->realms[i].lns_count <= CFG_MAX_LIST);
	}
	for (unsigned i = 0; i < cfg->client_count; i++) {
		FUZZ_CHECK(memchr(cfg->clients[i].name, '\0', CFG_MAX_STR));
		FUZZ_CHECK(cfg->clients[i].route_count <= CFG_MAX_LIST);
		FUZZ_CHECK(cfg->clients[i].auth.count <= 3);
	}
}

static void
fuzz_config(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct vpdn_config *cfg;
	char path[64], err[512];

	if (fd < 0) {
		fd = memfd_create("fuzz-vpdn.conf", MFD_CLOEXEC);
		FUZZ_CHECK(fd >= 0);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(err, 'x', sizeof(err));
	cfg = config_load(path, err, sizeof(err));
	if (cfg == NULL) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0);
		return;
	}
	check_config(cfg);
	config_free(cfg);
}

static void
fuzz_users(const uint8_t *data, size_t size)
{
	struct users_db *db;
	const struct user_entry *e;
	char err[512];

	db = users_parse("users", (const char *)data, size, err, sizeof(err));
	if (db == NULL) {
		FUZZ_CHECK(strncmp(err, "users", 5) == 0);
		return;
	}
	FUZZ_CHECK(users_count(db) <= size);
	/* Every name in the input that parsed must be found again: look up
	 * each first field of the first few lines. */
	for (size_t off = 0, line = 0; off < size && line < 8; line++) {
		char name[256];
		size_t n = 0;

		while (off < size && (data[off] == ' ' || data[off] == '\t'))
			off++;
		while (off < size && n < sizeof(name) - 1 && data[off] != ' ' &&
		    data[off] != '\t' && data[off] != '\n' && data[off] != '\0')
			name[n++] = (char)data[off++];
		name[n] = '\0';
		e = users_lookup(db, name);
		if (e != NULL) {
			FUZZ_CHECK(strcmp(e->name, name) == 0);
			FUZZ_CHECK(e->password != NULL);
		}
		while (off < size && data[off] != '\n')
			off++;
		off++;
	}
	users_free(db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_users(data + 1, size - 1);
	else
		fuzz_config(data + 1, size - 1);
	return 0;
}
