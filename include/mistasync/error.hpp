// Errors: an error_code category for API outcomes, the diagnostics a person needs to
// act on a failure, and the exception a failed co_await throws.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <string>
#include <type_traits>

namespace mistasync {

/// API outcomes. Transport errors (connection refused, TLS failures, ...) are passed
/// through in their own categories; cancellation is boost::asio::error::operation_aborted.
enum class errc {
    bad_request = 1,      ///< 400
    unauthorized,         ///< 401: bad credentials or token
    payment_required,     ///< 402
    forbidden,            ///< 403: also CSRF and "Machine doesn't support <action>"
    not_found,            ///< 404: unknown backend, machine, key, job or route
    method_not_allowed,   ///< 405
    conflict,             ///< 409: already exists
    payload_too_large,    ///< 413
    rate_limited,         ///< 429, after the retries allowed
    server_error,         ///< 500 and other 5xx
    service_unavailable,  ///< 503: the server, a backend's provider ("Cloud unavailable") or a machine is unavailable
    bad_response,         ///< the server's answer could not be understood
    response_too_large,   ///< the response exceeded client_options::max_response_bytes
    timeout,              ///< a timeout of client_options::timeouts (or the call's) expired
    outcome_unknown,      ///< a non-idempotent request may have reached the server; not resent
    invalid_argument,     ///< a parameter the SDK refuses to send (bad characters, empty id)
    login_failed,         ///< email/password rejected
    retry_budget_exhausted, ///< retries stopped to protect a failing server
    not_found_locally,    ///< a filter matched nothing where one result was required
    unexpected_state,     ///< a waited-for machine reached a state it will not leave (error, terminated)
    /// 401 "Unauthorized cloud credentials" (v1) / "Invalid backend credentials" (2015):
    /// the backend's provider refused the backend's credentials. This client's own login
    /// is fine: it neither logs in again nor retries.
    backend_credentials_refused,
    /// A script run on the machine (a stored script, or the create's post-deploy script)
    /// ended with a non-zero exit code or did not run; see provisioned_machine::script.
    script_failed,
    /// 422 (v2) "Action not supported on target machine": the machine's provider or its
    /// present state does not allow the action.
    action_not_supported,
};

const boost::system::error_category& category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), category()};
}

/// The errc an HTTP status maps to (200-299: success, an empty code).
boost::system::error_code error_from_status(int status) noexcept;

/// What went wrong, for people: never contains the token.
struct diagnostics {
    int http_status = 0;         ///< 0 when no response arrived
    std::string server_message;  ///< the server's own text (plain-text error body), trimmed
    std::string method;          ///< "GET", "POST", ...
    std::string path;            ///< request path without the query string
    std::string client_message;  ///< what the SDK adds (e.g. "response is not JSON")
    int attempts = 0;            ///< requests sent, retries included
    std::chrono::milliseconds retry_after{0};  ///< the server's Retry-After on a final 429, else 0
    /// A request of the operation was written to the server, so the server may have acted
    /// on it; false when nothing left the client (say, the deadline passed while the call
    /// waited for a connection). What tells a create that can be sent again from one that
    /// may have made a machine.
    bool request_sent = false;

    /// "POST /backends/x/machines -> 404: u'Backend not found: x'"
    std::string to_string() const;
    /// Forgets everything (as after a success).
    void clear() { *this = diagnostics{}; }
};

/// Thrown by a failed co_await (the default completion token).
class error : public boost::system::system_error {
public:
    /// The exception for `ec`, its message made from `d` (which never holds the token).
    error(boost::system::error_code ec, diagnostics d);
    /// Everything known about the failure.
    const diagnostics& details() const noexcept { return details_; }
    /// The HTTP status, 0 when no response arrived.
    int http_status() const noexcept { return details_.http_status; }
    /// The server's own text, trimmed and printable.
    const std::string& server_message() const noexcept { return details_.server_message; }
    /// "<diagnostics::to_string()>: <the error code's message>", or the message alone when
    /// nothing more is known. Never a token, never a source location.
    const char* what() const noexcept override { return what_.c_str(); }

private:
    diagnostics details_;
    std::string what_;
};

}  // namespace mistasync

namespace boost::system {
template <>
struct is_error_code_enum<mistasync::errc> : std::true_type {};
}  // namespace boost::system
