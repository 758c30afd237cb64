/*
 * errors.h: pydantic's validation error list, and its 422 rendering as
 * FastAPI writes it: {"detail":[{"type","loc","msg","input"[,"ctx"]}...]}.
 */
#ifndef UC_ERRORS_H
#define UC_ERRORS_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

/* Error types, each with pydantic's message template (see errors.c). */
enum verror_type {
	VERR_MISSING,
	VERR_STRING_TYPE,
	VERR_STRING_TOO_SHORT,
	VERR_STRING_TOO_LONG,
	VERR_MODEL_ATTRIBUTES_TYPE,
	VERR_VALUE_ERROR_EMAIL,
	VERR_JSON_INVALID,
};

#define VERRORS_MAX	8

struct verror {
	enum verror_type	 type;
	const char		*field;		/* loc ["body", field]; NULL: ["body"] */
	long			 pos;		/* json_invalid: loc ["body", pos] */
	struct json_object	*input;		/* a reference of our own */
	size_t			 limit;		/* min/max length */
	char			*text;		/* the e-mail reason or JSON error */
};

struct verrors {
	struct verror	 list[VERRORS_MAX];
	size_t		 n;
};

/* Add an error; input is borrowed (a reference is taken); text is copied. */
int	verrors_add(struct verrors *e, enum verror_type type, const char *field,
	    struct json_object *input, size_t limit, const char *text);
int	verrors_add_json_invalid(struct verrors *e, size_t pos, const char *msg);
/* Append the 422 body; UC_ERR_UNENCODABLE when an input cannot be written. */
int	verrors_write(const struct verrors *e, struct buf *out);
void	verrors_free(struct verrors *e);

#endif
