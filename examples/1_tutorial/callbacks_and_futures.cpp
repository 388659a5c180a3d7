// Callbacks and futures: every operation takes any Asio completion token, not only
// coroutines. The same call three ways:
//
//   * a callback: void(error_code, value), run on the client's executor (or the
//     callback's associated executor when it has one);
//   * a future (asio::use_future): for code outside the event loop, while another thread
//     runs the io_context; a failure is rethrown by get() as a system_error;
//   * a coroutine with as_tuple, for comparison.
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <future>
#include <iostream>
#include <thread>

namespace asio = boost::asio;
using boost::system::error_code;

int main() {
    asio::io_context io;
    server_from_environment server(io.get_executor(), {});
    mistasync::client mist(io.get_executor(), server.options);
    // The event loop runs on its own thread; this one starts operations and waits for them.
    auto work = asio::make_work_guard(io);
    std::thread loop([&] { io.run(); });
    int status = 0;

    // 1. A callback, chained into a second one: list backends, then the first one's sizes.
    std::promise<void> callbacks_done;
    mist.backends([&](error_code ec, std::vector<mistasync::backend> backends) {
        if (ec || backends.empty()) {
            std::cerr << "backends: " << ec.message() << "\n";
            status = 1;
            callbacks_done.set_value();
            return;
        }
        std::cout << "callback: " << backends.size() << " backends\n";
        backends.front().sizes([&, title = backends.front().title](error_code sec, std::vector<mistasync::size> sizes) {
            if (sec) status = 1;
            std::cout << "callback: " << sizes.size() << " sizes on " << title << "\n";
            callbacks_done.set_value();
        });
    });
    callbacks_done.get_future().wait();

    // 2. Futures: this thread blocks on get(); a failure is rethrown there.
    try {
        std::future<std::vector<mistasync::key>> keys = mist.keys(asio::use_future);
        std::cout << "future: " << keys.get().size() << " key(s)\n";
        mistasync::machine_filter nowhere{.name = "no-such-machine"};
        std::future<mistasync::machine> missing = mist.find_machine(nowhere, asio::use_future);
        missing.get();
        status = 1;  // not reached: no machine has that name
    } catch (const boost::system::system_error& e) {
        std::cout << "future: find_machine failed as expected: " << e.code().message() << "\n";
    }

    // 3. A coroutine with as_tuple, spawned onto the loop; its result through a future.
    auto done = asio::co_spawn(
        io,
        [&]() -> asio::awaitable<std::size_t> {
            auto [ec, listing] = co_await mist.machines(asio::as_tuple(asio::use_awaitable));
            co_return ec ? 0 : listing.size();
        },
        asio::use_future);
    std::cout << "coroutine: " << done.get() << " machine(s)\n";

    // Stop the simulator on its thread, then let the loop run out.
    asio::post(io, [&] { server.stop(); });
    work.reset();
    loop.join();
    return status;
}
