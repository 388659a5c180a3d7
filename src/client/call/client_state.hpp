// What every handle of one client shares: its options, the HTTP pool, the login session,
// the call limits, the running operations, the state watchers and the retry budget.
// Private to src/; each part's rules live in its own file.
#pragma once

#include "call/call_limits.hpp"
#include "http/transport.hpp"
#include "call/session_state.hpp"
#include "call/recent_actions.hpp"
#include "decide/retry.hpp"
#include "call/running_operations.hpp"

#include <mistasync/client.hpp>

#include <memory>
#include <random>
#include <string>
#include <unordered_map>

namespace mistasync::detail {

struct state_watch;  // waiting.cpp

struct client_state : std::enable_shared_from_this<client_state> {
    client_state(boost::asio::any_io_executor ex, client_options opts);
    /// Requests go to `channel` instead of sockets (the simulator's in-process API).
    client_state(boost::asio::any_io_executor ex, client_options opts, message_channel channel);
    ~client_state();

    boost::asio::any_io_executor executor;
    client_options options;
    base_url url;
    std::unique_ptr<http_transport> transport;  ///< sockets (a connection pool), or a channel in tests
    login_session session;
    call_limits limits;
    retry_budget budget;
    std::mt19937_64 rng;  ///< backoff jitter (seeded by retry_policy::seed for reproducible runs)
    std::shared_ptr<running_operations> operations;

    /// Waiters for machine states, per backend: one shared machine list per interval
    /// serves all of a backend's waiters (waiting.cpp).
    std::unordered_map<std::string, std::shared_ptr<state_watch>> state_watches;
    /// Actions this client sent lately (waits must not take the pre-action state for an answer).
    recent_actions actions_sent;
    /// v2: how long the server's jobs have taken to make a machine lately (a moving average;
    /// 0: none seen yet). A create's job is read first at about that time, not before.
    std::chrono::milliseconds v2_create_time{0};

    bool logs(log_level level) const {
        return options.logger.sink && options.logger.level != log_level::off && level >= options.logger.level;
    }
    void log(log_level level, const std::string& text) const;
};

}  // namespace mistasync::detail
