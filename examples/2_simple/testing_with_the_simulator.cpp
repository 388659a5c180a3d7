// Testing your own code with the simulator: no server, no socket, no timing luck.
//
// The code under test, `ensure_machine`, must leave exactly one machine of a name, even
// when a create's answer is lost (the server made the machine, the client cannot tell).
// The simulator serves the client in process (testing::in_process_client: each request
// handed to its API, in order), and a scripted fault drops the answer to exactly the
// first create, so the test meets the hard case every run, not once in a while.
#include <mistasync/mistasync.hpp>
#include <mistasync/testing/in_process.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace std::chrono_literals;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// --- the code under test ---------------------------------------------------------------

// The machine named spec.name on `b`: found, or created once. A create whose outcome is
// unknown is never sent again blindly: the name is looked up until the machine shows.
asio::awaitable<mistasync::machine> ensure_machine(mistasync::backend b, mistasync::machine_spec spec) {
    mistasync::machine_filter by_name{.name = spec.name};
    auto existing = co_await b.machines(by_name);
    if (!existing.empty()) co_return existing.front();
    auto [ec, created] = co_await b.create_machine(spec, use_tuple);
    if (!ec) co_return b.machine_from(created);
    if (ec != mistasync::errc::outcome_unknown) throw mistasync::error(ec, {});
    asio::steady_timer pause(co_await asio::this_coro::executor);
    for (int look = 0; look < 20; ++look) {
        auto found = co_await b.machines(by_name);
        if (!found.empty()) co_return found.front();
        pause.expires_after(100ms);
        co_await pause.async_wait(asio::use_awaitable);
    }
    throw mistasync::error(mistasync::errc::outcome_unknown, {});
}

// --- the test ----------------------------------------------------------------------------

int main() {
    asio::io_context io;
    mistasync::testing::simulator sim(io.get_executor());  // its demo world; never started: no port
    mistasync::client_options options;
    options.token = sim.api_token();
    auto mist = mistasync::testing::in_process_client(io.get_executor(), sim, options);

    // The server makes the machine, then the answer is lost on its way back.
    sim.script_fault({.method = "POST", .path = "/api/v1/clouds/*/machines", .nth = 1,
                      .kind = mistasync::testing::fault::drop_after});

    bool passed = false;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        mistasync::backend_filter nephoscale{.name = "NephoScale"};
        auto b = co_await mist.find_backend(nephoscale);
        mistasync::machine_spec spec{.name = "web-1", .image = "51", .size = "221"};
        auto first = co_await ensure_machine(b, spec);
        auto again = co_await ensure_machine(b, spec);  // idempotent: finds it
        passed = first.id == again.id;
    }, [&](std::exception_ptr e) {
        if (e) std::cerr << "ensure_machine threw\n";
    });
    io.run();

    const std::size_t named = sim.machines_named("web-1");
    passed = passed && named == 1 && sim.stats().faults_injected == 1;
    std::cout << (passed ? "ok" : "FAILED") << ": " << named << " machine named web-1, " << sim.stats().faults_injected
              << " fault injected, " << sim.stats().requests << " requests, " << sim.stats().connections_accepted
              << " connections\n";
    return passed ? 0 : 1;
}
