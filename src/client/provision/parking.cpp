// Parked followers (provision_options::probe_when_expected): a machine that waits for the
// moment the batch expects it to answer is an entry in a table, not a coroutine. Before
// the batch has an estimate (ready_estimate), machines wait unscheduled while its scouts
// find out; then each is due at its create's answer plus the estimate, and one waker per
// batch starts the followers as they fall due. A batch of 100,000 machines has tens of
// thousands waiting at once: a few dozen bytes each instead of a chain of frames.
#include "provision/batch.hpp"

#include <algorithm>

namespace mistasync::detail {
namespace {

using clock = std::chrono::steady_clock;

std::size_t first_probe_limit(const batch& b) { return std::max<std::size_t>(b.options.concurrency, 1); }

// The heap's order: the soonest due on top.
bool later(const batch::parked_follower& a, const batch::parked_follower& b) { return a.due > b.due; }

// Starts each follower as it falls due; ends when none is left (the next schedule()
// starts it again) or the batch stops (parked machines stay "created", as a follower
// stopped while it waited would leave them).
awaitable<void> wake_when_due(batch& b) {
    while (!b.due.empty() && !b.stopping()) {
        const auto soonest = b.due.front().due;
        const bool full = b.first_probes >= first_probe_limit(b);
        if (full || soonest > clock::now()) {
            // Cut short by a sooner entry, a first probe's end (when full) or a stop.
            b.due_timer.expires_at(full ? clock::time_point::max() : soonest);
            co_await b.due_timer.async_wait(use_tuple);
            continue;
        }
        std::pop_heap(b.due.begin(), b.due.end(), later);
        const batch::parked_follower p = b.due.back();
        b.due.pop_back();
        ++b.first_probes;
        start_follower(b, p.index, p.made, follow_start::probe_now);
    }
    b.waking = false;
}

void schedule(batch& b, batch::parked_follower p) {
    const bool sooner = !b.due.empty() && p.due < b.due.front().due;
    b.due.push_back(p);
    std::push_heap(b.due.begin(), b.due.end(), later);
    if (!b.waking) {
        b.waking = true;
        b.spawn(wake_when_due(b));
    } else if (sooner) {
        b.due_timer.cancel();
    }
}

}  // namespace

void batch::first_probe_done() {
    if (first_probes-- >= first_probe_limit(*this)) due_timer.cancel();  // the waker waits for a free place
}

void park_follower(batch& b, std::size_t index, made_at made) {
    if (b.stopping()) return;
    if (auto after = b.ready_after.expected()) {
        schedule(b, {made.at + *after, made, index});
        return;
    }
    if (made.answered && b.ready_after.take_scout()) {
        start_follower(b, index, made, follow_start::scout);
        return;
    }
    b.unscheduled.push_back({clock::time_point::max(), made, index});
    // With no scout out (a machine found by name cannot be one), no estimate is coming.
    if (b.ready_after.scouts_out() == 0) unpark_followers(b);
}

void unpark_followers(batch& b) {
    if (b.stopping() || b.unscheduled.empty()) return;
    if (auto after = b.ready_after.expected()) {
        for (auto& p : std::exchange(b.unscheduled, {})) schedule(b, {p.made.at + *after, p.made, p.index});
        return;
    }
    // Only a machine whose create's answer this run saw can time its boot: those become
    // scouts while the estimate needs more. If no scout is out after that, no estimate is
    // coming (the machines made so far failed as scouts, or were found by name): the rest
    // wait for "running" on the list, as without probe_when_expected.
    std::vector<batch::parked_follower> kept;
    for (auto& p : std::exchange(b.unscheduled, {})) {
        if (p.made.answered && b.ready_after.take_scout()) start_follower(b, p.index, p.made, follow_start::scout);
        else kept.push_back(p);
    }
    if (b.ready_after.scouts_out() > 0) {
        b.unscheduled = std::move(kept);
        return;
    }
    for (auto& p : kept) start_follower(b, p.index, p.made, follow_start::on_list);
}

bool batch::start_stranded_followers() {
    if (stopping() || (unscheduled.empty() && due.empty())) return false;
    op.state->log(log_level::warning, std::to_string(unscheduled.size() + due.size()) +
                                          " machines were left waiting for a probe; they wait for running on the list instead");
    for (auto& p : std::exchange(unscheduled, {})) start_follower(*this, p.index, p.made, follow_start::on_list);
    for (auto& p : std::exchange(due, {})) start_follower(*this, p.index, p.made, follow_start::on_list);
    return true;
}

}  // namespace mistasync::detail
