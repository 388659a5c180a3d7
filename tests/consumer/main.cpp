// An outside program built against an installed mistasync: starts the simulator, lists
// the backends, creates a machine and waits until it answers a probe.
#include <mistasync/mistasync.hpp>
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <stdexcept>

namespace asio = boost::asio;

int main() {
    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = std::chrono::milliseconds(100);
    so.ssh_delay = std::chrono::milliseconds(100);
    mistasync::testing::simulator sim(io.get_executor(), so);
    sim.start();
    mistasync::client_options o;
    o.base_url = sim.base_url();
    o.token = sim.api_token();
    mistasync::client mist(io.get_executor(), o);
    int status = 1;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        // Every call whose optional parameters are left out (GCC 12 once crashed on these).
        auto backends = co_await mist.backends();
        auto all_machines = co_await mist.machines();
        auto keys = co_await mist.keys();
        // A login with email and password in each era (GCC 12 once sent a corrupted body).
        for (auto era : {mistasync::api_era::legacy, mistasync::api_era::v1}) {
            mistasync::client_options login;
            login.base_url = sim.base_url();
            login.email = "user@example.com";
            login.password = "secret";
            login.era = era;
            mistasync::client user(io.get_executor(), login);
            std::string email = co_await user.whoami();
            if (email != "user@example.com") throw std::runtime_error("login answered " + email);
        }
        auto b = backends.at(0);
        auto listed = co_await b.machines();
        if (all_machines.empty() || keys.empty() || listed.empty()) throw std::runtime_error("the demo world is empty");
        auto first = listed.front();
        co_await first.probe();
        co_await first.wait_for_state(mistasync::machine_state::running);
        mistasync::machine_spec spec;
        spec.name = "consumer-1";
        spec.image = (co_await b.images()).at(0).id;
        spec.size = (co_await b.sizes()).at(0).id;
        auto created = co_await b.create_machine(spec);
        mistasync::wait_policy p;
        p.interval = std::chrono::milliseconds(50);
        auto probe = co_await b.machine_from(created).wait_until_probed(p);
        std::printf("mistasync %s: %zu backends, %s probed: %s\n", MISTASYNC_VERSION_STRING, backends.size(), created.name.c_str(),
                    probe.reachable ? "reachable" : "not reachable");
        status = probe.reachable ? 0 : 1;
    }, [&](std::exception_ptr e) {
        if (e) std::printf("failed\n");
        sim.stop();
    });
    io.run();
    return status;
}
