// Bulk provisioning with mistasync::provision: N machines, at most C creates at a time,
// each waited for until it runs and answers SSH, with live progress and a journal.
// Ctrl-C cancels the batch; the report (and the journal) says what exists.
//
//   multi_provision [--count N] [--concurrency C] [--boot-delay S] [--ssh-delay S] [--journal FILE]
// Against the embedded simulator by default; against a server with MIST_URL and
// MIST_TOKEN (or MIST_EMAIL + MIST_PASSWORD).
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

// Finds what to create: the first backend, its first image and size.
asio::awaitable<std::pair<mistasync::backend, mistasync::machine_spec>> choose(mistasync::client& mist) {
    auto backends = co_await mist.backends();
    mistasync::backend b = backends.at(0);
    mistasync::machine_spec base;
    base.image = (co_await b.images()).at(0).id;
    base.size = (co_await b.sizes()).at(0).id;
    co_return std::pair{b, base};
}

void show(const mistasync::provision_counts& c, double seconds) {
    std::printf("\r[%5.1fs] created %4zu/%zu  running %4zu  probed %4zu  failed %3zu   ", seconds, c.created, c.requested,
                c.running, c.probed, c.failed);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    int count = 300, concurrency = 100;
    double boot = 2.0, ssh = 2.0;
    std::string journal;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--count") count = std::atoi(argv[i + 1]);
        else if (a == "--concurrency") concurrency = std::atoi(argv[i + 1]);
        else if (a == "--boot-delay") boot = std::atof(argv[i + 1]);
        else if (a == "--ssh-delay") ssh = std::atof(argv[i + 1]);
        else if (a == "--journal") journal = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: %s [--count N] [--concurrency C] [--boot-delay S] [--ssh-delay S] [--journal FILE]\n", argv[0]);
            return 2;
        }
    }
    if (count < 1 || concurrency < 1) return 2;

    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = std::chrono::milliseconds(static_cast<long>(boot * 1000));
    so.ssh_delay = std::chrono::milliseconds(static_cast<long>(ssh * 1000));
    server_from_environment server(io.get_executor(), so);
    mistasync::client mist(io.get_executor(), server.options);

    asio::cancellation_signal stop;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](error_code ec, int) {
        if (!ec) stop.emit(asio::cancellation_type::terminal);  // the whole batch, at once
    });

    int status = 0;
    auto started = std::chrono::steady_clock::now();
    auto run = [&]() -> asio::awaitable<void> {
        auto [b, base] = co_await choose(mist);
        std::vector<mistasync::machine_spec> specs;
        for (int n = 1; n <= count; ++n) {
            mistasync::machine_spec spec = base;
            spec.name = "demo-" + std::to_string(n);
            specs.push_back(spec);
        }
        mistasync::provision_options options;
        options.concurrency = static_cast<std::size_t>(concurrency);
        options.journal_path = journal;
        auto shown = started;
        options.on_change = [&](const mistasync::provisioned_machine&, const mistasync::provision_counts& c) {
            auto now = std::chrono::steady_clock::now();
            if (now - shown < 200ms) return;  // a line five times a second is plenty
            shown = now;
            show(c, std::chrono::duration<double>(now - started).count());
        };
        std::printf("provisioning %d machines on %s, %d creates at a time\n", count, b.title.c_str(), concurrency);
        // as_tuple: a cancelled batch still hands over its report.
        auto [ec, report] = co_await mistasync::provision(b, specs, options,
                                                          asio::bind_cancellation_slot(stop.slot(), asio::as_tuple(asio::use_awaitable)));
        show(report.counts, static_cast<double>(report.elapsed.count()) / 1000);
        std::printf("\n");
        for (auto& m : report.machines)
            if (m.stage == mistasync::provision_stage::failed) std::printf("  %s: %s\n", m.name.c_str(), m.details.to_string().c_str());
        if (report.cancelled) {
            std::size_t exist = 0;
            for (auto& m : report.machines) exist += m.exists();
            std::printf("interrupted: %zu machines exist\n", exist);
            status = 130;
        } else if (ec) {
            std::printf("error: %s\n", ec.message().c_str());
            status = 1;
        } else {
            status = report.counts.failed ? 1 : 0;
        }
    };
    asio::co_spawn(io, run(), [&](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::fprintf(stderr, "error: %s\n", ex.what());
            }
            status = 1;
        }
        signals.cancel();
        server.stop();
    });
    io.run();
    return status;
}
