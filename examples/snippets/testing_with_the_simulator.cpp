// A complete test of your own code against the simulator: docs/testing.md quotes this
// file whole, and the test suite runs it. The simulator and the client share one
// io_context; the test coroutine stops the simulator when it is done, so io.run()
// returns. Faults make the code under test meet 503s and dropped connections.
#include <mistasync/mistasync.hpp>
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>

namespace asio = boost::asio;
using namespace std::chrono_literals;

// The code under test: how many of the account's machines are running.
asio::awaitable<std::size_t> running_machines(mistasync::client mist) {
    std::size_t running = 0;
    for (auto& m : co_await mist.machines())
        running += m.state == mistasync::machine_state::running;
    co_return running;
}

int main() {
    asio::io_context io;
    //[simulator_setup
    mistasync::testing::simulator_options so;
    so.boot_delay = 100ms;   // fast machines: the defaults are 2 s each
    so.ssh_delay = 100ms;
    so.fault_rate = 0.3;     // 30 % of requests meet a fault...
    so.faults = {.http_503 = 1, .drop_before = 1};  // ...of these kinds only
    mistasync::testing::simulator sim(io.get_executor(), so);
    sim.start();             // 127.0.0.1, a free port
    //]

    mistasync::client_options o;
    o.base_url = sim.base_url();
    o.token = sim.api_token();  // or email + password: "user@example.com" / "secret"
    o.retry.max_attempts = 8;   // reads are retried through the faults
    o.retry.initial_backoff = 10ms;
    mistasync::client mist(io.get_executor(), o);

    int failures = 0;
    asio::co_spawn(io, running_machines(mist), [&](std::exception_ptr e, std::size_t running) {
        if (e || running != 2) ++failures;  // the demo world holds two running machines
        sim.stop();                         // nothing left to serve: io.run() returns
    });
    io.run();
    std::printf("%s\n", failures ? "FAILED" : "passed");
    return failures;
}
