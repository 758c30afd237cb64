/*
 * app.c: the application: what FastAPI's router, request body handling,
 * validation and the create_user endpoint of CONTRACT.md do, in order.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "body.h"
#include "buf.h"
#include "errors.h"
#include "pyjson.h"
#include "register.h"
#include "route.h"
#include "validate.h"

/* Outcomes answered with a JSON detail; anything else is a 500. */
static const struct {
	int		 code;
	int		 status;
	const char	*detail;
	const char	*retry_after;
} answers[] = {
	{ UC_ERR_TOO_LARGE, 413, "Request body too large (the limit is 65536 bytes)", NULL },
	{ UC_ERR_BAD_REQUEST, 400, "Invalid Content-Length", NULL },
	{ UC_ERR_SHORT_BODY, 400, "Request body shorter than its Content-Length", NULL },
	{ UC_ERR_TIMEOUT, 400, "Request body shorter than its Content-Length", NULL },
	{ UC_ERR_DECODE, 400, "There was an error parsing the body", NULL },
	{ UC_ERR_UNENCODABLE, 400,
	    "The body holds NaN, Infinity or a lone surrogate, which cannot be processed", NULL },
	{ UC_ERR_UNHASHABLE, 400,
	    "The password cannot hold a NUL character (\\u0000)", NULL },
	{ UC_ERR_DUPLICATE, 409, "Username already registered", NULL },
	{ UC_ERR_BUSY, 503, "The user store is busy; retry shortly", "1" },
};

static int
answer_error(int code, struct response *resp, struct diag *d)
{
	size_t	 i;

	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		if (answers[i].code != code)
			continue;
		resp->retry_after = answers[i].retry_after;
		if (response_detail(resp, answers[i].status, answers[i].detail) != UC_OK)
			break;
		return UC_OK;
	}
	response_internal_error(resp);
	if (d->msg[0] == '\0')
		diag_set(d, code, "%s", uc_strerror(code));
	return code;
}

static int
user_out_json(const struct user_in *u, struct buf *out)
{
	int	 rc;

	if ((rc = buf_adds(out, "{\"username\":")) != UC_OK ||
	    (rc = pyjson_write_string(u->username, u->username_len, out)) != UC_OK ||
	    (rc = buf_adds(out, ",\"email\":")) != UC_OK ||
	    (rc = pyjson_write_string(u->email, strlen(u->email), out)) != UC_OK ||
	    (rc = buf_adds(out, ",\"full_name\":")) != UC_OK)
		return rc;
	if (u->full_name == NULL)
		rc = buf_adds(out, "null");
	else
		rc = pyjson_write_string(u->full_name, u->full_name_len, out);
	if (rc != UC_OK)
		return rc;
	return buf_addc(out, '}');
}

static int
create_user(const struct user_in *u, const struct app_config *cfg,
    struct response *resp, struct diag *d)
{
	struct user_record	 rec;
	char			*password;
	int			 rc;

	/* The answer is written first: a value it cannot hold is refused unstored. */
	resp->body.len = 0;
	if ((rc = user_out_json(u, &resp->body)) != UC_OK)
		return rc;
	if (pyjson_has_surrogate(u->password, u->password_len))
		return UC_ERR_UNENCODABLE;
	/* crypt() reads a C string: a NUL would silently cut the password. */
	if (memchr(u->password, '\0', u->password_len) != NULL)
		return UC_ERR_UNHASHABLE;
	if ((password = malloc(u->password_len + 1)) == NULL)
		return UC_ERR_NOMEM;
	/* user_register wipes this copy; body_free() the body's. */
	memcpy(password, u->password, u->password_len);
	password[u->password_len] = '\0';
	memset(&rec, 0, sizeof(rec));
	rec.username = u->username;
	rec.username_len = u->username_len;
	rec.email = u->email;
	rec.email_len = strlen(u->email);
	rec.full_name = u->full_name;
	rec.full_name_len = u->full_name_len;
	rc = user_register(&rec, password, u->password_len, &cfg->reg, d);
	explicit_bzero(password, u->password_len);
	free(password);
	if (rc != UC_OK)
		return rc;
	resp->status = 200;
	resp->content_type = "application/json";
	return UC_OK;
}

static int
register_from_body(const struct request *req, const struct app_config *cfg,
    int body_fd, struct response *resp, struct diag *d)
{
	struct buf		 raw = { 0 };
	struct body		 body = { BODY_EMPTY, NULL };
	struct pyjson_error	 jerr = { 0, NULL };
	struct verrors		 errs = { .n = 0 };
	struct user_in		 u;
	int			 rc;

	memset(&u, 0, sizeof(u));
	if ((rc = cgi_read_body(body_fd, req, &cfg->limits, &raw, d)) != UC_OK)
		goto done;
	rc = body_parse(req->content_type, (const unsigned char *)raw.data, raw.len,
	    &body, &jerr);
	if (rc == UC_ERR_JSON && (rc = verrors_add_json_invalid(&errs, jerr.pos,
	    jerr.msg)) == UC_OK)
		rc = UC_ERR_INVALID;
	else if (rc == UC_OK)
		rc = validate_user_in(&body, &u, &errs);
	if (rc == UC_OK)
		rc = create_user(&u, cfg, resp, d);
	else if (rc == UC_ERR_INVALID) {
		resp->body.len = 0;
		if ((rc = verrors_write(&errs, &resp->body)) == UC_OK) {
			resp->status = 422;
			resp->content_type = "application/json";
		}
	}
done:
	user_in_free(&u);
	verrors_free(&errs);
	body_free(&body);
	buf_free(&raw);
	return rc;
}

/* Starlette builds the redirect from the Host header and the scheme. */
static int
slash_location(const struct request *req, struct buf *loc)
{
	const char	*scheme = req->https ? "https" : "http";
	const char	*port = req->server_port;
	int		 rc;

	/* Without Host, the server's name, and its port unless the default. */
	if (port != NULL && strcmp(port, req->https ? "443" : "80") == 0)
		port = NULL;
	if (req->host != NULL)
		rc = buf_printf(loc, "%s://%s", scheme, req->host);
	else if (port != NULL)
		rc = buf_printf(loc, "%s://%s:%s", scheme, req->server_name, port);
	else
		rc = buf_printf(loc, "%s://%s", scheme, req->server_name);
	if (rc == UC_OK)
		rc = buf_printf(loc, "%s/", req->script_name);
	if (rc == UC_OK && req->query[0] != '\0')
		rc = buf_printf(loc, "?%s", req->query);
	return rc;
}

/*
 * Answers that ignore the body still read it: under Apache's mod_cgid
 * stdin and stdout are one socket, and exiting with unread input resets
 * it before the server has read the answer.
 */
static void
read_unused_body(const struct request *req, const struct app_config *cfg,
    int body_fd)
{
	struct buf	 unused = { 0 };

	(void)cgi_read_body(body_fd, req, &cfg->limits, &unused, NULL);
	buf_free(&unused);
}

void
app_refuse(const struct request *req, const struct app_config *cfg,
    int body_fd, struct response *resp)
{
	read_unused_body(req, cfg, body_fd);
	response_internal_error(resp);
}

int
app_handle(const struct request *req, const struct app_config *cfg, int body_fd,
    struct response *resp, struct diag *d)
{
	enum route	 route = route_request(req);
	int		 rc;

	if (route != ROUTE_REGISTER)
		read_unused_body(req, cfg, body_fd);
	switch (route) {
	case ROUTE_REGISTER:
		rc = register_from_body(req, cfg, body_fd, resp, d);
		break;
	case ROUTE_WRONG_METHOD:
		resp->allow = "POST";
		rc = response_detail(resp, 405, "Method Not Allowed");
		break;
	case ROUTE_ADD_SLASH:
		resp->status = 307;
		rc = slash_location(req, &resp->location);
		break;
	case ROUTE_NOT_FOUND:
	default:
		rc = response_detail(resp, 404, "Not Found");
		break;
	}
	if (rc != UC_OK)
		return answer_error(rc, resp, d);
	return UC_OK;
}
