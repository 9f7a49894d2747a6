/*
 * fastpath_skel.h — the generated skeleton of dataplane/bpf/fastpath.bpf.c
 * (its maps and programs by name), with its life cycle behind three calls
 * defined in fastpath_skel.c.
 */
#ifndef VPDN_DATAPLANE_FASTPATH_SKEL_H
#define VPDN_DATAPLANE_FASTPATH_SKEL_H

#include "fastpath.skel.h" /* generated: build dir, see mk/bpf.mk */

struct fastpath_bpf *fastpath_skel_open(void);
int fastpath_skel_load(struct fastpath_bpf *s);
void fastpath_skel_destroy(struct fastpath_bpf *s);

#endif
