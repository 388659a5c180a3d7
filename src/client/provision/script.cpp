// The script stage of bulk provisioning (provision_options::run_script_id, a spec's
// `script`/`script_id`): what runs on a machine once it answers SSH, followed to its end
// in a job, and never run twice: a resumed batch takes the outcome or the run its journal
// recorded.
#include "provision/batch.hpp"

#include <variant>

namespace mistasync::detail {
namespace {

bool has_post_deploy(const batch& b, std::size_t index) {
    const machine_spec& spec = b.specs[index];
    return b.options.wait_scripts && (!spec.script.empty() || !spec.script_id.empty());
}

script_result never_ran(const provisioned_machine& m, std::string why) {
    return script_result{.machine_id = m.id, .machine_name = m.name, .finished = true, .exit_code = -255, .error = std::move(why)};
}

// Sends the stored script's run; the job to follow, or a result saying why it did not run.
// "script_sending" is journaled just before the request is written: a resumed batch that
// finds it knows the run may have started and does not send it again.
awaitable<std::variant<std::string, script_result>> start_run(batch& b, std::size_t index) {
    provisioned_machine& m = b.items[index];
    client_ref ref = handle_access::ref(b.target);
    diagnostics d;
    ref.call.details = &d;
    ref.before_write = std::make_shared<const std::function<error_code()>>([&b, index]() -> error_code {
        return b.apply(b.ledger.script_sending(index));
    });
    auto [ec, job_id] = co_await initiate<std::string>(
        use_tuple, ref, [&b, &m](auto r, auto h) {
            start_operation(r, ops::run_script{b.options.run_script_id, b.target.id, m.id, b.options.run_script_options}, std::move(h));
        });
    if (ec) {
        std::string why = "its run could not be started: " + (d.server_message.empty() ? ec.message() : d.server_message);
        if (d.request_sent) why += " (the request was sent: the script may be running; it is not sent again)";
        co_return never_ran(m, std::move(why));
    }
    b.apply(b.ledger.script_started(index, job_id));
    co_return job_id;
}

// This machine's result in a finished job; a job that ended without running the script
// says why (its error, such as a failed probe of the server's own).
script_result result_in(const job& j, const provisioned_machine& m) {
    const script_result* found = j.script_of(m.id);
    if (!found) return never_ran(m, j.error.empty() ? "its job finished without running the script" : j.error);
    script_result r = *found;
    r.machine_name = m.name;
    if (!r.finished) r = never_ran(m, "its job finished while the script had not");
    return r;
}

}  // namespace

bool has_script_stage(const batch& b, std::size_t index) { return has_post_deploy(b, index) || !b.options.run_script_id.empty(); }

awaitable<bool> run_script_stage(batch& b, std::size_t index) {
    provisioned_machine& m = b.items[index];
    static const journal_record none;
    const journal_record& earlier = b.earlier.empty() ? none : b.earlier[index];
    std::optional<script_result> result;
    std::string job_id;
    if (earlier.script_exit_code) {
        // An earlier run saw it end: its outcome stands.
        int code = *earlier.script_exit_code;
        result = script_result{.machine_id = m.id, .machine_name = m.name, .finished = true, .exit_code = code,
                               .error = code == 0 ? "" : "the script exited with code " + std::to_string(code) + " (an earlier run)"};
    } else if (!b.options.run_script_id.empty()) {
        if (!earlier.script_job_id.empty()) job_id = earlier.script_job_id;
        else if (earlier.last_event == "script_sending")
            result = never_ran(m, "an earlier run sent its script's run and its answer was lost: it may have run, and is not sent again");
        else {
            auto started = co_await start_run(b, index);
            if (b.stopping()) co_return false;
            if (auto* r = std::get_if<script_result>(&started)) result = std::move(*r);
            else job_id = std::get<std::string>(started);
        }
    } else {
        job_id = m.job_id;
        if (job_id.empty()) result = never_ran(m, "the server gave the create no job id: its post-deploy script cannot be followed");
    }

    if (!result) {
        diagnostics d;
        client_ref ref = handle_access::ref(b.target);
        ref.call.details = &d;
        auto [ec, j] = co_await initiate<job>(use_tuple, ref, [&b, &job_id](auto r, auto h) {
            start_operation(r, ops::wait_for_job{job_id, b.options.script_policy}, std::move(h));
        });
        if (ec) {
            b.apply(b.ledger.script_wait_failed(index, ec, std::move(d)));
            co_return false;
        }
        result = result_in(j, m);
    }

    m.script = std::move(*result);
    b.apply(b.ledger.scripted(index));
    co_return m.stage == provision_stage::scripted;  // not failed for it
}

}  // namespace mistasync::detail
