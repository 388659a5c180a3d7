// Waiting operations against the simulator: wait_until_probed, wait_for_state and
// wait_for_job in both eras — "not yet" answers, deadlines, permanent failures,
// Retry-After, shared state polling, and cancellation asleep and mid-request.
#include <boost/test/unit_test.hpp>

#include "client_env.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

testing::simulator_options slow_ssh(std::chrono::milliseconds ssh) {
    auto o = fast_options();
    o.boot_delay = 100ms;
    o.ssh_delay = ssh;
    return o;
}

wait_policy quick_policy() {
    wait_policy p;
    p.interval = 40ms;
    p.max_interval = 80ms;
    p.deadline = 20s;
    return p;
}

struct created {
    backend b;
    machine m;
};

asio::awaitable<created> create_one(client& mist, std::string name) {
    auto backends = co_await mist.backends({.name = "NephoScale"});
    backend b = backends.at(0);
    auto images = co_await b.images();
    auto sizes = co_await b.sizes();
    machine_spec spec;
    spec.name = std::move(name);
    spec.image = images.at(0).id;
    spec.size = sizes.at(0).id;
    created_machine c = co_await b.create_machine(spec);
    co_return created{b, b.machine_from(c)};
}

std::uint64_t server_requests(client_env& env) {
    return env.sim.on_sim([](testing::simulator& s) { return s.stats().requests; });
}

void for_each_era(const std::function<void(api_era)>& f) {
    for (api_era era : {api_era::legacy, api_era::v1}) {
        BOOST_TEST_CONTEXT("era " << era_name(era)) { f(era); }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(probe_succeeds_after_not_yet_answers) {
    for_each_era([](api_era era) {
        client_env env(slow_ssh(600ms));
        auto mist = env.make(era);
        int not_yet = 0, done = 0;
        wait_policy p = quick_policy();
        p.on_attempt = [&](const wait_event& ev) {
            BOOST_TEST(ev.what == "probe");
            if (ev.done) ++done;
            else {
                ++not_yet;
                BOOST_TEST(ev.status == (era == api_era::v1 ? 503 : 200));
                BOOST_TEST(ev.next_delay.count() > 0);
            }
        };
        auto result = env.run([&]() -> asio::awaitable<probe_result> {
            auto c = co_await create_one(mist, "probe-me");
            co_return co_await c.m.wait_until_probed(p);
        });
        BOOST_TEST(result.reachable);
        BOOST_TEST(result.uptime_seconds >= 0);
        BOOST_TEST(not_yet >= 3);
        BOOST_TEST(done == 1);
    });
}

BOOST_AUTO_TEST_CASE(probe_deadline_reports_the_last_answer) {
    for_each_era([](api_era era) {
        client_env env(slow_ssh(60s));
        auto mist = env.make(era);
        wait_policy p = quick_policy();
        p.deadline = 400ms;
        auto t0 = clock_type::now();
        try {
            env.run([&]() -> asio::awaitable<probe_result> {
                auto c = co_await create_one(mist, "never-up");
                co_return co_await c.m.wait_until_probed(p);
            });
            BOOST_FAIL("the wait should have timed out");
        } catch (const mistasync::error& e) {
            BOOST_TEST(e.code() == error_code(errc::timeout));
            BOOST_TEST(e.http_status() == (era == api_era::v1 ? 503 : 200));
            if (era == api_era::v1) BOOST_TEST(e.server_message().find("SSH timed-out") != std::string::npos);
            BOOST_TEST(std::string(e.what()).find("not reached after") != std::string::npos);
            BOOST_TEST(e.details().attempts >= 2);
        }
        BOOST_TEST((clock_type::now() - t0 < 5s));
        // Never destroys anything by itself.
        BOOST_TEST(env.sim.on_sim([](testing::simulator& s) { return s.machines_named("never-up"); }) == 1u);
    });
}

// Neither era's probe says a machine is broken (2015 answers ping data, v1 "SSH
// timed-out"): the backend's list, looked at every 5 s at most while the probe does not
// answer, ends the wait once the machine is in `error`, long before its deadline.
BOOST_AUTO_TEST_CASE(probing_a_machine_that_goes_to_error_ends_with_its_state) {
    for_each_era([](api_era era) {
        client_env env(slow_ssh(60s));
        auto mist = env.make(era);
        wait_policy p = quick_policy();
        p.deadline = 60s;
        auto t0 = clock_type::now();
        try {
            env.run([&]() -> asio::awaitable<probe_result> {
                auto c = co_await create_one(mist, "breaks");
                BOOST_TEST(env.sim.on_sim([](testing::simulator& s) { return s.break_machine("breaks"); }));
                co_return co_await c.m.wait_until_probed(p);
            });
            BOOST_FAIL("the wait should have seen the machine in error");
        } catch (const mistasync::error& e) {
            BOOST_TEST(e.code() == error_code(errc::unexpected_state), e.what());
            BOOST_TEST(std::string(e.what()).find("error") != std::string::npos, e.what());
        }
        BOOST_TEST((clock_type::now() - t0 < 15s));
    });
}

BOOST_AUTO_TEST_CASE(probe_attempt_limit) {
    client_env env(slow_ssh(60s));
    auto mist = env.make(api_era::v1);
    wait_policy p = quick_policy();
    p.max_attempts = 3;
    int attempts = 0;
    p.on_attempt = [&](const wait_event&) { ++attempts; };
    auto [ec] = env.run([&]() -> asio::awaitable<std::tuple<error_code>> {
        auto c = co_await create_one(mist, "limited");
        auto [e, r] = co_await c.m.wait_until_probed(p, {}, use_tuple);
        co_return std::tuple<error_code>{e};
    });
    BOOST_TEST(ec == error_code(errc::timeout));
    BOOST_TEST(attempts == 3);
}

// v1 answers 404 for an unknown machine. (A 2015 server answers 200 with ping data for
// any machine id, as its probe swallows every failure: there, only the deadline ends it.)
BOOST_AUTO_TEST_CASE(unknown_machine_ends_the_wait_at_once) {
    {
        client_env env;
        auto mist = env.make(api_era::v1);
        int attempts = 0;
        wait_policy p = quick_policy();
        p.on_attempt = [&](const wait_event& ev) {
            ++attempts;
            BOOST_TEST(ev.status == 404);
        };
        auto t0 = clock_type::now();
        try {
            env.run([&]() -> asio::awaitable<probe_result> {
                auto c = co_await create_one(mist, "known");
                machine ghost = c.m;
                ghost.id = "no-such-machine";
                ghost.public_ips = {"192.0.2.1"};
                co_return co_await ghost.wait_until_probed(p);
            });
            BOOST_FAIL("expected not_found");
        } catch (const mistasync::error& e) {
            BOOST_TEST(e.code() == error_code(errc::not_found));
            BOOST_TEST(e.http_status() == 404);
        }
        BOOST_TEST(attempts == 1);
        BOOST_TEST((clock_type::now() - t0 < 3s));
    }
}

BOOST_AUTO_TEST_CASE(a_429_waits_at_least_retry_after) {
    auto so = slow_ssh(60s);
    so.retry_after_seconds = 1;
    client_env env(so);
    auto o = env.options(api_era::v1);
    o.retry.max_attempts = 1;  // the wait loop, not the call, handles the 429
    auto mist = env.make(o);
    std::vector<wait_event> seen;
    std::vector<std::chrono::milliseconds> delays;
    wait_policy p = quick_policy();
    p.max_attempts = 2;
    p.on_attempt = [&](const wait_event& ev) {
        seen.push_back(ev);
        delays.push_back(ev.next_delay);
    };
    env.run([&]() -> asio::awaitable<void> {
        auto c = co_await create_one(mist, "rate-limited");
        env.sim.on_sim([](testing::simulator& s) {
            testing::fault_mix m{0, 0, 1, 0, 0, 0, 0, 0, 0};
            s.set_faults(m);
            s.set_fault_rate(1);
            return 0;
        });
        auto [e, r] = co_await c.m.wait_until_probed(p, {}, use_tuple);
        BOOST_TEST(e == error_code(errc::timeout));
    });
    BOOST_REQUIRE(seen.size() == 2u);
    BOOST_TEST(seen[0].status == 429);
    BOOST_TEST((delays[0] >= 1000ms));
}

BOOST_AUTO_TEST_CASE(cancel_while_sleeping_ends_at_once_and_leaves_nothing) {
    for_each_era([](api_era era) {
        client_env env(slow_ssh(60s));
        auto mist = env.make(era);
        asio::cancellation_signal stop;
        wait_policy p = quick_policy();
        p.interval = 30s;  // the loop sleeps long after the first "not yet"
        p.max_interval = 30s;
        p.jitter = 0;
        p.on_attempt = [&](const wait_event&) {
            asio::post(env.io, [&] { stop.emit(asio::cancellation_type::terminal); });
        };
        clock_type::time_point cancelled_at;
        error_code ec;
        auto c = env.run([&]() -> asio::awaitable<created> { co_return co_await create_one(mist, "sleeper"); });
        c.m.wait_until_probed(p, {}, asio::bind_cancellation_slot(stop.slot(), [&](error_code e, probe_result) {
            ec = e;
            cancelled_at = clock_type::now();
        }));
        env.io.restart();
        env.io.run();  // returns only when no timer or socket of the client is left
        auto ended = clock_type::now();
        BOOST_TEST(ec == error_code(asio::error::operation_aborted));
        BOOST_TEST((ended - cancelled_at < 10s));  // not the 30 s interval
    });
}

BOOST_AUTO_TEST_CASE(cancel_while_a_probe_is_in_flight) {
    client_env env(slow_ssh(60s));
    auto mist = env.make(api_era::v1);
    auto c = env.run([&]() -> asio::awaitable<created> { co_return co_await create_one(mist, "in-flight"); });
    env.sim.on_sim([](testing::simulator& s) {
        s.set_latency(60s);
        return 0;
    });
    asio::cancellation_signal stop;
    asio::steady_timer soon(env.io, 200ms);
    soon.async_wait([&](error_code) { stop.emit(asio::cancellation_type::terminal); });
    error_code ec;
    auto t0 = clock_type::now();
    c.m.wait_until_probed(quick_policy(), {}, asio::bind_cancellation_slot(stop.slot(), [&](error_code e, probe_result) { ec = e; }));
    env.io.restart();
    env.io.run();
    BOOST_TEST(ec == error_code(asio::error::operation_aborted));
    BOOST_TEST((clock_type::now() - t0 < 20s));  // not the 60 s the server takes
    env.sim.on_sim([](testing::simulator& s) {
        s.set_latency(0ms);
        return 0;
    });
}

BOOST_AUTO_TEST_CASE(client_cancel_ends_every_wait) {
    client_env env(slow_ssh(60s));
    auto mist = env.make(api_era::legacy);
    auto c = env.run([&]() -> asio::awaitable<created> { co_return co_await create_one(mist, "many-waits"); });
    int aborted = 0;
    for (int i = 0; i < 20; ++i) {
        c.m.wait_until_probed(quick_policy(), {}, [&](error_code e, probe_result) { aborted += e == asio::error::operation_aborted; });
        c.m.wait_for_state(machine_state::stopped, quick_policy(), [&](error_code e, machine) { aborted += e == asio::error::operation_aborted; });
    }
    asio::steady_timer soon(env.io, 300ms);
    soon.async_wait([&](error_code) { mist.cancel(); });
    auto t0 = clock_type::now();
    env.io.restart();
    env.io.run();
    BOOST_TEST(aborted == 40);
    BOOST_TEST((clock_type::now() - t0 < 10s));  // not the waits' 20 s deadline
}

BOOST_AUTO_TEST_CASE(wait_for_state_running_then_stopped) {
    for_each_era([](api_era era) {
        client_env env;
        auto mist = env.make(era);
        std::vector<std::string> notes;
        wait_policy p = quick_policy();
        p.on_attempt = [&](const wait_event& ev) { notes.emplace_back(ev.note); };
        auto m = env.run([&]() -> asio::awaitable<machine> {
            auto c = co_await create_one(mist, "stateful");
            machine running = co_await c.m.wait_for_state(machine_state::running, p);
            BOOST_TEST(running.name == "stateful");
            BOOST_TEST(!running.public_ips.empty());
            co_await running.stop();
            co_return co_await running.wait_for_state(machine_state::stopped, p);
        });
        BOOST_TEST(m.state == machine_state::stopped);
        BOOST_TEST(notes.size() >= 3u);
    });
}

BOOST_AUTO_TEST_CASE(wait_for_state_fails_when_the_machine_is_destroyed) {
    client_env env(slow_ssh(60s));
    auto mist = env.make(api_era::v1);
    auto [ec] = env.run([&]() -> asio::awaitable<std::tuple<error_code>> {
        auto c = co_await create_one(mist, "doomed");
        co_await c.m.destroy();
        auto [e, m] = co_await c.m.wait_for_state(machine_state::stopped, quick_policy(), use_tuple);
        co_return std::tuple<error_code>{e};
    });
    BOOST_TEST((ec == error_code(errc::unexpected_state) || ec == error_code(errc::not_found)));
}

BOOST_AUTO_TEST_CASE(state_waiters_share_one_list_per_interval) {
    auto so = fast_options();
    so.boot_delay = 800ms;
    client_env env(so);
    auto mist = env.make(api_era::legacy);
    std::vector<machine> machines;
    env.run([&]() -> asio::awaitable<void> {
        auto c = co_await create_one(mist, "shared-0");
        machines.push_back(c.m);
        for (int i = 1; i < 40; ++i) {
            machine_spec spec;
            spec.name = "shared-" + std::to_string(i);
            spec.image = (co_await c.b.images()).at(0).id;
            spec.size = (co_await c.b.sizes()).at(0).id;
            machines.push_back(c.b.machine_from(co_await c.b.create_machine(spec)));
        }
    });
    auto before = server_requests(env);
    int running = 0;
    wait_policy p = quick_policy();
    p.interval = 100ms;
    auto t0 = clock_type::now();
    for (auto& m : machines)
        m.wait_for_state(machine_state::running, p, [&](error_code e, machine got) {
            BOOST_TEST(!e);
            running += got.state == machine_state::running;
        });
    env.io.restart();
    env.io.run();
    auto elapsed = clock_type::now() - t0;
    auto lists = server_requests(env) - before;
    BOOST_TEST(running == 40);
    // One list per ~100 ms for all 40 waiters, not one per waiter.
    auto rounds = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() / 100 + 2;
    BOOST_TEST(lists <= static_cast<std::uint64_t>(rounds));
    BOOST_TEST(lists < 40u);
}

// A backend whose list answers slowly is listed less often (wait_policy::max_list_share):
// the pause after a list of 300 ms is at least as long; once lists are fast again, the
// pause is the policy's interval again.
BOOST_AUTO_TEST_CASE(a_slow_list_stretches_the_pause_and_a_fast_one_restores_it) {
    client_env env(slow_ssh(60s));  // boots in 100 ms; never asked for running here
    auto mist = env.make(api_era::v1);
    auto c = env.run([&]() -> asio::awaitable<created> { co_return co_await create_one(mist, "slow-list"); });
    auto set_latency = [&](std::chrono::milliseconds l) {
        env.sim.on_sim([l](testing::simulator& s) {
            s.set_latency(l);
            return 0;
        });
    };
    struct attempt {
        clock_type::time_point at;
        std::chrono::milliseconds pause;
    };
    std::vector<attempt> attempts;
    wait_policy p = quick_policy();
    p.interval = 50ms;
    p.max_interval = 50ms;
    p.deadline = 4s;
    p.max_list_share = 0.5;
    p.on_attempt = [&](const wait_event& ev) { attempts.push_back({clock_type::now(), ev.next_delay}); };
    set_latency(300ms);
    const auto t0 = clock_type::now();
    asio::steady_timer fast_again(env.io, 2s);
    fast_again.async_wait([&](error_code) { set_latency(0ms); });
    error_code ec;
    c.m.wait_for_state(machine_state::stopped, p, [&](error_code e, machine) { ec = e; });  // it runs: never reached
    env.io.restart();
    env.io.run();
    BOOST_TEST(ec == error_code(errc::timeout));
    int slow = 0, fast = 0;
    for (const attempt& a : attempts) {
        if (a.at - t0 < 1900ms) {
            ++slow;
            BOOST_TEST(a.pause.count() >= 300);  // the list took 300 ms or more
        } else if (a.at - t0 > 2600ms) {
            ++fast;
            BOOST_TEST(a.pause.count() == 50);
        }
    }
    // Lists of 300 ms then a rest as long: at most one per 600 ms while slow.
    BOOST_TEST(slow >= 1);
    BOOST_TEST(slow <= 4);
    BOOST_TEST(fast >= 3);  // every 50 ms once fast (on a loaded machine, far fewer than 28)
}

BOOST_AUTO_TEST_CASE(wait_for_job_returns_the_finished_story) {
    for_each_era([](api_era era) {
        client_env env;
        auto mist = env.make(era);
        auto j = env.run([&]() -> asio::awaitable<job> {
            auto backends = co_await mist.backends({.name = "NephoScale"});
            backend b = backends.at(0);
            machine_spec spec;
            spec.name = "batch";
            spec.image = (co_await b.images()).at(0).id;
            spec.size = (co_await b.sizes()).at(0).id;
            std::string id = co_await b.create_machines(spec, 3);
            co_return co_await mist.wait_for_job(id, quick_policy());
        });
        BOOST_TEST(j.finished());
        BOOST_TEST(j.created.success == 3);
        BOOST_TEST(j.events.size() >= 3u);
    });
}

BOOST_AUTO_TEST_CASE(wait_for_unknown_job_is_not_found) {
    client_env env;
    auto mist = env.make(api_era::v1);
    auto [ec] = env.run([&]() -> asio::awaitable<std::tuple<error_code>> {
        auto [e, j] = co_await mist.wait_for_job("0123456789abcdef0123456789abcdef", quick_policy(), use_tuple);
        co_return std::tuple<error_code>{e};
    });
    BOOST_TEST(ec == error_code(errc::not_found));
}
