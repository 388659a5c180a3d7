// Error handling: what a failed call tells you, and the two ways to receive it.
//
//   * co_await with no token: the value, or a thrown mistasync::error (a system_error
//     whose code is a mistasync::errc and whose details() are the diagnostics);
//   * any other token (as_tuple here): the error_code next to the value; wrap the token
//     in with_diagnostics(d, token) to get this call's diagnostics in `d` as well
//     (with_diagnostics(token) alone turns any token's failure into a mistasync::error).
//
// Runs against the embedded simulator (or MIST_URL): a wrong password, a name that
// matches nothing, an id the server does not know, a cloud whose provider is down.
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace std::chrono_literals;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

void show(const char* what, boost::system::error_code ec, const mistasync::diagnostics& d) {
    std::cout << what << ":\n  error: " << ec.message() << "\n";
    if (d.http_status) std::cout << "  answer: " << d.http_status << " \"" << d.server_message << "\"\n";
    if (!d.method.empty()) std::cout << "  request: " << d.method << " " << d.path << " (" << d.attempts << " attempt(s))\n";
    if (!d.client_message.empty()) std::cout << "  note: " << d.client_message << "\n";
    std::cout << "  sent: " << (d.request_sent ? "yes" : "no") << "\n";
}

asio::awaitable<void> tour(mistasync::client_options options, mistasync::testing::simulator* sim) {
    auto ex = co_await asio::this_coro::executor;

    // 1. A wrong password: errc::login_failed, thrown by the default token.
    mistasync::client_options wrong = options;
    wrong.token.clear();
    wrong.email = "user@example.com";
    wrong.password = "not the password";
    try {
        co_await mistasync::client(ex, wrong).backends();
    } catch (const mistasync::error& e) {
        show("a wrong password", e.code(), e.details());
        std::cout << "  is login_failed: " << (e.code() == mistasync::errc::login_failed) << "\n";
    }

    mistasync::client mist(ex, options);
    // 2. A name that matches nothing: decided locally (errc::not_found_locally), nothing more to send.
    mistasync::diagnostics d;
    mistasync::machine_filter nowhere{.name = "no-such-machine"};
    auto [missing_ec, missing] = co_await mist.find_machine(nowhere, mistasync::with_diagnostics(d, use_tuple));
    show("a machine name that matches nothing", missing_ec, d);

    // 3. An id the server does not know: its 404, with the server's own words.
    mistasync::backend_filter nephoscale{.name = "NephoScale"};
    auto backend = co_await mist.find_backend(nephoscale);
    mistasync::machine ghost = backend.machine_from({.id = "no-such-id", .name = "ghost"});
    auto [action_ec] = co_await ghost.reboot(mistasync::with_diagnostics(d, use_tuple));
    show("an action on an unknown machine id", action_ec, d);

    // 4. A cloud whose provider is down: a 503 the SDK does not retry (the server answered
    //    for its provider), and a machine list that still holds every healthy cloud's.
    if (sim) {
        sim->set_backend_fault("EC2 AP NORTHEAST", mistasync::testing::backend_fault::unavailable);
        auto listing = co_await mist.machines();
        std::cout << "all machines: " << listing.size() << " listed, " << listing.failures.size() << " cloud(s) failed\n";
        for (auto& failure : listing.failures) show(("listing " + failure.backend_title).c_str(), failure.error, failure.details);
    }

    // What to do with a create that failed depends on whether it may have made a machine:
    // errc::outcome_unknown (the request was sent, the answer lost or a 5xx after the
    // provider's create) means "look for it by name before creating it again".
    std::cout << "outcome_unknown reads: " << make_error_code(mistasync::errc::outcome_unknown).message() << "\n";
}

int main() {
    asio::io_context io;
    server_from_environment server(io.get_executor(), {});
    int status = 0;
    asio::co_spawn(io, tour(server.options, server.simulator ? &*server.simulator : nullptr), [&](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::cerr << "unexpected: " << ex.what() << "\n";
            }
            status = 1;
        }
        server.stop();
    });
    io.run();
    return status;
}
