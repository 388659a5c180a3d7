// The login session: which API era the server speaks and the Authorization header, settled
// once by the first call that needs them (others wait), and again after a 401 when the
// client logs itself in with email and password.
#pragma once

#include "wait_queue.hpp"

#include <mistasync/config.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>

namespace mistasync::detail {

struct op_context;

struct login_session {
    login_session(boost::asio::any_io_executor ex, api_era wanted) : era(wanted), ready_waiters(std::move(ex)) {}
    api_era era;
    std::string authorization;  ///< the Authorization header value; never logged
    bool ready = false;
    bool preparing = false;
    std::uint64_t generation = 0;  ///< bumped by every completed login/detection
    wait_queue ready_waiters;
};

/// Logs in with email and password (not a given token): can do so again on a 401.
inline bool logs_itself_in(const client_options& o) { return o.token.empty() && !o.email.empty() && !o.password.empty(); }

/// Logs in and detects the era if not done yet (one caller does it, the others wait).
boost::asio::awaitable<void> ensure_ready(op_context& op);
/// The era the server speaks, once the session is ready.
boost::asio::awaitable<api_era> ready_era(op_context& op);

}  // namespace mistasync::detail
