/*
 * validate.c: UserIn's fields and their constraints in one table, checked
 * the way pydantic 2 checks them: every field, in model order, each error
 * collected; str fields take only JSON strings (no coercion of numbers or
 * booleans); lengths count code points, as Python's len() does.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "email.h"
#include "err.h"
#include "errors.h"
#include "validate.h"

enum field_slot { SLOT_USERNAME, SLOT_PASSWORD, SLOT_EMAIL, SLOT_FULL_NAME };

static const struct field_rule {
	const char	*name;
	enum field_slot	 slot;
	int		 required;	/* else the default is None */
	int		 nullable;	/* str | None */
	size_t		 min_length;
	size_t		 max_length;	/* 0: no limit */
	int		 email;		/* EmailStr */
} user_in_fields[] = {
	{ "username", SLOT_USERNAME, 1, 0, 1, 256, 0 },
	{ "password", SLOT_PASSWORD, 1, 0, 0, 128, 0 },
	{ "email", SLOT_EMAIL, 1, 0, 0, 0, 1 },
	{ "full_name", SLOT_FULL_NAME, 0, 1, 0, 1024, 0 },
};

/* Python's len(): code points; a lone surrogate is one. */
static size_t
code_points(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static int
check_email(struct json_object *v, const char *s, size_t len, struct user_in *u,
    struct verrors *errs)
{
	struct email_result	 r = { NULL, NULL };
	int			 rc;

	if ((rc = email_validate(s, len, &r)) != UC_OK)
		return rc;
	if (r.normalized != NULL) {
		u->email = r.normalized;
		r.normalized = NULL;
	} else
		rc = verrors_add(errs, VERR_VALUE_ERROR_EMAIL, "email", v, 0, r.reason);
	email_result_free(&r);
	return rc;
}

static int
check_field(const struct field_rule *f, struct json_object *obj,
    struct user_in *u, struct verrors *errs)
{
	struct json_object	*v;
	const char		*s;
	size_t			 len, n;

	if (!json_object_object_get_ex(obj, f->name, &v)) {
		if (f->required)
			return verrors_add(errs, VERR_MISSING, f->name, obj, 0, NULL);
		return UC_OK;
	}
	if (v == NULL && f->nullable)
		return UC_OK;
	if (!json_object_is_type(v, json_type_string))
		return verrors_add(errs, VERR_STRING_TYPE, f->name, v, 0, NULL);
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	n = code_points(s, len);
	if (n < f->min_length)
		return verrors_add(errs, VERR_STRING_TOO_SHORT, f->name, v, f->min_length, NULL);
	if (f->max_length != 0 && n > f->max_length)
		return verrors_add(errs, VERR_STRING_TOO_LONG, f->name, v, f->max_length, NULL);
	switch (f->slot) {
	case SLOT_USERNAME:
		u->username = s;
		u->username_len = len;
		break;
	case SLOT_PASSWORD:
		u->password = s;
		u->password_len = len;
		break;
	case SLOT_EMAIL:
		return check_email(v, s, len, u, errs);
	case SLOT_FULL_NAME:
		u->full_name = s;
		u->full_name_len = len;
		break;
	}
	return UC_OK;
}

int
validate_user_in(const struct body *b, struct user_in *u, struct verrors *errs)
{
	size_t	 i;
	int	 rc;

	memset(u, 0, sizeof(*u));
	if (b->kind == BODY_EMPTY)
		rc = verrors_add(errs, VERR_MISSING, NULL, NULL, 0, NULL);
	else if (b->kind != BODY_JSON || !json_object_is_type(b->json, json_type_object))
		rc = verrors_add(errs, VERR_MODEL_ATTRIBUTES_TYPE, NULL, b->json, 0, NULL);
	else {
		rc = UC_OK;
		for (i = 0; rc == UC_OK && i < sizeof(user_in_fields) / sizeof(user_in_fields[0]); i++)
			rc = check_field(&user_in_fields[i], b->json, u, errs);
	}
	if (rc != UC_OK)
		return rc;
	if (errs->n > 0) {
		user_in_free(u);
		return UC_ERR_INVALID;
	}
	return UC_OK;
}

void
user_in_free(struct user_in *u)
{
	free(u->email);
	memset(u, 0, sizeof(*u));
}
