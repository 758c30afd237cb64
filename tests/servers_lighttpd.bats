#!/usr/bin/env bats
# servers_lighttpd.bats: user.cgi behind Debian's lighttpd (mod_cgi), with
# lighttpd.conf.example as shipped, paths and port substituted, inside
# Debian's own lighttpd.conf.

load test_helper

setup_file() {
	server_start lighttpd
}

teardown_file() {
	server_stop
}

setup() {
	server_reset
}

# Cases the runner leaves out, each for the corpus's url_skip reason:
#   method-options-user-slash   (marked for Apache; lighttpd passes it on,
#                                but the runner skips it for every server)
#   post-user-double-slash-404  lighttpd merges // before the CGI sees the path
@test "lighttpd: every contract case under /user gets its --cgi answer" {
	run server_replay
	assert_success
	assert_line "$(url_case_count) passed, 0 failed"
}

@test "lighttpd: a registered user logs in to /members/ through Basic auth on the htpasswd view" {
	run register_json alice 'correct horse'
	assert_output 200
	run grep -c '^alice:\$' "$SERVER_STORE.htpasswd"
	assert_output 1
	run curl -sS -o /dev/null -w '%{http_code}' -u 'alice:correct horse' "$SERVER_URL/members/"
	assert_output 200
}

@test "lighttpd: Basic auth refuses a wrong password with 401" {
	run register_json bob 'correct horse'
	assert_output 200
	run curl -sS -o /dev/null -w '%{http_code}' -u 'bob:wrong horse' "$SERVER_URL/members/"
	assert_output 401
}

@test "lighttpd: an empty POST body (CONTENT_LENGTH 0) is a missing body" {
	run http POST /user/ -H 'Content-Type: application/json' --data-binary ''
	assert_equal "$(http_status)" 422
	assert_line '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}'
}

@test "lighttpd: a body of exactly 64 KiB is read and registers" {
	padded_json "$BATS_TEST_TMPDIR/big" 65536
	run http POST /user/ -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 200
}

# lighttpd keeps a body over 64 KiB in a temporary file and gives the
# program that file as stdin.
@test "lighttpd: a body over 64 KiB, delivered from a file, answers 413" {
	padded_json "$BATS_TEST_TMPDIR/big" 70000
	run http POST /user/ -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 413
	assert_line --partial '"detail"'
}

@test "lighttpd: the status line carries the CGI's reason phrase" {
	run http POST /user/ -H 'Content-Type: application/json' --data-binary '{}'
	assert_line --index 0 'HTTP/1.1 422 Unprocessable Entity'
}

@test "lighttpd: HEAD /user/ gets the 405 headers and no body" {
	run raw_http 'HEAD /user/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'
	assert_success
	assert_line --index 0 --regexp '^HTTP/1.0 405 '
	assert_line --regexp '^Allow: POST'
	assert_equal "$(raw_body)" ""
}

@test "lighttpd: /user redirects to /user/ with the port kept in Location" {
	run http GET '/user?x=1'
	assert_equal "$(http_status)" 307
	assert_line --regexp "^[Ll]ocation: ${SERVER_URL//./\\.}/user/\\?x=1\$"
}
