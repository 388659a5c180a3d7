// Client configuration: a plain aggregate with documented defaults.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <mistasync/version.hpp>

namespace mistasync {

struct diagnostics;

/// Which route family to speak: the 2015 "/backends" API, "/api/v1", "/api/v2" (today's
/// servers serve it beside v1; what v2 lacks goes through the same server's v1 routes), or
/// detect once.
enum class api_era { automatic, legacy, v1, v2 };

/// How https:// servers are verified.
struct tls_options {
    /// Verify the server certificate and host name. Turning this off is the explicit,
    /// loudly logged equivalent of the Python client's verify=False.
    bool verify = true;
    std::string ca_file;  ///< PEM bundle to trust instead of the system store
    std::string ca_path;  ///< directory of hashed certificates to trust as well
};

/// Timeouts of each phase of a call, and of the whole call.
struct timeouts {
    std::chrono::milliseconds connect{10'000};   ///< TCP connect
    std::chrono::milliseconds tls{10'000};       ///< TLS handshake
    std::chrono::milliseconds request{30'000};   ///< one request: write and read the response
    std::chrono::milliseconds total{120'000};    ///< one call, retries and waits included
};

/// Retries of idempotent requests (GET, PUT, DELETE, probe) on connect errors, 5xx and
/// 429: jittered exponential backoff, honouring Retry-After. Creates are never resent.
struct retry_policy {
    int max_attempts = 4;                          ///< 1 disables retries
    std::chrono::milliseconds initial_backoff{100};  ///< the first retry waits up to this (jittered)
    std::chrono::milliseconds max_backoff{5'000};  ///< no retry waits longer (except for Retry-After)
    double multiplier = 2.0;  ///< growth of the backoff per attempt

    /// Retry budget: each retry spends one token, each success earns `budget_refill`.
    /// When empty, failures are returned at once (protects a server that is down).
    double budget_capacity = 50;
    double budget_refill = 0.2;  ///< tokens earned by each success
    std::uint64_t seed = 0;  ///< 0: seeded from the clock
};

enum class log_level { trace, debug, info, warning, error, off };

/// Where the client's log lines go (never containing the token).
struct logger {
    log_level level = log_level::off;  ///< silent by default
    std::function<void(log_level, std::string_view)> sink;  ///< called on the client's executor
};

/// One HTTP exchange, as hooks see it. Never carries the Authorization header.
struct request_event {
    std::string_view method;  ///< "GET", "POST", ...
    std::string_view path;  ///< the request path without the query string
    int attempt = 1;  ///< 1 for the first try, then 2, 3 ... for retries
    int status = 0;                          ///< 0 before the response, or on transport errors
    std::chrono::microseconds elapsed{0};  ///< time of the exchange (after it)
    std::string_view error;                  ///< empty on success
    std::size_t response_bytes = 0;          ///< the response body's size (after it; 0 before, or on transport errors)
};

/// Callbacks around each HTTP exchange, for metrics and tracing; called on the client's executor.
struct event_hooks {
    std::function<void(const request_event&)> on_request;   ///< before each attempt
    std::function<void(const request_event&)> on_response;  ///< after each attempt
    std::function<void(const request_event&, std::chrono::milliseconds)> on_retry;  ///< before sleeping
};

/// Everything a client needs, with documented defaults.
struct client_options {
    std::string base_url = "https://mist.io";  ///< scheme, host, optional port and path prefix
    std::string email;                         ///< with password: logs in on first use

    /// With email: logged in on first use, and again when the session expires (a 401).
    /// On a v1 server each login creates an API
    /// token (the server's default lifetime, one hour) and the server allows a user few
    /// active tokens (20): long-running services and many short-lived clients should pass
    /// an API `token` instead.
    std::string password;
    std::string token;  ///< a v1 API token, or a full "mist_1 email:token" legacy header value
    /// The organization (its id or name) an email/password login makes its token for; empty:
    /// the account's default. A login for an organization the server does not give
    /// (unknown, or one the user is not a member of) fails with errc::login_failed saying which
    /// it got. An API `token` belongs to the organization it was made for: this is not used.
    std::string organization;
    api_era era = api_era::automatic;  ///< which API to speak (default: detect once)
    tls_options tls;  ///< certificate verification
    struct timeouts timeouts;  ///< phase and call timeouts
    std::size_t pool_size = 32;           ///< keep-alive connections per client (acquire waits beyond)
    std::size_t max_in_flight = 4096;     ///< calls at once; more wait their turn
    double requests_per_second = 0;       ///< 0: no limit
    retry_policy retry;  ///< retries of idempotent requests
    std::size_t max_response_bytes = 64u << 20;  ///< larger responses fail with errc::response_too_large
    struct logger logger;  ///< silent by default
    event_hooks hooks;  ///< request/response/retry callbacks
    std::string user_agent = "mistasync/" MISTASYNC_VERSION_STRING;  ///< the User-Agent header
};

/// Per-call settings, applied with `client::with` (or `backend::with`, `machine::with`, `key::with`).
struct call_options {
    std::optional<std::chrono::milliseconds> timeout;  ///< replaces timeouts.total for the call
    diagnostics* details = nullptr;  ///< filled on failure (and cleared on success)
};

}  // namespace mistasync
