#!/usr/bin/env bats
# servers_python_plain.bats: user.cgi under plain `python3 -m http.server
# --cgi`, the program in www/cgi-bin/.  That server sends "200 Script
# output follows" before the program runs and passes the program's
# Status: on as an ordinary header; the program's stdin is the client
# socket, which never ends, so it must read exactly CONTENT_LENGTH bytes.

load test_helper

setup_file() {
	server_start pyserver
}

teardown_file() {
	server_stop
}

setup() {
	server_reset
}

@test "python -m http.server --cgi: a registration's body comes through, Status: 200 as a header" {
	run http POST /cgi-bin/user.cgi/ -H 'Content-Type: application/json' \
	    --data-binary "$(user_json erin 'secret-erin' erin@example.com)"
	assert_line --index 0 'HTTP/1.0 200 Script output follows'
	assert_line 'Status: 200 OK'
	assert_line '{"username":"erin","email":"erin@example.com","full_name":null}'
}

@test "python -m http.server --cgi: a 422 says 200 in the status line and 422 in Status:" {
	run http POST /cgi-bin/user.cgi/ -H 'Content-Type: application/json' --data-binary '{}'
	assert_line --index 0 'HTTP/1.0 200 Script output follows'
	assert_line 'Status: 422 Unprocessable Entity'
	assert_line --partial '{"detail":[{"type":"missing","loc":["body","username"]'
}

@test "python -m http.server --cgi: GET without CONTENT_LENGTH answers at once" {
	run http GET /cgi-bin/user.cgi/
	assert_line 'Status: 405 Method Not Allowed'
	assert_line '{"detail":"Method Not Allowed"}'
}

@test "python -m http.server --cgi: HEAD gets the program's headers and no body" {
	run raw_http 'HEAD /cgi-bin/user.cgi/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'
	assert_success
	assert_line --regexp '^Status: 405 '
	assert_equal "$(raw_body)" ""
}

# The methods this server refuses never reach the program.
@test "python -m http.server --cgi: PUT is refused by the server itself (501)" {
	run http PUT /cgi-bin/user.cgi/ -H 'Content-Type: application/json' --data-binary '{}'
	assert_equal "$(http_status)" 501
	refute_line --regexp '^Status:'
}
