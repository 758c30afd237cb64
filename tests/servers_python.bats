#!/usr/bin/env bats
# servers_python.bats: user.cgi behind tests/tools/serve.py, the server
# `make run` starts: real status lines, every method passed on.

load test_helper

setup_file() {
	# A short wait for missing body bytes, so the stall test is quick;
	# serve.py passes the program's settings on from its environment.
	export USER_BODY_TIMEOUT_MS=2000
	server_start serve
}

teardown_file() {
	server_stop
}

setup() {
	server_reset
}

# serve.py hands every method to the program (python's own CGI handler
# refuses all but GET, HEAD and POST), so only the corpus's url_skip cases
# are left out:
#   method-options-user-slash   (marked for Apache's own OPTIONS answer)
#   post-user-double-slash-404  (marked for servers that merge //)
@test "serve.py: every contract case under /user gets its --cgi answer" {
	run server_replay
	assert_success
	assert_line "$(url_case_count) passed, 0 failed"
}

@test "serve.py: a 422 comes back with a real 422 status line" {
	run http POST /user/ -H 'Content-Type: application/json' --data-binary '{}'
	assert_line --index 0 'HTTP/1.1 422 Unprocessable Entity'
	refute_line --regexp '^Status:'
}

@test "serve.py: the curl line it prints registers a user" {
	local line
	line="$(grep -m 1 '^  curl ' "$SERVER_DIR/log/error.log")"
	[ -n "$line" ]
	run bash -c "${line/#  curl /curl -sS --max-time 60 }"
	assert_line --index 0 --regexp '^HTTP/1.1 200 OK'
	assert_line --partial '{"username":"jane","email":"jane@example.com","full_name":null}'
}

@test "serve.py: paths outside /user get the server's own 404" {
	run http GET /other
	assert_equal "$(http_status)" 404
	refute_line --partial '"detail"'
}

@test "serve.py: HEAD /user/ gets the 405 headers and no body" {
	run raw_http 'HEAD /user/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'
	assert_success
	assert_line --index 0 --regexp '^HTTP/1.1 405 '
	assert_line --regexp '^Allow: POST'
	assert_equal "$(raw_body)" ""
}

@test "serve.py: a chunked body reaches the program, read to its end" {
	run http POST /user/ -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
	    --data-binary "$(user_json carol 'secret-carol' carol@example.com)"
	assert_equal "$(http_status)" 200
	assert_line '{"username":"carol","email":"carol@example.com","full_name":null}'
}

@test "serve.py: a body over 64 KiB gets the program's own 413" {
	padded_json "$BATS_TEST_TMPDIR/big" 70000
	run http POST /user/ -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/big"
	assert_equal "$(http_status)" 413
	assert_line --partial '{"detail":'
}

@test "serve.py: a body shorter than announced answers 400 after a bounded wait" {
	local t0=$SECONDS
	run raw_http 'POST /user/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":' 30
	assert_success
	assert_line --index 0 --regexp '^HTTP/1.1 400 '
	[ $((SECONDS - t0)) -lt 20 ]
}

@test "serve.py: the program runs as nobody under root, else as the caller" {
	run register_json dave 'secret-dave'
	assert_output 200
	if [ "$(id -u)" -eq 0 ]; then
		assert_equal "$(stat -c %U "$SERVER_STORE")" nobody
	else
		assert_equal "$(stat -c %u "$SERVER_STORE")" "$(id -u)"
	fi
}

@test "serve.py: --help names its options" {
	run python3 "$ROOT/tests/tools/serve.py" --help
	assert_success
	for opt in --port --bind --cgi --store; do
		assert_output --partial -- "$opt"
	done
}

@test "serve.py: the README's two curl lines get a real 200 and a real 422" {
	# The lines of the README's first sh block that start with curl (with
	# their continuation lines), pointed at this test's port.
	local block
	block="$(awk '/^```sh/{n++; next} /^```/{if (n==2) exit} n==2' "$ROOT/README.md" |
	    grep -v '^#' | sed "s|http://127.0.0.1:8000|$SERVER_URL|")"
	[[ "$block" == *curl* ]] || fail "no curl line in the README's second sh block"
	run bash -c "$block"
	assert_success
	assert_line --regexp '^HTTP/1\.1 200 OK'
	assert_line --regexp '^HTTP/1\.1 422 Unprocessable Entity'
	assert_output --partial '{"username":"jane","email":"Jane@example.com","full_name":null}'
	assert_output --partial '{"detail":[{"type":"string_type"'
}

@test "make run serves on 127.0.0.1:8000 with a fresh store, real statuses" {
	if curl -s -o /dev/null --max-time 2 http://127.0.0.1:8000/; then
		fail "port 8000 is taken: stop what listens there to test make run"
	fi
	setsid make -C "$ROOT" --no-print-directory run </dev/null \
	    >"$BATS_TEST_TMPDIR/run.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	local pid=$!
	for _ in $(seq 100); do
		curl -s -o /dev/null --max-time 1 http://127.0.0.1:8000/ && break
		sleep 0.1
	done
	local body='{"username":"jane","password":"correct horse","email":"Jane@Example.COM"}'
	run curl -s -i -H 'Content-Type: application/json' -d "$body" http://127.0.0.1:8000/user/
	local first="$output"
	run curl -s -i -H 'Content-Type: application/json' -d '{"username":5}' http://127.0.0.1:8000/user/
	local bad="$output"
	kill -- -"$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	run printf '%s\n' "$first"
	assert_line --regexp '^HTTP/1\.1 200 OK'
	assert_output --partial '{"username":"jane","email":"Jane@example.com","full_name":null}'
	run printf '%s\n' "$bad"
	assert_line --regexp '^HTTP/1\.1 422 Unprocessable Entity'
	grep -q 'http://127.0.0.1:8000/user/' "$BATS_TEST_TMPDIR/run.log"
}
