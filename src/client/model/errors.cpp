#include <mistasync/error.hpp>

namespace mistasync {
namespace {

class mistasync_category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "mistasync"; }
    std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
        case errc::bad_request: return "bad request";
        case errc::unauthorized: return "not authorized";
        case errc::payment_required: return "payment required";
        case errc::forbidden: return "forbidden";
        case errc::not_found: return "not found";
        case errc::method_not_allowed: return "method not allowed";
        case errc::conflict: return "conflict";
        case errc::payload_too_large: return "request too large";
        case errc::rate_limited: return "rate limited";
        case errc::server_error: return "server error";
        case errc::service_unavailable: return "service unavailable";
        case errc::bad_response: return "bad response from server";
        case errc::response_too_large: return "response too large";
        case errc::timeout: return "timed out";
        case errc::outcome_unknown: return "outcome unknown: the request may have reached the server";
        case errc::invalid_argument: return "invalid argument";
        case errc::login_failed: return "login failed";
        case errc::retry_budget_exhausted: return "retry budget exhausted";
        case errc::not_found_locally: return "no match";
        case errc::unexpected_state: return "machine reached an unexpected state";
        case errc::backend_credentials_refused: return "the backend's provider refused its credentials";
        case errc::script_failed: return "the machine's script failed";
        case errc::action_not_supported: return "action not supported on the machine";
        }
        return "unknown mistasync error";
    }
};

}  // namespace

const boost::system::error_category& category() noexcept {
    static const mistasync_category instance;
    return instance;
}

boost::system::error_code error_from_status(int status) noexcept {
    if (status >= 200 && status < 300) return {};
    switch (status) {
    case 400: return errc::bad_request;
    case 401: return errc::unauthorized;
    case 402: return errc::payment_required;
    case 403: return errc::forbidden;
    case 404: return errc::not_found;
    case 405: return errc::method_not_allowed;
    case 409: return errc::conflict;
    case 413: return errc::payload_too_large;
    case 422: return errc::action_not_supported;
    case 429: return errc::rate_limited;
    case 503: return errc::service_unavailable;
    default: break;
    }
    if (status >= 500) return errc::server_error;
    if (status >= 400) return errc::bad_request;
    return errc::bad_response;  // 1xx/3xx: not something this API answers
}

std::string diagnostics::to_string() const {
    std::string out;
    if (!method.empty()) out += method + " " + path;
    if (http_status) out += (out.empty() ? "" : " -> ") + std::to_string(http_status);
    if (!server_message.empty()) out += (out.empty() ? "" : ": ") + server_message;
    if (!client_message.empty()) out += (out.empty() ? "" : " (") + client_message + (out.empty() ? "" : ")");
    if (attempts > 1) out += " after " + std::to_string(attempts) + " attempts";
    return out;
}

// Boost's own what() appends the error code's source location ("at …/connect_op.hpp:93
// in function 'do_complete'"): noise to a reader, so the text is made here.
error::error(boost::system::error_code ec, diagnostics d)
    : boost::system::system_error(boost::system::error_code(ec.value(), ec.category())), details_(std::move(d)) {
    std::string context = details_.to_string();
    what_ = context.empty() ? ec.message() : context + ": " + ec.message();
}

}  // namespace mistasync
