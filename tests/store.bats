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

@test "the largest record the contract allows is stored (200), under 6 KiB" {
	# 256 and 1024 four-byte characters, a 512-byte password, an e-mail of
	# 254 bytes, 250 of them "%" (each written %25).
	local body
	body=$(python3 -c 'import json; print(json.dumps({"username": "\U0001F600" * 256, "password": "\U0001F600" * 128, "email": "%" * 250 + "@a.b", "full_name": "\U0001F600" * 1024}, ensure_ascii=False))')
	run --separate-stderr cgi POST / application/json "$body" -- USER_HASH_METHOD=sha512crypt USER_HASH_COST=1000
	[ "$(cgi_status)" = 200 ] || fail "$(cgi_status): $stderr"
	local len
	len=$(store_records | wc -c)
	# sha512crypt at 1000 rounds is 118 bytes; at its highest, 123: 6001.
	[ "$len" -eq $((1024 + 1 + 118 + 1 + 750 + 4 + 1 + 4096 + 1)) ]
	[ "$len" -lt 6144 ]
	run --separate-stderr cgi POST / application/json "$body"
	[ "$(cgi_status)" = 409 ]
	run "$USERCTL" check
	assert_success
}

@test "a full_name of 1024 euro signs (3 bytes each, never escaped) gets 200" {
	local body
	body=$(python3 -c 'import json; print(json.dumps({"username": "euro", "password": "pw", "email": "a@example.com", "full_name": "\u20ac" * 1024}, ensure_ascii=False))')
	run --separate-stderr cgi POST / application/json "$body"
	[ "$(cgi_status)" = 200 ] || fail "$(cgi_status): $stderr"
	run "$USERCTL" show euro
	assert_output "$(python3 -c 'import json; print(json.dumps({"username": "euro", "email": "a@example.com", "full_name": "\u20ac" * 1024}, ensure_ascii=False, separators=(",", ":")))')"
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

# ---- faults: the store's folder missing, read-only, full ----

# fault_dir [tmpfs|shim]: a folder for the store that make_fault can turn
# read-only or full: a small tmpfs when one can be mounted here (root),
# else a plain folder and the faultfs LD_PRELOAD shim from tests/tools.
fault_dir() {
	FS="$BATS_TEST_TMPDIR/fs"
	FAULT_ENV=()
	mkdir -p "$FS"
	export USER_STORE="$FS/users"
	FAULT_HOW=${1:-tmpfs}
	if [ "$FAULT_HOW" = tmpfs ] && ! mount -t tmpfs -o size=64k,mode=0755 tmpfs "$FS" 2>/dev/null; then
		FAULT_HOW=shim
	fi
	if [ "$FAULT_HOW" = shim ]; then
		faultfs_shim
	fi
}

# make_fault ro|full|dirsync: break the folder; FAULT_ENV holds what the
# CGI needs.  dirsync (its fsync fails) is by the shim only.
make_fault() {
	case "$FAULT_HOW:$1" in
	tmpfs:ro)
		mount -o remount,ro "$FS" ;;
	tmpfs:full)
		# End the store on a page boundary, so the next line needs a page.
		python3 -c 'import os,sys; n=os.path.getsize(sys.argv[1]); open(sys.argv[1],"a").write("#"+"x"*(4096-n-2)+"\n")' "$USER_STORE"
		dd if=/dev/zero of="$FS/filler" bs=4k 2>/dev/null || true ;;
	shim:ro)
		faultfs_env "$FS" EROFS ;;
	shim:full)
		faultfs_env "$FS" ENOSPC ;;
	shim:dirsync)
		faultfs_env "$FS" DIRSYNC ;;
	esac
}

# clear_fault: space again (full only).
clear_fault() {
	FAULT_ENV=()
	rm -f "$FS/filler"
}

teardown() {
	if [ -n "${FS-}" ] && mountpoint -q "$FS"; then umount "$FS"; fi
	if [ -n "${HOLDER-}" ]; then kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; fi
	true
}

# assert_500_store_error REASON: a 500 as Starlette's error page, the
# reason on stderr, and no password in it.
assert_500_store_error() {
	[ "$(cgi_status)" = 500 ]
	[[ "$output" == *$'Content-Type: text/plain'* ]]
	[ "$(cgi_body)" = 'Internal Server Error' ]
	[[ "$stderr" == *"$1"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *user.cgi:* ]]
	[[ "$stderr" != *pw-secret* ]]
}

@test "a missing store folder gets 500 with the reason on stderr" {
	export USER_STORE="$BATS_TEST_TMPDIR/missing/users"
	run --separate-stderr register jane pw-secret
	assert_500_store_error "$BATS_TEST_TMPDIR/missing/users"
	[[ "$stderr" == *"No such file or directory"* ]]
	[[ "$stderr" == *"create the store's folder"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/missing" ]
}

# read_only_case tmpfs|shim
read_only_case() {
	fault_dir "$1"
	run --separate-stderr register jane pw-jane
	[ "$(cgi_status)" = 200 ]
	local before
	before=$(sha256sum <"$USER_STORE")
	make_fault ro
	run --separate-stderr register bob pw-secret -- "${FAULT_ENV[@]}"
	assert_500_store_error "Read-only file system"
	[[ "$stderr" == *"put USER_STORE on a writable one"* ]]
	[ "$(sha256sum <"$USER_STORE")" = "$before" ]
	run "$USERCTL" verify jane <<<'pw-jane'
	assert_success
	run "$USERCTL" check
	assert_success
}

# full_case tmpfs|shim
full_case() {
	fault_dir "$1"
	run --separate-stderr register jane pw-jane
	[ "$(cgi_status)" = 200 ]
	make_fault full
	local before
	before=$(sha256sum <"$USER_STORE")
	run --separate-stderr register bob pw-secret -- "${FAULT_ENV[@]}"
	assert_500_store_error "No space left on device"
	[[ "$stderr" == *"the disk is full"* ]]
	[ "$(sha256sum <"$USER_STORE")" = "$before" ]
	run "$USERCTL" check
	assert_success
	# Space again: bob was never stored, so he can register now.
	clear_fault
	run --separate-stderr register bob pw-bob
	[ "$(cgi_status)" = 200 ]
	run "$USERCTL" verify bob <<<'pw-bob'
	assert_success
}

@test "a read-only store folder gets 500 and the store stays intact" {
	read_only_case tmpfs
	echo "# by $FAULT_HOW" >&3
}

@test "a full disk gets 500 and the store stays intact" {
	full_case tmpfs
	echo "# by $FAULT_HOW" >&3
}

@test "a read-only store folder gets 500 (fault shim, no mount needed)" {
	read_only_case shim
}

@test "a full disk gets 500 (fault shim, no mount needed)" {
	full_case shim
}

@test "a new store whose folder fsync fails is removed, so the next writer does not answer 200 either" {
	fault_dir shim
	make_fault dirsync
	run --separate-stderr register jane pw-secret -- "${FAULT_ENV[@]}"
	assert_500_store_error "cannot fsync folder"
	# The folder entry of the store is still not durable: no 200 on it.
	run --separate-stderr register bob pw-secret -- "${FAULT_ENV[@]}"
	assert_500_store_error "cannot fsync folder"
	[ ! -e "$USER_STORE" ]
	clear_fault
	run --separate-stderr register bob pw-bob
	[ "$(cgi_status)" = 200 ]
}

@test "a lock held beyond the wait gets 503 with Retry-After and stores nothing" {
	run --separate-stderr register jane pw-jane
	( exec 9>"$USER_STORE.lock"; flock -x 9; touch "$BATS_TEST_TMPDIR/held"; exec sleep 5 ) &
	HOLDER=$!
	while [ ! -e "$BATS_TEST_TMPDIR/held" ]; do sleep 0.01; done
	local t0 t1
	t0=$(date +%s%N)
	run --separate-stderr register bob pw-bob -- USER_LOCK_TIMEOUT_MS=300
	t1=$(date +%s%N)
	[ "$(cgi_status)" = 503 ]
	[[ "$output" == *$'Retry-After: 1\r'* ]]
	[ "$(cgi_body | python3 -c 'import json,sys; print(type(json.load(sys.stdin)["detail"]).__name__)')" = str ]
	[ $(( (t1 - t0) / 1000000 )) -ge 300 ]
	[ "$(store_records | cut -d: -f1)" = jane ]
}

@test "a legacy hash method setting gets 500 and a clear message, never a weak hash" {
	local m
	for m in md5crypt des sha256crypt nt sunmd5 '$1$'; do
		run --separate-stderr register "u$RANDOM" pw-secret -- "USER_HASH_METHOD=$m"
		assert_500_store_error "legacy, weak method and is refused"
	done
	[ ! -s "$USER_STORE" ]
}

@test "an unknown hash method or a cost out of range gets 500 and a clear message" {
	run --separate-stderr register jane pw-secret -- USER_HASH_METHOD=rot13
	assert_500_store_error "unknown method"
	run --separate-stderr register jane pw-secret -- USER_HASH_METHOD=bcrypt USER_HASH_COST=3
	assert_500_store_error "bcrypt takes a cost from 4 to 31"
	[ ! -s "$USER_STORE" ]
}

@test "hash method names are taken in any case, as legacy names are; prefixes exactly" {
	run --separate-stderr register jane pw-jane -- USER_HASH_METHOD=YESCRYPT
	[ "$(cgi_status)" = 200 ] || fail "$stderr"
	run --separate-stderr register bob pw-bob -- USER_HASH_METHOD=BCrypt USER_HASH_COST=4
	[ "$(cgi_status)" = 200 ] || fail "$stderr"
	run --separate-stderr register carol pw -- 'USER_HASH_METHOD=$Y$'
	assert_500_store_error "unknown method"
	run store_records
	assert_line --index 0 --partial 'jane:$y$'
	assert_line --index 1 --partial 'bob:$2b$04$'
}

@test "each accepted hash method stores a hash that verifies" {
	local m cost
	for m in yescrypt:1 gost-yescrypt:1 scrypt:6 bcrypt:4 sha512crypt:1000 '$y$:1'; do
		cost=${m##*:}
		run --separate-stderr register "u-${m%%:*}" "pw-$cost" -- "USER_HASH_METHOD=${m%:*}" "USER_HASH_COST=$cost"
		[ "$(cgi_status)" = 200 ] || fail "$m: $stderr"
	done
	run store_records
	assert_line --index 1 --partial 'u-gost-yescrypt:$gy$'
	assert_line --index 2 --partial 'u-scrypt:$7$'
	assert_line --index 3 --partial 'u-bcrypt:$2b$04$'
	assert_line --index 4 --partial 'u-sha512crypt:$6$rounds=1000$'
	run "$USERCTL" verify u-bcrypt <<<'pw-4'
	assert_success
	run "$USERCTL" verify u-sha512crypt <<<'pw-1000'
	assert_success
}

# ---- torn tails and the lookup index ----

@test "a torn last line is skipped by readers and cut by the next writer" {
	run --separate-stderr register jane pw-jane
	printf 'bob:$y$j75$torn' >>"$USER_STORE"
	run "$USERCTL" check
	assert_failure 1
	assert_output --partial 'torn'
	run --separate-stderr register bob pw-bob
	[ "$(cgi_status)" = 200 ]
	run store_records
	assert_output --regexp '^jane:[^$]*\$y\$[^:]+:jane@example.com
bob:\$y\$[^:]+:bob@example.com$'
	run "$USERCTL" check
	assert_success
}

@test "a lost or stale lookup index changes no answer" {
	run --separate-stderr register jane pw-jane
	[ -s "$USER_STORE.idx" ]
	rm "$USER_STORE.idx"
	run --separate-stderr register jane x
	[ "$(cgi_status)" = 409 ]
	run --separate-stderr register bob x
	[ "$(cgi_status)" = 200 ]
	[ -s "$USER_STORE.idx" ]
	# The index now names another file (a copied store has a new inode).
	cp "$USER_STORE" "$USER_STORE.new" && mv "$USER_STORE.new" "$USER_STORE"
	printf 'carol:$6$x$y:c@example.com\n' >>"$USER_STORE"
	run --separate-stderr register carol x
	[ "$(cgi_status)" = 409 ]
	run --separate-stderr register jane x
	[ "$(cgi_status)" = 409 ]
	run --separate-stderr register dave x
	[ "$(cgi_status)" = 200 ]
	# A line appended behind the index's back is still found.
	printf 'erin:$6$x$y:e@example.com\n' >>"$USER_STORE"
	run --separate-stderr register erin x
	[ "$(cgi_status)" = 409 ]
}

@test "records appended behind the index's back beyond its room: no hang, right answers" {
	run --separate-stderr register first pw
	[ "$(cgi_status)" = 200 ]
	# 1,100 more records than the index's 1,024 slots hold, same file.
	store_records | awk -F: '{ for (i = 1; i <= 1100; i++) printf "bulk%d:%s:b%d@example.com\n", i, $2, i }' >>"$USER_STORE"
	# "timeout" goes between env and the CGI: a hang is a failed test.
	run --separate-stderr register second pw -- timeout 10
	[ "$(cgi_status)" = 200 ]
	run --separate-stderr register third pw -- timeout 10
	[ "$(cgi_status)" = 200 ]
	for n in bulk1 bulk777 bulk1100 second; do
		run --separate-stderr register "$n" pw -- timeout 10
		[ "$(cgi_status)" = 409 ] || fail "$n: $(cgi_status)"
	done
	[ "$(store_records | wc -l)" -eq 1103 ]
	run "$USERCTL" check
	assert_success
}

@test "a name the index finds on a line too long to read at once is taken, never stored twice" {
	run --separate-stderr register jane pw
	[ "$(cgi_status)" = 200 ]
	# A hand-made record longer than the 8 KiB read at an index hit.
	printf 'long:$6$x$y:l@example.com:%s\n' "$(head -c 9000 /dev/zero | tr '\0' x)" >>"$USER_STORE"
	run --separate-stderr register bob pw
	[ "$(cgi_status)" = 200 ]
	run --separate-stderr register long pw
	[ "$(cgi_status)" = 409 ] || fail "$(cgi_status): $stderr"
	[ "$(store_records | grep -c '^long:')" -eq 1 ]
}

@test "an index built over a line of more than 1 MiB still finds the users after it" {
	{
		echo '# user.cgi store 1'
		printf '#%s\n' "$(head -c 1200000 /dev/zero | tr '\0' x)"
		echo 'bob:$6$x$y:bob@example.com'
	} >"$USER_STORE"
	# No index yet: this writer builds one over the whole file.
	run --separate-stderr register carol pw
	[ "$(cgi_status)" = 200 ]
	[ -s "$USER_STORE.idx" ]
	run --separate-stderr register bob pw
	[ "$(cgi_status)" = 409 ] || fail "$(cgi_status): $stderr"
	run --separate-stderr register carol pw
	[ "$(cgi_status)" = 409 ]
	[ "$(store_records | grep -c '^bob:')" -eq 1 ]
}

# ---- the htpasswd view for lighttpd ----

# view_of_store: what the view must hold, from the store.
view_of_store() {
	store_records | cut -d: -f1,2
}

@test "with USER_HTPASSWD the CGI keeps a user:hash view of the store" {
	local view="$BATS_TEST_TMPDIR/store/htpasswd" n
	for n in jane bob carol; do
		run --separate-stderr register "$n" "pw-$n" -- "USER_HTPASSWD=$view"
		[ "$(cgi_status)" = 200 ]
	done
	diff <(view_of_store) "$view"
	run head -n 1 "$view"
	assert_output --regexp '^jane:\$y\$[^:]+$'
	[ "$(stat -c %a "$view")" = 640 ]
	run "$USERCTL" --htpasswd "$view" check
	assert_success
}

@test "a view left behind by a crash is put right by the next writer" {
	local view="$BATS_TEST_TMPDIR/store/htpasswd"
	run --separate-stderr register jane pw -- "USER_HTPASSWD=$view"
	run --separate-stderr register bob pw -- "USER_HTPASSWD=$view"
	# As if the writer died between the store's append and the view's.
	sed -i '$d' "$view"
	printf 'bo' >>"$view"
	run "$USERCTL" --htpasswd "$view" check
	assert_failure 1
	assert_output --partial 'run userctl htpasswd'
	run --separate-stderr register carol pw -- "USER_HTPASSWD=$view"
	[ "$(cgi_status)" = 200 ]
	diff <(view_of_store) "$view"
	# A view that was never written is made whole, too.
	rm "$view"
	run --separate-stderr register dave pw -- "USER_HTPASSWD=$view"
	diff <(view_of_store) "$view"
}

@test "a store removed and created again is never answered from its old index" {
	# Inode numbers are reused: device, inode and length alone cannot tell
	# the new file from the one the index was built for.
	export USER_HASH_COST=1
	for round in 1 2 3; do
		rm -f "$USER_STORE"
		run --separate-stderr register "old$round" secret-pw
		assert_line --index 0 $'Status: 200 OK\r'
		rm -f "$USER_STORE"
		for n in "first-of-a-new-store-$round" "second-of-a-new-store-$round"; do
			run --separate-stderr register "$n" secret-pw
			assert_line --index 0 $'Status: 200 OK\r'
		done
		run --separate-stderr register "first-of-a-new-store-$round" secret-pw
		assert_line --index 0 $'Status: 409 Conflict\r'
	done
}
