// Exercises the C++ wrapper against the endpoint simulator. tests/c_abi.rs starts the
// simulator, compiles this file as C++17, runs it and checks the key=value lines:
//
//   wrapper_test ENDPOINT CA_BUNDLE
//
// The credentials come from SECTIGO_LOGIN_NAME and SECTIGO_LOGIN_PASSWORD. A failed
// CHECK is printed to stderr and makes the exit status 1.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "sectigo_revoke.hpp"

namespace {

int passed_checks = 0;
int failed_checks = 0;

#define CHECK(condition) check((condition), #condition, __LINE__)

void check(bool passed, const char *condition, int line) {
    if (passed) {
        passed_checks++;
        return;
    }
    failed_checks++;
    std::cerr << "wrapper_test.cpp:" << line << ": check failed: " << condition << '\n';
}

std::string required_env(const char *name) {
    const char *value = std::getenv(name);
    if (value == nullptr) {
        std::cerr << "wrapper_test: set " << name << '\n';
        std::exit(2);
    }
    return value;
}

template <typename T>
std::string text(const std::optional<T> &value) {
    if (!value) {
        return "-";
    }
    if constexpr (std::is_same_v<T, std::string>) {
        return *value;
    } else {
        return std::to_string(*value);
    }
}

void print_error(const std::string &label, const sectigo_revoke::Error &error) {
    std::cout << label << ".result=" << static_cast<std::uint32_t>(error.result()) << '\n'
              << label << ".api_code=" << text(error.api_code()) << '\n'
              << label << ".message=" << text(error.message()) << '\n'
              << label << ".error_item=" << text(error.error_item()) << '\n'
              << label << ".http_status=" << text(error.http_status()) << '\n'
              << label << ".what=" << error.what() << '\n';
}

void print_outcome(const std::string &label, const sectigo_revoke::Outcome &outcome) {
    std::cout << label << ".kind=" << static_cast<std::uint32_t>(outcome.kind()) << '\n'
              << label << ".api_code=" << outcome.api_code() << '\n'
              << label << ".message=" << text(outcome.message()) << '\n'
              << label << ".http_status=" << text(outcome.http_status()) << '\n'
              << label << ".description=" << outcome.description() << '\n';
}

sectigo_revoke::ClientOptions simulator_options(const std::string &endpoint, const std::string &ca_bundle) {
    sectigo_revoke::ClientOptions options;
    options.credentials(required_env("SECTIGO_LOGIN_NAME"), required_env("SECTIGO_LOGIN_PASSWORD"))
        .endpoint(endpoint)
        .ca_bundle_path(ca_bundle)
        .no_proxy();
    return options;
}

// Runs `body`, which must throw sectigo_revoke::Error, and prints the error.
template <typename Body>
void expect_error(const std::string &label, Body body) {
    try {
        body();
        std::cout << label << ".thrown=0\n";
        CHECK(false);
    } catch (const sectigo_revoke::Error &error) {
        std::cout << label << ".thrown=1\n";
        print_error(label, error);
    }
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 3) {
        std::cerr << "usage: wrapper_test ENDPOINT CA_BUNDLE\n";
        return 2;
    }
    const std::string endpoint = argv[1];
    const std::string ca_bundle = argv[2];

    static_assert(!std::is_copy_constructible_v<sectigo_revoke::Client>);
    static_assert(!std::is_copy_assignable_v<sectigo_revoke::Request>);
    static_assert(std::is_nothrow_move_constructible_v<sectigo_revoke::ClientOptions>);

    std::cout << "version=" << sectigo_revoke::version() << '\n';
    CHECK(sectigo_revoke::version() == SECTIGO_REVOKE_VERSION);

    sectigo_revoke::ClientOptions options = simulator_options(endpoint, ca_bundle);
    sectigo_revoke::Client client(options);

    sectigo_revoke::Request request;
    request.serial_number("00:d9:b7:5b:1c:2e:0f:11:22:33:44:55:66:77:88:9a:a1")
        .reason(sectigo_revoke::Reason::superseded)
        .comment("replaced by a new key");
    sectigo_revoke::Outcome accepted = client.revoke(request);
    print_outcome("accepted", accepted);
    CHECK(accepted.kind() == sectigo_revoke::OutcomeKind::accepted);

    sectigo_revoke::Outcome again = client.revoke(request);
    print_outcome("again", again);
    CHECK(again.kind() == sectigo_revoke::OutcomeKind::already_revoked);

    std::string rendered = client.dry_run(request);
    std::cout << "dry_run.has_redacted_password=" << (rendered.find("loginPassword=********") != std::string::npos)
              << '\n';

    expect_error("issuing", [&] {
        sectigo_revoke::Request issuing;
        issuing.certificate_id(2000004);
        client.revoke(issuing);
    });
    expect_error("bad_serial", [&] {
        sectigo_revoke::Request bad;
        bad.serial_number("XYZ");
        client.revoke(bad);
    });
    expect_error("nul_in_comment", [&] {
        sectigo_revoke::Request with_nul;
        with_nul.comment(std::string("before\0after", 12));
    });
    expect_error("missing_ca", [&] {
        sectigo_revoke::ClientOptions broken = simulator_options(endpoint, ca_bundle);
        broken.ca_bundle_path("/nonexistent/ca.pem");
        sectigo_revoke::Client unused(broken);
    });

    // Moving transfers the handle: the moved-to client works, the moved-from one
    // reports a NULL handle.
    sectigo_revoke::Client moved = std::move(client);
    sectigo_revoke::Request second;
    second.certificate_id(2000002);
    print_outcome("moved", moved.revoke(second));
    expect_error("moved_from", [&] { client.revoke(second); });

    // One client shared by several threads, each revoking its own certificate.
    const std::uint64_t ids[] = {2000011, 2000012, 2000013};
    std::vector<std::thread> threads;
    std::vector<int> kinds(3, -1);
    for (std::size_t i = 0; i < 3; i++) {
        threads.emplace_back([&, i] {
            try {
                sectigo_revoke::Request own;
                own.certificate_id(ids[i]);
                kinds[i] = static_cast<int>(moved.revoke(own).kind());
            } catch (const sectigo_revoke::Error &error) {
                std::cerr << "thread " << i << ": " << error.what() << '\n';
            }
        });
    }
    for (std::thread &thread : threads) {
        thread.join();
    }
    for (std::size_t i = 0; i < 3; i++) {
        std::cout << "thread." << i << ".kind=" << kinds[i] << '\n';
        CHECK(kinds[i] == static_cast<int>(sectigo_revoke::OutcomeKind::accepted));
    }

    std::cout << "checks.passed=" << passed_checks << '\n' << "checks.failed=" << failed_checks << '\n';
    return failed_checks == 0 ? 0 : 1;
}
