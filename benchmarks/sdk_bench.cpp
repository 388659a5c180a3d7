// SDK throughput against the least an Asio+Beast program can do, in the same run:
// GET a backend's machine list (and parse it) over keep-alive, 1 and 64 at a time, on
// one client thread, against a simulator on another thread. Then memory per in-flight
// operation with 10,000 operations waiting on a slow server.
//
//   ./build/benchmarks/sdk_bench [runs=5] [seconds_per_run=2] [profile]
//
// "profile" runs only the SDK side at concurrency 64, "profile-raw" only the 16 KB baseline,
// for `perf record` / `perf stat`.
#include "http_client.hpp"
#include "raw_http_load.hpp"
#include "running_simulator.hpp"

#include <mistasync/mistasync.hpp>
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdio>
#include <future>
#include <thread>

using namespace mistasync;
namespace asio = boost::asio;

namespace {

using running_sim = bench::running_simulator;

asio::awaitable<void> sdk_worker(backend b, std::chrono::steady_clock::time_point end, bench::load_result& out) {
    while (std::chrono::steady_clock::now() < end) {
        auto t0 = std::chrono::steady_clock::now();
        auto [ec, list] = co_await b.machines({}, asio::as_tuple(asio::use_awaitable));
        if (ec || list.empty()) {
            ++out.failures;
            co_return;
        }
        ++out.requests;
        out.latencies_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
}

bench::load_result sdk_load(const running_sim& rs, int concurrency, std::chrono::milliseconds duration) {
    asio::io_context io(1);
    client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(rs.sim.port());
    o.token = rs.token;
    o.era = api_era::v1;
    o.pool_size = static_cast<std::size_t>(concurrency);
    client mist(io.get_executor(), o);
    backend b;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { b = (co_await mist.backends({.name = "NephoScale"})).at(0); }, asio::detached);
    io.run();
    io.restart();
    bench::load_result result;
    auto start = std::chrono::steady_clock::now();
    double cpu_start = bench::thread_cpu_seconds();
    for (int i = 0; i < concurrency; ++i) asio::co_spawn(io, sdk_worker(b, start + duration, result), asio::detached);
    io.run();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.cpu_seconds = bench::thread_cpu_seconds() - cpu_start;
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = argc > 1 ? std::atoi(argv[1]) : 5;
    double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
    auto duration = std::chrono::milliseconds(static_cast<long>(seconds * 1000));

    testing::simulator_options so;
    so.boot_delay = so.ssh_delay = std::chrono::milliseconds(0);
    if (argc > 3 && std::string_view(argv[3]).starts_with("profile")) {
        running_sim rs(so);
        bool raw = std::string_view(argv[3]) == "profile-raw";
        test::http_client setup("127.0.0.1", rs.sim.port());
        setup.authorization(rs.token);
        std::string target = "/api/v1/clouds/" + std::string(setup.get("/api/v1/clouds").json().as_array().at(0).at("id").as_string()) + "/machines";
        for (int r = 0; r < runs; ++r) {
            auto result = raw ? bench::raw_get_load(rs.sim.port(), target, rs.token, 64, duration, 16 * 1024) : sdk_load(rs, 64, duration);
            std::printf("%s c=64: %.0f req/s, %llu requests\n", raw ? "raw" : "sdk", result.per_second(), (unsigned long long)result.requests);
        }
        return 0;
    }
    {
        running_sim rs(so);
        test::http_client setup("127.0.0.1", rs.sim.port());
        setup.authorization(rs.token);
        std::string cloud(setup.get("/api/v1/clouds").json().as_array().at(0).at("id").as_string());
        std::string target = "/api/v1/clouds/" + cloud + "/machines";
        std::printf("list machines of a v1 backend (2 machines), %d runs of %.1f s each\n", runs, seconds);
        for (int concurrency : {1, 64}) {
            // Two baselines: Beast as it comes (its read buffer never grows past 512 bytes,
            // since the parser empties it), and the same loop with 16 KB reserved per
            // connection, as the SDK does. The second is the least a client can do.
            struct side {
                const char* name;
                std::vector<double> rates, ratios, cpu_us, latencies;
            };
            side raw{"raw"}, tuned{"raw+16KB"}, sdk{"sdk"};
            auto add = [](side& to, const bench::load_result& r) {
                to.rates.push_back(r.per_second());
                to.cpu_us.push_back(r.cpu_us_per_request());
                to.latencies.insert(to.latencies.end(), r.latencies_us.begin(), r.latencies_us.end());
            };
            for (int r = 0; r < runs; ++r) {
                // Interleaved, so all three see the same machine noise.
                auto a = bench::raw_get_load(rs.sim.port(), target, rs.token, concurrency, duration);
                auto b = bench::raw_get_load(rs.sim.port(), target, rs.token, concurrency, duration, 16 * 1024);
                auto c = sdk_load(rs, concurrency, duration);
                add(raw, a);
                add(tuned, b);
                add(sdk, c);
                sdk.ratios.push_back(c.per_second() / a.per_second());
                tuned.ratios.push_back(c.per_second() / b.per_second());
                if (a.failures || b.failures || c.failures)
                    std::printf("  failures: raw %llu, raw+16KB %llu, sdk %llu\n", (unsigned long long)a.failures,
                                (unsigned long long)b.failures, (unsigned long long)c.failures);
            }
            std::printf("c=%2d:\n", concurrency);
            for (side* x : {&raw, &tuned, &sdk})
                std::printf("  %-9s median %7.0f req/s, client CPU %5.1f us/request, latency p50 %6.0f us, p99 %6.0f us\n", x->name,
                            bench::median(x->rates), bench::median(x->cpu_us), bench::percentile(x->latencies, 0.5),
                            bench::percentile(x->latencies, 0.99));
            for (side* base : {&raw, &tuned}) {
                auto& ratios = base == &raw ? sdk.ratios : tuned.ratios;
                std::printf("  sdk / %-9s throughput ratio median %.3f (min %.3f, max %.3f); client CPU %+.1f us/request\n", base->name,
                            bench::median(ratios), *std::min_element(ratios.begin(), ratios.end()),
                            *std::max_element(ratios.begin(), ratios.end()), bench::median(sdk.cpu_us) - bench::median(base->cpu_us));
            }
        }
    }

    // Memory per in-flight operation: 10,000 calls waiting on a server that takes 1.5 s.
    so.latency = std::chrono::milliseconds(1500);
    running_sim slow(so);
    asio::io_context io(1);
    client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(slow.sim.port());
    o.token = slow.token;
    o.era = api_era::v1;
    o.pool_size = 256;
    client mist(io.get_executor(), o);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { co_await mist.whoami(); }, asio::detached);
    io.run();
    io.restart();
    constexpr int n = 10000;
    int done = 0, failed = 0;
    std::size_t before = bench::resident_bytes();
    for (int i = 0; i < n; ++i)
        mist.keys({}, [&](boost::system::error_code ec, std::vector<key>) {
            ++done;
            failed += ec ? 1 : 0;
        });
    io.run_for(std::chrono::milliseconds(500));  // all started: 256 on the wire, the rest queued
    std::size_t during = bench::resident_bytes();
    io.run();
    std::printf("10000 operations in flight: RSS +%.1f MB, %.0f bytes per operation (completed %d, failed %d)\n",
                (during - before) / 1e6, double(during - before) / n, done, failed);
    return 0;
}
