#!/usr/bin/env bats
# Routing: the CGI is mounted at /user; /user/ takes POST.

load test_helper

setup() {
	fresh_store
}

@test "header lines end in CRLF and the status line carries a reason phrase" {
	run --separate-stderr cgi GET /
	assert_success
	assert_line --index 0 $'Status: 405 Method Not Allowed\r'
	assert_line --index 1 $'Content-Type: application/json\r'
}

@test "a method other than POST on /user/ answers 405 with Allow: POST" {
	for m in GET PUT DELETE PATCH OPTIONS; do
		run --separate-stderr cgi "$m" /
		assert_line --index 0 $'Status: 405 Method Not Allowed\r'
		assert_output --partial $'Allow: POST\r'
		assert_output --partial '{"detail":"Method Not Allowed"}'
	done
}

@test "HEAD gets the headers and no body" {
	run --separate-stderr cgi HEAD /
	assert_success
	assert_line --index 0 $'Status: 405 Method Not Allowed\r'
	assert_output --partial $'Allow: POST\r'
	refute_output --partial 'detail'
}

@test "no PATH_INFO redirects with 307 to /user/ on the request's Host" {
	run --separate-stderr cgi GET - -- HTTP_HOST=example.com:8080
	assert_line --index 0 $'Status: 307 Temporary Redirect\r'
	assert_output --partial $'Location: http://example.com:8080/user/\r'
}

@test "the redirect keeps the query string" {
	run --separate-stderr cgi POST - -- QUERY_STRING='a=1&b=2'
	assert_output --partial $'Location: http://127.0.0.1:8000/user/?a=1&b=2\r'
}

@test "the redirect is https when the server says HTTPS=on" {
	run --separate-stderr cgi GET - -- HTTPS=on HTTP_HOST=secure.example
	assert_output --partial $'Location: https://secure.example/user/\r'
}

@test "other paths under the mount answer 404 Not Found" {
	for p in /extra /users/ // /user/; do
		run --separate-stderr cgi POST "$p" application/json '{}'
		assert_line --index 0 $'Status: 404 Not Found\r'
		assert_output --partial '{"detail":"Not Found"}'
	done
}

@test "without a Host header the redirect names the server, and its port unless the default" {
	run --separate-stderr env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/user \
	    SERVER_NAME=example.org SERVER_PORT=80 "$USER_CGI"
	assert_output --partial $'Location: http://example.org/user/\r'
	run --separate-stderr env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/user \
	    SERVER_NAME=example.org SERVER_PORT=8080 "$USER_CGI"
	assert_output --partial $'Location: http://example.org:8080/user/\r'
}
