/*
 * errors.c: the error list, with the types, messages and context keys of
 * pydantic-core (src/errors/types.rs) in one table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "errors.h"
#include "pyjson.h"

enum ctx_kind { CTX_NONE, CTX_MIN_LENGTH, CTX_MAX_LENGTH, CTX_REASON, CTX_ERROR };

static const struct {
	const char	*type;
	const char	*msg;		/* pydantic's template, see expand_msg() */
	enum ctx_kind	 ctx;
} verror_kinds[] = {
	[VERR_MISSING] = { "missing", "Field required", CTX_NONE },
	[VERR_STRING_TYPE] = { "string_type", "Input should be a valid string", CTX_NONE },
	[VERR_STRING_TOO_SHORT] = { "string_too_short",
	    "String should have at least {limit} character{plural}", CTX_MIN_LENGTH },
	[VERR_STRING_TOO_LONG] = { "string_too_long",
	    "String should have at most {limit} character{plural}", CTX_MAX_LENGTH },
	[VERR_MODEL_ATTRIBUTES_TYPE] = { "model_attributes_type",
	    "Input should be a valid dictionary or object to extract fields from", CTX_NONE },
	[VERR_VALUE_ERROR_EMAIL] = { "value_error",
	    "value is not a valid email address: {reason}", CTX_REASON },
	[VERR_JSON_INVALID] = { "json_invalid", "JSON decode error", CTX_ERROR },
};

int
verrors_add(struct verrors *e, enum verror_type type, const char *field,
    struct json_object *input, size_t limit, const char *text)
{
	struct verror	*v;

	if (e->n == VERRORS_MAX)
		return UC_ERR_NOMEM;
	v = &e->list[e->n];
	memset(v, 0, sizeof(*v));
	if (text != NULL && (v->text = strdup(text)) == NULL)
		return UC_ERR_NOMEM;
	v->type = type;
	v->field = field;
	v->input = json_object_get(input);
	v->limit = limit;
	e->n++;
	return UC_OK;
}

int
verrors_add_json_invalid(struct verrors *e, size_t pos, const char *msg)
{
	struct json_object	*empty;
	int			 rc;

	/* FastAPI reports the input of a decode error as {}. */
	if ((empty = json_object_new_object()) == NULL)
		return UC_ERR_NOMEM;
	rc = verrors_add(e, VERR_JSON_INVALID, NULL, empty, 0, msg);
	json_object_put(empty);
	if (rc == UC_OK)
		e->list[e->n - 1].pos = (long)pos;
	return rc;
}

/*
 * Fill a message template as pydantic-core does: a plain replacement of
 * each {name}, the value inserted unchanged.
 */
static int
expand_msg(const char *tpl, const struct verror *v, struct buf *out)
{
	const char	*p, *close;
	size_t		 name_len;
	int		 rc = UC_OK;

	for (p = tpl; *p != '\0' && rc == UC_OK; p++) {
		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			rc = buf_addc(out, *p);
			continue;
		}
		name_len = (size_t)(close - p - 1);
		if (name_len == 5 && strncmp(p + 1, "limit", 5) == 0)
			rc = buf_printf(out, "%zu", v->limit);
		else if (name_len == 6 && strncmp(p + 1, "plural", 6) == 0)
			rc = v->limit == 1 ? UC_OK : buf_addc(out, 's');
		else if (name_len == 6 && strncmp(p + 1, "reason", 6) == 0)
			rc = buf_adds(out, v->text ? v->text : "");
		else
			rc = buf_add(out, p, name_len + 2);
		p = close;
	}
	return rc;
}

static int
write_one(const struct verror *v, struct buf *out)
{
	struct buf	 msg = { 0 };
	int		 rc;

	if ((rc = expand_msg(verror_kinds[v->type].msg, v, &msg)) != UC_OK)
		goto done;
	if ((rc = buf_printf(out, "{\"type\":\"%s\",\"loc\":[\"body\"",
	    verror_kinds[v->type].type)) != UC_OK)
		goto done;
	if (v->type == VERR_JSON_INVALID)
		rc = buf_printf(out, ",%ld", v->pos);
	else if (v->field != NULL)
		rc = buf_printf(out, ",\"%s\"", v->field);
	if (rc != UC_OK || (rc = buf_adds(out, "],\"msg\":")) != UC_OK ||
	    (rc = pyjson_write_string(msg.data, msg.len, out)) != UC_OK ||
	    (rc = buf_adds(out, ",\"input\":")) != UC_OK ||
	    (rc = pyjson_write(v->input, out)) != UC_OK)
		goto done;
	switch (verror_kinds[v->type].ctx) {
	case CTX_MIN_LENGTH:
		rc = buf_printf(out, ",\"ctx\":{\"min_length\":%zu}", v->limit);
		break;
	case CTX_MAX_LENGTH:
		rc = buf_printf(out, ",\"ctx\":{\"max_length\":%zu}", v->limit);
		break;
	case CTX_REASON:
	case CTX_ERROR:
		if ((rc = buf_printf(out, ",\"ctx\":{\"%s\":",
		    verror_kinds[v->type].ctx == CTX_REASON ? "reason" : "error")) == UC_OK &&
		    (rc = pyjson_write_string(v->text, strlen(v->text), out)) == UC_OK)
			rc = buf_addc(out, '}');
		break;
	case CTX_NONE:
		break;
	}
	if (rc == UC_OK)
		rc = buf_addc(out, '}');
done:
	buf_free(&msg);
	return rc;
}

int
verrors_write(const struct verrors *e, struct buf *out)
{
	size_t	 i;
	int	 rc;

	if ((rc = buf_adds(out, "{\"detail\":[")) != UC_OK)
		return rc;
	for (i = 0; i < e->n; i++) {
		if (i > 0 && (rc = buf_addc(out, ',')) != UC_OK)
			return rc;
		if ((rc = write_one(&e->list[i], out)) != UC_OK)
			return rc;
	}
	return buf_adds(out, "]}");
}

void
verrors_free(struct verrors *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++) {
		json_object_put(e->list[i].input);
		free(e->list[i].text);
	}
	e->n = 0;
}
