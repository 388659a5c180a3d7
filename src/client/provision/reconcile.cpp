// Creates whose outcome is unknown (the connection failed after the request was written,
// the call ran out of time, the answer was unreadable): the batch looks for the machines
// they may have made, by name, and adopts only what cannot be anyone else's.
#include "decide/adoption.hpp"
#include "provision/batch.hpp"

namespace mistasync::detail {
namespace {

// Machines of the batch's names that cannot be anyone else's but may be this item's.
bool claimable(const batch& b, const machine& m, const std::unordered_set<std::string>& not_ours) {
    return !not_ours.contains(m.id) && !b.retired_ids.contains(m.id) && m.state != machine_state::terminated &&
           rival_batch_of(b, m).empty();
}

// A name created again while an earlier create of unknown outcome may still make its
// machine: a machine of its name that is none of the batch's known ones is that late
// create's. Adopted while the name's new create is not sent (the queue then follows it
// instead of creating), destroyed once the replacement exists; left for the next list
// while the replacement's create is in flight (which one is which is not known yet).
void check_late(batch& b, const std::vector<machine>& listed, const std::unordered_set<std::string>& not_ours) {
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(b.watches, [&](const batch::late_watch& w) {
        provisioned_machine& m = b.items[w.index];
        const bool sending = m.id.empty() && m.stage == provision_stage::creating;
        for (auto& found : listed) {
            if (found.name != m.name || !claimable(b, found, not_ours) || found.id == m.id || sending) continue;
            if (m.id.empty()) {
                b.apply(b.ledger.found_by_name(w.index, b.slim(found)));  // pending: the queue follows it
                continue;
            }
            b.retired_ids.insert(found.id);
            b.spawn(destroy_extra(b, w.index, found), batch::role::destroyer);
        }
        return now >= w.until;
    });
}

enum class look { seen, failed, cancelled };

// One list of the backend, looking for the machines that creates of unknown outcome may
// have made (plan_adoptions decides which) and for late ones (check_late). Only a list
// that was seen says anything: one that failed proves no machine absent.
awaitable<look> look_for(batch& b, const std::vector<std::size_t>& wanted) {
    if (wanted.empty() && b.watches.empty()) co_return look::seen;
    // v2: the machines named like the batch's; a late machine's name is one of them too.
    machine_filter filter{.server_search = names_search(b), .only = machine_fields_used};
    if (wanted.size() == 1 && b.watches.empty()) filter.name = b.items[wanted.front()].name;
    auto [ec, listed] = co_await b.target.machines(filter, use_tuple);
    if (ec == asio::error::operation_aborted) co_return look::cancelled;
    if (ec) co_return look::failed;  // the next round looks again
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
    for (auto& candidate : listed)
        if (claimable(b, candidate, not_ours)) seen.push_back({candidate.id, candidate.name});
        else seen.push_back({candidate.id, {}});  // keeps indexes aligned; matches no name
    const adoption_plan plan = plan_adoptions(names, seen, not_ours);
    for (auto [k, i] : plan.adopt) {
        b.apply(b.ledger.found_by_name(items[k], b.slim(listed[i])));  // the settler follows it
        not_ours.insert(listed[i].id);  // the adopted are known now: check_late leaves them alone
    }
    for (std::size_t k : plan.ambiguous) {
        provisioned_machine& m = b.items[items[k]];
        m.details.client_message = "several machines named " + m.name + " appeared; none was taken for the batch's";
    }
    check_late(b, listed, not_ours);
    co_return look::seen;
}

// v1: a create filed under the batch's job id whose job exists was processed, so the
// next list tells whether it made a machine (contract §10.4). Not found: not yet, or never.
awaitable<void> ask_job(batch& b, std::size_t index, std::string job_id) {
    auto [ec, found] = co_await initiate<job>(use_tuple, handle_access::ref(b.target), [&job_id](auto r, auto h) {
        start_operation(r, ops::get_job{job_id}, std::move(h));
    });
    b.asking_jobs.erase(index);
    if (ec) co_return;
    for (auto& u : b.unresolved)
        if (u.index == index && b.items[index].job_id == job_id && !u.done_at) u.done_at = std::chrono::steady_clock::now();
}

// Asks the jobs of creates the settle margin has not settled yet, a few at a time, beside
// the lists (never holding a round up).
void ask_jobs(batch& b) {
    if (b.era != api_era::v1) return;
    constexpr std::size_t at_once = 16;
    const auto now = std::chrono::steady_clock::now();
    for (auto& u : b.unresolved) {
        if (b.asking_jobs.size() >= at_once) return;
        const provisioned_machine& m = b.items[u.index];
        if (u.done_at || m.job_id.empty() || !m.id.empty() || m.resumed || now >= u.sent_at + b.ledger.settle_margin() ||
            b.asking_jobs.contains(u.index))
            continue;
        b.asking_jobs.insert(u.index);
        b.spawn(ask_job(b, u.index, m.job_id), batch::role::settler);
    }
}

}  // namespace

// The settler: while creates of unknown outcome remain, one list of the backend per
// `reconcile_interval` looks for all of them. A found one is followed like any other. One
// proved absent — by a list sent after the server was done with it (it answered, or its
// v1 job exists) or after batch_ledger::settle_margin() — is created again while its attempts
// allow, and watched for a late appearance until its window ends. The rest are looked
// for until their window ends: this run's then fail with outcome_unknown (and stay "may
// exist" in the journal); an earlier run's are created again.
awaitable<void> settle(batch& b) {
    while ((!b.unresolved.empty() || !b.watches.empty()) && (!b.stopping() || b.ledger.settle_while_stopping())) {
        // Only late watches left and nothing else running: one last look, then done.
        const bool last_round = b.unresolved.empty() && b.active <= 1;
        ask_jobs(b);
        std::vector<std::size_t> wanted;
        for (auto& u : b.unresolved) wanted.push_back(u.index);
        const auto listed_at = std::chrono::steady_clock::now();
        const look looked = co_await look_for(b, wanted);
        if (looked == look::cancelled) break;
        // Those looked for are the first wanted.size() entries: others were only appended since.
        if (looked == look::seen)
            for (std::size_t k = 0; k < wanted.size(); ++k) {
                b.unresolved[k].looked = true;
                b.unresolved[k].listed_at = listed_at;
            }
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::size_t> absent;
        std::vector<batch::unresolved_create> proved_absent;
        std::erase_if(b.unresolved, [&](const batch::unresolved_create& u) {
            provisioned_machine& m = b.items[u.index];
            if (!m.id.empty()) {  // found: the ledger made it "created"
                // Made by this run's create (sent at sent_at), unless an earlier run's.
                follow_later(b, u.index, m.resumed ? std::nullopt : std::optional<made_at>(made_at{u.sent_at}));
                return true;
            }
            if (!u.looked) return false;
            const auto done = u.done_at ? *u.done_at : u.sent_at + b.ledger.settle_margin();
            if (u.listed_at >= done && b.ledger.settles_when_proved_absent(u.index)) {
                proved_absent.push_back(u);
                return true;
            }
            if (now < u.give_up_at) return false;
            absent.push_back(u.index);
            return true;
        });
        for (auto& u : proved_absent) b.act_on(b.ledger.proved_absent(u.index, u.may_appear_late), u.index, std::nullopt, u.give_up_at);
        // An earlier run's create absent for its whole window is made again; while this
        // batch runs, a machine that create makes late is destroyed as an extra.
        const auto watch_until = now + std::max<std::chrono::steady_clock::duration>(b.options.reconcile_window, std::chrono::minutes(10));
        for (std::size_t k : absent) b.act_on(b.ledger.absent_for_window(k), k, std::nullopt, watch_until);
        // Workers that stayed for a name to come back leave once none can: while they
        // wait they count as work going on, and the late watches would be kept to their end.
        if (!b.may_hand_back()) b.work_waiters.notify_all();
        if (last_round || (b.unresolved.empty() && b.watches.empty())) break;
        asio::steady_timer pause(b.op.state->executor, b.options.reconcile_interval);
        auto [ec] = co_await pause.async_wait(use_tuple);
        if (ec) break;
    }
    b.settling = false;
    b.work_waiters.notify_all();  // workers that stayed for handed-back creates may leave
}

void batch::await_outcome(unresolved_create u) {
    unresolved.push_back(u);
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
    const look looked = co_await look_for(b, cut_short);
    for (std::size_t k : cut_short)
        if (b.items[k].id.empty()) b.apply(b.ledger.absent_after_stop(k, looked == look::seen));  // found: "created" now
}

}  // namespace mistasync::detail
