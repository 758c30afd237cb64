/*
 * ref_crypt.c: the benchmarks' reference for hashing: one process that
 * makes a setting with crypt_gensalt_rn and hashes once with crypt_rn, as
 * user.cgi does for a registration, and prints the hash.
 *   ref_crypt [PREFIX [COST]]	(default: $y$ 5, yescrypt's own default)
 */
#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct crypt_data data;	/* ~32 KiB: not on the stack */

int
main(int argc, char *argv[])
{
	const char *prefix = argc > 1 ? argv[1] : "$y$";
	unsigned long cost = argc > 2 ? strtoul(argv[2], NULL, 10) : 5;
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *h;

	if (crypt_gensalt_rn(prefix, cost, NULL, 0, setting,
	    (int)sizeof(setting)) == NULL)
		return 1;
	h = crypt_rn("s3cret-pw", setting, &data, (int)sizeof(data));
	if (h == NULL || h[0] == '*')
		return 1;
	puts(h);
	return 0;
}
