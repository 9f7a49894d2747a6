/*
 * bpf_owner.c — see bpf_owner.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "dataplane/bpf_owner.h"

int
bpf_owner_start_time(pid_t pid, uint64_t *start)
{
	char path[64], buf[1024], *p, *end;
	unsigned long long v;
	FILE *f;
	size_t n;
	int field;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	(void)fclose(f);
	buf[n] = '\0';
	/* The command name (field 2) may hold spaces and ')': skip to the
	 * last ')', after which field 3 starts. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	p++;
	for (field = 2; field < 21 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	errno = 0;
	v = strtoull(p + 1, &end, 10);
	if (errno != 0 || end == p + 1)
		return -1;
	*start = v;
	return 0;
}

bool
bpf_owner_alive(uint32_t pid, uint64_t start)
{
	uint64_t now_start;

	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return false;
	/* The PID exists: the same process only if it started when the
	 * recorded one did. */
	return bpf_owner_start_time((pid_t)pid, &now_start) == 0 &&
	    now_start == start;
}

struct owner_rec {
	uint32_t pid;
	uint32_t pad;
	uint64_t start_time;
};

int
bpf_owner_of_prog(int prog_fd, const char *map_name, uint32_t *pid,
    uint64_t *start)
{
	uint32_t ids[16], len, i, k = 0;
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	struct owner_rec own;
	int mfd, rc = -1;

	memset(&pi, 0, sizeof(pi));
	pi.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	pi.map_ids = (uint64_t)(uintptr_t)ids;
	len = sizeof(pi);
	if (bpf_obj_get_info_by_fd(prog_fd, &pi, &len) != 0)
		return -1;
	if (pi.nr_map_ids > sizeof(ids) / sizeof(ids[0]))
		pi.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	for (i = 0; i < pi.nr_map_ids && rc != 0; i++) {
		if ((mfd = bpf_map_get_fd_by_id(ids[i])) < 0)
			continue;
		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		if (bpf_obj_get_info_by_fd(mfd, &mi, &len) == 0 &&
		    strcmp(mi.name, map_name) == 0 &&
		    mi.value_size == sizeof(own) &&
		    bpf_map_lookup_elem(mfd, &k, &own) == 0) {
			*pid = own.pid;
			*start = own.start_time;
			rc = 0;
		}
		(void)close(mfd);
	}
	return rc;
}
