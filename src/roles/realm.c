/*
 * realm.c — user@realm parsing and the [realm] lookup (see the header).
 */
#include <string.h>
#include <strings.h>

#include "roles/realm.h"

const char *
realm_of(const char *user)
{
	const char *at = strrchr(user, '@');

	/* the last '@': a user part may itself contain one */
	if (at == NULL || at[1] == '\0')
		return NULL;
	return at + 1;
}

const struct cfg_realm *
realm_find(const struct vpdn_config *cfg, const char *name)
{
	if (name == NULL)
		return NULL;
	for (unsigned i = 0; i < cfg->realm_count; i++)
		if (strcasecmp(cfg->realms[i].name, name) == 0)
			return &cfg->realms[i];
	return NULL;
}

const char *
realm_strip(const char *user, char *out, size_t len)
{
	const char *at = strrchr(user, '@');
	size_t n = at != NULL ? (size_t)(at - user) : strlen(user);

	if (len == 0)
		return out;
	if (n >= len)
		n = len - 1;
	memcpy(out, user, n);
	out[n] = '\0';
	return out;
}
