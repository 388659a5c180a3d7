// Human tables and JSON documents.
#include "cli.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace mistcli {

namespace json = boost::json;

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
    for (auto& r : rows)
        for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t i = 0; i < width.size(); ++i) {
            std::string cell = i < cells.size() ? cells[i] : "";
            out += cell;
            if (i + 1 < width.size()) out += std::string(width[i] - cell.size() + 2, ' ');
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        std::printf("%s\n", out.c_str());
    };
    line(header);
    std::vector<std::string> rule;
    for (auto w : width) rule.push_back(std::string(w, '-'));
    line(rule);
    for (auto& r : rows) line(r);
}

void print_json(const json::value& v) { std::printf("%s\n", json::serialize(v).c_str()); }

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

}  // namespace mistcli
