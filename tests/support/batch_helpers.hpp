// Shared by the bulk provisioning tests: a batch of specs on one of the demo backends,
// quick wait policies, a journal path per test, and what the simulator holds.
#pragma once

#include <algorithm>

#include "client_env.hpp"

#include <mistasync/provision.hpp>

#include <boost/test/unit_test.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace mistasync::test {

struct batch_setup {
    backend b;
    std::vector<machine_spec> specs;
};

/// `count` specs named PREFIX-1..N with the backend's first image and size.
inline boost::asio::awaitable<batch_setup> prepare(client& mist, const std::string& prefix, int count,
                                                   const std::string& backend_name = "NephoScale") {
    batch_setup s;
    backend_filter which{.name = backend_name};
    s.b = co_await mist.find_backend(which);
    auto image = (co_await s.b.images()).at(0).id;
    auto size = (co_await s.b.sizes()).at(0).id;
    for (int i = 1; i <= count; ++i) {
        machine_spec spec;
        spec.name = prefix + "-" + std::to_string(i);
        spec.image = image;
        spec.size = size;
        s.specs.push_back(spec);
    }
    co_return s;
}

/// Runs body(env, client, era) once per era, each with its own simulator and client.
template <class Body>
void in_each_era(Body body, testing::simulator_options sim = fast_options()) {
    for (api_era era : {api_era::legacy, api_era::v1, api_era::v2}) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            // v2 shows the server's record, which its poller refreshes: poll often here.
            testing::simulator_options o = sim;
            if (era == api_era::v2) o.poll_interval = std::min(o.poll_interval, std::chrono::milliseconds(100));
            client_env env(o);
            auto mist = env.make(era);
            body(env, mist, era);
        }
    }
}

/// prepare(), run to its end on env.io.
inline batch_setup setup(client_env& env, client& mist, const std::string& prefix, int count) {
    return env.run([&]() -> boost::asio::awaitable<batch_setup> { co_return co_await prepare(mist, prefix, count); });
}

/// Waits (running, probe, script) that poll every 50-100 ms for up to 30 s; unknown
/// creates looked for 2 s.
inline provision_options fast_batch(std::size_t concurrency) {
    using namespace std::chrono_literals;
    provision_options o;
    o.concurrency = concurrency;
    for (wait_policy* p : {&o.running_policy, &o.probe_policy, &o.script_policy}) {
        p->interval = 50ms;
        p->max_interval = 100ms;
        p->deadline = 30s;
    }
    o.reconcile_interval = 100ms;
    o.reconcile_window = 2s;
    return o;
}

/// A journal path of this process, removed first.
inline std::string temp_journal(const std::string& tag) {
    auto path = std::filesystem::temp_directory_path() / ("mistasync-journal-" + tag + "-" + std::to_string(::getpid()) + ".jsonl");
    std::filesystem::remove(path);
    return path.string();
}

/// Runs the batch to its end on env.io; cancels it (once) when `cancel_when` first holds
/// for the counts (never, when empty).
inline std::pair<boost::system::error_code, provision_report> run_provision(
    client_env& env, const batch_setup& s, provision_options options,
    std::function<bool(const provision_counts&)> cancel_when = {}) {
    namespace asio = boost::asio;
    asio::cancellation_signal stop;
    bool asked = false;
    if (cancel_when)
        options.on_change = [&](const provisioned_machine&, const provision_counts& c) {
            if (!asked && cancel_when(c)) {
                asked = true;
                asio::post(env.io, [&] { stop.emit(asio::cancellation_type::terminal); });
            }
        };
    std::pair<boost::system::error_code, provision_report> out;
    provision(s.b, s.specs, options, asio::bind_cancellation_slot(stop.slot(), [&](boost::system::error_code e, provision_report r) {
        out = {e, std::move(r)};
    }));
    env.io.restart();
    env.io.run();
    return out;
}

/// Lines of a file (a journal) that contain `needle`.
inline std::size_t count_lines(const std::string& path, const std::string& needle) {
    std::ifstream in(path);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
    return n;
}

/// Live machines of that name on the simulator.
inline std::size_t named(client_env& env, const std::string& name) {
    return env.sim.on_sim([&](testing::simulator& s) { return s.machines_named(name); });
}

/// Machines the simulator has made so far.
inline std::uint64_t made(client_env& env) {
    return env.sim.on_sim([](testing::simulator& s) { return s.stats().machines_created; });
}

}  // namespace mistasync::test
