#!/usr/bin/env bats
# The 200 answer and what stands behind it: FastAPI's exact bytes, a user
# really stored, and values that cannot be answered or stored refused whole.

load test_helper

setup() {
	fresh_store
	export USER_HASH_COST=3
}

@test "a 200 answers UserOut in compact JSON, keys in model order, non-ASCII raw" {
	run --separate-stderr cgi POST / application/json \
	    '{"full_name":"Zoë \u4e2d","email":"ZOE@Example.COM","password":"secret-pw","username":"zoë"}'
	assert_line --index 0 $'Status: 200 OK\r'
	assert_line --index 4 '{"username":"zoë","email":"ZOE@example.com","full_name":"Zoë 中"}'
}

@test "a 200 is answered only once the user is in the store" {
	run --separate-stderr cgi POST / application/json "$(user_json jane secret-pw jane@example.com)"
	assert_line --index 0 $'Status: 200 OK\r'
	run grep -c '^jane:\$y\$' "$USER_STORE"
	assert_output 1
}

@test "the password appears neither in the answer, on stderr nor in the store" {
	run --separate-stderr cgi POST / application/json "$(user_json jane 'hunter2-secret' jane@example.com)"
	assert_line --index 0 $'Status: 200 OK\r'
	refute_output --partial 'hunter2-secret'
	[[ "$stderr" != *hunter2-secret* ]]
	run grep -c 'hunter2-secret' "$USER_STORE"
	assert_output 0
}

@test "a password holding a NUL is refused with 400, since crypt() would cut it" {
	run --separate-stderr cgi POST / application/json \
	    '{"username":"jane","password":"abc\u0000def","email":"jane@example.com"}'
	assert_line --index 0 $'Status: 400 Bad Request\r'
	assert_output --partial '"detail":"The password cannot hold a NUL character'
	[ ! -s "$USER_STORE" ] || ! grep -q '^jane:' "$USER_STORE"
}

@test "a lone surrogate in a stored field is refused with 400 and nothing stored" {
	run --separate-stderr cgi POST / application/json \
	    '{"username":"jane","password":"secret-pw","email":"jane@example.com","full_name":"\udc00"}'
	assert_line --index 0 $'Status: 400 Bad Request\r'
	[ ! -s "$USER_STORE" ] || ! grep -q '^jane:' "$USER_STORE"
}

@test "a NUL in the username is stored escaped and answered as \\u0000" {
	run --separate-stderr cgi POST / application/json \
	    '{"username":"a\u0000b","password":"secret-pw","email":"jane@example.com"}'
	assert_line --index 0 $'Status: 200 OK\r'
	assert_line --index 4 '{"username":"a\u0000b","email":"jane@example.com","full_name":null}'
	run grep -c '^a%00b:' "$USER_STORE"
	assert_output 1
}

@test "a refused setting answers Starlette's 500 and names the variable on stderr" {
	run --separate-stderr cgi POST / application/json "$(user_json jane secret-pw jane@example.com)" -- USER_LOCK_TIMEOUT_MS=soon
	assert_line --index 0 $'Status: 500 Internal Server Error\r'
	assert_line --index 1 $'Content-Type: text/plain; charset=utf-8\r'
	assert_line --index 4 'Internal Server Error'
	[[ "$stderr" == *'USER_LOCK_TIMEOUT_MS="soon" is not a number of milliseconds'* ]]
}
