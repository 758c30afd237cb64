/*
 * email_chars.c: the character classes the e-mail rules use (Python's
 * whitespace and \w, RFC 5322 atext, Unicode general categories), NFC,
 * and the pieces of messages that show characters: Python repr() and
 * email-validator's safe_character_display(), sorted lists of them, and
 * the unsafe-character check.
 */
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <uniname.h>
#include <uninorm.h>

#include "email_impl.h"

/* Python's str.isspace() (and so re's \s and str.strip()). */
static const uint32_t py_space[][2] = {
	{ 0x0009, 0x000d }, { 0x001c, 0x0020 }, { 0x0085, 0x0085 },
	{ 0x00a0, 0x00a0 }, { 0x1680, 0x1680 }, { 0x2000, 0x200a },
	{ 0x2028, 0x2029 }, { 0x202f, 0x202f }, { 0x205f, 0x205f },
	{ 0x3000, 0x3000 },
};

int
is_py_space(uint32_t c)
{
	size_t i;

	for (i = 0; i < sizeof(py_space) / sizeof(py_space[0]); i++)
		if (c >= py_space[i][0] && c <= py_space[i][1])
			return 1;
	return 0;
}

/* Python re's \w on str: str.isalnum() or underscore. */
int
is_py_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_';
	return uc_is_general_category(c, UC_CATEGORY_L) ||
	    uc_is_general_category(c, UC_CATEGORY_N);
}

/* RFC 5322 atext (email-validator's ATEXT), ASCII only. */
int
is_atext(uint32_t c)
{
	if (c >= 0x80)
		return 0;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", (int)c) != NULL;
}

int
is_mark(uint32_t c)
{
	return uc_is_general_category(c, UC_CATEGORY_M);
}

static int
is_lnps(uint32_t c)
{
	return uc_is_general_category(c, UC_CATEGORY_L) ||
	    uc_is_general_category(c, UC_CATEGORY_N) ||
	    uc_is_general_category(c, UC_CATEGORY_P) ||
	    uc_is_general_category(c, UC_CATEGORY_S);
}

static int
is_surrogate(uint32_t c)
{
	return c >= 0xd800 && c <= 0xdfff;
}

/*
 * NFC as Python's unicodedata.normalize does it.  libunistring refuses
 * lone surrogates, which are starters without decomposition, so the
 * text is normalized piecewise around them.
 */
int
nfc(const uint32_t *s, size_t n, struct ustr *out)
{
	size_t i = 0, j;
	int rc;

	/* Text below U+0300 is always in NFC: nothing there combines. */
	for (j = 0; j < n && s[j] < 0x300; j++)
		continue;
	if (j == n)
		return ustr_set(out, s, n);
	out->n = 0;
	if ((rc = ustr_append(out, NULL, 0)) != UC_OK)
		return rc;
	while (i < n) {
		for (j = i; j < n && !is_surrogate(s[j]); j++)
			continue;
		if (j > i) {
			size_t len = 0;
			uint32_t *r = u32_normalize(UNINORM_NFC, s + i, j - i,
			    NULL, &len);

			if (r == NULL)
				return UC_ERR_NOMEM;
			rc = ustr_append(out, r, len);
			free(r);
			if (rc != UC_OK)
				return rc;
		}
		if (j < n && (rc = ustr_push(out, s[j++])) != UC_OK)
			return rc;
		i = j;
	}
	return UC_OK;
}

/*
 * Is unicodedata.normalize("NFC", s[i:])[0] != s[i]?  Only the character
 * and what may combine with it matter: the combining marks after it and
 * a few following starters (Hangul syllables), so a short window is
 * normalized instead of the whole rest, which would make the scan of
 * split_email() quadratic.
 */
int
nfc_changes_first(const uint32_t *s, size_t n, size_t i)
{
	struct ustr w = { 0 };
	size_t j;
	int changed;

	if (i + 1 >= n || s[i + 1] < 0x300) {
		if (s[i] < 0x80)
			return 0;
	}
	for (j = i + 1; j < n && j < i + 64 &&
	    (j < i + 4 || uc_combining_class(s[j]) != 0); j++)
		continue;
	if (nfc(s + i, j - i, &w) != UC_OK)
		changed = 0;
	else
		changed = w.n == 0 || w.s[0] != s[i];
	ustr_free(&w);
	return changed;
}

/* Python's str.isprintable() for one character. */
static int
is_py_printable(uint32_t c)
{
	if (c == ' ')
		return 1;
	return !(uc_is_general_category(c, UC_CATEGORY_C) ||
	    uc_is_general_category(c, UC_CATEGORY_Z));
}

/* Python's repr() of a str. */
int
py_repr(struct buf *b, const uint32_t *s, size_t n)
{
	uint32_t quote = '\'';
	size_t i;
	int rc = UC_OK, squote = 0, dquote = 0;

	for (i = 0; i < n; i++) {
		squote |= s[i] == '\'';
		dquote |= s[i] == '"';
	}
	if (squote && !dquote)
		quote = '"';
	if ((rc = buf_add_utf8(b, quote)) != UC_OK)
		return rc;
	for (i = 0; i < n && rc == UC_OK; i++) {
		uint32_t c = s[i];

		if (c == quote || c == '\\')
			rc = buf_printf(b, "\\%c", (char)c);
		else if (c == '\t')
			rc = buf_adds(b, "\\t");
		else if (c == '\n')
			rc = buf_adds(b, "\\n");
		else if (c == '\r')
			rc = buf_adds(b, "\\r");
		else if (c < ' ' || c == 0x7f)
			rc = buf_printf(b, "\\x%02x", (unsigned)c);
		else if (c < 0x7f || is_py_printable(c))
			rc = buf_add_utf8(b, c);
		else if (c <= 0xff)
			rc = buf_printf(b, "\\x%02x", (unsigned)c);
		else if (c <= 0xffff)
			rc = buf_printf(b, "\\u%04x", (unsigned)c);
		else
			rc = buf_printf(b, "\\U%08x", (unsigned)c);
	}
	if (rc == UC_OK)
		rc = buf_add_utf8(b, quote);
	return rc;
}

/*
 * email-validator's safe_character_display(): repr() for letters,
 * numbers, punctuation and symbols, else the Unicode name, else U+XXXX
 * (eight digits from U+FFFF up: the library compares with < 0xFFFF).
 */
int
char_display(struct buf *b, uint32_t c)
{
	char name[UNINAME_MAX];

	if (c == '\\')
		return buf_adds(b, "\"\\\"");
	if (is_lnps(c))
		return py_repr(b, &c, 1);
	if (!is_surrogate(c) && unicode_character_name(c, name) != NULL)
		return buf_adds(b, name);
	if (c < 0xffff)
		return buf_printf(b, "U+%04X", (unsigned)c);
	return buf_printf(b, "U+%08X", (unsigned)c);
}

int
refuse(struct email_ctx *ctx, const char *msg)
{
	ctx->reason.len = 0;
	if (buf_adds(&ctx->reason, msg) != UC_OK)
		return UC_ERR_NOMEM;
	return UC_ERR_INVALID;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * If any character of s is bad, refuse with prefix + the distinct bad
 * characters' displays sorted as strings (Python's sorted() of a set of
 * display strings) + suffix.  Returns UC_OK when none is bad.
 */
int
refuse_chars(struct email_ctx *ctx, const char *prefix, const uint32_t *s,
    size_t n, int (*bad)(uint32_t), const char *suffix)
{
	struct ustr set = { 0 };
	struct buf all = { 0 };
	char **disp = NULL;
	size_t i, k = 0, *off = NULL;
	int rc = UC_OK;

	for (i = 0; i < n && rc == UC_OK; i++)
		if (bad(s[i]))
			rc = ustr_push(&set, s[i]);
	if (rc != UC_OK || set.n == 0)
		goto done;
	qsort(set.s, set.n, sizeof(*set.s), cmp_u32);
	off = calloc(set.n, sizeof(*off));
	disp = calloc(set.n, sizeof(*disp));
	if (off == NULL || disp == NULL) {
		rc = UC_ERR_NOMEM;
		goto done;
	}
	for (i = 0; i < set.n && rc == UC_OK; i++) {
		if (i > 0 && set.s[i] == set.s[i - 1])
			continue;
		off[k++] = all.len;
		if ((rc = char_display(&all, set.s[i])) == UC_OK)
			rc = buf_add(&all, "", 1);
	}
	if (rc != UC_OK)
		goto done;
	for (i = 0; i < k; i++)
		disp[i] = all.data + off[i];
	qsort(disp, k, sizeof(*disp), cmp_str);
	ctx->reason.len = 0;
	rc = buf_adds(&ctx->reason, prefix);
	for (i = 0; i < k && rc == UC_OK; i++) {
		if (i > 0)
			rc = buf_adds(&ctx->reason, ", ");
		if (rc == UC_OK)
			rc = buf_adds(&ctx->reason, disp[i]);
	}
	if (rc == UC_OK)
		rc = buf_adds(&ctx->reason, suffix);
	if (rc == UC_OK)
		rc = UC_ERR_INVALID;
done:
	free(disp);
	free(off);
	buf_free(&all);
	ustr_free(&set);
	return rc;
}

/*
 * check_unsafe_chars(): L, N, P, S pass; M passes except first; Zs only
 * where spaces are allowed; other Z and all C fail.  The list is sorted
 * by code point.
 */
int
check_unsafe(struct email_ctx *ctx, const uint32_t *s, size_t n,
    int allow_space)
{
	struct ustr bad = { 0 };
	size_t i;
	int rc = UC_OK;

	for (i = 0; i < n && rc == UC_OK; i++) {
		uint32_t c = s[i];

		if (is_lnps(c))
			continue;
		if (is_mark(c) && i > 0)
			continue;
		if (allow_space && uc_is_general_category(c, UC_CATEGORY_Zs))
			continue;
		rc = ustr_push(&bad, c);
	}
	if (rc == UC_OK && bad.n > 0) {
		qsort(bad.s, bad.n, sizeof(*bad.s), cmp_u32);
		ctx->reason.len = 0;
		rc = buf_adds(&ctx->reason,
		    "The email address contains unsafe characters: ");
		for (i = 0; i < bad.n && rc == UC_OK; i++) {
			if (i > 0 && bad.s[i] == bad.s[i - 1])
				continue;
			if (i > 0)
				rc = buf_adds(&ctx->reason, ", ");
			if (rc == UC_OK)
				rc = char_display(&ctx->reason, bad.s[i]);
		}
		if (rc == UC_OK)
			rc = buf_adds(&ctx->reason, ".");
		if (rc == UC_OK)
			rc = UC_ERR_INVALID;
	}
	ustr_free(&bad);
	return rc;
}
