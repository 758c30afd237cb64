#!/usr/bin/env bats
# userctl, the store's admin tool: each command, --help, exit codes.
# Stores are written by hand here (sha512crypt hashes from Python's
# crypt), so these tests do not depend on the CGI.

load test_helper

setup() {
	fresh_store
}

teardown() {
	if [ -n "${HOLDER-}" ]; then kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; fi
	true
}

# hash_of PASSWORD: a sha512crypt hash of PASSWORD.
hash_of() {
	python3 -W ignore -c 'import crypt, sys; print(crypt.crypt(sys.argv[1], "$6$rounds=1000$saltsalt$"))' "$1"
}

# a_store: three users, one with an escaped name and a tab in full_name,
# one with an empty full_name, one with a null one.
a_store() {
	{
		echo '# user.cgi store 1'
		echo "jane:$(hash_of pw-jane):jane@example.com:Jane%09Doe\"q\""
		echo "a%3Ab%25:$(hash_of pw-ab):ab@example.com:"
		echo "bob:$(hash_of pw-bob):bob@example.com"
	} >"$USER_STORE"
	chmod 0640 "$USER_STORE"
}

@test "delete whose folder fsync fails says the user is gone but not durably (exit 6)" {
	a_store
	faultfs_shim
	faultfs_env "$BATS_TEST_TMPDIR/store" DIRSYNC
	run --separate-stderr env "${FAULT_ENV[@]}" "$USERCTL" delete bob
	assert_failure 6
	[[ "$stderr" == *"$USER_STORE is replaced, but a crash may still undo it"* ]] || fail "$stderr"
	[[ "$stderr" == *"cannot fsync folder"* ]]
	run "$USERCTL" show bob
	assert_failure 3
	run "$USERCTL" show jane
	assert_success
}

@test "--help lists the commands and the exit codes" {
	run "$USERCTL" --help
	assert_success
	assert_output --partial 'list'
	assert_output --partial 'verify USER'
	assert_output --partial 'htpasswd [FILE]'
	assert_output --partial '3 no such user'
	assert_output --partial '5 store busy'
}

@test "no command or an unknown one is a usage error (exit 2)" {
	run --separate-stderr "$USERCTL"
	assert_failure 2
	[[ "$stderr" == *usage:* ]]
	run --separate-stderr "$USERCTL" frobnicate
	assert_failure 2
}

@test "list prints UserOut JSON lines as Python's json.dumps writes them" {
	a_store
	run "$USERCTL" list
	assert_success
	local want
	want=$(python3 -c 'import json
for u in [("jane","jane@example.com","Jane\tDoe\"q\""),("a:b%","ab@example.com",""),("bob","bob@example.com",None)]:
    print(json.dumps(dict(zip(("username","email","full_name"),u)),ensure_ascii=False,separators=(",",":")))')
	[ "$output" = "$want" ]
}

@test "list skips comments and a torn last line" {
	a_store
	echo '# a comment' >>"$USER_STORE"
	printf 'carol:$6$torn' >>"$USER_STORE"
	run "$USERCTL" list
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	refute_output --partial carol
}

@test "list of a store that does not exist yet prints nothing" {
	run "$USERCTL" list
	assert_success
	assert_output ''
}

@test "show prints one user, and exit 3 for no such user" {
	a_store
	run "$USERCTL" show 'a:b%'
	assert_success
	assert_output '{"username":"a:b%","email":"ab@example.com","full_name":""}'
	run --separate-stderr "$USERCTL" show carol
	assert_failure 3
	[[ "$stderr" == *"no such user"* ]]
}

@test "verify: exit 0 on a match, 1 on a mismatch, 3 for no such user" {
	a_store
	run "$USERCTL" verify bob <<<'pw-bob'
	assert_success
	run "$USERCTL" verify bob <<<'pw-bobx'
	assert_failure 1
	run "$USERCTL" verify carol <<<'pw-bob'
	assert_failure 3
}

@test "verify leaves no copy of the password in its memory (no stdio buffer)" {
	echo '# user.cgi store 1' >"$USER_STORE"
	echo "bob:$(hash_of Unique-Pw-4711):bob@example.com" >>"$USER_STORE"
	printf 'Unique-Pw-4711\n' >"$BATS_TEST_TMPDIR/pw"
	# Stop at exit(), after verify has wiped its buffers, and search the
	# process's memory (no core file: a sanitizer build maps terabytes).
	MEMGREP_NEEDLE=Unique-Pw-4711 run gdb -q -batch -ex 'set debuginfod enabled off' \
	    -ex 'unset environment MEMGREP_NEEDLE' -ex 'set breakpoint pending on' -ex 'break exit' \
	    -ex "run verify bob <$BATS_TEST_TMPDIR/pw" -x "$ROOT/tests/tools/memgrep.py" "$USERCTL"
	assert_line 'copies: 0'
}

@test "verify takes the password from stdin, never from the command line" {
	a_store
	run "$USERCTL" verify bob pw-bob </dev/null
	assert_failure 2
	printf 'pw-bob' | "$USERCTL" verify bob
}

@test "delete removes the user and keeps the others, the mode and the owner" {
	a_store
	chmod 0600 "$USER_STORE"
	# As root, give the store away: the rewrite must give it back.
	if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$USER_STORE"; fi
	local owner
	owner=$(stat -c '%U %G' "$USER_STORE")
	run "$USERCTL" delete 'a:b%'
	assert_success
	run "$USERCTL" list
	[ "${#lines[@]}" -eq 2 ]
	refute_output --partial 'a:b%'
	[ "$(head -n 1 "$USER_STORE")" = '# user.cgi store 1' ]
	[ "$(stat -c '%a %U %G' "$USER_STORE")" = "600 $owner" ]
	[ -z "$(find "$BATS_TEST_TMPDIR/store" -name '*.tmp*')" ]
	run "$USERCTL" verify jane <<<'pw-jane'
	assert_success
}

@test "delete of no such user exits 3 and leaves the store as it was" {
	a_store
	local before
	before=$(sha256sum <"$USER_STORE")
	run "$USERCTL" delete carol
	assert_failure 3
	[ "$(sha256sum <"$USER_STORE")" = "$before" ]
}

@test "delete rewrites the htpasswd view too" {
	a_store
	"$USERCTL" htpasswd "$BATS_TEST_TMPDIR/view"
	run "$USERCTL" --htpasswd "$BATS_TEST_TMPDIR/view" delete jane
	assert_success
	run cut -d: -f1 "$BATS_TEST_TMPDIR/view"
	assert_output $'a%3Ab%25\nbob'
}

@test "delete waits for the write lock and exits 5 when it is not had" {
	a_store
	( exec 9>"$USER_STORE.lock"; flock -x 9; touch "$BATS_TEST_TMPDIR/held"; exec sleep 5 ) &
	HOLDER=$!
	while [ ! -e "$BATS_TEST_TMPDIR/held" ]; do sleep 0.01; done
	USER_LOCK_TIMEOUT_MS=200 run "$USERCTL" delete bob
	assert_failure 5
	run "$USERCTL" show bob
	assert_success
}

@test "check is clean (exit 0) on a good store" {
	a_store
	run "$USERCTL" check
	assert_success
	assert_output ''
}

@test "check finds duplicates, legacy hashes, broken lines, a bad header, a torn tail" {
	a_store
	{
		echo "bob:$(hash_of x):b2@example.com"
		echo 'old:$1$abc$def:o@example.com'
		echo 'des:abJnggxhB/yWI:d@example.com'
		echo 'not a record'
		echo 'low%3a:$6$x$y:l@example.com'
		printf 'torn:$6$'
	} >>"$USER_STORE"
	sed -i 1d "$USER_STORE"
	run "$USERCTL" check
	assert_failure 1
	assert_output --partial ':1: header:'
	assert_output --partial ':4: duplicate:'
	assert_output --partial ':5: legacy-hash:'
	assert_output --partial ':6: legacy-hash:'
	assert_output --partial ':7: format:'
	assert_output --partial ':8: encoding:'
	assert_output --partial ': torn:'
}

@test "check compares the htpasswd view with the store" {
	a_store
	"$USERCTL" htpasswd "$BATS_TEST_TMPDIR/view"
	run "$USERCTL" --htpasswd "$BATS_TEST_TMPDIR/view" check
	assert_success
	sed -i '$d' "$BATS_TEST_TMPDIR/view"
	run "$USERCTL" --htpasswd "$BATS_TEST_TMPDIR/view" check
	assert_failure 1
	assert_output --partial 'userctl htpasswd'
}

@test "htpasswd writes user:hash lines in store order" {
	a_store
	run "$USERCTL" htpasswd "$BATS_TEST_TMPDIR/view"
	assert_success
	diff <(grep -v '^#' "$USER_STORE" | cut -d: -f1,2) "$BATS_TEST_TMPDIR/view"
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/view")" = 640 ]
	USER_HTPASSWD="$BATS_TEST_TMPDIR/view2" run "$USERCTL" htpasswd
	assert_success
	[ -s "$BATS_TEST_TMPDIR/view2" ]
}

@test "htpasswd without a file named anywhere is a usage error" {
	a_store
	unset USER_HTPASSWD
	run "$USERCTL" htpasswd
	assert_failure 2
}

@test "--store overrides USER_STORE" {
	a_store
	mv "$USER_STORE" "$BATS_TEST_TMPDIR/other"
	run "$USERCTL" --store "$BATS_TEST_TMPDIR/other" show bob
	assert_success
	run "$USERCTL" show bob
	assert_failure 3
}

@test "a store that cannot be read exits 4" {
	mkdir "$USER_STORE"
	run --separate-stderr "$USERCTL" list
	assert_failure 4
}

@test "the man page renders and documents the exit codes" {
	run groff -mdoc -Tutf8 -ww -z "$ROOT/doc/userctl.1"
	assert_success
	assert_output ''
	run man -l "$ROOT/doc/userctl.1"
	assert_success
	assert_output --partial 'EXIT STATUS'
	assert_output --partial 'USER_LOCK_TIMEOUT_MS'
}
