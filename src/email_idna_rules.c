/*
 * email_idna_rules.c: the contextual rules of IDNA 2008 as the Python
 * idna package applies them -- RFC 5892 appendix A (CONTEXTO) and the
 * RFC 5893 bidi rule -- with that package's messages.  Scripts and bidi
 * classes come from libunistring.
 */
#include <string.h>

#include <unictype.h>

#include "email_impl.h"

static int
has_script(uint32_t c, const char *name)
{
	const uc_script_t *sc = uc_script(c);

	return sc != NULL && strcmp(sc->name, name) == 0;
}

/* idna's valid_contexto(): RFC 5892 appendix A rules. */
int
idna_valid_contexto(const uint32_t *l, size_t n, size_t pos)
{
	uint32_t c = l[pos];
	size_t i;

	if (c == 0xb7)
		return pos > 0 && pos + 1 < n && l[pos - 1] == 'l' &&
		    l[pos + 1] == 'l';
	if (c == 0x375)
		return pos + 1 < n && has_script(l[pos + 1], "Greek");
	if (c == 0x5f3 || c == 0x5f4)
		return pos > 0 && has_script(l[pos - 1], "Hebrew");
	if (c == 0x30fb) {
		for (i = 0; i < n; i++)
			if (l[i] != 0x30fb && (has_script(l[i], "Hiragana") ||
			    has_script(l[i], "Katakana") ||
			    has_script(l[i], "Han")))
				return 1;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (c <= 0x669 && l[i] >= 0x6f0 && l[i] <= 0x6f9)
			return 0;
		if (c >= 0x6f0 && l[i] >= 0x660 && l[i] <= 0x669)
			return 0;
	}
	return 1;
}

static int
bidi_in(int cls, const int *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == cls)
			return 1;
	return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* idna's check_bidi(): RFC 5893, applied when the label has RTL text. */
int
idna_check_bidi(const uint32_t *l, size_t n, struct buf *err)
{
	static const int rtl_any[] = { UC_BIDI_R, UC_BIDI_AL, UC_BIDI_AN };
	static const int rule2[] = { UC_BIDI_R, UC_BIDI_AL, UC_BIDI_AN,
	    UC_BIDI_EN, UC_BIDI_ES, UC_BIDI_CS, UC_BIDI_ET, UC_BIDI_ON,
	    UC_BIDI_BN, UC_BIDI_NSM };
	static const int rule3[] = { UC_BIDI_R, UC_BIDI_AL, UC_BIDI_EN,
	    UC_BIDI_AN };
	static const int rule5[] = { UC_BIDI_L, UC_BIDI_EN, UC_BIDI_ES,
	    UC_BIDI_CS, UC_BIDI_ET, UC_BIDI_ON, UC_BIDI_BN, UC_BIDI_NSM };
	size_t i;
	int rtl, valid_end = 0, number = -1, first, d;

	for (i = 0, rtl = 0; i < n; i++)
		rtl |= bidi_in(uc_bidi_class(l[i]), rtl_any, NELEM(rtl_any));
	if (!rtl)
		return UC_OK;
	first = uc_bidi_class(l[0]);
	if (first != UC_BIDI_R && first != UC_BIDI_AL && first != UC_BIDI_L) {
		buf_adds(err, "First codepoint in label ");
		py_repr(err, l, n);
		buf_adds(err, " must be directionality L, R or AL");
		return UC_ERR_INVALID;
	}
	rtl = first != UC_BIDI_L;
	for (i = 0; i < n; i++) {
		d = uc_bidi_class(l[i]);
		if (rtl) {
			if (!bidi_in(d, rule2, NELEM(rule2))) {
				buf_printf(err, "Invalid direction for "
				    "codepoint at position %zu in a "
				    "right-to-left label", i + 1);
				return UC_ERR_INVALID;
			}
			if (bidi_in(d, rule3, NELEM(rule3)))
				valid_end = 1;
			else if (d != UC_BIDI_NSM)
				valid_end = 0;
			if (d == UC_BIDI_AN || d == UC_BIDI_EN) {
				if (number < 0)
					number = d;
				else if (number != d) {
					buf_adds(err, "Can not mix numeral "
					    "types in a right-to-left label");
					return UC_ERR_INVALID;
				}
			}
		} else {
			if (!bidi_in(d, rule5, NELEM(rule5))) {
				buf_printf(err, "Invalid direction for "
				    "codepoint at position %zu in a "
				    "left-to-right label", i + 1);
				return UC_ERR_INVALID;
			}
			if (d == UC_BIDI_L || d == UC_BIDI_EN)
				valid_end = 1;
			else if (d != UC_BIDI_NSM)
				valid_end = 0;
		}
	}
	if (!valid_end) {
		buf_adds(err, "Label ends with illegal codepoint "
		    "directionality");
		return UC_ERR_INVALID;
	}
	return UC_OK;
}
