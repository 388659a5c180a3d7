#include "call/call.hpp"
#include "call/login_session.hpp"
#include "codec/responses.hpp"
#include "decide/retry_decision.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace mistasync::detail {

namespace {

// Holds an in-flight slot for as long as the call runs.
struct slot_guard {
    call_limits& limits;
    ~slot_guard() { limits.give_back_slot(); }
};

}  // namespace

namespace {

// A route's call before the session is ready: its era is known only after the login.
asio::awaitable<answer> call_when_ready(op_context& op, route_id id, std::vector<std::string> arguments, std::string body) {
    co_await ready_era(op);
    std::vector<std::string_view> views(arguments.begin(), arguments.end());
    co_return co_await send(op, route_request(op.state->session, id, views, std::move(body)));
}

}  // namespace

api_request route_request(const login_session& session, route_id id, std::span<const std::string_view> arguments, std::string body) {
    if (session.era == api_era::v2 && route_era(id, session.era) == api_era::v1 && !session.v1_served) {
        const api_request v1 = make_request(id, api_era::v1, arguments);
        diagnostics d;
        d.method = v1.method;
        d.path = path_only(v1.path);
        d.client_message = "/api/v2 has no such operation, and this server serves no /api/v1 beside it";
        throw op_failure(errc::not_found, std::move(d));
    }
    return make_request(id, session.era, arguments, std::move(body));
}

// Once the session is ready (nearly always) no coroutine frame of its own: an operation
// suspended in a call holds one frame less (in-flight memory).
asio::awaitable<answer> call(op_context& op, route_id id, std::initializer_list<std::string_view> arguments, std::string body) {
    if (op.state->session.ready)
        return send(op, route_request(op.state->session, id, std::span<const std::string_view>(arguments.begin(), arguments.size()), std::move(body)));
    return call_when_ready(op, id, std::vector<std::string>(arguments.begin(), arguments.end()), std::move(body));
}

asio::awaitable<http_response> call(op_context& op, const api_request& req) { co_return (co_await send(op, req)).response; }

asio::awaitable<answer> send(op_context& op, api_request req) {
    client_state& s = *op.state;
    if (!s.session.ready && (req.authenticated || s.session.era == api_era::automatic)) co_await ensure_ready(op);

    op.control->throw_if_cancelled();
    co_await s.limits.take_slot();
    slot_guard guard{s.limits};

    // The op's own record, so that a deadline that unwinds this call can still say what it was doing.
    diagnostics& d = op.control->progress;
    d = diagnostics{};
    d.method = req.method;
    d.path = path_only(req.path);
    const retry_policy& policy = s.options.retry;
    const event_hooks& hooks = s.options.hooks;
    bool logged_in_again = false;
    for (int attempt = 1;; ++attempt) {
        if (s.limits.paced()) co_await s.limits.pace();
        op.control->throw_if_cancelled();  // nothing sent yet for this attempt
        const std::uint64_t session = s.session.generation;
        d.attempts = attempt;
        request_event ev{req.method, d.path, attempt, 0, {}, {}, 0};
        if (hooks.on_request) hooks.on_request(ev);
        bool timed = hooks.on_response || s.logs(log_level::debug);
        auto t0 = timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        http_response r;
        error_code transport_ec;
        std::string error_text;
        bool maybe_sent = false;
        try {
            r = co_await s.transport->exchange(*op.control, to_http(s, req));
        } catch (const transport_failure& f) {
            transport_ec = f.ec;
            error_text = f.text();
            maybe_sent = f.maybe_sent;
        }
        if (timed) ev.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
        ev.status = r.status;
        ev.error = error_text;
        ev.response_bytes = r.body.size();
        if (hooks.on_response) hooks.on_response(ev);
        if (s.logs(log_level::debug))
            s.log(log_level::debug, req.method + " " + d.path + " -> " + (transport_ec ? error_text : std::to_string(r.status)) +
                                        " in " + std::to_string(ev.elapsed.count() / 1000) + " ms");

        // What the answer says, for the diagnostics of this attempt (and of the call, if it fails).
        std::string text;
        if (transport_ec) {
            d.http_status = 0;
            d.server_message.clear();
        } else if (r.status < 200 || r.status >= 300) {
            text = server_text(r);
            d.http_status = r.status;
            d.server_message = text;
        }
        auto server_wait = transport_ec ? std::nullopt : parse_retry_after(r.retry_after);
        d.retry_after = server_wait.value_or(std::chrono::milliseconds(0));
        const attempt_context context{
            .idempotent = req.idempotent,
            .retry_503 = req.retry_503,
            .can_log_in_again = req.authenticated && logs_itself_in(s.options) && !logged_in_again,
            .attempt = attempt,
            .max_attempts = policy.max_attempts,
            .time_left = std::chrono::duration_cast<std::chrono::milliseconds>(op.control->deadline - std::chrono::steady_clock::now())};
        const std::string location = printable(r.location, 200);  // outlives the outcome's view of it
        const attempt_outcome outcome{transport_ec ? 0 : r.status, transport_ec, error_text, maybe_sent, text, server_wait, location};
        const decision next = decide_after_attempt(context, outcome, s.budget);
        d.client_message = next.client_message;
        switch (next.step) {
        case next_step::deliver: co_return answer{std::move(req), std::move(r)};
        case next_step::fail: throw op_failure(next.error, d);
        case next_step::log_in_again_then_resend:
            logged_in_again = true;
            if (s.session.generation == session) s.session.ready = false;
            s.log(log_level::info, "session expired; logging in again");
            co_await ensure_ready(op);
            continue;
        case next_step::sleep_then_resend: break;
        }
        auto delay = retry_delay(s, req, attempt, next.server_wait);
        if (hooks.on_retry) hooks.on_retry(ev, delay);
        co_await sleep_for(delay);
    }
}

}  // namespace mistasync::detail
