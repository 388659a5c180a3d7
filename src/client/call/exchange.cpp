#include "call/exchange.hpp"

#include "decide/retry_decision.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace mistasync::detail {

// The HTTP request of `req`: the base URL's prefix, the User-Agent, the session's token
// when the route carries it, the route's Api-Version.
http_request to_http(const client_state& s, const api_request& req) {
    http_request out{.method = req.method, .target = {}, .body = req.body, .fields = {}, .resendable = req.idempotent,
                     .keep_headers = req.keep_headers};
    out.target.reserve(s.url.prefix.size() + req.path.size());
    out.target += s.url.prefix;
    out.target += req.path;
    out.fields.reserve(64 + s.options.user_agent.size() + s.session.authorization.size() + req.api_version.size());
    bool safe = out.add_header("User-Agent", s.options.user_agent);
    if (req.authenticated && !s.session.authorization.empty()) safe = out.add_header("Authorization", s.session.authorization) && safe;
    if (!req.api_version.empty()) safe = out.add_header("Api-Version", req.api_version) && safe;
    if (!safe) throw transport_failure(errc::invalid_argument, false);
    return out;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(d);
    co_await t.async_wait(asio::use_awaitable);  // throws operation_aborted when cancelled
}

std::chrono::milliseconds retry_delay(client_state& s, const api_request& req, int attempt,
                                      std::optional<std::chrono::milliseconds> server_wait) {
    auto delay = backoff_delay(s.options.retry, attempt, s.rng);
    if (server_wait) delay = std::max(delay, *server_wait);
    s.log(log_level::info, "retrying " + req.method + " " + path_only(req.path) + " in " + std::to_string(delay.count()) +
                               " ms (attempt " + std::to_string(attempt + 1) + ")");
    return delay;
}

asio::awaitable<http_response> send_once(op_context& op, const api_request& req) {
    client_state& s = *op.state;
    co_return co_await s.transport->exchange(*op.control, to_http(s, req));
}

}  // namespace mistasync::detail
