/*
 * route.c: the one route of the app, as Starlette's router treats it: an
 * exact path match, 405 for a path that matches with another method, and
 * redirect_slashes for the mount point itself.
 */
#include <string.h>

#include "route.h"

static const struct {
	const char	*path_info;	/* NULL: PATH_INFO unset or empty */
	const char	*method;	/* NULL: any method */
	enum route	 route;
} routes[] = {
	{ "/", "POST", ROUTE_REGISTER },
	{ "/", NULL, ROUTE_WRONG_METHOD },
	{ NULL, NULL, ROUTE_ADD_SLASH },
};

enum route
route_request(const struct request *r)
{
	size_t	 i;
	int	 path_ok;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (routes[i].path_info == NULL)
			path_ok = r->path_info == NULL;
		else
			path_ok = r->path_info != NULL &&
			    strcmp(routes[i].path_info, r->path_info) == 0;
		if (path_ok && (routes[i].method == NULL ||
		    strcmp(routes[i].method, r->method) == 0))
			return routes[i].route;
	}
	return ROUTE_NOT_FOUND;
}
