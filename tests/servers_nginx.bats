#!/usr/bin/env bats
# servers_nginx.bats: user.cgi behind Debian's nginx and fcgiwrap, with
# nginx.conf.example as shipped, paths and port substituted, inside
# Debian's own nginx.conf.

load test_helper

setup_file() {
	server_start nginx
}

teardown_file() {
	server_stop
}

setup() {
	server_reset
}

# Cases the runner leaves out, each for the corpus's url_skip reason:
#   method-options-user-slash   (marked for Apache; skipped for every server)
#   post-user-double-slash-404  nginx merges // before the CGI sees the path
# GET, HEAD and DELETE reach the program with CONTENT_LENGTH="" (nginx sends
# the variable empty when there is no body).
@test "nginx: every contract case under /user gets its --cgi answer" {
	run server_replay
	assert_success
	assert_line "$(url_case_count) passed, 0 failed"
}

@test "nginx: a chunked body, which nginx reads whole first, registers a user" {
	run http POST /user/ -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	    --data-binary "$(user_json carol 'secret-carol' carol@example.com)"
	assert_equal "$(http_status)" 200
	assert_line '{"username":"carol","email":"carol@example.com","full_name":null}'
}

# client_max_body_size 64k in the shipped config: nginx refuses more than
# the program takes, since fcgiwrap answers 502 when the program leaves a
# body unread that does not fit in the pipe.
@test "nginx: a Content-Length over 64 KiB is refused with 413" {
	padded_json "$BATS_TEST_TMPDIR/big" 65537
	run http POST /user/ -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 413
}

@test "nginx: a body of exactly 64 KiB is read and registers" {
	padded_json "$BATS_TEST_TMPDIR/big" 65536
	run http POST /user/ -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 200
}

@test "nginx: the status line carries the CGI's reason phrase" {
	run http POST /user/ -H 'Content-Type: application/json' --data-binary '{}'
	assert_line --index 0 'HTTP/1.1 422 Unprocessable Entity'
}

@test "nginx: HEAD /user/ gets the 405 headers and no body" {
	run raw_http 'HEAD /user/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'
	assert_success
	assert_line --index 0 --regexp '^HTTP/1.1 405 '
	assert_line --regexp '^Allow: POST'
	assert_equal "$(raw_body)" ""
}

@test "nginx: /user redirects to /user/ with the port kept in Location" {
	run http GET '/user?x=1'
	assert_equal "$(http_status)" 307
	assert_line --regexp "^[Ll]ocation: ${SERVER_URL//./\\.}/user/\\?x=1\$"
}

@test "nginx: /username is not the program's" {
	run http POST /username -H 'Content-Type: application/json' --data-binary '{}'
	assert_equal "$(http_status)" 404
	refute_line --partial '"detail"'
}
