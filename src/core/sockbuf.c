#include <sys/socket.h>

#include "core/sockbuf.h"

void
sockbuf_grow(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) <
	    0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes,
		    sizeof(bytes));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof(bytes)) <
	    0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes,
		    sizeof(bytes));
}
