// What provision writes besides its report: an events stream (one JSON line per change of
// a machine, for CI logs and dashboards) and an inventory of the machines it delivered
// (JSON, CSV or an Ansible INI file, by extension).
#include "cli.hpp"

#include "files.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <chrono>
#include <cstdio>

namespace mistcli {

namespace json = boost::json;

event_log::event_log(const std::string& path) : path_(path) {
    if (path.empty()) return;
    if (path == "-") {
        out_ = stdout;
        return;
    }
    out_ = ::fdopen(open_output_file(path, "--events", true), "a");
    if (!out_) throw usage_failure("--events: cannot write " + path);
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
    // A follower (tail -f, a CI log) sees each line as it happens. The first failure (a
    // full disk, a closed pipe) is said once; the batch goes on, its report is complete.
    if ((std::fwrite(text.data(), 1, text.size(), out_) != text.size() || std::fflush(out_) != 0) && !failed_) {
        failed_ = true;
        std::fprintf(stderr, "mistasync: warning: --events: cannot write %s (%s): the events from here on are missing\n",
                     path_ == "-" ? "to standard output" : path_.c_str(), std::strerror(errno));
    }
}

namespace {

// What the batch delivered: machines that answered SSH (or ran their script), or, for a
// batch told not to probe, those that reached `running`.
bool delivered(const mistasync::provisioned_machine& m, bool probed) {
    using mistasync::provision_stage;
    if (!m.exists() || m.error) return false;
    if (m.stage == provision_stage::probed || m.stage == provision_stage::scripted) return true;
    return !probed && m.stage == provision_stage::running;
}

std::string first(const std::vector<std::string>& v) { return v.empty() ? std::string() : v.front(); }

// An address from the server, only when it is one: a name with spaces or "=" in the
// address field must not add Ansible variables.
std::string address_or_nothing(const std::string& text) {
    boost::system::error_code ec;
    auto a = boost::asio::ip::make_address(text, ec);
    return ec ? std::string() : a.to_string();
}

// An Ansible INI host name: letters, digits, '.', '_' and '-' only, as names usually are.
// Anything else (a space, a newline, '[', '=', '#') could add host variables such as
// ansible_ssh_common_args=-o ProxyCommand=..., or whole groups: such a machine is listed
// by its id when that is plain, else left out (and said).
bool plain_host_name(const std::string& s) {
    if (s.empty() || s.size() > 253 || s.front() == '-' || s.front() == '.') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

}  // namespace

void check_inventory_path(const std::string& path) {
    if (path.empty()) return;
    if (!path.ends_with(".json") && !path.ends_with(".csv") && !path.ends_with(".ini"))
        throw usage_failure("--inventory FILE must end in .json, .csv or .ini (an Ansible inventory)");
    check_output_path(path, "--inventory");
}

std::size_t write_inventory(const std::string& path, const mistasync::provision_report& report, bool probed) {
    std::string out;
    std::size_t n = 0;
    if (path.ends_with(".json")) {
        json::array machines;
        for (auto& m : report.machines) {
            if (!delivered(m, probed)) continue;
            ++n;
            machines.push_back(json::object{{"name", m.name},
                                            {"id", m.id},
                                            {"public_ips", json::array(m.handle.public_ips.begin(), m.handle.public_ips.end())},
                                            {"private_ips", json::array(m.handle.private_ips.begin(), m.handle.private_ips.end())}});
        }
        out = json::serialize(machines) + '\n';
    } else if (path.ends_with(".csv")) {
        out = "name,id,public_ip,private_ip\n";
        for (auto& m : report.machines)
            if (delivered(m, probed)) {
                ++n;
                out += csv_field(m.name) + ',' + csv_field(m.id) + ',' + csv_field(address_or_nothing(first(m.handle.public_ips))) + ',' +
                       csv_field(address_or_nothing(first(m.handle.private_ips))) + "\n";
            }
    } else {
        // Ansible: one group, each host by name with the address to reach it at.
        out = "[mistasync]\n";
        for (auto& m : report.machines) {
            if (!delivered(m, probed)) continue;
            const std::string host = plain_host_name(m.name) ? m.name : plain_host_name(m.id) ? m.id : std::string();
            if (host.empty()) {
                std::fprintf(stderr, "mistasync: warning: --inventory: %s is left out: neither its name nor its id is a plain host name\n",
                             terminal_safe(m.name).c_str());
                continue;
            }
            if (host != m.name)
                std::fprintf(stderr, "mistasync: note: --inventory: '%s' is listed by its id %s (its name is not a plain host name)\n",
                             terminal_safe(m.name).c_str(), m.id.c_str());
            ++n;
            std::string address = address_or_nothing(first(m.handle.public_ips));
            if (address.empty()) address = address_or_nothing(first(m.handle.private_ips));
            out += host + (address.empty() ? "" : " ansible_host=" + address) + '\n';
        }
    }
    const int fd = open_output_file(path, "--inventory", false);
    std::string_view rest = out;
    while (!rest.empty()) {
        ssize_t w = ::write(fd, rest.data(), rest.size());
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            const int e = errno;
            ::close(fd);
            throw std::runtime_error("--inventory: cannot write " + path + ": " + std::strerror(e));
        }
        rest.remove_prefix(static_cast<std::size_t>(w));
    }
    if (::close(fd) != 0) throw std::runtime_error("--inventory: cannot write " + path + ": " + std::strerror(errno));
    return n;
}

}  // namespace mistcli
