#!/usr/bin/env bats
# The e-mail module (pydantic's EmailStr over email-validator 2.3) through
# its unit program, one test per rule family, each with an address of its
# own; then the shared e-mail corpus replayed through the CGI.
#
# $UNIT_DIR/email_cli reads one JSON string per line and answers
# {"ok":"<normalized>"} or {"reason":"<message>"}.

load test_helper

# email INPUT...: run the unit program on the JSON string literals given.
email() {
	run "$UNIT_DIR/email_cli" < <(printf '%s\n' "$@")
}

# long_json CHAR COUNT [SUFFIX]: a JSON string of COUNT copies of CHAR.
long_json() {
	local s
	s="$(printf "%${2}s" '' | sed "s/ /$1/g")"
	printf '"%s%s"' "$s" "${3-}"
}

@test "the 2048 cap counts code points on the raw input, not bytes" {
	email "$(long_json 'é' 2049)" "$(long_json 'é' 2048)"
	assert_success
	assert_line --index 0 '{"reason":"Length must not exceed 2048 characters"}'
	assert_line --index 1 '{"reason":"An email address must have an @-sign."}'
}

@test "pydantic's display-name pattern takes Unicode \\w names and keeps the address" {
	email '"Jürgen Müller <j@example.com>"'
	assert_output '{"ok":"j@example.com"}'
}

@test "strip() removes Python whitespace such as U+2003 and U+3000 but not U+200B" {
	email '"\u2003j@example.com\u3000"' '"\u200bj@example.com"'
	assert_line --index 0 '{"ok":"j@example.com"}'
	assert_line --index 1 '{"reason":"The email address contains unsafe characters: ZERO WIDTH SPACE."}'
}

@test "an address without @ is refused, with the full-width @ named when present" {
	email '"j\uff20example.com"' '"jexample.com"'
	assert_line --index 0 '{"reason":"The email address has the \"full-width\" at-sign (@) character instead of a regular at-sign."}'
	assert_line --index 1 '{"reason":"An email address must have an @-sign."}'
}

@test "an ASCII local part outside atext lists the bad characters" {
	email '"a(b@example.com"'
	assert_output "{\"reason\":\"The email address contains invalid characters before the @-sign: '('.\"}"
}

@test "an internationalized local part is accepted as typed" {
	email '"ñandú@example.com"'
	assert_output '{"ok":"ñandú@example.com"}'
}

@test "a local part ending with a dot is refused" {
	email '"a.@example.com"'
	assert_output '{"reason":"An email address cannot have a period immediately before the @-sign."}'
}

@test "the local part is put in NFC, and re-checked after it" {
	email '"Ame\u0301lie@example.com"' '"x\u037e@example.com"'
	assert_line --index 0 '{"ok":"Amélie@example.com"}'
	assert_line --index 1 "{\"reason\":\"After Unicode normalization: The email address contains invalid characters before the @-sign: ';'.\"}"
}

@test "a quoted local part is refused even when the quotes are not needed" {
	email '"\"john\"@example.com"'
	assert_output '{"reason":"Quoting the part before the @-sign is not allowed here."}'
}

@test "RFC 2142 role accounts are lowercased" {
	email '"WebMaster@Example.com"'
	assert_output '{"ok":"webmaster@example.com"}'
}

@test "a domain outside LDH and non-ASCII lists the bad characters" {
	email '"j@exa_mple.com"'
	assert_output "{\"reason\":\"The part after the @-sign contains invalid characters: '_'.\"}"
}

@test "the domain is UTS-46 mapped: full-width letters and dots, case folding" {
	email '"j@\uff22ÜCHER\uff0ede"'
	assert_output '{"ok":"j@bücher.de"}'
}

@test "IDNA 2008 refuses a symbol in a label with the idna package's words" {
	email '"j@\u2603.com"'
	assert_output "{\"reason\":\"The part after the @-sign is invalid (Codepoint U+2603 at position 1 of '☃' not allowed).\"}"
}

@test "an A-label domain comes back as Unicode" {
	email '"j@xn--mnchen-3ya.de"'
	assert_output '{"ok":"j@münchen.de"}'
}

@test "special-use domains are refused" {
	email '"j@printer.local"'
	assert_output '{"reason":"The part after the @-sign is a special-use or reserved name that cannot be used with email."}'
}

@test "bracketed literals quote Python ipaddress, or are refused when they parse" {
	email '"j@[10.0.0.256]"' '"j@[IPv6:1::2::3]"' '"j@[IPv6:fe80::1%eth0]"'
	assert_line --index 0 "{\"reason\":\"The address in brackets after the @-sign is not valid: It is not an IPv4 address (Octet 256 (> 255) not permitted in '10.0.0.256') or is missing an address literal tag.\"}"
	assert_line --index 1 "{\"reason\":\"The IPv6 address in brackets after the @-sign is not valid (At most one '::' permitted in '1::2::3').\"}"
	assert_line --index 2 '{"reason":"A bracketed IP address after the @-sign is not allowed here."}'
}

@test "the 254-byte limit applies to the original, the NFC form and the IDNA ASCII form" {
	email '"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com"' '"x\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c\ufb2c@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.cccccccccccccccccccccccc.com"' '"jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u00fc.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u00fc.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u00fc.com"' '"\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00@example.com"'
	assert_line --index 0 '{"reason":"The email address is too long (1 character too many)."}'
	assert_line --index 1 '{"reason":"The email address is too long after normalization (18 bytes too many)."}'
	assert_line --index 2 '{"reason":"The email address is too long when the part after the @-sign is converted to IDNA ASCII (1 byte too many)."}'
	assert_line --index 3 '{"reason":"The email address is too long (1-2 characters too many)."}'
}

@test "invalid characters show as repr or name sorted as text; unsafe ones by code point" {
	email '"a b\u0001(c@example.com"' '"a\u2060b\u200bc@example.com"'
	assert_line --index 0 "{\"reason\":\"The email address contains invalid characters before the @-sign: '(', SPACE, U+0001.\"}"
	assert_line --index 1 '{"reason":"The email address contains unsafe characters: ZERO WIDTH SPACE, WORD JOINER."}'
}

@test "unnamed code points from U+FFFF up are written with eight hex digits" {
	email '"a\uffffb@example.com"' '"a\ufffeb@example.com"'
	assert_line --index 0 '{"reason":"The email address contains unsafe characters: U+0000FFFF."}'
	assert_line --index 1 '{"reason":"The email address contains unsafe characters: U+FFFE."}'
}

@test "the shared e-mail corpus replays through the CGI" {
	run "$CASES/replay" --cgi "$USER_CGI" "$CASES/email.jsonl"
	assert_success
	assert_line '489 passed, 0 failed'
}
