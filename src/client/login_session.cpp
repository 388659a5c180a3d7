#include "call.hpp"
#include "encode.hpp"
#include "responses.hpp"
#include "retry_decision.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <cstdio>
#include <functional>
#include <random>

namespace mistasync::detail {
namespace json = boost::json;

namespace {

// One request of login or era detection. Logging in again or asking again which API the
// server speaks does no harm, so each is retried on a dropped connection, a timeout or a
// 429/5xx like a read (a repeated login at worst leaves one more session token).
// `each_attempt` rewrites the request before every attempt (a token's name must be new).
asio::awaitable<http_response> bootstrap_request(op_context& op, api_request req,
                                                 std::function<void(api_request&)> each_attempt = {}) {
    client_state& s = *op.state;
    const retry_policy& policy = s.options.retry;
    for (int attempt = 1;; ++attempt) {
        op.control->throw_if_cancelled();
        if (each_attempt) each_attempt(req);
        http_response r;
        error_code transport_ec;
        std::string transport_text;
        try {
            r = co_await send_once(op, req);
        } catch (const transport_failure& f) {
            transport_ec = f.ec;
            transport_text = f.text();
        }
        // Decided as for a read; an answer that is not resent goes back to the caller, which
        // knows what a 401 or a 404 means here.
        const std::string text = transport_ec ? std::string() : server_text(r);
        attempt_context context{.idempotent = true, .retry_503 = req.retry_503, .attempt = attempt, .max_attempts = policy.max_attempts};
        attempt_outcome outcome{transport_ec ? 0 : r.status, transport_ec, transport_text, true, text,
                                transport_ec ? std::nullopt : parse_retry_after(r.retry_after), {}};
        decision next = decide_after_attempt(context, outcome, s.budget);
        if (next.step != next_step::sleep_then_resend) {
            if (!transport_ec) co_return r;
            diagnostics d{0, {}, req.method, path_only(req.path), transport_text, attempt};
            throw op_failure(transport_ec, d);
        }
        co_await sleep_for(retry_delay(s, req, attempt, next.server_wait));
    }
}

// Token names must be unique per user. Not from the retry generator: its seed may be
// fixed for reproducible backoff, and every client so seeded would pick the same name.
std::string unique_token_name() {
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t bits = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                         (counter.fetch_add(1) * 0x9e3779b97f4a7c15ULL);
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(bits));
    return std::string("mistasync-") + text;
}

[[noreturn]] void fail_with(const api_request& req, const http_response& r, error_code ec, std::string note = {}) {
    diagnostics d{r.status, server_text(r), req.method, path_only(req.path), std::move(note), 1};
    throw op_failure(ec, std::move(d));
}

asio::awaitable<void> prepare(op_context& op) {
    client_state& s = *op.state;
    const client_options& o = s.options;
    bool has_password = !o.email.empty() && !o.password.empty();
    if (!o.token.empty()) s.session.authorization = o.token;

    if (o.token.empty() && has_password) {
        // Distinct names for every request/response: GCC 12 confuses same-named locals of
        // nested scopes in a coroutine frame.
        if (s.session.era != api_era::legacy) {
            api_request token_req = make_request(route_id::create_token, api_era::v1, {});
            // A fresh name per attempt: an attempt whose answer was lost may have made its token.
            auto name_token = [&o](api_request& r) { r.body = credentials_body(o.email, o.password, unique_token_name()); };
            http_response token_resp = co_await bootstrap_request(op, token_req, name_token);
            if (token_resp.status == 200) {
                s.session.authorization = std::string(parse_json(token_resp, token_req).at("token").as_string());
                s.session.era = api_era::v1;
                s.log(log_level::info, "logged in through /api/v1/tokens");
                co_return;
            }
            if (token_resp.status == 401 || token_resp.status == 403) fail_with(token_req, token_resp, errc::login_failed);
            if (token_resp.status != 404 || s.session.era == api_era::v1)
                fail_with(token_req, token_resp, error_from_status(token_resp.status));
        }
        api_request auth_req = make_request(route_id::login, api_era::legacy, {}, credentials_body(o.email, o.password));
        http_response auth_resp = co_await bootstrap_request(op, auth_req);
        if (auth_resp.status == 401 || auth_resp.status == 403) fail_with(auth_req, auth_resp, errc::login_failed);
        if (auth_resp.status != 200) fail_with(auth_req, auth_resp, error_from_status(auth_resp.status));
        json::value doc = parse_json(auth_resp, auth_req);
        if (auto* t = doc.as_object().if_contains("mist_api_token"); t && t->is_string())
            s.session.authorization = "mist_1 " + o.email + ":" + std::string(t->as_string());
        else if (auto* t2 = doc.as_object().if_contains("token"); t2 && t2->is_string())
            s.session.authorization = std::string(t2->as_string());
        else
            fail_with(auth_req, auth_resp, errc::bad_response, "login response carries no token");
        s.session.era = api_era::legacy;
        s.log(log_level::info, "logged in through /auth");
        co_return;
    }
    if (s.session.era != api_era::automatic) co_return;
    // Which family does the server speak? v1 answers /api/v1/...; a 2015 server 404s.
    api_request probe = make_request(route_id::ping, api_era::v1, {});
    if (s.session.authorization.empty()) {
        probe.path = "/api/v1/providers";
        probe.authenticated = false;
    }
    http_response probe_resp = co_await bootstrap_request(op, probe);
    if (probe_resp.status == 200) s.session.era = api_era::v1;
    else if (probe_resp.status == 404) s.session.era = api_era::legacy;
    else fail_with(probe, probe_resp, error_from_status(probe_resp.status));
    s.log(log_level::info, std::string("API era detected: ") + (s.session.era == api_era::v1 ? "v1" : "legacy"));
}

}  // namespace

asio::awaitable<void> ensure_ready(op_context& op) {
    client_state& s = *op.state;
    op.control->throw_if_cancelled();
    while (!s.session.ready) {
        if (s.session.preparing) {
            co_await s.session.ready_waiters.wait();
            continue;
        }
        s.session.preparing = true;
        try {
            co_await prepare(op);
            s.session.ready = true;
            ++s.session.generation;
        } catch (...) {
            s.session.preparing = false;
            s.session.ready_waiters.notify_all();
            throw;
        }
        s.session.preparing = false;
        s.session.ready_waiters.notify_all();
    }
}

asio::awaitable<api_era> ready_era(op_context& op) {
    if (!op.state->session.ready) co_await ensure_ready(op);
    co_return op.state->session.era;
}

}  // namespace mistasync::detail
