#include "decide/retry_decision.hpp"

namespace mistasync::detail {
namespace {

using boost::system::error_code;
using std::chrono::milliseconds;

decision fail(error_code ec, std::string message = {}) { return {next_step::fail, ec, std::move(message), std::nullopt}; }

// A resend, if the budget pays for it. The budget protects a failing server from every
// client's retries at once.
decision resend(retry_budget& budget, std::string message, std::optional<milliseconds> server_wait) {
    if (!budget.try_spend()) return fail(errc::retry_budget_exhausted, "retry budget exhausted: the server keeps failing");
    return {next_step::sleep_then_resend, {}, std::move(message), server_wait};
}

decision after_transport_failure(const attempt_context& c, const attempt_outcome& o, retry_budget& budget) {
    std::string text(o.transport_text);
    if (!c.idempotent && o.maybe_sent)
        return fail(errc::outcome_unknown,
                    "the connection failed after the request was sent (" + text + "); it may have been processed and was not resent");
    const bool transient = retryable_transport_error(o.transport_error) || o.transport_error == error_code(errc::timeout);
    if (!transient || c.attempt >= c.max_attempts) return fail(o.transport_error, std::move(text));
    return resend(budget, std::move(text), std::nullopt);
}

std::string seconds(milliseconds d) { return std::to_string(std::max<long long>(0, d.count()) / 1000); }

}  // namespace

std::optional<error_code> provider_failure(int status, std::string_view text) {
    if (status == 503 && (text == "Cloud unavailable" || text == "Backend unavailable")) return error_code(errc::service_unavailable);
    if (status == 401 && (text.starts_with("Unauthorized cloud credentials") || text.starts_with("Invalid backend credentials") ||
                          text.starts_with("Invalid cloud credentials")))
        return error_code(errc::backend_credentials_refused);
    return std::nullopt;
}

decision decide_after_attempt(const attempt_context& c, const attempt_outcome& o, retry_budget& budget) {
    if (o.status == 0) return after_transport_failure(c, o, budget);
    if (o.status >= 200 && o.status < 300) {
        budget.on_success();
        return {next_step::deliver, {}, {}, std::nullopt};
    }
    // Another attempt or a new login cannot help, and one broken cloud must not spend the
    // budget (contract §10.2).
    if (auto provider = provider_failure(o.status, o.server_text))
        return fail(*provider, "the backend's provider failed; the server itself answered");
    // The session this client logged in for has expired (a v1 login's token lives an
    // hour); a 401 means the request was not processed.
    if (o.status == 401 && c.can_log_in_again) return {next_step::log_in_again_then_resend, {}, {}, std::nullopt};

    std::string message;
    if (o.status >= 300 && o.status < 400)
        message = "redirected to " + (o.location.empty() ? std::string("nowhere") : std::string(o.location)) +
                  "; redirects are not followed (check the base URL)";
    // 429 means "not processed": safe to send again even when not idempotent.
    const bool transient = retryable_status(o.status) && (o.status != 503 || c.retry_503);
    const bool again = transient && (c.idempotent || o.status == 429) && c.attempt < c.max_attempts;
    if (!again) return fail(error_from_status(o.status), std::move(message));
    if (o.retry_after && *o.retry_after > c.time_left)
        // Waiting as asked would outlive the call: say so now, not when the deadline passes.
        return fail(error_from_status(o.status), "the server asked to wait " + seconds(*o.retry_after) +
                                                      " s (Retry-After), longer than the " + seconds(c.time_left) +
                                                      " s left of the call's deadline");
    return resend(budget, std::move(message), o.retry_after);
}

}  // namespace mistasync::detail
