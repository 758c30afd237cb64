/*
 * email.c: email_validate(), pydantic's EmailStr from end to end: the
 * wrapper's length cap, "Name <addr>" pattern and strip(), then
 * email-validator's validate_email() with pydantic's options: split,
 * local part, domain, the three length checks, the display-name refusal.
 */
#include <stdlib.h>
#include <string.h>

#include "email.h"
#include "email_impl.h"

#define PYDANTIC_MAX_LENGTH	2048	/* code points, before stripping */
#define EMAIL_MAX_LENGTH	254	/* UTF-8 bytes */

static size_t
max_char_bytes(const struct ustr *u)
{
	size_t i, m = 0, b;

	for (i = 0; i < u->n; i++) {
		b = utf8_len(u->s + i, 1);
		if (b > m)
			m = b;
	}
	return m;
}

/*
 * validate_email_length(): the original (without display name), the
 * normalized form, and the form with the ASCII domain, in that order.
 */
static int
check_length(struct email_ctx *ctx, const struct ustr *addr, int original,
    const char *why)
{
	size_t bytes = utf8_len(addr->s, addr->n), diff, mchars, mbpc;
	const char *s;
	int rc;

	if (bytes <= EMAIL_MAX_LENGTH)
		return UC_OK;
	diff = bytes - EMAIL_MAX_LENGTH;
	s = diff > 1 ? "s" : "";
	ctx->reason.len = 0;
	if (original && bytes == addr->n)
		rc = buf_printf(&ctx->reason, "The email address is too long "
		    "(%zu character%s too many).", diff, s);
	else if (original) {
		mbpc = max_char_bytes(addr);
		mchars = diff / mbpc > 1 ? diff / mbpc : 1;
		if (mchars == diff)
			rc = buf_printf(&ctx->reason, "The email address is "
			    "too long (%zu character%s too many).", diff, s);
		else
			rc = buf_printf(&ctx->reason, "The email address is "
			    "too long (%zu-%zu character%s too many).", mchars,
			    diff, s);
	} else
		rc = buf_printf(&ctx->reason, "The email address is too long "
		    "%s (%zu byte%s too many).", why, diff, s);
	return rc == UC_OK ? UC_ERR_INVALID : rc;
}

static int
join_at(struct ustr *out, const struct ustr *l, int quote,
    const struct ustr *d)
{
	int rc = ustr_set(out, NULL, 0);

	if (rc == UC_OK && quote)
		rc = ustr_push(out, '"');
	if (rc == UC_OK)
		rc = ustr_append(out, l->s, l->n);
	if (rc == UC_OK && quote)
		rc = ustr_push(out, '"');
	if (rc == UC_OK)
		rc = ustr_push(out, '@');
	if (rc == UC_OK)
		rc = ustr_append(out, d->s, d->n);
	return rc;
}

/* email_validator.validate_email(s, check_deliverability=False). */
static int
library_validate(struct email_ctx *ctx, const uint32_t *s, size_t n,
    struct buf *normalized)
{
	struct email_parts parts = { 0 };
	struct local_result local = { 0 };
	struct domain_result dom = { 0 };
	struct ustr addr = { 0 };
	int rc;

	if ((rc = email_split(ctx, s, n, &parts)) != UC_OK ||
	    (rc = local_validate(ctx, &parts, &local)) != UC_OK ||
	    (rc = domain_validate(ctx, &parts.domain, &dom)) != UC_OK)
		goto done;
	if ((rc = join_at(&addr, &parts.local, parts.quoted,
	    &parts.domain)) != UC_OK ||
	    (rc = check_length(ctx, &addr, 1, NULL)) != UC_OK)
		goto done;
	if ((rc = join_at(&addr, &local.local, 0, &dom.unicode)) != UC_OK ||
	    (rc = check_length(ctx, &addr, 0, "after normalization")) != UC_OK)
		goto done;
	if ((rc = buf_add_utf8s(normalized, addr.s, addr.n)) != UC_OK)
		goto done;
	if ((rc = join_at(&addr, &local.local, 0, &dom.ascii)) != UC_OK ||
	    (rc = check_length(ctx, &addr, 0, "when the part after the "
	    "@-sign is converted to IDNA ASCII")) != UC_OK)
		goto done;
	/* Optional syntax is refused last. */
	if (ctx->display_name)
		rc = refuse(ctx, "A display name and angle brackets around the "
		    "email address are not permitted here.");
done:
	ustr_free(&parts.local);
	ustr_free(&parts.domain);
	ustr_free(&local.local);
	ustr_free(&dom.unicode);
	ustr_free(&dom.ascii);
	ustr_free(&addr);
	return rc;
}

/* pydantic.networks.validate_email(): the wrapper around the library. */
static int
pydantic_validate(struct email_ctx *ctx, const struct ustr *in,
    struct buf *normalized)
{
	size_t from = 0, to = in->n;

	if (in->n > PYDANTIC_MAX_LENGTH)
		return refuse(ctx, "Length must not exceed 2048 characters");
	if (!pydantic_unwrap(in->s, in->n, &from, &to)) {
		from = 0;
		to = in->n;
	}
	while (from < to && is_py_space(in->s[from]))
		from++;
	while (to > from && is_py_space(in->s[to - 1]))
		to--;
	return library_validate(ctx, in->s + from, to - from, normalized);
}

int
email_validate(const char *s, size_t len, struct email_result *out)
{
	struct email_ctx ctx = { 0 };
	struct buf normalized = { 0 };
	struct ustr in = { 0 };
	int rc;

	out->normalized = out->reason = NULL;
	if ((rc = ustr_from_wtf8(&in, s, len)) == UC_OK)
		rc = pydantic_validate(&ctx, &in, &normalized);
	ustr_free(&in);
	/*
	 * The strings move to out (buf_free() below then sees NULL), which
	 * email_result_free() frees with free(), as buf.c allocates them.
	 */
	if (rc == UC_OK) {
		if (normalized.data == NULL && buf_add(&normalized, "", 0))
			rc = UC_ERR_NOMEM;
		out->normalized = normalized.data;
		normalized.data = NULL;
	} else if (rc == UC_ERR_INVALID) {
		out->reason = ctx.reason.data;
		ctx.reason.data = NULL;
		rc = out->reason != NULL ? UC_OK : UC_ERR_NOMEM;
	}
	buf_free(&normalized);
	buf_free(&ctx.reason);
	return rc;
}

void
email_result_free(struct email_result *r)
{
	if (r == NULL)
		return;
	free(r->normalized);
	free(r->reason);
	r->normalized = r->reason = NULL;
}
