// Every public header, with calls that instantiate the operation templates for each kind
// of completion token, compiled with -Wall -Wextra -Wshadow -Wconversion -pedantic -Werror
// by clang and g++ (strict_headers.sh): including mistasync must not warn in anyone's build.
#include <mistasync/client.hpp>
#include <mistasync/config.hpp>
#include <mistasync/error.hpp>
#include <mistasync/mistasync.hpp>
#include <mistasync/models.hpp>
#include <mistasync/provision.hpp>
#include <mistasync/testing/in_process.hpp>
#include <mistasync/testing/simulator.hpp>
#include <mistasync/version.hpp>
#include <mistasync/wait.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace asio = boost::asio;

asio::awaitable<void> every_kind_of_call(mistasync::client mist) {
    auto backends = co_await mist.backends();
    mistasync::backend_filter filter;
    filter.name = "NephoScale";
    auto [ec, named] = co_await mist.backends(filter, asio::as_tuple(asio::use_awaitable));
    (void)ec;
    (void)named;
    auto b = backends.at(0);
    auto machines = co_await b.machines();
    auto m = machines.at(0);
    co_await m.probe();
    co_await m.wait_until_probed();
    co_await m.wait_for_state(mistasync::machine_state::running);
    co_await mist.keys();
    mistasync::machine_spec spec;
    spec.name = "strict";
    auto created = co_await b.create_machine(spec);
    (void)created;
    std::vector<mistasync::machine_spec> specs{spec};
    auto report = co_await mistasync::provision(b, specs);
    (void)report;
    mist.machines([](boost::system::error_code, mistasync::machine_listing) {});
    auto future = mist.whoami(asio::use_future);
    (void)future;
    auto with_details = mist.whoami(mistasync::with_diagnostics(asio::use_future));
    (void)with_details;
    mistasync::testing::simulator sim(co_await asio::this_coro::executor);
    auto in_process = mistasync::testing::in_process_client(co_await asio::this_coro::executor, sim);
    co_await in_process.providers();
}

int main() {
    asio::io_context io;
    mistasync::client_options o;
    o.base_url = "http://127.0.0.1:1";
    mistasync::client mist(io.get_executor(), o);
    asio::co_spawn(io, every_kind_of_call(mist), asio::detached);
    return 0;
}
