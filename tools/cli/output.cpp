// The JSON documents of the SDK's results, and a script's end for people. (How tables and
// documents are printed: output_formats.cpp.)
#include "cli.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace mistcli {

namespace json = boost::json;

json::value to_json(const mistasync::machine& m) {
    json::array pub(m.public_ips.begin(), m.public_ips.end());
    json::array priv(m.private_ips.begin(), m.private_ips.end());
    json::object tags;
    for (auto& [k, v] : m.tags) tags[k] = v;
    return json::object{{"id", m.id},         {"uuid", m.uuid},         {"name", m.name},       {"backend", m.backend_id},
                        {"state", mistasync::to_string(m.state)},       {"image", m.image_id},  {"size", m.size_id},
                        {"public_ips", pub},  {"private_ips", priv},    {"tags", tags}};
}

json::value to_json(const mistasync::probe_result& p) {
    return json::object{{"reachable", p.reachable},
                        {"pingable", p.pingable},
                        {"uptime_seconds", p.uptime_seconds},
                        {"loadavg", json::array(p.loadavg.begin(), p.loadavg.end())},
                        {"cores", p.cores},
                        {"users", p.users},
                        {"packet_loss", p.packet_loss},
                        {"rtt_avg_ms", p.rtt_avg_ms}};
}

json::value to_json(const mistasync::job& j) {
    json::array events;
    for (auto& e : j.events)
        events.push_back(json::object{{"action", e.action}, {"machine_name", e.machine_name}, {"machine_id", e.machine_id},
                                      {"error", e.error.empty() ? json::value(nullptr) : json::value(e.error)}, {"time", e.time}});
    auto counts = [](const mistasync::job_counts& c) {
        return json::object{{"success", c.success}, {"error", c.error}, {"skipped", c.skipped}, {"pending", c.pending}};
    };
    return json::object{{"id", j.id},
                        {"started_at", j.started_at},
                        {"finished_at", j.finished_at ? json::value(*j.finished_at) : json::value(nullptr)},
                        {"error", j.error.empty() ? json::value(nullptr) : json::value(j.error)},
                        {"quantity", j.quantity},
                        {"create", counts(j.created)},
                        {"probe", counts(j.probed)},
                        {"events", events}};
}

json::value to_json(const mistasync::script_result& r) {
    json::object out{{"machine_id", r.machine_id}, {"finished", r.finished}, {"exit_code", r.exit_code},
                     {"succeeded", r.succeeded()}, {"output_tail", r.output_tail}};
    if (!r.machine_name.empty()) out["machine_name"] = r.machine_name;
    if (!r.error.empty()) out["error"] = r.error;
    return out;
}

void print_script_result(const mistasync::script_result& r) {
    if (r.succeeded()) std::printf("  script exited 0\n");
    else std::printf("  script failed: %s\n", terminal_safe(r.error.empty() ? "exit code " + std::to_string(r.exit_code) : r.error).c_str());
    // The output's last lines, each made safe for a terminal.
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < r.output_tail.size()) {
        std::size_t end = r.output_tail.find('\n', start);
        if (end == std::string::npos) end = r.output_tail.size();
        lines.push_back(r.output_tail.substr(start, end - start));
        start = end + 1;
    }
    std::size_t first = lines.size() > 10 ? lines.size() - 10 : 0;
    for (std::size_t i = first; i < lines.size(); ++i) std::printf("  | %s\n", terminal_safe(lines[i]).c_str());
}

int script_exit_status(const mistasync::script_result& r) {
    return r.exit_code >= 1 && r.exit_code <= 125 ? r.exit_code : 1;
}

int print_done(const context& c, const std::string& what, const std::string& name, const std::string& id) {
    if (c.json) print_json(json::object{{"id", id}, {"name", name}, {"done", what}});
    else std::printf("%s %s (%s)\n", what.c_str(), terminal_safe_line(name).c_str(), terminal_safe_line(id).c_str());
    return ok;
}

}  // namespace mistcli
