#!/usr/bin/env bats
# cgi_protocol.bats: the CGI/1.1 corners the web servers put the program
# in, driven directly: how the body arrives (chunked to EOF, a regular
# file, a pipe that stays open, more bytes than announced), empty and zero
# CONTENT_LENGTH, HEAD, the Status: line.

load test_helper

# proto_cgi VAR=VALUE...: run the program for POST /user/ (JSON) with a
# CGI/1.1 environment plus the given variables; stdin and stdout pass
# through.  No CONTENT_LENGTH unless given.
proto_cgi() {
	env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
	    SERVER_NAME=127.0.0.1 SERVER_PORT=8000 HTTP_HOST=127.0.0.1:8000 \
	    REMOTE_ADDR=127.0.0.1 REQUEST_METHOD=POST SCRIPT_NAME=/user PATH_INFO=/ \
	    QUERY_STRING= CONTENT_TYPE=application/json \
	    USER_STORE="$BATS_TEST_TMPDIR/users" "$@" "$USER_CGI"
}

@test "cgi: a chunked body without CONTENT_LENGTH is read to EOF" {
	run --separate-stderr proto_cgi HTTP_TRANSFER_ENCODING=chunked \
	    < <(user_json frank 'secret-frank' frank@example.com)
	assert_equal "$(cgi_status)" 200
	assert_line '{"username":"frank","email":"frank@example.com","full_name":null}'
}

@test "cgi: a chunked body over 64 KiB answers 413" {
	padded_json "$BATS_TEST_TMPDIR/big" 65537
	run --separate-stderr proto_cgi HTTP_TRANSFER_ENCODING=chunked <"$BATS_TEST_TMPDIR/big"
	assert_equal "$(cgi_status)" 413
	assert_line --partial '{"detail":'
}

@test "cgi: an empty CONTENT_LENGTH means no body, and stdin is not read" {
	local body
	body="$(user_json gina 'secret-gina' gina@example.com)"
	printf '%s' "$body" | { proto_cgi CONTENT_LENGTH= >"$BATS_TEST_TMPDIR/out"; cat >"$BATS_TEST_TMPDIR/rest"; }
	run cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(cgi_status)" 422
	assert_line '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rest")" "$body"
}

@test "cgi: CONTENT_LENGTH 0 means no body, and stdin is not read" {
	local body
	body="$(user_json gina 'secret-gina' gina@example.com)"
	printf '%s' "$body" | { proto_cgi CONTENT_LENGTH=0 >"$BATS_TEST_TMPDIR/out"; cat >"$BATS_TEST_TMPDIR/rest"; }
	run cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(cgi_status)" 422
	assert_line '{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rest")" "$body"
}

@test "cgi: a body in a regular file (lighttpd's temp file) is read" {
	user_json hank 'secret-hank' hank@example.com >"$BATS_TEST_TMPDIR/body"
	run --separate-stderr proto_cgi CONTENT_LENGTH="$(wc -c <"$BATS_TEST_TMPDIR/body")" \
	    <"$BATS_TEST_TMPDIR/body"
	assert_equal "$(cgi_status)" 200
}

@test "cgi: nothing is read past CONTENT_LENGTH from a pipe" {
	local body
	body="$(user_json ivan 'secret-ivan' ivan@example.com)"
	printf '%sNEXT-REQUEST' "$body" |
		{ proto_cgi CONTENT_LENGTH="${#body}" >"$BATS_TEST_TMPDIR/out"; cat >"$BATS_TEST_TMPDIR/rest"; }
	run cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(cgi_status)" 200
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rest")" NEXT-REQUEST
}

@test "cgi: nothing is read past CONTENT_LENGTH from a file" {
	local body
	body="$(user_json judy 'secret-judy' judy@example.com)"
	printf '%sNEXT-REQUEST' "$body" >"$BATS_TEST_TMPDIR/in"
	{ proto_cgi CONTENT_LENGTH="${#body}" >"$BATS_TEST_TMPDIR/out"; cat >"$BATS_TEST_TMPDIR/rest"; } \
	    <"$BATS_TEST_TMPDIR/in"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(cgi_status)" 200
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rest")" NEXT-REQUEST
}

@test "cgi: a CONTENT_LENGTH over 64 KiB answers 413 without reading" {
	head -c 70000 /dev/zero |
		{ proto_cgi CONTENT_LENGTH=70000 >"$BATS_TEST_TMPDIR/out"; wc -c >"$BATS_TEST_TMPDIR/rest"; }
	run cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(cgi_status)" 413
	assert_line --partial '{"detail":'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rest")" 70000
}

@test "cgi: a body that ends before CONTENT_LENGTH answers 400" {
	run --separate-stderr proto_cgi CONTENT_LENGTH=100 < <(printf '{"username":')
	assert_equal "$(cgi_status)" 400
}

# python's http.server gives the program the client socket, which never
# reaches EOF: a stalled body must end in a 400, not a hang.
@test "cgi: a body that stalls before CONTENT_LENGTH answers 400 after a bounded wait" {
	run python3 - "$USER_CGI" "$BATS_TEST_TMPDIR/users" <<'PY'
import subprocess, sys, threading, time
env = {"PATH": "/usr/bin:/bin", "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "POST",
       "SCRIPT_NAME": "/user", "PATH_INFO": "/", "CONTENT_TYPE": "application/json",
       "CONTENT_LENGTH": "100", "HTTP_HOST": "127.0.0.1:8000", "USER_STORE": sys.argv[2],
       "USER_BODY_TIMEOUT_MS": "1000"}
proc = subprocess.Popen([sys.argv[1]], env=env, stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
proc.stdin.write(b'{"username":')
proc.stdin.flush()          # and keep stdin open, as a socket would stay
t0 = time.monotonic()
killer = threading.Timer(20, proc.kill)
killer.start()
out = proc.stdout.read()
proc.wait()
killer.cancel()
if proc.returncode < 0:
    sys.exit("the program hung and was killed")
print("seconds=%d" % (time.monotonic() - t0))
sys.stdout.write(out.decode("utf-8", "replace"))
PY
	assert_success
	assert_line --regexp '^seconds=[0-9]$'
	assert_equal "$(cgi_status)" 400
}

@test "cgi: HEAD gets headers and no body" {
	proto_cgi REQUEST_METHOD=HEAD </dev/null >"$BATS_TEST_TMPDIR/out"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(cgi_status)" 405
	assert_line $'Allow: POST\r'
	# The output ends with the blank line that ends the headers.
	assert_equal "$(tail -c 4 "$BATS_TEST_TMPDIR/out" | od -An -c | tr -d ' ')" '\r\n\r\n'
	assert_equal "$(grep -c $'^\r$' "$BATS_TEST_TMPDIR/out")" 1
}

@test "cgi: Status: carries the reason phrase" {
	run --separate-stderr proto_cgi CONTENT_LENGTH=2 < <(printf '{}')
	assert_line --index 0 $'Status: 422 Unprocessable Entity\r'
}
