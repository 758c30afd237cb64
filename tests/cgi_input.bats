#!/usr/bin/env bats
# CGI input (RFC 3875): the body is exactly CONTENT_LENGTH bytes, read with
# a cap and a deadline; argv is never acted on.

load test_helper

setup() {
	fresh_store
	BODY="$(user_json jane secret-pw jane@example.com)"
}

# then_rest VAR=VALUE...: run the CGI on this stdin, then print what of
# stdin it left unread (a file's offset is shared with cat).
then_rest() {
	cgi_raw "$@" >/dev/null
	cat
}

@test "exactly CONTENT_LENGTH bytes are read and the rest of stdin is left unread" {
	printf '%sTRAILING' "$BODY" > "$BATS_TEST_TMPDIR/in"
	run then_rest CONTENT_TYPE=application/json CONTENT_LENGTH="${#BODY}" < "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output 'TRAILING'
}

@test "a body on a stdin that never ends is answered without waiting for EOF" {
	# python's http.server hands over the client socket: no EOF ever comes.
	SECONDS=0
	run timeout 5 bash -c 'cgi_raw "$@"' _ CONTENT_TYPE=application/json \
	    CONTENT_LENGTH=${#BODY} < <(printf '%s' "$BODY"; sleep 8)
	assert_success
	assert_line --index 0 $'Status: 200 OK\r'
	[ "$SECONDS" -lt 4 ]
}

@test "an unset CONTENT_LENGTH means no body, whatever stdin holds" {
	run cgi_raw CONTENT_TYPE=application/json <<<"$BODY"
	assert_success
	assert_line --index 0 $'Status: 422 Unprocessable Entity\r'
	assert_output --partial '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}'
}

@test "an empty CONTENT_LENGTH means no body" {
	run cgi_raw CONTENT_TYPE=application/json CONTENT_LENGTH= <<<"$BODY"
	assert_success
	assert_output --partial '"loc":["body"],"msg":"Field required","input":null'
}

@test "a body over 64 KiB answers 413 with a JSON detail, unread" {
	head -c 70000 /dev/zero | tr '\0' 'x' > "$BATS_TEST_TMPDIR/big"
	run bash -c 'cgi_raw CONTENT_TYPE=application/json CONTENT_LENGTH=70000; echo; wc -c' \
	    < "$BATS_TEST_TMPDIR/big"
	assert_success
	assert_line --index 0 $'Status: 413 Content Too Large\r'
	assert_output --partial '{"detail":"Request body too large (the limit is 65536 bytes)"}'
	assert_line --index 5 '70000'
}

@test "a body of exactly 64 KiB is read and validated" {
	printf '"%s"' "$(head -c 65534 /dev/zero | tr '\0' 'x')" > "$BATS_TEST_TMPDIR/max"
	run cgi_raw CONTENT_TYPE=application/json CONTENT_LENGTH=65536 < "$BATS_TEST_TMPDIR/max"
	assert_success
	assert_line --index 0 $'Status: 422 Unprocessable Entity\r'
	assert_output --partial '"type":"model_attributes_type"'
}

@test "a body shorter than announced answers 400 at its end" {
	run cgi_raw CONTENT_TYPE=application/json CONTENT_LENGTH=500 <<<"$BODY"
	assert_success
	assert_line --index 0 $'Status: 400 Bad Request\r'
	assert_output --partial '{"detail":"Request body shorter than its Content-Length"}'
}

@test "a body that stops coming answers 400 after a bounded wait, never hangs" {
	SECONDS=0
	run timeout 10 bash -c 'cgi_raw "$@"' _ USER_BODY_TIMEOUT_MS=700 \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=100 < <(printf '{"user'; sleep 20)
	assert_success
	assert_line --index 0 $'Status: 400 Bad Request\r'
	[ "$SECONDS" -lt 5 ]
}

@test "a CONTENT_LENGTH that is not a number answers 400" {
	run cgi_raw CONTENT_TYPE=application/json CONTENT_LENGTH=-1 <<<"$BODY"
	assert_success
	assert_line --index 0 $'Status: 400 Bad Request\r'
	assert_output --partial '{"detail":"Invalid Content-Length"}'
}

@test "arguments are never acted on when run as CGI" {
	# Apache and python's server pass a query without '=' as arguments.
	run bash -c 'printf "%s" "$1" | cgi_raw QUERY_STRING=--help CONTENT_TYPE=application/json CONTENT_LENGTH=${#1} -- --help' \
	    _ "$BODY"
	assert_success
	assert_line --index 0 $'Status: 200 OK\r'
	refute_output --partial 'usage'
}

@test "--help outside a web server prints the usage and the environment it reads" {
	run env -i "$USER_CGI" --help
	assert_success
	assert_line --index 0 'usage: user.cgi [--help | --version]'
	assert_output --partial 'USER_STORE'
}

@test "run by hand without --help it says it is not a CGI request and exits 2" {
	run env -i "$USER_CGI"
	assert_failure 2
	assert_output --partial 'GATEWAY_INTERFACE is not set'
}

@test "answers that ignore the body (405, 404) still read all of it, and no more" {
	# Under Apache's mod_cgid unread input resets the socket under the answer.
	printf '%sNEXT' "$BODY" > "$BATS_TEST_TMPDIR/in"
	for route in 'PUT /' 'POST /other'; do
		set -- $route
		run then_rest REQUEST_METHOD="$1" PATH_INFO="$2" CONTENT_TYPE=application/json \
		    CONTENT_LENGTH="${#BODY}" < "$BATS_TEST_TMPDIR/in"
		assert_success
		assert_output 'NEXT'
	done
}
