/*
 * validate.h: the UserIn model, validated as pydantic 2 validates it.
 */
#ifndef UC_VALIDATE_H
#define UC_VALIDATE_H

#include <stddef.h>

#include "body.h"
#include "errors.h"

struct user_in {
	const char	*username;	/* borrowed from the body */
	size_t		 username_len;	/* strings may hold NUL ("\u0000") */
	const char	*password;	/* borrowed from the body */
	size_t		 password_len;
	char		*email;		/* the normalized address, ours */
	const char	*full_name;	/* borrowed; NULL when null or absent */
	size_t		 full_name_len;
};

/*
 * Validate the body as UserIn.  UC_OK with u filled; UC_ERR_INVALID with
 * every error in errs, in field order; UC_ERR_NOMEM.
 */
int	validate_user_in(const struct body *b, struct user_in *u,
	    struct verrors *errs);
void	user_in_free(struct user_in *u);

#endif
