// A batch's followers: what happens to a machine after its create answered (or after it
// was found by name). It waits until the machine runs (on the backend's shared machine
// list), then until a probe answers, then for its script; or, once the batch knows how
// long its machines take, it is probed directly when expected to answer
// (provision_options::probe_when_expected).
#include "provision_batch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <utility>

namespace mistasync::detail {
namespace {

using clock = std::chrono::steady_clock;

// The machine went to `error` (or another state it will not leave) or vanished: a
// replacement may do better.
bool gone_wrong(error_code ec) { return ec == error_code(errc::unexpected_state) || ec == error_code(errc::not_found); }

// A probe that answered proves the machine runs: its handle says so, with the addresses
// the probe saw when the create gave none.
void running_by_probe(batch& b, provisioned_machine& m, const probe_result& probe) {
    m.handle.state = machine_state::running;
    m.handle.state_text = "running";
    if (m.handle.public_ips.empty()) m.handle.public_ips = probe.public_ips;
    if (m.handle.private_ips.empty()) m.handle.private_ips = probe.private_ips;
    b.record("running", m);
    b.move_to(m, provision_stage::running);
}

struct running_wait {
    error_code ec;
    machine seen;
    bool expected_known = false;  ///< it was cut short: the batch now knows when to probe
};

// The wait for running on the backend's list; with `until_expected`, cut short when the
// batch learns when its machines answer (the first machines of a batch wait on the list
// until then; the rest are probed directly).
awaitable<running_wait> wait_running(batch& b, provisioned_machine& m, diagnostics& d, bool until_expected) {
    auto wait = m.handle.with({.details = &d}).wait_for_state(machine_state::running, b.options.running_policy, asio::deferred);
    running_wait out;
    if (!until_expected) {
        std::tie(out.ec, out.seen) = co_await std::move(wait)(use_tuple);
        co_return out;
    }
    auto learned = asio::co_spawn(co_await asio::this_coro::executor, b.ready_known.wait(), asio::deferred);
    auto [order, ec, seen, learn_error] = co_await asio::experimental::make_parallel_group(std::move(wait), std::move(learned))
                                              .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    out.expected_known = order[0] == 1 && !b.stopping;
    out.ec = ec;
    out.seen = std::move(seen);
    co_return out;
}

// After the create: wait until running, then until a probe answers, then for its script.
// A machine expected to answer already skips the wait for running: on a backend of
// 100,000 machines each look at the list is ~160 MB, and the list comes round only every
// few seconds, while a probe asks about this machine alone. Its probe still looks at the
// list now and then (wait_until_probed) to see it go to `error` or vanish.
awaitable<void> follow(batch& b, std::size_t index, std::optional<made_at> made) {
    provisioned_machine& m = b.items[index];
    const bool just_created = made && made->answered;
    const bool scripts = b.options.wait_probed && has_script_stage(b, index);
    if (!b.options.wait_running && !b.options.wait_probed) {
        ++b.counts.finished;  // created was all it asked
        co_return;
    }
    const bool may_probe_early = made && b.options.probe_when_expected && b.options.wait_running && b.options.wait_probed;
    std::optional<clock::duration> probe_after;
    bool scout = false;
    if (may_probe_early) {
        probe_after = b.ready_after.expected();
        if (!probe_after && just_created && (scout = b.ready_after.take_scout())) probe_after = clock::duration::zero();
    }
    // However this follower ends, a scout that did not answer lets another go.
    struct scout_guard {
        batch& b;
        bool& out;
        ~scout_guard() {
            if (out) b.ready_after.scout_lost();
        }
    } lost{b, scout};
    bool seen_running = false;
    if (!probe_after && b.options.wait_running) {
        diagnostics d;
        auto [ec, seen, expected_known] = co_await wait_running(b, m, d, may_probe_early);
        if (expected_known) {
            probe_after = b.ready_after.expected();
        } else if (ec && gone_wrong(ec) && b.may_replace(m)) {
            co_await replace_machine(b, index, ec, "wait for running");
            co_return;
        } else if (ec) {
            if (!b.stopping) b.fail(m, ec, d, "wait for running");
            co_return;
        } else {
            m.handle = b.without_document(m, seen);
            seen_running = true;
            b.record("running", m);
            b.move_to(m, provision_stage::running, !b.options.wait_probed);
            // Running is not answering yet: no probe before the batch expects one to answer.
            if (may_probe_early) probe_after = b.ready_after.expected();
        }
    }
    if (probe_after) {
        asio::steady_timer nap(co_await asio::this_coro::executor);
        nap.expires_at(made->at + *probe_after);
        co_await nap.async_wait(use_tuple);
        if (b.stopping) co_return;
    }
    if (b.options.wait_probed) {
        // A scout probes at a steady interval: its answer sets when every later machine is
        // first probed, and a grown interval would put that moment seconds late.
        wait_policy policy = b.options.probe_policy;
        if (scout) policy.backoff = 1;
        diagnostics d;
        auto [ec, result] = co_await m.handle.with({.details = &d}).wait_until_probed(std::move(policy), b.options.probe, use_tuple);
        if (ec && gone_wrong(ec) && b.may_replace(m)) {
            co_await replace_machine(b, index, ec, "probe");
            co_return;
        }
        if (ec) {
            if (!b.stopping) b.fail(m, ec, d, "probe");
            co_return;
        }
        if (just_created) b.learn_ready_time(clock::now() - made->at, std::exchange(scout, false));
        if (b.options.wait_running && !seen_running) running_by_probe(b, m, result);
        m.probe = std::move(result);
        b.record("probed", m);
        b.move_to(m, provision_stage::probed, !scripts);
    }
    if (scripts) co_await run_script_stage(b, index);
}

}  // namespace

void follow_later(batch& b, std::size_t index, std::optional<made_at> made) {
    if (!b.stopping) b.spawn(follow(b, index, made));
}

}  // namespace mistasync::detail
