// A provisioning batch's shared state and bookkeeping: its machines, counts and journal;
// the coroutines it runs (create workers, followers, the settler, destroyers); and how it
// stops. Private to provision*.cpp.
#pragma once

#include "call.hpp"
#include "journal.hpp"
#include "ready_estimate.hpp"
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
    std::vector<provisioned_machine> items;
    provision_counts counts;
    std::optional<journal_writer> journal;
    std::unordered_set<std::string> foreign_ids;  ///< machines that are none of this batch's (there before it)
    std::size_t next = 0;                         ///< the queue: items[next..] not started
    std::deque<std::size_t> again;                ///< to be created (again): their earlier try sent nothing
    std::vector<unsigned char> unsent_tries;      ///< per item: creates that timed out before being sent
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
    std::vector<std::chrono::steady_clock::duration> create_times;  ///< the latest answered creates' (a ring)
    std::size_t next_create_time = 0;
    std::chrono::steady_clock::duration usual_create{};  ///< 90th percentile of create_times
    ready_estimate ready_after;  ///< when a new machine may be probed directly (provision_options::probe_when_expected)
    /// A machine waiting for the moment the batch expects it to answer: an entry here, not
    /// a coroutine, until then (a batch of 100,000 has tens of thousands waiting at once).
    /// Its follower starts when it is due (provision_parking.cpp).
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
    bool settling = false;                      ///< the settler runs
    bool settle_while_stopping = false;         ///< a stopped batch with rollback still looks for them

    // Stopping: the first cancellation (or a journal failure) stops gently — no new
    // creates, no more waiting, but creates already written finish; the second stops
    // everything. Rollback's destroys are not stopped.
    bool stopping = false;
    bool cancelled = false;
    std::string stop_reason;  ///< set when the batch stops itself (fail fast)
    std::size_t failed_tries = 0;  ///< failed tries of names created again (fail fast counts them)
    bool rivals_checked = false;   ///< check_for_rivals was started
    bool destroying = false;
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
    awaitable<void> (*worker_body)(batch&, child&) = nullptr;  ///< what enqueue() starts
    asio::steady_timer idle;  ///< the batch sleeps on it until no child is active

    /// Appends to the journal (if any). A failure stops the batch gently (once).
    error_code record(std::string_view event, const provisioned_machine& m, const boost::json::object& extra = {}, bool durable = false);
    /// Moves m to `stage`; `last`: the last step the batch asked of it (counts.finished).
    void move_to(provisioned_machine& m, provision_stage stage, bool last = false);
    void fail(provisioned_machine& m, error_code ec, diagnostics d, std::string_view step);
    void adopt(provisioned_machine& m, const machine& found);
    /// Sends the item's create again later (nothing of its earlier try reached the server).
    void requeue(provisioned_machine& m, std::size_t index);
    /// Hands the item to the workers (starting one if none runs).
    void enqueue(std::size_t index);
    /// True when the item's name may be created again (provision_options::max_attempts).
    bool may_replace(const provisioned_machine& m) const;
    /// A failure the whole backend would give every create: never retried, it stops the batch.
    static bool refused_for_all(error_code ec, const diagnostics& d);
    /// `digits` random lowercase hex digits (job and batch ids).
    std::string random_hex(std::size_t digits);
    /// Notes how long an answered create took.
    void note_create_time(std::chrono::steady_clock::duration took);
    /// A machine answered its first probe `took` after its create answered; the parked
    /// followers are scheduled once the batch knows enough.
    void learn_ready_time(std::chrono::steady_clock::duration took, bool scout);
    /// How long after its send a create the server answered nothing to is surely done.
    std::chrono::steady_clock::duration settle_margin() const;
    /// The item's name has no machine (its create was refused, a list proved it absent,
    /// or its machine was destroyed): back off, then create it again. `watch_late`: an
    /// earlier create of unknown outcome may still make one until `until`
    /// (provision_replace.cpp).
    void retry_after_backoff(std::size_t index, std::string_view event, bool watch_late = false, time_point until = {});
    /// True while the settler may still hand an earlier run's create back to the workers.
    bool may_hand_back() const;
    void await_outcome(unresolved_create u);  // provision_reconcile.cpp

    machine handle_for(const provisioned_machine& m) const;
    machine without_document(const provisioned_machine& m, const machine& seen) const;

    child& add_child(role kind);
    void start(child& c, awaitable<void> body);  ///< runs body under c's cancellation signal
    void spawn(awaitable<void> body, role kind = role::follower);
    void spawn_worker(awaitable<void> (*body)(batch&, child&));
    void spawn_settler(awaitable<void> body) { spawn(std::move(body), role::settler); }
    /// Waits until no child runs, passing the batch's cancellations on to them.
    awaitable<void> join_children();
    void stop_gently();
    /// Fail fast (max_failures, max_failure_share) after m's failure: true when it stopped.
    bool check_brakes(const provisioned_machine& m, error_code ec);
    /// Fail fast: stops gently, once, saying why.
    void stop_early(std::string reason);
    void stop_now();
};

/// Settles what the batch owns and where it resumes from: validates the specs, opens and
/// locks the journal, checks it belongs to this server and backend, lists the backend,
/// records the machines that already have the batch's names, and sets each item from the
/// journal. Throws op_failure when the batch cannot start. (provision_start.cpp)
awaitable<void> start_batch(batch& b);

/// Waits for a created machine to run and answer a probe, as the options ask
/// (provision_follow.cpp). `made`: when this run made it (none: an earlier run did).
/// With probe_when_expected, the machine is parked until it is due.
void follow_later(batch& b, std::size_t index, std::optional<made_at> made = std::nullopt);

/// How a follower begins: waiting for "running" on the backend's list, or probing at once
/// (a scout, or a machine the batch expects to answer now).
enum class follow_start { on_list, scout, probe_now };
/// Starts the item's follower now (provision_follow.cpp).
void start_follower(batch& b, std::size_t index, std::optional<made_at> made, follow_start how);

/// Parks a machine made by this run until the batch expects it to answer; a scout, when
/// the batch still needs one, starts at once (provision_parking.cpp).
void park_follower(batch& b, std::size_t index, made_at made);
/// The estimate arrived or a scout ended: schedules what waited for the estimate, or
/// sends out new scouts; with none left to be one, the rest wait on the list.
void unpark_followers(batch& b);

/// The script stage of a probed machine: its post-deploy script followed in the create's
/// job, or the stored script run on it and followed. True when the machine goes on
/// (no script, it succeeded, or script_failure_fails is off); false when it failed or the
/// batch stops (provision_script.cpp).
bool has_script_stage(const batch& b, std::size_t index);
awaitable<bool> run_script_stage(batch& b, std::size_t index);

/// A machine that went to `error` or vanished while it was waited for: destroyed (best
/// effort, recorded) and its name created again (provision_replace.cpp).
awaitable<void> replace_machine(batch& b, std::size_t index, error_code why, std::string_view step);

/// Destroys a machine of the item's name that a late create made (provision_replace.cpp).
awaitable<void> destroy_extra(batch& b, std::size_t index, machine extra);

/// The batch id another batch tagged `m` with (v1 batch tags), or "" when it carries none
/// or this batch's own: such a machine is never adopted, replaced or destroyed by this one
/// (provision_rivals.cpp).
std::string_view rival_batch_of(const batch& b, const machine& m);
/// Once, after the batch's first create answered: one list of the backend, a settle margin
/// later, for machines of the batch's names that another live batch made (two runs with the
/// same names and different journals). Finding any stops this batch early, saying which
/// batch it met; it adopts none of them (provision_rivals.cpp).
awaitable<void> check_for_rivals(batch& b);

/// Creates cut short by a stop, with their request written: one look for all of them
/// (provision_reconcile.cpp).
awaitable<void> settle_cut_short(batch& b);

}  // namespace mistasync::detail
