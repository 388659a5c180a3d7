// The waiting operations: wait_for_job and wait_until_probed send one request per
// attempt and sleep in between on one timer (no connection held); wait_for_state waits on
// its backend's shared list (state_watch.hpp).
#include "call/call.hpp"
#include "ops/operation_entry.hpp"
#include "call/operation_support.hpp"
#include "wait/state_watch.hpp"
#include "wait/wait_support.hpp"

namespace mistasync::detail {

namespace {

using asio::awaitable;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

awaitable<job> do_wait_for_job(op_context op, std::string job_id, wait_policy p) {
    co_await ensure_ready(op);
    check_id("job id", job_id);
    const bool v2 = op.state->session.era == api_era::v2;
    job result;
    auto once = [&](milliseconds budget) -> awaitable<attempt_result> {
        attempt_result a;
        client_ref attempt_ref{op.state, {budget, &a.details}};
        auto [ec, j] = co_await run_operation<job>([&](handler<job> h) { start_operation(attempt_ref, ops::get_job{job_id}, std::move(h)); });
        a.ec = ec;
        if (ec == error_code(errc::not_found) && v2) {
            // The spec's own waiter: a v2 job is 404 until a worker logs its story.
            a.ec = {};
            a.note = "not logged yet";
            co_return a;
        }
        if (ec) {
            a.note = a.details.server_message.empty() ? ec.message() : a.details.server_message;
            co_return a;
        }
        a.details.http_status = 200;
        // A v2 create that failed logs its error and never finishes (no post_deploy_finished).
        a.done = j.finished() || (v2 && !j.error.empty());
        a.note = std::to_string(j.created.success) + " created, " + std::to_string(j.probed.success) + " probed, " +
                 std::to_string(j.created.error + j.probed.error) + " failed" + (a.done ? "" : " (running)");
        result = std::move(j);
        co_return a;
    };
    co_await poll_until(op, p, "job", job_id, "job " + job_id + " finishing", once);
    co_return result;
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

awaitable<probe_result> do_wait_until_probed(op_context op, std::string backend_id, std::string machine_id, std::string host,
                                             probe_options o, wait_policy p, std::string uuid) {
    co_await ensure_ready(op);
    check_id("backend id", backend_id);
    check_id("machine id", machine_id);
    // v2 probes through v1's route where the server serves it (else reads the probe field).
    const bool v1 = op.state->session.era != api_era::legacy;
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
    // 2015 answers ping data even for a machine that is gone, and v1 "SSH timed-out" for one
    // in `error`: after the first "not yet", the backend's shared list watches its state,
    // so that error or terminated ends the wait at once.
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
            [&](handler<probe_result> h) { start_operation(attempt_ref, ops::probe{backend_id, machine_id, host, o, uuid}, std::move(h)); });
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
            if (!watcher) {
                // At most one list per 5 s for this: machines that are gone are rare, and in a
                // batch thousands of probing machines would otherwise make the lists frequent.
                // (v1 answers 404 for a machine gone, but a machine in `error` only times out.)
                watcher.emplace(state_waiter{machine_id, std::max(p.interval, milliseconds(5'000)), p.max_list_share, p.list_search,
                                             asio::steady_timer(op.state->executor)});
                watching.emplace(*op.state, backend_id, *watcher);
            }
        }
        co_return a;
    };
    co_await poll_until(op, p, "probe", machine_id, "machine " + machine_id + " answering SSH", once);
    co_return result;
}

}  // namespace

awaitable<probe_result> run(op_context op, ops::wait_until_probed o) {
    return do_wait_until_probed(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.default_host), std::move(o.options),
                                std::move(o.policy), std::move(o.uuid));
}
template void start_operation(const client_ref&, ops::wait_until_probed, handler<ops::wait_until_probed::result>);

awaitable<machine> run(op_context op, ops::wait_for_state o) {
    return do_wait_for_state(std::move(op), std::move(o.backend_id), std::move(o.machine_id), o.wanted, std::move(o.policy));
}
template void start_operation(const client_ref&, ops::wait_for_state, handler<ops::wait_for_state::result>);

awaitable<job> run(op_context op, ops::wait_for_job o) {
    return do_wait_for_job(std::move(op), std::move(o.job_id), std::move(o.policy));
}
template void start_operation(const client_ref&, ops::wait_for_job, handler<ops::wait_for_job::result>);

}  // namespace mistasync::detail
