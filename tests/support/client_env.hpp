// SDK tests: a simulator on its own thread, and clients on the test thread's io_context.
#pragma once

#include "sim_fixture.hpp"
#include "test_ca.hpp"

#include <mistasync/mistasync.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "errc_printing.hpp"

#include <cstdlib>
#include <string>

namespace mistasync::test {

/// MISTASYNC_TEST_TLS=1: the same tests over HTTPS (a test CA made with openssl).
inline bool tls_mode() {
    const char* v = std::getenv("MISTASYNC_TEST_TLS");
    return v && std::string(v) == "1";
}

/// MISTASYNC_TEST_TRANSPORT=in_process: the same tests without sockets, each request
/// handed to the simulator's API (mistasync/testing/in_process.hpp).
inline bool in_process_mode() {
    const char* v = std::getenv("MISTASYNC_TEST_TRANSPORT");
    return v && std::string(v) == "in_process";
}

inline const test_ca& shared_test_ca() {
    static test_ca ca = make_test_ca();
    return ca;
}

inline testing::simulator_options with_tls_if_asked(testing::simulator_options o) {
    if (tls_mode()) {
        o.tls_cert_file = shared_test_ca().server_cert;
        o.tls_key_file = shared_test_ca().server_key;
    }
    return o;
}

/// A client's credentials for the simulator's user in `era`: v1 the bare API token,
/// legacy the email and password (a login through /auth).
inline void sign_in(client_options& o, api_era era, const std::string& api_token) {
    o.era = era;
    if (era == api_era::legacy) {
        o.email = "user@example.com";
        o.password = "secret";
    } else {
        o.token = api_token;
    }
}

struct client_env {
    explicit client_env(testing::simulator_options o = fast_options()) : sim(with_tls_if_asked(o)) {}

    sim_fixture sim;
    boost::asio::io_context io;

    /// v1: the bare API token; legacy: email + password, logging in through /auth.
    client_options options(api_era era) {
        client_options o;
        o.base_url = (tls_mode() ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(sim.port());
        if (tls_mode()) o.tls.ca_file = shared_test_ca().ca_cert;
        sign_in(o, era, sim.token());
        o.retry.seed = 7;
        o.retry.initial_backoff = std::chrono::milliseconds(20);
        return o;
    }

    client make(api_era era) { return make(options(era)); }
    client make(client_options o) {
        if (in_process_mode()) return detail::client_over_channel(io.get_executor(), std::move(o), sim.channel());
        return client(io.get_executor(), std::move(o));
    }

    /// Runs a coroutine on io to completion; returns its value or rethrows.
    template <class F>
    auto run(F f) {
        auto fut = boost::asio::co_spawn(io, f(), boost::asio::use_future);
        io.restart();
        io.run();
        return fut.get();
    }
};

inline const char* era_name(api_era e) { return e == api_era::legacy ? "legacy" : e == api_era::v2 ? "v2" : "v1"; }

}  // namespace mistasync::test
