// mistsim — the mist.io API simulator as a standalone server.
//
//   mistsim --listen 127.0.0.1:0 --email E --password P [--no-auth] [--boot-delay S]
//           [--ssh-delay S] [--latency-ms N] [--fault-rate P] [--faults LIST] [--seed N]
//           [--rate-limit R] [--tls-cert F --tls-key F] [--empty]
//
// Prints "listening on http://HOST:PORT" as its first line (flushed), then the tokens a
// client can use, and exits 0 on SIGINT/SIGTERM.
#include "strict_number.hpp"

#include <mistasync/testing/simulator.hpp>
#include <mistasync/version.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include <sys/resource.h>

namespace {

void usage(std::ostream& out) {
    out << "usage: mistsim [--listen HOST:PORT] [--email E] [--password P] [--no-auth]\n"
           "               [--boot-delay S] [--ssh-delay S] [--delay-jitter F] [--action-delay S] [--latency-ms N] [--create-latency-ms N]\n"
           "               [--fault-rate P] [--faults LIST] [--fault-method M] [--stall-ms N] [--rate-limit R]\n"
           "               [--seed N] [--max-body BYTES] [--tls-cert F --tls-key F] [--empty]\n"
           "               [--legacy-only | --v1-only | --v2-only | --no-legacy]\n"
           "               [--addresses per-provider|at-creation|when-running] [--live-actions]\n"
           "               [--poll-interval S] [--provider-lag-ms N] [--post-create-failure-rate P]\n"
           "               [--broken-backend TITLE=unavailable|bad-credentials]...\n"
           "               [--script-duration S] [--script-failure-rate P] [--failing-script MACHINE]...\n"
           "               [--script-exit-code N]\n"
           "  --v1-only, --v2-only: one family alone; --no-legacy: /api/v1 and /api/v2, as Mist CE serves them\n"
           "  --provider-lag-ms: a start, stop or reboot shows at the provider this much later (2000)\n"
           "  LIST: all, or some of 500,503,429,drop-before,drop-after,stall,truncated,slow-body,malformed-json\n";
}


double decimal_arg(const std::string& flag, const std::string& v, double max) {
    if (!mistasync::tools::plain_decimal(v, true) || std::stod(v) > max)
        throw std::invalid_argument(flag + " takes a number from 0 to " + std::to_string(static_cast<long long>(max)) + ", not '" + v + "'");
    return std::stod(v);
}

unsigned long long whole_arg(const std::string& flag, const std::string& v, unsigned long long max) {
    if (!mistasync::tools::plain_decimal(v, false) || std::stoull(v) > max)
        throw std::invalid_argument(flag + " takes a whole number from 0 to " + std::to_string(max) + ", not '" + v + "'");
    return std::stoull(v);
}

std::chrono::milliseconds seconds_arg(const std::string& flag, const std::string& v) {
    return std::chrono::milliseconds(static_cast<long long>(decimal_arg(flag, v, 86'400) * 1000));
}

std::chrono::milliseconds ms_arg(const std::string& flag, const std::string& v) {
    return std::chrono::milliseconds(static_cast<long long>(whole_arg(flag, v, 86'400'000)));
}

}  // namespace

// Defined in the simulator library; parses a fault list such as "500,drop-after".
namespace mistasync::sim {
mistasync::testing::fault_mix parse_fault_list(std::string_view list);
}

int main(int argc, char** argv) {
    mistasync::testing::simulator_options opts;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc || std::string_view(argv[i + 1]).starts_with("--")) throw std::invalid_argument(a + " needs a value");
                return argv[++i];
            };
            if (a == "--listen") {
                std::string v = value();
                auto colon = v.rfind(':');
                if (colon == std::string::npos) throw std::invalid_argument("--listen takes HOST:PORT");
                opts.listen_address = v.substr(0, colon);
                if (opts.listen_address.size() > 1 && opts.listen_address.front() == '[')
                    opts.listen_address = opts.listen_address.substr(1, opts.listen_address.size() - 2);
                opts.port = static_cast<unsigned short>(whole_arg("--listen port", v.substr(colon + 1), 65535));
            } else if (a == "--email") opts.email = value();
            else if (a == "--password") opts.password = value();
            else if (a == "--no-auth") opts.no_auth = true;
            else if (a == "--boot-delay") opts.boot_delay = seconds_arg(a, value());
            else if (a == "--ssh-delay") opts.ssh_delay = seconds_arg(a, value());
            else if (a == "--delay-jitter") opts.delay_jitter = decimal_arg(a, value(), 1);
            else if (a == "--action-delay") opts.action_delay = seconds_arg(a, value());
            else if (a == "--latency-ms") opts.latency = ms_arg(a, value());
            else if (a == "--fault-method") opts.fault_method = value();
            else if (a == "--create-latency-ms") opts.create_latency = ms_arg(a, value());
            else if (a == "--fault-rate") opts.fault_rate = decimal_arg(a, value(), 1);
            else if (a == "--faults") opts.faults = mistasync::sim::parse_fault_list(value());
            else if (a == "--stall-ms") opts.stall_duration = ms_arg(a, value());
            else if (a == "--rate-limit") opts.rate_limit_per_token = decimal_arg(a, value(), 1e9);
            else if (a == "--seed") opts.seed = whole_arg(a, value(), ~0ull >> 1);
            else if (a == "--max-body") opts.max_body_bytes = whole_arg(a, value(), 1ull << 32);
            else if (a == "--tls-cert") opts.tls_cert_file = value();
            else if (a == "--tls-key") opts.tls_key_file = value();
            else if (a == "--empty") opts.demo_world = false;
            else if (a == "--addresses") {
                std::string v = value();
                if (v == "per-provider") opts.addresses = mistasync::testing::address_rule::per_provider;
                else if (v == "at-creation") opts.addresses = mistasync::testing::address_rule::at_creation;
                else if (v == "when-running") opts.addresses = mistasync::testing::address_rule::when_running;
                else throw std::invalid_argument("--addresses takes per-provider, at-creation or when-running, not '" + v + "'");
            } else if (a == "--live-actions") opts.stored_records = false;
            else if (a == "--poll-interval") opts.poll_interval = seconds_arg(a, value());
            else if (a == "--provider-lag-ms") opts.provider_lag = ms_arg(a, value());
            else if (a == "--post-create-failure-rate") opts.post_create_failure_rate = decimal_arg(a, value(), 1);
            else if (a == "--script-duration") opts.script_duration = seconds_arg(a, value());
            else if (a == "--script-failure-rate") opts.script_failure_rate = decimal_arg(a, value(), 1);
            else if (a == "--failing-script") opts.failing_scripts.push_back(value());
            else if (a == "--script-exit-code") opts.script_failure_exit_code = static_cast<int>(whole_arg(a, value(), 255));
            else if (a == "--broken-backend") {
                std::string v = value();
                auto eq = v.rfind('=');
                std::string kind = eq == std::string::npos ? "" : v.substr(eq + 1);
                mistasync::testing::backend_fault f{};
                if (kind == "unavailable") f = mistasync::testing::backend_fault::unavailable;
                else if (kind == "bad-credentials") f = mistasync::testing::backend_fault::bad_credentials;
                else throw std::invalid_argument("--broken-backend takes TITLE=unavailable or TITLE=bad-credentials, not '" + v + "'");
                if (eq == 0) throw std::invalid_argument("--broken-backend needs a backend title or id before '='");
                opts.broken_backends.emplace_back(v.substr(0, eq), f);
            } else if (a == "--legacy-only") opts.serve_v1 = opts.serve_v2 = false;
            else if (a == "--v1-only") opts.serve_legacy = opts.serve_v2 = false;
            else if (a == "--v2-only") opts.serve_legacy = opts.serve_v1 = false;
            else if (a == "--no-legacy") opts.serve_legacy = false;  // what a Mist CE server serves
            else if (a == "--help" || a == "-h") { usage(std::cout); return 0; }
            else if (a == "--version") { std::cout << "mistsim " << MISTASYNC_VERSION_STRING << "\n"; return 0; }
            else throw std::invalid_argument("unknown option " + a);
        }
        if (opts.fault_rate < 0 || opts.fault_rate > 1) throw std::invalid_argument("--fault-rate takes 0..1");
        if (opts.tls_cert_file.empty() != opts.tls_key_file.empty())
            throw std::invalid_argument("--tls-cert and --tls-key go together");
    } catch (const std::exception& e) {
        std::cerr << "mistsim: " << e.what() << "\n";
        usage(std::cerr);
        return 2;
    }

    // A server of many connections: use every descriptor the system allows this process.
    if (rlimit files{}; ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    try {
        boost::asio::io_context io;
        mistasync::testing::simulator sim(io.get_executor(), opts);
        sim.start();
        std::cout << "listening on " << sim.base_url() << std::endl;
        if (!opts.no_auth) {
            std::cout << "api token: " << sim.api_token() << "\n"
                      << "legacy authorization: mist_1 " << opts.email << ":" << sim.legacy_token() << std::endl;
        }
        boost::asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&](auto, int) {
            sim.stop();
            io.stop();
        });
        io.run();
    } catch (const std::exception& e) {
        std::cerr << "mistsim: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
