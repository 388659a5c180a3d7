// SDK throughput against the least an Asio+Beast program can do, in the same run:
// GET a backend's machine list (and parse it) over keep-alive, 1 and 64 at a time, on
// one client thread, against a simulator on another thread. Then memory per in-flight
// operation with 10,000 operations waiting on a slow server.
//
//   ./build/benchmarks/sdk_bench [runs=5] [seconds_per_run=2]
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
    for (int i = 0; i < concurrency; ++i) asio::co_spawn(io, sdk_worker(b, start + duration, result), asio::detached);
    io.run();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = argc > 1 ? std::atoi(argv[1]) : 5;
    double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
    auto duration = std::chrono::milliseconds(static_cast<long>(seconds * 1000));

    testing::simulator_options so;
    so.boot_delay = so.ssh_delay = std::chrono::milliseconds(0);
    {
        running_sim rs(so);
        test::http_client setup("127.0.0.1", rs.sim.port());
        setup.authorization(rs.token);
        std::string cloud(setup.get("/api/v1/clouds").json().as_array().at(0).at("id").as_string());
        std::string target = "/api/v1/clouds/" + cloud + "/machines";
        std::printf("list machines of a v1 backend (2 machines), %d runs of %.1f s each\n", runs, seconds);
        for (int concurrency : {1, 64}) {
            std::vector<double> raw_rates, sdk_rates, ratios, raw_lat, sdk_lat;
            for (int r = 0; r < runs; ++r) {
                // Interleaved, so both see the same machine noise.
                auto raw = bench::raw_get_load(rs.sim.port(), target, rs.token, concurrency, duration);
                auto sdk = sdk_load(rs, concurrency, duration);
                raw_rates.push_back(raw.per_second());
                sdk_rates.push_back(sdk.per_second());
                ratios.push_back(sdk.per_second() / raw.per_second());
                raw_lat.insert(raw_lat.end(), raw.latencies_us.begin(), raw.latencies_us.end());
                sdk_lat.insert(sdk_lat.end(), sdk.latencies_us.begin(), sdk.latencies_us.end());
                if (raw.failures || sdk.failures) std::printf("  failures: raw %llu, sdk %llu\n", (unsigned long long)raw.failures, (unsigned long long)sdk.failures);
            }
            std::printf("c=%2d: raw median %7.0f req/s, sdk median %7.0f req/s, ratio median %.3f (min %.3f, max %.3f)\n",
                        concurrency, bench::median(raw_rates), bench::median(sdk_rates), bench::median(ratios),
                        *std::min_element(ratios.begin(), ratios.end()), *std::max_element(ratios.begin(), ratios.end()));
            std::printf("      latency p50 raw %.0f us / sdk %.0f us (overhead %+.0f us); p99 raw %.0f us / sdk %.0f us (overhead %+.0f us)\n",
                        bench::percentile(raw_lat, 0.5), bench::percentile(sdk_lat, 0.5),
                        bench::percentile(sdk_lat, 0.5) - bench::percentile(raw_lat, 0.5), bench::percentile(raw_lat, 0.99),
                        bench::percentile(sdk_lat, 0.99), bench::percentile(sdk_lat, 0.99) - bench::percentile(raw_lat, 0.99));
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
