# test_helper.bash: the verbs the suite speaks.  Each .bats file loads it.
# Sections are by concern; keep a verb here only when two files use it.

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
	local method="$1" path_info="$2" ctype="${3:--}" body="${4-}"
	shift; shift; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
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
