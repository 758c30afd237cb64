/*
 * email_cli.c: the e-mail module on the command line, for the tests.
 * Reads one JSON string per line on stdin and prints one JSON object per
 * line: {"ok":"<normalized>"} or {"reason":"<message>"}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "email.h"

static int
answer(const char *line)
{
	struct email_result r;
	json_object *in, *out;
	int rc;

	if ((in = json_tokener_parse(line)) == NULL ||
	    !json_object_is_type(in, json_type_string)) {
		json_object_put(in);
		fprintf(stderr, "email_cli: not a JSON string: %s\n", line);
		return 1;
	}
	rc = email_validate(json_object_get_string(in),
	    (size_t)json_object_get_string_len(in), &r);
	json_object_put(in);
	if (rc != UC_OK) {
		fprintf(stderr, "email_cli: %s\n", uc_strerror(rc));
		return 1;
	}
	out = json_object_new_object();
	if (r.normalized != NULL)
		json_object_object_add(out, "ok",
		    json_object_new_string(r.normalized));
	else
		json_object_object_add(out, "reason",
		    json_object_new_string(r.reason));
	printf("%s\n", json_object_to_json_string_ext(out,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out);
	email_result_free(&r);
	return 0;
}

int
main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int status = 0;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] == '\0')
			continue;
		status |= answer(line);
		fflush(stdout);
	}
	free(line);
	return status;
}
