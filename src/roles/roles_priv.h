/* roles_priv.h — state shared by roles.c, lns.c and client.c only. */
#ifndef VPDN_ROLES_PRIV_H
#define VPDN_ROLES_PRIV_H

#include "roles/roles.h"

enum client_state {
	CLIENT_IDLE,		/* not dialled yet */
	CLIENT_DIALING,		/* tunnel and/or session being set up */
	CLIENT_UP,		/* session established */
	CLIENT_HANGUP,		/* session ended, tunnel being closed */
	CLIENT_WAIT_REDIAL,	/* back-off before the next dial */
	CLIENT_STOPPED,		/* redial = no, or shutting down */
};

struct client {
	struct roles		*roles;
	struct cfg_client	 cfg;		/* copy: survives reloads */
	enum client_state	 state;
	struct l2tp_tunnel	*tunnel;
	struct l2tp_session	*session;
	uint64_t		 redial_at;
	unsigned		 backoff_ms;
	unsigned		 dials;
	bool			 removed;	/* gone from the config on reload */
};

struct roles {
	const struct vpdn_config	*cfg;
	struct roles_io			 io;
	void				*io_ctx;
	struct l2tp_host		*host;
	struct client			*clients;
	unsigned			 client_count;
	bool				 shutting_down;
};

const char *client_state_str(enum client_state s);

/* lns.c */
int	lns_session_request(struct roles *r, struct l2tp_session *s,
	    const struct l2tp_msg *req);
void	lns_session_up(struct roles *r, struct l2tp_session *s,
	    const struct l2tp_msg *iccn);
void	lns_session_down(struct roles *r, struct l2tp_session *s);
void	lns_session_data(struct roles *r, struct l2tp_session *s,
	    const uint8_t *frame, size_t len);

/* client.c */
int	clients_init(struct roles *r, uint64_t now);
void	clients_free(struct roles *r);
void	clients_reconfigure(struct roles *r, const struct vpdn_config *cfg,
	    uint64_t now);
void	clients_run_timers(struct roles *r, uint64_t now);
uint64_t clients_next_deadline(const struct roles *r);
void	clients_shutdown(struct roles *r, uint64_t now);
void	client_tunnel_up(struct client *c, struct l2tp_tunnel *t);
void	client_tunnel_down(struct client *c, struct l2tp_tunnel *t);
void	client_session_up(struct client *c, struct l2tp_session *s);
void	client_session_down(struct client *c, struct l2tp_session *s);
void	client_session_data(struct client *c, struct l2tp_session *s,
	    const uint8_t *frame, size_t len);

#endif
