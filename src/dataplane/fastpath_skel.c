/*
 * fastpath_skel.c — the one caller of the generated skeleton's life-cycle
 * functions (build dir: fastpath.skel.h, from `bpftool gen skeleton`).
 *
 * Kept apart so that static analysis of fastpath.c does not walk into
 * bpftool's generated code, whose error paths free through libbpf where
 * the analyzer cannot follow (mk/check.mk scopes that one exception to this
 * file).
 */
#include "dataplane/fastpath_skel.h"

struct fastpath_bpf *
fastpath_skel_open(void)
{
	return fastpath_bpf__open();
}

int
fastpath_skel_load(struct fastpath_bpf *s)
{
	return fastpath_bpf__load(s);
}

void
fastpath_skel_destroy(struct fastpath_bpf *s)
{
	fastpath_bpf__destroy(s);
}
