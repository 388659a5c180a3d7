// The documents of jobs (a create's story, as GET /jobs shows it) and of script runs.
#include "views.hpp"

#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace mistasync::sim {
namespace json = boost::json;

json::value job_json(world& w, const job_record& j, era e) {
    struct counter { int success = 0, error = 0, skipped = 0, pending = 0; };
    counter create, probe, script, monitoring;
    std::vector<std::pair<double, json::object>> logs;
    double now = w.wall_now();
    double last_event = j.started_wall;
    json::value first_error = false;
    std::string backend_id = e == era::legacy ? j.backend_legacy_id : j.backend_uuid;

    logs.push_back({j.started_wall, json::object{{"type", "request"}, {"action", "create_machine"},
                                                 {"time", j.started_wall}, {"error", false}, {"job_id", j.id}}});
    if (j.async) {
        json::array names;
        for (auto& n : j.names) names.emplace_back(n);
        logs.push_back({j.started_wall, json::object{{"type", "job"}, {"action", "async_machine_creation_started"},
                                                     {"time", j.started_wall}, {"error", false},
                                                     {"quantity", j.quantity}, {"machine_names", std::move(names)},
                                                     {"job_id", j.id}}});
    }
    auto bump_all = [&](int counter::*field) {
        ++(probe.*field);
        ++(script.*field);
        ++(monitoring.*field);
    };
    for (int i = 0; i < j.quantity; ++i) {
        const std::string& err = j.errors[i];
        machine* m = j.created_mist_ids[i].empty() ? nullptr : w.find_machine_by_mist_id(j.created_mist_ids[i]);
        if (!err.empty()) {
            ++create.error;
            bump_all(&counter::skipped);
            last_event = std::max(last_event, j.created_wall[i]);
            if (first_error.is_bool()) first_error = err;
            logs.push_back({j.created_wall[i], json::object{{"type", "job"}, {"action", "machine_creation_finished"},
                                                            {"machine_name", j.names[i]}, {"error", err},
                                                            {"time", j.created_wall[i]}, {"job_id", j.id}}});
            continue;
        }
        if (j.created_mist_ids[i].empty()) {
            ++create.pending;
            bump_all(&counter::pending);
            continue;
        }
        ++create.success;
        std::string provider_id = m ? m->provider_id : "";
        logs.push_back({j.created_wall[i], json::object{{"type", "job"}, {"action", "machine_creation_finished"},
                                                        {"machine_name", j.names[i]}, {"machine_id", provider_id},
                                                        {"error", false}, {"time", j.created_wall[i]},
                                                        {"job_id", j.id}}});
        last_event = std::max(last_event, j.created_wall[i]);
        double reached = m ? w.wall(w.first_reachable(*m)) : j.created_wall[i];
        if (!m || reached > now) {
            bump_all(&counter::pending);
            continue;
        }
        ++probe.success;
        ++monitoring.success;
        last_event = std::max(last_event, reached);
        std::string host = m->public_ips.empty() ? (m->private_ips.empty() ? "" : m->private_ips[0]) : m->public_ips[0];
        logs.push_back({reached, json::object{{"type", "job"}, {"action", "probe"}, {"machine_id", provider_id},
                                              {"host", host}, {"key_id", ""}, {"ssh_user", "root"},
                                              {"result", json::object{{"uptime", "0.5"}}}, {"error", false},
                                              {"time", reached}, {"job_id", j.id}}});
        // The post-deploy script runs once SSH answers and takes its time; its exit code
        // is reported, and a failure does not end the post-deploy steps.
        double deployed = reached;
        if (j.has_script) {
            logs.push_back({reached, json::object{{"type", "job"}, {"action", "deployment_script_started"},
                                                  {"machine_id", provider_id}, {"command", j.script_command},
                                                  {"error", false}, {"time", reached}, {"job_id", j.id}}});
            deployed = reached + std::chrono::duration<double>(w.options().script_duration).count();
            if (deployed > now) {
                ++script.pending;
                continue;
            }
            script_outcome outcome = w.script_outcome_for(m->name, j.script_command);
            ++(outcome.exit_code == 0 ? script.success : script.error);
            last_event = std::max(last_event, deployed);
            logs.push_back({deployed, json::object{{"type", "job"}, {"action", "deployment_script_finished"},
                                                   {"machine_id", provider_id}, {"return_value", outcome.exit_code},
                                                   {"command", j.script_command}, {"stdout", outcome.stdout_text},
                                                   {"error", outcome.exit_code != 0}, {"time", deployed},
                                                   {"job_id", j.id}}});
        } else {
            ++script.success;
        }
        if (j.has_monitoring)
            logs.push_back({deployed, json::object{{"type", "job"}, {"action", "deploy_collectd_finished"},
                                                   {"machine_id", provider_id}, {"error", false}, {"time", deployed},
                                                   {"job_id", j.id}}});
        logs.push_back({deployed, json::object{{"type", "job"}, {"action", "post_deploy_finished"},
                                               {"machine_id", provider_id}, {"error", false}, {"time", deployed},
                                               {"job_id", j.id}}});
    }
    std::stable_sort(logs.begin(), logs.end(), [](auto& a, auto& b) { return a.first < b.first; });
    bool finished = create.pending == 0 && probe.pending == 0 && script.pending == 0;
    json::array log_array;
    for (auto& [t, entry] : logs) {
        entry[e == era::legacy ? "backend_id" : "cloud_id"] = backend_id;
        log_array.push_back(std::move(entry));
    }
    json::object doc{{"story_id", j.id}, {"type", "job"}, {"job_id", j.id}, {"owner_id", "owner"},
                     {"cloud_id", backend_id}, {"error", first_error}, {"started_at", j.started_wall},
                     {"finished_at", finished ? json::value(last_event) : json::value(0)}};
    if (e == era::legacy) {
        doc["user_id"] = "user";
        doc["quantity"] = j.quantity;
        auto counter_json = [](const counter& c) {
            return json::object{{"success", c.success}, {"error", c.error}, {"skipped", c.skipped},
                                {"pending", c.pending}};
        };
        json::object summary{{"create", counter_json(create)}, {"probe", counter_json(probe)}};
        if (j.has_script) summary["script"] = counter_json(script);
        if (j.has_monitoring) summary["monitoring"] = counter_json(monitoring);
        doc["summary"] = std::move(summary);
    }
    doc["logs"] = std::move(log_array);
    return doc;
}

json::value script_run_json(world& w, const script_run& r, era e) {
    const double now = w.wall_now();
    const std::string backend_id = e == era::legacy ? r.backend_legacy_id : r.backend_uuid;
    const bool finished = now >= r.finished_wall;
    json::array logs;
    auto entry = [&](json::object o) {
        o["type"] = "job";
        o["job_id"] = r.job_id;
        o[e == era::legacy ? "backend_id" : "cloud_id"] = backend_id;
        o["machine_id"] = r.machine_provider_id;
        o["external_id"] = r.machine_provider_id;
        o["script_id"] = r.script_id;
        logs.push_back(std::move(o));
    };
    logs.push_back(json::object{{"type", "request"}, {"action", "run_script"}, {"time", r.started_wall}, {"error", false},
                                {"job_id", r.job_id}, {"script_id", r.script_id}});
    json::value error = false;
    if (!r.error.empty()) {
        error = r.error;
        entry({{"action", "script_finished"}, {"time", r.finished_wall}, {"exit_code", -255}, {"stdout", ""}, {"error", r.error}});
    } else {
        entry({{"action", "script_started"}, {"time", r.started_wall}, {"error", false}, {"params", r.params}});
        if (finished) {
            json::value failed = false;
            if (r.outcome.exit_code > 0) failed = "Script exited with code " + std::to_string(r.outcome.exit_code);
            if (!failed.is_bool()) error = failed;
            entry({{"action", "script_finished"}, {"time", r.finished_wall}, {"exit_code", r.outcome.exit_code},
                   {"stdout", r.outcome.stdout_text}, {"error", failed}});
        }
    }
    return json::object{{"story_id", r.job_id}, {"type", "job"}, {"job_id", r.job_id}, {"owner_id", "owner"},
                        {"cloud_id", backend_id}, {"error", error}, {"started_at", r.started_wall},
                        {"finished_at", finished ? json::value(r.finished_wall) : json::value(0)}, {"logs", std::move(logs)}};
}

}  // namespace mistasync::sim
