/*
 * Exercises the C batch API against the endpoint simulator. The Rust harness in
 * tests/c_abi.rs starts the simulator, writes the input files, compiles this file,
 * runs one scenario per process and checks the key=value lines it prints against the
 * simulator's request log:
 *
 *   batch_test ENDPOINT CA_BUNDLE SCENARIO WORK_DIR [ARGUMENTS...]
 *
 * Scenarios: "all" and "cancel-resume CANCEL_AT" revoke WORK_DIR/incident.csv; "errors"
 * and "null" write their own small files into WORK_DIR. The credentials come from
 * SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD. A failed CHECK is printed to stderr
 * and makes the exit status 1. Every handle is freed, so that valgrind can report any
 * leak.
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

static int passed_checks = 0;
static int failed_checks = 0;
static const char *endpoint = NULL;
static const char *ca_bundle = NULL;
static const char *work_dir = NULL;

#define CHECK(condition) check((condition), #condition, __LINE__)

static void check(bool passed, const char *condition, int line) {
    if (passed) {
        passed_checks++;
        return;
    }
    failed_checks++;
    fprintf(stderr, "batch_test.c:%d: check failed: %s\n", line, condition);
}

static const char *required_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL) {
        fprintf(stderr, "batch_test: set %s\n", name);
        exit(2);
    }
    return value;
}

/* Returns WORK_DIR/name in a buffer the caller frees. */
static char *work_path(const char *name) {
    size_t length = strlen(work_dir) + 1 + strlen(name) + 1;
    char *path = malloc(length);
    if (path == NULL) {
        fputs("batch_test: out of memory\n", stderr);
        exit(2);
    }
    snprintf(path, length, "%s/%s", work_dir, name);
    return path;
}

/* Writes text to WORK_DIR/name, or appends it, and returns the path (freed by the caller). */
static char *write_work_file(const char *name, const char *text, const char *mode) {
    char *path = work_path(name);
    FILE *file = fopen(path, mode);
    if (file == NULL || fputs(text, file) < 0 || fclose(file) != 0) {
        fprintf(stderr, "batch_test: cannot write %s\n", path);
        exit(2);
    }
    return path;
}

static sectigo_revoke_outcome *new_outcome(void) {
    sectigo_revoke_outcome *outcome = NULL;
    CHECK(sectigo_revoke_outcome_new(&outcome) == OK);
    return outcome;
}

static sectigo_revoke_batch_options *new_batch_options(void) {
    sectigo_revoke_batch_options *options = NULL;
    CHECK(sectigo_revoke_batch_options_new(&options) == OK);
    return options;
}

/* A client for the simulator with this password: its endpoint, its CA, no proxy. Exits
 * when it cannot be built. */
static sectigo_revoke_client *simulator_client_with_password(const char *password) {
    sectigo_revoke_client_options *options = NULL;
    CHECK(sectigo_revoke_client_options_new(&options) == OK);
    CHECK(sectigo_revoke_client_options_set_credentials(options, required_env("SECTIGO_LOGIN_NAME"), password) ==
          OK);
    CHECK(sectigo_revoke_client_options_set_no_proxy(options) == OK);
    CHECK(sectigo_revoke_client_options_set_endpoint(options, endpoint) == OK);
    CHECK(sectigo_revoke_client_options_set_ca_bundle_path(options, ca_bundle) == OK);

    sectigo_revoke_outcome *outcome = new_outcome();
    sectigo_revoke_client *client = NULL;
    if (sectigo_revoke_client_new(options, outcome, &client) != OK) {
        fprintf(stderr, "batch_test: cannot build the client\n");
        exit(2);
    }
    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_client_options_free(options);
    return client;
}

static sectigo_revoke_client *simulator_client(void) {
    return simulator_client_with_password(required_env("SECTIGO_LOGIN_PASSWORD"));
}

/* What the progress callback saw. The calls never overlap, so no lock is needed, and
 * the calling thread reads the fields only after the batch function has returned. */
typedef struct {
    pthread_t caller;
    uint64_t cancel_at; /* 0: never cancel */
    uint64_t calls;
    uint64_t last_done;
    uint64_t total;
    uint64_t last_accepted;
    bool in_order;
    bool on_caller_thread;
} progress_state;

static progress_state new_progress_state(uint64_t cancel_at) {
    progress_state state = {pthread_self(), cancel_at, 0, 0, 0, 0, true, false};
    return state;
}

static int record_progress(const sectigo_revoke_batch_progress *progress, void *user_data) {
    progress_state *state = user_data;
    state->calls++;
    if (progress->done != state->calls) {
        state->in_order = false;
    }
    if (pthread_equal(pthread_self(), state->caller)) {
        state->on_caller_thread = true;
    }
    state->last_done = progress->done;
    state->total = progress->total;
    state->last_accepted = progress->counts.accepted;
    return state->cancel_at != 0 && progress->done >= state->cancel_at;
}

static void print_text(const char *label, const char *key, const char *text) {
    printf("%s.%s=", label, key);
    fputs(text == NULL ? "-" : text, stdout);
    putchar('\n');
}

/* Prints the outcome's result, error item and description; '-' marks no value. */
static void print_outcome(const char *label, const sectigo_revoke_outcome *outcome) {
    sectigo_revoke_result result = OK;
    const char *text = NULL;
    if (sectigo_revoke_outcome_get_result(outcome, &result) == OK) {
        printf("%s.result=%" PRIu32 "\n", label, (uint32_t)result);
    } else {
        printf("%s.result=-\n", label);
    }
    text = NULL;
    sectigo_revoke_outcome_get_error_item(outcome, &text);
    print_text(label, "error_item", text);
    text = NULL;
    sectigo_revoke_outcome_get_description(outcome, &text);
    print_text(label, "description", text);
}

/* Prints every value the summary offers as label.key=value lines. */
static void print_summary(const char *label, const sectigo_revoke_batch_summary *summary) {
    sectigo_revoke_batch_counts counts;
    sectigo_revoke_batch_status status = SECTIGO_REVOKE_BATCH_STATUS_INCOMPLETE;
    uint64_t requests = 0;
    uint64_t elapsed_ms = 0;
    bool cancelled = false;
    bool resumed = false;
    const char *stopped = NULL;

    CHECK(sectigo_revoke_batch_summary_get_counts(summary, &counts) == OK);
    CHECK(sectigo_revoke_batch_summary_get_status(summary, &status) == OK);
    CHECK(sectigo_revoke_batch_summary_get_requests(summary, &requests) == OK);
    CHECK(sectigo_revoke_batch_summary_get_elapsed_ms(summary, &elapsed_ms) == OK);
    CHECK(sectigo_revoke_batch_summary_get_cancelled(summary, &cancelled) == OK);
    CHECK(sectigo_revoke_batch_summary_get_resumed(summary, &resumed) == OK);
    sectigo_revoke_result stopped_result = sectigo_revoke_batch_summary_get_stopped_reason(summary, &stopped);
    CHECK(stopped_result == OK || stopped_result == NO_VALUE);

    printf("%s.status=%" PRIu32 "\n", label, (uint32_t)status);
    printf("%s.requests=%" PRIu64 "\n", label, requests);
    printf("%s.elapsed_ms=%" PRIu64 "\n", label, elapsed_ms);
    printf("%s.cancelled=%d\n", label, cancelled ? 1 : 0);
    printf("%s.resumed=%d\n", label, resumed ? 1 : 0);
    print_text(label, "stopped", stopped_result == OK ? stopped : NULL);
    printf("%s.rows=%" PRIu64 "\n", label, counts.rows);
    printf("%s.planned=%" PRIu64 "\n", label, counts.planned);
    printf("%s.sending=%" PRIu64 "\n", label, counts.sending);
    printf("%s.retryable=%" PRIu64 "\n", label, counts.retryable);
    printf("%s.unknown=%" PRIu64 "\n", label, counts.unknown);
    printf("%s.accepted=%" PRIu64 "\n", label, counts.accepted);
    printf("%s.already_revoked=%" PRIu64 "\n", label, counts.already_revoked);
    printf("%s.already_rejected=%" PRIu64 "\n", label, counts.already_rejected);
    printf("%s.expired=%" PRIu64 "\n", label, counts.expired);
    printf("%s.failed=%" PRIu64 "\n", label, counts.failed);
    printf("%s.invalid=%" PRIu64 "\n", label, counts.invalid);
    printf("%s.duplicate=%" PRIu64 "\n", label, counts.duplicate);
}

static void print_progress(const char *label, const progress_state *state) {
    printf("%s.progress.calls=%" PRIu64 "\n", label, state->calls);
    printf("%s.progress.last_done=%" PRIu64 "\n", label, state->last_done);
    printf("%s.progress.total=%" PRIu64 "\n", label, state->total);
    printf("%s.progress.last_accepted=%" PRIu64 "\n", label, state->last_accepted);
    printf("%s.progress.in_order=%d\n", label, state->in_order ? 1 : 0);
    printf("%s.progress.on_caller_thread=%d\n", label, state->on_caller_thread ? 1 : 0);
}

/* Runs a batch with a progress callback and prints the result, the outcome, the
 * progress seen and, on success, the summary. The summary is returned for the caller
 * to free, or NULL. */
static sectigo_revoke_batch_summary *run_batch(const char *label, const sectigo_revoke_client *client,
                                               const char *input, const char *journal,
                                               const sectigo_revoke_batch_options *options, progress_state *state) {
    static long long sentinel_storage;
    void *const sentinel = &sentinel_storage;
    sectigo_revoke_outcome *outcome = new_outcome();
    sectigo_revoke_batch_summary *summary = sentinel;

    sectigo_revoke_result result =
        sectigo_revoke_client_revoke_file(client, input, journal, options, record_progress, state, outcome, &summary);
    printf("%s.returned=%" PRIu32 "\n", label, (uint32_t)result);
    print_outcome(label, outcome);
    print_progress(label, state);
    sectigo_revoke_outcome_free(outcome);
    if (result != OK) {
        printf("%s.summary_untouched=%d\n", label, summary == sentinel ? 1 : 0);
        return NULL;
    }
    print_summary(label, summary);
    return summary;
}

/* Writes the report and prints what the call returned. */
static sectigo_revoke_result write_report(const char *label, const sectigo_revoke_batch_summary *summary,
                                          const char *path) {
    sectigo_revoke_outcome *outcome = new_outcome();
    sectigo_revoke_result result = sectigo_revoke_batch_summary_write_report(summary, path, outcome);
    printf("%s.returned=%" PRIu32 "\n", label, (uint32_t)result);
    print_outcome(label, outcome);
    sectigo_revoke_outcome_free(outcome);
    return result;
}

static void scenario_all(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_batch_options *options = new_batch_options();
    CHECK(sectigo_revoke_batch_options_set_concurrency(options, 4) == OK);
    CHECK(sectigo_revoke_batch_options_set_reason_code(options, SECTIGO_REVOKE_REASON_SUPERSEDED) == OK);
    CHECK(sectigo_revoke_batch_options_set_comment(options, "incident 42") == OK);
    char *input = work_path("incident.csv");
    char *journal = work_path("incident.journal");
    char *csv_report = work_path("report.csv");
    char *json_report = work_path("report.jsonl");
    progress_state state = new_progress_state(0);

    sectigo_revoke_batch_summary *summary = run_batch("all", client, input, journal, options, &state);
    CHECK(summary != NULL);
    if (summary != NULL) {
        CHECK(write_report("csv_report", summary, csv_report) == OK);
        CHECK(write_report("json_report", summary, json_report) == OK);
        sectigo_revoke_batch_summary_free(summary);
    }

    free(json_report);
    free(csv_report);
    free(journal);
    free(input);
    sectigo_revoke_batch_options_free(options);
    sectigo_revoke_client_free(client);
}

static void scenario_cancel_resume(uint64_t cancel_at) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_batch_options *options = new_batch_options();
    char *input = work_path("incident.csv");
    char *journal = work_path("incident.journal");

    progress_state first_state = new_progress_state(cancel_at);
    sectigo_revoke_batch_summary *first = run_batch("first", client, input, journal, options, &first_state);
    CHECK(first != NULL);

    /* The first summary still keeps the journal open and locked. */
    progress_state busy_state = new_progress_state(0);
    sectigo_revoke_batch_summary *busy = run_batch("in_use", client, input, journal, options, &busy_state);
    CHECK(busy == NULL);
    sectigo_revoke_batch_summary_free(first);

    progress_state second_state = new_progress_state(0);
    sectigo_revoke_batch_summary *second = run_batch("second", client, input, journal, options, &second_state);
    CHECK(second != NULL);
    sectigo_revoke_batch_summary_free(second);

    free(journal);
    free(input);
    sectigo_revoke_batch_options_free(options);
    sectigo_revoke_client_free(client);
}

/* Runs a batch that is expected to fail, and frees a summary if one came back anyway. */
static void run_failing(const char *label, const sectigo_revoke_client *client, const char *input,
                        const char *journal, const sectigo_revoke_batch_options *options) {
    progress_state state = new_progress_state(0);
    sectigo_revoke_batch_summary *summary = run_batch(label, client, input, journal, options, &state);
    CHECK(summary == NULL);
    sectigo_revoke_batch_summary_free(summary);
}

static void scenario_errors(void) {
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_batch_options *options = new_batch_options();
    char *journal = work_path("errors.journal");

    char *missing = work_path("missing.csv");
    run_failing("missing_input", client, missing, journal, options);
    char *typo = write_work_file("typo.csv", "serial,reason\n01,4\n", "w");
    run_failing("unknown_column", client, typo, journal, options);
    char *no_extension = write_work_file("rows.txt", "certificate_id\n7000001\n", "w");
    run_failing("no_extension", client, no_extension, journal, options);
    /* A folder cannot be opened as a SQLite journal. */
    char *small = write_work_file("small.csv", "certificate_id\n7000001\n7000002\n", "w");
    run_failing("journal_is_folder", client, small, work_dir, options);

    /* Options the core rejects: nothing is sent. */
    sectigo_revoke_batch_options *bad = new_batch_options();
    CHECK(sectigo_revoke_batch_options_set_concurrency(bad, 0) == OK);
    char *bad_journal = work_path("bad-concurrency.journal");
    run_failing("zero_concurrency", client, small, bad_journal, bad);
    free(bad_journal);
    CHECK(sectigo_revoke_batch_options_set_concurrency(bad, 257) == OK);
    bad_journal = work_path("big-concurrency.journal");
    run_failing("big_concurrency", client, small, bad_journal, bad);
    free(bad_journal);
    CHECK(sectigo_revoke_batch_options_set_concurrency(bad, 2) == OK);
    CHECK(sectigo_revoke_batch_options_set_rate(bad, -1.0) == OK);
    bad_journal = work_path("bad-rate.journal");
    run_failing("negative_rate", client, small, bad_journal, bad);
    free(bad_journal);
    CHECK(sectigo_revoke_batch_options_set_rate(bad, 0.0) == OK);
    CHECK(sectigo_revoke_batch_options_set_reason_code(bad, 6) == OK);
    bad_journal = work_path("bad-reason.journal");
    run_failing("forbidden_reason", client, small, bad_journal, bad);
    free(bad_journal);
    sectigo_revoke_batch_options_free(bad);

    /* A complete run, then resumes that differ from it. */
    progress_state state = new_progress_state(0);
    sectigo_revoke_batch_summary *done = run_batch("small", client, small, journal, options, &state);
    CHECK(done != NULL);
    if (done != NULL) {
        char *text_report = work_path("report.txt");
        CHECK(write_report("report_no_extension", done, text_report) == SECTIGO_REVOKE_RESULT_BATCH_REPORT);
        free(text_report);
        char *unwritable = work_path("missing-folder/report.csv");
        CHECK(write_report("report_missing_folder", done, unwritable) == SECTIGO_REVOKE_RESULT_BATCH_REPORT);
        free(unwritable);
        sectigo_revoke_batch_summary_free(done);
    }
    sectigo_revoke_batch_options *test_mode = new_batch_options();
    CHECK(sectigo_revoke_batch_options_set_test_mode(test_mode, true) == OK);
    run_failing("changed_test_mode", client, small, journal, test_mode);
    sectigo_revoke_batch_options_free(test_mode);
    free(write_work_file("small.csv", "7000003\n", "a"));
    run_failing("changed_input", client, small, journal, options);

    /* A rejected login stops the run: the call succeeds, and the summary gives the reason. */
    sectigo_revoke_client *wrong_login = simulator_client_with_password("wrong-password");
    char *login_input = write_work_file("login.csv", "certificate_id\n7300001\n7300002\n7300003\n", "w");
    char *login_journal = work_path("login.journal");
    progress_state login_state = new_progress_state(0);
    sectigo_revoke_batch_summary *stopped =
        run_batch("wrong_login", wrong_login, login_input, login_journal, options, &login_state);
    CHECK(stopped != NULL);
    sectigo_revoke_batch_summary_free(stopped);
    free(login_journal);
    free(login_input);
    sectigo_revoke_client_free(wrong_login);

    /* A dry run plans into a temporary journal and needs no journal path. */
    sectigo_revoke_batch_options *dry = new_batch_options();
    CHECK(sectigo_revoke_batch_options_set_dry_run(dry, true) == OK);
    CHECK(sectigo_revoke_batch_options_set_reason_code(dry, SECTIGO_REVOKE_REASON_KEY_COMPROMISE) == OK);
    char *plan = write_work_file("plan.jsonl",
                                 "{\"certificate_id\": 7100001}\n"
                                 "{\"certificate_id\": \"7100001\"}\n"
                                 "{\"serial_number\": \"XYZ\"}\n"
                                 "{\"order_number\": 7100002, \"reason\": \"superseded\"}\n",
                                 "w");
    progress_state dry_state = new_progress_state(0);
    sectigo_revoke_batch_summary *planned = run_batch("dry_run", client, plan, NULL, dry, &dry_state);
    CHECK(planned != NULL);
    if (planned != NULL) {
        char *dry_report = work_path("dry-report.jsonl");
        CHECK(write_report("dry_report", planned, dry_report) == OK);
        free(dry_report);
        sectigo_revoke_batch_summary_free(planned);
    }
    sectigo_revoke_batch_options_free(dry);

    free(plan);
    free(small);
    free(no_extension);
    free(typo);
    free(missing);
    free(journal);
    sectigo_revoke_batch_options_free(options);
    sectigo_revoke_client_free(client);
}

static void scenario_null(void) {
    static long long sentinel_storage;
    void *const sentinel = &sentinel_storage;
    /* 0xC3 opens a two-byte sequence that '(' cannot continue. */
    const char *const invalid = "\xC3(.csv";
    sectigo_revoke_client *client = simulator_client();
    sectigo_revoke_batch_options *options = new_batch_options();
    sectigo_revoke_outcome *outcome = new_outcome();
    char *input = write_work_file("null.csv", "certificate_id\n7200001\n", "w");
    char *journal = work_path("null.journal");
    sectigo_revoke_batch_summary *summary = sentinel;

    CHECK(sectigo_revoke_batch_options_new(NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_concurrency(NULL, 2) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_rate(NULL, 5.0) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_retry_unknown(NULL, true) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_dry_run(NULL, true) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_reason_code(NULL, 4) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_comment(NULL, "text") == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_comment(options, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_options_set_comment(options, "\xFF") == INVALID_UTF8);
    CHECK(sectigo_revoke_batch_options_set_test_mode(NULL, true) == NULL_PARAMETER);

    CHECK(sectigo_revoke_client_revoke_file(NULL, input, journal, options, NULL, NULL, outcome, &summary) ==
          NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke_file(client, NULL, journal, options, NULL, NULL, outcome, &summary) ==
          NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke_file(client, input, NULL, options, NULL, NULL, outcome, &summary) ==
          NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke_file(client, input, journal, NULL, NULL, NULL, outcome, &summary) ==
          NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke_file(client, input, journal, options, NULL, NULL, NULL, &summary) ==
          NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke_file(client, input, journal, options, NULL, NULL, outcome, NULL) ==
          NULL_PARAMETER);
    CHECK(sectigo_revoke_client_revoke_file(client, invalid, journal, options, NULL, NULL, outcome, &summary) ==
          INVALID_UTF8);
    CHECK(sectigo_revoke_client_revoke_file(client, input, invalid, options, NULL, NULL, outcome, &summary) ==
          INVALID_UTF8);
    CHECK(summary == sentinel);

    /* The rejected calls recorded nothing in the outcome and created no journal. */
    sectigo_revoke_result result = OK;
    CHECK(sectigo_revoke_outcome_get_result(outcome, &result) == NO_VALUE);
    FILE *created = fopen(journal, "r");
    CHECK(created == NULL);
    if (created != NULL) {
        fclose(created);
    }

    /* Without a progress callback, and with the options left unchanged, the batch runs. */
    CHECK(sectigo_revoke_client_revoke_file(client, input, journal, options, NULL, NULL, outcome, &summary) == OK);
    CHECK(summary != sentinel);
    CHECK(summary != NULL);
    print_summary("no_callback", summary);

    sectigo_revoke_batch_counts counts;
    sectigo_revoke_batch_status status = SECTIGO_REVOKE_BATCH_STATUS_INCOMPLETE;
    uint64_t number = 0;
    bool flag = false;
    const char *text = NULL;
    CHECK(sectigo_revoke_batch_summary_get_counts(NULL, &counts) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_counts(summary, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_status(NULL, &status) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_status(summary, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_requests(NULL, &number) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_requests(summary, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_elapsed_ms(NULL, &number) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_elapsed_ms(summary, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_cancelled(NULL, &flag) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_cancelled(summary, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_resumed(NULL, &flag) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_resumed(summary, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_stopped_reason(NULL, &text) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_stopped_reason(summary, NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_get_stopped_reason(summary, &text) == NO_VALUE);
    CHECK(text == NULL);
    CHECK(sectigo_revoke_batch_summary_write_report(NULL, "r.csv", outcome) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_write_report(summary, NULL, outcome) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_write_report(summary, "r.csv", NULL) == NULL_PARAMETER);
    CHECK(sectigo_revoke_batch_summary_write_report(summary, invalid, outcome) == INVALID_UTF8);

    sectigo_revoke_batch_summary_free(summary);
    sectigo_revoke_batch_summary_free(NULL);
    sectigo_revoke_batch_options_free(NULL);

    free(journal);
    free(input);
    sectigo_revoke_outcome_free(outcome);
    sectigo_revoke_batch_options_free(options);
    sectigo_revoke_client_free(client);
}

#define PRINT_CONSTANT(name) printf("constant.%s=%lld\n", #name, (long long)(name))

static void scenario_constants(void) {
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_BATCH_INPUT);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_BATCH_JOURNAL);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_IN_USE);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_BATCH_JOURNAL_MISMATCH);
    PRINT_CONSTANT(SECTIGO_REVOKE_RESULT_BATCH_REPORT);
    PRINT_CONSTANT(SECTIGO_REVOKE_BATCH_STATUS_SUCCEEDED);
    PRINT_CONSTANT(SECTIGO_REVOKE_BATCH_STATUS_FINISHED_WITH_FAILURES);
    PRINT_CONSTANT(SECTIGO_REVOKE_BATCH_STATUS_INCOMPLETE);
    CHECK(sizeof(sectigo_revoke_batch_status) == 4);
    CHECK(sizeof(sectigo_revoke_batch_counts) == 12 * sizeof(uint64_t));
    CHECK(sizeof(sectigo_revoke_batch_progress) == 5 * 8 + sizeof(sectigo_revoke_batch_counts));
    for (uint32_t code = 400; code <= 405; code++) {
        printf("text.%" PRIu32 "=%s\n", code, sectigo_revoke_result_text(code));
    }
}

static int usage(void) {
    fputs("usage: batch_test ENDPOINT CA_BUNDLE SCENARIO WORK_DIR [ARGUMENTS...]\n"
          "scenarios: all, cancel-resume CANCEL_AT, errors, null, constants\n",
          stderr);
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        return usage();
    }
    endpoint = argv[1];
    ca_bundle = argv[2];
    const char *scenario = argv[3];
    work_dir = argv[4];

    if (strcmp(scenario, "all") == 0) {
        scenario_all();
    } else if (strcmp(scenario, "cancel-resume") == 0 && argc == 6) {
        scenario_cancel_resume(strtoull(argv[5], NULL, 10));
    } else if (strcmp(scenario, "errors") == 0) {
        scenario_errors();
    } else if (strcmp(scenario, "null") == 0) {
        scenario_null();
    } else if (strcmp(scenario, "constants") == 0) {
        scenario_constants();
    } else {
        return usage();
    }

    printf("checks.passed=%d\n", passed_checks);
    printf("checks.failed=%d\n", failed_checks);
    return failed_checks == 0 ? 0 : 1;
}
