#include "call/login_session.hpp"

#include "codec/decode.hpp"
#include "codec/encode.hpp"
#include "call/exchange.hpp"
#include "decide/login_plan.hpp"
#include "codec/responses.hpp"
#include "decide/retry_decision.hpp"
#include "codec/routes.hpp"

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
    const event_hooks& hooks = s.options.hooks;
    for (int attempt = 1;; ++attempt) {
        op.control->throw_if_cancelled();
        if (each_attempt) each_attempt(req);
        // The hooks see the login and era detection like any request (never their bodies).
        const std::string path = path_only(req.path);
        request_event ev{req.method, path, attempt, 0, {}, {}, 0};
        if (hooks.on_request) hooks.on_request(ev);
        const auto t0 = std::chrono::steady_clock::now();
        http_response r;
        error_code transport_ec;
        std::string transport_text;
        try {
            r = co_await send_once(op, req);
        } catch (const transport_failure& f) {
            transport_ec = f.ec;
            transport_text = f.text();
        }
        ev.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
        ev.status = r.status;
        ev.error = transport_text;
        ev.response_bytes = r.body.size();
        if (hooks.on_response) hooks.on_response(ev);
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
        const auto delay = retry_delay(s, req, attempt, next.server_wait);
        if (hooks.on_retry) hooks.on_retry(ev, delay);
        co_await sleep_for(delay);
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

// The request of a login plan's step.
api_request request_for(login_plan::step step, const client_options& o) {
    switch (step) {
    case login_plan::step::token_login: return make_request(route_id::create_token, api_era::v1, {});
    case login_plan::step::legacy_login: return make_request(route_id::login, api_era::legacy, {}, credentials_body(o.email, o.password, {}, o.organization));
    case login_plan::step::detect_with_token: return make_request(route_id::ping, api_era::v1, {});
    case login_plan::step::detect_v2: {
        api_request r = make_request(route_id::list_machines, api_era::v2, {"*"});
        r.path = "/api/v2/machines?limit=1&only=id";
        return r;
    }
    default: {
        // Without a token, a route that needs none: v1 answers it, a 2015 server 404s.
        api_request r = make_request(route_id::ping, api_era::v1, {});
        r.path = "/api/v1/providers";
        r.authenticated = false;
        return r;
    }
    }
}

// mist.api gives an unknown organization's login the user's default one, silently: a
// token for another organization than the one asked for is refused, naming both.
void check_organization(const api_request& req, const http_response& r, const json::object& answer, const std::string& wanted) {
    if (wanted.empty()) return;
    const std::string id = text_of(answer.if_contains("org_id")), name = text_of(answer.if_contains("org_name"));
    if (wanted == id || wanted == name) return;
    fail_with(req, r, errc::login_failed,
              "the server made the token for organization '" + name + "' (" + id + "), not '" + wanted +
                  "': the user belongs to no organization with that id or name (client::organizations lists them)");
}

// The session's token from a login's answer (the token kind of its era).
std::string token_from(login_plan::step step, const api_request& req, const http_response& r, const client_options& o) {
    const json_holder parsed = parse_json(r, req);
    const json::value& doc = parsed.value;
    const json::object* answer = doc.if_object();
    if (step == login_plan::step::token_login) {
        if (auto* t = answer ? answer->if_contains("token") : nullptr; t && t->is_string()) {
            check_organization(req, r, *answer, o.organization);
            return std::string(t->as_string());
        }
    } else if (answer) {
        if (auto* t = answer->if_contains("mist_api_token"); t && t->is_string()) return "mist_1 " + o.email + ":" + std::string(t->as_string());
        if (auto* t = answer->if_contains("token"); t && t->is_string()) return std::string(t->as_string());
    }
    fail_with(req, r, errc::bad_response, "login response carries no token");
}

// Carries out the login plan: sends each step's request (retried like a read), feeds the
// plan the status, keeps the token a login returns.
asio::awaitable<void> prepare(op_context& op) {
    client_state& s = *op.state;
    const client_options& o = s.options;
    const bool has_password = !o.email.empty() && !o.password.empty();
    if (!o.token.empty()) s.session.authorization = o.token;
    login_plan plan(s.session.era, !o.token.empty(), has_password);
    while (plan.current() != login_plan::step::done) {
        const login_plan::step step = plan.current();
        api_request req = request_for(step, o);
        if (step == login_plan::step::detect_v2) req.authenticated = plan.authenticated();
        // A fresh token name per attempt: an attempt whose answer was lost may have made its token.
        std::function<void(api_request&)> each_attempt;
        if (step == login_plan::step::token_login)
            each_attempt = [&o](api_request& r) { r.body = credentials_body(o.email, o.password, unique_token_name(), o.organization); };
        http_response resp = co_await bootstrap_request(op, req, each_attempt);
        if (plan.on_answer(resp.status) == login_plan::step::failed) fail_with(req, resp, plan.error());
        const bool logged_in = (step == login_plan::step::token_login || step == login_plan::step::legacy_login) && resp.status == 200;
        if (logged_in) {
            // The token is the session's from now on (an era test may follow, with it).
            s.session.authorization = token_from(step, req, resp, o);
            s.log(log_level::info, step == login_plan::step::token_login ? "logged in through /api/v1/tokens" : "logged in through /auth");
        } else if (plan.current() == login_plan::step::done) {
            s.log(log_level::info, plan.era() == api_era::v2 ? std::string(plan.v1_served() ? "API era detected: v2, with /api/v1 beside it" : "API era detected: v2 alone")
                                                             : std::string("API era detected: ") + (plan.era() == api_era::v1 ? "v1" : "legacy"));
        }
    }
    s.session.era = plan.era();
    s.session.v1_served = plan.v1_served();
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
