/*
 * pyjson_scan.c: a JSON scanner that accepts, refuses and positions errors
 * exactly as CPython's json.loads (the C scanner of Modules/_json.c with
 * strict=True) does, building a json-c tree.  json-c's own tokener differs
 * from CPython on control characters, NaN/Infinity, duplicate keys, \u0000
 * in keys, lone surrogates and error positions, so the scanning is ours and
 * only the tree is json-c's.  Messages follow CPython 3.13 and later, which
 * name a trailing comma ("Illegal trailing comma before end of object").
 * This file holds the structure (values, objects, arrays); pyjson_token.c
 * the tokens.
 */
#include <math.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "pyjson.h"
#include "pyjson_impl.h"

static int scan_value(struct scan *, size_t, size_t *, struct json_object **);

/* Does the text at i spell word (ASCII)?  CPython needs all of it present. */
static int
spells(const struct scan *sc, size_t i, const char *word)
{
	size_t	 k, len = strlen(word);

	if (len > sc->n - i)
		return 0;
	for (k = 0; k < len; k++)
		if (sc->s[i + k] != (uint32_t)(unsigned char)word[k])
			return 0;
	return 1;
}

/* How a container ends, and CPython's words for a comma just before it. */
struct container {
	uint32_t	 close;
	const char	*trailing_comma;
};

static const struct container object_ends = {
	'}', "Illegal trailing comma before end of object"
};
static const struct container array_ends = {
	']', "Illegal trailing comma before end of array"
};

/* Just inside the opening bracket: is the container empty? */
static int
closes_at_once(const struct scan *sc, size_t *i, const struct container *c)
{
	*i = pyjson_skip_ws(sc, *i);
	if (*i < sc->n && sc->s[*i] == c->close) {
		(*i)++;
		return 1;
	}
	return 0;
}

/*
 * After a member: the closing bracket ends the container (*closed), a
 * comma leads to the next member; anything else is CPython's error.
 */
static int
after_member(struct scan *sc, size_t *i, const struct container *c, int *closed)
{
	size_t	 comma;

	*closed = 0;
	if (closes_at_once(sc, i, c)) {
		*closed = 1;
		return UC_OK;
	}
	if (*i >= sc->n || sc->s[*i] != ',')
		return pyjson_fail(sc, *i, "Expecting ',' delimiter");
	comma = *i;
	*i = pyjson_skip_ws(sc, *i + 1);
	if (*i < sc->n && sc->s[*i] == c->close)
		return pyjson_fail(sc, comma, c->trailing_comma);
	return UC_OK;
}

static int
scan_member(struct scan *sc, size_t *i, struct buf *key,
    struct json_object *obj)
{
	struct json_object	*val;
	int			 rc;

	if (*i >= sc->n || sc->s[*i] != '"')
		return pyjson_fail(sc, *i, "Expecting property name enclosed in double quotes");
	key->len = 0;
	if ((rc = pyjson_scan_chars(sc, *i + 1, i, 1, key)) != UC_OK)
		return rc;
	*i = pyjson_skip_ws(sc, *i);
	if (*i >= sc->n || sc->s[*i] != ':')
		return pyjson_fail(sc, *i, "Expecting ':' delimiter");
	*i = pyjson_skip_ws(sc, *i + 1);
	if ((rc = scan_value(sc, *i, i, &val)) != UC_OK)
		return rc;
	/* A repeated key keeps its first place and takes the last value. */
	if (json_object_object_add(obj, key->len ? key->data : "", val) != 0) {
		json_object_put(val);
		return UC_ERR_NOMEM;
	}
	return UC_OK;
}

static int
scan_object(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	struct json_object	*obj;
	struct buf		 key = { 0 };
	int			 rc = UC_OK, closed;

	if ((obj = json_object_new_object()) == NULL)
		return UC_ERR_NOMEM;
	closed = closes_at_once(sc, &i, &object_ends);
	while (rc == UC_OK && !closed)
		if ((rc = scan_member(sc, &i, &key, obj)) == UC_OK)
			rc = after_member(sc, &i, &object_ends, &closed);
	buf_free(&key);
	if (rc != UC_OK) {
		json_object_put(obj);
		return rc;
	}
	*end = i;
	*out = obj;
	return UC_OK;
}

static int
scan_array(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	struct json_object	*arr, *val;
	int			 rc = UC_OK, closed;

	if ((arr = json_object_new_array()) == NULL)
		return UC_ERR_NOMEM;
	closed = closes_at_once(sc, &i, &array_ends);
	while (rc == UC_OK && !closed) {
		if ((rc = scan_value(sc, i, &i, &val)) != UC_OK)
			break;
		if (json_object_array_add(arr, val) != 0) {
			json_object_put(val);
			rc = UC_ERR_NOMEM;
			break;
		}
		rc = after_member(sc, &i, &array_ends, &closed);
	}
	if (rc != UC_OK) {
		json_object_put(arr);
		return rc;
	}
	*end = i;
	*out = arr;
	return UC_OK;
}

/* The named constants json.loads knows, and the values they stand for. */
static const struct {
	const char	*word;
	int		 kind;		/* 0 null, 1 true, 2 false, 3 double */
	double		 value;
	const char	*repr;
} constants[] = {
	{ "null", 0, 0, NULL },
	{ "true", 1, 0, NULL },
	{ "false", 2, 0, NULL },
	{ "NaN", 3, NAN, "NaN" },
	{ "Infinity", 3, INFINITY, "Infinity" },
	{ "-Infinity", 3, -INFINITY, "-Infinity" },
};

static int
scan_value(struct scan *sc, size_t i, size_t *end, struct json_object **out)
{
	size_t	 k;
	int	 rc;

	if (i >= sc->n)
		return pyjson_fail(sc, i, "Expecting value");
	switch (sc->s[i]) {
	case '"':
		return pyjson_scan_string(sc, i + 1, end, out);
	case '{':
	case '[':
		if (++sc->depth > PY_MAX_DEPTH)
			return UC_ERR_DECODE;
		rc = sc->s[i] == '{' ? scan_object(sc, i + 1, end, out) :
		    scan_array(sc, i + 1, end, out);
		sc->depth--;
		return rc;
	default:
		break;
	}
	for (k = 0; k < sizeof(constants) / sizeof(constants[0]); k++) {
		if (!spells(sc, i, constants[k].word))
			continue;
		*end = i + strlen(constants[k].word);
		switch (constants[k].kind) {
		case 0:
			*out = NULL;
			return UC_OK;
		case 1:
		case 2:
			*out = json_object_new_boolean(constants[k].kind == 1);
			break;
		default:
			*out = json_object_new_double_s(constants[k].value, constants[k].repr);
			break;
		}
		return *out == NULL ? UC_ERR_NOMEM : UC_OK;
	}
	return pyjson_scan_number(sc, i, end, out);
}

int
pyjson_parse(const uint32_t *text, size_t n, struct json_object **out,
    struct pyjson_error *err)
{
	struct scan	 sc = { text, n, 0, err };
	size_t		 i, end;
	int		 rc;

	*out = NULL;
	i = pyjson_skip_ws(&sc, 0);
	if ((rc = scan_value(&sc, i, &end, out)) != UC_OK)
		return rc;
	end = pyjson_skip_ws(&sc, end);
	if (end != n) {
		json_object_put(*out);
		*out = NULL;
		return pyjson_fail(&sc, end, "Extra data");
	}
	return UC_OK;
}
