// Bulk provisioning at scale: N machines created (C at a time) and probed by one client
// thread against a simulator on its own thread with boot + SSH delay D (no jitter).
// Reports wall time against 1.25 × D + the create phase, requests per machine, peak
// connections and peak RSS.
//
//   provision_bench [machines=10000] [concurrency=500] [boot_s=2] [ssh_s=2] [legacy|v1|v2] [probe_backoff=1.0]
//                   [per-provider|at-creation|when-running] [script_s=0] [post-deploy|stored]
// script_s > 0 adds a script stage of that length: each create's post-deploy script
// (followed in its job), or a stored script the batch runs on each machine; D then
// includes it.
// With MISTSIM_URL and MISTSIM_TOKEN set (a standalone `mistsim --boot-delay B --ssh-delay S`
// started by hand), the simulator is that process and the RSS is the client's alone;
// MISTSIM_PID lets the bench read that process's CPU time. benchmarks/provision_sizes.sh
// runs it that way at several sizes, both eras.
//
// After the batch, the report, the journal and the server's list of the batch's machines
// are compared: every machine the report says exists is in both, with the same id, and
// nothing else is. The last line, "result ...", is for scripts.
//
// PROVISION_BENCH_TRACE=1 also prints (stderr) each large list as it is answered, and how
// long after their creates machines answered their probe, by creation time: where a
// batch's latency comes from.
//
// Built twice (benchmarks/CMakeLists.txt): provision_bench on the C library's malloc and,
// where tcmalloc is installed, provision_bench_tcmalloc on it; "allocator=" says which.
#include "running_simulator.hpp"

#include <mistasync/mistasync.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <optional>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

long peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

// The malloc this process runs on: tcmalloc when its own entry points are linked in.
const char* allocator_name() {
    return dlsym(RTLD_DEFAULT, "tc_malloc") != nullptr ? "tcmalloc" : "glibc";
}

// CPU seconds (user + system) this process has used.
double own_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU seconds another process has used (fields 14 and 15 of /proc/PID/stat); 0 when unknown.
double process_cpu_seconds(const char* pid) {
    std::ifstream in(std::string("/proc/") + pid + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto after_name = text.rfind(')');
    if (after_name == std::string::npos) return 0;
    std::istringstream fields(text.substr(after_name + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {  // field 3 is the state
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::uint64_t open_connections(mistasync::bench::running_simulator& rs) {
    std::promise<std::uint64_t> p;
    asio::post(rs.io, [&] { p.set_value(rs.sim.stats().open_connections); });
    return p.get_future().get();
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t machines = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10'000;
    std::size_t concurrency = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 500;
    double boot = argc > 3 ? std::atof(argv[3]) : 2;
    double ssh = argc > 4 ? std::atof(argv[4]) : 2;
    const std::string era = argc > 5 ? argv[5] : "legacy";
    if (era != "legacy" && era != "v1" && era != "v2") {
        std::fprintf(stderr, "era: legacy, v1 or v2\n");
        return 2;
    }
    const bool by_token = era != "legacy";  // v1 and v2: the API token
    double backoff = argc > 6 ? std::atof(argv[6]) : 1.0;
    // when-running: every provider gives addresses only once the machine runs (EC2's rule),
    // so 2015 probes first wait for an address from the shared list.
    std::string addresses = argc > 7 ? argv[7] : "per-provider";
    double script_s = argc > 8 ? std::atof(argv[8]) : 0;
    bool stored = argc > 9 && std::string(argv[9]) == "stored";

    mistasync::testing::simulator_options so;
    so.boot_delay = std::chrono::milliseconds(static_cast<long>(boot * 1000));
    so.ssh_delay = std::chrono::milliseconds(static_cast<long>(ssh * 1000));
    so.delay_jitter = 0;
    so.max_machines = machines + 100;
    so.script_duration = std::chrono::milliseconds(static_cast<long>(script_s * 1000));
    if (addresses == "when-running") so.addresses = mistasync::testing::address_rule::when_running;
    else if (addresses == "at-creation") so.addresses = mistasync::testing::address_rule::at_creation;
    else if (addresses != "per-provider") {
        std::fprintf(stderr, "addresses: per-provider, at-creation or when-running\n");
        return 2;
    }
    const char* external_url = std::getenv("MISTSIM_URL");
    const char* external_token = std::getenv("MISTSIM_TOKEN");
    std::optional<mistasync::bench::running_simulator> rs;
    if (!external_url) rs.emplace(so);
    long rss_before = peak_rss_mb();

    asio::io_context io(1);
    mistasync::client_options o;
    o.base_url = external_url ? external_url : "http://127.0.0.1:" + std::to_string(rs->sim.port());
    if (by_token) {
        o.token = external_url ? (external_token ? external_token : "") : rs->token;
        o.era = era == "v2" ? mistasync::api_era::v2 : mistasync::api_era::v1;
    } else {
        o.email = so.email;
        o.password = so.password;  // mistsim's defaults too
        o.era = mistasync::api_era::legacy;
    }
    o.pool_size = 64;
    // A v1 list of 100,000 machines is ~160 MB, over the default cap of 64 MB.
    o.max_response_bytes = std::size_t(1) << 30;
    std::uint64_t requests = 0;
    std::uint64_t response_bytes = 0;
    std::uint64_t batch_requests = 0, batch_bytes = 0;
    o.hooks.on_request = [&](const mistasync::request_event&) { ++requests; };
    const bool trace = std::getenv("PROVISION_BENCH_TRACE") != nullptr;
    std::map<std::string, double> created_at, probed_at;  // name -> seconds since t0 (trace)
    const auto t0 = clock_type::now();
    o.hooks.on_response = [&](const mistasync::request_event& e) {
        response_bytes += e.response_bytes;
        if (trace && e.method == "GET" && e.response_bytes > 100000)
            std::fprintf(stderr, "list at %.2f: %.3f s exchange, %zu bytes\n", std::chrono::duration<double>(clock_type::now() - t0).count(),
                         e.elapsed.count() / 1e6, e.response_bytes);
    };
    const char* sim_pid = std::getenv("MISTSIM_PID");
    const auto journal = std::filesystem::temp_directory_path() / ("provision_bench." + std::to_string(getpid()) + ".journal");
    std::filesystem::remove(journal);
    mistasync::client mist(io.get_executor(), o);

    std::uint64_t peak_connections = 0;
    clock_type::time_point created_all{};
    clock_type::time_point finished{};
    double cpu_used = 0, sim_cpu_used = 0;
    long batch_peak_rss = 0;
    mistasync::provision_report report;
    std::map<std::string, std::string> listed;  // name -> id, the server's list of bench-* machines after the batch
    auto started = clock_type::now();
    double cpu_started = 0, sim_cpu_started = 0;
    auto run = [&]() -> asio::awaitable<void> {
        auto b = (co_await mist.backends({.name = "NephoScale"})).at(0);
        mistasync::machine_spec base;
        base.image = (co_await b.images()).at(0).id;
        base.size = (co_await b.sizes()).at(0).id;
        mistasync::provision_options po;
        if (script_s > 0 && stored) {
            mistasync::script_spec bootstrap{.name = "bootstrap", .script = "#!/bin/sh\n/opt/bootstrap"};
            po.run_script_id = (co_await mist.add_script(bootstrap)).id;
        } else if (script_s > 0) {
            base.script = "#!/bin/sh\n/opt/bootstrap";
        }
        std::vector<mistasync::machine_spec> specs;
        specs.reserve(machines);
        for (std::size_t i = 1; i <= machines; ++i) {
            base.name = "bench-" + std::to_string(i);
            specs.push_back(base);
        }
        po.concurrency = concurrency;
        for (auto* p : {&po.running_policy, &po.probe_policy, &po.script_policy}) {
            p->interval = 500ms;
            p->backoff = backoff;
            p->max_interval = 2s;
        }
        po.on_change = [&](const mistasync::provisioned_machine& pm, const mistasync::provision_counts& c) {
            if (c.created == machines && created_all == clock_type::time_point{}) created_all = clock_type::now();
            if (trace) {
                auto now = std::chrono::duration<double>(clock_type::now() - t0).count();
                if (pm.stage == mistasync::provision_stage::created) created_at[pm.name] = now;
                if (pm.stage == mistasync::provision_stage::probed) probed_at[pm.name] = now;
            }
        };
        po.journal_path = journal.string();
        requests = 0;
        response_bytes = 0;
        started = clock_type::now();
        cpu_started = own_cpu_seconds();
        sim_cpu_started = rs ? rs->cpu_seconds() : sim_pid ? process_cpu_seconds(sim_pid) : 0;
        report = co_await mistasync::provision(b, std::move(specs), po);  // as a user who no longer needs them
        finished = clock_type::now();
        batch_requests = requests;  // the check's list below is not the batch's
        batch_bytes = response_bytes;
        cpu_used = own_cpu_seconds() - cpu_started;
        sim_cpu_used = (rs ? rs->cpu_seconds() : sim_pid ? process_cpu_seconds(sim_pid) : 0) - sim_cpu_started;
        batch_peak_rss = peak_rss_mb();  // before the check's list of every machine
        for (const auto& m : co_await b.with({.timeout = std::chrono::minutes(10)}).machines({.search = "bench-"})) listed[m.name] = m.id;
    };
    bool done = false;
    asio::co_spawn(io, run(), [&](std::exception_ptr e) {
        done = true;
        if (e) std::rethrow_exception(e);
    });
    asio::steady_timer sample(io);
    std::function<void()> tick = [&] {
        if (rs) peak_connections = std::max(peak_connections, open_connections(*rs));
        if (done) return;
        sample.expires_after(100ms);
        sample.async_wait([&](boost::system::error_code) { tick(); });
    };
    tick();
    io.run();

    if (trace && !probed_at.empty()) {
        std::vector<std::pair<double, double>> d;  // created, probed - created
        for (auto& [n, t] : probed_at) d.emplace_back(created_at[n], t - created_at[n]);
        std::sort(d.begin(), d.end());
        for (std::size_t i = 0; i < d.size(); i += d.size() / 20 + 1)
            std::fprintf(stderr, "created at %.2f: probed %.2f s later\n", d[i].first, d[i].second);
        std::fprintf(stderr, "last created at %.2f: probed %.2f s later\n", d.back().first, d.back().second);
    }
    double wall = std::chrono::duration<double>(finished - started).count();
    // In process, the simulator's thread is part of this process's CPU time.
    double client_cpu = rs ? cpu_used - sim_cpu_used : cpu_used;
    // Nothing lost: the report's machines, the journal's and the server's are the same.
    std::map<std::string, std::string> reported, journaled;
    for (const auto& m : report.machines)
        if (m.exists()) reported[m.name] = m.id;
    for (const auto& r : mistasync::read_journal(journal.string()))
        if (r.may_exist()) journaled[r.name] = r.id;
    std::filesystem::remove(journal);
    const bool agree = reported == listed && reported == journaled;
    double create_phase = std::chrono::duration<double>(created_all - started).count();
    double d = boot + ssh + script_s;
    std::printf("%s era; machines %zu, concurrency %zu, D = %.1f s (boot %.1f + ssh %.1f + script %.1f%s); polling every 0.5 s, "
                "backoff %.2f; addresses %s; malloc: %s\n",
                era.c_str(), machines, concurrency, d, boot, ssh, script_s,
                script_s > 0 ? (stored ? ", a stored script run by the batch" : ", the create's post-deploy") : "", backoff,
                addresses.c_str(), allocator_name());
    std::printf("probed %zu, scripted %zu, finished %zu, failed %zu\n", report.counts.probed, report.counts.scripted,
                report.counts.finished, report.counts.failed);
    std::printf("wall %.2f s; create phase %.2f s; goal <= 1.25 x D + create phase = %.2f s -> %s\n", wall, create_phase,
                1.25 * d + create_phase, wall <= 1.25 * d + create_phase ? "met" : "NOT met");
    std::printf("requests %llu (%.2f per machine), peak connections %llu\n", static_cast<unsigned long long>(batch_requests),
                static_cast<double>(batch_requests) / static_cast<double>(machines), static_cast<unsigned long long>(peak_connections));
    std::printf("peak RSS %ld MB (before the batch: %ld MB; %s)\n", batch_peak_rss, rss_before,
                rs ? "the in-process simulator's world shares it" : "the client alone");
    const double per_machine = static_cast<double>(machines);
    std::printf("client CPU %.2f s (%.0f us per machine); response bytes %.0f per machine; simulator CPU %.2f s (%.0f %% of the wall)\n",
                client_cpu, client_cpu / per_machine * 1e6, static_cast<double>(batch_bytes) / per_machine, sim_cpu_used,
                wall > 0 ? sim_cpu_used / wall * 100 : 0.0);
    std::printf("report %zu, journal %zu, server %zu machines: %s\n", reported.size(), journaled.size(), listed.size(),
                agree ? "they agree" : "THEY DIFFER");
    std::printf("result era=%s machines=%zu wall_s=%.2f create_s=%.2f goal_s=%.2f met=%d requests_per_machine=%.2f "
                "bytes_per_machine=%.0f client_cpu_us_per_machine=%.0f rss_kb_per_machine=%.2f sim_cpu_share=%.2f probed=%zu agree=%d "
                "allocator=%s\n",
                era.c_str(), machines, wall, create_phase, 1.25 * d + create_phase, wall <= 1.25 * d + create_phase ? 1 : 0,
                static_cast<double>(batch_requests) / per_machine, static_cast<double>(batch_bytes) / per_machine,
                client_cpu / per_machine * 1e6, static_cast<double>(batch_peak_rss) * 1024 / per_machine,
                wall > 0 ? sim_cpu_used / wall : 0.0, report.counts.probed, agree ? 1 : 0, allocator_name());
    return report.counts.finished == machines && agree ? 0 : 1;
}
