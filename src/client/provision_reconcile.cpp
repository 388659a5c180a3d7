// Creates whose outcome is unknown (the connection failed after the request was written,
// the call ran out of time, the answer was unreadable): the batch looks for the machines
// they may have made, by name, and adopts only what cannot be anyone else's.
#include "adoption.hpp"
#include "provision_batch.hpp"

namespace mistasync::detail {
namespace {

// One list of the backend, looking for the machines that creates of unknown outcome may
// have made (plan_adoptions decides which). False when cancelled.
awaitable<bool> look_for(batch& b, const std::vector<std::size_t>& wanted) {
    if (wanted.empty()) co_return true;
    machine_filter filter;
    if (wanted.size() == 1) filter.name = b.items[wanted.front()].name;
    auto [ec, listed] = co_await b.target.machines(filter, use_tuple);
    if (ec == asio::error::operation_aborted) co_return false;
    if (ec) co_return true;  // the next round looks again
    std::unordered_set<std::string> not_ours = b.foreign_ids;
    for (auto& other : b.items)
        if (!other.id.empty()) not_ours.insert(other.id);
    std::vector<std::size_t> items;  // the wanted items still without a machine
    std::vector<std::string> names;
    for (std::size_t k : wanted)
        if (b.items[k].id.empty()) {
            items.push_back(k);
            names.push_back(b.items[k].name);
        }
    std::vector<listed_machine> seen;
    seen.reserve(listed.size());
    for (auto& candidate : listed) seen.push_back({candidate.id, candidate.name});
    const adoption_plan plan = plan_adoptions(names, seen, not_ours);
    for (auto [k, i] : plan.adopt) b.adopt(b.items[items[k]], listed[i]);
    for (std::size_t k : plan.ambiguous) {
        provisioned_machine& m = b.items[items[k]];
        m.details.client_message = "several machines named " + m.name + " appeared; none was taken for the batch's";
    }
    co_return true;
}

}  // namespace

// The settler: while creates of unknown outcome remain, one list of the backend per
// `reconcile_interval` looks for all of them. A server may process a create long after
// its connection failed, so each is looked for until its give-up time; a found one is
// followed like any other. The rest: this run's fail with outcome_unknown (and stay "may
// exist" in the journal); an earlier run's, absent for the whole window after they were
// sent, are created again. A create is never sent twice within the window.
awaitable<void> settle(batch& b) {
    while (!b.unresolved.empty() && (!b.stopping || b.settle_while_stopping)) {
        std::vector<std::size_t> wanted;
        for (auto& u : b.unresolved) wanted.push_back(u.index);
        if (!co_await look_for(b, wanted)) break;
        // Those looked for are the first wanted.size() entries: others were only appended since.
        for (std::size_t k = 0; k < wanted.size(); ++k) b.unresolved[k].looked = true;
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::size_t> absent;
        std::erase_if(b.unresolved, [&](const batch::unresolved_create& u) {
            provisioned_machine& m = b.items[u.index];
            if (!m.id.empty()) {
                b.move_to(m, provision_stage::created);
                follow_later(b, u.index);
                return true;
            }
            if (!u.looked || now < u.give_up_at) return false;
            absent.push_back(u.index);
            return true;
        });
        for (std::size_t k : absent) {
            provisioned_machine& m = b.items[k];
            if (m.resumed && !b.stopping) {
                // An earlier run's create, absent for its whole window: never made. Again.
                b.record("create_absent", m, {}, true);
                m.resumed = false;
                m.details = {};
                b.requeue(m, k);
                continue;
            }
            diagnostics d = m.details;
            d.client_message += "; no machine named " + m.name + " appeared within the reconcile window; it was not sent again";
            b.fail(m, errc::outcome_unknown, std::move(d), "create");
        }
        if (b.unresolved.empty()) break;
        asio::steady_timer pause(b.op.state->executor, b.options.reconcile_interval);
        auto [ec] = co_await pause.async_wait(use_tuple);
        if (ec) break;
    }
    b.settling = false;
    b.work_waiters.notify_all();  // workers that stayed for handed-back creates may leave
}

void batch::await_outcome(std::size_t index, std::chrono::steady_clock::time_point give_up_at) {
    unresolved.push_back({index, give_up_at});
    if (settling) return;
    settling = true;
    spawn_settler(settle(*this));
}

// Creates cut short by a stop, with their request written: one look for all of them.
awaitable<void> settle_cut_short(batch& b) {
    std::vector<std::size_t> cut_short;
    for (std::size_t k = 0; k < b.items.size(); ++k)
        if (b.items[k].stage == provision_stage::creating && b.items[k].id.empty()) cut_short.push_back(k);
    for (auto& u : b.unresolved)
        if (b.items[u.index].stage != provision_stage::creating && b.items[u.index].id.empty()) cut_short.push_back(u.index);
    b.unresolved.clear();
    co_await look_for(b, cut_short);
    for (std::size_t k : cut_short) {
        provisioned_machine& m = b.items[k];
        if (!m.id.empty()) {
            b.move_to(m, provision_stage::created);
            continue;
        }
        diagnostics d = m.details;
        d.client_message = "stopped with its create's outcome unknown; no machine named " + m.name +
                           " was found (the journal keeps it as one that may exist)";
        b.fail(m, errc::outcome_unknown, d, "create");
    }
}

}  // namespace mistasync::detail
