// Bulk provisioning (see include/mistasync/provision.hpp): the batch coroutine, its
// create workers, the per-machine followers that wait, reconciliation of creates whose
// outcome is unknown, and rollback.
#include "client_state.hpp"
#include "journal.hpp"

#include <mistasync/provision.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <map>
#include <set>
#include <unordered_set>

namespace mistasync {

std::string_view to_string(provision_stage s) noexcept {
    switch (s) {
    case provision_stage::pending: return "pending";
    case provision_stage::creating: return "creating";
    case provision_stage::created: return "created";
    case provision_stage::running: return "running";
    case provision_stage::probed: return "probed";
    case provision_stage::failed: return "failed";
    case provision_stage::destroyed: return "destroyed";
    }
    return "unknown";
}

namespace detail {
namespace {

namespace json = boost::json;
using asio::awaitable;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Errors after which a create may or may not have happened on the server: the
// connection failed after sending, the call ran out of time or was cancelled, or the
// server answered something unreadable (a 200 whose body did not parse created a machine).
bool outcome_unknown(error_code ec) {
    return ec == error_code(errc::outcome_unknown) || ec == error_code(errc::timeout) || ec == asio::error::operation_aborted ||
           ec == error_code(errc::bad_response) || ec == error_code(errc::response_too_large);
}

struct batch {
    batch(op_context& o, backend b, std::vector<machine_spec> s, provision_options opts)
        : op(o), target(std::move(b)), specs(std::move(s)), options(std::move(opts)), idle(o.state->executor) {}

    op_context& op;
    backend target;
    std::vector<machine_spec> specs;
    provision_options options;
    std::vector<provisioned_machine> items;
    provision_counts counts;
    std::optional<journal_writer> journal;
    std::unordered_set<std::string> foreign_ids;  ///< machines that are none of this batch's
    std::size_t next = 0;                         ///< the queue: specs[next..] not started
    struct unresolved_create {
        std::size_t index;
        std::chrono::steady_clock::time_point give_up_at;
        bool looked = false;  ///< at least one list looked for it
    };
    std::vector<unresolved_create> unresolved;  ///< creates of unknown outcome not found yet
    bool settling = false;                      ///< the settler runs (see settle())
    bool stopping = false;

    // Children (workers and followers): each has its own signal so the batch can stop them.
    struct child {
        asio::cancellation_signal signal;
        bool done = false;
    };
    std::list<child> children;
    std::size_t active = 0;
    asio::steady_timer idle;  ///< the batch sleeps on it until no child is active

    void record(std::string_view event, const provisioned_machine& m, json::object extra = {}, bool durable = false) {
        if (!journal) return;
        extra["name"] = m.name;
        extra["backend"] = target.id;
        if (!m.id.empty()) extra["id"] = m.id;
        journal->record(event, std::move(extra), durable);
    }

    void move_to(provisioned_machine& m, provision_stage stage) {
        m.stage = stage;
        switch (stage) {
        case provision_stage::created: ++counts.created; break;
        case provision_stage::running: ++counts.running; break;
        case provision_stage::probed: ++counts.probed; break;
        case provision_stage::failed: ++counts.failed; break;
        case provision_stage::destroyed: ++counts.destroyed; break;
        default: break;
        }
        if (options.on_change) options.on_change(m, counts);
    }

    void fail(provisioned_machine& m, error_code ec, diagnostics d, std::string_view step) {
        m.error = ec;
        m.details = std::move(d);
        json::object extra{{"step", step}, {"error", ec.message()}};
        if (m.details.http_status) extra["status"] = m.details.http_status;
        if (!m.details.server_message.empty()) extra["message"] = m.details.server_message;
        // A create of unknown outcome stays "may exist" in the journal: resume and cleanup
        // look for it by name.
        std::string_view event = !m.id.empty() ? "failed" : ec == error_code(errc::outcome_unknown) ? "create_unknown" : "create_failed";
        record(event, m, std::move(extra), true);
        move_to(m, provision_stage::failed);
    }

    template <class Body>
    void spawn(Body body) {
        auto& c = children.emplace_back();
        ++active;
        asio::co_spawn(op.state->executor, std::move(body),
                       asio::bind_cancellation_slot(c.signal.slot(), [this, &c](std::exception_ptr) {
                           c.done = true;
                           if (--active == 0) idle.cancel();
                       }));
    }

    void await_outcome(std::size_t index);  // defined with settle()

    void stop_children() {
        for (auto& c : children)
            if (!c.done) c.signal.emit(asio::cancellation_type::terminal);
    }
};

machine handle_for(const batch& b, const provisioned_machine& m) {
    created_machine c;
    c.id = m.id;
    c.name = m.name;
    return b.target.machine_from(c);
}

// The typed fields of a machine, without the server's JSON document: a batch keeps one
// result per machine, and v1 documents are ~1.6 KB of JSON each (tens of MB per 10,000).
machine without_document(const batch& b, const provisioned_machine& m, const machine& seen) {
    machine slim = handle_for(b, m);
    slim.uuid = seen.uuid;
    slim.state = seen.state;
    slim.state_text = seen.state_text;
    slim.image_id = seen.image_id;
    slim.size_id = seen.size_id;
    slim.public_ips = seen.public_ips;
    slim.private_ips = seen.private_ips;
    slim.tags = seen.tags;
    slim.actions = seen.actions;
    return slim;
}

void adopt(batch& b, provisioned_machine& m, const machine& found) {
    m.id = found.id;
    m.handle = without_document(b, m, found);
    m.reconciled = true;
    b.record("reconciled", m, {}, true);
}

// One list of the backend, looking for the machines that creates of unknown outcome may
// have made: named like them, not there before the batch, not another item's. A found
// item gets its id. False when cancelled.
awaitable<bool> look_for(batch& b, const std::vector<std::size_t>& wanted) {
    if (wanted.empty()) co_return true;
    machine_filter filter;
    if (wanted.size() == 1) filter.name = b.items[wanted.front()].name;
    auto [ec, listed] = co_await b.target.machines(filter, use_tuple);
    if (ec == asio::error::operation_aborted) co_return false;
    if (ec) co_return true;  // the next round looks again
    std::set<std::string> claimed;
    for (auto& other : b.items)
        if (!other.id.empty()) claimed.insert(other.id);
    std::multimap<std::string_view, const machine*> by_name;
    for (auto& candidate : listed)
        if (!b.foreign_ids.contains(candidate.id) && !claimed.contains(candidate.id)) by_name.emplace(candidate.name, &candidate);
    for (std::size_t k : wanted) {
        auto it = by_name.find(b.items[k].name);
        if (it == by_name.end() || !b.items[k].id.empty()) continue;
        adopt(b, b.items[k], *it->second);
        by_name.erase(it);
    }
    co_return true;
}

// After the create: wait until running, then until a probe answers.
awaitable<void> follow(batch& b, std::size_t index) {
    provisioned_machine& m = b.items[index];
    if (b.options.wait_running) {
        diagnostics d;
        auto [ec, seen] = co_await m.handle.with({.details = &d}).wait_for_state(machine_state::running, b.options.running_policy, use_tuple);
        if (ec) {
            if (!b.stopping) b.fail(m, ec, d, "wait for running");
            co_return;
        }
        m.handle = without_document(b, m, seen);
        b.record("running", m);
        b.move_to(m, provision_stage::running);
    }
    if (b.options.wait_probed) {
        diagnostics d;
        auto [ec, result] = co_await m.handle.with({.details = &d}).wait_until_probed(b.options.probe_policy, b.options.probe, use_tuple);
        if (ec) {
            if (!b.stopping) b.fail(m, ec, d, "probe");
            co_return;
        }
        m.probe = std::move(result);
        b.record("probed", m);
        b.move_to(m, provision_stage::probed);
    }
}

awaitable<void> create_one(batch& b, std::size_t index) {
    provisioned_machine& m = b.items[index];
    if (!m.id.empty()) {  // resumed: created by an earlier run
        b.spawn(follow(b, index));
        co_return;
    }
    if (m.resumed) {  // the journal of an earlier run left its create without an outcome
        b.move_to(m, provision_stage::creating);
        m.details.client_message = "an earlier run's create has no known outcome";
    } else {
        b.record("creating", m, {}, true);
        b.move_to(m, provision_stage::creating);
        diagnostics d;
        auto [ec, created] = co_await b.target.with({.details = &d}).create_machine(b.specs[index], use_tuple);
        if (!ec) {
            m.id = created.id;
            m.handle = b.target.machine_from(created);
            b.record("created", m, {}, true);
            b.move_to(m, provision_stage::created);
            b.spawn(follow(b, index));
            co_return;
        }
        if (!outcome_unknown(ec)) {
            b.fail(m, ec, d, "create");
            co_return;
        }
        b.record("create_unknown", m, {{"error", ec.message()}}, true);
        m.details = std::move(d);
        m.details.client_message = "the create's outcome is unknown (" +
                                   (m.details.client_message.empty() ? ec.message() : m.details.client_message) + ")";
    }
    if (b.stopping) co_return;  // the batch looks for it once everything has stopped
    b.await_outcome(index);
}

// The settler: while creates of unknown outcome remain, one list of the backend per
// `reconcile_interval` looks for all of them. A server may process a create long after
// its connection failed, so each is looked for during `reconcile_window`; a found one is
// followed like any other, the rest fail with outcome_unknown (and stay "may exist" in
// the journal). The create is never sent again.
awaitable<void> settle(batch& b) {
    while (!b.stopping && !b.unresolved.empty()) {
        std::vector<std::size_t> wanted;
        for (auto& u : b.unresolved) wanted.push_back(u.index);
        if (!co_await look_for(b, wanted)) break;
        // Those looked for are the first wanted.size() entries: others were only appended since.
        for (std::size_t k = 0; k < wanted.size(); ++k) b.unresolved[k].looked = true;
        const auto now = std::chrono::steady_clock::now();
        std::erase_if(b.unresolved, [&](const batch::unresolved_create& u) {
            provisioned_machine& m = b.items[u.index];
            if (!m.id.empty()) {
                b.move_to(m, provision_stage::created);
                b.spawn(follow(b, u.index));
                return true;
            }
            if (!u.looked || now < u.give_up_at) return false;
            diagnostics d = m.details;
            d.client_message += "; no machine named " + m.name + " appeared within the reconcile window; it was not sent again";
            b.fail(m, errc::outcome_unknown, std::move(d), "create");
            return true;
        });
        if (b.unresolved.empty()) break;
        asio::steady_timer pause(b.op.state->executor, b.options.reconcile_interval);
        auto [ec] = co_await pause.async_wait(use_tuple);
        if (ec) break;
    }
    b.settling = false;
}

void batch::await_outcome(std::size_t index) {
    unresolved.push_back({index, std::chrono::steady_clock::now() + options.reconcile_window});
    if (settling) return;
    settling = true;
    spawn(settle(*this));
}

awaitable<void> worker(batch& b) {
    while (!b.stopping && b.next < b.items.size()) co_await create_one(b, b.next++);
}

awaitable<void> destroy_worker(batch& b, std::vector<std::size_t>& queue) {
    while (!queue.empty()) {
        provisioned_machine& m = b.items[queue.back()];
        queue.pop_back();
        auto [ec] = co_await handle_for(b, m).with({.timeout = milliseconds(60'000)}).destroy(use_tuple);
        if (ec && ec != error_code(errc::not_found)) {
            m.details.client_message += (m.details.client_message.empty() ? "" : "; ") + std::string("rollback failed: ") + ec.message();
            b.record("destroy_failed", m, {{"error", ec.message()}}, true);
            continue;
        }
        b.record("destroyed", m, {}, true);
        b.move_to(m, provision_stage::destroyed);
    }
}

// Waits until no child runs. A cancellation of the batch stops them all (once).
awaitable<void> join_children(batch& b) {
    while (b.active > 0) {
        b.idle.expires_at(asio::steady_timer::time_point::max());
        co_await b.idle.async_wait(use_tuple);
        if (b.op.control->cancelled && !b.stopping) {
            b.stopping = true;
            b.stop_children();
            co_await asio::this_coro::reset_cancellation_state();
        }
    }
}

awaitable<provision_report> do_provision(op_context op, backend target, std::vector<machine_spec> specs, provision_options o) {
    // Cancellation must not unwind this frame while children still use the batch: it is
    // observed (join_children) and passed on to them instead.
    co_await asio::this_coro::throw_if_cancelled(false);
    if (!op.state->ready) co_await ensure_ready(op);
    const auto started = std::chrono::steady_clock::now();
    std::set<std::string> names;
    for (auto& s : specs) {
        if (s.name.empty() || !names.insert(s.name).second) {
            diagnostics d;
            d.client_message = s.name.empty() ? "every spec needs a name" : "two specs are named " + s.name + ": names identify machines";
            throw op_failure(errc::invalid_argument, d);
        }
    }
    batch b(op, std::move(target), std::move(specs), std::move(o));
    b.counts.requested = b.specs.size();

    std::map<std::string, journal_record> earlier;
    if (!b.options.journal_path.empty()) {
        for (auto& r : read_journal(b.options.journal_path))
            if (names.contains(r.name) && (r.backend_id.empty() || r.backend_id == b.target.id)) earlier[r.name] = r;
        b.journal.emplace(b.options.journal_path, b.options.journal_sync);
        b.journal->record("batch", {{"backend", b.target.id}, {"requested", b.specs.size()}, {"resumed", earlier.size()}}, true);
    }

    // What exists before we create anything: reconciliation must not adopt those.
    {
        diagnostics d;
        auto [ec, existing] = co_await b.target.with({.details = &d}).machines({}, use_tuple);
        if (ec) throw op_failure(ec, d);
        std::set<std::string> ours;
        for (auto& [name, r] : earlier)
            if (!r.id.empty()) ours.insert(r.id);
        for (auto& m : existing) {
            bool maybe_ours = ours.contains(m.id) || (earlier.contains(m.name) && earlier[m.name].id.empty());
            if (!maybe_ours) b.foreign_ids.insert(m.id);
        }
    }

    b.items.resize(b.specs.size());
    for (std::size_t i = 0; i < b.specs.size(); ++i) {
        provisioned_machine& m = b.items[i];
        m.name = b.specs[i].name;
        auto it = earlier.find(m.name);
        if (it == earlier.end() || !it->second.may_exist()) continue;
        m.resumed = true;  // without an id: reconciled by create_one
        if (!it->second.id.empty()) {
            m.id = it->second.id;
            m.handle = handle_for(b, m);
            b.move_to(m, provision_stage::created);
        }
    }

    std::size_t workers = std::max<std::size_t>(1, std::min(b.options.concurrency, b.items.size()));
    for (std::size_t i = 0; i < workers && !b.items.empty(); ++i) b.spawn(worker(b));
    co_await join_children(b);

    if (b.stopping) {
        // Creates cut short or unresolved may have happened: one look for all of them.
        co_await asio::this_coro::reset_cancellation_state();
        std::vector<std::size_t> cut_short;
        for (std::size_t k = 0; k < b.items.size(); ++k)
            if (b.items[k].stage == provision_stage::creating && b.items[k].id.empty()) cut_short.push_back(k);
        co_await look_for(b, cut_short);
        for (std::size_t k : cut_short) {
            provisioned_machine& m = b.items[k];
            if (!m.id.empty()) {
                b.move_to(m, provision_stage::created);
                continue;
            }
            diagnostics d;
            d.client_message = "stopped with its create's outcome unknown; no machine named " + m.name +
                               " was found (the journal keeps it as one that may exist)";
            b.fail(m, errc::outcome_unknown, d, "create");
        }
    }

    provision_report report;
    if (b.options.rollback && (b.stopping || b.counts.failed > 0)) {
        std::vector<std::size_t> queue;
        for (std::size_t i = 0; i < b.items.size(); ++i)
            if (b.items[i].exists()) queue.push_back(i);
        std::reverse(queue.begin(), queue.end());
        for (std::size_t i = 0; i < std::min(workers, queue.size()); ++i) b.spawn(destroy_worker(b, queue));
        bool was_stopping = b.stopping;
        b.stopping = true;  // a second cancel during rollback is ignored: rollback finishes
        co_await join_children(b);
        b.stopping = was_stopping;
        report.rolled_back = true;
    }
    report.cancelled = b.stopping;
    report.counts = b.counts;
    report.machines = std::move(b.items);
    report.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    if (b.journal) b.journal->record("batch_end", {{"cancelled", report.cancelled}, {"probed", report.counts.probed}, {"failed", report.counts.failed}}, true);
    co_return report;
}

}  // namespace

void start_provision(const client_ref& ref, backend target, std::vector<machine_spec> specs, provision_options o, handler<provision_report> h) {
    // A batch has no overall deadline unless the caller sets one; its steps have theirs.
    client_ref batch_ref = ref;
    if (!batch_ref.call.timeout) batch_ref.call.timeout = std::chrono::hours(24 * 365);
    // A cancelled batch still delivers its report, with operation_aborted.
    auto slot = asio::get_associated_cancellation_slot(h);
    auto ex = asio::get_associated_executor(h, ref.state->executor);
    handler<provision_report> deliver(asio::bind_cancellation_slot(
        slot, asio::bind_executor(ex, [h = std::move(h)](error_code ec, provision_report r) mutable {
            if (!ec && r.cancelled) ec = asio::error::operation_aborted;
            std::move(h)(ec, std::move(r));
        })));
    launch<provision_report>(batch_ref, std::move(deliver), [&](op_context op) {
        return do_provision(std::move(op), std::move(target), std::move(specs), std::move(o));
    });
}

}  // namespace detail
}  // namespace mistasync
