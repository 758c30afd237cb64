#!/usr/bin/env bats
# The user store through the CGI: hashes that verify, duplicates, the file
# format, concurrency, crashes, faults, a busy lock, the htpasswd view.

load test_helper

setup() {
	fresh_store
	export USER_HASH_COST=1	# speed; the default method is still yescrypt
}

@test "a registered user's hash verifies with crypt() against the password sent" {
	run --separate-stderr register jane 'secret-pw'
	[ "$(cgi_status)" = 200 ]
	run "$USERCTL" verify jane <<<'secret-pw'
	assert_success
	run "$USERCTL" verify jane <<<'secret-pX'
	assert_failure 1
}

@test "the default hash method is yescrypt at libxcrypt's default cost" {
	unset USER_HASH_COST
	run --separate-stderr register jane 'secret-pw'
	[ "$(cgi_status)" = 200 ]
	run store_records
	assert_output --regexp '^jane:\$y\$j9T\$[./0-9A-Za-z]+\$[./0-9A-Za-z]{43}:jane@example.com$'
}

@test "no password in clear in the store or on stderr" {
	run --separate-stderr register jane 'Clear-Text-9'
	[ "$(cgi_status)" = 200 ]
	run grep -r 'Clear-Text-9' "$BATS_TEST_TMPDIR/store"
	assert_failure
	[[ "$stderr" != *Clear-Text-9* ]]
}

@test "a duplicate username gets 409 at once, without hashing" {
	run --separate-stderr register jane 'secret-pw'
	[ "$(cgi_status)" = 200 ]
	# bcrypt at cost 15 takes seconds: a 409 that fast did not hash.
	local t0 t1
	t0=$(date +%s%N)
	run --separate-stderr register jane 'other-pw' -- USER_HASH_METHOD=bcrypt USER_HASH_COST=15
	t1=$(date +%s%N)
	[ "$(cgi_status)" = 409 ]
	[ "$(cgi_body)" = '{"detail":"Username already registered"}' ]
	[ $(( (t1 - t0) / 1000000 )) -lt 700 ]
	[ "$(store_records | wc -l)" -eq 1 ]
}

@test "the store starts with its header line and has mode 0640" {
	run --separate-stderr register jane 'secret-pw'
	[ "$(head -n 1 "$USER_STORE")" = '# user.cgi store 1' ]
	[ "$(stat -c %a "$USER_STORE")" = 640 ]
}

@test "text fields are %XX-escaped and null and empty full_name stay distinct" {
	local body
	body='{"username":"a:b c%#\\x","password":"pw","email":"jane@example.com","full_name":"Jane\tDoe"}'
	run --separate-stderr cgi POST / application/json "$body"
	[ "$(cgi_status)" = 200 ]
	run --separate-stderr cgi POST / application/json '{"username":"empty","password":"pw","email":"e@example.com","full_name":""}'
	[ "$(cgi_status)" = 200 ]
	run --separate-stderr cgi POST / application/json '{"username":"none","password":"pw","email":"n@example.com","full_name":null}'
	[ "$(cgi_status)" = 200 ]
	run store_records
	assert_line --index 0 --regexp '^a%3Ab%20c%25%23%5Cx:\$y\$[^:]+:jane@example.com:Jane%09Doe$'
	assert_line --index 1 --regexp '^empty:\$y\$[^:]+:e@example.com:$'
	assert_line --index 2 --regexp '^none:\$y\$[^:]+:n@example.com$'
	run "$USERCTL" list
	assert_line --index 0 '{"username":"a:b c%#\\x","email":"jane@example.com","full_name":"Jane\tDoe"}'
	assert_line --index 1 '{"username":"empty","email":"e@example.com","full_name":""}'
	assert_line --index 2 '{"username":"none","email":"n@example.com","full_name":null}'
}

@test "a username holding U+0000 is stored as %00 and is still one key" {
	local body='{"username":"a\u0000b","password":"pw","email":"jane@example.com"}'
	run --separate-stderr cgi POST / application/json "$body"
	[ "$(cgi_status)" = 200 ]
	run --separate-stderr cgi POST / application/json "$body"
	[ "$(cgi_status)" = 409 ]
	run store_records
	assert_output --regexp '^a%00b:'
}

@test "200 registrations from 16 parallel clients: one 200 per name, 409 for the rest" {
	local i
	# 150 distinct names; a quarter of the 200 requests reuse one.
	for i in $(seq 1 200); do
		if [ $((i % 4)) -eq 0 ]; then echo "user$((i % 150 + 1))"; else echo "user$((i - i / 4))"; fi
	done >"$BATS_TEST_TMPDIR/names"
	[ "$(sort -u "$BATS_TEST_TMPDIR/names" | wc -l)" -eq 150 ]
	xargs -P 16 -I{} "$ROOT/tests/tools/register-one" {} 'pw-{}' \
	    <"$BATS_TEST_TMPDIR/names" >"$BATS_TEST_TMPDIR/answers"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/answers")" -eq 200 ]
	# Exactly one 200 per distinct name, and 409 for every other request.
	[ "$(awk '$2 == 200' "$BATS_TEST_TMPDIR/answers" | wc -l)" -eq 150 ]
	[ "$(awk '$2 == 200 {print $1}' "$BATS_TEST_TMPDIR/answers" | sort -u | wc -l)" -eq 150 ]
	[ "$(awk '$2 == 409' "$BATS_TEST_TMPDIR/answers" | wc -l)" -eq 50 ]
	# The store holds exactly the distinct names, each once, no torn line.
	diff <(sort -u "$BATS_TEST_TMPDIR/names") <(store_records | cut -d: -f1 | sort)
	[ "$(tail -c 1 "$USER_STORE" | od -An -c | tr -d ' ')" = '\n' ]
	run "$USERCTL" check
	assert_success
	run "$USERCTL" verify user77 <<<'pw-user77'
	assert_success
}

@test "writers killed with SIGKILL at random points leave a clean store" {
	local i name
	# 240 registrations, 8 at a time, each killed 0-39 ms after it starts:
	# before, while waiting for and while holding the lock, or not at all.
	for i in $(seq 1 240); do
		printf 'crash%d 0.%03d\n' "$i" $((RANDOM % 40))
	done | xargs -P 8 -L 1 sh -c '"$0" "$1" "pw-$1" "$2"' "$ROOT/tests/tools/register-one" \
	    >"$BATS_TEST_TMPDIR/answers"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/answers")" -eq 240 ]
	awk '$2 == 200 {print $1}' "$BATS_TEST_TMPDIR/answers" >"$BATS_TEST_TMPDIR/ok"
	echo "# $(wc -l <"$BATS_TEST_TMPDIR/ok") of 240 answered 200, $(store_records | wc -l) stored" >&3
	run "$USERCTL" check
	assert_success
	# Every name that got a 200 is there and its password verifies.
	while read -r name; do
		"$USERCTL" verify "$name" <<<"pw-$name" || fail "$name does not verify"
	done <"$BATS_TEST_TMPDIR/ok"
	# The store (and its index) still answer right: each stored name is
	# taken, a new one is not.
	for name in $(store_records | cut -d: -f1 | head -n 20); do
		run --separate-stderr register "$name" x
		[ "$(cgi_status)" = 409 ] || fail "$name: $(cgi_status)"
	done
	run --separate-stderr register after-crash x
	[ "$(cgi_status)" = 200 ]
	run "$USERCTL" check
	assert_success
}
