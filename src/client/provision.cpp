// Bulk provisioning (see include/mistasync/provision.hpp): the batch coroutine, its
// create workers, stopping, and rollback. The followers that wait for each machine are in
// provision_follow.cpp; ownership (what the batch may adopt or destroy) is settled in
// provision_start.cpp, creates of unknown outcome in provision_reconcile.cpp.
#include "provision_batch.hpp"

#include <boost/asio/this_coro.hpp>

#include <map>
#include <set>

namespace mistasync::detail {
namespace {

using std::chrono::milliseconds;

// After a create's request was written, these leave its outcome unknown: the connection
// failed, the call ran out of time or was cancelled, or the answer was unreadable (a 200
// whose body did not parse made a machine).
bool outcome_unknown(error_code ec) {
    return ec == error_code(errc::outcome_unknown) || ec == error_code(errc::timeout) || ec == asio::error::operation_aborted ||
           ec == error_code(errc::bad_response) || ec == error_code(errc::response_too_large);
}

// One create. "creating" is journaled just before its bytes are written (not while it
// waits for a connection), so a name journaled "creating" is one the server may have
// seen, and a name the journal never mentions was never sent.
awaitable<void> create_one(batch& b, batch::child& self, std::size_t index) {
    provisioned_machine& m = b.items[index];
    if (!m.id.empty()) {  // resumed: created by an earlier run
        follow_later(b, index);
        co_return;
    }
    if (m.stage != provision_stage::pending) co_return;  // an earlier run's create, looked for by the settler
    b.move_to(m, provision_stage::creating);
    self.current = index;
    self.written = false;
    client_ref ref = handle_access::ref(b.target);
    diagnostics d;
    ref.call.details = &d;
    // v1 files the create under a job id of ours: the settler can ask whether the server
    // got to it (contract §10.4). It is journaled with "creating".
    m.job_id = b.era == api_era::v1 ? b.random_hex(32) : std::string();  // a uuid4 hex's length
    auto sent_at = std::chrono::steady_clock::now();
    ref.before_write = std::make_shared<const std::function<error_code()>>([&b, &self, &m, &sent_at]() -> error_code {
        if (!self.written) ++m.attempts;  // a resend after a 429 is the same create
        self.written = true;
        sent_at = std::chrono::steady_clock::now();
        return b.record("creating", m, {{"attempt", m.attempts}}, true);
    });
    auto [ec, created] = co_await initiate<created_machine>(use_tuple, ref, [id = b.target.id, &spec = b.specs[index], job = m.job_id](auto r, auto h) {
        start_operation(r, ops::create_machine{id, spec, job}, std::move(h));
    });
    self.current.reset();
    if (!ec) {
        b.note_create_time(std::chrono::steady_clock::now() - sent_at);
        m.id = created.id;
        if (!created.job_id.empty()) m.job_id = created.job_id;
        m.handle = b.target.machine_from(created);
        b.record("created", m, {}, true);
        b.move_to(m, provision_stage::created);
        follow_later(b, index, made_at{std::chrono::steady_clock::now(), true});
        if (!b.rivals_checked && b.era == api_era::v1 && b.options.tag_batch) {
            b.rivals_checked = true;
            b.spawn(check_for_rivals(b));
        }
        co_return;
    }
    if (!d.request_sent && ec != error_code(errc::bad_response) && ec != error_code(errc::response_too_large)) {
        // Nothing reached the server: no machine. Sent later, unless the batch stops, the
        // journal failed, or the server refused it before it was sent (a bad argument).
        if (self.written) b.record("create_unsent", m, {{"error", ec.message()}}, true);
        bool later = (ec == error_code(errc::timeout) || ec == asio::error::operation_aborted) && !b.stopping;
        if (later) {
            b.requeue(m, index);
            co_return;
        }
        if (b.stopping) {
            m.stage = provision_stage::pending;
            co_return;
        }
        b.fail(m, ec, std::move(d), "create");
        co_return;
    }
    if (!outcome_unknown(ec)) {
        // Refused: nothing was made. Again, unless every create would meet the same.
        if (!batch::refused_for_all(ec, d) && b.may_replace(m)) {
            m.details = std::move(d);
            b.retry_after_backoff(index, "create_retry");
            co_return;
        }
        b.fail(m, ec, std::move(d), "create");
        co_return;
    }
    b.record("create_unknown", m, {{"error", ec.message()}}, true);
    // An answer (a 5xx, an unreadable body) means the server is done with it: the next
    // list tells. Without one it may still be at work.
    const bool answered = d.http_status != 0 || ec == error_code(errc::bad_response) || ec == error_code(errc::response_too_large);
    m.details = std::move(d);
    m.details.client_message = "the create's outcome is unknown (" +
                               (m.details.client_message.empty() ? ec.message() : m.details.client_message) + ")";
    const auto now = std::chrono::steady_clock::now();
    batch::unresolved_create u{.index = index, .give_up_at = now + b.options.reconcile_window, .sent_at = sent_at};
    if (answered) u.done_at = now;
    u.may_appear_late = !answered;
    b.await_outcome(u);
}

}  // namespace

namespace {

awaitable<void> worker_loop(batch& b, batch::child& self) {
    while (!b.stopping) {
        std::size_t index;
        if (!b.again.empty()) {
            index = b.again.front();
            b.again.pop_front();
        } else if (b.next < b.items.size()) {
            index = b.next++;
        } else if (b.may_hand_back()) {
            // A name may come back to be created again (a replacement after its backoff, an
            // earlier run's create proved absent): stay for it.
            try {
                co_await b.work_waiters.wait();
            } catch (const boost::system::system_error&) {
                co_return;  // stopped
            }
            continue;
        } else {
            break;
        }
        co_await create_one(b, self, index);
    }
}

awaitable<void> worker(batch& b, batch::child& self) {
    co_await worker_loop(b, self);
    --b.workers_running;
}

awaitable<void> destroy_worker(batch& b, std::vector<std::size_t>& queue) {
    while (!queue.empty()) {
        provisioned_machine& m = b.items[queue.back()];
        queue.pop_back();
        auto [ec] = co_await b.handle_for(m).with({.timeout = milliseconds(60'000)}).destroy(use_tuple);
        if (ec && ec != error_code(errc::not_found)) {
            m.details.client_message += (m.details.client_message.empty() ? "" : "; ") + std::string("rollback failed: ") + ec.message();
            b.record("destroy_failed", m, {{"error", ec.message()}}, true);
            continue;
        }
        b.record("destroyed", m, {}, true);
        b.move_to(m, provision_stage::destroyed);
    }
}

awaitable<provision_report> do_provision(op_context op, backend target, std::vector<machine_spec> specs, provision_options o) {
    // Cancellation must not unwind this frame while children still use the batch: it is
    // observed (join_children) and passed on to them instead.
    co_await asio::this_coro::throw_if_cancelled(false);
    co_await ensure_ready(op);
    const auto started = std::chrono::steady_clock::now();
    batch b(op, std::move(target), std::move(specs), std::move(o));
    co_await start_batch(b);  // ownership, journal, resume; throws when the batch cannot start

    b.worker_body = worker;
    std::size_t workers = std::max<std::size_t>(1, std::min(b.options.concurrency, b.items.size()));
    for (std::size_t i = 0; i < workers && !b.items.empty(); ++i) b.spawn_worker(worker);
    co_await b.join_children();

    if (b.stopping) {
        co_await asio::this_coro::reset_cancellation_state();
        co_await settle_cut_short(b);
    }

    provision_report report;
    if (b.options.rollback && (b.stopping || b.counts.failed > 0)) {
        std::vector<std::size_t> queue;
        for (std::size_t i = 0; i < b.items.size(); ++i)
            if (b.items[i].exists()) queue.push_back(i);
        std::reverse(queue.begin(), queue.end());
        b.destroying = true;  // cancellations no longer stop anything: known machines are destroyed
        for (std::size_t i = 0; i < std::min(workers, queue.size()); ++i) b.spawn(destroy_worker(b, queue), batch::role::destroyer);
        co_await b.join_children();
        report.rolled_back = true;
    }
    report.batch_id = b.options.batch_id;
    report.cancelled = b.cancelled;
    report.stop_reason = b.stop_reason;
    report.counts = b.counts;
    report.machines = std::move(b.items);
    report.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    if (b.journal) {
        b.journal->record("batch_end", {{"cancelled", report.cancelled}, {"probed", report.counts.probed}, {"failed", report.counts.failed}}, true);
        report.journal_error = b.journal->failure();
    }
    co_return report;
}

}  // namespace

template <>
void start_operation(const client_ref& ref, ops::provision batch, handler<provision_report> h) {
    backend& target = batch.target;
    std::vector<machine_spec>& specs = batch.specs;
    provision_options& o = batch.options;
    // A batch has no overall deadline unless the caller sets one; its steps have theirs.
    client_ref batch_ref = ref;
    if (!batch_ref.call.timeout) batch_ref.call.timeout = std::chrono::hours(24 * 365);
    // A cancelled batch, or one whose journal failed, still delivers its report.
    auto slot = asio::get_associated_cancellation_slot(h);
    auto ex = asio::get_associated_executor(h, ref.state->executor);
    handler<provision_report> deliver(asio::bind_cancellation_slot(
        slot, asio::bind_executor(ex, [h = std::move(h)](error_code ec, provision_report r) mutable {
            if (!ec && r.journal_error) ec = r.journal_error;
            else if (!ec && r.cancelled) ec = asio::error::operation_aborted;
            std::move(h)(ec, std::move(r));
        })));
    // The batch's own requests fill their own diagnostics, never the caller's (which is
    // this operation's: why it could not start).
    call_options steps = handle_access::ref(target).call;
    steps.details = nullptr;
    target = target.with(steps);
    launch<provision_report>(batch_ref, std::move(deliver), [&](op_context op) {
        return do_provision(std::move(op), std::move(target), std::move(specs), std::move(o));
    });
}

}  // namespace mistasync::detail
