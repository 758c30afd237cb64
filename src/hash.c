/*
 * hash.c: password hashing with libxcrypt's crypt_gensalt_rn and
 * crypt_rn.  Owns the table of accepted methods and their cost ranges,
 * and the list of legacy ones we name when refusing them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <crypt.h>

#include "hash.h"

/* Methods a new hash may use: all are slow, salted and unbroken. */
struct hash_method {
	const char	*name;
	const char	*prefix;
	unsigned long	 cost_min;
	unsigned long	 cost_max;
};

static const struct hash_method accepted[] = {
	{ "yescrypt",		"$y$",	1, 11 },
	{ "gost-yescrypt",	"$gy$",	1, 11 },
	{ "scrypt",		"$7$",	6, 11 },
	{ "bcrypt",		"$2b$",	4, 31 },
	{ "sha512crypt",	"$6$",	1000, 999999999 },
	/* Same as $2b$ (crypt(5)); accepted in stored hashes. */
	{ "bcrypt",		"$2y$",	4, 31 },
};

/* Methods we know and refuse, so the message can say why. */
struct hash_legacy {
	const char	*name;
	const char	*prefix;	/* NULL: no prefix (DES) */
};

static const struct hash_legacy legacy[] = {
	{ "descrypt",		NULL },
	{ "des",		NULL },
	{ "bigcrypt",		NULL },
	{ "bsdicrypt",		"_" },
	{ "md5crypt",		"$1$" },
	{ "md5",		"$1$" },
	{ "sunmd5",		"$md5" },
	{ "sha1crypt",		"$sha1" },
	{ "sha256crypt",	"$5$" },
	{ "nt",			"$3$" },
	{ "bcrypt-2a",		"$2a$" },
	{ "bcrypt-2x",		"$2x$" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Compare without an early exit, so timing says nothing of the hash. */
static int
equal_consttime(const char *a, const char *b, size_t n)
{
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= (unsigned char)(a[i] ^ b[i]);
	return acc == 0;
}

static const struct hash_method *
method_by_name(const char *s)
{
	size_t i;

	/* Names in any case, as legacy ones; prefixes exactly. */
	for (i = 0; i < NELEM(accepted); i++)
		if (strcasecmp(s, accepted[i].name) == 0 ||
		    strcmp(s, accepted[i].prefix) == 0)
			return &accepted[i];
	return NULL;
}

static const struct hash_method *
method_by_prefix(const char *hash)
{
	size_t i;

	for (i = 0; i < NELEM(accepted); i++)
		if (strncmp(hash, accepted[i].prefix,
		    strlen(accepted[i].prefix)) == 0)
			return &accepted[i];
	return NULL;
}

static const struct hash_legacy *
legacy_by_name(const char *s)
{
	size_t i;

	for (i = 0; i < NELEM(legacy); i++)
		if (strcasecmp(s, legacy[i].name) == 0 ||
		    (legacy[i].prefix != NULL &&
		    strcmp(s, legacy[i].prefix) == 0))
			return &legacy[i];
	return NULL;
}

static int
cost_parse(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
hash_setting_parse(const char *method, const char *cost,
    struct hash_setting *out, struct diag *d)
{
	const struct hash_method *m = NULL;
	const struct hash_legacy *l;
	const char *pref;
	unsigned long count = 0;

	memset(out, 0, sizeof(*out));
	if (method != NULL && method[0] != '\0') {
		if ((l = legacy_by_name(method)) != NULL)
			return diag_set(d, UC_ERR_CONFIG,
			    "USER_HASH_METHOD=%s: %s is a legacy, weak "
			    "method and is refused; use yescrypt (the "
			    "default), gost-yescrypt, scrypt, bcrypt or "
			    "sha512crypt", method, l->name);
		if ((m = method_by_name(method)) == NULL)
			return diag_set(d, UC_ERR_CONFIG,
			    "USER_HASH_METHOD=%s: unknown method; use "
			    "yescrypt (the default), gost-yescrypt, scrypt, "
			    "bcrypt or sha512crypt", method);
	} else {
		/* libxcrypt's preferred method, checked against our table. */
		pref = crypt_preferred_method();
		if (pref == NULL || (m = method_by_name(pref)) == NULL)
			return diag_set(d, UC_ERR_CONFIG,
			    "libxcrypt's preferred method %s is not one we "
			    "accept; set USER_HASH_METHOD",
			    pref != NULL ? pref : "(none)");
	}
	if (cost != NULL && cost[0] != '\0') {
		if (cost_parse(cost, &count) == -1 ||
		    count < m->cost_min || count > m->cost_max)
			return diag_set(d, UC_ERR_CONFIG,
			    "USER_HASH_COST=%s: %s takes a cost from %lu "
			    "to %lu", cost, m->name, m->cost_min,
			    m->cost_max);
	}
	/* Unset: NULL lets libxcrypt pick, as it would for any caller. */
	out->prefix = method != NULL && method[0] != '\0' ? m->prefix : NULL;
	out->count = count;
	out->name = m->name;
	return UC_OK;
}

/*
 * The phrase goes into the crypt area's own input field, so it is a C
 * string and is wiped with the rest.  libxcrypt hashes at most
 * CRYPT_MAX_PASSPHRASE_SIZE - 1 (511) bytes; a longer password (the
 * contract allows 128 characters, up to 512 bytes) is hashed on its
 * first 511 bytes, as bcrypt hashes the first 72.  Both hashing and
 * verifying do this, so they agree.
 */
static void
phrase_load(struct crypt_data *cd, const char *password, size_t len)
{
	if (len > sizeof(cd->input) - 1)
		len = sizeof(cd->input) - 1;
	memcpy(cd->input, password, len);
	cd->input[len] = '\0';
}

int
hash_password(const char *password, size_t len,
    const struct hash_setting *setting, char *out, size_t outsz,
    struct diag *d)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;
	size_t hl;
	int rc = UC_OK;

	if (memchr(password, '\0', len) != NULL)
		return diag_set(d, UC_ERR_HASH,
		    "the password holds a NUL character, which crypt() "
		    "cannot hash");
	if (crypt_gensalt_rn(setting->prefix, setting->count, NULL, 0,
	    salt, (int)sizeof(salt)) == NULL || salt[0] == '*')
		return diag_set(d, UC_ERR_HASH,
		    "crypt_gensalt_rn(%s, %lu): %s", setting->name,
		    setting->count, strerror(errno));
	/* Large (over 32 KiB) and holds derived key material: the heap. */
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return diag_set(d, UC_ERR_NOMEM, "crypt_data: %s",
		    strerror(errno));
	phrase_load(cd, password, len);
	memcpy(cd->setting, salt, sizeof(salt));
	h = crypt_rn(cd->input, cd->setting, cd, (int)sizeof(*cd));
	if (h == NULL || h[0] == '*')
		rc = diag_set(d, UC_ERR_HASH, "crypt_rn(%s): %s",
		    setting->name, h == NULL ? strerror(errno) :
		    "refused the setting");
	else if ((hl = strlen(h)) >= outsz)
		rc = diag_set(d, UC_ERR_HASH, "crypt_rn: hash too long");
	else
		memcpy(out, h, hl + 1);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

int
hash_verify(const char *password, size_t len, const char *hash,
    struct diag *d)
{
	struct crypt_data *cd;
	const char *h;
	int rc;

	if (memchr(password, '\0', len) != NULL)
		return UC_ERR_NOT_FOUND;
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return diag_set(d, UC_ERR_NOMEM, "crypt_data: %s",
		    strerror(errno));
	phrase_load(cd, password, len);
	h = crypt_rn(cd->input, hash, cd, (int)sizeof(*cd));
	if (h == NULL || h[0] == '*')
		rc = diag_set(d, UC_ERR_HASH, "crypt_rn refused the "
		    "stored hash");
	else if (strlen(h) == strlen(hash) &&
	    equal_consttime(h, hash, strlen(h)))
		rc = UC_OK;
	else
		rc = UC_ERR_NOT_FOUND;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

int
hash_is_accepted(const char *hash, struct diag *d)
{
	const struct hash_method *m;
	size_t i;

	if ((m = method_by_prefix(hash)) != NULL)
		return UC_OK;
	for (i = 0; i < NELEM(legacy); i++)
		if (legacy[i].prefix != NULL && strncmp(hash,
		    legacy[i].prefix, strlen(legacy[i].prefix)) == 0)
			return diag_set(d, UC_ERR_CONFIG, "legacy %s hash",
			    legacy[i].name);
	return diag_set(d, UC_ERR_CONFIG, "legacy or unknown hash method");
}
