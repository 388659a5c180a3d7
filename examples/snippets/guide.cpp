// docs/guide.md, as a program: every code block of the guide is quoted from this file
// (between //[name and //] markers; tests check that they match), and the test suite
// runs it against the simulator's demo world.
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>

//[guide_open
#include <mistasync/mistasync.hpp>
namespace asio = boost::asio;

asio::awaitable<void> machines_page(mistasync::client mist) {
//]
    //[guide_backend
    mistasync::backend_filter nephoscale{.name = "NephoScale"};
    mistasync::backend backend = co_await mist.find_backend(nephoscale);  // exactly one, or errc::not_found_locally
    //]

    //[guide_catalogue
    auto images = co_await backend.images();
    auto debian = co_await backend.search_images("Debian");
    auto sizes = co_await backend.sizes();
    auto locations = co_await backend.locations();
    //]

    //[guide_create
    mistasync::key_filter my_key{.name = "MyKey"};
    mistasync::key key = co_await mist.find_key(my_key);
    mistasync::machine_spec spec;
    spec.name = "production.server";
    spec.image = images.at(0).id;
    spec.size = sizes.at(0).id;
    spec.location = locations.at(0).id;
    spec.key = key.id;
    mistasync::created_machine created = co_await backend.create_machine(spec);
    //]

    //[guide_list
    auto all = co_await mist.machines();  // every backend that answered
    for (const mistasync::backend_failure& f : all.failures)  // and those that did not
        std::printf("%s: %s\n", f.backend_title.c_str(), f.details.to_string().c_str());
    auto here = co_await backend.machines();
    mistasync::machine_filter dev_machines{.search = "dev"};
    auto dev = co_await mist.machines(dev_machines);
    mistasync::machine_filter db_server{.name = "dbserver1"};
    mistasync::machine db = co_await mist.find_machine(db_server);
    //]

    //[guide_act
    co_await db.reboot();
    // Lists show the old state for a while after an action: the wait sees the reboot
    // happen (or wait_policy::action_settle pass), and its lists refresh the record the
    // server checks the next action against.
    co_await db.wait_for_state(mistasync::machine_state::running);
    co_await db.stop();
    co_await db.wait_for_state(mistasync::machine_state::stopped);
    co_await db.start();
    co_await db.wait_for_state(mistasync::machine_state::running);
    co_await db.destroy();
    //]

    //[guide_probe
    mistasync::machine fresh = backend.machine_from(created);
    mistasync::probe_result now = co_await fresh.probe();
    mistasync::probe_result up = co_await fresh.wait_until_probed();
    std::printf("reachable now: %s; then uptime %.0f s, %d cores\n", now.reachable ? "yes" : "no", up.uptime_seconds, up.cores);
    //]

    //[guide_associate
    mistasync::generated_key pair = co_await mist.generate_key();
    mistasync::key other = co_await mist.add_key("other", pair.private_key);
    mistasync::association_options where{.host = fresh.first_public_ipv4(), .user = "root", .port = 22};
    co_await fresh.associate_key(other.id, where);
}
//]

int main() {
    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = std::chrono::milliseconds(200);
    so.ssh_delay = std::chrono::milliseconds(200);
    so.action_delay = std::chrono::milliseconds(100);
    mistasync::testing::simulator sim(io.get_executor(), so);
    sim.start();
    mistasync::client_options o;
    o.base_url = sim.base_url();
    o.token = sim.api_token();
    mistasync::client mist(io.get_executor(), o);
    int status = 1;
    asio::co_spawn(io, machines_page(mist), [&](std::exception_ptr e) {
        status = 0;
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::fprintf(stderr, "guide: %s\n", x.what());
                status = 1;
            }
        }
        sim.stop();
    });
    io.run();
    return status;
}
