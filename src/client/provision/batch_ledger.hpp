// A batch's ledger: every machine's stage, the counts, and the decisions that move them,
// without I/O (in the manner of a sans-io protocol core). An event goes in (a create was
// written, answered, failed; a list found a machine or proved it absent; a wait failed; a
// probe answered; a script ended; a stop was asked) and a step comes out: the journal
// lines to append, in order; whether the progress callback is due; whether the batch
// stops; and what to do next with the machine. The coroutines of provision/ do what the
// step says (batch::apply). set_stage is the one writer of a stage and of the counts.
//
// A machine's life: pending → creating → created → running → probed → scripted, or
// failed at any step; destroyed by rollback. Back to pending when its name is created
// again: its create was refused or proved absent, or its machine went to `error` or
// vanished (then it leaves the counts it had reached).
#pragma once

#include "provision/journal_entry.hpp"

#include <mistasync/provision.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

namespace mistasync::detail {

using boost::system::error_code;

/// What the batch does next with the step's machine.
enum class next_action : unsigned char {
    none,          ///< nothing now (done, failed, or left as it is by a stop)
    follow,        ///< wait for it: running, a probe, its script
    create_later,  ///< create its name again after step::delay (a back-off)
    send_again,    ///< its create left nothing at the server: back in the queue
    look_by_name,  ///< its create's outcome is unknown: look for it by name
    replace,       ///< destroy it (replacing, then replaced) and create its name again
};

/// How the batch stops. Gently: no new creates and no more waiting, but creates already
/// written finish (and with rollback the creates of unknown outcome are still looked
/// for). Now: everything but rollback's destroys.
enum class stop_kind : unsigned char { none, gently, now };

/// What one event asks of the batch.
struct ledger_step {
    static constexpr std::size_t max_entries = 4;
    std::array<journal_entry, max_entries> entries;  ///< to append, in order
    std::size_t entry_count = 0;
    std::size_t machine = journal_entry::batch_wide;  ///< the machine whose stage changed, if any
    bool changed = false;                             ///< the progress callback is due (for `machine`)
    stop_kind stop = stop_kind::none;
    next_action action = next_action::none;
    std::chrono::steady_clock::duration delay{};  ///< create_later: how long to wait
    bool answered = false;  ///< look_by_name: the server answered the create (it is done with it)
    /// A create of unknown outcome may still make a machine of this name after the name
    /// was created again: the batch watches for it (adopts it, or destroys it as an extra).
    bool watch_late = false;

    journal_entry& add(journal_event e, std::size_t index, bool durable = true);
    std::size_t size() const { return entry_count; }
    const journal_entry& operator[](std::size_t k) const { return entries[k]; }
};

class batch_ledger {
public:
    using clock = std::chrono::steady_clock;

    /// `options` must outlive the ledger. `seed` drives the back-off's jitter.
    explicit batch_ledger(const provision_options& options, std::uint64_t seed = std::random_device{}());

    /// The batch's machines, one per name, in the specs' order.
    void begin(const std::vector<machine_spec>& specs);

    /// The machines. Drivers fill in what they learn (ids, handles, job ids, diagnostics);
    /// stages and counts change only through the ledger's events.
    provisioned_machine& item(std::size_t i) { return items_[i]; }
    const provisioned_machine& item(std::size_t i) const { return items_[i]; }
    std::vector<provisioned_machine>& items() { return items_; }
    const std::vector<provisioned_machine>& items() const { return items_; }
    std::size_t size() const { return items_.size(); }
    const provision_counts& counts() const { return counts_; }

    // ---- An earlier run (resume) ----
    /// Its journal says the item's create made `handle`: it is followed, not created.
    ledger_step resumed_created(std::size_t i, machine handle, std::string job_id);
    /// Its journal says the item's create may have made a machine: looked for by name.
    ledger_step resumed_unknown(std::size_t i);

    // ---- Creates ----
    /// A worker may send the item's create (pending, no machine yet).
    bool may_send(std::size_t i) const;
    /// A worker took the item: its create waits for a connection.
    ledger_step create_started(std::size_t i);
    /// Its request is about to be written (`first`: not a resend of the same create after
    /// a 429). The journal line must be written before the request is.
    ledger_step create_written(std::size_t i, bool first);
    /// The create answered with a machine (the driver filled in id, job id and handle).
    ledger_step create_answered(std::size_t i, clock::duration took);
    /// The create failed. `request_sent`: bytes of it reached the wire; `written`: its
    /// journal line was written.
    ledger_step create_failed(std::size_t i, error_code ec, diagnostics d, bool request_sent, bool written);

    // ---- Looking by name ----
    /// A list found the machine a create of unknown outcome (or a late create) made:
    /// taken as the batch's. Followed (`follow`) when its create was being looked for.
    ledger_step found_by_name(std::size_t i, machine found);
    /// A create of unknown outcome that a list proved absent is settled now (created
    /// again, or failed), not only at the end of its window.
    bool settles_when_proved_absent(std::size_t i) const;
    /// A list sent after the server was done with the create showed no machine.
    /// `may_appear_late`: the server never answered it (it may still be at work).
    ledger_step proved_absent(std::size_t i, bool may_appear_late);
    /// No machine appeared within the reconcile window.
    ledger_step absent_for_window(std::size_t i);
    /// A create cut short by a stop: `listed` — a list was seen and showed nothing.
    ledger_step absent_after_stop(std::size_t i, bool listed);

    // ---- Following ----
    /// Seen running (`last`: the last step the batch asked of it).
    ledger_step running(std::size_t i, bool last);
    ledger_step probed(std::size_t i, bool last);
    /// Created was all the batch asked of it.
    ledger_step finished(std::size_t i);
    /// Waiting for it failed (`step`: "wait for running", "probe").
    ledger_step wait_failed(std::size_t i, error_code ec, diagnostics d, std::string_view step);
    /// replace: its machine is about to be destroyed.
    ledger_step replacing(std::size_t i, error_code why, std::string_view step);
    /// replace: the destroy ended (`ec`: empty or not_found when it is gone).
    ledger_step replaced(std::size_t i, error_code ec);

    // ---- Scripts ----
    ledger_step script_sending(std::size_t i);
    ledger_step script_started(std::size_t i, std::string job_id);
    /// The script stage ended with the item's `script` (the driver stored it there).
    ledger_step scripted(std::size_t i);
    /// The script's job could not be followed.
    ledger_step script_wait_failed(std::size_t i, error_code ec, diagnostics d);

    // ---- Machines destroyed ----
    /// Rollback destroyed it (`ec` empty or not_found) or could not.
    ledger_step rollback_destroyed(std::size_t i, error_code ec);
    /// A second machine of its name, made by a late create, was destroyed (or not).
    ledger_step extra_destroyed(std::size_t i, const std::string& extra_id, error_code ec);

    /// The item fails at `step`.
    ledger_step fail(std::size_t i, error_code ec, diagnostics d, std::string_view step);

    // ---- Stopping ----
    /// The caller cancelled: the first time gently, the second at once; during rollback
    /// nothing stops (known machines are destroyed whatever comes).
    ledger_step cancel_requested();
    /// The journal could not be written: stop gently (creates in flight are waited for).
    ledger_step journal_failed();
    /// Fail fast and its kind (another batch met): stop gently, saying why.
    ledger_step stop_early(std::string reason);
    /// Rollback begins: cancellations no longer stop anything.
    void begin_rollback() { rolling_back_ = true; }

    bool stopping() const { return stopping_; }
    bool cancelled() const { return cancelled_; }
    bool rolling_back() const { return rolling_back_; }
    /// A stopped batch with rollback still looks for creates of unknown outcome.
    bool settle_while_stopping() const { return settle_while_stopping_; }
    const std::string& stop_reason() const { return stop_reason_; }

    /// True when the item's name may be created again (provision_options::max_attempts).
    bool may_replace(std::size_t i) const;
    /// Notes how long an answered create took.
    void note_create_time(clock::duration took);
    /// How long after its send a create the server answered nothing to is surely done.
    clock::duration settle_margin() const;

private:
    void set_stage(ledger_step& out, std::size_t i, provision_stage to, bool last = false);
    void fail_into(ledger_step& out, std::size_t i, error_code ec, diagnostics d, std::string_view step);
    void retry_into(ledger_step& out, std::size_t i, journal_event why);
    void send_again_into(ledger_step& out, std::size_t i);
    bool check_brakes(ledger_step& out, std::size_t i, error_code ec);
    void stop_early_into(ledger_step& out, std::string reason);
    void stop_gently_into(ledger_step& out);

    const provision_options& options_;
    std::vector<provisioned_machine> items_;
    provision_counts counts_;
    std::vector<unsigned char> unsent_tries_;  ///< per item: creates that timed out before being sent
    std::size_t failed_tries_ = 0;             ///< failed tries of names created again (fail fast counts them)
    std::vector<clock::duration> create_times_;  ///< the latest answered creates' (a ring)
    std::size_t next_create_time_ = 0;
    clock::duration usual_create_{};  ///< 90th percentile of create_times_
    std::mt19937_64 random_;
    bool stopping_ = false;
    bool cancelled_ = false;
    bool rolling_back_ = false;
    bool settle_while_stopping_ = false;
    std::string stop_reason_;
};

}  // namespace mistasync::detail
