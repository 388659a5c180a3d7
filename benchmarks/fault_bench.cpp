// Exactly N under faults: the same batch twice against fresh simulators (same seed),
// once fault-free and once with a share of all requests meeting an injected fault of
// every kind, in each era. Reports wall times and their ratio, how many machines were
// probed, names held by more than one live machine, server machines missing from the
// report, requests per machine, and the slowest machines' histories.
//
//   fault_bench [machines=1000] [concurrency=100] [fault_rate=0.2] [both|legacy|v1]
//               [create_latency_ms=0] [max_attempts=5] [seed=42]
//
// The simulator runs on its own thread: boot 1 s, SSH 1 s, stalls of 1 s. The client
// waits at most 3 s per request. FAULT_BENCH_JOURNAL=PATH keeps each batch's journal as
// PATH.1, PATH.2, ... (in the order the batches run) to read what happened when.
#include "running_simulator.hpp"

#include <mistasync/mistasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <map>
#include <string>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

struct settings {
    std::size_t machines = 1000;
    std::size_t concurrency = 100;
    double fault_rate = 0.2;
    std::chrono::milliseconds create_latency{0};
    unsigned max_attempts = 5;
    std::uint64_t seed = 42;
};

struct outcome {
    double wall = 0;
    mistasync::provision_report report;
    std::size_t duplicates = 0;      // names with more than one live machine
    std::size_t not_in_report = 0;   // live machines of the batch's names the report does not hold
    std::uint64_t requests = 0;
    std::uint64_t faults = 0;
    std::map<std::string, double> finished_at;  // seconds after the start, per name
    std::map<std::string, std::string> history;  // per name: "t stage/attempts" as it changed
};

template <class T, class F>
T on_sim(mistasync::bench::running_simulator& rs, F f) {
    std::promise<T> p;
    asio::post(rs.io, [&] { p.set_value(f(rs.sim)); });
    return p.get_future().get();
}

outcome run_batch(const settings& s, mistasync::api_era era, double fault_rate) {
    mistasync::testing::simulator_options so;
    so.boot_delay = 1s;
    so.ssh_delay = 1s;
    so.stall_duration = 1s;
    so.create_latency = s.create_latency;
    so.seed = s.seed;
    so.max_machines = s.machines * 2 + 100;
    mistasync::bench::running_simulator rs(so);

    asio::io_context io(1);
    mistasync::client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(rs.sim.port());
    o.era = era;
    if (era == mistasync::api_era::v1) o.token = rs.token;
    else {
        o.email = so.email;
        o.password = so.password;
    }
    o.retry.max_attempts = 6;
    o.retry.budget_capacity = 1e6;  // every request of the batch may meet faults
    o.timeouts.request = 3s + s.create_latency;
    o.pool_size = 64;
    outcome out;
    o.hooks.on_request = [&](const mistasync::request_event&) { ++out.requests; };
    mistasync::client mist(io.get_executor(), o);

    std::vector<mistasync::machine_spec> specs;
    auto started = clock_type::now();
    auto batch = [&]() -> asio::awaitable<void> {
        auto b = (co_await mist.backends({.name = "NephoScale"})).at(0);
        mistasync::machine_spec base;
        base.image = (co_await b.images()).at(0).id;
        base.size = (co_await b.sizes()).at(0).id;
        for (std::size_t i = 1; i <= s.machines; ++i) {
            base.name = "fault-" + std::to_string(i);
            specs.push_back(base);
        }
        mistasync::provision_options po;
        po.concurrency = s.concurrency;
        po.max_attempts = s.max_attempts;
        for (auto* p : {&po.running_policy, &po.probe_policy}) {
            p->interval = 300ms;
            p->max_interval = 1s;
            p->deadline = 120s;
        }
        po.reconcile_interval = 300ms;
        static int runs = 0;
        if (const char* j = std::getenv("FAULT_BENCH_JOURNAL")) po.journal_path = std::string(j) + "." + std::to_string(++runs);
        po.on_change = [&](const mistasync::provisioned_machine& m, const mistasync::provision_counts&) {
            const double t = std::chrono::duration<double>(clock_type::now() - started).count();
            if (m.stage == mistasync::provision_stage::probed || m.stage == mistasync::provision_stage::failed) out.finished_at[m.name] = t;
            char step[64];
            std::snprintf(step, sizeof step, " %.2f %s/%u", t, std::string(mistasync::to_string(m.stage)).c_str(), m.attempts);
            out.history[m.name] += step;
        };
        on_sim<int>(rs, [&](mistasync::testing::simulator& sim) {
            sim.set_fault_rate(fault_rate);
            return 0;
        });
        out.requests = 0;
        started = clock_type::now();
        out.report = co_await mistasync::provision(b.with({.timeout = 600s}), specs, po);
        out.wall = std::chrono::duration<double>(clock_type::now() - started).count();
    };
    std::exception_ptr failure;
    asio::co_spawn(io, batch(), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "the batch could not run: %s\n", e.what());
            std::exit(2);
        }
    }
    // The report's handles share the client's state, whose timers belong to `io`: they
    // must not outlive it.
    for (auto& m : out.report.machines) m.handle = mistasync::machine{};
    out.faults = on_sim<std::uint64_t>(rs, [&](mistasync::testing::simulator& sim) {
        sim.set_fault_rate(0);
        for (auto& m : out.report.machines) {
            std::size_t held = sim.machines_named(m.name);
            if (held > 1) ++out.duplicates;
            if (held > (m.exists() ? 1u : 0u)) out.not_in_report += held - (m.exists() ? 1u : 0u);
        }
        return sim.stats().faults_injected;
    });
    return out;
}

void print(const char* label, const outcome& r, std::size_t machines) {
    std::printf("  %-11s wall %6.2f s; probed %zu, failed %zu, replaced %zu; duplicates %zu, not in report %zu; "
                "%.2f requests per machine, %llu faults\n",
                label, r.wall, r.report.counts.probed, r.report.counts.failed, r.report.counts.replaced, r.duplicates,
                r.not_in_report, static_cast<double>(r.requests) / static_cast<double>(machines),
                static_cast<unsigned long long>(r.faults));
}

void print_slowest(const outcome& r) {
    std::vector<std::pair<double, const mistasync::provisioned_machine*>> order;
    for (auto& m : r.report.machines) {
        auto it = r.finished_at.find(m.name);
        order.push_back({it == r.finished_at.end() ? r.wall : it->second, &m});
    }
    std::sort(order.begin(), order.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i) {
        auto& m = *order[i].second;
        std::printf("    slowest: %s at %.2f s, %s, %u creates%s%s\n", m.name.c_str(), order[i].first,
                    std::string(mistasync::to_string(m.stage)).c_str(), m.attempts, m.reconciled ? ", found by name" : "",
                    m.error ? (", " + m.error.message()).c_str() : "");
        if (auto h = r.history.find(m.name); h != r.history.end()) std::printf("     %s\n", h->second.c_str());
    }
}

}  // namespace

int main(int argc, char** argv) {
    settings s;
    if (argc > 1) s.machines = std::strtoul(argv[1], nullptr, 10);
    if (argc > 2) s.concurrency = std::strtoul(argv[2], nullptr, 10);
    if (argc > 3) s.fault_rate = std::atof(argv[3]);
    std::string which = argc > 4 ? argv[4] : "both";
    if (argc > 5) s.create_latency = std::chrono::milliseconds(std::strtol(argv[5], nullptr, 10));
    if (argc > 6) s.max_attempts = static_cast<unsigned>(std::strtoul(argv[6], nullptr, 10));
    if (argc > 7) s.seed = std::strtoull(argv[7], nullptr, 10);

    std::printf("%zu machines, concurrency %zu, %.0f %% faults of every kind, create latency %lld ms, max_attempts %u, seed %llu\n",
                s.machines, s.concurrency, s.fault_rate * 100, static_cast<long long>(s.create_latency.count()), s.max_attempts,
                static_cast<unsigned long long>(s.seed));
    bool all_met = true;
    for (auto era : {mistasync::api_era::legacy, mistasync::api_era::v1}) {
        const bool v1 = era == mistasync::api_era::v1;
        if ((which == "legacy" && v1) || (which == "v1" && !v1)) continue;
        std::printf("%s era\n", v1 ? "v1" : "legacy");
        outcome clean = run_batch(s, era, 0);
        print("fault-free", clean, s.machines);
        outcome faulty = run_batch(s, era, s.fault_rate);
        print("faults", faulty, s.machines);
        print_slowest(faulty);
        const double ratio = faulty.wall / clean.wall;
        const bool met = faulty.report.counts.probed + 1 >= s.machines && faulty.duplicates == 0 && faulty.not_in_report == 0 &&
                         ratio <= 2.0;
        all_met = all_met && met;
        std::printf("  ratio %.2f; goal: >= %zu probed, no duplicates, every server machine in the report, ratio <= 2 -> %s\n", ratio,
                    s.machines - 1, met ? "met" : "NOT met");
    }
    return all_met ? 0 : 1;
}
