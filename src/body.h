/*
 * body.h: the request body as FastAPI sees it: JSON for application/json
 * and application/...+json, raw text for anything else, nothing when empty.
 */
#ifndef UC_BODY_H
#define UC_BODY_H

#include <stddef.h>

#include <json-c/json.h>

#include "pyjson.h"

enum body_kind {
	BODY_EMPTY,	/* no bytes: "missing" at ["body"] */
	BODY_JSON,	/* json holds the value (NULL for a JSON null) */
	BODY_TEXT,	/* text holds the UTF-8 bytes, kept as a JSON string */
};

struct body {
	enum body_kind		 kind;
	struct json_object	*json;	/* BODY_JSON: the value; BODY_TEXT: a string */
};

/*
 * Interpret len bytes of body under content_type (NULL when absent).
 * UC_OK; UC_ERR_JSON with jerr filled; UC_ERR_DECODE for bytes json.loads
 * cannot decode, or that a text body cannot hold; UC_ERR_NOMEM.
 */
int	body_parse(const char *content_type, const unsigned char *bytes,
	    size_t len, struct body *out, struct pyjson_error *jerr);
void	body_free(struct body *b);

/* Is content_type one FastAPI reads as JSON? */
int	body_is_json_type(const char *content_type);

#endif
