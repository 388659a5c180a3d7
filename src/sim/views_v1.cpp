// /api/v1's documents (era_views.hpp): clouds, keys, machines and probes as mist.api's v1
// views write them (contract §7).
#include "era_views.hpp"

#include "crypto.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace mistasync::sim {
namespace json = boost::json;

namespace v1_docs {  // named: the eras' files share a unity batch

json::value backend_doc(const backend& b) {
    json::object o{{"id", b.uuid}, {"title", b.title}, {"provider", b.provider}, {"enabled", b.enabled},
                   {"dns_enabled", false}, {"state", b.enabled ? "online" : "offline"},
                   {"polling_interval", 1800}, {"tags", json::array{}}};
    if (!b.apikey.empty()) o["apikey"] = b.apikey;
    if (!b.region.empty()) {
        const region_info* r = find_region(b.provider, b.region);
        o["region"] = (r && !r->aws_id.empty()) ? r->aws_id : std::string_view(b.region);
    }
    if (!b.tenant_name.empty()) o["tenant"] = b.tenant_name;
    for (auto& [k, v] : b.public_fields) o[k] = v;
    return o;
}

json::value key_doc(const key_record& k) {
    return json::object{{"id", k.uuid}, {"name", k.name}, {"isDefault", k.is_default},
                        {"machines", associations_json(k, era::v1)}, {"tags", json::array{}}};
}

json::value probe_doc(world& w, const machine& m, const json::storage_ptr& sp) {
    const double uptime = probe_uptime(w, m);
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

json::value machine_doc(world& w, const machine& m, const machine_facts& f, const json::storage_ptr& sp) {
    const backend& b = *m.owner;
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
    json::value probe = m.probed ? probe_doc(w, m, sp) : json::value(null_probe, sp);
    const std::string dns = dns_name(m, f.addresses);
    json::object extra = machine_extra(f.shown, m, dns, sp);
    extra["created"] = m.created_text;
    extra["cost_per_month"] = "14.40";
    extra["cost_per_hour"] = "0.02";
    const machine_actions& act = f.actions;
    return json::object(
        {{"id", m.mist_id}, {"machine_id", m.provider_id}, {"name", m.name}, {"hostname", dns},
         {"public_ips", string_array(f.public_ips, sp)}, {"private_ips", string_array(f.private_ips, sp)},
         {"ssh_port", 22}, {"rdp_port", 3389}, {"os_type", "unix"}, {"state", f.state},
         {"image_id", m.image_id}, {"size", m.size_id},
         {"actions", {{"start", act.start}, {"stop", act.stop}, {"reboot", act.reboot}, {"destroy", act.destroy},
                      {"resize", act.resize}, {"rename", act.rename}, {"tag", act.tag}, {"resume", false},
                      {"suspend", false}, {"undefine", false}}},
         {"extra", std::move(extra)}, {"cost", json::value(cost, sp)},
         {"tags", tags_json(m, sp)}, {"monitoring", json::value(monitoring, sp)},
         {"key_associations", std::move(assocs)}, {"cloud", b.uuid}, {"cloud_title", b.title},
         {"last_seen", format_datetime(w.wall_now(), true)}, {"missing_since", ""},
         {"created", m.created_text},
         {"machine_type", b.provider == "docker" ? "container" : "machine"}, {"parent_id", ""},
         {"probe", std::move(probe)}},
        sp);
}

}  // namespace v1_docs

const era_views v1_views{v1_docs::backend_doc, v1_docs::key_doc, v1_docs::machine_doc, v1_docs::probe_doc};

}  // namespace mistasync::sim
