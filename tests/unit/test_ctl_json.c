/*
 * test_ctl_json.c — the JSON emitter: RFC 8259 §7 string escaping, UTF-8
 * validation (RFC 3629 §4), nesting and automatic commas, misuse detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ctl/json.h"

struct esc_case {
	const char *name;
	const char *in;
	size_t len;
	const char *out;
};

#define S(lit) lit, sizeof(lit) - 1

static const struct esc_case esc_cases[] = {
	{ "empty", S(""), "\"\"" },
	{ "plain", S("lns1.example"), "\"lns1.example\"" },
	{ "quote", S("a\"b"), "\"a\\\"b\"" },
	{ "backslash", S("a\\b"), "\"a\\\\b\"" },
	{ "slash kept", S("a/b"), "\"a/b\"" },
	{ "newline", S("a\nb"), "\"a\\nb\"" },
	{ "cr tab", S("\r\t"), "\"\\r\\t\"" },
	{ "bs ff", S("\b\f"), "\"\\b\\f\"" },
	{ "NUL", S("a\0b"), "\"a\\u0000b\"" },
	{ "ctl 01 1f", S("\x01\x1f"), "\"\\u0001\\u001f\"" },
	{ "ESC", S("\x1b[2J"), "\"\\u001b[2J\"" },
	{ "DEL", S("\x7f"), "\"\\u007f\"" },
	{ "utf8 2", S("caf\xc3\xa9"), "\"caf\xc3\xa9\"" },
	{ "utf8 3", S("\xe2\x82\xac"), "\"\xe2\x82\xac\"" },
	{ "utf8 4", S("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"" },
	{ "max cp", S("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"" },
	{ "lone cont", S("\x80"), "\"\\ufffd\"" },
	{ "latin1", S("caf\xe9"), "\"caf\\ufffd\"" },
	{ "C0 overlong", S("\xc0\xaf"), "\"\\ufffd\\ufffd\"" },
	{ "C1 overlong", S("\xc1\xbf"), "\"\\ufffd\\ufffd\"" },
	{ "E0 overlong", S("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "surrogate", S("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "F0 overlong", S("\xf0\x8f\xbf\xbf"),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "> U+10FFFF", S("\xf4\x90\x80\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "F5", S("\xf5"), "\"\\ufffd\"" },
	{ "FF", S("\xff"), "\"\\ufffd\"" },
	{ "truncated 3", S("ab\xe2\x82"), "\"ab\\ufffd\\ufffd\"" },
	{ "bad then good", S("\xc3(\xc3\xa9"), "\"\\ufffd(\xc3\xa9\"" },
	{ "quote in run", S("\xc3\xa9\"x"), "\"\xc3\xa9\\\"x\"" },
};

static void
test_escape_table(void **state)
{
	struct strbuf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		strbuf_init(&b);
		json_escape(&b, esc_cases[i].in, esc_cases[i].len);
		if (strcmp(strbuf_str(&b), esc_cases[i].out) != 0)
			fail_msg("%s: got %s, want %s", esc_cases[i].name,
			    strbuf_str(&b), esc_cases[i].out);
		strbuf_free(&b);
	}
}

static void
test_nesting_and_commas(void **state)
{
	struct strbuf b;
	struct json j;

	(void)state;
	strbuf_init(&b);
	json_init(&j, &b);
	json_obj_begin(&j);
	json_key(&j, "tunnels");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_kv_u64(&j, "local_id", 1);
	json_kv_str(&j, "peer", "192.0.2.1:1701");
	json_obj_end(&j);
	json_obj_begin(&j);
	json_kv_u64(&j, "local_id", UINT64_MAX);
	json_kv_i64(&j, "neg", -5);
	json_kv_bool(&j, "up", true);
	json_key(&j, "x");
	json_null(&j);
	json_key(&j, "empty_arr");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_key(&j, "empty_obj");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "list");
	json_arr_begin(&j);
	json_u64(&j, 1);
	json_str(&j, "two");
	json_bool(&j, false);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	assert_true(json_finish(&j));
	assert_string_equal(strbuf_str(&b),
	    "{\"tunnels\":[{\"local_id\":1,\"peer\":\"192.0.2.1:1701\"},"
	    "{\"local_id\":18446744073709551615,\"neg\":-5,\"up\":true,"
	    "\"x\":null,\"empty_arr\":[],\"empty_obj\":{}}],"
	    "\"list\":[1,\"two\",false,[]]}");
	strbuf_free(&b);
}

static void
test_empty_array_document(void **state)
{
	struct strbuf b;
	struct json j;

	(void)state;
	strbuf_init(&b);
	json_init(&j, &b);
	json_obj_begin(&j);
	json_key(&j, "sessions");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	assert_true(json_finish(&j));
	assert_string_equal(strbuf_str(&b), "{\"sessions\":[]}");
	strbuf_free(&b);
}

static void
test_key_escaped(void **state)
{
	struct strbuf b;
	struct json j;

	(void)state;
	strbuf_init(&b);
	json_init(&j, &b);
	json_obj_begin(&j);
	json_kv_str(&j, "a\"b", "\n");
	json_obj_end(&j);
	assert_true(json_finish(&j));
	assert_string_equal(strbuf_str(&b), "{\"a\\\"b\":\"\\n\"}");
	strbuf_free(&b);
}

/* Each misuse must be caught, never turned into invalid JSON silently. */
enum misuse {
	MISUSE_VALUE_WITHOUT_KEY,
	MISUSE_KEY_IN_ARRAY,
	MISUSE_KEY_AT_TOP,
	MISUSE_UNBALANCED_END,
	MISUSE_WRONG_END,
	MISUSE_KEY_WITHOUT_VALUE,
	MISUSE_TWO_TOP_VALUES,
	MISUSE_UNCLOSED,
	MISUSE_TOO_DEEP,
};

static void
do_misuse(struct json *j, enum misuse m)
{
	int i;

	switch (m) {
	case MISUSE_VALUE_WITHOUT_KEY:
		json_obj_begin(j);
		json_u64(j, 1);
		json_obj_end(j);
		break;
	case MISUSE_KEY_IN_ARRAY:
		json_arr_begin(j);
		json_key(j, "k");
		json_u64(j, 1);
		json_arr_end(j);
		break;
	case MISUSE_KEY_AT_TOP:
		json_key(j, "k");
		break;
	case MISUSE_UNBALANCED_END:
		json_obj_end(j);
		break;
	case MISUSE_WRONG_END:
		json_obj_begin(j);
		json_arr_end(j);
		break;
	case MISUSE_KEY_WITHOUT_VALUE:
		json_obj_begin(j);
		json_key(j, "k");
		json_obj_end(j);
		break;
	case MISUSE_TWO_TOP_VALUES:
		json_u64(j, 1);
		json_u64(j, 2);
		break;
	case MISUSE_UNCLOSED:
		json_arr_begin(j);
		break;
	case MISUSE_TOO_DEEP:
		for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
			json_arr_begin(j);
		for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
			json_arr_end(j);
		break;
	}
}

static void
test_misuse_table(void **state)
{
	/* clang-format off */
	static const enum misuse cases[] = {
		MISUSE_VALUE_WITHOUT_KEY, MISUSE_KEY_IN_ARRAY,
		MISUSE_KEY_AT_TOP, MISUSE_UNBALANCED_END, MISUSE_WRONG_END,
		MISUSE_KEY_WITHOUT_VALUE, MISUSE_TWO_TOP_VALUES,
		MISUSE_UNCLOSED, MISUSE_TOO_DEEP,
	};
	/* clang-format on */
	struct strbuf b;
	struct json j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_init(&b);
		json_init(&j, &b);
		do_misuse(&j, cases[i]);
		if (json_finish(&j))
			fail_msg("misuse %zu not detected: %s", i,
			    strbuf_str(&b));
		strbuf_free(&b);
	}
}

static void
test_max_depth_ok(void **state)
{
	struct strbuf b;
	struct json j;
	int i;

	(void)state;
	strbuf_init(&b);
	json_init(&j, &b);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_begin(&j);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_end(&j);
	assert_true(json_finish(&j));
	strbuf_free(&b);
}

static void
test_strbuf_growth(void **state)
{
	struct strbuf b;
	int i;

	(void)state;
	strbuf_init(&b);
	assert_string_equal(strbuf_str(&b), "");
	for (i = 0; i < 10000; i++)
		strbuf_printf(&b, "%04d", i % 10000);
	assert_false(b.err);
	assert_int_equal(b.len, 40000);
	assert_memory_equal(b.p + 39996, "9999", 4);
	assert_int_equal(b.p[b.len], '\0');
	strbuf_reset(&b);
	assert_string_equal(strbuf_str(&b), "");
	strbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_empty_array_document),
		cmocka_unit_test(test_key_escaped),
		cmocka_unit_test(test_misuse_table),
		cmocka_unit_test(test_max_depth_ok),
		cmocka_unit_test(test_strbuf_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
