// The client driven from several threads, as client.hpp promises: a client on a strand
// of an io_context run by 4 threads, started from 4 other threads at once; and several
// io_contexts, each with its own client and thread. Run under ThreadSanitizer by
// ./scripts/dev tsan.
#include <boost/test/unit_test.hpp>

#include "client_env.hpp"

#include <mistasync/provision.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <future>
#include <thread>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;

BOOST_AUTO_TEST_CASE(one_client_on_a_strand_of_four_threads) {
    sim_fixture sim;
    asio::io_context io(4);
    auto work = asio::make_work_guard(io);
    std::vector<std::thread> runners;
    for (int i = 0; i < 4; ++i) runners.emplace_back([&] { io.run(); });

    client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(sim.port());
    o.token = sim.token();
    o.era = api_era::v1;
    std::atomic<int> hooks{0};
    o.hooks.on_response = [&](const request_event&) { hooks.fetch_add(1, std::memory_order_relaxed); };
    client mist(asio::make_strand(io), o);

    // Four threads start 100 operations each, at once.
    std::atomic<int> ok{0}, failed{0};
    std::vector<std::thread> starters;
    for (int t = 0; t < 4; ++t)
        starters.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) {
                auto done = [&](error_code ec, auto&&) { (ec ? failed : ok).fetch_add(1); };
                if ((i + t) % 2) mist.backends({}, done);
                else mist.keys({}, done);
            }
        });
    for (auto& s : starters) s.join();
    for (int i = 0; i < 500 && ok + failed < 400; ++i) std::this_thread::sleep_for(10ms);
    BOOST_TEST(ok.load() == 400);
    BOOST_TEST(failed.load() == 0);
    BOOST_TEST(hooks.load() >= 400);

    // A batch on one thread while another lists and a third cancels the client.
    std::promise<provision_report> batch;
    std::promise<std::vector<backend>> listed;
    mist.backends({.name = "NephoScale"}, [&](error_code, std::vector<backend> v) { listed.set_value(std::move(v)); });
    backend b = listed.get_future().get().at(0);
    std::vector<machine_spec> specs;
    for (int i = 1; i <= 40; ++i) {
        machine_spec s;
        s.name = "mt-" + std::to_string(i);
        s.image = "3";
        s.size = "219";
        specs.push_back(s);
    }
    provision_options po;
    po.concurrency = 8;
    po.probe_policy.interval = 50ms;
    po.running_policy.interval = 50ms;
    std::thread batch_thread([&] {
        provision(b, specs, po, [&](error_code, provision_report r) { batch.set_value(std::move(r)); });
    });
    std::thread lister([&] {
        for (int i = 0; i < 50; ++i) b.machines({}, [](error_code, std::vector<machine>) {});
    });
    batch_thread.join();
    lister.join();
    auto report = batch.get_future().get();
    BOOST_TEST(report.counts.probed + report.counts.failed == 40u);

    // cancel() from a foreign thread ends waits started from yet another.
    std::atomic<int> aborted{0};
    std::thread waiter([&] {
        machine ghost;
        ghost = report.machines.at(0).handle;
        for (int i = 0; i < 20; ++i)
            ghost.wait_for_state(machine_state::stopped, {}, [&](error_code ec, machine) { aborted += ec == asio::error::operation_aborted; });
    });
    waiter.join();
    std::this_thread::sleep_for(100ms);
    std::thread canceller([&] { mist.cancel(); });
    canceller.join();
    for (int i = 0; i < 300 && aborted < 20; ++i) std::this_thread::sleep_for(10ms);
    BOOST_TEST(aborted.load() == 20);

    work.reset();
    for (auto& r : runners) r.join();
}

BOOST_AUTO_TEST_CASE(several_io_contexts_each_with_a_client) {
    sim_fixture sim;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            asio::io_context io;
            client_options o;
            o.base_url = "http://127.0.0.1:" + std::to_string(sim.port());
            o.token = sim.token();
            client mist(io.get_executor(), o);
            for (int i = 0; i < 50; ++i)
                mist.backends({}, [&](error_code ec, std::vector<backend> v) { ok += !ec && v.size() == 3; });
            io.run();
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(ok.load() == 200);
}
