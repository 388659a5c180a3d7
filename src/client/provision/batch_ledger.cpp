#include "provision/batch_ledger.hpp"

#include "decide/failure_kinds.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace mistasync::detail {

journal_entry& ledger_step::add(journal_event e, std::size_t index, bool durable) {
    assert(entry_count < max_entries);
    journal_entry& entry = entries[entry_count++];
    entry = journal_entry{};
    entry.event = e;
    entry.machine = index;
    entry.durable = durable;
    return entry;
}

batch_ledger::batch_ledger(const provision_options& options, std::uint64_t seed) : options_(options), random_(seed) {}

void batch_ledger::begin(const std::vector<machine_spec>& specs) {
    counts_ = {};
    counts_.requested = specs.size();
    items_.assign(specs.size(), provisioned_machine{});
    for (std::size_t i = 0; i < specs.size(); ++i) items_[i].name = specs[i].name;
    unsent_tries_.assign(specs.size(), 0);
}

// The one place a stage is written. Counts say how many machines reached each stage: a
// machine sent back to pending (its name is created again) leaves those it had reached.
void batch_ledger::set_stage(ledger_step& out, std::size_t i, provision_stage to, bool last) {
    provisioned_machine& m = items_[i];
    const provision_stage from = m.stage;
    if (to == provision_stage::pending && from >= provision_stage::created && from <= provision_stage::scripted) {
        --counts_.created;
        if (from >= provision_stage::running) --counts_.running;
        if (from >= provision_stage::probed) --counts_.probed;
        if (from >= provision_stage::scripted) --counts_.scripted;
    }
    m.stage = to;
    switch (to) {
    case provision_stage::created: ++counts_.created; break;
    case provision_stage::running: ++counts_.running; break;
    case provision_stage::probed: ++counts_.probed; break;
    case provision_stage::scripted: ++counts_.scripted; break;
    case provision_stage::failed: ++counts_.failed; break;
    case provision_stage::destroyed: ++counts_.destroyed; break;
    default: break;
    }
    if (last) ++counts_.finished;
    out.machine = i;
    out.changed = true;
}

// ---- An earlier run ----

ledger_step batch_ledger::resumed_created(std::size_t i, machine handle, std::string job_id) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    m.resumed = true;
    m.id = handle.id;
    m.job_id = std::move(job_id);
    m.handle = std::move(handle);
    set_stage(out, i, provision_stage::created);
    out.action = next_action::follow;
    return out;
}

ledger_step batch_ledger::resumed_unknown(std::size_t i) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    m.resumed = true;
    m.details.client_message = "an earlier run's create has no known outcome";
    set_stage(out, i, provision_stage::creating);
    out.action = next_action::look_by_name;
    return out;
}

// ---- Creates ----

bool batch_ledger::may_send(std::size_t i) const {
    return items_[i].id.empty() && items_[i].stage == provision_stage::pending;
}

ledger_step batch_ledger::create_started(std::size_t i) {
    ledger_step out;
    set_stage(out, i, provision_stage::creating);
    return out;
}

ledger_step batch_ledger::create_written(std::size_t i, bool first) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    if (first) ++m.attempts;  // a resend after a 429 is the same create
    out.add(journal_event::creating, i).attempt = m.attempts;
    return out;
}

ledger_step batch_ledger::create_answered(std::size_t i, clock::duration took) {
    ledger_step out;
    note_create_time(took);
    out.add(journal_event::created, i);
    set_stage(out, i, provision_stage::created);
    out.action = next_action::follow;
    return out;
}

ledger_step batch_ledger::create_failed(std::size_t i, error_code ec, diagnostics d, bool request_sent, bool written) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    if (!request_sent && !answered_unreadably(ec)) {
        // Nothing reached the server: no machine. Sent later, unless the batch stops or
        // the server refused it before it was sent (a bad argument).
        if (written) out.add(journal_event::create_unsent, i).error = ec;
        if (worth_sending_again(ec) && !stopping_) send_again_into(out, i);
        else if (stopping_) set_stage(out, i, provision_stage::pending);  // never created
        else fail_into(out, i, ec, std::move(d), "create");
        return out;
    }
    if (!outcome_unknown(ec)) {
        // Refused: nothing was made. Again, unless every create would meet the same.
        if (!refused_for_all(ec, d) && may_replace(i)) {
            m.details = std::move(d);
            retry_into(out, i, journal_event::create_retry);
        } else {
            fail_into(out, i, ec, std::move(d), "create");
        }
        return out;
    }
    out.add(journal_event::create_unknown, i).error = ec;
    // An answer (a 5xx, an unreadable body) means the server is done with it: the next
    // list tells. Without one it may still be at work.
    out.answered = d.http_status != 0 || answered_unreadably(ec);
    m.details = std::move(d);
    m.details.client_message =
        "the create's outcome is unknown (" + (m.details.client_message.empty() ? ec.message() : m.details.client_message) + ")";
    out.action = next_action::look_by_name;
    return out;
}

void batch_ledger::send_again_into(ledger_step& out, std::size_t i) {
    set_stage(out, i, provision_stage::pending);
    if (stopping_) return;
    if (++unsent_tries_[i] > 3) {
        diagnostics d;
        d.client_message = "its create could not be sent in three tries (each waited out its deadline before a connection was free)";
        fail_into(out, i, errc::timeout, std::move(d), "create");
        return;
    }
    out.action = next_action::send_again;
}

// replace_backoff, doubled for each create after the 2nd (up to 8 times), ±20 %.
void batch_ledger::retry_into(ledger_step& out, std::size_t i, journal_event why) {
    provisioned_machine& m = items_[i];
    out.add(why, i).attempt = m.attempts;
    m.resumed = false;
    m.reconciled = false;
    m.job_id.clear();
    ++counts_.replaced;
    ++failed_tries_;
    set_stage(out, i, provision_stage::pending);
    const unsigned doublings = std::min(m.attempts > 1 ? m.attempts - 1 : 0u, 3u);
    const double jitter = std::uniform_real_distribution<double>(0.8, 1.2)(random_);
    out.delay = std::chrono::duration_cast<clock::duration>(options_.replace_backoff * (1u << doublings) * jitter);
    out.action = next_action::create_later;
    if (!stopping_) check_brakes(out, i, m.error ? m.error : error_code(errc::outcome_unknown));
}

// ---- Looking by name ----

ledger_step batch_ledger::found_by_name(std::size_t i, machine found) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    m.id = found.id;
    m.handle = std::move(found);
    m.reconciled = true;
    out.add(journal_event::reconciled, i);
    // A create that was looked for is followed now; a pending name is followed by the
    // worker that takes it from the queue; a name whose last create failed keeps its
    // failure (the machine is reported, not followed).
    const provision_stage was = m.stage;
    if (was == provision_stage::pending || was == provision_stage::creating) set_stage(out, i, provision_stage::created);
    if (was == provision_stage::creating) out.action = next_action::follow;
    return out;
}

bool batch_ledger::settles_when_proved_absent(std::size_t i) const {
    return !items_[i].resumed && (may_replace(i) || options_.max_attempts > 1);
}

ledger_step batch_ledger::proved_absent(std::size_t i, bool may_appear_late) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    out.watch_late = may_appear_late;
    if (may_replace(i)) {
        retry_into(out, i, journal_event::create_absent);
        return out;
    }
    // Its last attempt: it fails now; a machine it makes late is still adopted (and
    // reported) while the batch runs.
    diagnostics d = m.details;
    d.client_message += "; a list after the server was done with it showed no machine named " + m.name;
    if (m.attempts >= options_.max_attempts) d.client_message += " (" + std::to_string(m.attempts) + " creates sent: max_attempts)";
    fail_into(out, i, errc::outcome_unknown, std::move(d), "create");
    return out;
}

ledger_step batch_ledger::absent_for_window(std::size_t i) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    if (m.resumed && !stopping_) {
        // An earlier run's create, absent for its whole window: made again. The server may
        // still be at the earlier one: a machine it makes late is destroyed as an extra
        // while this batch runs, so the name is never held twice.
        out.add(journal_event::create_absent, i);
        m.resumed = false;
        m.details = {};
        out.watch_late = true;
        send_again_into(out, i);
        return out;
    }
    diagnostics d = m.details;
    d.client_message += "; no machine named " + m.name + " appeared within the reconcile window; it was not sent again";
    fail_into(out, i, errc::outcome_unknown, std::move(d), "create");
    return out;
}

ledger_step batch_ledger::absent_after_stop(std::size_t i, bool listed) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    diagnostics d = m.details;
    d.client_message = "stopped with its create's outcome unknown; " +
                       (listed ? "no machine named " + m.name + " was found" : "the backend could not be listed to look for it") +
                       " (the journal keeps it as one that may exist)";
    fail_into(out, i, errc::outcome_unknown, std::move(d), "create");
    return out;
}

// ---- Following ----

ledger_step batch_ledger::running(std::size_t i, bool last) {
    ledger_step out;
    out.add(journal_event::running, i, false);
    set_stage(out, i, provision_stage::running, last);
    return out;
}

ledger_step batch_ledger::probed(std::size_t i, bool last) {
    ledger_step out;
    out.add(journal_event::probed, i, false);
    set_stage(out, i, provision_stage::probed, last);
    return out;
}

ledger_step batch_ledger::finished(std::size_t) {
    ++counts_.finished;
    return {};
}

ledger_step batch_ledger::wait_failed(std::size_t i, error_code ec, diagnostics d, std::string_view step) {
    ledger_step out;
    if (gone_wrong(ec) && may_replace(i)) out.action = next_action::replace;
    else if (!stopping_) fail_into(out, i, ec, std::move(d), step);
    return out;
}

ledger_step batch_ledger::replacing(std::size_t i, error_code why, std::string_view step) {
    ledger_step out;
    journal_entry& e = out.add(journal_event::replacing, i);
    e.step = step;
    e.error = why;
    return out;
}

ledger_step batch_ledger::replaced(std::size_t i, error_code ec) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    const bool gone = !ec || ec == error_code(errc::not_found);
    if (gone) out.add(journal_event::destroyed, i);
    else out.add(journal_event::destroy_failed, i).error = ec;
    const std::string old = std::exchange(m.id, {});
    m.replaced.push_back(old);
    m.handle = machine{};
    m.probe.reset();
    m.script.reset();
    m.details = {};
    if (!gone) m.details.client_message = "the machine it replaced (" + old + ") could not be destroyed: " + ec.message();
    retry_into(out, i, journal_event::create_retry);
    return out;
}

// ---- Scripts ----

ledger_step batch_ledger::script_sending(std::size_t i) {
    ledger_step out;
    out.add(journal_event::script_sending, i);
    return out;
}

ledger_step batch_ledger::script_started(std::size_t i, std::string job_id) {
    ledger_step out;
    out.add(journal_event::script_started, i).script_job_id = std::move(job_id);
    return out;
}

ledger_step batch_ledger::scripted(std::size_t i) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    const script_result& result = *m.script;
    const bool failed = !result.succeeded();
    journal_entry& e = out.add(journal_event::scripted, i);
    e.exit_code = result.exit_code;
    e.ok = !failed;
    if (failed && options_.script_failure_fails) {
        diagnostics d;
        d.client_message = result.error;
        fail_into(out, i, errc::script_failed, std::move(d), "script");
        return out;
    }
    set_stage(out, i, provision_stage::scripted, true);
    return out;
}

ledger_step batch_ledger::script_wait_failed(std::size_t i, error_code ec, diagnostics d) {
    ledger_step out;
    if (!stopping_) fail_into(out, i, ec, std::move(d), "script");
    return out;
}

// ---- Machines destroyed ----

ledger_step batch_ledger::rollback_destroyed(std::size_t i, error_code ec) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    if (ec && ec != error_code(errc::not_found)) {
        m.details.client_message += (m.details.client_message.empty() ? "" : "; ") + std::string("rollback failed: ") + ec.message();
        out.add(journal_event::destroy_failed, i).error = ec;
        return out;
    }
    out.add(journal_event::destroyed, i);
    set_stage(out, i, provision_stage::destroyed);
    return out;
}

ledger_step batch_ledger::extra_destroyed(std::size_t i, const std::string& extra_id, error_code ec) {
    ledger_step out;
    provisioned_machine& m = items_[i];
    const bool gone = !ec || ec == error_code(errc::not_found);
    journal_entry& e = out.add(gone ? journal_event::extra_destroyed : journal_event::extra_destroy_failed, i);
    e.extra_id = extra_id;
    if (!gone) e.error = ec;
    if (gone) m.replaced.push_back(extra_id);
    else m.details.client_message += (m.details.client_message.empty() ? "" : "; ") + std::string("an extra machine of its name (") +
                                     extra_id + ") could not be destroyed: " + ec.message();
    out.machine = i;
    out.changed = true;
    return out;
}

ledger_step batch_ledger::fail(std::size_t i, error_code ec, diagnostics d, std::string_view step) {
    ledger_step out;
    fail_into(out, i, ec, std::move(d), step);
    return out;
}

void batch_ledger::fail_into(ledger_step& out, std::size_t i, error_code ec, diagnostics d, std::string_view step) {
    provisioned_machine& m = items_[i];
    m.error = ec;
    m.details = std::move(d);
    // A create of unknown outcome stays "may exist" in the journal: resume and cleanup
    // look for it by name.
    const journal_event event = !m.id.empty()                               ? journal_event::failed
                                : ec == error_code(errc::outcome_unknown) ? journal_event::create_unknown
                                                                            : journal_event::create_failed;
    journal_entry& e = out.add(event, i);
    e.step = step;
    e.error = ec;
    e.status = m.details.http_status;
    e.message = m.details.server_message;
    set_stage(out, i, provision_stage::failed);
    out.action = next_action::none;
    if (stopping_) return;
    if (check_brakes(out, i, ec)) return;
    if (step == "create" && counts_.created == 0 && refused_for_all(ec, m.details))
        stop_early_into(out, "the backend refused a create (" + std::string(ec.message()) +
                                 (m.details.server_message.empty() ? "" : ": " + m.details.server_message) +
                                 ") before any succeeded; the others would meet the same");
}

// Fail fast counts every failure as it happens: machines that failed, and failed tries
// whose name is being created again (a create refused or proved absent, a machine that
// went to `error` or vanished). Counting names that used up their attempts only would let
// a server that fails every create take max_attempts creates per name first.
bool batch_ledger::check_brakes(ledger_step& out, std::size_t i, error_code ec) {
    const provisioned_machine& m = items_[i];
    const std::size_t failures = counts_.failed + failed_tries_;
    const std::string last = "; the last: " + m.name + ": " + (m.details.server_message.empty() ? ec.message() : m.details.server_message);
    if (options_.max_failures && failures >= options_.max_failures) {
        stop_early_into(out, std::to_string(failures) + " failures (max_failures " + std::to_string(options_.max_failures) + ")" + last);
        return true;
    }
    if (options_.max_failure_share > 0 &&
        static_cast<double>(failures) >= options_.max_failure_share * static_cast<double>(counts_.requested)) {
        stop_early_into(out, std::to_string(failures) + " failures for " + std::to_string(counts_.requested) +
                                 " machines (max_failure_share " +
                                 std::to_string(static_cast<int>(options_.max_failure_share * 100 + 0.5)) + " %)" + last);
        return true;
    }
    return false;
}

// ---- Stopping ----

ledger_step batch_ledger::cancel_requested() {
    ledger_step out;
    cancelled_ = true;
    if (rolling_back_) return out;  // rollback destroys what is known, whatever comes
    if (!stopping_) {
        stop_gently_into(out);
        return out;
    }
    stopping_ = true;
    settle_while_stopping_ = false;
    out.stop = stop_kind::now;
    return out;
}

ledger_step batch_ledger::journal_failed() {
    ledger_step out;
    stop_gently_into(out);
    return out;
}

ledger_step batch_ledger::stop_early(std::string reason) {
    ledger_step out;
    stop_early_into(out, std::move(reason));
    return out;
}

void batch_ledger::stop_early_into(ledger_step& out, std::string reason) {
    if (stopping_) return;
    stop_reason_ = std::move(reason);
    out.add(journal_event::batch_stopping, journal_entry::batch_wide).reason = stop_reason_;
    stop_gently_into(out);
}

void batch_ledger::stop_gently_into(ledger_step& out) {
    if (stopping_) return;
    stopping_ = true;
    settle_while_stopping_ = options_.rollback;
    out.stop = stop_kind::gently;
}

bool batch_ledger::may_replace(std::size_t i) const {
    return !stopping_ && !rolling_back_ && items_[i].attempts < options_.max_attempts;
}

// The 90th percentile of the latest 64 answered creates: what the server usually takes,
// without the odd answer that was slow to read.
void batch_ledger::note_create_time(clock::duration took) {
    constexpr std::size_t kept = 64;
    if (create_times_.size() < kept) create_times_.push_back(took);
    else create_times_[next_create_time_++ % kept] = took;
    auto sorted = create_times_;
    auto p90 = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() * 9 / 10);
    std::nth_element(sorted.begin(), p90, sorted.end());
    usual_create_ = *p90;
}

// The server answers a create within its usual time: a create it answered nothing to is
// done by twice that (plus half a second), unless it is far behind. With no answer seen
// yet, only the reconcile window tells. A create that appears even later is still caught
// while the batch runs (the late watches).
batch_ledger::clock::duration batch_ledger::settle_margin() const {
    const clock::duration window = options_.reconcile_window;
    if (create_times_.empty()) return window;
    return std::min(window, 2 * usual_create_ + clock::duration(std::chrono::milliseconds(500)));
}

}  // namespace mistasync::detail
