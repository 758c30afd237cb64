/*
 * register.c: creating a user, the protocol of the store issue: look
 * the name up without the lock (taken: done, no hashing), hash outside
 * any lock, take the write lock with a bounded wait, look again, append
 * durably, release.  The password is wiped whatever happens.
 */
#include <string.h>

#include "hash.h"
#include "htview.h"
#include "register.h"
#include "store.h"

static size_t
field_len(const char *s, size_t len)
{
	return len != 0 || s == NULL ? len : strlen(s);
}

/* Under the lock: the second look, the append, the htpasswd view. */
static int
append_locked(struct store *st, const struct store_user *su,
    const struct register_config *cfg, struct diag *d)
{
	struct htview hv;
	int rc, view = cfg->htpasswd_path != NULL &&
	    cfg->htpasswd_path[0] != '\0';

	rc = store_lookup(st, su->username, su->username_len, NULL, NULL, d);
	if (rc == UC_OK)
		return UC_ERR_DUPLICATE;
	if (rc != UC_ERR_NOT_FOUND)
		return rc;
	/* Bring the view up to the store first, so it only ever lags by us. */
	if (view && (rc = htview_prepare(&hv, cfg->htpasswd_path, st, d)) !=
	    UC_OK)
		return diag_wrap(d, rc, "htpasswd view");
	if ((rc = store_append(st, su, d)) != UC_OK)
		return rc;
	/*
	 * The record is durable: success from here on.  A failed view write
	 * leaves the view one user behind, which the next writer, userctl
	 * check and userctl htpasswd see and repair.
	 */
	if (view)
		(void)htview_append(&hv, su, NULL);
	return UC_OK;
}

int
user_register(const struct user_record *u, char *password,
    size_t password_len, const struct register_config *cfg, struct diag *d)
{
	struct hash_setting hs;
	struct store_user su;
	struct store *st = NULL;
	char hash[HASH_MAX];
	int rc;

	memset(&su, 0, sizeof(su));
	su.username = u->username;
	su.username_len = field_len(u->username, u->username_len);
	su.email = u->email;
	su.email_len = field_len(u->email, u->email_len);
	su.full_name = u->full_name;
	su.full_name_len = field_len(u->full_name, u->full_name_len);
	su.hash = hash;

	/* A wrong setting is the operator's to fix: say so before anything. */
	if ((rc = hash_setting_parse(cfg->hash_method, cfg->hash_cost, &hs,
	    d)) != UC_OK)
		goto out;
	if ((rc = store_open(cfg->store_path, &st, d)) != UC_OK)
		goto out;
	rc = store_lookup(st, su.username, su.username_len, NULL, NULL, d);
	if (rc == UC_OK) {
		rc = UC_ERR_DUPLICATE;
		goto out;
	}
	if (rc != UC_ERR_NOT_FOUND)
		goto out;
	rc = hash_password(password, password_len, &hs, hash, sizeof(hash),
	    d);
	explicit_bzero(password, password_len);
	if (rc != UC_OK) {
		diag_wrap(d, rc, "hashing the password");
		goto out;
	}
	if ((rc = store_lock(st, cfg->lock_timeout_ms, d)) != UC_OK)
		goto out;
	rc = append_locked(st, &su, cfg, d);
	store_unlock(st);
out:
	explicit_bzero(password, password_len);
	explicit_bzero(hash, sizeof(hash));
	store_close(st);
	return rc;
}
