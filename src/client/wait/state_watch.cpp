#include "wait/state_watch.hpp"
#include "call/operation_support.hpp"
#include "decide/poll_schedule.hpp"
#include "wait/wait_support.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace mistasync::detail {

using asio::awaitable;
using std::chrono::milliseconds;

namespace {

using clock = std::chrono::steady_clock;

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
        double share = 0;
        for (auto* waiter : w->waiters) {
            interval = std::min(interval, waiter->interval);
            share = std::max(share, waiter->list_share);
        }
        client_ref ref{st, {std::max(interval * 10, milliseconds(10'000)), &d}};
        auto wanted = std::make_shared<std::unordered_set<std::string>>();
        for (auto* waiter : w->waiters) wanted->insert(waiter->machine_id);
        // A search every waiter agrees on narrows a v2 list; one that differs, the whole backend.
        std::string search = w->waiters.front()->list_search;
        for (auto* waiter : w->waiters)
            if (waiter->list_search != search) search.clear();
        const auto sent = clock::now();
        auto [ec, list] = co_await run_operation<machine_subset>([&](handler<machine_subset> h) {
            start_list_machines_subset(ref, backend_id, std::move(wanted), std::move(search), std::move(h));
        });
        if (w->waiters.empty()) break;
        // A list that took the server long is followed by a longer rest: the server lists at
        // most `share` of the time. Its time, not ours: a client busy with what the list
        // made ready would otherwise look like a slow server and list less often.
        w->pause = list_pause(interval, ec ? clock::now() - sent : list.answer_time, share);
        std::unordered_map<std::string_view, const machine*> by_id;
        if (!ec)
            for (auto& m : list.machines) by_id.emplace(m.id, &m);
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
        w->nap.expires_after(stale_for_some ? milliseconds(0) : w->pause);
        co_await w->nap.async_wait(use_tuple);
    }
}

}  // namespace

watch_registration::watch_registration(client_state& s, const std::string& backend_id, state_waiter& me) {
    auto& slot = s.state_watches[backend_id];
    if (!slot) slot = std::make_shared<state_watch>(s.executor);
    watch = slot;
    position = watch->waiters.insert(watch->waiters.end(), &me);
    ensure_polling(s, backend_id);
}

void watch_registration::ensure_polling(client_state& s, const std::string& backend_id) {
    if (watch->polling) return;
    auto& slot = s.state_watches[backend_id];
    if (!slot) slot = watch;
    watch->polling = true;
    asio::co_spawn(s.executor, poll_states(s.shared_from_this(), backend_id, watch),
                   asio::bind_cancellation_slot(watch->stop.slot(), asio::detached));
}

watch_registration::~watch_registration() {
    watch->waiters.erase(position);
    if (watch->waiters.empty() && watch->polling) {
        // Nobody left: stop the list in flight (its connection) and the poller's nap.
        watch->stop.emit(asio::cancellation_type::terminal);
        watch->nap.cancel();
    }
}

// Waits on the backend's shared list until the rules say the listed machine is the
// answer (or that it cannot be any more). The rules are state_wait_rules; this is their
// driver: it sleeps until the poller has news, reports each attempt, and turns a verdict
// into a result or an error.
awaitable<machine> watch_machine(op_context& op, const std::string& backend_id, const std::string& machine_id, const wait_policy& p,
                                 clock::time_point started, clock::time_point deadline, const std::string& describe, wait_goal goal) {
    client_state& s = *op.state;
    const std::string list_path = make_request(route_id::list_machines, s.session.era, {backend_id}).path;  // what the poller GETs
    state_waiter me{machine_id, std::max(p.interval, milliseconds(1)), p.max_list_share, p.list_search, asio::steady_timer(s.executor)};
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
        wait_event ev{"state", machine_id, attempt, false, 200, {}, registration.watch->pause};
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

}  // namespace mistasync::detail
