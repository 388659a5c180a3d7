// One API call: the session made ready, the call limits, the session's headers, the retry
// decision carried out (resend, log in again, sleep), hooks, logging and diagnostics.
#pragma once

#include "codec/api_request.hpp"
#include "call/exchange.hpp"
#include "call/login_session.hpp"
#include "call/session_state.hpp"
#include "call/operation_runner.hpp"
#include "codec/routes.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>

namespace mistasync::detail {

/// A request and its answer: what an operation decodes, and names in its errors.
struct answer {
    api_request request;
    http_response response;
};

/// One API call: the session made ready, the limits, every attempt the retry decision
/// allows. Returns the request with its 2xx answer, or throws op_failure.
boost::asio::awaitable<answer> send(op_context& op, api_request req);

/// The same, for a request the caller keeps; returns the 2xx answer.
boost::asio::awaitable<http_response> call(op_context& op, const api_request& req);

/// The request of route `id` for this session: a v2 session sends v1's route where v2 has
/// none, which needs v1 served beside v2 (else errc::not_found saying so).
api_request route_request(const login_session& session, route_id id, std::span<const std::string_view> arguments, std::string body = {});

/// The call of route `id` in the era the session speaks (logged in first when needed).
boost::asio::awaitable<answer> call(op_context& op, route_id id, std::initializer_list<std::string_view> arguments = {},
                                    std::string body = {});

}  // namespace mistasync::detail
