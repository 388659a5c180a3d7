#include "wait/wait_support.hpp"
#include "decide/poll_schedule.hpp"
#include "decide/state_wait_rules.hpp"

#include <algorithm>
#include <cstdio>

namespace mistasync::detail {

using asio::awaitable;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

std::string seconds_text(clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
    return buf;
}

}  // namespace

awaitable<void> nap_until(asio::steady_timer& timer, clock::time_point until, const op_control& control) {
    timer.expires_at(until);
    co_await timer.async_wait(use_tuple);
    control.throw_if_cancelled();
    if (control.timed_out) throw boost::system::system_error(asio::error::operation_aborted);
}

[[noreturn]] void give_up(error_code ec, diagnostics last, const std::string& describe, int attempts, clock::time_point started,
                          error_code last_error) {
    std::string why = describe + " not reached after " + std::to_string(attempts) + " attempt" + (attempts == 1 ? "" : "s") +
                      " in " + seconds_text(clock::now() - started);
    if (last_error) why += "; last attempt: " + last_error.message();
    last.client_message = why;
    last.attempts = attempts;
    throw op_failure(ec, std::move(last));
}

awaitable<void> poll_until(op_context& op, const wait_policy& p, std::string_view what, std::string_view subject,
                           const std::string& describe, try_once_fn try_once) {
    client_state& s = *op.state;
    const auto started = clock::now();
    const auto deadline = started + p.deadline;
    asio::steady_timer timer(s.executor);
    if (p.initial_delay.count() > 0) co_await nap_until(timer, std::min(started + p.initial_delay, deadline), *op.control);
    poll_schedule schedule(p);
    attempt_result last;
    for (int attempt = 1;; ++attempt) {
        op.control->throw_if_cancelled();
        auto now = clock::now();
        if (now >= deadline) give_up(errc::timeout, last.details, describe, attempt - 1, started, last.ec);
        auto budget = std::max(milliseconds(1), std::min(p.attempt_timeout, std::chrono::duration_cast<milliseconds>(deadline - now)));
        last = co_await try_once(budget);
        op.control->throw_if_cancelled();
        wait_event ev{what, subject, attempt, last.done, last.details.http_status, last.note, {}};
        if (last.done || (last.ec && ends_a_wait(last.ec))) {
            if (p.on_attempt) p.on_attempt(ev);
            if (last.done) co_return;
            throw op_failure(last.ec, last.details);
        }
        const poll_schedule::next next = schedule.after_attempt(attempt, last.details.retry_after, s.rng);
        ev.next_delay = next.sleep;
        if (p.on_attempt) p.on_attempt(ev);
        if (next.out_of_attempts) give_up(errc::timeout, last.details, describe, attempt, started, last.ec);
        co_await nap_until(timer, std::min(clock::now() + next.sleep, deadline), *op.control);
    }
}

client_ref wait_ref(const client_ref& ref, const wait_policy& p) {
    client_ref r = ref;
    auto own = p.deadline + p.initial_delay + milliseconds(5'000);
    r.call.timeout = ref.call.timeout ? std::min(*ref.call.timeout, own) : own;
    return r;
}


}  // namespace mistasync::detail
