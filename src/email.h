/*
 * email.h: pydantic's EmailStr, i.e. pydantic's wrapper around
 * email-validator 2.3's validate_email(check_deliverability=False).
 */
#ifndef UC_EMAIL_H
#define UC_EMAIL_H

#include <stddef.h>

#include "err.h"

struct email_result {
	char	*normalized;	/* malloc'd UTF-8 on success, else NULL */
	char	*reason;	/* malloc'd library message on refusal, else NULL */
};

/*
 * Validate s (len bytes of UTF-8; lone surrogates may appear as 3-byte
 * ED A0..BF xx sequences).  Returns UC_OK with exactly one of
 * out->normalized / out->reason set, or an error code (UC_ERR_NOMEM) with
 * neither set.  The reason is the text after "value is not a valid email
 * address: " in pydantic's message, and the "reason" of its ctx.
 */
int	email_validate(const char *s, size_t len, struct email_result *out);
void	email_result_free(struct email_result *r);

#endif
