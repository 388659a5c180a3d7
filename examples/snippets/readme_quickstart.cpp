// The README's first example, whole: list, create, wait until it runs and SSH answers, reboot.
// Run it with MIST_URL and MIST_TOKEN set (./build/tools/mistsim prints both).
#include <mistasync/mistasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<void> seed_flow(mistasync::client mist) {
    mistasync::backend_filter nephoscale{.name = "NephoScale"};
    mistasync::backend backend = co_await mist.find_backend(nephoscale);
    auto images = co_await backend.images();
    auto sizes = co_await backend.sizes();
    auto places = co_await backend.locations();
    mistasync::machine_spec spec{.name = "production.server", .image = images.at(0).id,
                                 .size = sizes.at(0).id, .location = places.at(0).id};
    auto created = co_await backend.create_machine(spec);
    auto machine = backend.machine_from(created);
    mistasync::wait_policy patience;
    patience.deadline = 10min;  // lists, then probes, with jittered backoff
    // Until it runs: the server checks actions (the reboot below) against its record of
    // the machine, which a list refreshes, and most providers give no address before.
    machine = co_await machine.wait_for_state(mistasync::machine_state::running, patience);
    auto probe = co_await machine.wait_until_probed(patience);
    std::printf("%s answers SSH (uptime %.0f s)\n", created.name.c_str(), probe.uptime_seconds);
    co_await machine.reboot();
}

int main() {
    const char* url = std::getenv("MIST_URL");
    const char* token = std::getenv("MIST_TOKEN");
    if (!url || !token) {
        std::fprintf(stderr, "set MIST_URL and MIST_TOKEN\n");
        return 2;
    }
    asio::io_context io;
    mistasync::client mist(io.get_executor(), {.base_url = url, .token = token});
    int status = 0;
    asio::co_spawn(io, seed_flow(mist), [&](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& failure) {  // mistasync::error: request, status, server text
            std::fprintf(stderr, "failed: %s\n", failure.what());
            status = 1;
        }
    });
    io.run();
    return status;
}
