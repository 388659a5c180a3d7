// mistasync::testing::in_process_client — a client of a simulator without sockets.
//
// Each request is handed to the simulator's API on the simulator's executor and served as
// a connection's would be (latency, create time, scripted and drawn faults), in the order
// it was sent; the answer comes back through the same call driver (limits, retries, login,
// deadlines, diagnostics) as over HTTP. For route and shape tests that should not depend
// on ports, threads or timing. TLS, keep-alive and the connection pool are not exercised:
// test those over sockets.
#pragma once

#include <mistasync/client.hpp>
#include <mistasync/testing/simulator.hpp>

namespace mistasync::testing {

/// A client on `executor` whose requests go to `sim` in process. `options.base_url` may
/// stay empty (nothing is resolved or connected); everything else applies as usual.
inline client in_process_client(boost::asio::any_io_executor executor, simulator& sim, client_options options = {}) {
    if (options.base_url.empty()) options.base_url = "http://in-process.invalid";
    return detail::client_over_channel(std::move(executor), std::move(options), sim.in_process_channel());
}

}  // namespace mistasync::testing
