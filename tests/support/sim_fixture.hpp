// Runs a simulator on its own io_context thread for tests that talk to it over real
// sockets, and gives them ready clients for each era and authentication style.
#pragma once

#include "http_client.hpp"

#include <mistasync/testing/simulator.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <optional>
#include <thread>

namespace mistasync::test {

/// Fast defaults for tests: short delays, no jitter.
inline testing::simulator_options fast_options() {
    testing::simulator_options o;
    o.boot_delay = std::chrono::milliseconds(150);
    o.ssh_delay = std::chrono::milliseconds(150);
    o.action_delay = std::chrono::milliseconds(100);
    o.async_create_delay = std::chrono::milliseconds(50);
    o.delay_jitter = 0;
    o.provider_lag = std::chrono::milliseconds(0);  // an action's transitional state shows at once
    return o;
}

class sim_fixture {
public:
    explicit sim_fixture(testing::simulator_options options = fast_options())
        : guard_(io_.get_executor()), sim_(std::in_place, io_.get_executor(), options) {
        sim_->start();
        token_ = sim_->api_token();
        legacy_ = "mist_1 " + options.email + ":" + sim_->legacy_token();
        thread_ = std::thread([this] { io_.run(); });
    }

    /// Runs f(simulator&) on the simulator's thread and returns its result.
    template <class F>
    auto on_sim(F f) {
        using R = decltype(f(*sim_));
        std::promise<R> p;
        auto fut = p.get_future();
        boost::asio::post(io_, [&] {
            try {
                p.set_value(f(*sim_));
            } catch (...) {
                p.set_exception(std::current_exception());
            }
        });
        return fut.get();
    }

    ~sim_fixture() {
        on_sim([](testing::simulator& s) { s.stop(); return 0; });
        guard_.reset();
        io_.stop();
        thread_.join();
        sim_.reset();
    }

    unsigned short port() const { return sim_->port(); }
    /// A channel into the simulator's API without a socket (safe from any thread).
    detail::message_channel channel() { return sim_->in_process_channel(); }
    const std::string& token() const { return token_; }
    const std::string& legacy_authorization() const { return legacy_; }

    /// A client that sends the bare v1 API token.
    http_client client() {
        http_client c("127.0.0.1", port());
        c.authorization(token_);
        return c;
    }
    /// A client with the 2015 "mist_1 email:token" header.
    http_client legacy_client() {
        http_client c("127.0.0.1", port());
        c.authorization(legacy_);
        return c;
    }
    http_client anonymous_client() { return http_client("127.0.0.1", port()); }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    std::optional<testing::simulator> sim_;
    std::string token_;
    std::string legacy_;
    std::thread thread_;
};

}  // namespace mistasync::test
