// Timeouts and cancellation: every call ends in time, and any call can be stopped.
//
//   * client_options::timeouts: connect, TLS handshake, one request, and the whole call
//     (retries and waits included); `with({.timeout = ...})` sets one call's;
//   * a wait's own deadline: wait_policy::deadline;
//   * per-operation cancellation: bind a cancellation slot to the token (terminal, partial
//     and total cancellation are all honoured);
//   * client::cancel(): every operation of the client, at once (say, at shutdown).
// A cancelled operation completes with operation_aborted; a timed-out one with
// errc::timeout and diagnostics saying what it was doing and whether anything was sent.
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> sleep(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

asio::awaitable<int> tour(mistasync::client mist, mistasync::testing::simulator* sim) {
    int failures = 0;
    // 1. One call's timeout, against a server that answers in 1 s.
    if (sim) sim->set_latency(1s);
    mistasync::diagnostics d;
    auto [slow_ec, slow] = co_await mist.with({.timeout = 300ms, .details = &d}).backends(use_tuple);
    std::cout << "with a 300 ms timeout: " << slow_ec.message() << "\n  " << d.client_message << "\n";
    failures += slow_ec != mistasync::errc::timeout;
    if (sim) sim->set_latency(0ms);

    // 2. A wait with its own deadline: a machine that is never "stopped".
    mistasync::machine_filter dbserver{.name = "dbserver1"};
    mistasync::machine db = co_await mist.find_machine(dbserver);
    mistasync::wait_policy brief;
    brief.deadline = 500ms;
    brief.interval = 100ms;
    auto [wait_ec, seen] = co_await db.with({.details = &d}).wait_for_state(mistasync::machine_state::stopped, brief, use_tuple);
    std::cout << "waiting 500 ms for a state that never comes: " << wait_ec.message() << "\n  " << d.client_message << "\n";
    failures += wait_ec != mistasync::errc::timeout;

    // 3. Cancelling one operation: a signal bound to its token, emitted 200 ms later.
    auto ex = co_await asio::this_coro::executor;
    asio::cancellation_signal stop;
    asio::co_spawn(ex, [&stop]() -> asio::awaitable<void> {
        co_await sleep(200ms);
        stop.emit(asio::cancellation_type::terminal);
    }, asio::detached);
    auto [cancel_ec, never] = co_await db.wait_for_state(mistasync::machine_state::stopped, asio::bind_cancellation_slot(stop.slot(), use_tuple));
    std::cout << "a wait cancelled after 200 ms: " << cancel_ec.message() << "\n";
    failures += cancel_ec != asio::error::operation_aborted;

    // 4. client::cancel(): everything the client runs ends now.
    asio::co_spawn(ex, [mist]() mutable -> asio::awaitable<void> {
        co_await sleep(200ms);
        mist.cancel();
    }, asio::detached);
    auto [all_ec, nothing] = co_await db.wait_for_state(mistasync::machine_state::stopped, use_tuple);
    std::cout << "client::cancel() during a wait: " << all_ec.message() << "\n";
    failures += all_ec != asio::error::operation_aborted;
    co_return failures;
}

int main() {
    asio::io_context io;
    server_from_environment server(io.get_executor(), {});
    mistasync::client_options options = server.options;
    options.timeouts.total = 60s;  // the default for every call; `with` overrides it per call
    int status = 1;
    asio::co_spawn(io, tour(mistasync::client(io.get_executor(), options), server.simulator ? &*server.simulator : nullptr),
                   [&](std::exception_ptr e, int failures) {
                       if (e) std::cerr << "unexpected failure\n";
                       else status = failures == 0 ? 0 : 1;
                       server.stop();
                   });
    io.run();
    return status;
}
