// The SDK against a server that behaves like a real account (contract §10), in both eras:
// machines without addresses while pending, actions checked against stale records, a
// provider that reports the old state after an action, broken clouds, and creates that
// fail after the machine was made.
#include <boost/test/unit_test.hpp>

#include "client_env.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <set>

using namespace mistasync;
using namespace mistasync::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr api_era eras[] = {api_era::legacy, api_era::v1};
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

testing::simulator_options options_with(auto change) {
    auto o = fast_options();
    change(o);
    return o;
}

asio::awaitable<backend> backend_titled(client& mist, const char* title) {
    co_return co_await mist.find_backend({.name = title});
}

// A create on `b` with its first image and size.
asio::awaitable<machine_spec> spec_for(const backend& b, std::string name) {
    auto images = co_await b.images();
    auto sizes = co_await b.sizes();
    co_return machine_spec{.name = std::move(name), .image = images.at(0).id, .size = sizes.at(0).id};
}

wait_policy quick(std::chrono::milliseconds deadline = 20s) {
    wait_policy p;
    p.interval = 50ms;
    p.max_interval = 100ms;
    p.deadline = deadline;
    return p;
}

// A probe wait on a destroyed machine ends with unexpected_state long before its deadline.
asio::awaitable<void> expect_the_probe_wait_to_end_at_once(const machine& m) {
    auto started = clock_type::now();
    diagnostics d;
    auto [ec, r] = co_await m.with({.details = &d}).wait_until_probed(quick(60s), use_tuple);
    BOOST_TEST(ec == errc::unexpected_state);
    BOOST_TEST(d.client_message.find("it became terminated") != std::string::npos);
    BOOST_TEST((clock_type::now() - started < 5s));
}

}  // namespace

BOOST_AUTO_TEST_CASE(probing_a_machine_that_has_no_address_yet) {
    client_env env(options_with([](auto& o) {
        o.addresses = testing::address_rule::when_running;
        o.boot_delay = 500ms;
    }));
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                backend ec2 = co_await backend_titled(mist, "EC2 AP NORTHEAST");
                auto created = co_await ec2.create_machine(co_await spec_for(ec2, std::string("bare-") + era_name(era)));
                BOOST_TEST(created.public_ips.empty());
                machine m = ec2.machine_from(created);
                if (era == api_era::legacy) {
                    // One probe without an address is refused before anything is sent.
                    diagnostics d;
                    auto [ec, r] = co_await m.with({.details = &d}).probe(use_tuple);
                    BOOST_TEST(ec == errc::invalid_argument);
                    BOOST_TEST(d.client_message.find("no public address yet") != std::string::npos);
                    BOOST_TEST(!d.request_sent);
                }
                // The wait reads the machine until it has one, then probes it.
                auto probe = co_await m.wait_until_probed(quick());
                BOOST_TEST(probe.reachable);
            });
        }
    }
}

BOOST_AUTO_TEST_CASE(a_machine_destroyed_while_the_probe_waits_for_its_address_ends_the_wait_at_once) {
    client_env env(options_with([](auto& o) {
        o.addresses = testing::address_rule::when_running;
        o.boot_delay = 5s;
    }));
    auto mist = env.make(api_era::legacy);
    env.run([&]() -> asio::awaitable<void> {
        backend ec2 = co_await backend_titled(mist, "EC2 AP NORTHEAST");
        auto created = co_await ec2.create_machine(co_await spec_for(ec2, "doomed"));
        machine m = ec2.machine_from(created);
        co_await m.destroy();
        co_await expect_the_probe_wait_to_end_at_once(m);
    });
}

BOOST_AUTO_TEST_CASE(a_machine_destroyed_while_2015_probes_it_ends_the_wait_at_once) {
    // A 2015 server answers ping data even for a machine that is gone.
    client_env env(options_with([](auto& o) { o.ssh_delay = 30s; }));
    auto mist = env.make(api_era::legacy);
    env.run([&]() -> asio::awaitable<void> {
        backend nepho = co_await backend_titled(mist, "NephoScale");
        machine m = nepho.machine_from(co_await nepho.create_machine(co_await spec_for(nepho, "gone")));
        BOOST_TEST(!m.first_public_ipv4().empty());  // NephoScale: an address at creation
        co_await m.destroy();
        co_await expect_the_probe_wait_to_end_at_once(m);
    });
}

BOOST_AUTO_TEST_CASE(reboot_then_stop_at_once_in_v1) {
    client_env env;  // stored records, as the real server
    auto mist = env.make(api_era::v1);
    env.run([&]() -> asio::awaitable<void> {
        backend nepho = co_await backend_titled(mist, "NephoScale");
        auto created = co_await nepho.create_machine(co_await spec_for(nepho, "flow"));
        machine m = co_await nepho.machine_from(created).wait_for_state(machine_state::running, quick());
        co_await m.reboot();
        co_await m.stop();  // the record still says running: allowed, as the real server does
        auto stopped = co_await m.wait_for_state(machine_state::stopped, quick());
        BOOST_TEST(stopped.state == machine_state::stopped);
    });
}

BOOST_AUTO_TEST_CASE(waiting_after_an_action_does_not_take_the_stale_state_for_the_result) {
    // The provider shows an action 400 ms after accepting it: lists meanwhile say "running".
    client_env env(options_with([](auto& o) {
        o.provider_lag = 400ms;
        o.action_delay = 300ms;
    }));
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                backend nepho = co_await backend_titled(mist, "NephoScale");
                auto created = co_await nepho.create_machine(co_await spec_for(nepho, std::string("lag-") + era_name(era)));
                machine m = co_await nepho.machine_from(created).wait_for_state(machine_state::running, quick());
                co_await m.reboot();
                std::vector<std::string> seen;
                wait_policy p = quick();
                p.on_attempt = [&](const wait_event& e) { seen.emplace_back(e.note); };
                auto started = clock_type::now();
                co_await m.wait_for_state(machine_state::running, p);
                // It saw the reboot happen before it took "running" for the answer.
                BOOST_TEST((std::find(seen.begin(), seen.end(), "rebooting") != seen.end()));
                BOOST_TEST((clock_type::now() - started >= 400ms));
                // stop, then wait for stopped: the stale "running" lists are waited through.
                co_await m.stop();
                auto stopped = co_await m.wait_for_state(machine_state::stopped, quick());
                BOOST_TEST(stopped.state == machine_state::stopped);
            });
        }
    }
}

BOOST_AUTO_TEST_CASE(a_reboot_the_provider_never_shows_is_bounded_by_action_settle) {
    client_env env(options_with([](auto& o) { o.provider_lag = 60s; }));  // the list never changes
    auto mist = env.make(api_era::v1);
    env.run([&]() -> asio::awaitable<void> {
        backend nepho = co_await backend_titled(mist, "NephoScale");
        machine m = co_await mist.find_machine({.name = "dbserver1"});
        co_await m.reboot();
        wait_policy p = quick();
        p.action_settle = 700ms;
        auto started = clock_type::now();
        auto running = co_await m.wait_for_state(machine_state::running, p);
        BOOST_TEST(running.state == machine_state::running);
        BOOST_TEST((clock_type::now() - started >= 600ms));
        (void)nepho;
    });
}

BOOST_AUTO_TEST_CASE(one_broken_cloud_does_not_hide_the_others) {
    client_env env(options_with([](auto& o) {
        o.broken_backends = {{"EC2 AP NORTHEAST", testing::backend_fault::unavailable},
                             {"Docker", testing::backend_fault::bad_credentials}};
    }));
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto o = env.options(era);
            int logins_again = 0;
            o.logger.level = log_level::info;
            o.logger.sink = [&](log_level, std::string_view text) { logins_again += text.find("logging in again") != std::string_view::npos; };
            if (era == api_era::v1) {  // logs itself in: a provider's 401 must not make it log in again
                o.token.clear();
                o.email = "user@example.com";
                o.password = "secret";
            }
            auto mist = env.make(o);
            env.run([&]() -> asio::awaitable<void> {
                auto listing = co_await mist.machines();
                BOOST_TEST(listing.size() == 2u);  // NephoScale's dbserver1 and dev-web-1
                BOOST_REQUIRE(listing.failures.size() == 2u);
                const backend_failure& down = listing.failures[0];
                const backend_failure& refused = listing.failures[1];
                BOOST_TEST(down.backend_title == "EC2 AP NORTHEAST");
                BOOST_TEST(down.error == errc::service_unavailable);
                BOOST_TEST(down.details.http_status == 503);
                BOOST_TEST(down.details.server_message == (era == api_era::v1 ? "Cloud unavailable" : "Backend unavailable"));
                BOOST_TEST(down.details.attempts == 1);  // not retried: the server answered for its provider
                BOOST_TEST(down.details.request_sent);
                BOOST_TEST(refused.backend_title == "Docker");
                BOOST_TEST(refused.error == errc::backend_credentials_refused);
                BOOST_TEST(refused.details.http_status == 401);
                BOOST_TEST(refused.details.server_message.starts_with(era == api_era::v1 ? "Unauthorized cloud credentials" : "Invalid backend credentials"));
                BOOST_TEST(!listing.complete());

                // The all-or-nothing variant.
                auto [ec, strict] = co_await mist.machines({.all_or_nothing = true}, use_tuple);
                BOOST_TEST((ec == errc::service_unavailable || ec == errc::backend_credentials_refused));

                // A lookup that finds the machine in a healthy backend succeeds...
                auto found = co_await mist.find_machine({.name = "dbserver1"});
                BOOST_TEST(found.name == "dbserver1");
                // ...one that does not says where it may be.
                diagnostics d;
                auto [missing_ec, missing] = co_await mist.with({.details = &d}).find_machine({.name = "elsewhere"}, use_tuple);
                BOOST_TEST(missing_ec == errc::service_unavailable);
                BOOST_TEST(d.client_message.find("'EC2 AP NORTHEAST'") != std::string::npos);
                BOOST_TEST(d.client_message.find("'Docker'") != std::string::npos);
            });
            BOOST_TEST(logins_again == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_5xx_create_is_an_unknown_outcome) {
    client_env env(options_with([](auto& o) { o.post_create_failure_rate = 1; }));
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                backend nepho = co_await backend_titled(mist, "NephoScale");
                std::string name = std::string("half-") + era_name(era);
                diagnostics d;
                auto [ec, created] = co_await nepho.with({.details = &d}).create_machine(co_await spec_for(nepho, name), use_tuple);
                BOOST_TEST(ec == errc::outcome_unknown);
                BOOST_TEST(d.http_status == 500);
                BOOST_TEST(d.server_message == "Internal Server Error");
                BOOST_TEST(d.client_message.find("may have made the machine") != std::string::npos);
                BOOST_TEST(env.sim.on_sim([&](auto& s) { return s.machines_named(name); }) == 1u);  // it was made
                // A refusal by the provider is a plain failure.
                auto [refused, none] = co_await nepho.create_machine({.name = "x", .image = "no-such-image", .size = "221"}, use_tuple);
                BOOST_TEST(refused == errc::server_error);
            });
        }
    }
}

BOOST_AUTO_TEST_CASE(provisioning_adopts_machines_whose_create_answered_5xx) {
    client_env env(options_with([](auto& o) { o.post_create_failure_rate = 0.5; }));
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            auto before = env.sim.on_sim([](auto& s) { return s.stats().machines_created; });
            auto report = env.run([&]() -> asio::awaitable<provision_report> {
                backend nepho = co_await backend_titled(mist, "NephoScale");
                std::vector<machine_spec> specs;
                for (int i = 0; i < 20; ++i) specs.push_back(co_await spec_for(nepho, std::string("p5-") + era_name(era) + "-" + std::to_string(i)));
                provision_options o;
                o.concurrency = 8;
                o.reconcile_interval = 100ms;
                o.reconcile_window = 10s;
                o.running_policy = quick();
                o.probe_policy = quick();
                co_return co_await provision(nepho, specs, o);
            });
            BOOST_TEST(report.counts.probed == 20u);
            BOOST_TEST(report.counts.failed == 0u);
            auto made = env.sim.on_sim([](auto& s) { return s.stats().machines_created; }) - before;
            BOOST_TEST(made == 20u);  // each create sent once, none again
            for (int i = 0; i < 20; ++i) {
                std::string name = std::string("p5-") + era_name(era) + "-" + std::to_string(i);
                BOOST_TEST(env.sim.on_sim([&](auto& s) { return s.machines_named(name); }) == 1u, name);
            }
        }
    }
}
