#!/usr/bin/env bats
# make install: PREFIX and DESTDIR, the CGI into lib/cgi-bin, the admin
# tool into bin (never into cgi-bin), and both man pages.

load test_helper

@test "make install honours DESTDIR and PREFIX" {
	run make -C "$ROOT" --no-print-directory install DESTDIR="$BATS_TEST_TMPDIR/pkg" PREFIX=/opt/uc
	assert_success
	[ -x "$BATS_TEST_TMPDIR/pkg/opt/uc/lib/cgi-bin/user.cgi" ]
	[ -x "$BATS_TEST_TMPDIR/pkg/opt/uc/bin/userctl" ]
	[ -f "$BATS_TEST_TMPDIR/pkg/opt/uc/share/man/man8/user.cgi.8" ]
	[ -f "$BATS_TEST_TMPDIR/pkg/opt/uc/share/man/man1/userctl.1" ]
}

@test "the admin tool is never installed into cgi-bin" {
	run make -C "$ROOT" --no-print-directory install DESTDIR="$BATS_TEST_TMPDIR/pkg"
	assert_success
	run find "$BATS_TEST_TMPDIR/pkg" -path '*cgi-bin*' -type f
	assert_output --regexp '/lib/cgi-bin/user\.cgi$'
}

@test "the installed programs answer --help" {
	run make -C "$ROOT" --no-print-directory install DESTDIR="$BATS_TEST_TMPDIR/pkg" PREFIX=/usr
	assert_success
	run env -i "$BATS_TEST_TMPDIR/pkg/usr/lib/cgi-bin/user.cgi" --help
	assert_success
	assert_line --index 0 'usage: user.cgi [--help | --version]'
	run "$BATS_TEST_TMPDIR/pkg/usr/bin/userctl" --help
	assert_success
	assert_line --index 0 --partial 'usage: userctl'
}

@test "the man pages render without warnings" {
	for page in "$ROOT/doc/user.cgi.8" "$ROOT/doc/userctl.1"; do
		run bash -c 'LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null' _ "$page"
		assert_success
		assert_output ''
	done
}
