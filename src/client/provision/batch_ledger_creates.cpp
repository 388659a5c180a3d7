// The ledger's create events (batch_ledger.hpp): an earlier run's machines, creates sent,
// answered or failed, and creates of unknown outcome looked for by name.
#include "provision/batch_ledger.hpp"

#include "decide/failure_kinds.hpp"

#include <algorithm>
#include <utility>

namespace mistasync::detail {

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

}  // namespace mistasync::detail
