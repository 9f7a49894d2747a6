/*
 * lns_access_line.c — an LNS call's RFC 5515 access line between ICRQ and
 * ICCN (see the header).
 */
#include <stdlib.h>

#include "core/log.h"
#include "roles/lns_access_line.h"

void
lns_al_hold(struct lns_al **head, const struct l2tp_session *s,
    const struct access_line *al)
{
	struct lns_al *e;

	if (access_line_empty(al))
		return;
	lns_al_drop(head, s); /* a retransmitted ICRQ is the same call */
	if ((e = malloc(sizeof(*e))) == NULL) {
		log_warnx("lns: no memory to keep a call's access line");
		return;
	}
	e->s = s;
	e->al = *al;
	e->next = *head;
	*head = e;
}

struct lns_al *
lns_al_take(struct lns_al **head, const struct l2tp_session *s)
{
	for (struct lns_al **p = head; *p != NULL; p = &(*p)->next)
		if ((*p)->s == s) {
			struct lns_al *e = *p;

			*p = e->next;
			e->next = NULL;
			return e;
		}
	return NULL;
}

void
lns_al_drop(struct lns_al **head, const struct l2tp_session *s)
{
	free(lns_al_take(head, s));
}
