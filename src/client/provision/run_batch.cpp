// Bulk provisioning (see include/mistasync/provision.hpp): the operation, the batch
// coroutine, and rollback. The create workers are in create_workers.cpp, the followers
// that wait for each machine in follow.cpp; ownership (what the batch may adopt or
// destroy) is settled in start.cpp, creates of unknown outcome in reconcile.cpp. Every
// stage and count moves in the ledger (batch_ledger.hpp).
#include "provision/batch.hpp"

#include <boost/asio/this_coro.hpp>

#include <map>
#include <set>

namespace mistasync::detail {
namespace {

using std::chrono::milliseconds;

awaitable<void> destroy_worker(batch& b, std::vector<std::size_t>& queue) {
    while (!queue.empty()) {
        const std::size_t index = queue.back();
        queue.pop_back();
        auto [ec] = co_await b.handle_for(b.items[index]).with({.timeout = milliseconds(60'000)}).destroy(use_tuple);
        b.apply(b.ledger.rollback_destroyed(index, ec));
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

    start_workers(b);
    co_await b.join_children();

    if (b.stopping()) {
        co_await asio::this_coro::reset_cancellation_state();
        co_await settle_cut_short(b);
    }

    provision_report report;
    if (b.options.rollback && (b.stopping() || b.ledger.counts().failed > 0)) {
        std::vector<std::size_t> queue;
        for (std::size_t i = 0; i < b.items.size(); ++i)
            if (b.items[i].exists()) queue.push_back(i);
        std::reverse(queue.begin(), queue.end());
        b.ledger.begin_rollback();  // cancellations no longer stop anything: known machines are destroyed
        const std::size_t workers = std::max<std::size_t>(1, std::min(b.options.concurrency, b.items.size()));
        for (std::size_t i = 0; i < std::min(workers, queue.size()); ++i) b.spawn(destroy_worker(b, queue), batch::role::destroyer);
        co_await b.join_children();
        report.rolled_back = true;
    }
    report.batch_id = b.options.batch_id;
    report.cancelled = b.ledger.cancelled();
    report.stop_reason = b.ledger.stop_reason();
    report.counts = b.ledger.counts();
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
