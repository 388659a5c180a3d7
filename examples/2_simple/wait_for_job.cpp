// Waiting for a job: ask the server to create several machines in the background
// (`async` with a `quantity`), then follow the job it answers with until it finishes,
// showing each poll, and read its story: which machine was created and probed, and when.
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<bool> create_three(mistasync::client mist) {
    mistasync::backend_filter nephoscale{.name = "NephoScale"};
    auto backend = co_await mist.find_backend(nephoscale);
    auto images = co_await backend.images();
    auto sizes = co_await backend.sizes();
    mistasync::machine_spec spec{.name = "batch-web", .image = images.at(0).id, .size = sizes.at(0).id};

    std::string job_id = co_await backend.create_machines(spec, 3);
    std::cout << "job " << job_id << " accepted\n";

    mistasync::wait_policy policy;
    policy.interval = 250ms;
    policy.deadline = 60s;
    policy.on_attempt = [](const mistasync::wait_event& e) {
        std::cout << "  poll " << e.attempt << ": " << e.note << "\n";
    };
    mistasync::job done = co_await mist.wait_for_job(job_id, policy);
    std::cout << "finished: " << done.created.success << " created, " << done.probed.success << " probed, "
              << done.created.error + done.probed.error << " failed";
    if (!done.error.empty()) std::cout << " (" << done.error << ")";
    std::cout << "\n";
    for (auto& e : done.events)
        std::cout << "  " << e.action << " " << e.machine_name << (e.error.empty() ? "" : ": " + e.error) << "\n";
    co_return done.created.success == 3;
}

int main() {
    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = 500ms;
    so.ssh_delay = 500ms;
    server_from_environment server(io.get_executor(), so);
    int status = 1;
    asio::co_spawn(io, create_three(mistasync::client(io.get_executor(), server.options)), [&](std::exception_ptr e, bool ok) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::cerr << "error: " << ex.what() << "\n";
            }
        } else if (ok) {
            status = 0;
        }
        server.stop();
    });
    io.run();
    return status;
}
