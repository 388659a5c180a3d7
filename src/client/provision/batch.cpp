// A running batch (batch.hpp): applying the ledger's steps (journal lines, progress,
// stops), its children, and how cancellations reach them.
#include "provision/batch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <utility>

namespace mistasync::detail {

namespace json = boost::json;

namespace {

// The entry's fields as the journal writes them (the names are the file format).
json::object fields_of(const journal_entry& e) {
    json::object extra;
    if (!e.reason.empty()) extra["reason"] = e.reason;
    if (!e.extra_id.empty()) extra["extra_id"] = e.extra_id;
    if (e.attempt) extra["attempt"] = *e.attempt;
    if (!e.step.empty()) extra["step"] = e.step;
    if (e.error) extra["error"] = e.error.message();
    if (e.status) extra["status"] = e.status;
    if (!e.message.empty()) extra["message"] = e.message;
    if (!e.script_job_id.empty()) extra["script_job_id"] = e.script_job_id;
    if (e.exit_code) extra["exit_code"] = *e.exit_code;
    if (e.ok) extra["ok"] = *e.ok;
    return extra;
}

}  // namespace

batch::batch(op_context& o, backend b, std::vector<machine_spec> s, provision_options opts)
    : op(o), target(std::move(b)), specs(std::move(s)), options(std::move(opts)), ledger(options), items(ledger.items()),
      work_waiters(o.state->executor), due_timer(o.state->executor), idle(o.state->executor) {}

error_code batch::apply(const ledger_step& step) {
    error_code first;
    for (std::size_t k = 0; k < step.size(); ++k) {
        const journal_entry& e = step[k];
        if (e.event == journal_event::batch_stopping) op.state->log(log_level::warning, "stopping the batch: " + e.reason);
        if (!journal) continue;
        const bool failed_before = static_cast<bool>(journal->failure());
        error_code ec;
        if (e.machine == journal_entry::batch_wide) {
            ec = journal->record(name_of(e.event), fields_of(e), e.durable);
        } else {
            const provisioned_machine& m = items[e.machine];
            journal_writer::text_field texts[4];
            std::size_t n = 0;
            texts[n++] = {"name", m.name};
            texts[n++] = {"backend", target.id};
            if (!m.id.empty()) texts[n++] = {"id", m.id};
            if (!m.job_id.empty()) texts[n++] = {"job_id", m.job_id};
            ec = journal->record(name_of(e.event), fields_of(e), e.durable, std::span(texts, n));
        }
        if (ec && !first) first = ec;
        if (ec && !failed_before) {
            op.state->log(log_level::error, "cannot write journal " + journal->path() + ": " + ec.message() +
                                                "; stopping the batch (creates in flight are waited for)");
            stop_children(ledger.journal_failed().stop);
        }
    }
    if (step.changed && options.on_change) options.on_change(items[step.machine], ledger.counts());
    stop_children(step.stop);
    return first;
}

void batch::act_on(const ledger_step& step, std::size_t index, std::optional<made_at> made, time_point watch_until) {
    apply(step);
    if (step.watch_late) watches.push_back({index, watch_until});
    switch (step.action) {
    case next_action::follow: follow_later(*this, index, made); break;
    case next_action::create_later:
        if (!stopping()) enqueue_after(*this, index, step.delay);
        break;
    case next_action::send_again: enqueue(index); break;
    default: break;
    }
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

bool batch::may_hand_back() const {
    if (backing_off > 0) return true;
    for (auto& u : unresolved)
        if (items[u.index].resumed || ledger.may_replace(u.index)) return true;
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

machine batch::slim(const machine& found) const {
    provisioned_machine as_ours;
    as_ours.id = found.id;
    as_ours.name = found.name;
    return without_document(as_ours, found);
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

void batch::stop_children(stop_kind how) {
    if (how == stop_kind::none) return;
    for (auto& c : children) {
        if (c.done || c.kind == role::destroyer) continue;
        if (how == stop_kind::gently) {
            if (c.kind == role::worker && c.current && c.written) continue;  // its create finishes
            if (c.kind == role::settler && ledger.settle_while_stopping()) continue;  // rollback wants its outcome
        }
        c.signal.emit(asio::cancellation_type::terminal);
    }
    work_waiters.notify_all();
}

awaitable<void> batch::join_children() {
    while (active > 0 || start_stranded_followers()) {
        idle.expires_at(asio::steady_timer::time_point::max());
        co_await idle.async_wait(use_tuple);
        while (cancels_seen < op.control->cancel_requests) {
            ++cancels_seen;
            const ledger_step step = ledger.cancel_requested();
            if (step.stop == stop_kind::gently)
                op.state->log(log_level::warning, "stopping the batch: no new creates; creates already sent are waited for"
                                                  " (cancel again to stop at once)");
            apply(step);
        }
        co_await asio::this_coro::reset_cancellation_state();
    }
}

}  // namespace mistasync::detail
