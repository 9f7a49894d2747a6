/*
 * lac_fastpath_skel.h — the generated skeleton of
 * dataplane/bpf/lac_fastpath.bpf.c, with its life cycle behind three calls
 * defined in lac_fastpath_skel.c (kept apart from static analysis, as
 * fastpath_skel.c is).
 */
#ifndef VPDN_DATAPLANE_LAC_FASTPATH_SKEL_H
#define VPDN_DATAPLANE_LAC_FASTPATH_SKEL_H

#include "lac_fastpath.skel.h" /* generated: build dir, see mk/bpf.mk */

struct lac_fastpath_bpf *lac_fastpath_skel_open(void);
int lac_fastpath_skel_load(struct lac_fastpath_bpf *s);
void lac_fastpath_skel_destroy(struct lac_fastpath_bpf *s);

#endif
