// Shared by the examples: talk to the server MIST_URL names (with MIST_TOKEN, or
// MIST_EMAIL + MIST_PASSWORD), or else start the simulator in-process.
#pragma once

#include <mistasync/config.hpp>
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>

struct server_from_environment {
    mistasync::client_options options;
    std::optional<mistasync::testing::simulator> simulator;  ///< set when no MIST_URL

    server_from_environment(boost::asio::any_io_executor ex, const mistasync::testing::simulator_options& sim_options) {
        if (const char* url = std::getenv("MIST_URL")) {
            options.base_url = url;
            if (const char* t = std::getenv("MIST_TOKEN")) options.token = t;
            if (const char* e = std::getenv("MIST_EMAIL")) options.email = e;
            if (const char* p = std::getenv("MIST_PASSWORD")) options.password = p;
            return;
        }
        simulator.emplace(ex, sim_options);
        simulator->start();
        options.base_url = simulator->base_url();
        options.email = sim_options.email;
        options.password = sim_options.password;
        std::printf("embedded simulator at %s\n", options.base_url.c_str());
    }

    /// Stops the simulator (if any) so that io_context::run() can return.
    void stop() {
        if (simulator) simulator->stop();
    }
};
