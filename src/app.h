/*
 * app.h: one request in, one response out: routing, the body, validation
 * and registration, and the mapping of every outcome to an HTTP answer.
 */
#ifndef UC_APP_H
#define UC_APP_H

#include "cgi.h"
#include "config.h"
#include "err.h"
#include "response.h"

/*
 * Answer req, reading its body from body_fd when the route needs it.
 * Always leaves a complete answer in resp.  Returns UC_OK, or the error
 * behind a 500 with its reason in d for the server's log.
 */
int	app_handle(const struct request *req, const struct app_config *cfg,
	    int body_fd, struct response *resp, struct diag *d);

/*
 * The 500 of a refused setting: the body is still read (see app.c), then
 * Starlette's plain-text error page.
 */
void	app_refuse(const struct request *req, const struct app_config *cfg,
	    int body_fd, struct response *resp);

#endif
