/*
 * email_impl.h: internals shared by the email_*.c files (not for other
 * modules; they call email.h).
 *
 * Text is handled as arrays of code points (struct ustr) because every
 * rule of pydantic and email-validator is stated on Python str, whose
 * len(), slicing and regexes count code points.  A refusal is reported
 * by returning UC_ERR_INVALID after storing the library's message in
 * the context; email_validate() turns that into out->reason.
 */
#ifndef UC_EMAIL_IMPL_H
#define UC_EMAIL_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* A growable code point string. */
struct ustr {
	uint32_t	*s;
	size_t		 n;
	size_t		 cap;
};

/* One validation in progress. */
struct email_ctx {
	struct buf	 reason;	/* the message, once refused */
	int		 display_name;	/* the library parsed "name <addr>" */
};

/* ---- email_text.c: strings; email_chars.c: classes, message pieces ---- */
int	ustr_push(struct ustr *, uint32_t);
int	ustr_append(struct ustr *, const uint32_t *, size_t);
int	ustr_set(struct ustr *, const uint32_t *, size_t);
void	ustr_free(struct ustr *);
int	ustr_from_wtf8(struct ustr *, const char *, size_t);
size_t	utf8_len(const uint32_t *, size_t);

int	is_py_space(uint32_t);
int	is_py_word(uint32_t);
int	is_atext(uint32_t);
int	is_mark(uint32_t);
int	nfc(const uint32_t *, size_t, struct ustr *);
int	nfc_changes_first(const uint32_t *, size_t, size_t);

int	char_display(struct buf *, uint32_t);
int	py_repr(struct buf *, const uint32_t *, size_t);
int	refuse(struct email_ctx *, const char *);
int	refuse_chars(struct email_ctx *, const char *, const uint32_t *,
	    size_t, int (*)(uint32_t), const char *);
int	check_unsafe(struct email_ctx *, const uint32_t *, size_t, int);

/* ---- email_split.c: pydantic's wrapper and split_email() ---- */
struct email_parts {
	struct ustr	 local;		/* unquoted, unescaped */
	struct ustr	 domain;
	int		 quoted;	/* the local part was quoted */
};
int	pydantic_unwrap(const uint32_t *, size_t, size_t *, size_t *);
int	email_split(struct email_ctx *, const uint32_t *, size_t,
	    struct email_parts *);

/* ---- email_local.c: the part before the @-sign ---- */
struct local_result {
	struct ustr	 local;		/* normalized */
	int		 ascii;		/* it has an ASCII form */
};
int	local_validate(struct email_ctx *, const struct email_parts *,
	    struct local_result *);

/* ---- email_domain.c / email_idna.c: the part after the @-sign ---- */
struct domain_result {
	struct ustr	 unicode;	/* the normalized (Unicode) domain */
	struct ustr	 ascii;		/* its IDNA ASCII form */
};
int	domain_validate(struct email_ctx *, const struct ustr *,
	    struct domain_result *);
int	uts46_prefilter_bad(uint32_t);
int	uts46_remap(const uint32_t *, size_t, struct ustr *);
int	idna_alabel(const uint32_t *, size_t, struct ustr *, struct buf *);
int	idna_ulabel(const uint32_t *, size_t, struct ustr *, struct buf *);
int	punycode_encode(const uint32_t *, size_t, struct ustr *);
int	idna_valid_contexto(const uint32_t *, size_t, size_t);
int	idna_check_bidi(const uint32_t *, size_t, struct buf *);

/* ---- email_ip.c: bracketed domain literals ---- */
int	domain_literal_validate(struct email_ctx *, const uint32_t *, size_t);

#endif
