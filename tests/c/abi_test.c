/*
 * Exercises the C API against the endpoint simulator. The Rust harness in
 * tests/c_abi.rs starts the simulator, compiles this file, runs one scenario per
 * process and checks the key=value lines it prints:
 *
 *   abi_test ENDPOINT CA_BUNDLE SCENARIO [ARGUMENTS...]
 *
 * The credentials come from SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD. Checks that
 * need no knowledge of the server's state are made here: a failed CHECK is printed to
 * stderr and makes the exit status 1. Every handle is freed, so that valgrind can
 * report any leak.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sectigo_revoke.h"

#define OK SECTIGO_REVOKE_RESULT_OK
#define NULL_PARAMETER SECTIGO_REVOKE_RESULT_NULL_PARAMETER
#define INVALID_UTF8 SECTIGO_REVOKE_RESULT_INVALID_UTF8
#define NO_VALUE SECTIGO_REVOKE_RESULT_NO_VALUE
#define INVALID_REQUEST SECTIGO_REVOKE_RESULT_INVALID_REQUEST

/* Certificates of the simulator's built-in catalogue. */
#define ISSUED_CERTIFICATE_ID 2000001u
#define ISSUED_SERIAL "00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1"
#define ISSUED_ORDER_NUMBER_2 1000002u
#define ISSUING_CERTIFICATE_ID 2000004u
#define ISSUED_CERTIFICATE_ID_11 2000011u
#define ISSUED_CERTIFICATE_ID_12 2000012u
#define UNKNOWN_CERTIFICATE_ID 2999999u
/* Not in the catalogue; the threads scenario runs with unknown identifiers accepted. */
#define FIRST_THREAD_CERTIFICATE_ID 3000001u

#define THREADS 8

static int passed_checks = 0;
static int failed_checks = 0;
static const char *endpoint = NULL;
static const char *ca_bundle = NULL;

#define CHECK(condition) check((condition), #condition, __LINE__)

static void check(bool passed, const char *condition, int line) {
    if (passed) {
        passed_checks++;
        return;
    }
    failed_checks++;
    fprintf(stderr, "abi_test.c:%d: check failed: %s\n", line, condition);
}

static const char *required_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL) {
        fprintf(stderr, "abi_test: set %s\n", name);
        exit(2);
    }
    return value;
}

/* Prints a string on one line, with line breaks written as \n. */
static void print_escaped(const char *text) {
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '\n') {
            fputs("\\n", stdout);
        } else if (*c != '\r') {
            putchar(*c);
        }
    }
}

typedef sectigo_revoke_result (*text_getter)(const sectigo_revoke_outcome *, const char **);

static void print_text(const char *label, const char *key, const sectigo_revoke_outcome *outcome, text_getter get) {
    const char *text = NULL;
    printf("%s.%s=", label, key);
    if (get(outcome, &text) == OK) {
        print_escaped(text);
    } else {
        putchar('-');
    }
    putchar('\n');
}

/* Prints everything the outcome recorded as label.key=value lines; '-' marks no value. */
static void print_outcome(const char *label, const sectigo_revoke_outcome *outcome) {
    sectigo_revoke_result result = OK;
    sectigo_revoke_outcome_kind kind = SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED;
    int32_t api_code = 0;
    uint16_t http_status = 0;
    uint64_t retry_after_ms = 0;

    if (sectigo_revoke_outcome_get_result(outcome, &result) == OK) {
        printf("%s.result=%" PRIu32 "\n", label, (uint32_t)result);
    } else {
        printf("%s.result=-\n", label);
    }
    if (sectigo_revoke_outcome_get_kind(outcome, &kind) == OK) {
        printf("%s.kind=%" PRIu32 "\n", label, (uint32_t)kind);
    } else {
        printf("%s.kind=-\n", label);
    }
    if (sectigo_revoke_outcome_get_api_code(outcome, &api_code) == OK) {
        printf("%s.api_code=%" PRId32 "\n", label, api_code);
    } else {
        printf("%s.api_code=-\n", label);
    }
    if (sectigo_revoke_outcome_get_http_status(outcome, &http_status) == OK) {
        printf("%s.http_status=%u\n", label, (unsigned)http_status);
    } else {
        printf("%s.http_status=-\n", label);
    }
    if (sectigo_revoke_outcome_get_retry_after_ms(outcome, &retry_after_ms) == OK) {
        printf("%s.retry_after_ms=%" PRIu64 "\n", label, retry_after_ms);
    } else {
        printf("%s.retry_after_ms=-\n", label);
    }
    print_text(label, "message", outcome, sectigo_revoke_outcome_get_message);
    print_text(label, "error_item", outcome, sectigo_revoke_outcome_get_error_item);
    print_text(label, "description", outcome, sectigo_revoke_outcome_get_description);
}

static sectigo_revoke_outcome *new_outcome(void) {
    sectigo_revoke_outcome *outcome = NULL;
    CHECK(sectigo_revoke_outcome_new(&outcome) == OK);
    return outcome;
}

static sectigo_revoke_request *new_request(void) {
    sectigo_revoke_request *request = NULL;
    CHECK(sectigo_revoke_request_new(&request) == OK);
    return request;
}

/* Options with the credentials from the environment and nothing else set. */
static sectigo_revoke_client_options *options_with_credentials(void) {
    sectigo_revoke_client_options *options = NULL;
    CHECK(sectigo_revoke_client_options_new(&options) == OK);
    CHECK(sectigo_revoke_client_options_set_credentials(options, required_env("SECTIGO_LOGIN_NAME"),
                                                        required_env("SECTIGO_LOGIN_PASSWORD")) == OK);
    CHECK(sectigo_revoke_client_options_set_no_proxy(options) == OK);
    return options;
}

/* Options that reach the simulator: its endpoint, its CA, no proxy. */
static sectigo_revoke_client_options *simulator_options(void) {
    sectigo_revoke_client_options *options = options_with_credentials();
    CHECK(sectigo_revoke_client_options_set_endpoint(options, endpoint) == OK);
    CHECK(sectigo_revoke_client_options_set_ca_bundle_path(options, ca_bundle) == OK);
    return options;
}

/* Builds a client, or prints why not and exits. */
static sectigo_revoke_client *build_client(const sectigo_revoke_client_options *options) {
    sectigo_revoke_outcome *outcome = new_outcome();
    sectigo_revoke_client *client = NULL;
    if (sectigo_revoke_client_new(options, outcome, &client) != OK) {
        print_outcome("client", outcome);
        fprintf(stderr, "abi_test: cannot build the client\n");
        exit(2);
    }
    sectigo_revoke_outcome_free(outcome);
    return client;
}

static sectigo_revoke_client *simulator_client(void) {
    sectigo_revoke_client_options *options = simulator_options();
    sectigo_revoke_client *client = build_client(options);
    sectigo_revoke_client_options_free(options);
    return client;
}

static sectigo_revoke_result revoke_and_print(const char *label, const sectigo_revoke_client *client,
                                              const sectigo_revoke_request *request, sectigo_revoke_outcome *outcome) {
    sectigo_revoke_result result = sectigo_revoke_client_revoke(client, request, outcome);
    printf("%s.returned=%" PRIu32 "\n", label, (uint32_t)result);
    print_outcome(label, outcome);
    return result;
}

/* Revokes by certificate ID with a fresh request and prints the outcome. */
static sectigo_revoke_result revoke_certificate_id(const char *label, const sectigo_revoke_client *client,
                                                   uint64_t certificate_id, sectigo_revoke_outcome *outcome) {
    sectigo_revoke_request *request = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(request, certificate_id) == OK);
    sectigo_revoke_result result = revoke_and_print(label, client, request, outcome);
    sectigo_revoke_request_free(request);
    return result;
}

#define PRINT_CONSTANT(name) printf("constant.%s=%lld\n", #name, (long long)(name))

static void scenario_constants(void) {
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_OK);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_NULL_PARAMETER);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_INVALID_UTF8);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_PANIC);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_NO_VALUE);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_INVALID_REQUEST);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_API_ERROR);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_RATE_LIMITED);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_NOT_SENT);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_REDIRECTED);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_OUTCOME_UNKNOWN);
    PRINT_CONSTANT(SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED);
    PRINT_CONSTANT(SECTIGO_REVOKE_OUTCOME_KIND_ALREADY_REVOKED);
    PRINT_CONSTANT(SECTIGO_REVOKE_OUTCOME_KIND_ALREADY_REJECTED);
    PRINT_CONSTANT(SECTIGO_REVOKE_OUTCOME_KIND_EXPIRED);
    PRINT_CONSTANT(SECTIGO_REVOKE_REASON_UNSPECIFIED);
    PRINT_CONSTANT(SECTIGO_REVOKE_REASON_KEY_COMPROMISE);
    PRINT_CONSTANT(SECTIGO_REVOKE_REASON_AFFILIATION_CHANGED);
    PRINT_CONSTANT(SECTIGO_REVOKE_REASON_SUPERSEDED);
    PRINT_CONSTANT(SECTIGO_REVOKE_REASON_CESSATION_OF_OPERATION);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESPONSE_FORMAT_TEXT);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESPONSE_FORMAT_URL_ENCODED);
    CHECK(sizeof(sectigo_revoke_result) == 4);

    printf("version.header=%s\n", SECTIGO_REVOKE_VERSION);
    printf("version.library=%s\n", sectigo_revoke_version());
    CHECK(strcmp(SECTIGO_REVOKE_VERSION, sectigo_revoke_version()) == 0);
    char composed[64];
    snprintf(composed, sizeof composed, "%d.%d.%d", SECTIGO_REVOKE_VERSION_MAJOR, SECTIGO_REVOKE_VERSION_MINOR,
             SECTIGO_REVOKE_VERSION_PATCH);
    CHECK(strcmp(composed, SECTIGO_REVOKE_VERSION) == 0);

    const uint32_t codes[] = {0, 100, 101, 102, 103, 200, 300, 301, 302, 303, 304, 1, 999};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        printf("text.%" PRIu32 "=%s\n", codes[i], sectigo_revoke_result_text(codes[i]));
        printf("safe_to_retry.%" PRIu32 "=%d\n", codes[i], sectigo_revoke_result_is_safe_to_retry(codes[i]) ? 1 : 0);
    }
}

static void scenario_success(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_outcome *outcome = new_outcome();

    sectigo_revoke_request *by_serial = new_request();
    CHECK(sectigo_revoke_request_set_serial_number(by_serial, ISSUED_SERIAL) == OK);
    CHECK(sectigo_revoke_request_set_reason_code(by_serial, SECTIGO_REVOKE_REASON_KEY_COMPROMISE) == OK);
    CHECK(sectigo_revoke_request_set_comment(by_serial, "key left on a shared host") == OK);
    CHECK(revoke_and_print("by_serial", client, by_serial, outcome) == OK);
    sectigo_revoke_request_free(by_serial);

    CHECK(revoke_certificate_id("again", client, ISSUED_CERTIFICATE_ID, outcome) == OK);

    sectigo_revoke_request *text_format = new_request();
    CHECK(sectigo_revoke_request_set_order_number(text_format, ISSUED_ORDER_NUMBER_2) == OK);
    CHECK(sectigo_revoke_request_set_response_format(text_format, SECTIGO_REVOKE_RESPONSE_FORMAT_TEXT) == OK);
    CHECK(sectigo_revoke_request_set_reason_code(text_format, SECTIGO_REVOKE_REASON_SUPERSEDED) == OK);
    CHECK(sectigo_revoke_request_set_account_id(text_format, 42) == OK);
    CHECK(sectigo_revoke_request_set_product_code(text_format, "PC-1") == OK);
    CHECK(sectigo_revoke_request_set_product(text_format, 7) == OK);
    CHECK(revoke_and_print("text_format", client, text_format, outcome) == OK);
    sectigo_revoke_request_free(text_format);

    sectigo_revoke_request *replaced = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(replaced, ISSUED_CERTIFICATE_ID_11) == OK);
    CHECK(sectigo_revoke_request_set_include_in_crl(replaced, false) == OK);
    CHECK(revoke_and_print("replaced", client, replaced, outcome) == OK);
    sectigo_revoke_request_free(replaced);

    sectigo_revoke_request *test_mode = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(test_mode, ISSUED_CERTIFICATE_ID_12) == OK);
    CHECK(sectigo_revoke_request_set_test_mode(test_mode, true) == OK);
    CHECK(revoke_and_print("test_mode", client, test_mode, outcome) == OK);
    sectigo_revoke_request_free(test_mode);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

static void scenario_api_error(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_outcome *outcome = new_outcome();

    CHECK(revoke_certificate_id("issuing", client, ISSUING_CERTIFICATE_ID, outcome) == SECTIGO_REVOKE_RESULT_API_ERROR);
    CHECK(revoke_certificate_id("unknown", client, UNKNOWN_CERTIFICATE_ID, outcome) == SECTIGO_REVOKE_RESULT_API_ERROR);

    sectigo_revoke_request *text_format = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(text_format, UNKNOWN_CERTIFICATE_ID) == OK);
    CHECK(sectigo_revoke_request_set_response_format(text_format, SECTIGO_REVOKE_RESPONSE_FORMAT_TEXT) == OK);
    CHECK(revoke_and_print("unknown_text", client, text_format, outcome) == SECTIGO_REVOKE_RESULT_API_ERROR);
    sectigo_revoke_request_free(text_format);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

/* Builds a client from options that fail validation and checks that nothing was written. */
static void expect_client_rejected(const char *label, const sectigo_revoke_client_options *options) {
    static long long sentinel_storage;
    sectigo_revoke_client *const sentinel = (sectigo_revoke_client *)(void *)&sentinel_storage;
    sectigo_revoke_client *client = sentinel;
    sectigo_revoke_outcome *outcome = new_outcome();

    sectigo_revoke_result result = sectigo_revoke_client_new(options, outcome, &client);
    printf("%s.returned=%" PRIu32 "\n", label, (uint32_t)result);
    print_outcome(label, outcome);
    CHECK(result == INVALID_REQUEST);
    CHECK(client == sentinel);
    sectigo_revoke_outcome_free(outcome);
}

static void scenario_validation(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_outcome *outcome = new_outcome();
    sectigo_revoke_request *request = NULL;

    request = new_request();
    CHECK(sectigo_revoke_request_set_serial_number(request, "XYZ") == OK);
    CHECK(revoke_and_print("bad_serial", client, request, outcome) == INVALID_REQUEST);
    sectigo_revoke_request_free(request);

    request = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(request, ISSUED_CERTIFICATE_ID) == OK);
    CHECK(sectigo_revoke_request_set_reason_code(request, 6) == OK);
    CHECK(revoke_and_print("forbidden_reason", client, request, outcome) == INVALID_REQUEST);
    sectigo_revoke_request_free(request);

    request = new_request();
    CHECK(sectigo_revoke_request_set_order_number(request, 1000001) == OK);
    CHECK(sectigo_revoke_request_set_certificate_id(request, ISSUED_CERTIFICATE_ID) == OK);
    CHECK(revoke_and_print("two_identifiers", client, request, outcome) == INVALID_REQUEST);
    sectigo_revoke_request_free(request);

    request = new_request();
    CHECK(revoke_and_print("no_identifier", client, request, outcome) == INVALID_REQUEST);
    sectigo_revoke_request_free(request);

    char long_comment[1026];
    memset(long_comment, 'c', 1025);
    long_comment[1025] = '\0';
    request = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(request, ISSUED_CERTIFICATE_ID) == OK);
    CHECK(sectigo_revoke_request_set_comment(request, long_comment) == OK);
    CHECK(revoke_and_print("long_comment", client, request, outcome) == INVALID_REQUEST);
    sectigo_revoke_request_free(request);

    request = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(request, ISSUED_CERTIFICATE_ID) == OK);
    CHECK(sectigo_revoke_request_set_response_format(request, 2) == OK);
    CHECK(revoke_and_print("bad_format", client, request, outcome) == INVALID_REQUEST);
    sectigo_revoke_request_free(request);

    sectigo_revoke_client_options *options = simulator_options();
    const char *plain_http = "http://127.0.0.1:9/products/!AutoRevokeCertificate";
    CHECK(sectigo_revoke_client_options_set_endpoint(options, plain_http) == OK);
    expect_client_rejected("plain_http", options);
    sectigo_revoke_client_options_free(options);

    options = simulator_options();
    CHECK(sectigo_revoke_client_options_set_ca_bundle_path(options, "/nonexistent/ca.pem") == OK);
    expect_client_rejected("missing_ca", options);
    sectigo_revoke_client_options_free(options);

    options = NULL;
    CHECK(sectigo_revoke_client_options_new(&options) == OK);
    CHECK(sectigo_revoke_client_options_set_endpoint(options, endpoint) == OK);
    expect_client_rejected("no_credentials", options);
    sectigo_revoke_client_options_free(options);

    options = simulator_options();
    CHECK(sectigo_revoke_client_options_set_connect_timeout_ms(options, 20000) == OK);
    CHECK(sectigo_revoke_client_options_set_timeout_ms(options, 30000) == OK);
    expect_client_rejected("short_timeout", options);
    sectigo_revoke_client_options_free(options);

    options = simulator_options();
    CHECK(sectigo_revoke_client_options_set_retries(options, 0, 10, 100, false) == OK);
    expect_client_rejected("no_attempts", options);
    sectigo_revoke_client_options_free(options);

    options = simulator_options();
    CHECK(sectigo_revoke_client_options_set_proxy(options, "http://user:secret@") == OK);
    expect_client_rejected("bad_proxy", options);
    sectigo_revoke_client_options_free(options);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

/* Renders the request and checks that the text contains `expected`. */
static void check_dry_run_contains(const sectigo_revoke_client *client, const sectigo_revoke_request *request,
                                   const char *expected) {
    sectigo_revoke_outcome *outcome = new_outcome();
    char *text = NULL;
    CHECK(sectigo_revoke_client_dry_run(client, request, outcome, &text) == OK);
    CHECK(text != NULL);
    if (text != NULL) {
        bool found = strstr(text, expected) != NULL;
        CHECK(found);
        if (!found) {
            fprintf(stderr, "abi_test: \"%s\" not in the dry run:\n%s\n", expected, text);
        }
    }
    sectigo_revoke_string_free(text);
    sectigo_revoke_outcome_free(outcome);
}

static void scenario_null(void) {
    static long long sentinel_storage;
    void *const sentinel = &sentinel_storage;
    sectigo_revoke_client_options *options = simulator_options();
    sectigo_revoke_client *client = build_client(options);
    sectigo_revoke_request *request = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(request, ISSUED_CERTIFICATE_ID) == OK);
    sectigo_revoke_outcome *outcome = new_outcome();

    CHECK(sectigo_revoke_client_options_new(NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_new(NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_new(NULL) == NULL_PARAMETER);

    CHECK(sectigo_revoke_client_options_set_credentials(NULL, "user", "pw") == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_credentials(options, NULL, "pw") == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_credentials(options, "other-user", NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_endpoint(NULL, endpoint) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_endpoint(options, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_ca_bundle_path(NULL, ca_bundle) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_ca_bundle_path(options, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_system_roots(NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_proxy(NULL, "http://127.0.0.1:3128") == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_proxy(options, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_no_proxy(NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_connect_timeout_ms(NULL, 1000) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_timeout_ms(NULL, 2000) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_options_set_retries(NULL, 2, 10, 100, false) == NULL_PARAMETER);

    CHECK(sectigo_revoke_request_set_order_number(NULL, 1) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_certificate_id(NULL, 1) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_serial_number(NULL, "AB") == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_serial_number(request, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_reason_code(NULL, 4) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_comment(NULL, "text") == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_comment(request, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_account_id(NULL, 1) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_product_code(NULL, "PC") == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_product_code(request, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_product(NULL, 1) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_test_mode(NULL, true) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_include_in_crl(NULL, false) == NULL_PARAMETER);
    CHECK(sectigo_revoke_request_set_response_format(NULL, 0) == NULL_PARAMETER);

    sectigo_revoke_client *client_out = sentinel;
    CHECK(sectigo_revoke_client_new(NULL, outcome, &client_out) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_new(options, NULL, &client_out) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_new(options, outcome, NULL) == NULL_PARAMETER);
    CHECK(client_out == sentinel);

    CHECK(sectigo_revoke_client_revoke(NULL, request, outcome) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke(client, NULL, outcome) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke(client, request, NULL) == NULL_PARAMETER);

    char *text = sentinel;
    CHECK(sectigo_revoke_client_dry_run(NULL, request, outcome, &text) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_dry_run(client, NULL, outcome, &text) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_dry_run(client, request, NULL, &text) == NULL_PARAMETER);
    CHECK(sectigo_revoke_client_dry_run(client, request, outcome, NULL) == NULL_PARAMETER);
    CHECK(text == sentinel);

    sectigo_revoke_result result = OK;
    sectigo_revoke_outcome_kind kind = SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED;
    int32_t api_code = 0;
    uint16_t http_status = 0;
    uint64_t retry_after_ms = 0;
    const char *borrowed = NULL;
    CHECK(sectigo_revoke_outcome_get_result(NULL, &result) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_result(outcome, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_kind(NULL, &kind) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_kind(outcome, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_api_code(NULL, &api_code) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_api_code(outcome, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_http_status(NULL, &http_status) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_http_status(outcome, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_retry_after_ms(NULL, &retry_after_ms) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_retry_after_ms(outcome, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_message(NULL, &borrowed) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_message(outcome, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_error_item(NULL, &borrowed) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_error_item(outcome, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_description(NULL, &borrowed) == NULL_PARAMETER);
    CHECK(sectigo_revoke_outcome_get_description(outcome, NULL) == NULL_PARAMETER);
    CHECK(borrowed == NULL);

    /* A call rejected for a NULL argument records nothing in the outcome. */
    CHECK(sectigo_revoke_outcome_get_result(outcome, &result) == NO_VALUE);
    CHECK(sectigo_revoke_outcome_get_description(outcome, &borrowed) == NO_VALUE);

    sectigo_revoke_client_options_free(NULL);
    sectigo_revoke_request_free(NULL);
    sectigo_revoke_outcome_free(NULL);
    sectigo_revoke_client_free(NULL);
    sectigo_revoke_string_free(NULL);

    /* The calls that failed changed nothing: a client built now uses the settings from
     * before, and the request still carries its certificate ID. */
    sectigo_revoke_client *rebuilt = build_client(options);
    check_dry_run_contains(rebuilt, request, "certificateID=2000001");
    check_dry_run_contains(rebuilt, request, "POST https://127.0.0.1:");
    sectigo_revoke_client_free(rebuilt);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_request_free(request);
    sectigo_revoke_client_free(client);
    sectigo_revoke_client_options_free(options);
}

static void scenario_utf8(void) {
    /* 0xC3 opens a two-byte sequence that '(' cannot continue; 0xFF never occurs in UTF-8. */
    const char *const invalid_texts[] = {"\xC3(", "serial=\xFF"};
    sectigo_revoke_client_options *options = simulator_options();
    sectigo_revoke_request *request = new_request();
    CHECK(sectigo_revoke_request_set_serial_number(request, ISSUED_SERIAL) == OK);

    for (size_t i = 0; i < sizeof invalid_texts / sizeof invalid_texts[0]; i++) {
        const char *invalid = invalid_texts[i];
        CHECK(sectigo_revoke_client_options_set_credentials(options, invalid, "pw") == INVALID_UTF8);
        CHECK(sectigo_revoke_client_options_set_credentials(options, "other-user", invalid) == INVALID_UTF8);
        CHECK(sectigo_revoke_client_options_set_endpoint(options, invalid) == INVALID_UTF8);
        CHECK(sectigo_revoke_client_options_set_ca_bundle_path(options, invalid) == INVALID_UTF8);
        CHECK(sectigo_revoke_client_options_set_proxy(options, invalid) == INVALID_UTF8);
        CHECK(sectigo_revoke_request_set_serial_number(request, invalid) == INVALID_UTF8);
        CHECK(sectigo_revoke_request_set_comment(request, invalid) == INVALID_UTF8);
        CHECK(sectigo_revoke_request_set_product_code(request, invalid) == INVALID_UTF8);
    }

    /* Nothing was changed: the login name, endpoint, CA bundle and proxy setting are the
     * ones set before, and the request has its serial number and no comment. */
    sectigo_revoke_client *client = build_client(options);
    char expected_login[160];
    snprintf(expected_login, sizeof expected_login, "loginName=%s&", required_env("SECTIGO_LOGIN_NAME"));
    check_dry_run_contains(client, request, expected_login);
    check_dry_run_contains(client, request,
                           "serialNumber=00D9B75B1C2E0F11223344556677889AA1&codeReason=0&responseFormat=1");

    sectigo_revoke_outcome *outcome = new_outcome();
    CHECK(revoke_and_print("after_invalid", client, request, outcome) == OK);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
    sectigo_revoke_request_free(request);
    sectigo_revoke_client_options_free(options);
}

static void scenario_timeout(uint64_t connect_timeout_ms, uint64_t timeout_ms) {
    sectigo_revoke_client_options *options = simulator_options();
    CHECK(sectigo_revoke_client_options_set_connect_timeout_ms(options, connect_timeout_ms) == OK);
    CHECK(sectigo_revoke_client_options_set_timeout_ms(options, timeout_ms) == OK);
    sectigo_revoke_client *client = build_client(options);
    sectigo_revoke_client_options_free(options);
    sectigo_revoke_outcome *outcome = new_outcome();

    sectigo_revoke_result result = revoke_certificate_id("slow", client, ISSUED_CERTIFICATE_ID, outcome);
    CHECK(result == SECTIGO_REVOKE_RESULT_OUTCOME_UNKNOWN);
    CHECK(!sectigo_revoke_result_is_safe_to_retry(result));

    /* An accessor with no value to give leaves its out-parameter as it was. */
    uint16_t http_status = 12345;
    int32_t api_code = 12345;
    const char *message = "unchanged";
    CHECK(sectigo_revoke_outcome_get_http_status(outcome, &http_status) == NO_VALUE);
    CHECK(http_status == 12345);
    CHECK(sectigo_revoke_outcome_get_api_code(outcome, &api_code) == NO_VALUE);
    CHECK(api_code == 12345);
    CHECK(sectigo_revoke_outcome_get_message(outcome, &message) == NO_VALUE);
    CHECK(strcmp(message, "unchanged") == 0);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

struct worker {
    const sectigo_revoke_client *client;
    pthread_barrier_t *start;
    uint64_t certificate_id;
    sectigo_revoke_result first;
    sectigo_revoke_result second;
    sectigo_revoke_outcome_kind first_kind;
    sectigo_revoke_outcome_kind second_kind;
    int32_t second_api_code;
};

/* Revokes one certificate twice through the shared client: accepted, then already revoked. */
static void *run_worker(void *argument) {
    struct worker *worker = argument;
    sectigo_revoke_request *request = NULL;
    sectigo_revoke_outcome *outcome = NULL;
    bool ready = sectigo_revoke_request_new(&request) == OK && sectigo_revoke_outcome_new(&outcome) == OK &&
                 sectigo_revoke_request_set_certificate_id(request, worker->certificate_id) == OK;

    /* Every thread waits here, ready or not, so that none is left waiting forever. */
    pthread_barrier_wait(worker->start);
    if (ready) {
        worker->first = sectigo_revoke_client_revoke(worker->client, request, outcome);
        sectigo_revoke_outcome_get_kind(outcome, &worker->first_kind);
        worker->second = sectigo_revoke_client_revoke(worker->client, request, outcome);
        sectigo_revoke_outcome_get_kind(outcome, &worker->second_kind);
        sectigo_revoke_outcome_get_api_code(outcome, &worker->second_api_code);
    }

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_request_free(request);
    return NULL;
}

static void scenario_threads(void) {
    sectigo_revoke_client *client = simulator_client();
    pthread_barrier_t start;
    CHECK(pthread_barrier_init(&start, NULL, THREADS) == 0);
    pthread_t threads[THREADS];
    struct worker workers[THREADS];

    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){
            .client = client,
            .start = &start,
            .certificate_id = FIRST_THREAD_CERTIFICATE_ID + (uint64_t)i,
            .first = SECTIGO_REVOKE_RESULT_NO_VALUE,
            .second = SECTIGO_REVOKE_RESULT_NO_VALUE,
            .first_kind = SECTIGO_REVOKE_OUTCOME_KIND_EXPIRED,
            .second_kind = SECTIGO_REVOKE_OUTCOME_KIND_EXPIRED,
            .second_api_code = 1,
        };
        CHECK(pthread_create(&threads[i], NULL, run_worker, &workers[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
    }
    pthread_barrier_destroy(&start);

    for (int i = 0; i < THREADS; i++) {
        const struct worker *worker = &workers[i];
        printf("thread.%d.certificate_id=%" PRIu64 "\n", i, worker->certificate_id);
        printf("thread.%d.first=%" PRIu32 "\n", i, (uint32_t)worker->first);
        printf("thread.%d.first_kind=%" PRIu32 "\n", i, (uint32_t)worker->first_kind);
        printf("thread.%d.second=%" PRIu32 "\n", i, (uint32_t)worker->second);
        printf("thread.%d.second_kind=%" PRIu32 "\n", i, (uint32_t)worker->second_kind);
        printf("thread.%d.second_api_code=%" PRId32 "\n", i, worker->second_api_code);
        CHECK(worker->first == OK);
        CHECK(worker->first_kind == SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED);
        CHECK(worker->second == OK);
        CHECK(worker->second_kind == SECTIGO_REVOKE_OUTCOME_KIND_ALREADY_REVOKED);
        CHECK(worker->second_api_code == -21);
    }
    sectigo_revoke_client_free(client);
}

static void scenario_rate_limit(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_outcome *outcome = new_outcome();

    sectigo_revoke_result result = revoke_certificate_id("limited", client, ISSUED_CERTIFICATE_ID, outcome);
    CHECK(result == SECTIGO_REVOKE_RESULT_RATE_LIMITED);
    CHECK(sectigo_revoke_result_is_safe_to_retry(result));

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

static void scenario_retry(void) {
    sectigo_revoke_client_options *options = simulator_options();
    CHECK(sectigo_revoke_client_options_set_retries(options, 3, 10, 200, false) == OK);
    sectigo_revoke_client *client = build_client(options);
    sectigo_revoke_client_options_free(options);
    sectigo_revoke_outcome *outcome = new_outcome();

    CHECK(revoke_certificate_id("retried", client, ISSUED_CERTIFICATE_ID, outcome) == OK);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

static void scenario_dry_run(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_outcome *outcome = new_outcome();

    sectigo_revoke_request *request = new_request();
    CHECK(sectigo_revoke_request_set_certificate_id(request, ISSUED_CERTIFICATE_ID) == OK);
    CHECK(sectigo_revoke_request_set_reason_code(request, SECTIGO_REVOKE_REASON_SUPERSEDED) == OK);
    CHECK(sectigo_revoke_request_set_comment(request, "moved & rekeyed") == OK);
    char *text = NULL;
    sectigo_revoke_result result = sectigo_revoke_client_dry_run(client, request, outcome, &text);
    printf("rendered.returned=%" PRIu32 "\n", (uint32_t)result);
    print_outcome("rendered", outcome);
    CHECK(result == OK);
    CHECK(text != NULL);
    if (text != NULL) {
        printf("rendered.text=");
        print_escaped(text);
        putchar('\n');
    }
    sectigo_revoke_string_free(text);
    sectigo_revoke_request_free(request);

    static long long sentinel_storage;
    char *const sentinel = (char *)(void *)&sentinel_storage;
    text = sentinel;
    request = new_request();
    CHECK(sectigo_revoke_request_set_serial_number(request, "not hex") == OK);
    result = sectigo_revoke_client_dry_run(client, request, outcome, &text);
    printf("invalid.returned=%" PRIu32 "\n", (uint32_t)result);
    print_outcome("invalid", outcome);
    CHECK(result == INVALID_REQUEST);
    CHECK(text == sentinel);
    sectigo_revoke_request_free(request);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

static void scenario_not_sent(void) {
    sectigo_revoke_outcome *outcome = new_outcome();

    /* Neither Mozilla's roots nor the system's trust the simulator's generated CA. */
    sectigo_revoke_client_options *options = options_with_credentials();
    CHECK(sectigo_revoke_client_options_set_endpoint(options, endpoint) == OK);
    sectigo_revoke_client *client = build_client(options);
    sectigo_revoke_result result = revoke_certificate_id("mozilla_roots", client, ISSUED_CERTIFICATE_ID, outcome);
    CHECK(result == SECTIGO_REVOKE_RESULT_NOT_SENT);
    CHECK(sectigo_revoke_result_is_safe_to_retry(result));
    sectigo_revoke_client_free(client);

    CHECK(sectigo_revoke_client_options_set_system_roots(options) == OK);
    client = build_client(options);
    result = revoke_certificate_id("system_roots", client, ISSUED_CERTIFICATE_ID, outcome);
    CHECK(result == SECTIGO_REVOKE_RESULT_NOT_SENT);
    sectigo_revoke_client_free(client);

    sectigo_revoke_client_options_free(options);
    sectigo_revoke_outcome_free(outcome);
}

static void scenario_redirect(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_outcome *outcome = new_outcome();

    sectigo_revoke_result result = revoke_certificate_id("redirected", client, ISSUED_CERTIFICATE_ID, outcome);
    CHECK(result == SECTIGO_REVOKE_RESULT_REDIRECTED);

    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_free(client);
}

static int usage(void) {
    fputs("usage: abi_test ENDPOINT CA_BUNDLE SCENARIO [ARGUMENTS...]\n"
          "scenarios: constants success api-error validation null utf8 threads rate-limit retry\n"
          "           dry-run not-sent redirect timeout CONNECT_TIMEOUT_MS TIMEOUT_MS\n",
          stderr);
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        return usage();
    }
    endpoint = argv[1];
    ca_bundle = argv[2];
    const char *scenario = argv[3];

    if (strcmp(scenario, "constants") == 0) {
        scenario_constants();
    } else if (strcmp(scenario, "success") == 0) {
        scenario_success();
    } else if (strcmp(scenario, "api-error") == 0) {
        scenario_api_error();
    } else if (strcmp(scenario, "validation") == 0) {
        scenario_validation();
    } else if (strcmp(scenario, "null") == 0) {
        scenario_null();
    } else if (strcmp(scenario, "utf8") == 0) {
        scenario_utf8();
    } else if (strcmp(scenario, "threads") == 0) {
        scenario_threads();
    } else if (strcmp(scenario, "rate-limit") == 0) {
        scenario_rate_limit();
    } else if (strcmp(scenario, "retry") == 0) {
        scenario_retry();
    } else if (strcmp(scenario, "dry-run") == 0) {
        scenario_dry_run();
    } else if (strcmp(scenario, "not-sent") == 0) {
        scenario_not_sent();
    } else if (strcmp(scenario, "redirect") == 0) {
        scenario_redirect();
    } else if (strcmp(scenario, "timeout") == 0 && argc == 6) {
        scenario_timeout(strtoull(argv[4], NULL, 10), strtoull(argv[5], NULL, 10));
    } else {
        return usage();
    }

    printf("checks.passed=%d\n", passed_checks);
    printf("checks.failed=%d\n", failed_checks);
    return failed_checks == 0 ? 0 : 1;
}
