// The ledger's core (batch_ledger.hpp): the one writer of stages and counts, failing,
// fail fast, stopping, and what the batch learns of create times.
#include "provision/batch_ledger.hpp"

#include "decide/failure_kinds.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace mistasync::detail {

journal_entry& ledger_step::add(journal_event e, std::size_t index, bool durable) {
    assert(entry_count < max_entries);
    journal_entry& entry = entries[entry_count++];  // a step is filled once: its slots are fresh
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

// ---- Failing ----

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
