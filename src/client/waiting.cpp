// Waiting operations. wait_until_probed and wait_for_job send one request per attempt
// and sleep in between on one timer (no connection held); wait_for_state registers with
// its backend's state_watch, whose single poller lists the backend's machines once per
// interval for every waiter.
#include "call.hpp"
#include "operation_support.hpp"
#include "state_wait_rules.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>

namespace mistasync::detail {

struct state_waiter {
    std::string machine_id;
    std::chrono::milliseconds interval;
    asio::steady_timer wake;  ///< the waiter sleeps on it; the poller cancels it when there is news
    // Set by the poller:
    bool news = false;
    std::optional<machine> seen;  ///< empty: not in the last list
    error_code list_error;
    diagnostics list_details;
};

struct state_watch {
    explicit state_watch(asio::any_io_executor ex) : nap(std::move(ex)) {}
    std::list<state_waiter*> waiters;
    bool polling = false;
    asio::cancellation_signal stop;  ///< ends the poller's current list when nobody waits any more
    asio::steady_timer nap;
};

namespace {

using asio::awaitable;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Runs one SDK operation (start(handler)) inside a coroutine, giving [error_code, value].
// The handler carries the coroutine's cancellation slot, so cancelling the wait cancels it.
template <class T, class Start>
auto run_operation(Start start) {
    return asio::async_initiate<decltype(use_tuple), void(error_code, T)>(
        [start = std::move(start)](auto h) mutable { start(handler<T>(std::move(h))); }, use_tuple);
}

milliseconds jittered(milliseconds base, double jitter, std::mt19937_64& rng) {
    jitter = std::clamp(jitter, 0.0, 1.0);
    double lo = static_cast<double>(base.count()) * (1 - jitter);
    std::uniform_real_distribution<double> pick(lo, static_cast<double>(base.count()));
    return milliseconds(static_cast<long long>(pick(rng)));
}

// Sleeps until `until` on `timer`; throws operation_aborted if the wait is cancelled.
awaitable<void> nap_until(asio::steady_timer& timer, clock::time_point until, const op_control& control) {
    timer.expires_at(until);
    co_await timer.async_wait(use_tuple);
    control.throw_if_cancelled();
    if (control.timed_out) throw boost::system::system_error(asio::error::operation_aborted);
}

std::string seconds_text(clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
    return buf;
}

[[noreturn]] void give_up(error_code ec, diagnostics last, const std::string& describe, int attempts, clock::time_point started,
                          error_code last_error) {
    std::string why = describe + " not reached after " + std::to_string(attempts) + " attempt" + (attempts == 1 ? "" : "s") +
                      " in " + seconds_text(clock::now() - started);
    if (last_error) why += "; last attempt: " + last_error.message();
    last.client_message = why;
    last.attempts = attempts;
    throw op_failure(ec, std::move(last));
}

struct attempt_result {
    bool done = false;
    error_code ec;        ///< the attempt failed (empty for a plain "not yet")
    diagnostics details;  ///< status and server text of the attempt
    std::string note;     ///< what the hook shows
};

// The loop every request-per-attempt wait shares: initial grace, attempts, jittered
// backoff (at least Retry-After), attempt limit, one deadline.
template <class TryOnce>
awaitable<void> poll_until(op_context& op, const wait_policy& p, std::string_view what, std::string_view subject,
                           const std::string& describe, TryOnce& try_once) {
    client_state& s = *op.state;
    const auto started = clock::now();
    const auto deadline = started + p.deadline;
    asio::steady_timer timer(s.executor);
    if (p.initial_delay.count() > 0) co_await nap_until(timer, std::min(started + p.initial_delay, deadline), *op.control);
    milliseconds interval = std::max(p.interval, milliseconds(1));
    attempt_result last;
    for (int attempt = 1;; ++attempt) {
        op.control->throw_if_cancelled();
        auto now = clock::now();
        if (now >= deadline) give_up(errc::timeout, last.details, describe, attempt - 1, started, last.ec);
        auto budget = std::max(milliseconds(1), std::min(p.attempt_timeout, std::chrono::duration_cast<milliseconds>(deadline - now)));
        last = co_await try_once(budget);
        op.control->throw_if_cancelled();
        wait_event ev{what, subject, attempt, last.done, last.details.http_status, last.note, {}};
        if (last.done || (last.ec && ends_a_wait(last.ec))) {
            if (p.on_attempt) p.on_attempt(ev);
            if (last.done) co_return;
            throw op_failure(last.ec, last.details);
        }
        milliseconds sleep = jittered(interval, p.jitter, s.rng);
        sleep = std::max(sleep, last.details.retry_after);
        const auto cap = std::max(p.max_interval, milliseconds(1));
        const double grown = static_cast<double>(interval.count()) * std::max(1.0, p.backoff);  // no overflow: capped below
        interval = grown >= static_cast<double>(cap.count()) ? cap : milliseconds(static_cast<long long>(grown));
        bool out_of_attempts = p.max_attempts > 0 && attempt >= p.max_attempts;
        ev.next_delay = out_of_attempts ? milliseconds(0) : sleep;
        if (p.on_attempt) p.on_attempt(ev);
        if (out_of_attempts) give_up(errc::timeout, last.details, describe, attempt, started, last.ec);
        co_await nap_until(timer, std::min(clock::now() + sleep, deadline), *op.control);
    }
}

// The whole-call deadline of a wait: the policy's (enforced by the loop itself), with a
// margin so that the client's safety net never fires first; a shorter call timeout wins.
client_ref wait_ref(const client_ref& ref, const wait_policy& p) {
    client_ref r = ref;
    auto own = p.deadline + p.initial_delay + milliseconds(5'000);
    r.call.timeout = ref.call.timeout ? std::min(*ref.call.timeout, own) : own;
    return r;
}

// --- wait_for_job --------------------------------------------------------------------

awaitable<job> do_wait_for_job(op_context op, std::string job_id, wait_policy p) {
    co_await ensure_ready(op);
    check_id("job id", job_id);
    job result;
    auto once = [&](milliseconds budget) -> awaitable<attempt_result> {
        attempt_result a;
        client_ref attempt_ref{op.state, {budget, &a.details}};
        auto [ec, j] = co_await run_operation<job>([&](handler<job> h) { start_get_job(attempt_ref, job_id, std::move(h)); });
        a.ec = ec;
        if (ec) {
            a.note = a.details.server_message.empty() ? ec.message() : a.details.server_message;
            co_return a;
        }
        a.details.http_status = 200;
        a.done = j.finished();
        a.note = std::to_string(j.created.success) + " created, " + std::to_string(j.probed.success) + " probed, " +
                 std::to_string(j.created.error + j.probed.error) + " failed" + (a.done ? "" : " (running)");
        result = std::move(j);
        co_return a;
    };
    co_await poll_until(op, p, "job", job_id, "job " + job_id + " finishing", once);
    co_return result;
}

// --- wait_for_state ------------------------------------------------------------------

// The poller of one backend: lists its machines, hands each waiter what it saw, sleeps
// the smallest interval its waiters asked for; ends when nobody waits.
awaitable<void> poll_states(std::shared_ptr<client_state> st, std::string backend_id, std::shared_ptr<state_watch> w) {
    struct retire {  // however the poller ends, a new waiter must start a new one
        client_state& s;
        const std::string& backend_id;
        std::shared_ptr<state_watch>& w;
        ~retire() {
            w->polling = false;
            if (auto it = s.state_watches.find(backend_id); it != s.state_watches.end() && it->second == w) s.state_watches.erase(it);
            for (auto* waiter : w->waiters) waiter->wake.cancel();  // (only if the poller failed) let them see the deadline
        }
    } on_exit{*st, backend_id, w};
    while (!w->waiters.empty()) {
        // A stop signal from waiters that have all left may come before new ones arrive.
        co_await asio::this_coro::reset_cancellation_state();
        diagnostics d;
        milliseconds interval = milliseconds::max();
        for (auto* waiter : w->waiters) interval = std::min(interval, waiter->interval);
        client_ref ref{st, {std::max(interval * 10, milliseconds(10'000)), &d}};
        auto wanted = std::make_shared<std::unordered_set<std::string>>();
        for (auto* waiter : w->waiters) wanted->insert(waiter->machine_id);
        const auto sent = clock::now();
        auto [ec, list] = co_await run_operation<std::vector<machine>>([&](handler<std::vector<machine>> h) {
            start_list_machines_subset(ref, backend_id, std::move(wanted), std::move(h));
        });
        if (w->waiters.empty()) break;
        std::unordered_map<std::string_view, const machine*> by_id;
        if (!ec)
            for (auto& m : list) by_id.emplace(m.id, &m);
        // A list sent before this client acted on a machine shows the machine as it was:
        // not an answer for its waiter, who gets the next list, at once.
        bool stale_for_some = false;
        const recent_actions::of_backend* acted_on = st->actions_sent.of(backend_id);
        for (auto* waiter : w->waiters) {
            if (acted_on)
                if (auto it = acted_on->find(waiter->machine_id); it != acted_on->end() && it->second.at > sent) {
                    stale_for_some = true;
                    continue;
                }
            waiter->news = true;
            waiter->list_error = ec;
            waiter->list_details = d;
            waiter->seen.reset();
            if (auto it = by_id.find(waiter->machine_id); it != by_id.end()) waiter->seen = *it->second;
            waiter->wake.cancel();
        }
        w->nap.expires_after(stale_for_some ? milliseconds(0) : interval);
        co_await w->nap.async_wait(use_tuple);
    }
}

// A waiter's place in its backend's watch, for as long as it waits.
struct watch_registration {
    watch_registration(client_state& s, const std::string& backend_id, state_waiter& me) {
        auto& slot = s.state_watches[backend_id];
        if (!slot) slot = std::make_shared<state_watch>(s.executor);
        watch = slot;
        position = watch->waiters.insert(watch->waiters.end(), &me);
        ensure_polling(s, backend_id);
    }
    // Starts the backend's poller unless it runs (also after a poller that failed).
    void ensure_polling(client_state& s, const std::string& backend_id) {
        if (watch->polling) return;
        auto& slot = s.state_watches[backend_id];
        if (!slot) slot = watch;
        watch->polling = true;
        asio::co_spawn(s.executor, poll_states(s.shared_from_this(), backend_id, watch),
                       asio::bind_cancellation_slot(watch->stop.slot(), asio::detached));
    }
    ~watch_registration() {
        watch->waiters.erase(position);
        if (watch->waiters.empty() && watch->polling) {
            // Nobody left: stop the list in flight (its connection) and the poller's nap.
            watch->stop.emit(asio::cancellation_type::terminal);
            watch->nap.cancel();
        }
    }
    watch_registration(const watch_registration&) = delete;
    watch_registration& operator=(const watch_registration&) = delete;

    std::shared_ptr<state_watch> watch;
    std::list<state_waiter*>::iterator position;
};

// Waits on the backend's shared list until the rules say the listed machine is the
// answer (or that it cannot be any more). The rules are state_wait_rules; this is their
// driver: it sleeps until the poller has news, reports each attempt, and turns a verdict
// into a result or an error.
awaitable<machine> watch_machine(op_context& op, const std::string& backend_id, const std::string& machine_id, const wait_policy& p,
                                 clock::time_point started, clock::time_point deadline, const std::string& describe, wait_goal goal) {
    client_state& s = *op.state;
    const std::string list_path = make_request(route_id::list_machines, s.session.era, {backend_id}).path;  // what the poller GETs
    state_waiter me{machine_id, std::max(p.interval, milliseconds(1)), asio::steady_timer(s.executor)};
    watch_registration registration(s, backend_id, me);
    state_wait_rules rules(goal);
    diagnostics last;
    error_code last_error;
    int attempt = 0;
    while (true) {
        me.wake.expires_at(deadline);
        co_await me.wake.async_wait(use_tuple);
        op.control->throw_if_cancelled();
        if (op.control->timed_out) throw boost::system::system_error(asio::error::operation_aborted);
        if (!me.news) {
            if (clock::now() >= deadline) give_up(errc::timeout, last, describe, attempt, started, last_error);
            registration.ensure_polling(s, backend_id);
            continue;
        }
        me.news = false;
        ++attempt;
        wait_event ev{"state", machine_id, attempt, false, 200, {}, me.interval};
        last_error = me.list_error;
        wait_verdict verdict;
        std::string note;  // what the attempt saw (wait_event::note views it)
        if (me.list_error) {
            last = me.list_details;
            note = last.server_message.empty() ? me.list_error.message() : last.server_message;
            ev.status = last.http_status;
            verdict = rules.on_list_error(me.list_error);
        } else if (me.seen) {
            const machine& m = *me.seen;
            note = m.state_text.empty() ? std::string(to_string(m.state)) : m.state_text;
            last = diagnostics{200, "state: " + note, "GET", list_path, {}, 1};
            verdict = rules.on_list({true, m.state, !m.public_ips.empty()}, clock::now());
        } else {
            note = "not in the list";
            verdict = rules.on_list({}, clock::now());
        }
        ev.note = note;
        ev.done = verdict == wait_verdict::reached || verdict == wait_verdict::gone;
        if (ev.done || verdict != wait_verdict::keep_waiting) ev.next_delay = {};
        if (p.on_attempt) p.on_attempt(ev);
        switch (verdict) {
        case wait_verdict::reached: co_return std::move(*me.seen);
        case wait_verdict::gone: {
            machine gone(op.ref(), nullptr);
            gone.id = machine_id;
            gone.backend_id = backend_id;
            gone.state = machine_state::terminated;
            gone.state_text = "terminated";
            co_return gone;
        }
        case wait_verdict::unexpected_state:
            last.client_message = "waiting for " + describe + ", it became " + note;
            throw op_failure(errc::unexpected_state, last);
        case wait_verdict::not_found:
            last = diagnostics{200, {}, "GET", list_path, "machine " + machine_id + " is not in its backend's machine list", 1};
            throw op_failure(errc::not_found, last);
        case wait_verdict::failed: throw op_failure(me.list_error, last);
        case wait_verdict::keep_waiting: break;
        }
        if (p.max_attempts > 0 && attempt >= p.max_attempts) give_up(errc::timeout, last, describe, attempt, started, last_error);
        if (clock::now() >= deadline) give_up(errc::timeout, last, describe, attempt, started, last_error);
    }
}

awaitable<machine> do_wait_for_state(op_context op, std::string backend_id, std::string machine_id, machine_state wanted, wait_policy p) {
    co_await ensure_ready(op);
    check_id("backend id", backend_id);
    check_id("machine id", machine_id);
    client_state& s = *op.state;
    const auto started = clock::now();
    const auto deadline = started + p.deadline;
    if (p.initial_delay.count() > 0) {
        asio::steady_timer grace(s.executor);
        co_await nap_until(grace, std::min(started + p.initial_delay, deadline), *op.control);
    }
    // After this client's reboot, "running" may still be the provider's pre-reboot report:
    // it counts once another state was seen, or once the settle time has passed.
    wait_goal goal{wait_goal::kind::state, wanted, std::nullopt};
    const auto* action = s.actions_sent.last(backend_id, machine_id);
    if (action && action->action == "reboot" && wanted == machine_state::running && clock::now() < action->at + p.action_settle)
        goal.settle_until = action->at + p.action_settle;
    co_return co_await watch_machine(op, backend_id, machine_id, p, started, deadline,
                                     "machine " + machine_id + " " + std::string(to_string(wanted)), goal);
}

// --- wait_until_probed ---------------------------------------------------------------

awaitable<probe_result> do_wait_until_probed(op_context op, std::string backend_id, std::string machine_id, std::string host,
                                             probe_options o, wait_policy p) {
    co_await ensure_ready(op);
    check_id("backend id", backend_id);
    check_id("machine id", machine_id);
    const bool v1 = op.state->session.era == api_era::v1;
    const std::string path = make_request(route_id::probe, op.state->session.era, {backend_id, machine_id}).path;
    if (!v1 && host.empty() && o.host.empty()) {
        // A 2015 probe needs the host, and most providers give a machine its address only
        // once it runs (contract §10.5): read the machine (the backend's shared list) until
        // it has one, then probe. The probes get what is left of the deadline.
        const auto started = clock::now();

        if (p.initial_delay.count() > 0) {
            asio::steady_timer grace(op.state->executor);
            co_await nap_until(grace, std::min(started + p.initial_delay, started + p.deadline), *op.control);
        }
        machine seen = co_await watch_machine(op, backend_id, machine_id, p, started, started + p.deadline,
                                              "machine " + machine_id + " having a public address", {wait_goal::kind::address});
        host = seen.first_public_ipv4().empty() ? seen.public_ips.front() : seen.first_public_ipv4();
        p.deadline -= std::chrono::duration_cast<milliseconds>(clock::now() - started);
        p.initial_delay = milliseconds(0);
    }
    // 2015 answers ping data even for a machine that is gone: after the first "not yet",
    // the backend's shared list watches its state, so that error or terminated ends the
    // wait at once (v1 answers 404 for a terminated machine).
    std::optional<state_waiter> watcher;
    std::optional<watch_registration> watching;
    probe_result result;
    auto once = [&](milliseconds budget) -> awaitable<attempt_result> {
        attempt_result a;
        if (watcher && watcher->seen && final_state(watcher->seen->state)) {
            std::string state(to_string(watcher->seen->state));
            a.ec = errc::unexpected_state;
            a.details = diagnostics{200, "state: " + state, "GET", make_request(route_id::list_machines, op.state->session.era, {backend_id}).path,
                                    "waiting for machine " + machine_id + " answering SSH, it became " + state, 1};
            a.note = state;
            co_return a;
        }
        client_ref attempt_ref{op.state, {budget, &a.details}};
        auto [ec, r] = co_await run_operation<probe_result>(
            [&](handler<probe_result> h) { start_probe(attempt_ref, backend_id, machine_id, host, o, std::move(h)); });
        a.ec = ec;
        if (ec) {
            a.note = a.details.server_message.empty() ? ec.message() : a.details.server_message;
        } else if (r.reachable) {
            a.done = true;
            a.details.http_status = 200;
            a.note = "reachable";
            result = std::move(r);
        } else {
            // 2015: 200 with ping data only; v1: 503 "SSH timed-out" (read as a result).
            a.details = diagnostics{v1 ? 503 : 200, v1 ? r.raw_json : std::string(), "POST", path, {}, 1};
            a.note = "not reachable yet";
            if (!v1 && !watcher) {
                // At most one list per 5 s for this: machines that are gone are rare, and in a
                // batch thousands of probing machines would otherwise make the lists frequent.
                watcher.emplace(state_waiter{machine_id, std::max(p.interval, milliseconds(5'000)), asio::steady_timer(op.state->executor)});
                watching.emplace(*op.state, backend_id, *watcher);
            }
        }
        co_return a;
    };
    co_await poll_until(op, p, "probe", machine_id, "machine " + machine_id + " answering SSH", once);
    co_return result;
}

}  // namespace

void start_wait_until_probed(const client_ref& ref, std::string b, std::string m, std::string host, probe_options o, wait_policy p,
                             handler<probe_result> h) {
    launch<probe_result>(wait_ref(ref, p), std::move(h), [&](op_context op) {
        return do_wait_until_probed(std::move(op), std::move(b), std::move(m), std::move(host), std::move(o), std::move(p));
    });
}

void start_wait_for_state(const client_ref& ref, std::string b, std::string m, machine_state wanted, wait_policy p, handler<machine> h) {
    launch<machine>(wait_ref(ref, p), std::move(h), [&](op_context op) {
        return do_wait_for_state(std::move(op), std::move(b), std::move(m), wanted, std::move(p));
    });
}

void start_wait_for_job(const client_ref& ref, std::string id, wait_policy p, handler<job> h) {
    launch<job>(wait_ref(ref, p), std::move(h), [&](op_context op) { return do_wait_for_job(std::move(op), std::move(id), std::move(p)); });
}

}  // namespace mistasync::detail
