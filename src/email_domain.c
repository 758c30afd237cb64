/*
 * email_domain.c: the part after the @-sign -- email-validator's
 * validate_email_domain_name() (characters, UTS-46 mapping, dots and
 * hyphens, IDNA, lengths, top-level domain, special-use names), with
 * bracketed literals handed to email_ip.c.
 */
#include <string.h>

#include "email_impl.h"

/* RFC 6761 and friends: names that never take mail (on the ASCII form). */
static const char *const special_use[] = {
	"arpa", "invalid", "local", "localhost", "onion", "test",
};

static const char *const msg_prefix_chars =
    "The part after the @-sign contains invalid characters: ";

static int
bad_hostname_char(uint32_t c)
{
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c >= 0x80);
}

static int
is_alnum(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* DOT_ATOM_TEXT_HOSTNAME: ASCII LDH labels, no leading/trailing hyphen. */
static int
is_ascii_hostname(const uint32_t *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!is_alnum(s[i]) && s[i] != '-')
				return 0;
			continue;
		}
		if (i == start || !is_alnum(s[start]) || !is_alnum(s[i - 1]))
			return 0;
		start = i + 1;
	}
	return 1;
}

static int
contains2(const uint32_t *s, size_t n, uint32_t a, uint32_t b)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == a && s[i + 1] == b)
			return 1;
	return 0;
}

/* check_dot_atom(is_hostname=True) with the after-the-@-sign wording. */
static int
check_dots_hyphens(struct email_ctx *ctx, const uint32_t *s, size_t n)
{
	if (n > 0 && s[n - 1] == '.')
		return refuse(ctx, "An email address cannot end with a period.");
	if (n > 0 && s[0] == '.')
		return refuse(ctx, "An email address cannot have a period "
		    "immediately after the @-sign.");
	if (contains2(s, n, '.', '.'))
		return refuse(ctx, "An email address cannot have two periods "
		    "in a row.");
	if (n > 0 && s[n - 1] == '-')
		return refuse(ctx, "An email address cannot end with a hyphen.");
	if (n > 0 && s[0] == '-')
		return refuse(ctx, "An email address cannot have a hyphen "
		    "immediately after the @-sign.");
	if (contains2(s, n, '.', '-') || contains2(s, n, '-', '.'))
		return refuse(ctx, "An email address cannot have a period and "
		    "a hyphen next to each other.");
	return UC_OK;
}

/* re.match(r"(?!xn)..--", label, re.I) on any label: RFC 5890 R-LDH. */
static int
check_rldh(struct email_ctx *ctx, const uint32_t *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		const uint32_t *l = s + start;

		if (i < n && s[i] != '.')
			continue;
		if (i - start >= 4 && l[2] == '-' && l[3] == '-' &&
		    !((l[0] == 'x' || l[0] == 'X') &&
		    (l[1] == 'n' || l[1] == 'N')))
			return refuse(ctx, "An email address cannot have two "
			    "letters followed by two dashes immediately after "
			    "the @-sign or after a period, except Punycode.");
		start = i + 1;
	}
	return UC_OK;
}

/* Apply idna.alabel() or idna.ulabel() to each label, joining with '.'. */
static int
each_label(struct email_ctx *ctx, const uint32_t *s, size_t n,
    int (*fn)(const uint32_t *, size_t, struct ustr *, struct buf *),
    const char *prefix, struct ustr *out)
{
	struct ustr part = { 0 };
	struct buf err = { 0 };
	size_t i, start = 0;
	int rc = ustr_set(out, NULL, 0);

	for (i = 0; i <= n && rc == UC_OK; i++) {
		if (i < n && s[i] != '.')
			continue;
		rc = fn(s + start, i - start, &part, &err);
		if (rc == UC_OK && start > 0)
			rc = ustr_push(out, '.');
		if (rc == UC_OK)
			rc = ustr_append(out, part.s, part.n);
		start = i + 1;
	}
	if (rc == UC_ERR_INVALID) {
		ctx->reason.len = 0;
		if (buf_adds(&ctx->reason, prefix) != UC_OK ||
		    buf_adds(&ctx->reason, err.data != NULL ? err.data : "") ||
		    buf_adds(&ctx->reason, ")."))
			rc = UC_ERR_NOMEM;
	}
	ustr_free(&part);
	buf_free(&err);
	return rc;
}

static int
check_lengths(struct email_ctx *ctx, const struct ustr *ascii,
    const uint32_t *orig, size_t on)
{
	size_t i, start = 0, diff;

	if (ascii->n > 253) {
		diff = ascii->n - 253;
		ctx->reason.len = 0;
		if (ascii->n == on && memcmp(ascii->s, orig,
		    on * sizeof(*orig)) == 0)
			return buf_printf(&ctx->reason, "The email address is "
			    "too long after the @-sign (%zu character%s too "
			    "many).", diff, diff > 1 ? "s" : "") ? UC_ERR_NOMEM :
			    UC_ERR_INVALID;
		return buf_printf(&ctx->reason, "The email address is too "
		    "long after the @-sign (%zu byte%s too many after IDNA "
		    "encoding).", diff, diff == 1 ? "" : "s") ? UC_ERR_NOMEM :
		    UC_ERR_INVALID;
	}
	for (i = 0; i <= ascii->n; i++) {
		if (i < ascii->n && ascii->s[i] != '.')
			continue;
		if (i - start > 63) {
			diff = i - start - 63;
			ctx->reason.len = 0;
			return buf_printf(&ctx->reason, "After the @-sign, "
			    "periods cannot be separated by so many characters "
			    "(%zu character%s too many).", diff,
			    diff > 1 ? "s" : "") ? UC_ERR_NOMEM : UC_ERR_INVALID;
		}
		start = i + 1;
	}
	return UC_OK;
}

static int
is_special_use(const struct ustr *a)
{
	size_t k, len, i;

	for (k = 0; k < sizeof(special_use) / sizeof(special_use[0]); k++) {
		len = strlen(special_use[k]);
		if (a->n < len || (a->n > len && a->s[a->n - len - 1] != '.'))
			continue;
		for (i = 0; i < len; i++)
			if (a->s[a->n - len + i] != (uint32_t)special_use[k][i])
				break;
		if (i == len)
			return 1;
	}
	return 0;
}

static int
validate_name(struct email_ctx *ctx, const uint32_t *s, size_t n,
    struct ustr *mapped, struct domain_result *r)
{
	uint32_t last;
	int rc;

	if ((rc = refuse_chars(ctx, msg_prefix_chars, s, n, bad_hostname_char,
	    ".")) != UC_OK || (rc = check_unsafe(ctx, s, n, 0)) != UC_OK ||
	    (rc = refuse_chars(ctx, msg_prefix_chars, s, n,
	    uts46_prefilter_bad, ".")) != UC_OK)
		return rc;
	if ((rc = uts46_remap(s, n, mapped)) != UC_OK)
		return rc;
	if ((rc = refuse_chars(ctx, "The part after the @-sign contains "
	    "invalid characters after Unicode normalization: ", mapped->s,
	    mapped->n, bad_hostname_char, ".")) != UC_OK ||
	    (rc = check_dots_hyphens(ctx, mapped->s, mapped->n)) != UC_OK ||
	    (rc = check_rldh(ctx, mapped->s, mapped->n)) != UC_OK)
		return rc;
	if (is_ascii_hostname(mapped->s, mapped->n))
		rc = ustr_set(&r->ascii, mapped->s, mapped->n);
	else {
		rc = each_label(ctx, mapped->s, mapped->n, idna_alabel,
		    "The part after the @-sign is invalid (", &r->ascii);
		if (rc == UC_OK && !is_ascii_hostname(r->ascii.s, r->ascii.n))
			rc = refuse(ctx, "The email address contains invalid "
			    "characters after the @-sign after IDNA encoding.");
	}
	if (rc != UC_OK || (rc = check_lengths(ctx, &r->ascii, s, n)) != UC_OK)
		return rc;
	last = r->ascii.n > 0 ? r->ascii.s[r->ascii.n - 1] : 0;
	{
		size_t i;
		int dot = 0;

		for (i = 0; i < r->ascii.n; i++)
			dot |= r->ascii.s[i] == '.';
		if (!dot)
			return refuse(ctx, "The part after the @-sign is not "
			    "valid. It should have a period.");
	}
	if (!((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z')))
		return refuse(ctx, "The part after the @-sign is not valid. It "
		    "is not within a valid top-level domain.");
	if (is_special_use(&r->ascii))
		return refuse(ctx, "The part after the @-sign is a special-use "
		    "or reserved name that cannot be used with email.");
	rc = each_label(ctx, r->ascii.s, r->ascii.n, idna_ulabel,
	    "The part after the @-sign is not valid IDNA (", &r->unicode);
	if (rc != UC_OK)
		return rc;
	/* The library re-checks the mapped name; it cannot fail here. */
	if ((rc = refuse_chars(ctx, msg_prefix_chars, mapped->s, mapped->n,
	    bad_hostname_char, ".")) != UC_OK)
		return rc;
	return check_unsafe(ctx, mapped->s, mapped->n, 0);
}

int
domain_validate(struct email_ctx *ctx, const struct ustr *d,
    struct domain_result *r)
{
	struct ustr mapped = { 0 };
	int rc;

	if (d->n == 0)
		return refuse(ctx, "There must be something after the @-sign.");
	if (d->s[0] == '[' && d->s[d->n - 1] == ']')
		return domain_literal_validate(ctx, d->s + 1,
		    d->n >= 2 ? d->n - 2 : 0);
	rc = validate_name(ctx, d->s, d->n, &mapped, r);
	ustr_free(&mapped);
	return rc;
}
