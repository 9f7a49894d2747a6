/*
 * lac_fastpath_skel.c — the one caller of the generated LAC skeleton's
 * life-cycle functions (build dir: lac_fastpath.skel.h).
 */
#include "dataplane/lac_fastpath_skel.h"

struct lac_fastpath_bpf *
lac_fastpath_skel_open(void)
{
	return lac_fastpath_bpf__open();
}

int
lac_fastpath_skel_load(struct lac_fastpath_bpf *s)
{
	return lac_fastpath_bpf__load(s);
}

void
lac_fastpath_skel_destroy(struct lac_fastpath_bpf *s)
{
	lac_fastpath_bpf__destroy(s);
}
