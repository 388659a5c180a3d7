// The machine documents of both eras: one machine, a backend's list (rendered once per
// machine and cached), and the probe's answer.
#include "views.hpp"

#include "crypto.hpp"
#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace mistasync::sim {
namespace json = boost::json;

namespace {

json::array string_array(const std::vector<std::string>& v, const json::storage_ptr& sp = {}) {
    json::array a(sp);
    a.reserve(v.size());
    for (auto& s : v) a.emplace_back(s);
    return a;
}

json::array tags_json(const machine& m, const json::storage_ptr& sp) {
    json::array a(sp);
    for (auto& [k, v] : m.tags) a.push_back(json::object({{"key", k}, {"value", v}}, sp));
    return a;
}

std::string mac_of(const machine& m) {
    std::string h = m.mist_id.substr(0, 10);
    return "0a:" + h.substr(0, 2) + ":" + h.substr(2, 2) + ":" + h.substr(4, 2) + ":" + h.substr(6, 2) + ":" +
           h.substr(8, 2);
}

std::string dns_name(const machine& m, bool addresses) {
    if (!addresses || m.public_ips.empty()) return "";
    std::string ip = m.public_ips.front();
    std::replace(ip.begin(), ip.end(), '.', '-');
    return "ec2-" + ip + ".compute.example.net";
}

json::object machine_extra(machine_state state, const machine& m, era e, const std::string& dns,
                           const json::storage_ptr& sp) {
    const backend& b = *m.owner;
    json::object extra(sp);
    if (b.provider == "ec2") {
        json::object ec2_tags({{"Name", m.name}}, sp);
        for (auto& [k, v] : m.tags) ec2_tags[k] = v;
        extra = json::object({{"status", state_name(state, era::v1)}, {"instanceId", m.provider_id},
                              {"dns_name", dns}, {"imageId", m.image_id}, {"availability", m.location_id},
                              {"instancetype", m.size_id}, {"launchdatetime", m.created_text},
                              {"tags", std::move(ec2_tags)}},
                             sp);
    } else {
        extra = json::object({{"dns_name", dns}, {"size", m.size_id}, {"image", m.image_id}}, sp);
    }
    if (b.provider == "ec2" || b.provider == "gce" || b.provider == "softlayer" || b.provider == "nephoscale")
        extra["os_type"] = "linux";
    if (e == era::v1) {
        extra["created"] = m.created_text;
        extra["cost_per_month"] = "14.40";
        extra["cost_per_hour"] = "0.02";
    }
    return extra;
}

double reach_wall(const world& w, const machine& m) { return w.wall(w.first_reachable(m)); }

// What a document shows of the machine: its state and whether its addresses are known,
// now at the provider or as the server's record last saw it.
struct machine_view {
    machine_state state;
    bool addresses;
};
machine_view shown_of(const world& w, const machine& m, machine_source source) {
    if (source == machine_source::record) return {w.recorded_state(m), w.record_time(m) >= m.addresses_at};
    return {w.state_of(m), w.addresses_known(m)};
}

}  // namespace

json::value machine_json(world& w, const machine& m, era e, const json::storage_ptr& sp, machine_source source) {
    const backend& b = *m.owner;
    const auto [shown, addresses] = shown_of(w, m, source);
    machine_actions act = w.actions_in(m, shown);
    std::string_view state = state_name(shown, e);
    static const std::vector<std::string> none;
    const std::vector<std::string>& public_ips = addresses ? m.public_ips : none;
    const std::vector<std::string>& private_ips = addresses ? m.private_ips : none;
    if (e == era::legacy) {
        return json::object({{"id", m.provider_id}, {"uuid", m.libcloud_uuid}, {"name", m.name},
                             {"imageId", m.image_id}, {"size", m.size_id}, {"state", state},
                             {"public_ips", string_array(public_ips, sp)},
                             {"private_ips", string_array(private_ips, sp)}, {"tags", tags_json(m, sp)},
                             {"extra", machine_extra(shown, m, e, dns_name(m, addresses), sp)}, {"can_start", act.start},
                             {"can_stop", act.stop},
                             {"can_reboot", act.reboot}, {"can_destroy", act.destroy}, {"can_tag", act.tag},
                             {"can_rename", act.rename}},
                            sp);
    }
    json::array assocs(sp);
    for (auto& k : w.keys()) {
        const key_association* a = k->find(b.uuid, m.provider_id);
        if (!a) continue;
        assocs.push_back(json::object({{"keypair", k->uuid}, {"last_used", static_cast<std::int64_t>(a->last_used)},
                                       {"ssh_user", a->ssh_user ? json::value(*a->ssh_user) : json::value(nullptr)},
                                       {"sudo", a->sudo}, {"port", a->port}},
                                      sp));
    }
    // Constant subtrees are built once and copied into the caller's arena.
    static const json::value null_probe = {
        {"ping", {{"packets_tx", nullptr}, {"packets_rx", nullptr}, {"packets_loss", nullptr}, {"rtt_min", nullptr},
                  {"rtt_max", nullptr}, {"rtt_avg", nullptr}, {"rtt_std", nullptr}, {"updated_at", nullptr}}},
        {"ssh", {{"uptime", nullptr}, {"loadavg", json::array()}, {"cores", nullptr}, {"users", nullptr},
                 {"pub_ips", json::array()}, {"priv_ips", json::array()}, {"df", nullptr}, {"macs", json::array()},
                 {"kernel", nullptr}, {"os", nullptr}, {"os_version", nullptr}, {"dirty_cow", nullptr},
                 {"updated_at", nullptr}}}};
    static const json::value monitoring = {{"hasmonitoring", false}, {"monitor_server", ""},
                                           {"collectd_password", ""}, {"metrics", json::array()},
                                           {"installation_status", ""}, {"commands", json::object()}};
    static const json::value cost = {{"hourly", 0.02}, {"monthly", 14.4}};
    json::value probe = m.probed ? probe_json(w, m, era::v1, sp) : json::value(null_probe, sp);
    std::string dns = dns_name(m, addresses);
    return json::object(
        {{"id", m.mist_id}, {"machine_id", m.provider_id}, {"name", m.name}, {"hostname", dns},
         {"public_ips", string_array(public_ips, sp)}, {"private_ips", string_array(private_ips, sp)},
         {"ssh_port", 22}, {"rdp_port", 3389}, {"os_type", "unix"}, {"state", state},
         {"image_id", m.image_id}, {"size", m.size_id},
         {"actions", {{"start", act.start}, {"stop", act.stop}, {"reboot", act.reboot}, {"destroy", act.destroy},
                      {"resize", act.resize}, {"rename", act.rename}, {"tag", act.tag}, {"resume", false},
                      {"suspend", false}, {"undefine", false}}},
         {"extra", machine_extra(shown, m, e, dns, sp)}, {"cost", json::value(cost, sp)},
         {"tags", tags_json(m, sp)}, {"monitoring", json::value(monitoring, sp)},
         {"key_associations", std::move(assocs)}, {"cloud", b.uuid}, {"cloud_title", b.title},
         {"last_seen", format_datetime(w.wall_now(), true)}, {"missing_since", ""},
         {"created", m.created_text},
         {"machine_type", b.provider == "docker" ? "container" : "machine"}, {"parent_id", ""},
         {"probe", std::move(probe)}},
        sp);
}

std::string machines_text(world& w, const backend& b, era e, machine_source source) {
    std::string out;
    out.reserve(b.machines.size() * (e == era::v1 ? 1700 : 500) + 2);
    out += '[';
    // v1's "last_seen" is now, to the second: put in each time, not a reason to render again.
    const std::string now_text = e == era::v1 ? format_datetime(w.wall_now(), true) : std::string();
    bool first = true;
    for (auto& m : b.machines) {
        machine::rendered& c = m->cache[e == era::v1 ? 1 : 0];
        const bool record = source == machine_source::record;
        const auto [state, addresses] = shown_of(w, *m, source);
        bool reachable = w.reachable(*m);
        if (c.world_version != w.version() || c.revision != m->revision || c.state != state || c.reachable != reachable ||
            c.addresses != addresses || c.record != record) {
            {
                // A fresh arena per machine, on the stack: a list of 100,000 does not grow one.
                unsigned char block[16 * 1024];
                json::monotonic_resource arena(block, sizeof block);
                c.text = to_python_json(machine_json(w, *m, e, &arena, source));
            }
            c.last_seen_at = std::string::npos;
            if (e == era::v1) {
                constexpr std::string_view key = "\"last_seen\": \"";
                if (auto at = c.text.find(key); at != std::string::npos) {
                    c.last_seen_at = at + key.size();
                    c.last_seen_size = c.text.find('"', c.last_seen_at) - c.last_seen_at;
                }
            }
            c.world_version = w.version();
            c.revision = m->revision;
            c.state = state;
            c.reachable = reachable;
            c.addresses = addresses;
            c.record = record;
        }
        if (!first) out += ", ";
        first = false;
        if (c.last_seen_at == std::string::npos) {
            out += c.text;
        } else {
            out.append(c.text, 0, c.last_seen_at);
            out += now_text;
            out.append(c.text, c.last_seen_at + c.last_seen_size);
        }
    }
    out += ']';
    return out;
}

json::value ping_only_json(bool pingable) {
    if (!pingable) return json::object{};
    return json::object{{"packets_tx", 10}, {"packets_rx", 10}, {"packets_loss", 0.0},
                        {"rtt_min", 0.421}, {"rtt_avg", 0.512}, {"rtt_max", 0.689}};
}

json::value probe_json(world& w, const machine& m, era e, const json::storage_ptr& sp) {
    double uptime = std::max(0.0, w.wall_now() - reach_wall(w, m) + 12.0);
    if (e == era::legacy) {
        char up[64];
        std::snprintf(up, sizeof up, "\n%.2f %.2f\n", uptime, uptime * 1.95);
        json::object macs;
        for (auto& ip : m.public_ips) macs[ip] = mac_of(m);
        json::object o{{"uptime", up}, {"loadavg", json::array{"0.00", "0.01", "0.05\n"}}, {"cores", "\n1\n"},
                       {"users", "1"}, {"pub_ips", string_array(m.public_ips, sp)},
                       {"priv_ips", string_array(m.private_ips, sp)}, {"macs", std::move(macs)},
                       {"df", "\nFilesystem Size Used Avail Use% Mounted on\n/dev/xvda1 7.9G 1.1G 6.4G 15% /\n"
                              "udev 991M 12K 991M 1% /dev\ntmpfs 201M 188K 200M 1% /run\n"},
                       {"timestamp", w.wall_now()}};
        json::value ping = ping_only_json(true);
        for (auto& kv : ping.as_object()) o[kv.key()] = kv.value();
        return o;
    }
    double at = m.last_probe_wall > 0 ? m.last_probe_wall : w.wall_now();
    return json::object{
        {"ping", json::object{{"packets_tx", 10}, {"packets_rx", 10}, {"packets_loss", 0.0}, {"rtt_min", 0.42},
                              {"rtt_max", 0.69}, {"rtt_avg", 0.51}, {"rtt_std", 0.08},
                              {"updated_at", format_datetime(at, true)}}},
        {"ssh", json::object{{"uptime", std::round(uptime * 100) / 100}, {"loadavg", json::array{0.0, 0.01, 0.05}},
                             {"cores", 1}, {"users", 1}, {"pub_ips", string_array(m.public_ips, sp)},
                             {"priv_ips", string_array(m.private_ips, sp)},
                             {"df", "Filesystem Size Used Avail Use% Mounted on\n/dev/xvda1 7.9G 1.1G 6.4G 15% /"},
                             {"macs", json::array{}}, {"kernel", "4.4.0-104-generic"}, {"os", "ubuntu"},
                             {"os_version", "16.04"}, {"dirty_cow", false},
                             {"updated_at", format_datetime(at + 1.2, true)}}}};
}

}  // namespace mistasync::sim
