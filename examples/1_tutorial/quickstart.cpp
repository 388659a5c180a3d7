// Quickstart: the Python client's "Machines" page, step by step, in C++.
//
// With no environment it starts the simulator in-process. Against a real server:
//   MIST_URL=https://mist.example.com MIST_TOKEN=... ./quickstart
//   MIST_URL=... MIST_EMAIL=... MIST_PASSWORD=... ./quickstart
// On failure it prints the error (status and the server's message) and exits 1.
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Note: aggregate arguments (filters, specs) are named before co_await. GCC 12.2
// destroys a braced temporary inside a co_await expression twice (a compiler bug,
// fixed in GCC 13; clang is fine), so `co_await f({.x = ...})` must wait for GCC 13.
asio::awaitable<void> machines_page(mistasync::client mist) {
    // "You can list all the available options after you have chosen a backend"
    mistasync::backend_filter nephoscale{.search = "NephoScale"};
    auto backend = (co_await mist.backends(nephoscale)).at(0);
    std::cout << "backend: " << backend.title << " (" << backend.id << ")\n";

    auto images = co_await backend.images();
    std::cout << images.size() << " images, first: " << images.at(0).name << "\n";
    auto debian = co_await backend.search_images("Debian");
    std::cout << "search \"Debian\": " << debian.size() << " images\n";
    auto sizes = co_await backend.sizes();
    std::cout << "size: " << sizes.at(0).name << "\n";
    auto locations = co_await backend.locations();
    std::cout << "location: " << locations.at(0).name << "\n";

    // "create a machine ... a backend, a key, image_id, location_id, size_id and a name"
    mistasync::key_filter my_key{.name = "MyKey"};
    auto key = (co_await mist.keys(my_key)).at(0);
    mistasync::machine_spec spec{.name = "production.server",
                                 .image = images.at(0).id,
                                 .size = sizes.at(0).id,
                                 .location = locations.at(0).id,
                                 .key = key.id};
    auto created = co_await backend.create_machine(spec);
    std::cout << "created " << created.name << " (" << created.id << ")\n";

    // "You can choose one": by name, or by search.
    mistasync::machine_filter by_name{.name = "production.server"}, dev{.search = "dev"};
    auto machine = (co_await mist.machines(by_name)).at(0);
    std::cout << "machines matching \"dev\": " << (co_await mist.machines(dev)).size() << "\n";

    // "After creating a machine, the machine may take some time to be up and running."
    // The server checks actions against its record of the machine, which lists refresh:
    // waiting for "running" (by listing) also lets the reboot below be accepted.
    machine = co_await machine.wait_for_state(mistasync::machine_state::running);
    asio::steady_timer timer(co_await asio::this_coro::executor);
    mistasync::probe_result probe;
    for (int attempt = 1; !(probe = co_await machine.probe()).reachable; ++attempt) {
        std::cout << "  probe " << attempt << ": not reachable yet\n";
        timer.expires_after(500ms);
        co_await timer.async_wait(asio::use_awaitable);
    }
    std::cout << "probe: up " << probe.uptime_seconds << " s, " << probe.cores << " core(s)\n";

    co_await machine.reboot();
    std::cout << "rebooted\n";

    // "you can associate another ssh-key to the machine"
    auto generated = co_await mist.generate_key();
    auto second = co_await mist.add_key("Second", generated.private_key);
    // Without exceptions: as_tuple gives the error_code next to the value.
    for (;;) {
        mistasync::association_options where{.host = machine.first_public_ipv4()};
        auto [ec, associations] = co_await machine.associate_key(second.id, where, asio::as_tuple(asio::use_awaitable));
        if (!ec) {
            std::cout << "associated " << second.name << ": " << associations.size() << " association(s)\n";
            break;
        }
        // 2015 servers deploy the key over SSH: wait for the reboot to finish.
        if (ec != mistasync::errc::unauthorized) throw mistasync::error(ec, {});
        timer.expires_after(300ms);
        co_await timer.async_wait(asio::use_awaitable);
    }

    co_await machine.destroy();
    std::cout << "destroyed " << machine.name << "\n";
}

int main() {
    asio::io_context io;
    server_from_environment server(io.get_executor(), {.boot_delay = 1s, .ssh_delay = 1s});
    mistasync::client mist(io.get_executor(), server.options);
    int status = 0;
    asio::co_spawn(io, machines_page(mist), [&](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::cerr << "error: " << ex.what() << "\n";
            }
            status = 1;
        }
        server.stop();
    });
    io.run();
    return status;
}
