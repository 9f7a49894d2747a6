/*
 * bench_redial.c — per-host names, the redial back-off and the outage
 * record of vpdn-bench pppoe (bench_redial.h).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "cmd/bench_redial.h"

unsigned
bench_redial_backoff(unsigned prev_ms)
{
	if (prev_ms == 0)
		return BENCH_REDIAL_MIN_MS;
	return prev_ms >= BENCH_REDIAL_MAX_MS / 2 ? BENCH_REDIAL_MAX_MS :
						    prev_ms * 2;
}

int
bench_expand(const char *tmpl, unsigned n, char *out, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return -1;
	for (const char *p = tmpl; *p != '\0'; p++) {
		char num[16];
		const char *add = num;
		size_t k;

		if (*p != '%') {
			num[0] = *p;
			num[1] = '\0';
		} else if (p[1] == 'u') {
			snprintf(num, sizeof(num), "%u", n);
			p++;
		} else if (p[1] == '%') {
			add = "%";
			p++;
		} else {
			return -1;
		}
		k = strlen(add);
		if (len + k >= cap)
			return -1;
		memcpy(out + len, add, k);
		len += k;
	}
	out[len] = '\0';
	return 0;
}

int
bench_outages_init(struct bench_outages *r, unsigned hosts)
{
	memset(r, 0, sizeof(*r));
	r->hosts = hosts;
	r->open = calloc(hosts > 0 ? hosts : 1, sizeof(*r->open));
	return r->open != NULL ? 0 : -1;
}

void
bench_outages_free(struct bench_outages *r)
{
	free(r->v);
	free(r->open);
	memset(r, 0, sizeof(*r));
}

int
bench_outage_down(struct bench_outages *r, unsigned host, uint64_t now)
{
	if (host >= r->hosts || r->open[host] != 0)
		return 0;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		struct bench_outage *v = reallocarray(r->v, cap, sizeof(*v));

		if (v == NULL)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n] = (struct bench_outage){ .host = host, .down_ms = now };
	r->n++;
	r->open[host] = (uint32_t)r->n;
	return 0;
}

void
bench_outage_up(struct bench_outages *r, unsigned host, uint64_t now)
{
	if (host >= r->hosts || r->open[host] == 0)
		return;
	r->v[r->open[host] - 1].up_ms = now;
	r->open[host] = 0;
}

unsigned
bench_outages_pending(const struct bench_outages *r)
{
	unsigned c = 0;

	for (unsigned i = 0; i < r->hosts; i++)
		c += r->open[i] != 0;
	return c;
}

size_t
bench_outages_start_of(const struct bench_outages *r, uint64_t at)
{
	size_t from = r->n;

	/* recorded in the order of their clocks: the latest ones last */
	while (from > r->mark_from && r->v[from - 1].down_ms >= at)
		from--;
	return from;
}

void
bench_outages_mark(struct bench_outages *r, uint64_t at)
{
	r->mark_from = bench_outages_start_of(r, at);
	r->mark_ms = at;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The ceil(p * n)-th smallest of the n sorted values. */
static double
rank(const double *v, size_t n, double p)
{
	size_t k = (size_t)(p * (double)n);

	if ((double)k < p * (double)n)
		k++;
	return v[k > 0 ? k - 1 : 0];
}

void
bench_dist_of(double *v, size_t n, struct bench_dist *d)
{
	memset(d, 0, sizeof(*d));
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	d->n = n;
	d->min = v[0];
	d->median = rank(v, n, 0.5);
	d->p90 = rank(v, n, 0.9);
	d->p99 = rank(v, n, 0.99);
	d->max = v[n - 1];
}

int
bench_outages_window(const struct bench_outages *r, size_t end,
    struct bench_window *w)
{
	size_t m, nb = 0;
	double *since, *outage;
	unsigned char *seen;

	if (end > r->n)
		end = r->n;
	if (end < r->mark_from)
		end = r->mark_from;
	m = end - r->mark_from;
	since = calloc(m > 0 ? m : 1, sizeof(*since));
	outage = calloc(m > 0 ? m : 1, sizeof(*outage));
	seen = calloc(r->hosts > 0 ? r->hosts : 1, 1);
	memset(w, 0, sizeof(*w));
	w->all_back_s = -1;
	if (since == NULL || outage == NULL || seen == NULL) {
		free(since);
		free(outage);
		free(seen);
		return -1;
	}
	for (size_t i = r->mark_from; i < end; i++) {
		const struct bench_outage *o = &r->v[i];

		if (seen[o->host])
			continue; /* its first outage in the window counts */
		seen[o->host] = 1;
		{
			double d = o->down_ms > r->mark_ms ?
			    (double)(o->down_ms - r->mark_ms) / 1000.0 :
			    0.0;

			if (w->down == 0 || d < w->first_down_s)
				w->first_down_s = d;
			if (d > w->last_down_s)
				w->last_down_s = d;
		}
		w->down++;
		if (o->up_ms == 0) {
			w->pending++;
			continue;
		}
		since[nb] = (double)(o->up_ms - r->mark_ms) / 1000.0;
		outage[nb] = (double)(o->up_ms - o->down_ms) / 1000.0;
		nb++;
	}
	w->back = (unsigned)nb;
	bench_dist_of(since, nb, &w->since);
	bench_dist_of(outage, nb, &w->outage);
	if (w->down > 0 && w->pending == 0)
		w->all_back_s = w->since.max;
	free(since);
	free(outage);
	free(seen);
	return 0;
}
