// Bulk provisioning: create many machines on one backend, at most `concurrency` creates
// at a time, wait until each runs and answers SSH, and account for every one of them.
//
//   auto [ec, report] = co_await mistasync::provision(backend, specs, options,
//                                                     asio::as_tuple(asio::use_awaitable));
//
// Workers pull specs from a queue (never N coroutines started at once); a created machine
// then waits apart, costing one timer, so creating and waiting overlap. Every create is
// written to the journal before it is sent and again when its outcome is known. A create
// whose outcome is unknown (the connection dropped after the request was sent) is
// reconciled by looking for a machine of that name that did not exist before the batch —
// never by sending it again. Cancelling the operation stops the whole batch at once; it
// then completes with operation_aborted and the report of what exists (use as_tuple to
// receive both; the default token throws and the journal remains the record).
#pragma once

#include <mistasync/client.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mistasync {

/// The tag key that marks a machine's batch on v1 servers (provision_options::batch_id).
inline constexpr std::string_view batch_tag_key = "mistasync.batch";

/// Where a machine of a batch is: pending → creating → created → running → probed →
/// scripted, or `failed` at any step; `destroyed` by rollback. A name goes back to
/// `pending` when it is created again (provision_options::max_attempts): its create was
/// refused, a list proved that a create of unknown outcome made nothing, its machine went
/// to `error` or vanished (destroyed first: provisioned_machine::replaced), or a create
/// waited out its deadline before it could be sent. A machine that leaves a stage this
/// way leaves the counts it had reached (provision_counts). `scripted`: its script stage
/// ended (see provision_options::run_script_id and machine_spec::script).
enum class provision_stage { pending, creating, created, running, probed, scripted, failed, destroyed };
std::string_view to_string(provision_stage s) noexcept;

/// One machine of a batch: where it got to, and why not further.
struct provisioned_machine {
    std::string name;  ///< from its spec
    std::string id;  ///< the provider's id once created (kept when a later step fails)
    provision_stage stage = provision_stage::pending;  ///< the furthest stage reached
    machine handle;                     ///< the machine as last seen (acts, probes again);
                                        ///< typed fields only: info() is "null" (list it for the document)
    std::optional<probe_result> probe;  ///< when probed
    std::string job_id;                 ///< the create's job (its post-deploy steps), when the server gave one
    /// The script stage's outcome: the create's post-deploy script, or the stored script
    /// run on it (exit code, output tail, error). Empty when the batch ran no script on it.
    std::optional<script_result> script;
    boost::system::error_code error;    ///< why it failed (empty otherwise)
    diagnostics details;                ///< the failure's status, server text, request
    bool reconciled = false;            ///< its create's outcome was unknown; found by name
    bool resumed = false;               ///< known from the journal of an earlier run
    unsigned attempts = 0;              ///< creates this run sent for its name (see provision_options::max_attempts)
    /// Machines of its name the batch destroyed: one that went to `error` or vanished
    /// before it was replaced, or an extra a create of unknown outcome made after its
    /// replacement existed.
    std::vector<std::string> replaced;

    /// True when the machine exists on the server: created (or found) and not destroyed.
    bool exists() const noexcept { return !id.empty() && stage != provision_stage::destroyed; }
    /// True when it exists, or when its create's outcome stayed unknown (no machine of its
    /// name was found, but the server may still make one): the journal keeps these too.
    bool may_exist() const noexcept { return exists() || (id.empty() && error == errc::outcome_unknown); }
};

/// Running totals, for progress bars: how many machines reached each stage so far. A
/// machine counts in every stage it reached (a probed one is also created and running);
/// one whose name is created again leaves them until its replacement reaches them, so
/// `created` never counts one name twice. `failed` and `replaced` only grow.
struct provision_counts {
    std::size_t requested = 0;  ///< specs in the batch
    std::size_t created = 0;  ///< created (or found by reconciliation, or resumed)
    std::size_t running = 0;  ///< seen running
    std::size_t probed = 0;  ///< answered a probe
    std::size_t scripted = 0;  ///< its script stage ended (succeeded, or failed without failing it)
    std::size_t failed = 0;  ///< failed at some step (see provisioned_machine::error)
    std::size_t destroyed = 0;  ///< destroyed by rollback
    std::size_t replaced = 0;  ///< creates sent again for a name whose earlier try failed
    std::size_t finished = 0;  ///< went through every step the batch asked for

    /// Machines neither finished nor failed yet.
    std::size_t in_progress() const noexcept { return requested - finished - failed; }
};

/// Defaults for waiting on new machines: poll every second, up to 10 s apart, 10 minutes.
inline wait_policy default_provision_wait() {
    wait_policy p;
    p.interval = std::chrono::milliseconds(1'000);
    p.max_interval = std::chrono::milliseconds(10'000);
    p.deadline = std::chrono::milliseconds(600'000);
    return p;
}

/// How a batch runs (see provision()).
struct provision_options {
    std::size_t concurrency = 16;  ///< creates in flight at once (waiting does not count)
    bool wait_running = true;      ///< wait for state running after the create
    bool wait_probed = true;       ///< then wait until a probe answers
    wait_policy running_policy = default_provision_wait();  ///< how to wait for state running
    wait_policy probe_policy = default_provision_wait();  ///< how to wait until a probe answers
    /// With wait_running and wait_probed: each machine is probed directly when it is
    /// expected to answer (as long after its create answered as the quickest of the
    /// batch's first three machines took) instead of first waiting for "running" on the
    /// backend's machine list, which on a large backend is costly and comes round only
    /// every few seconds. Those three *scouts* are probed from their creation on, at a
    /// quarter of probe_policy's interval without backoff; machines created before they
    /// answer wait for that estimate (if no scout can give one, they wait on the list).
    /// probe_policy's initial_delay applies to the scouts only (the others are due after
    /// it). A waiting machine costs a table entry, not a coroutine; at most `concurrency`
    /// are in their first probe at once. A probe that answers proves the machine runs
    /// (it is recorded running, then probed); while it does not, the probe looks at the
    /// list now and then (at most every 5 s) to see the machine go to `error` or vanish.
    /// running_policy's on_attempt is not called for such machines.
    bool probe_when_expected = true;
    probe_options probe;           ///< key / user to probe with
    /// The script stage, once a machine answers SSH (so only with wait_probed):
    ///  - a spec with `script` or `script_id` gets the server's post-deploy: the batch waits
    ///    for that script's end in the create's job (wait_scripts);
    ///  - run_script_id: a stored script (client::add_script) run on each machine by the
    ///    batch (machine::run_script), then waited for. Never run twice on a machine: a
    ///    resumed batch waits for the run its journal names instead.
    /// A script that exits non-zero or never runs fails its machine (errc::script_failed)
    /// unless script_failure_fails is false; other machines go on either way.
    bool wait_scripts = true;
    std::string run_script_id;               ///< a stored script to run on every machine (empty: none)
    script_run_options run_script_options;   ///< its parameters, su and environment
    bool script_failure_fails = true;        ///< a failed script fails the machine
    /// Fail fast: once this many machines have failed (0: never), the batch stops as at a
    /// first cancellation — no new creates, creates already sent are waited for, waits
    /// end, rollback if asked — and says why in provision_report::stop_reason. Whatever
    /// this says, a batch whose creates are refused for credentials (401, 403; or the
    /// provider's refusal of the backend's, "InvalidCredsError") or because the backend's
    /// provider is down ("Cloud unavailable") before any create succeeded stops at the
    /// first such refusal: the next ones would meet the same. Machines never started stay
    /// pending.
    std::size_t max_failures = 0;
    /// Fail fast by share: once this share (0..1; 0: never) of the batch's machines failed,
    /// it stops as with max_failures (whichever comes first).
    double max_failure_share = 0;
    wait_policy script_policy = default_provision_wait();  ///< how to wait for a script's end

    /// Exactly N, by name: creates per name, the first included (1: never replaced). A
    /// name whose create failed (an error answer; a create of unknown outcome once settled
    /// as absent), or whose machine went to `error` or vanished while it was waited for
    /// (that machine is destroyed first, best effort), is created again after a listing
    /// shows no live machine of its name. Credentials refusals are never retried (see
    /// max_failures). Never two live machines of one name: should a create of unknown
    /// outcome make its machine after the replacement was made, the extra one is destroyed
    /// (provisioned_machine::replaced); while the replacement is not yet sent, it is
    /// adopted instead.
    unsigned max_attempts = 3;
    /// Wait before the 2nd create of a name; doubled for each later one (up to 8 times).
    std::chrono::milliseconds replace_backoff{250};

    /// The batch's id (empty: a new one; resuming a journal, the journal's). On v1 and
    /// v2 servers every machine is tagged `mistasync.batch=<id>` (tag_batch), so
    /// `client::machines({.tag = "mistasync.batch=<id>"})` finds them without the journal;
    /// on v2 the waits for running list only the batch's machines by that tag
    /// (wait_policy::list_search). 2015 servers read no tags on create: there the journal
    /// is the record.
    std::string batch_id;
    bool tag_batch = true;  ///< tag v1 and v2 machines with the batch id (see batch_id)

    /// All or nothing: when the batch is cancelled or any machine failed, destroy every
    /// machine it created. Creates still in flight are waited for first (and creates of
    /// unknown outcome looked for during reconcile_window), so what they make is destroyed
    /// too; a second cancellation stops that wait (the report says what may remain).
    bool rollback = false;

    /// Machines with one of the batch's names already on the backend make a new batch
    /// refuse to start (errc::conflict, naming them): the journal could not tell them from
    /// the batch's own. When allowed, they are recorded as not the batch's, and neither
    /// resume nor cleanup ever adopts or destroys them.
    bool allow_existing_names = false;

    /// Append-only JSON-lines journal, created 0600 and locked (flock) while the batch
    /// runs: a second run on the same journal fails at once. Its first record names the
    /// server, the backend and the machines that already had the batch's names. An
    /// existing journal of an earlier run of the same specs resumes it: machines it created
    /// are not created again; creates it left without an outcome are looked for by name
    /// (never among the machines that were there before) until reconcile_window after they
    /// were sent, then created again if absent; names it never sent are created. A journal
    /// of another server or backend is refused (errc::invalid_argument).
    std::string journal_path;
    bool journal_sync = false;     ///< fdatasync after each create record (power-loss safe)

    /// How long a create of unknown outcome is looked for (a server may process a request
    /// long after its connection failed); then it fails with errc::outcome_unknown.
    std::chrono::milliseconds reconcile_window{60'000};
    std::chrono::milliseconds reconcile_interval{1'000};  ///< one list of the backend per interval looks for all of them

    /// Called on the client's executor once the batch has its id (batch_id, or the
    /// journal's when resuming) and has journaled its start, before its first create: a
    /// program can say the id at once (to `cleanup --batch` a batch whose process dies).
    std::function<void(const std::string& batch_id)> on_start;
    /// Called on the client's executor whenever a machine changes stage.
    std::function<void(const provisioned_machine&, const provision_counts&)> on_change;
};

/// What a batch did: every machine, in spec order, and the totals.
struct provision_report {
    std::vector<provisioned_machine> machines;  ///< in the order of the specs
    provision_counts counts;  ///< the totals
    std::string batch_id;  ///< the batch's id (provision_options::batch_id)
    bool cancelled = false;  ///< the batch was cancelled (the operation completed with operation_aborted)
    bool rolled_back = false;  ///< rollback ran
    /// Why the batch stopped early on its own (provision_options::max_failures, or creates
    /// the backend refuses); empty when it ran to its end or was cancelled. The operation
    /// still completes without an error: the report says what exists.
    std::string stop_reason;
    /// The journal could not be written (say, the disk is full): the batch stopped
    /// starting creates, waited for those in flight, and completed with this error. The
    /// report is complete; the journal lacks what happened after the failure.
    boost::system::error_code journal_error;
    std::chrono::milliseconds elapsed{0};  ///< wall time of the batch
};

/// What a journal says about one machine: the last word of its lines.
struct journal_record {
    std::string name;  ///< the machine's name (the journal's key)
    std::string backend_id;  ///< the backend it was created on
    std::string id;          ///< empty while the create's outcome is unknown, or when it failed
    std::string last_event;  ///< creating, created, create_unknown, reconciled, create_failed,
                             ///< create_unsent, create_absent, create_retry, running, probed, script_sending,
                             ///< script_started, scripted, failed, replacing, destroy_failed, destroyed
    std::string job_id;      ///< the create's job, when the server gave one (or the batch chose, v1)
    std::string script_job_id;  ///< the job of the stored script's run (script_started)
    std::optional<int> script_exit_code;  ///< how its script ended (scripted, or failed at the script step)
    double sent_at = 0;      ///< unix time of its last "creating" (when the create was sent)

    /// The machine exists, or might (a create without a known outcome).
    bool may_exist() const noexcept {
        if (last_event == "destroyed" || last_event == "create_failed" || last_event == "create_unsent" ||
            last_event == "create_absent" || last_event == "create_retry")
            return false;
        return !id.empty() || last_event == "creating" || last_event == "create_unknown";
    }
};

/// What a journal's first batch record says: where the batch ran, and which machines
/// already had one of its names (never the batch's: resume and cleanup leave them alone).
struct journal_batch {
    bool found = false;       ///< false for an empty journal, or one written by 0.2.0 (no ownership record)
    std::string batch_id;     ///< the batch's id (empty in journals written before batch records carried one, 0.2.0 among them)
    std::string server;       ///< scheme, host, port and prefix of the server (no credentials)
    std::string backend_id;   ///< the backend the batch created on
    /// A machine, as the journal names it.
    struct machine_ref {
        std::string id;    ///< the machine's id
        std::string name;  ///< its name
    };
    std::vector<machine_ref> preexisting;  ///< machines named like the batch's, there before it
    /// The names of the batch's machines, from the batch record of every run (journals
    /// written before batch records listed names have none: names_recorded is false). A line for another name was
    /// not written by the batch and is never acted on.
    std::set<std::string> names;
    bool names_recorded = false;  ///< a batch record listed names (see names)
};

/// What a create of `spec` would refuse before sending anything (an `extra` that is not a
/// JSON object or sets a field the spec sets, a v1-only field for a 2015 server, ...), as
/// errc::invalid_argument's message; empty when it would be sent. A batch's every machine
/// would meet the same refusal: check one spec before starting (what a dry run does).
std::string machine_spec_problem(const machine_spec& spec, api_era era);

/// Reads the first batch record of a journal (see journal_batch).
journal_batch read_journal_batch(const std::string& path);

/// Reads a journal (a missing file reads as empty; a torn last line is skipped).
/// Throws boost::system::system_error when the file cannot be read.
std::vector<journal_record> read_journal(const std::string& path);

/// What `cleanup --journal` may destroy: the machines a journal says its batch made, and
/// nothing else (plan_cleanup decides; the caller lists and destroys).
struct cleanup_plan {
    std::vector<machine> destroy;       ///< the batch's machines, each once
    std::vector<std::string> ambiguous; ///< names whose unknown create could be several machines (or, in a journal without its batch record, any): none chosen
    std::vector<std::string> ignored;   ///< journal lines for names no batch record lists: not acted on
};

/// The backends whose machines plan_cleanup needs to see: each backend a record that may
/// exist was created on (only the batch's own, when the journal records it).
std::set<std::string> cleanup_backends(const journal_batch& header, const std::vector<journal_record>& records);

/// Which of the listed machines (`listed`: backend id -> its machines) the batch made. A
/// machine is the batch's when its id and name match a journal record; for a create whose
/// outcome stayed unknown, when it is the one machine of that name that was not there
/// before the batch and is no other record's (several: `ambiguous`; a journal without
/// its batch record: none); on v1, when it carries the batch's tag and one of its names.
/// Machines there before the batch, of another backend, or terminated are never chosen.
/// No I/O: unit tests feed it lists.
cleanup_plan plan_cleanup(const journal_batch& header, const std::vector<journal_record>& records,
                          const std::map<std::string, std::vector<machine>>& listed);

namespace detail {
struct handle_access {
    static const client_ref& ref(const backend& b) { return b.ref_; }
};
namespace ops {
/// A batch (see provision()).
struct provision {
    using result = provision_report;
    backend target;                  ///< where
    std::vector<machine_spec> specs;  ///< what
    provision_options options;       ///< how
};
}  // namespace ops
/// A batch's start: its own (it delivers a report even when cancelled).
template <>
void start_operation(const client_ref&, ops::provision, handler<provision_report>);
}  // namespace detail

/// Provisions `specs` on `target` (see the top of this file). Completes with the report;
/// with operation_aborted when cancelled; with an error only when the batch could not
/// start (journal unwritable, backend not listable, duplicate names in specs).
template <class Token = default_token>
auto provision(const backend& target, std::vector<machine_spec> specs, provision_options options, Token&& token = {}) {
    return detail::async_run(std::forward<Token>(token), detail::handle_access::ref(target),
                             detail::ops::provision{target, std::move(specs), std::move(options)});
}

/// Provisions `specs` on `target` with the default provision_options.
template <class Token = default_token>
    requires detail::token_other_than<Token, provision_options>
auto provision(const backend& target, std::vector<machine_spec> specs, Token&& token = {}) {
    return provision(target, std::move(specs), provision_options{}, std::forward<Token>(token));
}

}  // namespace mistasync
