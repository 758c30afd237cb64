/*
 * route.h: which answer a request gets, from its path and method.
 */
#ifndef UC_ROUTE_H
#define UC_ROUTE_H

#include "cgi.h"

enum route {
	ROUTE_REGISTER,		/* POST /user/ */
	ROUTE_WRONG_METHOD,	/* /user/ with another method: 405 */
	ROUTE_ADD_SLASH,	/* /user: 307 to /user/ */
	ROUTE_NOT_FOUND,	/* anything else under the mount: 404 */
};

enum route	route_request(const struct request *r);

#endif
