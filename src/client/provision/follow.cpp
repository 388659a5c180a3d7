// A batch's followers: what happens to a machine after its create answered (or after it
// was found by name). It waits until the machine runs (on the backend's shared machine
// list), then until a probe answers, then for its script; or, with
// provision_options::probe_when_expected, it is probed directly when the batch expects it
// to answer (it waits parked until then: parking.cpp).
#include "provision/batch.hpp"

#include "decide/failure_kinds.hpp"

#include <utility>

namespace mistasync::detail {
namespace {

using clock = std::chrono::steady_clock;

// A probe that answered proves the machine runs: its handle says so, with the addresses
// the probe saw when the create gave none.
void running_by_probe(batch& b, std::size_t index, const probe_result& probe) {
    provisioned_machine& m = b.items[index];
    m.handle.state = machine_state::running;
    m.handle.state_text = "running";
    if (m.handle.public_ips.empty()) m.handle.public_ips = probe.public_ips;
    if (m.handle.private_ips.empty()) m.handle.private_ips = probe.private_ips;
    b.apply(b.ledger.running(index, false));
}

// A wait failed: the ledger says whether the machine is replaced or fails.
awaitable<void> wait_failed(batch& b, std::size_t index, error_code ec, diagnostics d, std::string_view step) {
    const ledger_step next = b.ledger.wait_failed(index, ec, std::move(d), step);
    b.apply(next);
    if (next.action == next_action::replace) co_await replace_machine(b, index, ec, step);
}

// After the create: wait until running, then until a probe answers, then for its script.
// A follower that starts by probing skips the wait for running: on a backend of 100,000
// machines each look at the list is ~160 MB, and the list comes round only every few
// seconds, while a probe asks about this machine alone. Its probe still looks at the list
// now and then (wait_until_probed) to see it go to `error` or vanish.
awaitable<void> follow(batch& b, std::size_t index, std::optional<made_at> made, follow_start how) {
    provisioned_machine& m = b.items[index];
    const bool just_created = made && made->answered;
    const bool scripts = b.options.wait_probed && has_script_stage(b, index);
    // However this follower ends, a scout that did not answer lets another go (once this
    // frame is gone: batch::start).
    struct scout_guard {
        batch& b;
        bool out;
        ~scout_guard() {
            if (!out) return;
            b.ready_after.scout_lost();
            b.scout_lost = true;
        }
    } scout{b, how == follow_start::scout};
    // A parked follower's first probe holds one of the waker's places until it answers.
    struct first_probe_place {
        batch& b;
        bool held;
        void release() {
            if (std::exchange(held, false)) b.first_probe_done();
        }
        ~first_probe_place() { release(); }
    } place{b, how == follow_start::probe_now};
    if (!b.options.wait_running && !b.options.wait_probed) {
        b.apply(b.ledger.finished(index));  // created was all it asked
        co_return;
    }
    bool seen_running = false;
    if (how == follow_start::on_list && b.options.wait_running) {
        diagnostics d;
        auto [ec, seen] = co_await m.handle.with({.details = &d}).wait_for_state(machine_state::running, b.options.running_policy, use_tuple);
        if (ec) {
            co_await wait_failed(b, index, ec, std::move(d), "wait for running");
            co_return;
        }
        m.handle = b.without_document(m, seen);
        seen_running = true;
        b.apply(b.ledger.running(index, !b.options.wait_probed));
    }
    if (b.options.wait_probed) {
        // A scout probes four times as often, at a steady interval: its answer sets when
        // every later machine is first probed, and each interval it waits is late to all of
        // them (three scouts: a few dozen probes more in a batch).
        wait_policy policy = b.options.probe_policy;
        if (scout.out) {
            policy.backoff = 1;
            policy.interval /= 4;
        }
        if (place.held) {
            // It is due: its create answered as long ago as a scout took to answer, and
            // the scouts waited out initial_delay. Waiting it again would also hold the
            // place all that time.
            policy.initial_delay = std::chrono::milliseconds(0);
            policy.on_attempt = [&place, hook = std::move(policy.on_attempt)](const wait_event& e) {
                place.release();
                if (hook) hook(e);
            };
        }
        diagnostics d;
        auto [ec, result] = co_await m.handle.with({.details = &d}).wait_until_probed(std::move(policy), b.options.probe, use_tuple);
        if (ec) {
            co_await wait_failed(b, index, ec, std::move(d), "probe");
            co_return;
        }
        if (just_created) b.learn_ready_time(clock::now() - made->at, std::exchange(scout.out, false));
        if (b.options.wait_running && !seen_running) running_by_probe(b, index, result);
        m.probe = std::move(result);
        b.apply(b.ledger.probed(index, !scripts));
    }
    if (scripts) co_await run_script_stage(b, index);
}

}  // namespace

void start_follower(batch& b, std::size_t index, std::optional<made_at> made, follow_start how) {
    if (!b.stopping()) b.spawn(follow(b, index, made, how));
}

void follow_later(batch& b, std::size_t index, std::optional<made_at> made) {
    if (b.stopping()) return;
    const bool probe_when_expected = made && b.options.probe_when_expected && b.options.wait_running && b.options.wait_probed;
    if (probe_when_expected) park_follower(b, index, *made);
    else start_follower(b, index, made, follow_start::on_list);
}

}  // namespace mistasync::detail
