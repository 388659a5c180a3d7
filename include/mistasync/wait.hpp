// Waiting for the server to reach a condition: the policy every waiting operation
// (machine::wait_until_probed, machine::wait_for_state, client::wait_for_job) follows,
// and what its hook sees after each attempt.
//
// A waiting operation is a loop of attempts separated by sleeps. While it sleeps it holds
// no connection and no in-flight slot: one timer. Cancelling it (per-operation
// cancellation or client::cancel) ends it at once, asleep or mid-request, with
// operation_aborted. It never changes anything on the server by itself (a machine that
// never answers is reported, not destroyed).
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

namespace mistasync {

/// What a waiting operation's hook sees after each attempt.
struct wait_event {
    std::string_view what;     ///< "probe", "state" or "job"
    std::string_view subject;  ///< machine id or job id
    int attempt = 0;  ///< 1, 2, ...
    bool done = false;         ///< the condition holds: this was the last attempt
    int status = 0;            ///< HTTP status of the attempt, 0 without a response
    std::string_view note;     ///< what was seen ("not reachable yet", "pending", an error)
    std::chrono::milliseconds next_delay{0};  ///< sleep before the next attempt
};

/// How a waiting operation polls: grace, backoff, timeouts, deadline, limit, hook.
struct wait_policy {
    /// Before the first attempt (a new machine needs a while to boot).
    std::chrono::milliseconds initial_delay{0};
    /// Sleep after the first "not yet"; grows by `backoff` up to `max_interval`.
    std::chrono::milliseconds interval{1'000};
    double backoff = 1.5;  ///< each sleep grows by this factor (1: fixed interval)
    std::chrono::milliseconds max_interval{10'000};  ///< sleeps never grow beyond this (except for a 429's Retry-After)

    /// Each sleep is drawn from [interval × (1 - jitter), interval]: thousands of
    /// waiters started together do not poll in lockstep.
    double jitter = 0.25;
    /// One attempt (its request, retries included) may take this long; a slow attempt
    /// counts as "not yet", not as a failure.
    std::chrono::milliseconds attempt_timeout{30'000};
    /// The whole wait, from its start. On expiry: errc::timeout, with the last attempt's
    /// status and server text in the diagnostics.
    std::chrono::milliseconds deadline{600'000};
    /// 0: unlimited (the deadline still applies).
    int max_attempts = 0;
    /// After a reboot this client sent, a wait for "running" takes "running" for the
    /// result only once the machine was seen in another state since (rebooting, pending)
    /// or this long after the reboot: a provider reports the old state for a while after
    /// an action (and EC2 never shows a reboot at all).
    std::chrono::milliseconds action_settle{10'000};
    /// Waits for a machine's state go through its backend's shared machine list, which
    /// is sent at most this share of the time: a list that takes longer than the interval
    /// stretches the pause after it (at 0.5, a list of 1.5 s is followed by 1.5 s of
    /// rest), so that a backend of 100,000 machines is not listed back to back. When
    /// waits with different values share a list, the largest applies. 1: never stretched.
    double max_list_share = 0.5;
    /// /api/v2 only: a search every machine waited for matches (mist.io's grammar, e.g.
    /// "tag:team,web"), so that the shared list pages through those machines only, not
    /// the whole backend. Waits that share a list but not this search list the backend.
    std::string list_search;
    /// Called on the client's executor after each attempt (progress bars, metrics).
    std::function<void(const wait_event&)> on_attempt;
};

}  // namespace mistasync
