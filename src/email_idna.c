/*
 * email_idna.c: what email-validator asks of the Python "idna" package:
 * uts46_remap(), alabel() and ulabel(), with that package's messages.
 *
 * The Unicode knowledge comes from the libraries: libidn2 says which code
 * points IDNA 2008 permits and does the Punycode work; libunistring gives
 * the UTS-46 mapping (NFKC case folding), NFC, general categories, bidi
 * classes and scripts.  What is written here is the order of the checks
 * and the wording of the messages, which the client sees.
 */
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>

#include "email_impl.h"

/* Letters and symbols UTS-46 disallows that the earlier checks let by. */
static const uint32_t uts46_disallowed[][2] = {
	{ 0x2ff0, 0x2fff }, { 0xfffc, 0xfffd },
};

/*
 * The UTS-46 mapping of one non-ASCII code point (std3_rules=False,
 * transitional=False): default ignorables vanish, deviations (ß, ς,
 * ZWNJ, ZWJ) stay, ideographic full stops become ".", everything else
 * is NFKC case folded.
 */
/* Has c no compatibility mapping anywhere in its decomposition? */
static int
canonical_only(uint32_t c, int depth)
{
	uint32_t d[UC_DECOMPOSITION_MAX_LENGTH];
	int tag, n, i;

	if ((n = uc_decomposition(c, &tag, d)) < 0)
		return 1;
	if (tag != UC_DECOMP_CANONICAL || depth == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!canonical_only(d[i], depth - 1))
			return 0;
	return 1;
}

static int
map_char(uint32_t c, struct ustr *m)
{
	uint32_t *k, *f;
	size_t kn = 0, fn = 0, i;
	int rc;

	if (c == 0xdf || c == 0x3c2 || c == 0x200c || c == 0x200d)
		return ustr_push(m, c);
	if (c == 0x1e9e)
		return ustr_push(m, 0xdf);
	if (uc_is_property_default_ignorable_code_point(c))
		return UC_OK;
	/*
	 * Most code points map to themselves: no case folding and at most a
	 * canonical decomposition, which the final NFC undoes.  Spares the
	 * allocations of the general path.
	 */
	if (c != 0x3002 && !uc_is_property_changes_when_casefolded(c) &&
	    canonical_only(c, 4))
		return ustr_push(m, c);
	if ((k = u32_normalize(UNINORM_NFKC, &c, 1, NULL, &kn)) == NULL)
		return UC_ERR_NOMEM;
	f = u32_casefold(k, kn, NULL, UNINORM_NFKC, NULL, &fn);
	free(k);
	if (f == NULL)
		return UC_ERR_NOMEM;
	for (i = 0; i < fn; i++)
		if (f[i] == 0x3002)
			f[i] = '.';
	rc = ustr_append(m, f, fn);
	free(f);
	return rc;
}

/*
 * Characters uts46_remap() would refuse that the earlier checks let
 * through: mostly those whose mapping holds a FULL STOP (such as U+2488
 * and U+2024), other than the ideographic and full-width stops, which
 * UTS-46 maps to "." on purpose.
 */
int
uts46_prefilter_bad(uint32_t c)
{
	struct ustr m = { 0 };
	size_t k;
	int bad = 0;

	if (c < 0x80)
		return 0;
	if (c < 0xa0 || uc_is_general_category(c, UC_CATEGORY_Cf) ||
	    uc_is_general_category(c, UC_CATEGORY_Cn) ||
	    uc_is_general_category(c, UC_CATEGORY_Co) ||
	    uc_is_general_category(c, UC_CATEGORY_Cs) ||
	    uc_is_general_category(c, UC_CATEGORY_Z))
		return 1;
	for (k = 0; k < sizeof(uts46_disallowed) / sizeof(uts46_disallowed[0]);
	    k++)
		if (c >= uts46_disallowed[k][0] && c <= uts46_disallowed[k][1])
			return 1;
	if (c == 0x3002 || c == 0xff0e || c == 0xff61)
		return 0;
	if (map_char(c, &m) != UC_OK)
		return 1;
	for (k = 0; k < m.n; k++)
		bad |= m.s[k] == '.';
	ustr_free(&m);
	return bad;
}

/* idna.uts46_remap(std3_rules=False, transitional=False), then NFC. */
int
uts46_remap(const uint32_t *s, size_t n, struct ustr *out)
{
	struct ustr m = { 0 };
	size_t i;
	int rc = ustr_append(&m, NULL, 0);

	for (i = 0; i < n && rc == UC_OK; i++) {
		uint32_t c = s[i];

		if (c < 0x80)
			rc = ustr_push(&m, c >= 'A' && c <= 'Z' ? c + 32 : c);
		else
			rc = map_char(c, &m);
	}
	if (rc == UC_OK)
		rc = nfc(m.s, m.n, out);
	ustr_free(&m);
	return rc;
}

enum idna_class { IDNA_PVALID, IDNA_CONTEXTJ, IDNA_CONTEXTO, IDNA_NO };

/* RFC 5892's CONTEXTO code points (its exceptions table, section 2.6). */
static int
is_contexto(uint32_t c)
{
	return c == 0xb7 || c == 0x375 || c == 0x5f3 || c == 0x5f4 ||
	    c == 0x30fb || (c >= 0x660 && c <= 0x669) ||
	    (c >= 0x6f0 && c <= 0x6f9);
}

/*
 * RFC 5892's derivation of the IDNA 2008 property from Unicode
 * properties, for code points libidn2 2.3.3 (Unicode 11 tables) calls
 * unassigned but libunistring (Unicode 14) knows: the idna package
 * Python uses is on a newer Unicode than libidn2.
 */
static enum idna_class
rfc5892_class(uint32_t c)
{
	struct ustr m = { 0 };
	int unstable;

	if (uc_is_general_category(c, UC_CATEGORY_Cn))
		return IDNA_NO;
	if (map_char(c, &m) != UC_OK)
		return IDNA_NO;
	unstable = m.n != 1 || m.s[0] != c;
	ustr_free(&m);
	if (unstable || uc_is_property_default_ignorable_code_point(c) ||
	    uc_is_property_white_space(c) ||
	    uc_is_property_not_a_character(c) ||
	    (c >= 0x20d0 && c <= 0x20ff) || (c >= 0x1d100 && c <= 0x1d24f) ||
	    (c >= 0x1100 && c <= 0x11ff) || (c >= 0xa960 && c <= 0xa97f) ||
	    (c >= 0xd7b0 && c <= 0xd7ff))
		return IDNA_NO;
	if (uc_is_general_category(c, UC_CATEGORY_Ll) ||
	    uc_is_general_category(c, UC_CATEGORY_Lu) ||
	    uc_is_general_category(c, UC_CATEGORY_Lo) ||
	    uc_is_general_category(c, UC_CATEGORY_Nd) ||
	    uc_is_general_category(c, UC_CATEGORY_Lm) ||
	    uc_is_general_category(c, UC_CATEGORY_Mn) ||
	    uc_is_general_category(c, UC_CATEGORY_Mc))
		return IDNA_PVALID;
	return IDNA_NO;
}

/*
 * The IDNA 2008 class of a code point, as libidn2 knows it: a label made
 * of the code point alone (after a base letter if it is a mark, which may
 * not start a label) is looked up; libidn2 answers "disallowed" or
 * "unassigned" for the code points IDNA 2008 does not permit.
 */
static enum idna_class
idna2008_class(uint32_t c, int probe)
{
	struct buf b = { 0 };
	int rc;

	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' ? IDNA_PVALID : IDNA_NO;
	if (c == 0x200c || c == 0x200d)
		return IDNA_CONTEXTJ;
	if (is_contexto(c))
		return IDNA_CONTEXTO;
	if (c >= 0xd800 && c <= 0xdfff)
		return IDNA_NO;
	if (!probe)
		return IDNA_PVALID;
	if ((is_mark(c) && buf_add_utf8(&b, 0x915) != UC_OK) ||
	    buf_add_utf8(&b, c) != UC_OK) {
		buf_free(&b);
		return IDNA_NO;
	}
	rc = idn2_lookup_u8((const uint8_t *)b.data, NULL, IDN2_NO_TR46);
	buf_free(&b);
	if (rc == IDN2_UNASSIGNED)
		return rfc5892_class(c);
	return rc == IDN2_DISALLOWED ? IDNA_NO : IDNA_PVALID;
}

static int
label_error(struct buf *err, const char *msg)
{
	return buf_adds(err, msg) == UC_OK ? UC_ERR_INVALID : UC_ERR_NOMEM;
}

/*
 * Does libidn2 find no refused code point in the label?  Its checks run
 * in a fixed order (NFC, hyphens, leading mark, disallowed, joiners,
 * unassigned, bidi) and Punycode comes after them, so any later failure
 * also means every code point passed.  Then the per-code-point lookups
 * are not needed.
 */
static int
label_looks_up(const uint32_t *l, size_t n)
{
	struct buf b = { 0 };
	int rc;

	if (buf_add_utf8s(&b, l, n) != UC_OK)
		return 0;
	rc = idn2_lookup_u8((const uint8_t *)b.data, NULL, IDN2_NO_TR46);
	buf_free(&b);
	return rc == IDN2_OK || rc == IDN2_BIDI ||
	    rc == IDN2_PUNYCODE_BIG_OUTPUT || rc == IDN2_TOO_BIG_LABEL;
}

/* idna's check_label(), in its order. */
static int
check_label(const uint32_t *l, size_t n, struct buf *err)
{
	struct ustr norm = { 0 };
	size_t i;
	int same, rc, all_valid;

	if (n == 0)
		return label_error(err, "Empty Label");
	if ((rc = nfc(l, n, &norm)) != UC_OK)
		return rc;
	same = norm.n == n && memcmp(norm.s, l, n * sizeof(*l)) == 0;
	ustr_free(&norm);
	if (!same)
		return label_error(err, "Label must be in Normalization Form C");
	if (n >= 4 && l[2] == '-' && l[3] == '-')
		return label_error(err, "Label has disallowed hyphens in 3rd "
		    "and 4th position");
	if (l[0] == '-' || l[n - 1] == '-')
		return label_error(err, "Label must not start or end with a "
		    "hyphen");
	if (is_mark(l[0]))
		return label_error(err, "Label begins with an illegal "
		    "combining character");
	/* When libidn2 takes the whole label, no code point is refused. */
	all_valid = label_looks_up(l, n);
	for (i = 0; i < n; i++) {
		switch (idna2008_class(l[i], !all_valid)) {
		case IDNA_PVALID:
			continue;
		case IDNA_CONTEXTO:
			if (idna_valid_contexto(l, n, i))
				continue;
			buf_printf(err, "Codepoint U+%04X not allowed at "
			    "position %zu in ", (unsigned)l[i], i + 1);
			py_repr(err, l, n);
			return UC_ERR_INVALID;
		case IDNA_CONTEXTJ:
			/* Joiners are refused earlier as unsafe (Cf). */
			buf_printf(err, "Joiner U+%04X not allowed at "
			    "position %zu in ", (unsigned)l[i], i + 1);
			py_repr(err, l, n);
			return UC_ERR_INVALID;
		case IDNA_NO:
			buf_printf(err, "Codepoint U+%04X at position %zu of ",
			    (unsigned)l[i], i + 1);
			py_repr(err, l, n);
			buf_adds(err, " not allowed");
			return UC_ERR_INVALID;
		}
	}
	return idna_check_bidi(l, n, err);
}

static int
is_ascii(const uint32_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 0;
	return 1;
}

/* idna.ulabel() of an ASCII label: decode an A-label, check the result. */
int
idna_ulabel(const uint32_t *l, size_t n, struct ustr *out, struct buf *err)
{
	struct buf a = { 0 };
	uint32_t *dec = NULL, *p;
	size_t i;
	int rc = UC_OK;

	out->n = 0;
	for (i = 0; i < n && rc == UC_OK; i++)
		rc = ustr_push(out, l[i] >= 'A' && l[i] <= 'Z' ? l[i] + 32 :
		    l[i]);
	if (rc != UC_OK)
		return rc;
	if (!(n >= 4 && out->s[0] == 'x' && out->s[1] == 'n' &&
	    out->s[2] == '-' && out->s[3] == '-'))
		return check_label(out->s, out->n, err);
	if (n == 4)
		return label_error(err, "Malformed A-label, no Punycode "
		    "eligible content found");
	if (out->s[n - 1] == '-')
		return label_error(err, "A-label must not end with a hyphen");
	/*
	 * Python's decoder takes "xn---abc" as no basic code points and
	 * extended "abc"; libidn2 refuses the empty basic part, so the lone
	 * delimiter is dropped, which means the same.
	 */
	for (i = n; i > 4 && out->s[i - 1] != '-'; i--)
		continue;
	if ((rc = buf_adds(&a, "xn--")) != UC_OK ||
	    (rc = buf_add_utf8s(&a, out->s + (i == 5 ? 5 : 4),
	    n - (i == 5 ? 5 : 4))) != UC_OK) {
		buf_free(&a);
		return rc;
	}
	rc = idn2_to_unicode_8z4z(a.data, &dec, 0);
	buf_free(&a);
	if (rc == IDN2_MALLOC)
		return UC_ERR_NOMEM;
	if (rc != IDN2_OK) {
		free(dec);
		return label_error(err, "Invalid A-label");
	}
	out->n = 0;
	for (p = dec; *p != 0 && rc == UC_OK; p++)
		rc = ustr_push(out, *p);
	free(dec);
	if (rc != UC_OK)
		return rc;
	return check_label(out->s, out->n, err);
}

/* idna.alabel(): the ASCII form of one label of a mapped domain. */
int
idna_alabel(const uint32_t *l, size_t n, struct ustr *out, struct buf *err)
{
	static const uint32_t prefix[] = { 'x', 'n', '-', '-' };
	struct ustr dec = { 0 };
	int rc;

	if (is_ascii(l, n)) {
		rc = idna_ulabel(l, n, &dec, err);
		ustr_free(&dec);
		if (rc != UC_OK)
			return rc;
		if (n > 63)
			return label_error(err, "Label too long");
		return ustr_set(out, l, n);
	}
	if ((rc = check_label(l, n, err)) != UC_OK)
		return rc;
	/* Each code point costs at least one character of Punycode. */
	if (n + 4 > 63)
		return label_error(err, "Label too long");
	if ((rc = ustr_set(out, prefix, 4)) != UC_OK ||
	    (rc = punycode_encode(l, n, out)) != UC_OK)
		return rc;
	if (out->n > 63)
		return label_error(err, "Label too long");
	return UC_OK;
}
