// The retry decision step by step, without sockets: each case feeds a sequence of attempt
// outcomes and expects the exact sequence of steps a call takes.
#include <boost/test/unit_test.hpp>

#include "errc_printing.hpp"
#include "decide/retry_decision.hpp"

#include <boost/asio/error.hpp>

#include <vector>

using namespace mistasync;
using namespace mistasync::detail;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

const attempt_context a_read{.idempotent = true};
const attempt_context a_create{.idempotent = false};

attempt_outcome answer(int status, std::string_view text = {}) { return {.status = status, .server_text = text}; }
attempt_outcome dropped(error_code ec, bool sent) { return {.transport_error = ec, .transport_text = "connection reset", .maybe_sent = sent}; }

// The steps a call takes through `outcomes`, attempt after attempt, until it stops.
std::vector<next_step> walk(attempt_context c, const std::vector<attempt_outcome>& outcomes, retry_budget& budget,
                            decision* last = nullptr) {
    std::vector<next_step> steps;
    for (const attempt_outcome& o : outcomes) {
        decision d = decide_after_attempt(c, o, budget);
        steps.push_back(d.step);
        if (last) *last = d;
        if (d.step == next_step::deliver || d.step == next_step::fail) break;
        if (d.step == next_step::log_in_again_then_resend) c.can_log_in_again = false;
        ++c.attempt;
    }
    return steps;
}

retry_budget plenty() { return retry_budget(retry_policy{}); }

using S = next_step;

}  // namespace

BOOST_AUTO_TEST_CASE(a_read_is_resent_through_5xx_and_429_until_answered) {
    auto budget = plenty();
    auto steps = walk(a_read, {answer(503), answer(500), answer(429), answer(200)}, budget);
    BOOST_TEST((steps == std::vector<S>{S::sleep_then_resend, S::sleep_then_resend, S::sleep_then_resend, S::deliver}));
}

BOOST_AUTO_TEST_CASE(the_last_attempt_fails_with_the_status) {
    auto budget = plenty();
    decision last;
    auto steps = walk({.idempotent = true, .max_attempts = 2}, {answer(503, "Service unavailable"), answer(503)}, budget, &last);
    BOOST_TEST((steps == std::vector<S>{S::sleep_then_resend, S::fail}));
    BOOST_TEST(last.error == errc::service_unavailable);
}

BOOST_AUTO_TEST_CASE(a_create_is_never_resent_after_a_5xx_but_is_after_a_429) {
    auto budget = plenty();
    decision last;
    BOOST_TEST((walk(a_create, {answer(503)}, budget, &last) == std::vector<S>{S::fail}));
    BOOST_TEST(last.error == errc::service_unavailable);
    BOOST_TEST((walk(a_create, {answer(500)}, budget, &last) == std::vector<S>{S::fail}));
    BOOST_TEST(last.error == errc::server_error);
    // 429 means "not processed".
    BOOST_TEST((walk(a_create, {answer(429), answer(200)}, budget) == std::vector<S>{S::sleep_then_resend, S::deliver}));
}

BOOST_AUTO_TEST_CASE(a_dropped_connection_resends_what_is_safe) {
    auto budget = plenty();
    decision last;
    const auto reset = error_code(boost::asio::error::connection_reset);
    // Written, then dropped: a create may have been processed.
    BOOST_TEST((walk(a_create, {dropped(reset, true)}, budget, &last) == std::vector<S>{S::fail}));
    BOOST_TEST(last.error == errc::outcome_unknown);
    BOOST_TEST(last.client_message.find("connection reset") != std::string::npos);
    // Never written: sent again. A read always is.
    BOOST_TEST((walk(a_create, {dropped(reset, false), answer(200)}, budget) == std::vector<S>{S::sleep_then_resend, S::deliver}));
    BOOST_TEST((walk(a_read, {dropped(reset, true), answer(200)}, budget) == std::vector<S>{S::sleep_then_resend, S::deliver}));
    // An error another attempt cannot cure ends at once, with the transport's words.
    BOOST_TEST((walk(a_read, {dropped(boost::asio::error::access_denied, false)}, budget, &last) == std::vector<S>{S::fail}));
    BOOST_TEST(last.client_message == "connection reset");
}

BOOST_AUTO_TEST_CASE(an_expired_session_is_renewed_once) {
    auto budget = plenty();
    attempt_context c{.idempotent = false, .can_log_in_again = true};
    decision last;
    auto steps = walk(c, {answer(401, "User not authenticated. Please log in"), answer(401)}, budget, &last);
    BOOST_TEST((steps == std::vector<S>{S::log_in_again_then_resend, S::fail}));
    BOOST_TEST(last.error == errc::unauthorized);
    // A given token cannot be renewed.
    BOOST_TEST((walk(a_read, {answer(401)}, budget) == std::vector<S>{S::fail}));
}

BOOST_AUTO_TEST_CASE(a_broken_provider_is_an_answer_not_a_reason_to_retry_or_log_in) {
    auto budget = retry_budget(retry_policy{.budget_capacity = 1});
    attempt_context c{.idempotent = true, .can_log_in_again = true};
    decision last;
    BOOST_TEST((walk(c, {answer(503, "Cloud unavailable")}, budget, &last) == std::vector<S>{S::fail}));
    BOOST_TEST(last.error == errc::service_unavailable);
    BOOST_TEST((walk(c, {answer(503, "Backend unavailable")}, budget) == std::vector<S>{S::fail}));
    BOOST_TEST((walk(c, {answer(401, "Unauthorized cloud credentials: 'Invalid credentials'")}, budget, &last) == std::vector<S>{S::fail}));
    BOOST_TEST(last.error == errc::backend_credentials_refused);
    BOOST_TEST((walk(c, {answer(401, "Invalid backend credentials")}, budget, &last) == std::vector<S>{S::fail}));
    BOOST_TEST(last.error == errc::backend_credentials_refused);
    BOOST_TEST(budget.tokens() == 1.0);  // nothing spent
}

BOOST_AUTO_TEST_CASE(a_v1_probe_503_is_an_answer) {
    auto budget = plenty();
    decision last;
    BOOST_TEST((walk({.idempotent = true, .retry_503 = false}, {answer(503, "Service unavailable: SSH timed-out repeatedly.")}, budget, &last) ==
                std::vector<S>{S::fail}));
    BOOST_TEST(last.error == errc::service_unavailable);
}

BOOST_AUTO_TEST_CASE(retry_after_is_kept_unless_it_outlives_the_call) {
    auto budget = plenty();
    attempt_outcome wait_3s = answer(429);
    wait_3s.retry_after = 3s;
    decision d = decide_after_attempt({.idempotent = true, .time_left = 10s}, wait_3s, budget);
    BOOST_TEST((d.step == S::sleep_then_resend));
    BOOST_TEST(d.server_wait.value_or(0ms).count() == 3000);
    attempt_outcome wait_30s = answer(429);
    wait_30s.retry_after = 30s;
    d = decide_after_attempt({.idempotent = true, .time_left = 5s}, wait_30s, budget);
    BOOST_TEST((d.step == S::fail));
    BOOST_TEST(d.error == errc::rate_limited);
    BOOST_TEST(d.client_message == "the server asked to wait 30 s (Retry-After), longer than the 5 s left of the call's deadline");
}

BOOST_AUTO_TEST_CASE(the_budget_stops_retries_and_answers_refill_it) {
    auto budget = retry_budget(retry_policy{.budget_capacity = 1, .budget_refill = 0.5});
    decision last;
    auto steps = walk(a_read, {answer(503), answer(503)}, budget, &last);
    BOOST_TEST((steps == std::vector<S>{S::sleep_then_resend, S::fail}));
    BOOST_TEST(last.error == errc::retry_budget_exhausted);
    walk(a_read, {answer(200)}, budget);
    walk(a_read, {answer(200)}, budget);
    BOOST_TEST(budget.tokens() == 1.0);  // two answers earned one retry back
    BOOST_TEST((walk(a_read, {answer(503), answer(200)}, budget) == std::vector<S>{S::sleep_then_resend, S::deliver}));
}

BOOST_AUTO_TEST_CASE(redirects_are_not_followed) {
    auto budget = plenty();
    attempt_outcome moved = answer(302);
    moved.location = "https://elsewhere.example.com/login";
    decision d = decide_after_attempt(a_read, moved, budget);
    BOOST_TEST((d.step == S::fail));
    BOOST_TEST(d.error == errc::bad_response);
    BOOST_TEST(d.client_message == "redirected to https://elsewhere.example.com/login; redirects are not followed (check the base URL)");
}
