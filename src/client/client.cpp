// The client's state, login and era detection, and call(): one API call with limits,
// retries, diagnostics, hooks and logging.
#include "client_state.hpp"
#include "retry_decision.hpp"
#include "routes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <random>

namespace mistasync::detail {
namespace json = boost::json;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(d);
    co_await t.async_wait(asio::use_awaitable);  // throws operation_aborted when cancelled
}

asio::awaitable<void> respect_rate_limit(client_state& s) {
    double rate = s.options.requests_per_second;
    if (rate <= 0) co_return;
    while (true) {
        auto now = std::chrono::steady_clock::now();
        s.rps_tokens = std::min(rate, s.rps_tokens + rate * std::chrono::duration<double>(now - s.rps_last).count());
        s.rps_last = now;
        if (s.rps_tokens >= 1) {
            s.rps_tokens -= 1;
            co_return;
        }
        co_await sleep_for(std::chrono::milliseconds(static_cast<long long>((1 - s.rps_tokens) / rate * 1000) + 1));
    }
}


// The pause before another attempt: jittered backoff, at least the server's Retry-After.
std::chrono::milliseconds retry_delay(client_state& s, const http_request& req, std::string_view path, int attempt,
                                      std::optional<std::chrono::milliseconds> server_wait) {
    auto delay = backoff_delay(s.options.retry, attempt, s.rng);
    if (server_wait) delay = std::max(delay, *server_wait);
    s.log(log_level::info, "retrying " + req.method + " " + std::string(path) + " in " + std::to_string(delay.count()) +
                               " ms (attempt " + std::to_string(attempt + 1) + ")");
    return delay;
}

// One request of login or era detection. Logging in again or asking again which API the
// server speaks does no harm, so each is retried on a dropped connection, a timeout or a
// 429/5xx like a read (a repeated login at worst leaves one more session token).
// `each_attempt` rewrites the request before every attempt (a token's name must be new).
asio::awaitable<http_response> bootstrap_request(op_context& op, http_request req,
                                                 std::function<void(http_request&)> each_attempt = {}) {
    client_state& s = *op.state;
    const retry_policy& policy = s.options.retry;
    for (int attempt = 1;; ++attempt) {
        op.control->throw_if_cancelled();
        if (each_attempt) each_attempt(req);
        http_response r;
        error_code transport_ec;
        std::string transport_text;
        try {
            r = co_await exchange(op, req);
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
        co_await sleep_for(retry_delay(s, req, path_only(req.path), attempt, next.server_wait));
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

[[noreturn]] void fail_with(const http_request& req, const http_response& r, error_code ec, std::string note = {}) {
    diagnostics d{r.status, server_text(r), req.method, path_only(req.path), std::move(note), 1};
    throw op_failure(ec, std::move(d));
}

asio::awaitable<void> prepare(op_context& op) {
    client_state& s = *op.state;
    const client_options& o = s.options;
    bool has_password = !o.email.empty() && !o.password.empty();
    if (!o.token.empty()) s.authorization = o.token;

    if (o.token.empty() && has_password) {
        json::object creds{{"email", o.email}, {"password", o.password}};
        // Distinct names for every request/response: GCC 12 confuses same-named locals of
        // nested scopes in a coroutine frame.
        if (s.era != api_era::legacy) {
            http_request token_req = make_request(route_id::create_token, api_era::v1, {});
            // A fresh name per attempt: an attempt whose answer was lost may have made its token.
            auto name_token = [&creds](http_request& r) {
                json::object body = creds;
                body["name"] = unique_token_name();
                r.body = json::serialize(body);
            };
            http_response token_resp = co_await bootstrap_request(op, token_req, name_token);
            if (token_resp.status == 200) {
                s.authorization = std::string(parse_json(token_resp, token_req).at("token").as_string());
                s.era = api_era::v1;
                s.log(log_level::info, "logged in through /api/v1/tokens");
                co_return;
            }
            if (token_resp.status == 401 || token_resp.status == 403) fail_with(token_req, token_resp, errc::login_failed);
            if (token_resp.status != 404 || s.era == api_era::v1)
                fail_with(token_req, token_resp, error_from_status(token_resp.status));
        }
        http_request auth_req = make_request(route_id::login, api_era::legacy, {}, json::serialize(creds));
        http_response auth_resp = co_await bootstrap_request(op, auth_req);
        if (auth_resp.status == 401 || auth_resp.status == 403) fail_with(auth_req, auth_resp, errc::login_failed);
        if (auth_resp.status != 200) fail_with(auth_req, auth_resp, error_from_status(auth_resp.status));
        json::value doc = parse_json(auth_resp, auth_req);
        if (auto* t = doc.as_object().if_contains("mist_api_token"); t && t->is_string())
            s.authorization = "mist_1 " + o.email + ":" + std::string(t->as_string());
        else if (auto* t2 = doc.as_object().if_contains("token"); t2 && t2->is_string())
            s.authorization = std::string(t2->as_string());
        else
            fail_with(auth_req, auth_resp, errc::bad_response, "login response carries no token");
        s.era = api_era::legacy;
        s.log(log_level::info, "logged in through /auth");
        co_return;
    }
    if (s.era != api_era::automatic) co_return;
    // Which family does the server speak? v1 answers /api/v1/...; a 2015 server 404s.
    http_request probe = make_request(route_id::ping, api_era::v1, {});
    if (s.authorization.empty()) {
        probe.path = "/api/v1/providers";
        probe.authenticated = false;
    }
    http_response probe_resp = co_await bootstrap_request(op, probe);
    if (probe_resp.status == 200) s.era = api_era::v1;
    else if (probe_resp.status == 404) s.era = api_era::legacy;
    else fail_with(probe, probe_resp, error_from_status(probe_resp.status));
    s.log(log_level::info, std::string("API era detected: ") + (s.era == api_era::v1 ? "v1" : "legacy"));
}

}  // namespace

// At most `limit` characters, control characters replaced: server text for messages.
std::string printable(std::string_view text, std::size_t limit) {
    std::string out(text.substr(0, limit));
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return out;
}

// The server's text, short and printable, for diagnostics.
std::string server_text(const http_response& r) {
    std::string_view body = r.body;
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
    if (body.starts_with("<")) return "(an HTML page)";
    std::string out(body.substr(0, 500));
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return out;
}

// --- wait_queue ----------------------------------------------------------------------

asio::awaitable<void> wait_queue::wait() {
    waiter w{asio::steady_timer(ex_, asio::steady_timer::time_point::max())};
    auto it = waiters_.insert(waiters_.end(), &w);
    co_await w.timer.async_wait(use_tuple);
    if (!w.notified) {
        // Woken by cancellation, not by notify: leave the queue and report it.
        waiters_.erase(it);
        throw boost::system::system_error(asio::error::operation_aborted);
    }
}

void wait_queue::notify_one() {
    if (waiters_.empty()) return;
    waiter* w = waiters_.front();
    waiters_.pop_front();
    w->notified = true;
    w->timer.cancel();
}

void wait_queue::notify_all() {
    while (!waiters_.empty()) notify_one();
}

// --- client_state --------------------------------------------------------------------

client_state::client_state(asio::any_io_executor ex, client_options opts)
    : executor(std::move(ex)),
      options(std::move(opts)),
      era(options.era),
      ready_waiters(executor),
      slot_waiters(executor),
      budget(options.retry),
      rng(options.retry.seed ? options.retry.seed
                             : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
      deadline_sweeper(executor) {
    auto parsed = parse_base_url(options.base_url);
    if (!parsed) throw std::invalid_argument("mistasync: base_url must be an http:// or https:// URL with a host");
    url = *parsed;
    rps_tokens = options.requests_per_second;
    pool = make_pool(*this);
}

client_state::~client_state() = default;

void client_state::log(log_level level, const std::string& text) const {
    if (logs(level)) options.logger.sink(level, text);
}

void client_state::start_deadline_sweeper() {
    if (sweeper_running) return;
    sweeper_running = true;
    deadline_sweeper.expires_after(sweep_tick);
    deadline_sweeper.async_wait([weak = weak_from_this()](error_code) {
        auto self = weak.lock();
        if (!self) return;
        self->sweeper_running = false;
        auto now = std::chrono::steady_clock::now();
        std::vector<op_control*> expired;
        for (op_control* op : self->operations) {
            if (op->deadline <= now) {
                expired.push_back(op);
            } else if (op->phase_deadline <= now) {
                op->phase_deadline = std::chrono::steady_clock::time_point::max();
                op->phase_expired = true;
                if (op->close_connection) op->close_connection();
            }
        }
        for (op_control* op : expired) {
            op->deadline = std::chrono::steady_clock::time_point::max();
            op->timed_out = true;
            op->cancel(asio::cancellation_type::terminal);
        }
        if (!self->operations.empty()) self->start_deadline_sweeper();
    });
}


diagnostics timeout_diagnostics(const op_control& control) {
    diagnostics d = control.progress;
    std::string limit = std::to_string(control.time_limit.count() / 1000) + "." + std::to_string(control.time_limit.count() % 1000 / 100);
    std::string what = "timed out: the call's deadline (" + limit + " s) passed";
    if (d.attempts > 0) what += " during attempt " + std::to_string(d.attempts);
    if (d.http_status) what += ", the last answer being " + std::to_string(d.http_status);
    else if (!d.client_message.empty()) what += ", the last failure being " + d.client_message;
    if (d.attempts == 0 && !d.method.empty()) what += " before the request could be sent";
    if (!control.request_written && d.attempts > 0) what += "; nothing was sent";
    d.client_message = std::move(what);
    d.request_sent = control.request_written;
    return d;
}


void check_id(std::string_view what, std::string_view id) {
    if (unusable_id(id)) {
        diagnostics d;
        d.client_message = std::string(what) + " is empty or contains control characters";
        throw op_failure(errc::invalid_argument, d);
    }
}

// A response's document lives in one arena (a shared, reference-counted monotonic
// resource) instead of one heap allocation per object, array and long string: the
// models decoded from it keep their elements, and with them the arena, alive. The parser
// is reused per thread, keeping its working stack between parses.
json::value parse_json(const http_response& r, const http_request& req) {
    thread_local json::parser parser;
    boost::system::error_code ec;
    parser.reset(json::make_shared_resource<json::monotonic_resource>(std::max<std::size_t>(1024, r.body.size() * 2)));
    parser.write(r.body, ec);
    if (!ec) {
        json::value doc = parser.release();  // constructed, not assigned: assignment would copy out of the arena
        parser.reset();                      // the parser lets go of the arena
        return doc;
    }
    parser.reset();
    diagnostics d{r.status, {}, req.method, path_only(req.path), "response is not valid JSON", 1};
    std::string head = r.body.substr(0, 60);
    for (auto& c : head)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    d.server_message = head;
    throw op_failure(errc::bad_response, d);
}

asio::awaitable<void> ensure_ready(op_context& op) {
    client_state& s = *op.state;
    op.control->throw_if_cancelled();
    while (!s.ready) {
        if (s.preparing) {
            co_await s.ready_waiters.wait();
            continue;
        }
        s.preparing = true;
        try {
            co_await prepare(op);
            s.ready = true;
            ++s.login_generation;
        } catch (...) {
            s.preparing = false;
            s.ready_waiters.notify_all();
            throw;
        }
        s.preparing = false;
        s.ready_waiters.notify_all();
    }
}

asio::awaitable<http_response> call(op_context& op, const http_request& req) {
    client_state& s = *op.state;
    if (!s.ready && (req.authenticated || s.era == api_era::automatic)) co_await ensure_ready(op);

    op.control->throw_if_cancelled();
    // First come, first served: a slot freed while others wait is handed to the first
    // waiter (in_flight stays), so a busy caller cannot take it back and starve it.
    if (s.in_flight >= std::max<std::size_t>(1, s.options.max_in_flight) || !s.slot_waiters.empty())
        co_await s.slot_waiters.wait();
    else
        ++s.in_flight;
    struct slot_guard {
        client_state& s;
        ~slot_guard() {
            if (s.slot_waiters.empty()) --s.in_flight;
            else s.slot_waiters.notify_one();
        }
    } guard{s};

    // The op's own record, so that a deadline that unwinds this call can still say what it was doing.
    diagnostics& d = op.control->progress;
    d = diagnostics{};
    d.method = req.method;
    d.path = path_only(req.path);
    const retry_policy& policy = s.options.retry;
    bool logged_in_again = false;
    for (int attempt = 1;; ++attempt) {
        if (s.options.requests_per_second > 0) co_await respect_rate_limit(s);
        op.control->throw_if_cancelled();  // nothing sent yet for this attempt
        const std::uint64_t session = s.login_generation;
        d.attempts = attempt;
        request_event ev{req.method, d.path, attempt, 0, {}, {}};
        if (s.options.hooks.on_request) s.options.hooks.on_request(ev);
        bool timed = s.options.hooks.on_response || s.logs(log_level::debug);
        auto t0 = timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        http_response r;
        error_code transport_ec;
        std::string error_text;
        bool maybe_sent = false;
        try {
            r = co_await exchange(op, req);
        } catch (const transport_failure& f) {
            transport_ec = f.ec;
            error_text = f.text();
            maybe_sent = f.maybe_sent;
        }
        if (timed) ev.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
        ev.status = r.status;
        ev.error = error_text;
        if (s.options.hooks.on_response) s.options.hooks.on_response(ev);
        if (s.logs(log_level::debug))
            s.log(log_level::debug, req.method + " " + d.path + " -> " +
                                        (transport_ec ? error_text : std::to_string(r.status)) + " in " +
                                        std::to_string(ev.elapsed.count() / 1000) + " ms");

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
        const std::string location = printable(r.location, 200);
        attempt_context context{req.idempotent, req.retry_503, req.authenticated && s.logs_itself_in() && !logged_in_again, attempt,
                                policy.max_attempts,
                                std::chrono::duration_cast<std::chrono::milliseconds>(op.control->deadline - std::chrono::steady_clock::now())};
        attempt_outcome outcome{transport_ec ? 0 : r.status, transport_ec, error_text, maybe_sent, text, server_wait, location};
        decision next = decide_after_attempt(context, outcome, s.budget);
        d.client_message = next.client_message;
        switch (next.step) {
        case next_step::deliver: co_return r;
        case next_step::fail: throw op_failure(next.error, d);
        case next_step::log_in_again_then_resend:
            logged_in_again = true;
            if (s.login_generation == session) s.ready = false;
            s.log(log_level::info, "session expired; logging in again");
            co_await ensure_ready(op);
            continue;
        case next_step::sleep_then_resend: break;
        }
        auto delay = retry_delay(s, req, d.path, attempt, next.server_wait);
        if (s.options.hooks.on_retry) s.options.hooks.on_retry(ev, delay);
        co_await sleep_for(delay);
    }
}

asio::any_io_executor executor_of(const client_ref& ref) { return ref.state->executor; }

std::string json_text(const std::shared_ptr<const json_holder>& raw) {
    return raw ? json::serialize(raw->value) : std::string("null");
}

}  // namespace mistasync::detail

namespace mistasync {

client::client(boost::asio::any_io_executor executor, client_options options)
    : ref_{std::make_shared<detail::client_state>(std::move(executor), std::move(options)), {}} {}

const client_options& client::options() const { return ref_.state->options; }

api_era client::era() const { return ref_.state->era; }

std::string client::server() const { return detail::server_identity(ref_.state->url); }

void client::cancel() {
    // On the client's executor (from another thread, dispatched there). Cancelling
    // completes operations later; copy the list first.
    boost::asio::dispatch(ref_.state->executor, [state = ref_.state] {
        std::vector<detail::op_control*> running(state->operations.begin(), state->operations.end());
        for (auto* op : running) op->cancel(boost::asio::cancellation_type::terminal);
    });
}

}  // namespace mistasync
