#!/usr/bin/env bats
# The recorded exchanges of the FastAPI reference app (tests/cases/contract.jsonl,
# a copy of the shared corpus), replayed against the CGI, one test per family.
# Each case runs with a fresh store; the runner also fails a case whose
# password shows up in a 2xx answer, on stderr or in the store.

load test_helper

replay_family() {
	run "$CASES/replay" -q --cgi "$USER_CGI" --family "$1" "$CASES/contract.jsonl"
	assert_success
	assert_line --regexp '^[1-9][0-9]* passed, 0 failed$'
}

@test "valid registrations answer 200 with the UserOut bytes FastAPI sends" {
	replay_family happy
}

@test "length limits answer string_too_short and string_too_long with ctx" {
	replay_family limits
}

@test "valid e-mail addresses come back normalized" {
	replay_family email-ok
}

@test "invalid e-mail addresses answer value_error with the library's reason" {
	replay_family email-invalid
}

@test "missing fields answer one missing error each, in model order" {
	replay_family missing
}

@test "non-string fields answer string_type without coercion" {
	replay_family field-type
}

@test "numbers echoed in errors are written as Python writes them" {
	replay_family number-echo
}

@test "a body that is not an object answers model_attributes_type" {
	replay_family body-type
}

@test "invalid JSON answers json_invalid at CPython's position with its message" {
	replay_family json-invalid
}

@test "only application/json and application/*+json bodies are parsed as JSON" {
	replay_family content-type
}

@test "BOM and undecodable bytes are handled as json.loads handles them" {
	replay_family encoding
}

@test "NaN in an ignored field is accepted as json.loads accepts it" {
	replay_family nonfinite-surrogate
}

@test "routing answers 405 with Allow, 307 to the slash, 404 elsewhere" {
	replay_family routing
}

@test "a taken username answers 409" {
	replay_family duplicates
}

@test "inputs that crash FastAPI get a 4xx with a JSON detail instead" {
	replay_family fastapi-crash
}

@test "the whole contract corpus passes (cases outside /user are the web server's)" {
	run "$CASES/replay" -q --cgi "$USER_CGI" "$CASES/contract.jsonl"
	assert_success
	assert_line --index 0 '# 5 skipped: outside /user (answered by the web server) or CGI-only'
	assert_line --index 1 '120 passed, 0 failed'
}
