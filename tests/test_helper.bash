# test_helper.bash: the verbs the suite speaks.  Each .bats file loads it.
# Sections are by concern; keep a verb here only when two files use it.

bats_require_minimum_version 1.5.0

bats_load_library bats-support 2>/dev/null || load '/usr/lib/bats/bats-support/load'
bats_load_library bats-assert 2>/dev/null || load '/usr/lib/bats/bats-assert/load'

ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
USER_CGI="${USER_CGI:-$ROOT/cgi-bin/user.cgi}"
USERCTL="${USERCTL:-$ROOT/bin/userctl}"
UNIT_DIR="${UNIT_DIR:-$ROOT/build/unit}"
CASES="$ROOT/tests/cases"
export USER_CGI USERCTL UNIT_DIR

# ---- the CGI as a program -------------------------------------------------

# fresh_store: a new store path in this test's temporary folder.
fresh_store() {
	export USER_STORE="$BATS_TEST_TMPDIR/store/users"
	mkdir -p "$BATS_TEST_TMPDIR/store"
}

# cgi METHOD PATH_INFO [CONTENT_TYPE [BODY]] [-- VAR=VALUE...]
# Runs the CGI with a clean CGI/1.1 environment; the body goes to stdin
# with a matching CONTENT_LENGTH.  Use as: run --separate-stderr cgi ...
# A PATH_INFO of "-" leaves PATH_INFO unset; a CONTENT_TYPE of "-" leaves
# CONTENT_TYPE unset.
cgi() {
	local method="$1" path_info="$2" ctype=- body=
	shift 2
	if [ $# -gt 0 ] && [ "$1" != "--" ]; then ctype="$1"; shift; fi
	if [ $# -gt 0 ] && [ "$1" != "--" ]; then body="$1"; shift; fi
	[ "${1-}" = "--" ] && shift
	local -a env=(
		PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1
		SERVER_NAME=127.0.0.1 SERVER_PORT=8000 HTTP_HOST=127.0.0.1:8000
		REMOTE_ADDR=127.0.0.1 REQUEST_METHOD="$method" SCRIPT_NAME=/user
		QUERY_STRING= USER_STORE="${USER_STORE:-$BATS_TEST_TMPDIR/users}"
		CONTENT_LENGTH="$(printf '%s' "$body" | wc -c)"
	)
	[ "$path_info" != "-" ] && env+=(PATH_INFO="$path_info")
	[ "$ctype" != "-" ] && env+=(CONTENT_TYPE="$ctype")
	[ -n "${USER_HASH_COST-}" ] && env+=(USER_HASH_COST="$USER_HASH_COST")
	printf '%s' "$body" | env -i "${env[@]}" "$@" "$USER_CGI"
}

# cgi_raw [VAR=VALUE...] [-- ARG...]: a POST to /user/ with the basic
# CGI/1.1 environment plus these variables (they win), the program given
# ARGs, and stdin as the caller set it up: for bodies that are not what
# CONTENT_LENGTH says, or that come from a file or a pipe that stays open.
cgi_raw() {
	local -a vars=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do vars+=("$1"); shift; done
	[ "${1-}" = "--" ] && shift
	env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST \
	    SCRIPT_NAME=/user PATH_INFO=/ HTTP_HOST=127.0.0.1:8000 \
	    USER_STORE="${USER_STORE:-$BATS_TEST_TMPDIR/users}" \
	    USER_HASH_COST="${USER_HASH_COST:-3}" "${vars[@]}" "$USER_CGI" "$@"
}
export -f cgi_raw

# register NAME PASSWORD EMAIL [FULL_NAME]: a valid JSON registration body.
user_json() {
	if [ $# -ge 4 ]; then
		printf '{"username":"%s","password":"%s","email":"%s","full_name":"%s"}' "$1" "$2" "$3" "$4"
	else
		printf '{"username":"%s","password":"%s","email":"%s"}' "$1" "$2" "$3"
	fi
}

# cgi_status: the status code in $output (the CGI's Status: header).
cgi_status() {
	printf '%s\n' "$output" | sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -n 1
}

# cgi_body: the body in $output (after the blank line).
cgi_body() {
	printf '%s' "$output" | awk 'f{print} /^\r?$/{f=1}'
}

# ---- web servers ------------------------------------------------------------
# The real servers run from tests/tools/webserver, each with Debian's main
# config file plus our shipped example (paths and port substituted), on a
# free loopback port, with everything in this file's temp folder.

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# server_start KIND: start KIND (apache, lighttpd, nginx, serve, pyserver)
# running $USER_CGI.  Call from setup_file, and server_stop from
# teardown_file.  Sets SERVER_URL, SERVER_DIR, SERVER_STORE.
server_start() {
	export SERVER_DIR="$BATS_FILE_TMPDIR/$1"
	export SERVER_STORE="$SERVER_DIR/store/users"
	local port
	port="$(free_port)"
	export SERVER_URL="http://127.0.0.1:$port"
	# The daemons must not keep bats' output descriptors (3 and up) open,
	# or bats waits for them to close and the run never ends.
	"$ROOT/tests/tools/webserver" start "$1" "$SERVER_DIR" "$port" "$USER_CGI" \
	    3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
}

# server_stop: stop what server_start started; safe to call twice.
server_stop() {
	[ -z "${SERVER_DIR-}" ] || "$ROOT/tests/tools/webserver" stop "$SERVER_DIR"
}

# server_reset: an empty store for the next request, as the check tool's
# --reset does it: the store and its htpasswd view go; the lookup index
# stays, and must notice that its store is gone.
server_reset() {
	rm -f "$SERVER_STORE" "$SERVER_STORE.htpasswd"
}

# url_case_count: the contract cases --url --mounted replays (under /user,
# no url_skip, no cgi_env), so a test sees every one of them pass.
url_case_count() {
	python3 - "$CASES/contract.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    case = json.loads(line)
    reqs = case.get("setup", []) + [case["request"]]
    inside = all(r["path"].partition("?")[0] == "/user" or r["path"].startswith("/user/") for r in reqs)
    if inside and not case.get("url_skip") and not any("cgi_env" in r for r in reqs):
        n += 1
print(n)
PY
}

# server_replay: the contract corpus over HTTP against $SERVER_URL; every
# case it sends must pass.  Use as: run server_replay
server_replay() {
	"$CASES/replay" -q --url "$SERVER_URL" --mounted --timeout 30 \
	    --reset "rm -f '$SERVER_STORE' '$SERVER_STORE.htpasswd'" \
	    "$CASES/contract.jsonl"
}

# http METHOD PATH [CURL ARGS...]: one request to $SERVER_URL; $output holds
# the status line, headers (CRLF removed) and body.  Use as: run http ...
http() {
	local method="$1" path="$2" how=(-X "$1")
	shift 2
	[ "$method" = HEAD ] && how=(-I)	# curl -X HEAD would wait for a body
	curl -sS -i --max-time 60 "${how[@]}" "$@" "$SERVER_URL$path" | tr -d '\r'
}

# http_status: the status code of the last status line in $output (after a
# 100 Continue, the final one).
http_status() {
	printf '%s\n' "$output" | sed -n 's|^HTTP/[0-9.]* \([0-9][0-9][0-9]\).*|\1|p' | tail -n 1
}

# register_json NAME PASSWORD: POST a registration through $SERVER_URL,
# printing the status code.
register_json() {
	curl -sS -o /dev/null -w '%{http_code}' --max-time 60 \
	    -H 'Content-Type: application/json' \
	    --data-binary "$(user_json "$1" "$2" "$1@example.com")" "$SERVER_URL/user/"
}

# padded_json FILE SIZE: a valid registration body of exactly SIZE bytes
# (white space before the closing brace) written to FILE.
padded_json() {
	python3 - "$1" "$2" <<'PY'
import sys
body = b'{"username":"pad","password":"secret-pad","email":"pad@example.com"'
size = int(sys.argv[2])
open(sys.argv[1], "wb").write(body + b" " * (size - len(body) - 1) + b"}")
PY
}

# raw_http REQUEST [TIMEOUT]: send REQUEST (printf escapes expanded) as raw
# bytes to $SERVER_URL and print the raw answer; fails when the server
# does not close within TIMEOUT seconds (default 30).
raw_http() {
	printf "$1" | "$ROOT/tests/tools/rawhttp" --timeout "${2:-30}" "$SERVER_URL"
}

# raw_body: what follows the header block in $output (a raw answer).
raw_body() {
	printf '%s' "$output" | python3 -c 'import sys; print(sys.stdin.read().partition("\r\n\r\n")[2], end="")'
}

# ---- the user store ----------------------------------------------------------

# store_records: the store's record lines (no header, comments or blanks).
store_records() {
	grep -v -e '^#' -e '^$' "$USER_STORE"
}

# register NAME PASSWORD [-- VAR=VALUE...]: one registration through the
# CGI; run with "run --separate-stderr register ...".
register() {
	local name="$1" pw="$2"
	shift 2
	cgi POST / application/json "$(user_json "$name" "$pw" "$name@example.com")" "$@"
}

# faultfs_shim: build the fault shim (tests/tools/faultfs.c) into $FAULTFS_SO.
faultfs_shim() {
	FAULTFS_SO="$BATS_TEST_TMPDIR/faultfs.so"
	cc -shared -fPIC -o "$FAULTFS_SO" "$ROOT/tests/tools/faultfs.c" -ldl
}

# faultfs_env DIR EROFS|ENOSPC|DIRSYNC: the environment that runs a program
# under the shim, into the array FAULT_ENV.
faultfs_env() {
	# An ASan build wants to come first; the shim does not mind.
	FAULT_ENV=(LD_PRELOAD="$FAULTFS_SO" FAULTFS_DIR="$1" FAULTFS_ERRNO="$2"
	    ASAN_OPTIONS=verify_asan_link_order=0)
}
