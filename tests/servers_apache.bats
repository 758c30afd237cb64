#!/usr/bin/env bats
# servers_apache.bats: user.cgi behind Debian's apache2 (mod_cgid), with
# apache.conf.example as shipped, paths and port substituted.

load test_helper

setup_file() {
	server_start apache
}

teardown_file() {
	server_stop
}

setup() {
	server_reset
}

# Cases the runner leaves out, each for the corpus's url_skip reason:
#   method-options-user-slash   Apache answers OPTIONS itself
#   post-user-double-slash-404  Apache merges // before the CGI sees the path
@test "apache: every contract case under /user gets its --cgi answer" {
	run server_replay
	assert_success
	assert_line "$(url_case_count) passed, 0 failed"
}

@test "apache: the shipped config passes apache2 -t inside Debian's stock apache2.conf" {
	# Debian's envvars, with the run folder in this test's temp folder.
	run env -i PATH=/usr/sbin:/usr/bin:/bin sh -c \
	    ". /etc/apache2/envvars && APACHE_RUN_DIR='$BATS_TEST_TMPDIR' &&
	    apache2 -d /etc/apache2 -f /etc/apache2/apache2.conf -c 'Include $SERVER_DIR/conf/user-cgi.conf' -t"
	assert_success
	assert_output --partial "Syntax OK"
}

@test "apache: a registered user logs in to /members/ through Basic auth on the store" {
	run register_json alice 'correct horse'
	assert_output 200
	run curl -sS -o /dev/null -w '%{http_code}' -u 'alice:correct horse' "$SERVER_URL/members/"
	assert_output 200
}

@test "apache: Basic auth refuses a wrong password with 401" {
	run register_json bob 'correct horse'
	assert_output 200
	run curl -sS -o /dev/null -w '%{http_code}' -u 'bob:wrong horse' "$SERVER_URL/members/"
	assert_output 401
}

@test "apache: a chunked body reaches the CGI, read to its end without CONTENT_LENGTH" {
	run http POST /user/ -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	    --data-binary "$(user_json carol 'secret-carol' carol@example.com)"
	assert_equal "$(http_status)" 200
	assert_line '{"username":"carol","email":"carol@example.com","full_name":null}'
	run grep -c '^carol:' "$SERVER_STORE"
	assert_output 1
}

# LimitRequestBody in the shipped config: Apache refuses more than the
# program takes, since a program that leaves body bytes unread resets
# mod_cgid's socket and its own 413 can be lost.
@test "apache: a chunked body over 64 KiB is refused with 413" {
	padded_json "$BATS_TEST_TMPDIR/big" 70000
	run http POST /user/ -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	    --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 413
}

@test "apache: a body of exactly 64 KiB is read and registers" {
	padded_json "$BATS_TEST_TMPDIR/big" 65536
	run http POST /user/ -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 200
}

@test "apache: a Content-Length over 64 KiB is refused with 413" {
	padded_json "$BATS_TEST_TMPDIR/big" 65537
	run http POST /user/ -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 413
}

@test "apache: a chunked body of exactly 64 KiB is read to its end and registers" {
	padded_json "$BATS_TEST_TMPDIR/big" 65536
	run http POST /user/ -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	    --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 200
}

@test "apache: the status line carries the CGI's reason phrase" {
	run http POST /user/ -H 'Content-Type: application/json' --data-binary '{}'
	assert_line --index 0 'HTTP/1.1 422 Unprocessable Entity'
}

@test "apache: HEAD /user/ gets the 405 headers and no body" {
	run raw_http 'HEAD /user/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'
	assert_success
	assert_line --index 0 --regexp '^HTTP/1.1 405 '
	assert_line --regexp '^Allow: POST'
	assert_equal "$(raw_body)" ""
}

@test "apache: /user redirects to /user/ with the port kept in Location" {
	run http GET '/user?x=1'
	assert_equal "$(http_status)" 307
	assert_line --regexp "^[Ll]ocation: ${SERVER_URL//./\\.}/user/\\?x=1\$"
}
