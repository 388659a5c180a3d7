// Human tables and JSON documents.
#include "cli.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace mistcli {

namespace json = boost::json;

namespace {

constexpr std::size_t max_cell = 80;

// What a table shows of a server's text: no control characters (escape sequences could
// rewrite the terminal), C1 controls included, and at most max_cell bytes, cut at a
// character boundary.
std::string terminal_safe(const std::string& text) {
    std::string out;
    out.reserve(std::min(text.size(), max_cell + 3));
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            out += '?';
            ++i;
            continue;
        }
        out += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
    }
    if (out.size() > max_cell) {
        std::size_t cut = max_cell;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
        out += "…";
    }
    return out;
}

}  // namespace

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& raw_rows) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(raw_rows.size());
    for (auto& r : raw_rows) {
        auto& safe = rows.emplace_back();
        for (auto& cell : r) safe.push_back(terminal_safe(cell));
    }
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

}  // namespace mistcli
