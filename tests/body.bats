#!/usr/bin/env bats
# Body parsing as FastAPI does it: content types, json.loads's decoding and
# error positions, Python's spelling of echoed numbers.

load test_helper

setup() {
	fresh_store
	export USER_HASH_COST=3
}

# post_bytes CONTENT_TYPE FILE: POST the file's bytes as the body.
post_bytes() {
	cgi_raw CONTENT_TYPE="$1" CONTENT_LENGTH="$(wc -c < "$2")" < "$2"
}

@test "application/vnd.api+json is parsed as JSON" {
	run --separate-stderr cgi POST / 'application/vnd.api+json' "$(user_json jane secret-pw jane@example.com)"
	assert_line --index 0 $'Status: 200 OK\r'
}

@test "a UTF-16 body with a BOM is decoded as json.loads decodes it" {
	user_json jane secret-pw jane@example.com | iconv -f UTF-8 -t UTF-16 > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr post_bytes application/json "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 $'Status: 200 OK\r'
}

@test "a UTF-32BE body without a BOM is detected from its zero bytes" {
	user_json jane secret-pw jane@example.com | iconv -f UTF-8 -t UTF-32BE > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr post_bytes application/json "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 $'Status: 200 OK\r'
}

@test "a UTF-16 body of odd length answers 400" {
	printf '\xff\xfe{\x00}' > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr post_bytes application/json "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 $'Status: 400 Bad Request\r'
	assert_output --partial '{"detail":"There was an error parsing the body"}'
}

@test "error positions count characters of the decoded text" {
	run --separate-stderr cgi POST / application/json '{"a":"€€€" x}'
	assert_output --partial "\"loc\":[\"body\",11],\"msg\":\"JSON decode error\",\"input\":{},\"ctx\":{\"error\":\"Expecting ',' delimiter\"}"
}

@test "a trailing comma is named as CPython 3.13 and later name it" {
	run --separate-stderr cgi POST / application/json '{"a":1,}'
	assert_output --partial '"loc":["body",6],"msg":"JSON decode error","input":{},"ctx":{"error":"Illegal trailing comma before end of object"}'
	run --separate-stderr cgi POST / application/json '[1, ]'
	assert_output --partial '"loc":["body",2],"msg":"JSON decode error","input":{},"ctx":{"error":"Illegal trailing comma before end of array"}'
}

@test "an integer of more than 4300 digits answers 400 as int() refuses it" {
	printf '{"n":%s}' "$(head -c 4301 /dev/zero | tr '\0' '7')" > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr post_bytes application/json "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 $'Status: 400 Bad Request\r'
}

@test "an integer of 4300 digits is echoed exactly" {
	digits="$(head -c 4300 /dev/zero | tr '\0' '7')"
	run --separate-stderr cgi POST / application/json "{\"username\":$digits}"
	assert_output --partial "\"type\":\"string_type\",\"loc\":[\"body\",\"username\"],\"msg\":\"Input should be a valid string\",\"input\":$digits}"
}

@test "floats are echoed as Python's repr" {
	run --separate-stderr cgi POST / application/json '[1E2,0.1e-3,1e-5,12345678901234567890.0,2.50,-0.0,1e22]'
	assert_output --partial '"input":[100.0,0.0001,1e-05,1.2345678901234567e+19,2.5,-0.0,1e+22]'
}

@test "control characters, quotes and backslashes are escaped as json.dumps does" {
	run --separate-stderr cgi POST / application/json '"\u0001\u001f\b\f\n\r\t\"\\/\u007f\u00e9"'
	assert_output --partial $'"input":"\\u0001\\u001f\\b\\f\\n\\r\\t\\"\\\\/\x7f\xc3\xa9"'
}

@test "a NUL escaped inside an object key is kept and echoed" {
	run --separate-stderr cgi POST / application/json '{"a\u0000b":1}'
	assert_output --partial '"input":{"a\u0000b":1}'
}

@test "duplicate keys keep the first place and the last value" {
	run --separate-stderr cgi POST / application/json '{"x":1,"username":2,"x":3}'
	assert_output --partial '"input":{"x":3,"username":2}'
}

@test "nesting deeper than CPython 3.13's C recursion limit (10000) answers 400" {
	printf '%.0s[' $(seq 1 10001) > "$BATS_TEST_TMPDIR/b"
	printf '%.0s]' $(seq 1 10001) >> "$BATS_TEST_TMPDIR/b"
	run --separate-stderr post_bytes application/json "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 $'Status: 400 Bad Request\r'
}

@test "deep nesting within that limit in an ignored field is accepted" {
	{
		printf '{"username":"jane","password":"secret-pw","email":"jane@example.com","x":'
		printf '%.0s{"a":' $(seq 1 5000)
		printf '1'
		printf '%.0s}' $(seq 1 5000)
		printf '}'
	} > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr post_bytes application/json "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 $'Status: 200 OK\r'
}

@test "raw text that is not UTF-8 answers 400" {
	printf 'caf\xe9' > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr post_bytes text/plain "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 $'Status: 400 Bad Request\r'
}

@test "the content type is stripped of what Python counts as white space" {
	# Starlette reads headers as latin-1; str.strip() removes 0x1C and 0xA0 too.
	run --separate-stderr cgi POST / $'\xa0application/json\x1c' '{"username":1}'
	assert_output --partial '"type":"string_type"'
}
