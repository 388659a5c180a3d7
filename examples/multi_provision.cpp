// Bulk provisioning: create N machines with at most C requests in flight, wait until
// each answers a probe, and show live progress. Ctrl-C cancels everything at once
// (client::cancel) and reports what exists.
//
//   multi_provision [--count N] [--concurrency C] [--boot-delay S] [--ssh-delay S]
// Against the embedded simulator by default; against a server with MIST_URL and
// MIST_TOKEN (or MIST_EMAIL + MIST_PASSWORD).
#include <mistasync/mistasync.hpp>
#include "server_from_environment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <random>
#include <string>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

struct progress {
    int requested = 0, created = 0, probed = 0, failed = 0, requests = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::vector<std::string> errors;
    double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); }
};

struct batch {
    mistasync::client mist;
    mistasync::backend backend;
    mistasync::machine_spec base;
    std::deque<int> queue;  // machine numbers not yet started
    progress p;
    bool stopping = false;
    int waiting = 0;        // created machines whose probe loop still runs
};

// Waits for SSH with jittered exponential backoff: 0.5 s up to 4 s.
asio::awaitable<bool> wait_until_probed(batch& b, mistasync::machine m) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    std::mt19937 rng(std::hash<std::string>{}(m.id));
    auto delay = 500ms;
    for (int attempt = 0; attempt < 200 && !b.stopping; ++attempt) {
        ++b.p.requests;
        auto [ec, result] = co_await m.probe({}, asio::as_tuple(asio::use_awaitable));
        if (ec) {
            b.p.errors.push_back(m.name + ": probe: " + ec.message());
            co_return false;
        }
        if (result.reachable) co_return true;
        timer.expires_after(std::chrono::milliseconds(std::uniform_int_distribution<int>(delay.count() / 2, delay.count())(rng)));
        auto [tec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (tec) co_return false;
        delay = std::min(delay * 2, std::chrono::milliseconds(4000));
    }
    co_return false;
}

// One worker: takes the next machine number from the queue until it is empty. It only
// creates: waiting for a machine runs apart and costs a timer, not a worker.
asio::awaitable<void> worker(batch& b) {
    while (!b.queue.empty() && !b.stopping) {
        int n = b.queue.front();
        b.queue.pop_front();
        mistasync::machine_spec spec = b.base;
        spec.name = b.base.name + "-" + std::to_string(n);
        ++b.p.requests;
        auto [ec, created] = co_await b.backend.create_machine(spec, asio::as_tuple(asio::use_awaitable));
        if (ec) {
            ++b.p.failed;
            b.p.errors.push_back(spec.name + ": create: " + ec.message());
            continue;
        }
        ++b.p.created;
        ++b.waiting;
        asio::co_spawn(co_await asio::this_coro::executor, wait_until_probed(b, b.backend.machine_from(created)),
                       [&b](std::exception_ptr e, bool probed) {
                           --b.waiting;
                           if (!e && probed) ++b.p.probed;
                           else ++b.p.failed;
                       });
    }
}

void show(const progress& p, bool tty, bool final) {
    double t = p.elapsed();
    int done = p.probed + p.failed;
    double rate = t > 0 ? done / t : 0;
    double eta = rate > 0 ? (p.requested - done) / rate : 0;
    std::printf(tty && !final ? "\r" : "");
    std::printf("[%5.1fs] created %4d/%d  probed %4d  failed %3d  %6.1f machines/s  ETA %4.0fs  (%d requests)",
                t, p.created, p.requested, p.probed, p.failed, rate, eta, p.requests);
    std::printf(tty && !final ? "   " : "\n");
    std::fflush(stdout);
}

asio::awaitable<void> provision(batch& b, int concurrency) {
    std::vector<mistasync::backend> backends = co_await b.mist.backends();
    b.backend = backends.at(0);
    auto images = co_await b.backend.images();
    auto sizes = co_await b.backend.sizes();
    b.base.image = images.at(0).id;
    b.base.size = sizes.at(0).id;
    std::printf("provisioning %d machines on %s (image %s, size %s), %d at a time\n", b.p.requested,
                b.backend.title.c_str(), images.at(0).name.c_str(), sizes.at(0).name.c_str(), concurrency);
    auto ex = co_await asio::this_coro::executor;
    int running = concurrency;
    for (int i = 0; i < concurrency; ++i)
        asio::co_spawn(ex, worker(b), [&](std::exception_ptr e) {
            if (e) ++b.p.failed;
            --running;
        });
    bool tty = isatty(STDOUT_FILENO);
    asio::steady_timer tick(ex);
    while (running > 0 || b.waiting > 0) {
        show(b.p, tty, false);
        tick.expires_after(tty ? 200ms : 1000ms);
        co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    show(b.p, tty, true);
}

}  // namespace

int main(int argc, char** argv) {
    int count = 300, concurrency = 100;
    double boot = 2.0, ssh = 2.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--count") count = std::atoi(argv[i + 1]);
        else if (a == "--concurrency") concurrency = std::atoi(argv[i + 1]);
        else if (a == "--boot-delay") boot = std::atof(argv[i + 1]);
        else if (a == "--ssh-delay") ssh = std::atof(argv[i + 1]);
        else {
            std::fprintf(stderr, "usage: %s [--count N] [--concurrency C] [--boot-delay S] [--ssh-delay S]\n", argv[0]);
            return 2;
        }
    }
    if (count < 1 || concurrency < 1) return 2;

    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = std::chrono::milliseconds(static_cast<long>(boot * 1000));
    so.ssh_delay = std::chrono::milliseconds(static_cast<long>(ssh * 1000));
    server_from_environment server(io.get_executor(), so);
    mistasync::client_options options = server.options;
    if (server.simulator)
        std::printf("(machines boot in %.1fs, answer SSH %.1fs later, +-20%% jitter)\n", boot, ssh);
    options.pool_size = static_cast<std::size_t>(std::min(concurrency, 256));

    batch b{mistasync::client(io.get_executor(), options), {}, {}, {}, {}};
    b.base.name = "demo";
    b.p.requested = count;
    for (int n = 1; n <= count; ++n) b.queue.push_back(n);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    bool interrupted = false;
    signals.async_wait([&](error_code ec, int) {
        if (ec) return;
        interrupted = true;
        b.stopping = true;
        b.mist.cancel();  // every request and wait of this client ends now
    });
    int status = 0;
    asio::co_spawn(io, provision(b, concurrency), [&](std::exception_ptr e) {
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
    for (std::size_t i = 0; i < b.p.errors.size() && i < 5; ++i) std::fprintf(stderr, "  %s\n", b.p.errors[i].c_str());
    if (interrupted) {
        std::printf("interrupted: %d machines were created (%d probed)\n", b.p.created, b.p.probed);
        return 130;
    }
    if (server.simulator)
        std::printf("the simulator holds %zu machines (2 from its demo world)\n", server.simulator->machine_count());
    return status ? status : (b.p.failed ? 1 : 0);
}
