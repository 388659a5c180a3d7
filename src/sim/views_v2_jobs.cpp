// Jobs as GET /api/v2/jobs/{id} shows them: the story mist.api's workers log for a v2
// create (tasks.py multicreate_async_v2, create_machine_async_v2, post_deploy_v2,
// ssh_tasks at dcf483f), with the renames get_job makes (owner_id -> org, job -> action).
// The story does not exist until the first worker logs it: until then the job is 404.
#include "v2_docs.hpp"

#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

double seconds(sim_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

std::optional<json::object> v2_job_story(world& w, const job_record& j) {
    const double now = w.wall_now();
    const double logged = j.started_wall + seconds(w.options().async_create_delay) / 2;
    if (now < logged) return std::nullopt;
    const std::string& org = w.options().org_id;
    const std::string user = std::string(v2_user(w).id);
    std::vector<std::pair<double, json::object>> logs;
    auto log = [&](double at, std::string_view action, json::object fields) {
        fields["action"] = action;
        fields["time"] = at;
        fields["type"] = "job";
        fields["job_id"] = j.id;
        fields["job"] = "create_machine";
        fields["org"] = org;
        fields["user_id"] = user;
        fields["cloud_id"] = j.backend_uuid;
        if (!fields.contains("error")) fields["error"] = false;
        logs.emplace_back(at, std::move(fields));
    };
    log(logged, "async_machine_creation_started", {{"machine_name", j.names.empty() ? "" : j.names[0]}, {"quantity", j.quantity}});

    json::value first_error = false;
    std::string first_machine;
    double last_deployed = 0;
    bool all_done = true;
    std::size_t deployed_count = 0;
    for (std::size_t i = 0; i < j.names.size(); ++i) {
        const std::string& name = j.names[i];
        if (!j.errors[i].empty()) {
            const double at = std::max(logged, j.created_wall[i] - seconds(w.options().provider_create_time));
            log(at, "sending_create_machine_request", {{"machine_name", name}});
            log(j.created_wall[i], "machine_creation_finished", {{"machine_name", name}, {"error", j.errors[i]}});
            if (first_error.is_bool()) first_error = j.errors[i];
            continue;
        }
        machine* m = j.created_mist_ids[i].empty() ? nullptr : w.find_machine_by_mist_id(j.created_mist_ids[i]);
        if (!m) {
            all_done = false;
            continue;
        }
        const double sent = std::max(logged, j.created_wall[i] - seconds(w.options().provider_create_time));
        log(sent, "sending_create_machine_request", {{"machine_name", name}});
        log(j.created_wall[i], "machine_creation_finished", {{"machine_name", name}, {"external_id", m->provider_id}});
        const double reached = w.wall(w.first_reachable(*m));
        if (reached > now) {
            all_done = false;
            continue;
        }
        const std::string host = m->public_ips.empty() ? (m->private_ips.empty() ? "" : m->private_ips[0]) : m->public_ips[0];
        json::object where{{"machine_id", m->mist_id}, {"external_id", m->provider_id}, {"host", host}};
        if (first_machine.empty()) first_machine = m->mist_id;
        json::object probe = where;
        probe["result"] = json::object{{"uptime", 0.5}};
        log(reached, "probe", std::move(probe));
        double deployed = reached;
        if (j.has_script) {
            json::object started = where;
            started["command"] = j.script_command;
            log(reached, "deployment_script_started", std::move(started));
            deployed = reached + seconds(w.options().script_duration);
            if (deployed > now) {
                all_done = false;
                continue;
            }
            const script_outcome outcome = w.script_outcome_for(m->name, j.script_command);
            json::object finished = where;
            finished["command"] = j.script_command;
            finished["return_value"] = outcome.exit_code;
            finished["stdout"] = outcome.stdout_text;
            finished["error"] = outcome.exit_code != 0;
            log(deployed, "deployment_script_finished", std::move(finished));
        }
        log(deployed, "post_deploy_finished", std::move(where));
        last_deployed = std::max(last_deployed, deployed);
        ++deployed_count;
    }
    std::stable_sort(logs.begin(), logs.end(), [](auto& a, auto& b) { return a.first < b.first; });
    json::array log_array;
    for (auto& [at, entry] : logs) log_array.push_back(std::move(entry));
    // post_deploy_finished closes the story; a create that failed never logs it.
    const bool finished = all_done && deployed_count > 0;
    json::object story{{"job_id", j.id}, {"action", "create_machine"}, {"org", org}, {"user_id", user},
                       {"cloud_id", j.backend_uuid}, {"error", first_error}, {"started_at", logged},
                       {"finished_at", finished ? json::value(last_deployed) : json::value(0)}, {"logs", std::move(log_array)}};
    if (!first_machine.empty()) story["machine_id"] = first_machine;
    return story;
}

json::object v2_script_run_story(world& w, const script_run& r) {
    json::value doc = script_run_json(w, r, era::v1);
    json::object& story = doc.as_object();
    story.erase("story_id");
    story.erase("type");
    story["org"] = w.options().org_id;
    story.erase("owner_id");
    story["action"] = "run_script";
    story["machine_id"] = r.machine_mist_id;
    for (auto& entry : story["logs"].as_array()) {
        json::object& e = entry.as_object();
        e["org"] = w.options().org_id;
    }
    return std::move(story);
}

}  // namespace mistasync::sim
