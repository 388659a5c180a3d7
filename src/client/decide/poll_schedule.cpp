#include "decide/poll_schedule.hpp"

#include <algorithm>

namespace mistasync::detail {

using std::chrono::milliseconds;

poll_schedule::poll_schedule(const wait_policy& p)
    : interval_(std::max(p.interval, milliseconds(1))),
      cap_(std::max(p.max_interval, milliseconds(1))),
      backoff_(std::max(1.0, p.backoff)),
      jitter_(std::clamp(p.jitter, 0.0, 1.0)),
      max_attempts_(p.max_attempts) {}

poll_schedule::next poll_schedule::after_attempt(int attempt, milliseconds retry_after, std::mt19937_64& rng) {
    // Uniform in [interval * (1 - jitter), interval]: a crowd of waiters spreads out.
    const double hi = static_cast<double>(interval_.count());
    std::uniform_real_distribution<double> pick(hi * (1 - jitter_), hi);
    milliseconds sleep = jitter_ > 0 ? milliseconds(static_cast<long long>(pick(rng))) : interval_;
    sleep = std::max(sleep, retry_after);
    const double grown = hi * backoff_;  // no overflow: capped below
    interval_ = grown >= static_cast<double>(cap_.count()) ? cap_ : milliseconds(static_cast<long long>(grown));
    if (max_attempts_ > 0 && attempt >= max_attempts_) return {milliseconds(0), true};
    return {sleep, false};
}

milliseconds list_pause(milliseconds interval, std::chrono::steady_clock::duration took, double share) {
    if (!(share > 0) || share >= 1) return interval;  // (also NaN)
    const double took_ms = std::chrono::duration<double, std::milli>(took).count();
    const double rest = std::min(took_ms * (1 - share) / share, 3'600'000.0);  // an hour at most
    return std::max(interval, milliseconds(static_cast<long long>(rest)));
}

}  // namespace mistasync::detail
