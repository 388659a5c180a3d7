// Simulator capacity: list-machines throughput of one simulator thread under keep-alive
// load from a second thread, and memory per machine with 100,000 machines.
//
//   ./build/benchmarks/simulator_bench [runs=5] [seconds_per_run=2]
#include "raw_http_load.hpp"
#include "running_simulator.hpp"
#include "http_client.hpp"

#include <mistasync/testing/simulator.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <pthread.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>

using namespace mistasync;

namespace {

using running_sim = bench::running_simulator;

}  // namespace

int main(int argc, char** argv) {
    int runs = argc > 1 ? std::atoi(argv[1]) : 5;
    double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
    auto duration = std::chrono::milliseconds(static_cast<long>(seconds * 1000));

    testing::simulator_options o;
    o.boot_delay = o.ssh_delay = std::chrono::milliseconds(0);
    o.no_auth = false;
    running_sim rs(o);
    std::string token = rs.token;

    // List the NephoScale backend's machines: the 2 of the demo world plus 8 more.
    test::http_client setup("127.0.0.1", rs.sim.port());
    setup.authorization(token);
    auto clouds = setup.get("/api/v1/clouds").json();
    std::string cloud(clouds.as_array().at(0).at("id").as_string());
    std::string legacy(setup.get("/backends").json().as_array().at(0).at("id").as_string());
    for (int i = 0; i < 8; ++i)
        setup.post("/api/v1/clouds/" + cloud + "/machines",
                   R"({"name": "bench-)" + std::to_string(i) + R"(", "image": "51", "size": "221"})");
    const std::string targets[] = {"/backends/" + legacy + "/machines", "/api/v1/clouds/" + cloud + "/machines",
                                   "/api/v1/clouds"};
    std::printf("simulator at %s, machine lists of 10 machines\n", rs.sim.base_url().c_str());

    for (int concurrency : {1, 64}) {
        for (const std::string& target : targets) {
            std::vector<double> rates, per_core;
            std::vector<double> all_latencies;
            std::uint64_t failures = 0;
            for (int r = 0; r < runs; ++r) {
                double cpu0 = rs.cpu_seconds();
                auto res = bench::raw_get_load(rs.sim.port(), target, token, concurrency, duration);
                double cpu = rs.cpu_seconds() - cpu0;
                rates.push_back(res.per_second());
                per_core.push_back(cpu > 0 ? res.requests / cpu : 0);
                failures += res.failures;
                all_latencies.insert(all_latencies.end(), res.latencies_us.begin(), res.latencies_us.end());
            }
            std::printf("GET %-50s c=%2d: median %7.0f req/s (min %.0f, max %.0f); %7.0f req per server CPU-second; "
                        "p50 %.0f us, p99 %.0f us; failures %llu\n",
                        target.c_str(), concurrency, bench::median(rates), *std::min_element(rates.begin(), rates.end()),
                        *std::max_element(rates.begin(), rates.end()), bench::median(per_core),
                        bench::percentile(all_latencies, 0.5), bench::percentile(all_latencies, 0.99),
                        static_cast<unsigned long long>(failures));
        }
    }

    // Memory per machine: RSS before and after adding 100,000 machines.
    std::size_t before = bench::resident_bytes();
    std::promise<std::size_t> mp;
    boost::asio::post(rs.io, [&] {
        rs.sim.populate_machines(100000);
        mp.set_value(rs.sim.approximate_bytes_per_machine());
    });
    std::size_t estimate = mp.get_future().get();
    std::size_t after = bench::resident_bytes();
    std::printf("100000 machines: RSS +%.1f MB, %.0f bytes/machine measured (%zu estimated from containers)\n",
                (after - before) / 1e6, (after - before) / 1e5, estimate);
    return 0;
}
