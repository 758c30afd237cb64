/*
 * hash.h: password hashing with libxcrypt.  Owns the table of accepted
 * methods and their cost ranges; refuses legacy and unknown methods.
 */
#ifndef UC_HASH_H
#define UC_HASH_H

#include <stddef.h>

#include "err.h"

/* Room for any hash crypt_rn writes (CRYPT_OUTPUT_SIZE is 384). */
#define HASH_MAX	384

/* A checked method and cost, ready for crypt_gensalt_rn. */
struct hash_setting {
	const char	*prefix;	/* "$y$", ...; NULL: libxcrypt's choice */
	unsigned long	 count;		/* 0: the method's default */
	const char	*name;		/* "yescrypt", for messages */
};

/*
 * Check method (a name such as "yescrypt" or a prefix such as "$y$";
 * NULL or "" for libxcrypt's preferred method) and cost (decimal; NULL
 * or "" for the default).  UC_ERR_CONFIG with a message for a legacy,
 * weak or unknown method, or a cost out of range.
 */
int	hash_setting_parse(const char *method, const char *cost,
	    struct hash_setting *out, struct diag *d);

/*
 * Hash password (len bytes, no NUL inside) with setting into out
 * (HASH_MAX bytes).  The crypt work area is wiped and freed; the caller
 * wipes the password.
 */
int	hash_password(const char *password, size_t len,
	    const struct hash_setting *setting, char *out, size_t outsz,
	    struct diag *d);

/*
 * Check password against a stored hash: UC_OK on a match,
 * UC_ERR_NOT_FOUND on a mismatch, UC_ERR_HASH when crypt() refuses it.
 */
int	hash_verify(const char *password, size_t len, const char *hash,
	    struct diag *d);

/*
 * Whether a stored hash uses an accepted method (UC_OK) or a legacy,
 * weak or unknown one (UC_ERR_CONFIG, with the method's name in d).
 */
int	hash_is_accepted(const char *hash, struct diag *d);

#endif
