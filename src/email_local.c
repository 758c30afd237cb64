/*
 * email_local.c: the part before the @-sign -- email-validator's
 * validate_email_local_part(), the NFC re-check, the refusal of quoted
 * local parts and the lowercasing of RFC 2142 role accounts.
 */
#include <string.h>

#include "email_impl.h"

/* RFC 2142 mailbox names, compared case-insensitively. */
static const char *const role_accounts[] = {
	"info", "marketing", "sales", "support", "abuse", "noc", "security",
	"postmaster", "hostmaster", "usenet", "news", "webmaster", "www",
	"uucp", "ftp",
};

static int
is_atext_intl(uint32_t c)
{
	return is_atext(c) || c >= 0x80;
}

/* dot-atom-text over the given atext class. */
static int
is_dot_atom(const uint32_t *s, size_t n, int (*atext)(uint32_t))
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!atext(s[i]))
			return 0;
	}
	return 1;
}

static int
bad_qtext(uint32_t c)
{
	return !((c >= 0x20 && c <= 0x7e) || c >= 0x80);
}

static int
bad_atext_dot(uint32_t c)
{
	return !(is_atext_intl(c) || c == '.');
}

static int
is_ascii_printable(const uint32_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

/*
 * validate_email_local_part() with allow_smtputf8, no empty local part
 * and strict=False (no 64-character limit).  On success out holds the
 * local part (re-quoted when it is valid only as a quoted string).
 */
static int
validate_local(struct email_ctx *ctx, const uint32_t *s, size_t n,
    int quoted, struct ustr *out, int *ascii)
{
	size_t i;
	int rc;

	if (n == 0)
		return refuse(ctx, "There must be something before the @-sign.");
	if (is_dot_atom(s, n, is_atext)) {
		*ascii = 1;
		return ustr_set(out, s, n);
	}
	if (is_dot_atom(s, n, is_atext_intl)) {
		if ((rc = check_unsafe(ctx, s, n, 0)) != UC_OK)
			return rc;
		*ascii = 0;
		return ustr_set(out, s, n);
	}
	if (quoted) {
		rc = refuse_chars(ctx, "The email address contains invalid "
		    "characters in quotes before the @-sign: ", s, n,
		    bad_qtext, ".");
		if (rc == UC_OK)
			rc = check_unsafe(ctx, s, n, 1);
		if (rc != UC_OK)
			return rc;
		*ascii = is_ascii_printable(s, n);
		if ((rc = ustr_set(out, NULL, 0)) != UC_OK ||
		    (rc = ustr_push(out, '"')) != UC_OK)
			return rc;
		for (i = 0; i < n && rc == UC_OK; i++) {
			if (s[i] == '"' || s[i] == '\\')
				rc = ustr_push(out, '\\');
			if (rc == UC_OK)
				rc = ustr_push(out, s[i]);
		}
		return rc == UC_OK ? ustr_push(out, '"') : rc;
	}
	rc = refuse_chars(ctx, "The email address contains invalid characters "
	    "before the @-sign: ", s, n, bad_atext_dot, ".");
	if (rc != UC_OK)
		return rc;
	if (s[n - 1] == '.')
		return refuse(ctx, "An email address cannot have a period "
		    "immediately before the @-sign.");
	if (s[0] == '.')
		return refuse(ctx, "An email address cannot start with a "
		    "period.");
	for (i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.')
			return refuse(ctx, "An email address cannot have two "
			    "periods in a row.");
	return refuse(ctx, "The email address contains invalid characters "
	    "before the @-sign.");
}

static void
lowercase_role_account(struct ustr *l)
{
	char buf[16];
	size_t i, k;

	if (l->n >= sizeof(buf))
		return;
	for (i = 0; i < l->n; i++) {
		uint32_t c = l->s[i];

		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[l->n] = '\0';
	for (k = 0; k < sizeof(role_accounts) / sizeof(role_accounts[0]); k++)
		if (strcmp(buf, role_accounts[k]) == 0) {
			for (i = 0; i < l->n; i++)
				l->s[i] = (uint32_t)(unsigned char)buf[i];
			return;
		}
}

int
local_validate(struct email_ctx *ctx, const struct email_parts *p,
    struct local_result *r)
{
	struct ustr norm = { 0 }, again = { 0 };
	int rc, ascii2;

	rc = validate_local(ctx, p->local.s, p->local.n, p->quoted,
	    &r->local, &r->ascii);
	if (rc != UC_OK)
		return rc;
	/* RFC 6532 3.1: the NFC form is returned, so it must be valid too. */
	if ((rc = nfc(r->local.s, r->local.n, &norm)) != UC_OK)
		goto done;
	if (norm.n != r->local.n || memcmp(norm.s, r->local.s,
	    norm.n * sizeof(*norm.s)) != 0) {
		rc = validate_local(ctx, norm.s, norm.n, p->quoted, &again,
		    &ascii2);
		if (rc == UC_ERR_INVALID) {
			struct buf msg = { 0 };

			if (buf_adds(&msg, "After Unicode normalization: ") ||
			    buf_adds(&msg, ctx->reason.data)) {
				buf_free(&msg);
				rc = UC_ERR_NOMEM;
				goto done;
			}
			buf_free(&ctx->reason);
			ctx->reason = msg;
		}
		if (rc != UC_OK)
			goto done;
		if ((rc = ustr_set(&r->local, norm.s, norm.n)) != UC_OK)
			goto done;
	}
	if (p->quoted) {
		rc = refuse(ctx, "Quoting the part before the @-sign is not "
		    "allowed here.");
		goto done;
	}
	if (r->ascii)
		lowercase_role_account(&r->local);
done:
	ustr_free(&norm);
	ustr_free(&again);
	return rc;
}
