/*
 * email_ip.c: bracketed domain literals ("[1.2.3.4]", "[IPv6:...]").
 * pydantic's defaults refuse them all; what matters is which message:
 * the parse error Python's ipaddress module gives (quoted in the
 * library's message), or the plain refusal when the address parses.
 */
#include <string.h>

#include "email_impl.h"

/* AddressValueError text, built in err; returns 0 when s is valid. */
static int
fail_in(struct buf *err, const char *what, const uint32_t *part, size_t pn,
    const uint32_t *s, size_t n)
{
	if (buf_adds(err, what) != UC_OK)
		return -1;
	if (part != NULL && (buf_adds(err, " ") || py_repr(err, part, pn)))
		return -1;
	if (s != NULL && (buf_adds(err, " in ") || py_repr(err, s, n)))
		return -1;
	return -1;
}

static size_t
count_char(const uint32_t *s, size_t n, uint32_t c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* ipaddress.IPv4Address(str): 0 if valid, else -1 with err set. */
static int
ipv4_parse(const uint32_t *s, size_t n, struct buf *err)
{
	size_t i = 0, j, k;

	if (n == 0)
		return fail_in(err, "Address cannot be empty", NULL, 0, NULL, 0);
	if (count_char(s, n, '/'))
		return fail_in(err, "Unexpected '/' in", s, n, NULL, 0);
	if (count_char(s, n, '.') != 3)
		return fail_in(err, "Expected 4 octets in", s, n, NULL, 0);
	for (k = 0; k < 4; k++, i = j + 1) {
		unsigned v = 0;

		for (j = i; j < n && s[j] != '.'; j++)
			continue;
		if (j == i)
			return fail_in(err, "Empty octet not permitted", NULL,
			    0, s, n);
		for (size_t m = i; m < j; m++)
			if (s[m] < '0' || s[m] > '9')
				return fail_in(err, "Only decimal digits "
				    "permitted in", s + i, j - i, s, n);
		if (j - i > 3)
			return fail_in(err, "At most 3 characters permitted in",
			    s + i, j - i, s, n);
		if (j - i > 1 && s[i] == '0')
			return fail_in(err, "Leading zeros are not permitted "
			    "in", s + i, j - i, s, n);
		for (size_t m = i; m < j; m++)
			v = v * 10 + (s[m] - '0');
		if (v > 255) {
			buf_printf(err, "Octet %u (> 255) not permitted", v);
			return fail_in(err, "", NULL, 0, s, n);
		}
	}
	return 0;
}

static int
is_hex(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* ipaddress.IPv6Address._ip_int_from_string(): 0 or -1 with err. */
static int
ipv6_parse(const uint32_t *s, size_t n, struct buf *err)
{
	size_t np, i, p, start[10], len[10], skip = 0, hi, lo;
	int have_skip = 0;

	if (n == 0)
		return fail_in(err, "Address cannot be empty", NULL, 0, NULL, 0);
	np = count_char(s, n, ':') + 1;
	if (np < 3)
		return fail_in(err, "At least 3 parts expected in", s, n, NULL, 0);
	{
		size_t last = n;

		while (last > 0 && s[last - 1] != ':')
			last--;
		if (count_char(s + last, n - last, '.') > 0) {
			struct buf e4 = { 0 };

			if (ipv4_parse(s + last, n - last, &e4) != 0) {
				fail_in(err, e4.data != NULL ? e4.data : "",
				    NULL, 0, s, n);
				buf_free(&e4);
				return -1;
			}
			buf_free(&e4);
			np++;	/* two hextets replace the dotted quad */
		}
	}
	if (np > 9)
		return fail_in(err, "At most 8 colons permitted in", s, n, NULL, 0);
	for (i = 0, p = 0; p < np && i <= n; p++) {
		start[p] = i;
		while (i < n && s[i] != ':')
			i++;
		len[p] = i - start[p];
		i++;
	}
	/* An embedded IPv4 address counts as two non-empty parts. */
	if (np > count_char(s, n, ':') + 1)
		len[np - 1] = len[np - 2] = 1;
	for (p = 1; p + 1 < np; p++) {
		if (len[p] != 0)
			continue;
		if (have_skip)
			return fail_in(err, "At most one '::' permitted in",
			    s, n, NULL, 0);
		have_skip = 1;
		skip = p;
	}
	if (have_skip) {
		hi = skip;
		lo = np - skip - 1;
		if (len[0] == 0 && --hi)
			return fail_in(err, "Leading ':' only permitted as part "
			    "of '::' in", s, n, NULL, 0);
		if (len[np - 1] == 0 && --lo)
			return fail_in(err, "Trailing ':' only permitted as "
			    "part of '::' in", s, n, NULL, 0);
		if (8 < hi + lo + 1)
			return fail_in(err, "Expected at most 7 other parts "
			    "with '::' in", s, n, NULL, 0);
	} else {
		if (np != 8)
			return fail_in(err, "Exactly 8 parts expected without "
			    "'::' in", s, n, NULL, 0);
		if (len[0] == 0)
			return fail_in(err, "Leading ':' only permitted as part "
			    "of '::' in", s, n, NULL, 0);
		if (len[np - 1] == 0)
			return fail_in(err, "Trailing ':' only permitted as "
			    "part of '::' in", s, n, NULL, 0);
		hi = np;
		lo = 0;
	}
	/* Parse the hextets in the order Python does: high ones first. */
	for (p = 0; p < np; p++) {
		size_t q;

		if (!(p < hi || p >= np - lo))
			continue;
		if (np > count_char(s, n, ':') + 1 && p >= np - 2)
			continue;	/* the dotted quad, already parsed */
		for (q = start[p]; q < start[p] + len[p]; q++)
			if (!is_hex(s[q]))
				return fail_in(err, "Only hex digits permitted "
				    "in", s + start[p], len[p], s, n);
		if (len[p] > 4)
			return fail_in(err, "At most 4 characters permitted in",
			    s + start[p], len[p], s, n);
	}
	return 0;
}

/* ipaddress.IPv6Address(str), with the scope id split off first. */
static int
ipv6_address(const uint32_t *s, size_t n, struct buf *err)
{
	size_t pct;

	if (count_char(s, n, '/'))
		return fail_in(err, "Unexpected '/' in", s, n, NULL, 0);
	for (pct = 0; pct < n && s[pct] != '%'; pct++)
		continue;
	if (pct < n && (pct + 1 == n || count_char(s + pct + 1,
	    n - pct - 1, '%'))) {
		buf_adds(err, "Invalid IPv6 address: \"");
		py_repr(err, s, n);
		buf_adds(err, "\"");
		return -1;
	}
	return ipv6_parse(s, pct, err);
}

static int
bad_literal_char(uint32_t c)
{
	return !(c >= 0x21 && c <= 0xfa);
}

int
domain_literal_validate(struct email_ctx *ctx, const uint32_t *s, size_t n)
{
	static const uint32_t tag[] = { 'I', 'P', 'v', '6', ':' };
	struct buf err = { 0 };
	size_t i, digits = n;
	int rc;

	/* re.match(r"^[0-9\.]+$"): "$" also matches before a final "\n". */
	if (n > 1 && s[n - 1] == '\n')
		digits = n - 1;
	for (i = 0; i < digits; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			break;
	if (digits > 0 && i == digits) {
		if (ipv4_parse(s, n, &err) != 0) {
			ctx->reason.len = 0;
			rc = buf_printf(&ctx->reason, "The address in brackets "
			    "after the @-sign is not valid: It is not an IPv4 "
			    "address (");
			if (rc == UC_OK && err.data != NULL)
				rc = buf_adds(&ctx->reason, err.data);
			if (rc == UC_OK)
				rc = buf_adds(&ctx->reason, ") or is missing "
				    "an address literal tag.");
			buf_free(&err);
			return rc == UC_OK ? UC_ERR_INVALID : rc;
		}
		return refuse(ctx, "A bracketed IP address after the @-sign "
		    "is not allowed here.");
	}
	if (n >= 5 && memcmp(s, tag, sizeof(tag)) == 0) {
		if (ipv6_address(s + 5, n - 5, &err) != 0) {
			ctx->reason.len = 0;
			rc = buf_adds(&ctx->reason, "The IPv6 address in "
			    "brackets after the @-sign is not valid (");
			if (rc == UC_OK && err.data != NULL)
				rc = buf_adds(&ctx->reason, err.data);
			if (rc == UC_OK)
				rc = buf_adds(&ctx->reason, ").");
			buf_free(&err);
			return rc == UC_OK ? UC_ERR_INVALID : rc;
		}
		return refuse(ctx, "A bracketed IP address after the @-sign "
		    "is not allowed here.");
	}
	if (count_char(s, n, ':') == 0)
		return refuse(ctx, "The part after the @-sign in brackets is "
		    "not an IPv4 address and has no address literal tag.");
	rc = refuse_chars(ctx, "The part after the @-sign contains invalid "
	    "characters in brackets: ", s, n, bad_literal_char, ".");
	if (rc != UC_OK)
		return rc;
	return refuse(ctx, "The part after the @-sign contains an invalid "
	    "address literal tag in brackets.");
}
