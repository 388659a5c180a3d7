// The ledger's events of created machines (batch_ledger.hpp): followed to running, probed
// and scripted, replaced when they go wrong, destroyed by rollback or as extras.
#include "provision/batch_ledger.hpp"

#include "decide/failure_kinds.hpp"

#include <utility>

namespace mistasync::detail {

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

}  // namespace mistasync::detail
