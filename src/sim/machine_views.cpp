// What the eras' machine documents share (era_views.hpp): which state, addresses and
// actions a document shows, its pieces, a backend's list (rendered once per machine and
// cached), and the probe's answer; each era's own document is in views_<era>.cpp.
#include "era_views.hpp"

#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace mistasync::sim {
namespace json = boost::json;

json::array string_array(const std::vector<std::string>& v, const json::storage_ptr& sp) {
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

std::string dns_name(const machine& m, bool addresses) {
    if (!addresses || m.public_ips.empty()) return "";
    std::string ip = m.public_ips.front();
    std::replace(ip.begin(), ip.end(), '.', '-');
    return "ec2-" + ip + ".compute.example.net";
}

json::object machine_extra(machine_state state, const machine& m, const std::string& dns, const json::storage_ptr& sp) {
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
    return extra;
}

double probe_uptime(const world& w, const machine& m) {
    return std::max(0.0, w.wall_now() - w.wall(w.first_reachable(m)) + 12.0);
}

namespace {

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
    const auto [shown, addresses] = shown_of(w, m, source);
    static const std::vector<std::string> none;
    const machine_facts facts{shown, addresses, w.actions_in(m, shown), state_name(shown, e), addresses ? m.public_ips : none,
                              addresses ? m.private_ips : none};
    return views_of(e).machine_doc(w, m, facts, sp);
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

json::value probe_json(world& w, const machine& m, era e, const json::storage_ptr& sp) { return views_of(e).probe_doc(w, m, sp); }

}  // namespace mistasync::sim
