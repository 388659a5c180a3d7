// A provisioning batch as it runs: its ledger (machines, stages, counts and the decisions
// that move them: batch_ledger.hpp), and what the ledger leaves to I/O: the journal file,
// the coroutines the batch runs (create workers, followers, the settler, destroyers), the
// settler's look-ups and the parked followers. Private to provision/.
#pragma once

#include "call/call.hpp"
#include "provision/journal.hpp"
#include "provision/batch_ledger.hpp"
#include "decide/ready_estimate.hpp"
#include "http/use_tuple.hpp"

#include <mistasync/provision.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>

#include <deque>
#include <list>
#include <optional>
#include <random>
#include <unordered_set>

namespace mistasync::detail {

using asio::awaitable;

/// When a machine to follow was made, as far as the batch knows.
struct made_at {
    std::chrono::steady_clock::time_point at;  ///< its create's answer (or, found by name, its send)
    bool answered = false;  ///< `at` is the create's answer: the batch learns from it how long machines take
};

struct batch {
    batch(op_context& o, backend b, std::vector<machine_spec> s, provision_options opts);

    op_context& op;
    backend target;
    std::vector<machine_spec> specs;
    provision_options options;
    batch_ledger ledger;                     ///< every stage and count, and the decisions
    std::vector<provisioned_machine>& items;  ///< the ledger's machines (stages change through it)
    std::optional<journal_writer> journal;
    std::unordered_set<std::string> foreign_ids;  ///< machines that are none of this batch's (there before it)
    std::size_t next = 0;                         ///< the queue: items[next..] not started
    std::deque<std::size_t> again;                ///< to be created (again): their earlier try sent nothing
    std::vector<journal_record> earlier;          ///< per item: what an earlier run's journal says (empty: no earlier run)
    wait_queue work_waiters;                      ///< workers waiting for `again`

    using time_point = std::chrono::steady_clock::time_point;
    /// A name whose create may have made a machine, or did not: it is looked for by name
    /// until a list proves it absent (then created again, if its attempts allow) or its
    /// reconcile window ends.
    struct unresolved_create {
        std::size_t index;
        time_point give_up_at;              ///< the end of its reconcile window
        time_point sent_at{};               ///< when its request was written (earlier runs: long ago)
        std::optional<time_point> done_at;  ///< the server is known to be done with it (it answered; v1: its job exists)
        time_point listed_at{};             ///< when the latest list that looked for it was sent
        bool looked = false;                ///< at least one list looked for it
        bool may_appear_late = true;        ///< the server may still be making it (no answer came)
    };
    std::vector<unresolved_create> unresolved;  ///< creates of unknown outcome not found yet
    /// A name created again after a create of unknown outcome was settled as absent: until
    /// that create's window ends, a machine it makes late is adopted (no replacement sent
    /// yet) or destroyed (the replacement exists).
    struct late_watch {
        std::size_t index;
        time_point until;
    };
    std::vector<late_watch> watches;
    std::unordered_set<std::size_t> asking_jobs;  ///< items whose v1 job is being asked for
    std::unordered_set<std::string> retired_ids;  ///< machines the batch destroyed itself: never adopted again
    ready_estimate ready_after;  ///< when a new machine may be probed directly (provision_options::probe_when_expected)
    /// A machine waiting for the moment the batch expects it to answer: an entry here, not
    /// a coroutine, until then (a batch of 100,000 has tens of thousands waiting at once).
    /// Its follower starts when it is due (parking.cpp).
    struct parked_follower {
        time_point due;  ///< when to probe it (unscheduled: not known yet)
        made_at made;
        std::size_t index;
    };
    std::vector<parked_follower> unscheduled;  ///< waiting for ready_after's estimate
    std::vector<parked_follower> due;          ///< a heap, soonest first
    asio::steady_timer due_timer;              ///< the waker sleeps on it until the soonest is due
    bool waking = false;                       ///< the waker runs
    bool scout_lost = false;                   ///< a scout ended unanswered: unpark when its child is done
    /// Followers the waker started that have not seen their first probe's answer: at most
    /// options.concurrency, as for creates. Machines that fall due together (those
    /// made before the estimate came) wait here, not as coroutines queued for a connection.
    std::size_t first_probes = 0;
    /// A started follower's first probe answered (or it ended before): another may start.
    void first_probe_done();
    /// Parked followers that nothing running would start (a safeguard: none should be)
    /// are started on the list, so that no machine is left unfollowed. True if any was.
    bool start_stranded_followers();
    std::size_t workers_running = 0;
    std::size_t backing_off = 0;  ///< names waiting out their replace_backoff
    api_era era = api_era::automatic;
    std::mt19937_64 random{std::random_device{}()};
    bool settling = false;        ///< the settler runs
    bool rivals_checked = false;  ///< check_for_rivals was started
    int cancels_seen = 0;

    enum class role { worker, follower, settler, destroyer };
    struct child {
        asio::cancellation_signal signal;
        role kind = role::follower;
        bool done = false;
        std::optional<std::size_t> current;  ///< a worker's create under way
        bool written = false;                ///< ... and its request was written
    };
    std::list<child> children;
    std::size_t active = 0;
    asio::steady_timer idle;  ///< the batch sleeps on it until no child is active

    bool stopping() const { return ledger.stopping(); }
    /// Does what a ledger step asks that is not the machine's next action: appends its
    /// journal lines in order (a failure stops the batch gently, once), calls on_change,
    /// and stops the children when the ledger stopped the batch. Returns the first
    /// journal error.
    error_code apply(const ledger_step& step);
    /// Applies a step, then does its next action for machine `index` where that needs
    /// nothing but the batch: follow (`made`: when this run made it), create later, send
    /// again; a late watch until `watch_until`. look_by_name and replace are the caller's.
    void act_on(const ledger_step& step, std::size_t index, std::optional<made_at> made = std::nullopt,
                time_point watch_until = {});
    /// Hands the item to the workers (starting one if none runs).
    void enqueue(std::size_t index);
    /// `digits` random lowercase hex digits (job and batch ids).
    std::string random_hex(std::size_t digits);
    /// A machine answered its first probe `took` after its create answered; the parked
    /// followers are scheduled once the batch knows enough.
    void learn_ready_time(std::chrono::steady_clock::duration took, bool scout);
    /// True while the settler may still hand an earlier run's create back to the workers.
    bool may_hand_back() const;
    void await_outcome(unresolved_create u);  // reconcile.cpp

    machine handle_for(const provisioned_machine& m) const;
    machine without_document(const provisioned_machine& m, const machine& seen) const;
    /// The typed fields of a machine found by name, as the batch keeps them.
    machine slim(const machine& found) const;

    child& add_child(role kind);
    void start(child& c, awaitable<void> body);  ///< runs body under c's cancellation signal
    void spawn(awaitable<void> body, role kind = role::follower);
    void spawn_settler(awaitable<void> body) { spawn(std::move(body), role::settler); }
    /// Waits until no child runs, passing the batch's cancellations on to them.
    awaitable<void> join_children();
    /// Cancels the children a stop of this kind ends.
    void stop_children(stop_kind how);
};

/// Settles what the batch owns and where it resumes from: validates the specs, opens and
/// locks the journal, checks it belongs to this server and backend, lists the backend,
/// records the machines that already have the batch's names, and sets each item from the
/// journal. Throws op_failure when the batch cannot start. (start.cpp)
awaitable<void> start_batch(batch& b);

/// Starts the create workers: as many as the concurrency allows, while names wait in the
/// queue (create_workers.cpp).
void start_workers(batch& b);
/// Hands the item to the workers after `delay` (a replacement's back-off), unless the
/// batch stops meanwhile (create_workers.cpp).
void enqueue_after(batch& b, std::size_t index, std::chrono::steady_clock::duration delay);

/// Waits for a created machine to run and answer a probe, as the options ask
/// (follow.cpp). `made`: when this run made it (none: an earlier run did).
/// With probe_when_expected, the machine is parked until it is due.
void follow_later(batch& b, std::size_t index, std::optional<made_at> made = std::nullopt);

/// How a follower begins: waiting for "running" on the backend's list, or probing at once
/// (a scout, or a machine the batch expects to answer now).
enum class follow_start { on_list, scout, probe_now };
/// Starts the item's follower now (follow.cpp).
void start_follower(batch& b, std::size_t index, std::optional<made_at> made, follow_start how);

/// Parks a machine made by this run until the batch expects it to answer; a scout, when
/// the batch still needs one, starts at once (parking.cpp).
void park_follower(batch& b, std::size_t index, made_at made);
/// The estimate arrived or a scout ended: schedules what waited for the estimate, or
/// sends out new scouts; with none left to be one, the rest wait on the list.
void unpark_followers(batch& b);

/// The script stage of a probed machine: its post-deploy script followed in the create's
/// job, or the stored script run on it and followed. True when the machine goes on
/// (no script, it succeeded, or script_failure_fails is off); false when it failed or the
/// batch stops (script.cpp).
bool has_script_stage(const batch& b, std::size_t index);
awaitable<bool> run_script_stage(batch& b, std::size_t index);

/// A machine that went to `error` or vanished while it was waited for: destroyed (best
/// effort, recorded) and its name created again (replace.cpp).
awaitable<void> replace_machine(batch& b, std::size_t index, error_code why, std::string_view step);

/// Destroys a machine of the item's name that a late create made (replace.cpp).
awaitable<void> destroy_extra(batch& b, std::size_t index, machine extra);

/// The batch id another batch tagged `m` with (v1 batch tags), or "" when it carries none
/// or this batch's own: such a machine is never adopted, replaced or destroyed by this one
/// (rivals.cpp).
std::string_view rival_batch_of(const batch& b, const machine& m);

/// A v2 search that finds every machine named like one of the batch's (`name:^<their
/// common prefix>`, as far as the prefix is plain: letters, digits, '.', '_', '-'), or ""
/// when the names share none (then the whole backend is listed).
std::string names_search(const batch& b);

/// What a batch reads of the machines it lists (on v2 it fetches only these: machine_filter::only).
inline constexpr const char* machine_fields_used = "id,external_id,name,cloud,state,public_ips,private_ips,tags,actions,image,size";
/// Once, after the batch's first create answered: one list of the backend, a settle margin
/// later, for machines of the batch's names that another live batch made (two runs with the
/// same names and different journals). Finding any stops this batch early, saying which
/// batch it met; it adopts none of them (rivals.cpp).
awaitable<void> check_for_rivals(batch& b);

/// Creates cut short by a stop, with their request written: one look for all of them
/// (reconcile.cpp).
awaitable<void> settle_cut_short(batch& b);

}  // namespace mistasync::detail
