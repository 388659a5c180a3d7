// The login: which API era the server speaks and the Authorization header (session_state.hpp),
// settled once by the first call that needs them (others wait), and again after a 401
// when the client logs itself in with email and password.
#pragma once

#include <mistasync/config.hpp>

#include <boost/asio/awaitable.hpp>

namespace mistasync::detail {

struct op_context;

/// Logs in and detects the era if not done yet (one caller does it, the others wait).
boost::asio::awaitable<void> ensure_ready(op_context& op);
/// The era the server speaks, once the session is ready.
boost::asio::awaitable<api_era> ready_era(op_context& op);

}  // namespace mistasync::detail
