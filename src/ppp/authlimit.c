/*
 * authlimit.c — PPP authentication failure back-off (see authlimit.h).
 */
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "ppp/authlimit.h"

enum al_kind { AL_USER = 1, AL_PEER = 2 };

struct al_entry {
	uint64_t hash;	       /* 0: free */
	uint64_t last_fail;    /* ms */
	uint64_t locked_until; /* ms; 0: not locked */
	unsigned failures;     /* since the last lockout or success */
	uint8_t kind;
	char name[64];
};

struct authlimit {
	struct al_entry *e;
	unsigned cap;
	unsigned limit;
	uint64_t lockout_ms;
	struct authlimit_stats stats;
};

/* FNV-1a over the kind and the whole name. */
static uint64_t
al_hash(enum al_kind kind, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = (h ^ (uint8_t)kind) * 0x100000001b3ULL;
	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h != 0 ? h : 1;
}

static struct al_entry *
al_find(struct authlimit *a, enum al_kind kind, const char *name)
{
	uint64_t h = al_hash(kind, name);

	for (unsigned i = 0; i < a->cap; i++) {
		struct al_entry *e = &a->e[i];

		if (e->hash == h && e->kind == kind &&
		    strncmp(e->name, name, sizeof(e->name) - 1) == 0)
			return e;
	}
	return NULL;
}

static bool
al_is_locked(const struct al_entry *e, uint64_t now)
{
	return e->locked_until != 0 && now < e->locked_until;
}

/* A free slot; when full, the least recently failed unlocked entry, else
 * the locked one that is released first. */
static struct al_entry *
al_slot(struct authlimit *a, uint64_t now)
{
	struct al_entry *free_e = NULL, *old = NULL, *locked = NULL;

	for (unsigned i = 0; i < a->cap; i++) {
		struct al_entry *e = &a->e[i];

		if (e->hash == 0) {
			free_e = e;
			break;
		}
		if (!al_is_locked(e, now)) {
			if (old == NULL || e->last_fail < old->last_fail)
				old = e;
		} else if (locked == NULL ||
		    e->locked_until < locked->locked_until) {
			locked = e;
		}
	}
	if (free_e != NULL) {
		a->stats.entries++;
		return free_e;
	}
	a->stats.reused++;
	return old != NULL ? old : locked;
}

struct authlimit *
authlimit_new(unsigned capacity)
{
	struct authlimit *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->cap = capacity != 0 ? capacity : AUTHLIMIT_CAPACITY;
	if ((a->e = calloc(a->cap, sizeof(*a->e))) == NULL) {
		free(a);
		return NULL;
	}
	a->limit = 5;
	a->lockout_ms = 60000;
	return a;
}

void
authlimit_free(struct authlimit *a)
{
	if (a == NULL)
		return;
	free(a->e);
	free(a);
}

void
authlimit_configure(struct authlimit *a, unsigned limit, uint64_t lockout_ms)
{
	a->limit = limit;
	a->lockout_ms = lockout_ms > 0 ? lockout_ms : 1;
}

static bool
al_present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

bool
authlimit_locked(struct authlimit *a, const char *user, const char *peer,
    uint64_t now)
{
	struct al_entry *u, *p;

	if (a->limit == 0)
		return false;
	u = al_present(user) ? al_find(a, AL_USER, user) : NULL;
	p = al_present(peer) ? al_find(a, AL_PEER, peer) : NULL;
	if ((u != NULL && al_is_locked(u, now)) ||
	    (p != NULL && al_is_locked(p, now))) {
		a->stats.locked_attempts++;
		return true;
	}
	return false;
}

/* One failure of one key; true if it began a lockout. */
static bool
al_fail(struct authlimit *a, enum al_kind kind, const char *name, uint64_t now)
{
	struct al_entry *e = al_find(a, kind, name);

	if (e == NULL) {
		if ((e = al_slot(a, now)) == NULL)
			return false;
		memset(e, 0, sizeof(*e));
		e->hash = al_hash(kind, name);
		e->kind = (uint8_t)kind;
		strlcpy(e->name, name, sizeof(e->name));
	}
	if (al_is_locked(e, now))
		return false; /* raced with a lockout: already counted */
	/* Failures further apart than the lockout do not add up, and an
	 * expired lockout starts a new count. */
	if (e->locked_until != 0 || now - e->last_fail > a->lockout_ms)
		e->failures = 0;
	e->locked_until = 0;
	e->last_fail = now;
	if (++e->failures < a->limit)
		return false;
	e->failures = 0;
	e->locked_until = now + a->lockout_ms;
	a->stats.lockouts++;
	return true;
}

unsigned
authlimit_failure(struct authlimit *a, const char *user, const char *peer,
    uint64_t now)
{
	unsigned began = 0;

	if (a->limit == 0)
		return 0;
	if (al_present(user) && al_fail(a, AL_USER, user, now))
		began |= AUTHLIMIT_LOCKED_USER;
	if (al_present(peer) && al_fail(a, AL_PEER, peer, now))
		began |= AUTHLIMIT_LOCKED_PEER;
	return began;
}

static void
al_clear(struct authlimit *a, enum al_kind kind, const char *name, uint64_t now)
{
	struct al_entry *e = al_find(a, kind, name);

	/* A success does not lift a lockout (an answer to an attempt made
	 * before it began can still arrive from an asynchronous backend). */
	if (e != NULL && !al_is_locked(e, now)) {
		memset(e, 0, sizeof(*e));
		a->stats.entries--;
	}
}

void
authlimit_success(struct authlimit *a, const char *user, const char *peer,
    uint64_t now)
{
	if (al_present(user))
		al_clear(a, AL_USER, user, now);
	if (al_present(peer))
		al_clear(a, AL_PEER, peer, now);
}

const struct authlimit_stats *
authlimit_stats(struct authlimit *a)
{
	return &a->stats;
}
