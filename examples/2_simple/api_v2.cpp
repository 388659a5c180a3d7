// Today's mist.io API, /api/v2: ask the server for its plan of a machine (a dry run of the
// create), make it (the create answers with a job; the machine is there once the job says
// so), list only what you need (a server-side search, a few fields), and handle v2's
// refusal of an action the machine does not allow now (422).
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<bool> use_v2(mistasync::client mist) {
    mistasync::backend_filter nephoscale{.id_or_name = "NephoScale"};
    mistasync::backend backend = co_await mist.find_backend(nephoscale);
    std::cout << "speaking " << (mist.era() == mistasync::api_era::v2 ? "/api/v2" : "an older API") << "\n";

    // v2 picks the size itself from what the machine needs.
    std::vector<mistasync::image> debian = co_await backend.search_images("Debian");
    mistasync::machine_spec spec{.name = "v2-example", .image = debian.at(0).id};
    spec.cpus = 1;
    spec.memory_mb = 1024;
    std::string plan = co_await backend.plan_machine(spec);
    std::cout << "the server's plan: " << plan << "\n";

    mistasync::created_machine made = co_await backend.create_machine(spec);
    std::cout << "created " << made.name << " (" << made.id << ") by job " << made.job_id << "\n";

    // Only the machines named like it, only a few fields of each.
    mistasync::machine_filter mine{.server_search = "name:^v2-", .only = "id,external_id,name,state"};
    std::vector<mistasync::machine> listed = co_await backend.machines(mine);
    mistasync::machine m = listed.at(0);

    mistasync::wait_policy quick;
    quick.interval = 200ms;
    quick.deadline = 60s;
    m = co_await m.wait_for_state(mistasync::machine_state::running, quick);
    co_await m.stop();
    m = co_await m.wait_for_state(mistasync::machine_state::stopped, quick);
    try {
        co_await m.stop();  // stopped already: v2 refuses with 422
    } catch (const mistasync::error& e) {
        if (e.code() != mistasync::errc::action_not_supported) throw;
        std::cout << "a second stop: " << e.details().server_message << "\n";
    }
    co_await m.destroy();
    std::cout << "destroyed " << m.name << "\n";
    co_return true;
}

int main() {
    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = 300ms;
    so.ssh_delay = 300ms;
    so.poll_interval = 200ms;  // v2 shows the server's record, which its poller refreshes
    server_from_environment server(io.get_executor(), so);
    server.options.era = mistasync::api_era::v2;
    int status = 1;
    asio::co_spawn(io, use_v2(mistasync::client(io.get_executor(), server.options)), [&](std::exception_ptr e, bool ok) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "failed: " << x.what() << "\n";
            }
        }
        status = ok ? 0 : 1;
        server.stop();
    });
    io.run();
    return status;
}
