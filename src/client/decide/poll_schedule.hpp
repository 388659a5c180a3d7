// When a request-per-attempt wait tries again: the policy's interval, jittered, grown by
// its backoff up to its cap, never shorter than the server's Retry-After, and the attempt
// limit. No I/O and no clock: the wait loop (wait_support.cpp) asks it after each attempt
// that did not end the wait, and unit tests feed it attempts.
#pragma once

#include <mistasync/wait.hpp>

#include <chrono>
#include <random>

namespace mistasync::detail {

class poll_schedule {
public:
    explicit poll_schedule(const wait_policy& p);

    struct next {
        std::chrono::milliseconds sleep{0};  ///< before the next attempt (0 when there is none)
        bool out_of_attempts = false;        ///< the policy's attempt limit is reached: give up
    };
    /// After attempt `attempt` (from 1) that did not end the wait, the server having asked
    /// for `retry_after` (0: nothing asked).
    next after_attempt(int attempt, std::chrono::milliseconds retry_after, std::mt19937_64& rng);

    /// The interval the next sleep is drawn from (before jitter).
    std::chrono::milliseconds interval() const { return interval_; }

private:
    std::chrono::milliseconds interval_;
    std::chrono::milliseconds cap_;
    double backoff_;
    double jitter_;
    int max_attempts_;
};

/// The pause after a backend's shared list that took `took` to answer: `interval`, or
/// longer, so that the list is being sent at most `share` of the time (wait_policy::max_list_share).
std::chrono::milliseconds list_pause(std::chrono::milliseconds interval, std::chrono::steady_clock::duration took, double share);

}  // namespace mistasync::detail
