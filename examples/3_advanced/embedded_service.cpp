// The SDK inside a small event-driven service: one thread, one io_context, the service's
// own periodic work (a heartbeat timer) next to mist.io calls. A "scale up" request
// creates machines and waits for them while the heartbeat keeps its beat; a "shutdown"
// request cancels whatever is still waiting, and the service stops cleanly.
//
// Against the embedded simulator by default; MIST_URL (+ MIST_TOKEN or MIST_EMAIL and
// MIST_PASSWORD) for a real server.
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdio>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

struct service {
    mistasync::client mist;
    int heartbeats = 0;
    int ready = 0;
    bool stopping = false;
    std::chrono::milliseconds worst_heartbeat_delay{0};

    // The service's own work: a 100 ms heartbeat, never held up by mist.io traffic.
    asio::awaitable<void> heartbeat() {
        asio::steady_timer t(co_await asio::this_coro::executor);
        auto next = std::chrono::steady_clock::now();
        while (!stopping) {
            next += 100ms;
            t.expires_at(next);
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
            auto late = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - next);
            worst_heartbeat_delay = std::max(worst_heartbeat_delay, late);
            ++heartbeats;
        }
    }

    // A request to add `n` machines: create each, then wait for it apart.
    asio::awaitable<void> scale_up(int n) {
        auto b = (co_await mist.backends()).at(0);
        mistasync::machine_spec spec;
        spec.image = (co_await b.images()).at(0).id;
        spec.size = (co_await b.sizes()).at(0).id;
        auto ex = co_await asio::this_coro::executor;
        for (int i = 1; i <= n; ++i) {
            spec.name = "web-" + std::to_string(i);
            auto created = co_await b.create_machine(spec);
            mistasync::wait_policy p;
            p.interval = 250ms;
            asio::co_spawn(ex, b.machine_from(created).wait_until_probed(p, {}, asio::as_tuple(asio::use_awaitable)),
                           [this, name = spec.name](std::exception_ptr, std::tuple<error_code, mistasync::probe_result> r) {
                               auto& [ec, probe] = r;
                               if (!ec && probe.reachable) {
                                   ++ready;
                                   std::printf("  %s is ready (heartbeat %d)\n", name.c_str(), heartbeats);
                               } else {
                                   std::printf("  %s: %s\n", name.c_str(), ec.message().c_str());
                               }
                           });
        }
    }
};

}  // namespace

int main() {
    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = 800ms;
    so.ssh_delay = 800ms;
    server_from_environment server(io.get_executor(), so);
    service svc{mistasync::client(io.get_executor(), server.options)};

    asio::co_spawn(io, svc.heartbeat(), asio::detached);
    asio::co_spawn(io, svc.scale_up(5), [](std::exception_ptr e) {
        if (e) std::printf("scale up failed\n");
    });
    // "Shutdown" after 4 s: cancel what still waits, stop the heartbeat and the simulator.
    asio::steady_timer shutdown(io, 4s);
    shutdown.async_wait([&](error_code) {
        std::printf("shutting down: %d machines ready, %d heartbeats, worst heartbeat delay %lld ms\n", svc.ready,
                    svc.heartbeats, static_cast<long long>(svc.worst_heartbeat_delay.count()));
        svc.stopping = true;
        svc.mist.cancel();
        server.stop();
    });
    io.run();
    return svc.ready == 5 ? 0 : 1;
}
