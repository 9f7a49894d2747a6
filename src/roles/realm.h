/*
 * realm.h — which enterprise a dialling user belongs to.
 *
 * A LAC routes "alice@corp-a.example" by the part after the last '@' to the
 * [realm corp-a.example] section (names compared case-insensitively: DNS
 * names, RFC 4343), and may send the name without it (strip-realm).
 * Pure functions over the configuration; the table is small (a few realms),
 * so a lookup walks it.
 */
#ifndef VPDN_ROLES_REALM_H
#define VPDN_ROLES_REALM_H

#include <stddef.h>

#include "config/config.h"

/* The realm part of user ("corp.example" of "alice@corp.example"), or NULL
 * when there is none (no '@', or nothing after it). */
const char *realm_of(const char *user);
/* The [realm] section for name, or NULL. */
const struct cfg_realm *realm_find(const struct vpdn_config *cfg,
    const char *name);
/* user without "@realm" into out (the whole name when there is no realm);
 * returns out. */
const char *realm_strip(const char *user, char *out, size_t len);

#endif
