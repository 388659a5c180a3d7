// The 2015 API's documents (era_views.hpp): backends, keys, machines and probes as the
// /backends API wrote them (contract §7).
#include "era_views.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace mistasync::sim {
namespace json = boost::json;

namespace legacy_docs {  // named: the eras' files share a unity batch

json::value backend_doc(const backend& b) {
    json::object o{{"id", b.legacy_id}, {"title", b.title.empty() ? b.legacy_provider : b.title},
                   {"provider", b.legacy_provider}, {"apikey", b.apikey}, {"poll_interval", 10000},
                   {"state", b.enabled ? "online" : "offline"}, {"region", b.region},
                   {"enabled", b.enabled}, {"tenant_name", b.tenant_name}};
    for (auto& [k, v] : b.public_fields)
        if (k == "docker_port") o[k] = std::atoi(v.c_str());
    return o;
}

json::value key_doc(const key_record& k) {
    return json::object{{"id", k.name}, {"isDefault", k.is_default}, {"machines", associations_json(k, era::legacy)}};
}

json::value machine_doc(world&, const machine& m, const machine_facts& f, const json::storage_ptr& sp) {
    return json::object({{"id", m.provider_id}, {"uuid", m.libcloud_uuid}, {"name", m.name},
                         {"imageId", m.image_id}, {"size", m.size_id}, {"state", f.state},
                         {"public_ips", string_array(f.public_ips, sp)},
                         {"private_ips", string_array(f.private_ips, sp)}, {"tags", tags_json(m, sp)},
                         {"extra", machine_extra(f.shown, m, dns_name(m, f.addresses), sp)}, {"can_start", f.actions.start},
                         {"can_stop", f.actions.stop},
                         {"can_reboot", f.actions.reboot}, {"can_destroy", f.actions.destroy}, {"can_tag", f.actions.tag},
                         {"can_rename", f.actions.rename}},
                        sp);
}

std::string mac_of(const machine& m) {
    std::string h = m.mist_id.substr(0, 10);
    return "0a:" + h.substr(0, 2) + ":" + h.substr(2, 2) + ":" + h.substr(4, 2) + ":" + h.substr(6, 2) + ":" +
           h.substr(8, 2);
}

json::value probe_doc(world& w, const machine& m, const json::storage_ptr& sp) {
    const double uptime = probe_uptime(w, m);
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

}  // namespace legacy_docs

const era_views legacy_views{legacy_docs::backend_doc, legacy_docs::key_doc, legacy_docs::machine_doc, legacy_docs::probe_doc};

}  // namespace mistasync::sim
