// When a batch's new machine is expected to answer a probe: as soon after its create
// answered as the quickest of the batch's machines did. The first machines are scouts,
// probed from their creation on (a machine seen running on the list first would be late
// by the list's round, seconds on a large backend, and so would the estimate). No I/O
// and no clock: the followers tell it what they saw, and ask it whether a new machine
// is a scout or when it may be probed, instead of waiting for "running" on the
// backend's machine list (provision/follow.cpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace mistasync::detail {

class ready_estimate {
public:
    using duration = std::chrono::steady_clock::duration;

    /// Machines seen answering before an estimate is given: one quick machine could be
    /// an adopted one that was already up.
    static constexpr std::size_t samples_needed = 3;

    /// True when a new machine is to be a scout: no estimate yet, and fewer scouts out
    /// than the samples it needs. The caller reports the scout's end (observe or
    /// scout_lost).
    bool take_scout() {
        if (expected() || scouts_out_ + samples_ >= samples_needed) return false;
        ++scouts_out_;
        return true;
    }

    /// A machine of this batch answered its first successful probe `took` after its
    /// create was answered.
    void observe(duration took, bool scout) {
        if (scout) scout_lost();
        if (took < duration::zero()) return;
        ++samples_;
        if (!quickest_ || took < *quickest_) quickest_ = took;
    }

    /// A scout ended without answering (failed, replaced, stopped): another may go.
    void scout_lost() {
        if (scouts_out_ > 0) --scouts_out_;
    }

    /// How long after its create answered a new machine may be probed, or nothing while
    /// too few machines have answered. Never longer than any machine took: a machine
    /// probed too early costs a request, one probed too late costs its whole delay.
    std::optional<duration> expected() const {
        if (samples_ < samples_needed) return std::nullopt;
        return quickest_;
    }

    std::size_t samples() const { return samples_; }
    /// Scouts taken and not ended yet.
    std::size_t scouts_out() const { return scouts_out_; }

private:
    std::optional<duration> quickest_;
    std::size_t samples_ = 0;
    std::size_t scouts_out_ = 0;
};

}  // namespace mistasync::detail
