// Client tests without sockets: a simulator on the test thread's io_context, each request
// handed to its API in process (deterministic order, no second thread).
#pragma once

#include "client_env.hpp"

#include <mistasync/testing/in_process.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace mistasync::test {

// A simulator on the test thread's io_context, reached only in process.
struct in_process_env {
    explicit in_process_env(testing::simulator_options so = fast_options()) : sim(io.get_executor(), std::move(so)) {}

    boost::asio::io_context io;
    testing::simulator sim;

    client make(api_era era, client_options o = {}) {
        sign_in(o, era, sim.api_token());
        o.retry.seed = 7;
        o.retry.initial_backoff = std::chrono::milliseconds(10);
        return testing::in_process_client(io.get_executor(), sim, std::move(o));
    }

    template <class F>
    auto run(F f) {
        auto fut = boost::asio::co_spawn(io, f(), boost::asio::use_future);
        io.restart();
        io.run();
        return fut.get();
    }
};

}  // namespace mistasync::test
