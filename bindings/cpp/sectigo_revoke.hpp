// sectigo_revoke.hpp: a header-only C++17 wrapper over the C API in sectigo_revoke.h.
//
// Each handle is owned by exactly one object: the classes are move-only and free their
// handle in the destructor. Every failure is thrown as sectigo_revoke::Error, which
// carries the C result code and, when the server responded, the API's code, message and
// error item. A moved-from object holds no handle, and using it throws an Error with
// SECTIGO_REVOKE_RESULT_NULL_PARAMETER.
//
// Thread safety is that of the C handles: one Client may be used by many threads at
// once (each call makes its own outcome); ClientOptions and Request objects need
// exclusive access while they are changed.
//
//   sectigo_revoke::ClientOptions options;
//   options.credentials("api-user", password).ca_bundle_path("/etc/ssl/private-ca.pem");
//   sectigo_revoke::Client client(options);
//   sectigo_revoke::Request request;
//   request.serial_number("00:d9:b7:5b").reason(sectigo_revoke::Reason::superseded);
//   try {
//       sectigo_revoke::Outcome outcome = client.revoke(request);
//       std::cout << outcome.description() << '\n';
//   } catch (const sectigo_revoke::Error &error) {
//       std::cerr << error.what() << '\n';
//   }

#ifndef SECTIGO_REVOKE_HPP
#define SECTIGO_REVOKE_HPP

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "sectigo_revoke.h"

namespace sectigo_revoke {

// The reason codes a subscriber may request (codeReason).
enum class Reason : std::int32_t {
    unspecified = SECTIGO_REVOKE_REASON_UNSPECIFIED,
    key_compromise = SECTIGO_REVOKE_REASON_KEY_COMPROMISE,
    affiliation_changed = SECTIGO_REVOKE_REASON_AFFILIATION_CHANGED,
    superseded = SECTIGO_REVOKE_REASON_SUPERSEDED,
    cessation_of_operation = SECTIGO_REVOKE_REASON_CESSATION_OF_OPERATION,
};

// The format of the server's response (responseFormat).
enum class ResponseFormat : std::int32_t {
    text = SECTIGO_REVOKE_RESPONSE_FORMAT_TEXT,
    url_encoded = SECTIGO_REVOKE_RESPONSE_FORMAT_URL_ENCODED,
};

// The end state of a successful revocation. In every case the certificate is no longer usable.
enum class OutcomeKind : std::uint32_t {
    accepted = SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED,
    already_revoked = SECTIGO_REVOKE_OUTCOME_KIND_ALREADY_REVOKED,
    already_rejected = SECTIGO_REVOKE_OUTCOME_KIND_ALREADY_REJECTED,
    expired = SECTIGO_REVOKE_OUTCOME_KIND_EXPIRED,
};

// Returns the version of the library linked in, such as "0.1.0".
inline std::string version() { return sectigo_revoke_version(); }

// Everything a call recorded in a C outcome, copied out of it.
struct Record {
    sectigo_revoke_result result = SECTIGO_REVOKE_RESULT_NO_VALUE;
    std::optional<OutcomeKind> kind;
    std::optional<std::int32_t> api_code;
    std::optional<std::string> message;
    std::optional<std::string> error_item;
    std::optional<std::uint16_t> http_status;
    std::optional<std::chrono::milliseconds> retry_after;
    std::string description;
};

// A failed call: the C result code, a description, and what the server responded.
class Error : public std::runtime_error {
public:
    explicit Error(Record record) : std::runtime_error(record.description), record_(std::move(record)) {}

    // The C result code, such as SECTIGO_REVOKE_RESULT_API_ERROR.
    sectigo_revoke_result result() const noexcept { return record_.result; }
    // The API's numeric code, when the server responded in the API's format.
    const std::optional<std::int32_t> &api_code() const noexcept { return record_.api_code; }
    // The server's error message, when it sent one.
    const std::optional<std::string> &message() const noexcept { return record_.message; }
    // The parameter at fault: the server's errorItem, or the field that failed validation.
    const std::optional<std::string> &error_item() const noexcept { return record_.error_item; }
    // The HTTP status of the response, when one was received.
    const std::optional<std::uint16_t> &http_status() const noexcept { return record_.http_status; }
    // The pause the server asked for with Retry-After.
    const std::optional<std::chrono::milliseconds> &retry_after() const noexcept { return record_.retry_after; }
    // True when sending the same request again cannot act twice on the certificate.
    bool is_safe_to_retry() const noexcept { return sectigo_revoke_result_is_safe_to_retry(record_.result); }

private:
    Record record_;
};

// The result of a revocation that left the certificate no longer usable.
class Outcome {
public:
    explicit Outcome(Record record) : record_(std::move(record)) {}

    OutcomeKind kind() const noexcept { return record_.kind.value_or(OutcomeKind::accepted); }
    // The API code: 0, -20, -21 or -35.
    std::int32_t api_code() const noexcept { return record_.api_code.value_or(0); }
    // The server's message, when it sent one (for example with -21).
    const std::optional<std::string> &message() const noexcept { return record_.message; }
    const std::optional<std::uint16_t> &http_status() const noexcept { return record_.http_status; }
    // One line naming the certificate and how its revocation ended.
    const std::string &description() const noexcept { return record_.description; }

private:
    Record record_;
};

namespace detail {

struct OptionsDeleter {
    void operator()(sectigo_revoke_client_options *options) const noexcept {
        sectigo_revoke_client_options_free(options);
    }
};
struct RequestDeleter {
    void operator()(sectigo_revoke_request *request) const noexcept { sectigo_revoke_request_free(request); }
};
struct ClientDeleter {
    void operator()(sectigo_revoke_client *client) const noexcept { sectigo_revoke_client_free(client); }
};
struct OutcomeDeleter {
    void operator()(sectigo_revoke_outcome *outcome) const noexcept { sectigo_revoke_outcome_free(outcome); }
};
struct StringDeleter {
    void operator()(char *text) const noexcept { sectigo_revoke_string_free(text); }
};

using OutcomePtr = std::unique_ptr<sectigo_revoke_outcome, OutcomeDeleter>;

// Throws for a call that failed before any outcome could record it (NULL handle,
// invalid UTF-8, panic).
inline void check(sectigo_revoke_result result, const char *function) {
    if (result == SECTIGO_REVOKE_RESULT_OK) {
        return;
    }
    Record record;
    record.result = result;
    record.description = std::string(function) + ": " + sectigo_revoke_result_text(result);
    throw Error(std::move(record));
}

// Returns the text for a C string argument, rejecting a NUL byte that C would take as
// the end of the string.
inline const char *c_text(const std::string &text, const char *field) {
    if (text.find('\0') != std::string::npos) {
        Record record;
        record.result = SECTIGO_REVOKE_RESULT_INVALID_REQUEST;
        record.error_item = field;
        record.description = std::string("invalid ") + field + ": contains a NUL byte; remove it";
        throw Error(std::move(record));
    }
    return text.c_str();
}

inline OutcomePtr new_outcome() {
    sectigo_revoke_outcome *outcome = nullptr;
    check(sectigo_revoke_outcome_new(&outcome), "sectigo_revoke_outcome_new");
    return OutcomePtr(outcome);
}

using TextGetter = sectigo_revoke_result (*)(const sectigo_revoke_outcome *, const char **);

// Copies one of the outcome's strings, or returns nullopt when it has none.
inline std::optional<std::string> text_of(const sectigo_revoke_outcome *outcome, TextGetter get) {
    const char *text = nullptr;
    if (get(outcome, &text) != SECTIGO_REVOKE_RESULT_OK) {
        return std::nullopt;
    }
    return std::string(text);
}

// Copies everything the last call recorded in `outcome`.
inline Record read(const sectigo_revoke_outcome *outcome) {
    Record record;
    sectigo_revoke_outcome_get_result(outcome, &record.result);

    sectigo_revoke_outcome_kind kind = SECTIGO_REVOKE_OUTCOME_KIND_ACCEPTED;
    if (sectigo_revoke_outcome_get_kind(outcome, &kind) == SECTIGO_REVOKE_RESULT_OK) {
        record.kind = static_cast<OutcomeKind>(kind);
    }
    std::int32_t api_code = 0;
    if (sectigo_revoke_outcome_get_api_code(outcome, &api_code) == SECTIGO_REVOKE_RESULT_OK) {
        record.api_code = api_code;
    }
    std::uint16_t http_status = 0;
    if (sectigo_revoke_outcome_get_http_status(outcome, &http_status) == SECTIGO_REVOKE_RESULT_OK) {
        record.http_status = http_status;
    }
    std::uint64_t retry_after_ms = 0;
    if (sectigo_revoke_outcome_get_retry_after_ms(outcome, &retry_after_ms) == SECTIGO_REVOKE_RESULT_OK) {
        record.retry_after = std::chrono::milliseconds(retry_after_ms);
    }

    record.message = text_of(outcome, sectigo_revoke_outcome_get_message);
    record.error_item = text_of(outcome, sectigo_revoke_outcome_get_error_item);
    record.description = text_of(outcome, sectigo_revoke_outcome_get_description).value_or("");
    return record;
}

}  // namespace detail

// The settings a Client is built from. Only the credentials have no default.
class ClientOptions {
public:
    ClientOptions() {
        sectigo_revoke_client_options *options = nullptr;
        detail::check(sectigo_revoke_client_options_new(&options), "sectigo_revoke_client_options_new");
        handle_.reset(options);
    }
    ClientOptions(const ClientOptions &) = delete;
    ClientOptions &operator=(const ClientOptions &) = delete;
    ClientOptions(ClientOptions &&) noexcept = default;
    ClientOptions &operator=(ClientOptions &&) noexcept = default;

    // Sets loginName and loginPassword. The library copies both.
    ClientOptions &credentials(const std::string &login_name, const std::string &password) {
        const char *login_name_text = detail::c_text(login_name, "loginName");
        const char *password_text = detail::c_text(password, "loginPassword");
        detail::check(sectigo_revoke_client_options_set_credentials(handle_.get(), login_name_text, password_text),
                      "sectigo_revoke_client_options_set_credentials");
        return *this;
    }
    // Sets the https:// endpoint URL.
    ClientOptions &endpoint(const std::string &url) {
        detail::check(sectigo_revoke_client_options_set_endpoint(handle_.get(), detail::c_text(url, "endpoint")),
                      "sectigo_revoke_client_options_set_endpoint");
        return *this;
    }
    // Trusts only the CA certificates in this PEM file.
    ClientOptions &ca_bundle_path(const std::string &path) {
        const char *path_text = detail::c_text(path, "CA bundle");
        detail::check(sectigo_revoke_client_options_set_ca_bundle_path(handle_.get(), path_text),
                      "sectigo_revoke_client_options_set_ca_bundle_path");
        return *this;
    }
    // Trusts the operating system's certificate store.
    ClientOptions &system_roots() {
        detail::check(sectigo_revoke_client_options_set_system_roots(handle_.get()),
                      "sectigo_revoke_client_options_set_system_roots");
        return *this;
    }
    // Connects through this proxy URL.
    ClientOptions &proxy(const std::string &url) {
        detail::check(sectigo_revoke_client_options_set_proxy(handle_.get(), detail::c_text(url, "proxy")),
                      "sectigo_revoke_client_options_set_proxy");
        return *this;
    }
    // Connects directly, ignoring the environment's proxy variables.
    ClientOptions &no_proxy() {
        detail::check(sectigo_revoke_client_options_set_no_proxy(handle_.get()),
                      "sectigo_revoke_client_options_set_no_proxy");
        return *this;
    }
    // Sets the limit for resolving, connecting and the TLS handshake.
    ClientOptions &connect_timeout(std::chrono::milliseconds limit) {
        detail::check(sectigo_revoke_client_options_set_connect_timeout_ms(handle_.get(), to_ms(limit)),
                      "sectigo_revoke_client_options_set_connect_timeout_ms");
        return *this;
    }
    // Sets the limit for one whole request.
    ClientOptions &timeout(std::chrono::milliseconds limit) {
        detail::check(sectigo_revoke_client_options_set_timeout_ms(handle_.get(), to_ms(limit)),
                      "sectigo_revoke_client_options_set_timeout_ms");
        return *this;
    }
    // Sets how often a request that never reached the server or was rate-limited is sent.
    ClientOptions &retries(std::uint32_t max_attempts, std::chrono::milliseconds initial_delay,
                           std::chrono::milliseconds max_delay, bool retry_unknown_outcome = false) {
        detail::check(sectigo_revoke_client_options_set_retries(handle_.get(), max_attempts, to_ms(initial_delay),
                                                                to_ms(max_delay), retry_unknown_outcome),
                      "sectigo_revoke_client_options_set_retries");
        return *this;
    }

    // The C handle, still owned by this object. NULL after a move.
    const sectigo_revoke_client_options *get() const noexcept { return handle_.get(); }

private:
    static std::uint64_t to_ms(std::chrono::milliseconds limit) {
        return limit.count() < 0 ? 0 : static_cast<std::uint64_t>(limit.count());
    }

    std::unique_ptr<sectigo_revoke_client_options, detail::OptionsDeleter> handle_;
};

// The parameters of one revocation. Set exactly one identifier.
class Request {
public:
    Request() {
        sectigo_revoke_request *request = nullptr;
        detail::check(sectigo_revoke_request_new(&request), "sectigo_revoke_request_new");
        handle_.reset(request);
    }
    Request(const Request &) = delete;
    Request &operator=(const Request &) = delete;
    Request(Request &&) noexcept = default;
    Request &operator=(Request &&) noexcept = default;

    Request &order_number(std::uint64_t order_number) {
        detail::check(sectigo_revoke_request_set_order_number(handle_.get(), order_number),
                      "sectigo_revoke_request_set_order_number");
        return *this;
    }
    Request &certificate_id(std::uint64_t certificate_id) {
        detail::check(sectigo_revoke_request_set_certificate_id(handle_.get(), certificate_id),
                      "sectigo_revoke_request_set_certificate_id");
        return *this;
    }
    // Accepts the spellings openssl prints: "00:d9:b7:...", "serial=00D9B7...", "0x...".
    Request &serial_number(const std::string &serial_number) {
        detail::check(
            sectigo_revoke_request_set_serial_number(handle_.get(), detail::c_text(serial_number, "serialNumber")),
            "sectigo_revoke_request_set_serial_number");
        return *this;
    }
    Request &reason(Reason reason) { return reason_code(static_cast<std::int32_t>(reason)); }
    // Sets codeReason from a number. Codes other than 0, 1, 3, 4 and 5 fail when sent.
    Request &reason_code(std::int32_t code) {
        detail::check(sectigo_revoke_request_set_reason_code(handle_.get(), code),
                      "sectigo_revoke_request_set_reason_code");
        return *this;
    }
    Request &comment(const std::string &comment) {
        detail::check(sectigo_revoke_request_set_comment(handle_.get(), detail::c_text(comment, "revocationReason")),
                      "sectigo_revoke_request_set_comment");
        return *this;
    }
    Request &account_id(std::uint64_t account_id) {
        detail::check(sectigo_revoke_request_set_account_id(handle_.get(), account_id),
                      "sectigo_revoke_request_set_account_id");
        return *this;
    }
    Request &product_code(const std::string &product_code) {
        detail::check(
            sectigo_revoke_request_set_product_code(handle_.get(), detail::c_text(product_code, "productCode")),
            "sectigo_revoke_request_set_product_code");
        return *this;
    }
    Request &product(std::uint64_t product) {
        detail::check(sectigo_revoke_request_set_product(handle_.get(), product), "sectigo_revoke_request_set_product");
        return *this;
    }
    Request &test_mode(bool test_mode) {
        detail::check(sectigo_revoke_request_set_test_mode(handle_.get(), test_mode),
                      "sectigo_revoke_request_set_test_mode");
        return *this;
    }
    Request &include_in_crl(bool include_in_crl) {
        detail::check(sectigo_revoke_request_set_include_in_crl(handle_.get(), include_in_crl),
                      "sectigo_revoke_request_set_include_in_crl");
        return *this;
    }
    Request &response_format(ResponseFormat format) {
        detail::check(sectigo_revoke_request_set_response_format(handle_.get(), static_cast<std::int32_t>(format)),
                      "sectigo_revoke_request_set_response_format");
        return *this;
    }

    // The C handle, still owned by this object. NULL after a move.
    const sectigo_revoke_request *get() const noexcept { return handle_.get(); }

private:
    std::unique_ptr<sectigo_revoke_request, detail::RequestDeleter> handle_;
};

// Sends revocations. Safe to share between threads.
class Client {
public:
    // Validates the options and builds the client. Throws Error naming the field at fault.
    explicit Client(const ClientOptions &options) {
        detail::OutcomePtr outcome = detail::new_outcome();
        sectigo_revoke_client *client = nullptr;
        sectigo_revoke_result result = sectigo_revoke_client_new(options.get(), outcome.get(), &client);
        throw_unless_ok(result, outcome.get(), "sectigo_revoke_client_new");
        handle_.reset(client);
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;
    Client(Client &&) noexcept = default;
    Client &operator=(Client &&) noexcept = default;

    // Sends the request. Returns the outcome when the certificate is no longer usable,
    // and throws Error for every other result.
    Outcome revoke(const Request &request) const {
        detail::OutcomePtr outcome = detail::new_outcome();
        sectigo_revoke_result result = sectigo_revoke_client_revoke(handle_.get(), request.get(), outcome.get());
        throw_unless_ok(result, outcome.get(), "sectigo_revoke_client_revoke");
        return Outcome(detail::read(outcome.get()));
    }

    // Returns the exact HTTP request revoke() would send, password redacted. Sends nothing.
    std::string dry_run(const Request &request) const {
        detail::OutcomePtr outcome = detail::new_outcome();
        char *text = nullptr;
        sectigo_revoke_result result =
            sectigo_revoke_client_dry_run(handle_.get(), request.get(), outcome.get(), &text);
        throw_unless_ok(result, outcome.get(), "sectigo_revoke_client_dry_run");
        std::unique_ptr<char, detail::StringDeleter> owned(text);
        return std::string(owned.get());
    }

    // The C handle, still owned by this object. NULL after a move.
    const sectigo_revoke_client *get() const noexcept { return handle_.get(); }

private:
    static void throw_unless_ok(sectigo_revoke_result result, const sectigo_revoke_outcome *outcome,
                                const char *function) {
        if (result == SECTIGO_REVOKE_RESULT_OK) {
            return;
        }
        // A NULL handle leaves the outcome unrecorded, so its description is empty.
        Record record = detail::read(outcome);
        if (record.result != result) {
            detail::check(result, function);
        }
        throw Error(std::move(record));
    }

    std::unique_ptr<sectigo_revoke_client, detail::ClientDeleter> handle_;
};

}  // namespace sectigo_revoke

#endif  // SECTIGO_REVOKE_HPP
