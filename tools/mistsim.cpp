// mistsim — the mist.io API simulator as a standalone server.
//
//   mistsim --listen 127.0.0.1:0 --email E --password P [--no-auth] [--boot-delay S]
//           [--ssh-delay S] [--latency-ms N] [--fault-rate P] [--faults LIST] [--seed N]
//           [--rate-limit R] [--tls-cert F --tls-key F] [--empty]
//
// Prints "listening on http://HOST:PORT" as its first line (flushed), then the tokens a
// client can use, and exits 0 on SIGINT/SIGTERM.
#include <mistasync/testing/simulator.hpp>
#include <mistasync/version.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

void usage(std::ostream& out) {
    out << "usage: mistsim [--listen HOST:PORT] [--email E] [--password P] [--no-auth]\n"
           "               [--boot-delay S] [--ssh-delay S] [--action-delay S] [--latency-ms N] [--create-latency-ms N]\n"
           "               [--fault-rate P] [--faults LIST] [--fault-method M] [--stall-ms N] [--rate-limit R]\n"
           "               [--seed N] [--max-body BYTES] [--tls-cert F --tls-key F] [--empty]\n"
           "               [--legacy-only | --v1-only]\n"
           "  LIST: all, or some of 500,503,429,drop-before,drop-after,stall,truncated,slow-body,malformed-json\n";
}

std::chrono::milliseconds seconds_arg(const std::string& v) {
    double s = std::stod(v);
    if (s < 0) throw std::invalid_argument("negative duration");
    return std::chrono::milliseconds(static_cast<long long>(s * 1000));
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
                if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
                return argv[++i];
            };
            if (a == "--listen") {
                std::string v = value();
                auto colon = v.rfind(':');
                if (colon == std::string::npos) throw std::invalid_argument("--listen takes HOST:PORT");
                opts.listen_address = v.substr(0, colon);
                if (opts.listen_address.size() > 1 && opts.listen_address.front() == '[')
                    opts.listen_address = opts.listen_address.substr(1, opts.listen_address.size() - 2);
                int port = std::stoi(v.substr(colon + 1));
                if (port < 0 || port > 65535) throw std::invalid_argument("port out of range");
                opts.port = static_cast<unsigned short>(port);
            } else if (a == "--email") opts.email = value();
            else if (a == "--password") opts.password = value();
            else if (a == "--no-auth") opts.no_auth = true;
            else if (a == "--boot-delay") opts.boot_delay = seconds_arg(value());
            else if (a == "--ssh-delay") opts.ssh_delay = seconds_arg(value());
            else if (a == "--action-delay") opts.action_delay = seconds_arg(value());
            else if (a == "--latency-ms") opts.latency = std::chrono::milliseconds(std::stoll(value()));
            else if (a == "--fault-method") opts.fault_method = value();
            else if (a == "--create-latency-ms") opts.create_latency = std::chrono::milliseconds(std::stoll(value()));
            else if (a == "--fault-rate") opts.fault_rate = std::stod(value());
            else if (a == "--faults") opts.faults = mistasync::sim::parse_fault_list(value());
            else if (a == "--stall-ms") opts.stall_duration = std::chrono::milliseconds(std::stoll(value()));
            else if (a == "--rate-limit") opts.rate_limit_per_token = std::stod(value());
            else if (a == "--seed") opts.seed = std::stoull(value());
            else if (a == "--max-body") opts.max_body_bytes = std::stoull(value());
            else if (a == "--tls-cert") opts.tls_cert_file = value();
            else if (a == "--tls-key") opts.tls_key_file = value();
            else if (a == "--empty") opts.demo_world = false;
            else if (a == "--legacy-only") opts.serve_v1 = false;
            else if (a == "--v1-only") opts.serve_legacy = false;
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
