/*
 * email_punycode.c: RFC 3492 Punycode encoding of one U-label, as
 * Python's "punycode" codec writes it (lowercase digits).  libidn2 only
 * encodes labels its own (older) IDNA tables accept, and the labels here
 * have already been checked against the rules the idna package applies.
 */
#include "email_impl.h"

enum {
	PC_BASE = 36, PC_TMIN = 1, PC_TMAX = 26, PC_SKEW = 38, PC_DAMP = 700,
	PC_BIAS = 72, PC_N = 128
};

static uint64_t
adapt(uint64_t delta, uint64_t points, int first)
{
	uint64_t k = 0;

	delta = first ? delta / PC_DAMP : delta / 2;
	delta += delta / points;
	while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
		delta /= PC_BASE - PC_TMIN;
		k += PC_BASE;
	}
	return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

static uint32_t
digit(uint64_t d)
{
	return (uint32_t)(d < 26 ? 'a' + d : '0' + d - 26);
}

/* Appends the encoding of s (without "xn--") to out. */
int
punycode_encode(const uint32_t *s, size_t n, struct ustr *out)
{
	uint64_t delta = 0, bias = PC_BIAS, h, b = 0, q, k, t, m;
	uint32_t cp = PC_N;
	size_t i;
	int rc = UC_OK;

	for (i = 0; i < n && rc == UC_OK; i++)
		if (s[i] < 0x80) {
			rc = ustr_push(out, s[i]);
			b++;
		}
	if (rc == UC_OK && b > 0)
		rc = ustr_push(out, '-');
	for (h = b; h < n && rc == UC_OK; delta++, cp++) {
		for (m = UINT32_MAX, i = 0; i < n; i++)
			if (s[i] >= cp && s[i] < m)
				m = s[i];
		delta += (m - cp) * (h + 1);
		cp = (uint32_t)m;
		for (i = 0; i < n && rc == UC_OK; i++) {
			if (s[i] < cp)
				delta++;
			if (s[i] != cp)
				continue;
			for (q = delta, k = PC_BASE;; k += PC_BASE) {
				t = k <= bias ? PC_TMIN : k >= bias + PC_TMAX ?
				    PC_TMAX : k - bias;
				if (q < t)
					break;
				if ((rc = ustr_push(out, digit(t + (q - t) %
				    (PC_BASE - t)))) != UC_OK)
					return rc;
				q = (q - t) / (PC_BASE - t);
			}
			rc = ustr_push(out, digit(q));
			bias = adapt(delta, h + 1, h == b);
			delta = 0;
			h++;
		}
	}
	return rc;
}
