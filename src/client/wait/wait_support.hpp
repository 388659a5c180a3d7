// What every wait shares: the loop of the waits that send one request per attempt
// (initial grace, attempts, jittered backoff, at least Retry-After, one deadline), the
// nap and the "not reached" error, and how a wait runs another operation inside it.
#pragma once

#include "call/operation_runner.hpp"
#include "http/use_tuple.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace mistasync::detail {

// Runs one SDK operation (start(handler)) inside a coroutine, giving [error_code, value].
// The handler carries the coroutine's cancellation slot, so cancelling the wait cancels it.
template <class T, class Start>
auto run_operation(Start start) {
    return asio::async_initiate<decltype(use_tuple), void(error_code, T)>(
        [start = std::move(start)](auto h) mutable { start(handler<T>(std::move(h))); }, use_tuple);
}

struct attempt_result {
    bool done = false;
    error_code ec;        ///< the attempt failed (empty for a plain "not yet")
    diagnostics details;  ///< status and server text of the attempt
    std::string note;     ///< what the hook shows
};

/// One attempt of a request-per-attempt wait, given the time it may take.
using try_once_fn = std::function<asio::awaitable<attempt_result>(std::chrono::milliseconds budget)>;

/// The loop every request-per-attempt wait shares: initial grace, attempts, jittered
/// backoff (at least Retry-After), attempt limit, one deadline. Returns when an attempt
/// is done; throws op_failure when one fails for good or the wait runs out.
asio::awaitable<void> poll_until(op_context& op, const wait_policy& p, std::string_view what, std::string_view subject,
                                 const std::string& describe, try_once_fn try_once);

/// Sleeps until `until` on `timer`; throws operation_aborted if the wait is cancelled.
asio::awaitable<void> nap_until(asio::steady_timer& timer, std::chrono::steady_clock::time_point until, const op_control& control);

/// Throws errc-`ec` saying what was not reached, after how many attempts and how long.
[[noreturn]] void give_up(error_code ec, diagnostics last, const std::string& describe, int attempts,
                          std::chrono::steady_clock::time_point started, error_code last_error);

/// The whole-call deadline of a wait: the policy's (enforced by the loop itself), with a
/// margin so that the client's safety net never fires first; a shorter call timeout wins.
client_ref wait_ref(const client_ref& ref, const wait_policy& p);

}  // namespace mistasync::detail
