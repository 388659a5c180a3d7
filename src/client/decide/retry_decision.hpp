// What a call does after one attempt of its request: deliver the answer, fail, log in
// again and resend, or sleep and resend. The decision alone: no Asio, no JSON, no clock,
// no sockets, so each rule is unit-tested step by step (tests/unit/test_client_units.cpp);
// call() in client.cpp does what it says.
#pragma once

#include "decide/retry.hpp"

#include <mistasync/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mistasync::detail {

/// What one attempt gave: a response (status, text) or a transport failure.
struct attempt_outcome {
    int status = 0;                             ///< 0: no response arrived
    boost::system::error_code transport_error;  ///< why no response arrived
    std::string_view transport_text;            ///< the transport's words for it
    bool maybe_sent = false;                    ///< bytes of the request were written before it failed
    std::string_view server_text;               ///< the response's plain text, trimmed
    std::optional<std::chrono::milliseconds> retry_after;  ///< the server's Retry-After
    std::string_view location;                  ///< a redirect's Location, printable
};

/// What the request allows, and where its call stands.
struct attempt_context {
    bool idempotent = true;         ///< may be sent again (GET, PUT, DELETE, probe)
    bool retry_503 = true;          ///< false: a 503 is an answer ("not yet" of a v1 probe)
    bool can_log_in_again = false;  ///< authenticated, the client logs itself in, not yet done in this call
    int attempt = 1;                ///< this attempt's number, from 1
    int max_attempts = 4;           ///< retry_policy::max_attempts
    std::chrono::milliseconds time_left{std::chrono::milliseconds::max()};  ///< until the call's deadline
};

enum class next_step {
    deliver,                   ///< a 2xx: the answer
    fail,                      ///< stop with `error`
    log_in_again_then_resend,  ///< the session expired (401): log in, send again
    sleep_then_resend,         ///< wait (at least `server_wait`), send again
};

struct decision {
    next_step step = next_step::fail;
    boost::system::error_code error;  ///< when failing
    /// What the SDK says about this attempt (diagnostics::client_message): the transport's
    /// words, a redirect's target, why it was not resent; empty when the status says it all.
    std::string client_message;
    std::optional<std::chrono::milliseconds> server_wait;  ///< sleep at least this long
};

/// The answer is about one backend's provider, not about the server or this client's
/// session: 503 "Cloud unavailable" or refused provider credentials (401). Its error, or
/// nullopt for any other answer.
std::optional<boost::system::error_code> provider_failure(int status, std::string_view server_text);

/// Decides what follows an attempt. A resend is paid from `budget` (an empty budget
/// fails with retry_budget_exhausted); a delivered answer refills it.
decision decide_after_attempt(const attempt_context& context, const attempt_outcome& outcome, retry_budget& budget);

}  // namespace mistasync::detail
