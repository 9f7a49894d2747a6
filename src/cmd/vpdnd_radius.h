/*
 * vpdnd_radius.h — the daemon's RADIUS sockets, built from [radius]: the
 * client the roles send through (vpdnd_io.c hands it to them as the
 * seam's radius_send/cancel/pending) and the RFC 5176 Disconnect/CoA
 * listener, which acts on the roles through roles_dae_disconnect/coa.
 */
#ifndef VPDN_CMD_VPDND_RADIUS_H
#define VPDN_CMD_VPDND_RADIUS_H

#include "config/config.h"

struct ev_loop;
struct radius_client;
struct roles;
struct vpdnd_dae;

/* The client with its servers (accounting defaults to the authentication
 * servers on port 1813, RFC 2866 §3); NULL with the reason logged. */
struct radius_client *radius_client_from_config(struct ev_loop *loop,
    const struct cfg_radius *rc);

/* dae-listen: the listener whose only clients are the [radius] servers,
 * acting on r; NULL on failure (logged).  after(arg) runs after each
 * request, as after a watched descriptor. */
struct vpdnd_dae *vpdnd_dae_new(struct ev_loop *loop,
    const struct cfg_radius *rc, struct roles *r, void (*after)(void *arg),
    void *arg);
void vpdnd_dae_free(struct vpdnd_dae *dd);

#endif
