// What provision writes besides its report: an events stream (one JSON line per change of
// a machine, for CI logs and dashboards) and an inventory of the machines it delivered
// (JSON, CSV or an Ansible INI file, by extension).
#include "cli.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>

namespace mistcli {

namespace json = boost::json;

event_log::event_log(const std::string& path) {
    if (path.empty()) return;
    if (path == "-") {
        out_ = stdout;
        return;
    }
    out_ = std::fopen(path.c_str(), "a");
    if (!out_) throw usage_failure("--events: cannot open " + path + " for writing");
    owned_ = true;
}

event_log::~event_log() {
    if (owned_) std::fclose(out_);
}

void event_log::write(const mistasync::provisioned_machine& m) {
    if (!out_) return;
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    // Back to pending after a create: its name is created again.
    const bool replaced = m.stage == mistasync::provision_stage::pending && m.attempts > 0;
    json::object line{{"time", now}, {"event", replaced ? std::string_view("replaced") : to_string(m.stage)}, {"name", m.name}};
    if (!m.id.empty()) line["id"] = m.id;
    if (m.attempts) line["attempt"] = m.attempts;
    if (!m.replaced.empty()) line["destroyed"] = m.replaced.back();
    if (m.error) {
        line["error"] = m.error.message();
        if (!m.details.server_message.empty()) line["message"] = m.details.server_message;
    }
    if (m.script && m.script->finished) line["exit_code"] = m.script->exit_code;
    std::string text = json::serialize(line);
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);  // a follower (tail -f, a CI log) sees each line as it happens
}

namespace {

bool delivered(const mistasync::provisioned_machine& m) {
    return m.exists() && !m.error && (m.stage == mistasync::provision_stage::probed || m.stage == mistasync::provision_stage::scripted);
}

std::string first(const std::vector<std::string>& v) { return v.empty() ? std::string() : v.front(); }

bool ends_with(const std::string& s, const char* suffix) {
    std::string_view x(suffix);
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

}  // namespace

void check_inventory_path(const std::string& path) {
    if (!path.empty() && !ends_with(path, ".json") && !ends_with(path, ".csv") && !ends_with(path, ".ini"))
        throw usage_failure("--inventory FILE must end in .json, .csv or .ini (an Ansible inventory)");
}

std::size_t write_inventory(const std::string& path, const mistasync::provision_report& report) {
    std::ofstream out(path, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write the inventory " + path);
    std::size_t n = 0;
    if (ends_with(path, ".json")) {
        json::array machines;
        for (auto& m : report.machines) {
            if (!delivered(m)) continue;
            ++n;
            machines.push_back(json::object{{"name", m.name},
                                            {"id", m.id},
                                            {"public_ips", json::array(m.handle.public_ips.begin(), m.handle.public_ips.end())},
                                            {"private_ips", json::array(m.handle.private_ips.begin(), m.handle.private_ips.end())}});
        }
        out << json::serialize(machines) << '\n';
    } else if (ends_with(path, ".csv")) {
        out << "name,id,public_ip,private_ip\n";
        for (auto& m : report.machines)
            if (delivered(m)) {
                ++n;
                out << m.name << ',' << m.id << ',' << first(m.handle.public_ips) << ',' << first(m.handle.private_ips) << '\n';
            }
    } else {
        // Ansible: one group, each host by name with the address to reach it at.
        out << "[mistasync]\n";
        for (auto& m : report.machines)
            if (delivered(m)) {
                ++n;
                std::string host = first(m.handle.public_ips);
                if (host.empty()) host = first(m.handle.private_ips);
                out << m.name << (host.empty() ? "" : " ansible_host=" + host) << '\n';
            }
    }
    if (!out) throw std::runtime_error("cannot write the inventory " + path);
    return n;
}

}  // namespace mistcli
