// The test seams: a client whose requests go to the simulator in process (no socket), and
// faults scripted for one exact request. Each case here is deterministic: it names the
// request that fails instead of drawing faults at a rate.
#include <boost/test/unit_test.hpp>

#include "in_process_env.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

using namespace mistasync;
using namespace mistasync::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr api_era eras[] = {api_era::legacy, api_era::v1};

const char* machines_path(api_era era) { return era == api_era::v1 ? "/api/v1/clouds/*/machines" : "/backends/*/machines"; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_whole_flow_without_a_socket) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                auto created = co_await b.create_machine({.name = std::string("ip-") + era_name(era), .image = "51", .size = "221"});
                BOOST_TEST(!created.id.empty());
                machine running = co_await b.machine_from(created).wait_for_state(machine_state::running);
                BOOST_TEST(running.name == std::string("ip-") + era_name(era));
                auto probe = co_await running.wait_until_probed();
                BOOST_TEST(probe.reachable);
            });
            BOOST_TEST((mist.era() == era));
        }
    }
    BOOST_TEST(env.sim.stats().connections_accepted == 0u);  // never a socket
}

BOOST_AUTO_TEST_CASE(an_answer_dropped_after_the_create_is_an_unknown_outcome_and_the_machine_exists) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            const std::string first = std::string("drop-1-") + era_name(era), second = std::string("drop-2-") + era_name(era);
            env.sim.script_fault({.method = "POST", .path = machines_path(era), .nth = 2, .kind = testing::fault::drop_after});
            env.run([&]() -> asio::awaitable<void> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                co_await b.create_machine({.name = first, .image = "51", .size = "221"});
                diagnostics d;
                auto [ec, m] = co_await b.with({.details = &d}).create_machine({.name = second, .image = "51", .size = "221"}, use_tuple);
                BOOST_TEST(ec == errc::outcome_unknown);
                BOOST_TEST(d.request_sent);
                BOOST_TEST(d.attempts == 1);  // never resent
            });
            BOOST_TEST(env.sim.machines_named(first) == 1u);
            BOOST_TEST(env.sim.machines_named(second) == 1u);  // the server made it
        }
    }
    BOOST_TEST(env.sim.stats().faults_injected == 2u);
}

BOOST_AUTO_TEST_CASE(a_503_on_the_first_list_is_retried_once) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            int retries = 0;
            client_options o;
            o.hooks.on_retry = [&](const request_event&, std::chrono::milliseconds) { ++retries; };
            auto mist = env.make(era, o);
            env.sim.script_fault({.method = "GET", .path = era == api_era::v1 ? "/api/v1/clouds" : "/backends", .nth = 1,
                                  .kind = testing::fault::http_503});
            auto backends = env.run([&]() -> asio::awaitable<std::vector<backend>> { co_return co_await mist.backends(); });
            BOOST_TEST(backends.size() == 3u);
            BOOST_TEST(retries == 1);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_stalled_answer_meets_the_request_timeout_and_a_read_is_sent_again) {
    in_process_env env;
    env.sim.script_fault({.method = "GET", .path = "/api/v1/clouds/*/sizes", .nth = 1, .kind = testing::fault::stall});
    client_options o;
    o.timeouts.request = 200ms;
    int retries = 0;
    o.hooks.on_retry = [&](const request_event&, std::chrono::milliseconds) { ++retries; };
    auto mist = env.make(api_era::v1, o);
    auto started = std::chrono::steady_clock::now();
    auto sizes = env.run([&]() -> asio::awaitable<std::vector<size>> {
        backend b = co_await mist.find_backend({.name = "NephoScale"});
        co_return co_await b.sizes();
    });
    BOOST_TEST(!sizes.empty());
    BOOST_TEST(retries == 1);
    BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));  // not the 30 s stall
}

BOOST_AUTO_TEST_CASE(a_provision_adopts_the_machine_whose_create_answer_was_dropped) {
    in_process_env env;
    auto mist = env.make(api_era::v1);
    env.sim.script_fault({.method = "POST", .path = machines_path(api_era::v1), .nth = 3, .kind = testing::fault::drop_after});
    auto report = env.run([&]() -> asio::awaitable<provision_report> {
        backend b = co_await mist.find_backend({.name = "NephoScale"});
        std::vector<machine_spec> specs;
        for (int i = 0; i < 6; ++i) specs.push_back({.name = "adopt-" + std::to_string(i), .image = "51", .size = "221"});
        provision_options o;
        o.concurrency = 1;  // in order: the third create is the third spec
        o.wait_probed = false;
        o.reconcile_interval = 50ms;
        o.running_policy.interval = 50ms;
        co_return co_await provision(b, specs, o);
    });
    BOOST_TEST(report.counts.failed == 0u);
    BOOST_TEST(report.counts.running == 6u);
    BOOST_TEST(env.sim.stats().machines_created == 8u);  // 2 of the demo world, 6 creates each sent once
    for (int i = 0; i < 6; ++i) BOOST_TEST(env.sim.machines_named("adopt-" + std::to_string(i)) == 1u);
}

BOOST_AUTO_TEST_CASE(cancelling_a_call_abandons_its_in_process_request) {
    testing::simulator_options so = fast_options();
    so.latency = 60s;  // far beyond the bound below, which a loaded machine must still meet
    in_process_env env(so);
    auto mist = env.make(api_era::v1);
    error_code ec;
    mist.backends([&](error_code e, std::vector<backend>) { ec = e; });
    asio::steady_timer later(env.io, 100ms);
    later.async_wait([&](error_code) { mist.cancel(); });
    auto started = std::chrono::steady_clock::now();
    env.io.run();
    BOOST_TEST(ec == asio::error::operation_aborted);
    BOOST_TEST((std::chrono::steady_clock::now() - started < 20s));
}

BOOST_AUTO_TEST_CASE(a_manual_clock_steps_a_machine_through_its_life_without_sleeping) {
    testing::manual_clock clock;
    testing::simulator_options so = fast_options();
    so.boot_delay = 60s;  // a minute of real time each, were it not for the clock
    so.ssh_delay = 60s;
    so.clock = clock;
    in_process_env env(so);
    auto mist = env.make(api_era::v1);
    auto run = [&](auto f) { return env.run(f); };
    auto started = std::chrono::steady_clock::now();
    backend b = run([&]() -> asio::awaitable<backend> { co_return co_await mist.find_backend({.name = "NephoScale"}); });
    auto created = run([&]() -> asio::awaitable<created_machine> {
        co_return co_await b.create_machine({.name = "clocked", .image = "51", .size = "221"});
    });
    auto state_now = [&] {
        return run([&]() -> asio::awaitable<machine_state> {
            co_return (co_await b.machines({.id = created.id})).at(0).state;
        });
    };
    auto reachable_now = [&] {
        return run([&]() -> asio::awaitable<bool> { co_return (co_await b.machine_from(created).probe()).reachable; });
    };
    BOOST_TEST(static_cast<int>(state_now()) == static_cast<int>(machine_state::pending));
    clock.advance(59s);
    BOOST_TEST(static_cast<int>(state_now()) == static_cast<int>(machine_state::pending));
    clock.advance(1s);
    BOOST_TEST(static_cast<int>(state_now()) == static_cast<int>(machine_state::running));
    BOOST_TEST(!reachable_now());
    clock.advance(60s);
    BOOST_TEST(reachable_now());
    BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));  // two minutes of the world's time
}
