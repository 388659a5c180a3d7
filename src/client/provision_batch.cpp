// The batch's bookkeeping (provision_batch.hpp): journal lines, stage counts, children,
// and how the batch stops.
#include "provision_batch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <utility>

namespace mistasync::detail {

namespace json = boost::json;

batch::batch(op_context& o, backend b, std::vector<machine_spec> s, provision_options opts)
    : op(o), target(std::move(b)), specs(std::move(s)), options(std::move(opts)), work_waiters(o.state->executor),
      due_timer(o.state->executor), idle(o.state->executor) {}

error_code batch::record(std::string_view event, const provisioned_machine& m, const json::object& extra, bool durable) {
    if (!journal) return {};
    bool failed_before = static_cast<bool>(journal->failure());
    journal_writer::text_field texts[4];
    std::size_t n = 0;
    texts[n++] = {"name", m.name};
    texts[n++] = {"backend", target.id};
    if (!m.id.empty()) texts[n++] = {"id", m.id};
    if (!m.job_id.empty()) texts[n++] = {"job_id", m.job_id};
    error_code ec = journal->record(event, extra, durable, std::span(texts, n));
    if (ec && !failed_before) {
        op.state->log(log_level::error, "cannot write journal " + journal->path() + ": " + ec.message() +
                                            "; stopping the batch (creates in flight are waited for)");
        stop_gently();
    }
    return ec;
}

void batch::move_to(provisioned_machine& m, provision_stage stage, bool last) {
    m.stage = stage;
    switch (stage) {
    case provision_stage::created: ++counts.created; break;
    case provision_stage::running: ++counts.running; break;
    case provision_stage::probed: ++counts.probed; break;
    case provision_stage::scripted: ++counts.scripted; break;
    case provision_stage::failed: ++counts.failed; break;
    case provision_stage::destroyed: ++counts.destroyed; break;
    default: break;
    }
    if (last) ++counts.finished;
    if (options.on_change) options.on_change(m, counts);
}

void batch::fail(provisioned_machine& m, error_code ec, diagnostics d, std::string_view step) {
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
    if (stopping) return;
    if (check_brakes(m, ec)) return;
    if (step == "create" && counts.created == 0 && refused_for_all(ec, m.details))
        stop_early("the backend refused a create (" + std::string(ec.message()) +
                   (m.details.server_message.empty() ? "" : ": " + m.details.server_message) +
                   ") before any succeeded; the others would meet the same");
}

// Fail fast counts every failure as it happens: machines that failed, and failed tries
// whose name is being created again (a create refused or proved absent, a machine that
// went to `error` or vanished). Counting names that used up their attempts only would let
// a server that fails every create take max_attempts creates per name first.
bool batch::check_brakes(const provisioned_machine& m, error_code ec) {
    const std::size_t failures = counts.failed + failed_tries;
    const std::string last = "; the last: " + m.name + ": " + (m.details.server_message.empty() ? ec.message() : m.details.server_message);
    if (options.max_failures && failures >= options.max_failures) {
        stop_early(std::to_string(failures) + " failures (max_failures " + std::to_string(options.max_failures) + ")" + last);
        return true;
    }
    if (options.max_failure_share > 0 && static_cast<double>(failures) >= options.max_failure_share * static_cast<double>(counts.requested)) {
        stop_early(std::to_string(failures) + " failures for " + std::to_string(counts.requested) + " machines (max_failure_share " +
                   std::to_string(static_cast<int>(options.max_failure_share * 100 + 0.5)) + " %)" + last);
        return true;
    }
    return false;
}

// A create refused for credentials (this client's, or the backend's at its provider:
// libcloud's InvalidCredsError), or because the backend's provider is down: every other
// create would meet the same refusal.
bool batch::refused_for_all(error_code ec, const diagnostics& d) {
    return ec == error_code(errc::unauthorized) || ec == error_code(errc::forbidden) ||
           ec == error_code(errc::backend_credentials_refused) ||
           (d.server_message.starts_with("Machine creation failed") && d.server_message.find("InvalidCredsError") != std::string::npos) ||
           (ec == error_code(errc::service_unavailable) &&
            (d.server_message == "Cloud unavailable" || d.server_message == "Backend unavailable"));
}

bool batch::may_replace(const provisioned_machine& m) const {
    return !stopping && !destroying && m.attempts < options.max_attempts;
}

std::string batch::random_hex(std::size_t digits) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(digits, '0');
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (i % 16 == 0) bits = random();
        out[i] = hex[bits & 15];
        bits >>= 4;
    }
    return out;
}

void batch::learn_ready_time(std::chrono::steady_clock::duration took, bool scout) {
    const bool knew = ready_after.expected().has_value();
    ready_after.observe(took, scout);
    if (!knew) unpark_followers(*this);
}

// The 90th percentile of the latest 64 answered creates: what the server usually takes,
// without the odd answer that was slow to read.
void batch::note_create_time(std::chrono::steady_clock::duration took) {
    constexpr std::size_t kept = 64;
    if (create_times.size() < kept) create_times.push_back(took);
    else create_times[next_create_time++ % kept] = took;
    auto sorted = create_times;
    auto p90 = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() * 9 / 10);
    std::nth_element(sorted.begin(), p90, sorted.end());
    usual_create = *p90;
}

// The server answers a create within its usual time: a create it answered nothing to is
// done by twice that (plus half a second), unless it is far behind. With no answer seen yet,
// only the reconcile window tells. A create that appears even later is still caught
// while the batch runs (batch::watches).
std::chrono::steady_clock::duration batch::settle_margin() const {
    const std::chrono::steady_clock::duration window = options.reconcile_window;
    if (create_times.empty()) return window;
    return std::min(window, 2 * usual_create + std::chrono::steady_clock::duration(std::chrono::milliseconds(500)));
}

void batch::enqueue(std::size_t index) {
    if (stopping) return;
    again.push_back(index);
    work_waiters.notify_all();
    // Workers leave when the queue runs dry; names handed back later need new ones.
    while (worker_body && workers_running < std::min(options.concurrency, again.size())) spawn_worker(worker_body);
}

void batch::stop_early(std::string reason) {
    if (stopping) return;
    stop_reason = std::move(reason);
    op.state->log(log_level::warning, "stopping the batch: " + stop_reason);
    if (journal) journal->record("batch_stopping", {{"reason", stop_reason}}, true);
    stop_gently();
}

void batch::adopt(provisioned_machine& m, const machine& found) {
    m.id = found.id;
    m.handle = without_document(m, found);
    m.reconciled = true;
    record("reconciled", m, {}, true);
}

void batch::requeue(provisioned_machine& m, std::size_t index) {
    m.stage = provision_stage::pending;
    if (stopping) return;
    if (++unsent_tries[index] > 3) {
        diagnostics d;
        d.client_message = "its create could not be sent in three tries (each waited out its deadline before a connection was free)";
        fail(m, errc::timeout, d, "create");
        return;
    }
    enqueue(index);
}

bool batch::may_hand_back() const {
    if (backing_off > 0) return true;
    for (auto& u : unresolved)
        if (items[u.index].resumed || may_replace(items[u.index])) return true;
    return false;
}

machine batch::handle_for(const provisioned_machine& m) const {
    created_machine c;
    c.id = m.id;
    c.name = m.name;
    return target.machine_from(c);
}

// The typed fields of a machine, without the server's JSON document: a batch keeps one
// result per machine, and v1 documents are ~1.6 KB of JSON each (tens of MB per 10,000).
machine batch::without_document(const provisioned_machine& m, const machine& seen) const {
    machine slim = handle_for(m);
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

batch::child& batch::add_child(role kind) {
    auto& c = children.emplace_back();
    c.kind = kind;
    return c;
}

void batch::start(child& c, awaitable<void> body) {
    ++active;
    asio::co_spawn(op.state->executor, std::move(body), asio::bind_cancellation_slot(c.signal.slot(), [this, &c](std::exception_ptr) {
                       c.done = true;
                       if (std::exchange(scout_lost, false)) unpark_followers(*this);  // before the batch may look idle
                       if (--active == 0) idle.cancel();
                   }));
}

void batch::spawn(awaitable<void> body, role kind) { start(add_child(kind), std::move(body)); }

void batch::spawn_worker(awaitable<void> (*body)(batch&, child&)) {
    child& c = add_child(role::worker);
    ++workers_running;
    start(c, body(*this, c));  // the worker knows its child: a gentle stop spares its written create
}

void batch::stop_gently() {
    if (stopping) return;
    stopping = true;
    settle_while_stopping = options.rollback;
    for (auto& c : children) {
        if (c.done || c.kind == role::destroyer) continue;
        if (c.kind == role::worker && c.current && c.written) continue;  // its create finishes
        if (c.kind == role::settler && settle_while_stopping) continue;  // rollback wants its outcome
        c.signal.emit(asio::cancellation_type::terminal);
    }
    work_waiters.notify_all();
}

void batch::stop_now() {
    stopping = true;
    settle_while_stopping = false;
    for (auto& c : children)
        if (!c.done && c.kind != role::destroyer) c.signal.emit(asio::cancellation_type::terminal);
    work_waiters.notify_all();
}

awaitable<void> batch::join_children() {
    while (active > 0 || start_stranded_followers()) {
        idle.expires_at(asio::steady_timer::time_point::max());
        co_await idle.async_wait(use_tuple);
        while (cancels_seen < op.control->cancel_requests) {
            ++cancels_seen;
            cancelled = true;
            if (destroying) continue;  // rollback destroys what is known, whatever comes
            if (!stopping) {
                op.state->log(log_level::warning, "stopping the batch: no new creates; creates already sent are waited for"
                                                  " (cancel again to stop at once)");
                stop_gently();
            } else {
                stop_now();
            }
        }
        co_await asio::this_coro::reset_cancellation_state();
    }
}

}  // namespace mistasync::detail
