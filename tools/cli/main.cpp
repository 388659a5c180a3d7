// mistasync — the mist.io command line, on the mistasync SDK.
#include "cli.hpp"
#include "verbs.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <algorithm>
#include <cstdio>

int main(int argc, char** argv) {
    using namespace mistcli;
    namespace asio = boost::asio;
    arguments args;
    connection conn;
    try {
        args = parse_arguments(argc - 1, argv + 1);
        if (args.has(opt::version)) {
            std::printf("mistasync %s\n", MISTASYNC_VERSION_STRING);
            return ok;
        }
        if (args.has(opt::help) || args.verb.empty()) {
            print_help(args.verb, args.has(opt::help) ? stdout : stderr);
            return args.has(opt::help) ? ok : usage_error;
        }
        // The verbs that need no server.
        if (args.verb == "completion") return print_completion(args);
        if (args.verb == "man-page") return print_man_page();
        if (!find_command(args.verb)) throw usage_failure("unknown command " + args.verb);
        configure_output(args);
        conn = resolve_connection(args);
        // provision --concurrency N means N creates in flight: room for them in the pool
        // (beyond 256 they wait their turn, first come first served).
        if (args.verb == "provision")
            conn.options.pool_size = std::max(conn.options.pool_size, std::min<std::size_t>(args.count(opt::concurrency, 50, 100'000) + 8, 256));
    } catch (const usage_failure& e) {
        std::fprintf(stderr, "mistasync: %s\n(mistasync --help lists commands and options)\n", terminal_safe_line(e.what()).c_str());
        return usage_error;
    }

    // A full disk or a file-size limit must fail the journal's write (and be reported),
    // not kill the process with SIGXFSZ half way through a batch.
    std::signal(SIGXFSZ, SIG_IGN);
    // A closed pipe (`mistasync provision | head`) must fail a write, not kill a batch
    // between its creates and its journal.
    std::signal(SIGPIPE, SIG_IGN);
    // The SDK's warnings (TLS verification off, a journal that cannot be written) on stderr.
    // With --debug, the session's steps too: the login, the era detected, a new login.
    conn.options.logger.level = args.has(opt::debug) ? mistasync::log_level::info : mistasync::log_level::warning;
    conn.options.logger.sink = [](mistasync::log_level level, std::string_view text) {
        const char* kind = level >= mistasync::log_level::error ? "error" : level >= mistasync::log_level::warning ? "warning" : "debug";
        std::fprintf(stderr, "mistasync: %s: %s\n", kind, terminal_safe_line(std::string(text)).c_str());
    };

    asio::io_context io;
    int status = ok;
    try {
        embedded_server server(io, args, conn);
        if (args.has(opt::debug)) trace_exchanges(conn.options);
        mistasync::client mist(io.get_executor(), conn.options);
        context c{io, mist, args, structured_output()};
        // Ctrl-C: provision handles it itself (to report what exists); the rest cancel.
        asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
        if (args.verb != "provision")
            signals.async_wait([&](boost::system::error_code ec, int) {
                if (ec) return;
                c.interrupted = true;
                mist.cancel();
            });
        asio::co_spawn(io, find_command(args.verb)(c), [&](std::exception_ptr e, int code) {
            signals.cancel();
            if (server.sim) server.sim->stop();
            status = code;
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const usage_failure& u) {
                std::fprintf(stderr, "mistasync: %s\n", terminal_safe_line(u.what()).c_str());
                status = usage_error;
            } catch (const mistasync::error& err) {
                if (c.interrupted) {
                    status = interrupted;
                    return;
                }
                // The status and the server's own text, never the token.
                std::fprintf(stderr, "mistasync: %s: %s\n", err.code().message().c_str(),
                             terminal_safe_line(err.details().to_string()).c_str());
                // A --wait that ran out of time waited for something not ready yet (a
                // slow attempt counts as "not yet", so this is the wait's deadline).
                status = err.code() == mistasync::errc::timeout && args.declares(opt::wait) && args.has(opt::wait) ? not_ready : api_failure;
            } catch (const std::exception& other) {
                std::fprintf(stderr, "mistasync: %s\n", terminal_safe_line(other.what()).c_str());
                status = api_failure;
            }
        });
        io.run();
        if (c.interrupted && status != ok) status = interrupted;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mistasync: %s\n", terminal_safe_line(e.what()).c_str());
        return api_failure;
    }
    return status;
}
