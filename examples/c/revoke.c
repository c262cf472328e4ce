/*
 * Revokes one certificate and prints how the revocation ended.
 *
 *   revoke ENDPOINT CA_BUNDLE IDENTIFIER [REASON_CODE]
 *
 * IDENTIFIER is serialNumber=HEX, certificateID=NUMBER or orderNumber=NUMBER. The
 * credentials come from SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD. Exit status: 0
 * when the certificate is no longer usable (revoked now, or already revoked, rejected
 * or expired), 1 when the revocation failed, 2 for a usage error.
 *
 * Build against an installed library:
 *   cc -std=c11 revoke.c -o revoke $(pkg-config --cflags --libs sectigo_revoke)
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sectigo_revoke.h>

static int usage(void) {
    fputs("usage: revoke ENDPOINT CA_BUNDLE IDENTIFIER [REASON_CODE]\n"
          "  IDENTIFIER   serialNumber=HEX, certificateID=NUMBER or orderNumber=NUMBER\n"
          "  REASON_CODE  0 unspecified (default), 1 keyCompromise, 3 affiliationChanged,\n"
          "               4 superseded, 5 cessationOfOperation\n"
          "  credentials from SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD\n",
          stderr);
    return 2;
}

/* Parses a whole decimal number, or returns 0 (which the library rejects as an identifier). */
static uint64_t parse_number(const char *text) {
    char *end = NULL;
    unsigned long long number = strtoull(text, &end, 10);
    return (end == text || *end != '\0') ? 0 : (uint64_t)number;
}

/* Sets the identifier named by "name=value" on the request. Returns 0 on success. */
static int set_identifier(sectigo_revoke_request *request, const char *identifier) {
    const char *value = strchr(identifier, '=');
    if (value == NULL) {
        return -1;
    }
    size_t name_length = (size_t)(value - identifier);
    value++;

    sectigo_revoke_result result;
    if (name_length == strlen("serialNumber") && strncmp(identifier, "serialNumber", name_length) == 0) {
        result = sectigo_revoke_request_set_serial_number(request, value);
    } else if (name_length == strlen("certificateID") && strncmp(identifier, "certificateID", name_length) == 0) {
        result = sectigo_revoke_request_set_certificate_id(request, parse_number(value));
    } else if (name_length == strlen("orderNumber") && strncmp(identifier, "orderNumber", name_length) == 0) {
        result = sectigo_revoke_request_set_order_number(request, parse_number(value));
    } else {
        return -1;
    }
    return result == SECTIGO_REVOKE_RESULT_OK ? 0 : -1;
}

/* Prints what the outcome recorded about the last call. */
static void print_outcome(const sectigo_revoke_outcome *outcome) {
    const char *text = NULL;
    int32_t api_code = 0;
    uint16_t http_status = 0;
    uint64_t retry_after_ms = 0;

    if (sectigo_revoke_outcome_get_description(outcome, &text) == SECTIGO_REVOKE_RESULT_OK) {
        printf("%s\n", text);
    }
    if (sectigo_revoke_outcome_get_api_code(outcome, &api_code) == SECTIGO_REVOKE_RESULT_OK) {
        printf("API code: %" PRId32 "\n", api_code);
    }
    if (sectigo_revoke_outcome_get_message(outcome, &text) == SECTIGO_REVOKE_RESULT_OK) {
        printf("API message: %s\n", text);
    }
    if (sectigo_revoke_outcome_get_error_item(outcome, &text) == SECTIGO_REVOKE_RESULT_OK) {
        printf("field: %s\n", text);
    }
    if (sectigo_revoke_outcome_get_http_status(outcome, &http_status) == SECTIGO_REVOKE_RESULT_OK) {
        printf("HTTP status: %u\n", (unsigned)http_status);
    }
    if (sectigo_revoke_outcome_get_retry_after_ms(outcome, &retry_after_ms) == SECTIGO_REVOKE_RESULT_OK) {
        printf("retry after: %" PRIu64 " ms\n", retry_after_ms);
    }
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        return usage();
    }
    const char *login_name = getenv("SECTIGO_LOGIN_NAME");
    const char *password = getenv("SECTIGO_LOGIN_PASSWORD");
    if (login_name == NULL || password == NULL) {
        fputs("revoke: set SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD\n", stderr);
        return 2;
    }

    sectigo_revoke_client_options *options = NULL;
    sectigo_revoke_request *request = NULL;
    sectigo_revoke_outcome *outcome = NULL;
    sectigo_revoke_client *client = NULL;
    int status = 1;

    sectigo_revoke_result result = sectigo_revoke_client_options_new(&options);
    if (result == SECTIGO_REVOKE_RESULT_OK) {
        result = sectigo_revoke_request_new(&request);
    }
    if (result == SECTIGO_REVOKE_RESULT_OK) {
        result = sectigo_revoke_outcome_new(&outcome);
    }
    if (result == SECTIGO_REVOKE_RESULT_OK) {
        result = sectigo_revoke_client_options_set_credentials(options, login_name, password);
    }
    if (result == SECTIGO_REVOKE_RESULT_OK) {
        result = sectigo_revoke_client_options_set_endpoint(options, argv[1]);
    }
    if (result == SECTIGO_REVOKE_RESULT_OK) {
        result = sectigo_revoke_client_options_set_ca_bundle_path(options, argv[2]);
    }
    if (result != SECTIGO_REVOKE_RESULT_OK) {
        fprintf(stderr, "revoke: %s\n", sectigo_revoke_result_text(result));
        goto done;
    }
    if (sectigo_revoke_client_new(options, outcome, &client) != SECTIGO_REVOKE_RESULT_OK) {
        print_outcome(outcome);
        goto done;
    }

    if (set_identifier(request, argv[3]) != 0) {
        status = usage();
        goto done;
    }
    if (argc == 5) {
        char *end = NULL;
        long reason_code = strtol(argv[4], &end, 10);
        if (end == argv[4] || *end != '\0' || reason_code < INT32_MIN || reason_code > INT32_MAX) {
            status = usage();
            goto done;
        }
        sectigo_revoke_request_set_reason_code(request, (int32_t)reason_code);
    }

    result = sectigo_revoke_client_revoke(client, request, outcome);
    print_outcome(outcome);
    if (result == SECTIGO_REVOKE_RESULT_OK) {
        status = 0;
    } else if (sectigo_revoke_result_is_safe_to_retry(result)) {
        printf("nothing was revoked, so sending the request again is safe\n");
    }

done:
    sectigo_revoke_client_free(client);
    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_request_free(request);
    sectigo_revoke_client_options_free(options);
    return status;
}
