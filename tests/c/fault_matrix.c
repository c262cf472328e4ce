/*
 * Sends one revocation through the C API and prints how it ended, for the fault
 * matrix in tests/fault_matrix.json. The Rust harness in tests/fault_matrix.rs sets up
 * the server side of each case, runs this program and compares the key=value lines it
 * prints with what the case expects:
 *
 *   fault_matrix ENDPOINT CA_BUNDLE|- PROXY_URL|- CONNECT_TIMEOUT_MS TIMEOUT_MS CERTIFICATE_ID
 *
 * "-" for CA_BUNDLE trusts Mozilla's roots; "-" for PROXY_URL connects directly. The
 * credentials come from SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD. A value the
 * outcome does not hold is printed as "-". Exit status: 0 when the call ran (whatever
 * it returned), 2 for a usage error or a client that cannot be built.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sectigo_revoke.h"

#define OK SECTIGO_REVOKE_RESULT_OK

static int usage(void) {
    fputs("usage: fault_matrix ENDPOINT CA_BUNDLE|- PROXY_URL|- CONNECT_TIMEOUT_MS TIMEOUT_MS CERTIFICATE_ID\n",
          stderr);
    return 2;
}

/* Parses a whole decimal number into *value. Returns 0 on success. */
static int parse_number(const char *text, uint64_t *value) {
    char *end = NULL;
    unsigned long long number = strtoull(text, &end, 10);
    if (end == text || *end != '\0') {
        return -1;
    }
    *value = (uint64_t)number;
    return 0;
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

static void print_outcome(sectigo_revoke_result returned, const sectigo_revoke_outcome *outcome) {
    sectigo_revoke_outcome_kind kind = SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED;
    int32_t api_code = 0;
    uint16_t http_status = 0;
    uint64_t retry_after_ms = 0;
    const char *description = NULL;

    printf("returned=%" PRIu32 "\n", (uint32_t)returned);
    if (sectigo_revoke_outcome_get_kind(outcome, &kind) == OK) {
        printf("kind=%" PRIu32 "\n", (uint32_t)kind);
    } else {
        puts("kind=-");
    }
    if (sectigo_revoke_outcome_get_api_code(outcome, &api_code) == OK) {
        printf("api_code=%" PRId32 "\n", api_code);
    } else {
        puts("api_code=-");
    }
    if (sectigo_revoke_outcome_get_http_status(outcome, &http_status) == OK) {
        printf("http_status=%u\n", (unsigned)http_status);
    } else {
        puts("http_status=-");
    }
    if (sectigo_revoke_outcome_get_retry_after_ms(outcome, &retry_after_ms) == OK) {
        printf("retry_after_ms=%" PRIu64 "\n", retry_after_ms);
    } else {
        puts("retry_after_ms=-");
    }
    fputs("description=", stdout);
    if (sectigo_revoke_outcome_get_description(outcome, &description) == OK) {
        print_escaped(description);
    } else {
        putchar('-');
    }
    putchar('\n');
}

/* Applies the command-line settings to the options. Returns 0 on success. */
static int configure(sectigo_revoke_client_options *options, char **argv) {
    const char *login_name = getenv("SECTIGO_LOGIN_NAME");
    const char *password = getenv("SECTIGO_LOGIN_PASSWORD");
    uint64_t connect_timeout_ms = 0;
    uint64_t timeout_ms = 0;
    if (login_name == NULL || password == NULL) {
        fputs("fault_matrix: set SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD\n", stderr);
        return -1;
    }
    if (parse_number(argv[4], &connect_timeout_ms) != 0 || parse_number(argv[5], &timeout_ms) != 0) {
        return -1;
    }

    if (sectigo_revoke_client_options_set_credentials(options, login_name, password) != OK ||
        sectigo_revoke_client_options_set_endpoint(options, argv[1]) != OK ||
        sectigo_revoke_client_options_set_connect_timeout_ms(options, connect_timeout_ms) != OK ||
        sectigo_revoke_client_options_set_timeout_ms(options, timeout_ms) != OK) {
        return -1;
    }
    if (strcmp(argv[2], "-") != 0 && sectigo_revoke_client_options_set_ca_bundle_path(options, argv[2]) != OK) {
        return -1;
    }
    sectigo_revoke_result proxy = strcmp(argv[3], "-") == 0 ? sectigo_revoke_client_options_set_no_proxy(options)
                                                           : sectigo_revoke_client_options_set_proxy(options, argv[3]);
    return proxy == OK ? 0 : -1;
}

int main(int argc, char **argv) {
    uint64_t certificate_id = 0;
    if (argc != 7 || parse_number(argv[6], &certificate_id) != 0) {
        return usage();
    }

    sectigo_revoke_client_options *options = NULL;
    sectigo_revoke_outcome *outcome = NULL;
    sectigo_revoke_client *client = NULL;
    sectigo_revoke_request *request = NULL;
    int status = 2;

    if (sectigo_revoke_client_options_new(&options) != OK || sectigo_revoke_outcome_new(&outcome) != OK ||
        sectigo_revoke_request_new(&request) != OK) {
        fputs("fault_matrix: cannot allocate the handles\n", stderr);
        goto done;
    }
    if (configure(options, argv) != 0) {
        status = usage();
        goto done;
    }
    if (sectigo_revoke_client_new(options, outcome, &client) != OK) {
        fputs("fault_matrix: cannot build the client\n", stderr);
        print_outcome(SECTIGO_REVOKE_RESULT_INVALID_REQUEST, outcome);
        goto done;
    }
    if (sectigo_revoke_request_set_certificate_id(request, certificate_id) != OK) {
        goto done;
    }

    print_outcome(sectigo_revoke_client_revoke(client, request, outcome), outcome);
    status = 0;

done:
    sectigo_revoke_request_free(request);
    sectigo_revoke_client_free(client);
    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_options_free(options);
    return status;
}
