/*
 * email_split.c: pydantic's "pretty" e-mail pattern, and the library's
 * split_email(): display name, local part and domain part.
 */
#include <stdlib.h>
#include <string.h>

#include "email_impl.h"

/* pydantic's unquoted display-name characters: [\w!#$%&'*+\-/=?^_`{|}~] */
static int
is_name_char(uint32_t c)
{
	return is_py_word(c) ||
	    (c < 0x80 && c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", (int)c));
}

/*
 * Does "<(.+)>\s*" match s[k:] to the end?  The '>' can only be the last
 * one in s (whatever follows it is whitespace), and '.' excludes "\n".
 */
static int
tail_ok(const uint32_t *s, size_t k, size_t gt)
{
	size_t i;

	if (gt == (size_t)-1 || k + 2 > gt)
		return 0;
	for (i = k + 1; i < gt; i++)
		if (s[i] == '\n')
			return 0;
	return 1;
}

/*
 * pydantic's pretty_email_regex.fullmatch():
 *   \s*(?:((?:N+\s+)*N+)|"((?:[^"]|\")+)")?\s*<(.+)>\s*
 * On a match, sets [*from, *to) to the text between the brackets and
 * returns 1; the name itself is not used by EmailStr.
 */
int
pydantic_unwrap(const uint32_t *s, size_t n, size_t *from, size_t *to)
{
	size_t w = 0, i, k, gt = (size_t)-1;

	for (i = n; i > 0; i--)
		if (s[i - 1] == '>') {
			gt = i - 1;
			break;
		}
	if (gt == (size_t)-1)
		return 0;
	for (i = gt + 1; i < n; i++)
		if (!is_py_space(s[i]))
			return 0;
	while (w < n && is_py_space(s[w]))
		w++;
	if (w == n)
		return 0;
	k = w;
	if (is_name_char(s[w])) {
		/* Runs of name characters separated by whitespace. */
		for (;;) {
			while (k < n && is_name_char(s[k]))
				k++;
			while (k < n && is_py_space(s[k]))
				k++;
			if (k >= n || !is_name_char(s[k]))
				break;
		}
	} else if (s[w] == '"') {
		/* Greedy: the last closing quote that leads to a match. */
		for (i = n; i > w + 2; i--) {
			size_t q = i - 1;

			if (s[q] != '"')
				continue;
			for (k = q + 1; k < n && is_py_space(s[k]); k++)
				continue;
			if (k < n && s[k] == '<' && tail_ok(s, k, gt))
				break;
		}
		if (i <= w + 2)
			return 0;
	}
	if (k >= n || s[k] != '<' || !tail_ok(s, k, gt))
		return 0;
	*from = k + 1;
	*to = gt;
	return 1;
}

static const char *const msg_no_at = "An email address must have an @-sign.";
static const char *const msg_fullwidth_at = "The email address has the "
    "\"full-width\" at-sign (@) character instead of a regular at-sign.";
static const char *const msg_small_at = "The email address has the "
    "\"small commercial at\" character instead of a regular at-sign.";

/*
 * split_string_at_unquoted_special(): the length of the text before the
 * first '@' (or '<' when angle is set) outside quotes and not changed by
 * NFC with what follows it.
 */
static int
split_at_special(struct email_ctx *ctx, const uint32_t *s, size_t n,
    int angle, size_t *left)
{
	size_t i;
	int quoted = 0, escaped = 0;

	for (i = 0; i < n; i++) {
		uint32_t c = s[i];

		/*
		 * A character NFC changes together with what follows is
		 * taken as plain text.  That only makes a difference for the
		 * special characters and for an escaped character in quotes,
		 * so the look-ahead is not paid for the others.
		 */
		if ((c == '"' || c == '\\' || c == '@' || c == '<' ||
		    (quoted && escaped)) && nfc_changes_first(s, n, i))
			continue;
		if (quoted) {
			if (c == '\\' && !escaped)
				escaped = 1;
			else if (c == '"' && !escaped) {
				quoted = 0;
				escaped = 0;
			} else
				escaped = 0;
		} else if (c == '"')
			quoted = 1;
		else if (c == '@' || (angle && c == '<'))
			break;
	}
	if (i == n) {
		for (i = 0; i < n; i++)
			if (s[i] == 0xff20)
				return refuse(ctx, msg_fullwidth_at);
		for (i = 0; i < n; i++)
			if (s[i] == 0xfe6b)
				return refuse(ctx, msg_small_at);
		return refuse(ctx, msg_no_at);
	}
	*left = i;
	return UC_OK;
}

/* unquote_quoted_string(): strip the quotes and backslash escapes. */
static int
unquote(struct email_ctx *ctx, const uint32_t *s, size_t n, struct ustr *out,
    int *was_quoted)
{
	size_t i;
	int quoted = 0, escaped = 0, rc = UC_OK;

	out->n = 0;
	if ((rc = ustr_append(out, NULL, 0)) != UC_OK)
		return rc;
	for (i = 0; i < n && rc == UC_OK; i++) {
		uint32_t c = s[i];

		if (quoted) {
			if (escaped) {
				rc = ustr_push(out, c);
				escaped = 0;
			} else if (c == '\\')
				escaped = 1;
			else if (c == '"')
				break;
			else
				rc = ustr_push(out, c);
		} else if (i == 0 && c == '"')
			quoted = 1;
		else
			rc = ustr_push(out, c);
	}
	if (rc != UC_OK)
		return rc;
	*was_quoted = quoted;
	if (quoted && i + 1 < n) {
		/* Every following character, repeats included, no period. */
		size_t j;

		ctx->reason.len = 0;
		rc = buf_adds(&ctx->reason,
		    "Extra character(s) found after close quote: ");
		for (j = i + 1; j < n && rc == UC_OK; j++) {
			if (j > i + 1)
				rc = buf_adds(&ctx->reason, ", ");
			if (rc == UC_OK)
				rc = char_display(&ctx->reason, s[j]);
		}
		return rc == UC_OK ? UC_ERR_INVALID : rc;
	}
	return UC_OK;
}

/* Unquoted display names: atext and spaces, but no period. */
static int
bad_display_char(uint32_t c)
{
	return !(is_atext(c) || c == ' ');
}

static int
split_display_name(struct email_ctx *ctx, const uint32_t *s, size_t n,
    size_t lt, size_t *addr_from, size_t *addr_to)
{
	struct ustr name = { 0 };
	size_t left = lt, end = n, i;
	int quoted = 0, rc, has_gt = 0;

	while (left > 0 && is_py_space(s[left - 1]))
		left--;
	rc = unquote(ctx, s, left, &name, &quoted);
	if (rc == UC_OK && !quoted)
		rc = refuse_chars(ctx, "The display name contains invalid "
		    "characters when not quoted: ", name.s, name.n,
		    bad_display_char, ".");
	if (rc == UC_OK)
		rc = check_unsafe(ctx, name.s, name.n, 1);
	ustr_free(&name);
	if (rc != UC_OK)
		return rc;
	for (i = lt; i < n; i++)
		has_gt |= s[i] == '>';
	if (!has_gt)
		return refuse(ctx, "An open angle bracket at the start of the "
		    "email address has to be followed by a close angle "
		    "bracket at the end.");
	while (end > lt && s[end - 1] == ' ')
		end--;
	if (s[end - 1] != '>')
		return refuse(ctx, "There can't be anything after the email "
		    "address.");
	while (end > lt + 1 && s[end - 1] == '>')
		end--;
	*addr_from = lt + 1;
	*addr_to = end;
	ctx->display_name = 1;
	return UC_OK;
}

/* split_email(): the parts of the address the library validates. */
int
email_split(struct email_ctx *ctx, const uint32_t *s, size_t n,
    struct email_parts *p)
{
	size_t left, from = 0, to = n;
	int rc;

	if ((rc = split_at_special(ctx, s, n, 1, &left)) != UC_OK)
		return rc;
	if (s[left] == '<') {
		rc = split_display_name(ctx, s, n, left, &from, &to);
		if (rc != UC_OK)
			return rc;
		rc = split_at_special(ctx, s + from, to - from, 0, &left);
		if (rc != UC_OK)
			return rc;
		left += from;
	}
	/* s[left] is the '@'. */
	if ((rc = ustr_set(&p->domain, s + left + 1, to - left - 1)) != UC_OK)
		return rc;
	return unquote(ctx, s + from, left - from, &p->local, &p->quoted);
}
