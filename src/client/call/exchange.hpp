// One exchange of a request with the server, below calls and logins: the HTTP request of
// an API request (prefix, User-Agent, the session's token, Api-Version), one send with no
// limits and no retries, and the pause before another attempt. Both call.cpp and the
// login (login_session.cpp) build on it, so neither needs the other's module.
#pragma once

#include "codec/api_request.hpp"
#include "call/operation_runner.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>

namespace mistasync::detail {

/// The HTTP request of `req`: the base URL's prefix, the User-Agent, the session's token
/// when the route carries it, the route's Api-Version. A header value that cannot be sent
/// is transport_failure(invalid_argument).
http_request to_http(const client_state& s, const api_request& req);

/// One exchange of `req` with the session's headers, no limits and no retries (what the
/// login's own requests send; calls do the same inside their loop). Throws transport_failure.
boost::asio::awaitable<http_response> send_once(op_context& op, const api_request& req);

/// The pause before another attempt: jittered backoff, at least the server's Retry-After.
std::chrono::milliseconds retry_delay(client_state& s, const api_request& req, int attempt,
                                      std::optional<std::chrono::milliseconds> server_wait);

/// Sleeps on the current executor; throws operation_aborted when cancelled.
boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d);

}  // namespace mistasync::detail
