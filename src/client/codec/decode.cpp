#include "codec/decode.hpp"
#include "codec/decode_fields.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace mistasync::detail {
using namespace lenient;
namespace json = boost::json;

namespace {

std::vector<std::pair<std::string, std::string>> tags_of(const json::value* v) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!v) return out;
    if (v->is_array()) {
        for (auto& t : v->get_array()) {
            if (t.is_string()) out.emplace_back(std::string(t.get_string()), "");  // before Oct 2015: values only
            else if (t.is_object()) out.emplace_back(text(t, "key"), text(t, "value"));
        }
    } else if (v->is_object()) {  // later v1: {"env": "prod"}
        for (auto& kv : v->get_object()) out.emplace_back(std::string(kv.key()), text_of(&kv.value()));
    }
    return out;
}

key_association association_of(const json::value& t) {
    key_association a;
    if (auto* arr = t.if_array()) {
        // [backend_id, machine_id, last_used, ssh_user, sudo, port]; older entries have 5.
        if (arr->size() > 0) a.backend_id = text_of(&(*arr)[0]);
        if (arr->size() > 1) a.machine_id = text_of(&(*arr)[1]);
        if (arr->size() > 2) a.last_used = number(&(*arr)[2]);
        if (arr->size() > 3 && (*arr)[3].is_string()) a.ssh_user = std::string((*arr)[3].get_string());
        if (arr->size() > 4) a.sudo = flag(&(*arr)[4]);
        if (arr->size() > 5 && number(&(*arr)[5]) > 0) a.port = whole(number(&(*arr)[5]));
    } else if (t.is_object()) {
        a.backend_id = text(t, "cloud");
        a.machine_id = text(t, "machine");
        if (a.machine_id.empty()) a.machine_id = text(t, "machine_id");
        a.last_used = number(field(t, "last_used"));
        if (auto* u = field(t, "ssh_user"); u && u->is_string()) a.ssh_user = std::string(u->get_string());
        else if (auto* v2_user = field(t, "user"); v2_user && v2_user->is_string()) a.ssh_user = std::string(v2_user->get_string());
        a.sudo = flag(field(t, "sudo"));
        if (auto p = number(field(t, "port")); p > 0) a.port = whole(p);
    }
    return a;
}

std::shared_ptr<const json_holder> hold(json_holder doc) {
    return std::make_shared<const json_holder>(std::move(doc));
}

}  // namespace

std::vector<provider> decode_providers(const json::value& doc) {
    std::vector<provider> out;
    auto* list = field(doc, "supported_providers");
    if (!list || !list->is_array()) throw std::runtime_error("providers: no supported_providers list");
    for (auto& p : list->get_array()) {
        provider pr{text(p, "provider"), text(p, "title"), {}};
        if (auto* regions = field(p, "regions"); regions && regions->is_array())
            for (auto& r : regions->get_array()) pr.regions.push_back({text(r, "id"), text(r, "location")});
        out.push_back(std::move(pr));
    }
    return out;
}

backend decode_backend(const client_ref& ref, json_holder doc) {
    if (!doc.value.is_object()) throw std::runtime_error("backend is not an object");
    auto raw = hold(std::move(doc));
    const json::value& d = raw->value;
    backend b(ref, raw);
    b.id = text(d, "id");
    b.title = text(d, "title");
    if (b.title.empty()) b.title = text(d, "name");  // later v1 renamed title to name
    b.provider = text(d, "provider");
    b.region = text(d, "region");
    b.enabled = flag(field(d, "enabled"));
    // v2: the provider's own fields under `config`, and whether it is on under `features`
    // (a v2 list holds enabled clouds only).
    if (auto* config = field(d, "config"); config && b.region.empty()) b.region = text(*config, "region");
    if (auto* features = field(d, "features"); features && !field(d, "enabled")) b.enabled = flag(field(*features, "compute"));
    return b;
}

std::string machine_id_of(const json::value& d, api_era era) {
    if (era == api_era::legacy) return text(d, "id");
    for (const char* k : {"external_id", "machine_id", "id"})
        if (auto id = text(d, k); !id.empty()) return id;
    return {};
}

machine decode_machine(const client_ref& ref, json_holder doc, const std::string& backend_id, api_era era) {
    if (!doc.value.is_object()) throw std::runtime_error("machine is not an object");
    auto raw = hold(std::move(doc));
    const json::value& d = raw->value;
    machine m(ref, raw);
    if (era != api_era::legacy) {  // v1, and v2 with deref=none (ids, not names)
        m.id = text(d, "external_id");
        if (m.id.empty()) m.id = text(d, "machine_id");
        m.uuid = text(d, "id");
        if (m.id.empty()) m.id = m.uuid;
        m.image_id = text(d, "image_id");
        if (m.image_id.empty()) m.image_id = text(d, "image");
        if (auto* a = field(d, "actions")) {
            m.actions = {flag(field(*a, "start")), flag(field(*a, "stop")), flag(field(*a, "reboot")),
                         flag(field(*a, "destroy")), flag(field(*a, "rename")), flag(field(*a, "tag")),
                         flag(field(*a, "resize"))};
        }
        m.backend_id = text(d, "cloud");
    } else {
        m.id = text(d, "id");
        m.uuid = text(d, "uuid");
        m.image_id = text(d, "imageId");
        m.actions = {flag(field(d, "can_start")), flag(field(d, "can_stop")), flag(field(d, "can_reboot")),
                     flag(field(d, "can_destroy")), flag(field(d, "can_rename")), flag(field(d, "can_tag")), false};
    }
    if (m.backend_id.empty()) m.backend_id = backend_id;
    m.name = text(d, "name");
    if (m.id.empty() && m.name.empty()) throw std::runtime_error("a machine with neither id nor name");
    m.size_id = text(d, "size");
    m.state_text = text(d, "state");
    if (auto* st = field(d, "state"); st && st->is_int64()) {
        // 2012 servers sent libcloud's integers.
        static constexpr machine_state by_number[] = {machine_state::running, machine_state::rebooting,
                                                      machine_state::terminated, machine_state::pending,
                                                      machine_state::unknown, machine_state::stopped};
        auto n = st->get_int64();
        m.state = n >= 0 && n < 6 ? by_number[n] : machine_state::unknown;
    } else {
        m.state = parse_machine_state(m.state_text);
    }
    m.public_ips = strings(field(d, "public_ips"));
    m.private_ips = strings(field(d, "private_ips"));
    m.tags = tags_of(field(d, "tags"));
    return m;
}

key decode_key(const client_ref& ref, json_holder doc) {
    if (!doc.value.is_object()) throw std::runtime_error("key is not an object");
    auto raw = hold(std::move(doc));
    const json::value& d = raw->value;
    key k(ref, raw);
    k.id = text(d, "id");
    k.name = text(d, "name");
    if (k.name.empty()) k.name = k.id;  // 2015: the id is the name
    k.is_default = flag(field(d, "isDefault")) || flag(field(d, "default"));  // v2: "default"
    if (auto* machines = field(d, "machines")) k.associations = decode_associations(*machines);
    else if (auto* associations = field(d, "associations")) k.associations = decode_associations(*associations);
    return k;
}

std::vector<key_association> decode_associations(const json::value& doc) {
    std::vector<key_association> out;
    if (auto* arr = doc.if_array())
        for (auto& t : *arr) out.push_back(association_of(t));
    else if (auto* obj = doc.if_object())  // later v1: keyed by association id
        for (auto& kv : *obj) out.push_back(association_of(kv.value()));
    return out;
}

image decode_image(const json::value& doc) {
    image i{text(doc, "id"), text(doc, "name"), false, {}};
    i.starred = flag(field(doc, "star")) || flag(field(doc, "starred"));
    if (auto* e = field(doc, "extra")) i.extra_json = json::serialize(*e);
    return i;
}

size decode_size(const json::value& doc) {
    size s{text(doc, "id"), text(doc, "name"), whole(number(field(doc, "ram"))),
           whole(number(field(doc, "disk"))), text(doc, "driver"), "null"};
    if (auto* p = field(doc, "price")) s.price_json = json::serialize(*p);
    return s;
}

location decode_location(const json::value& doc) { return {text(doc, "id"), text(doc, "name"), text(doc, "country")}; }

probe_result decode_probe(const json::value& doc) {
    probe_result p;
    p.raw_json = json::serialize(doc);
    if (!doc.is_object()) throw std::runtime_error("probe answer is not an object");
    const json::value* ssh = field(doc, "ssh");
    const json::value* ping = field(doc, "ping");
    const json::value& ssh_doc = (ssh && ssh->is_object()) ? *ssh : doc;    // v1 nests, 2015 is flat
    const json::value& ping_doc = (ping && ping->is_object()) ? *ping : doc;
    const json::value* uptime = field(ssh_doc, "uptime");
    p.reachable = uptime && !uptime->is_null();
    p.uptime_seconds = number(uptime);
    if (auto* l = field(ssh_doc, "loadavg"); l && l->is_array())
        for (auto& e : l->get_array()) p.loadavg.push_back(number(&e));
    p.cores = whole(number(field(ssh_doc, "cores")));
    p.users = whole(number(field(ssh_doc, "users")));
    p.public_ips = strings(field(ssh_doc, "pub_ips"));
    p.private_ips = strings(field(ssh_doc, "priv_ips"));
    p.packets_tx = whole(number(field(ping_doc, "packets_tx")));
    p.packets_rx = whole(number(field(ping_doc, "packets_rx")));
    p.packet_loss = number(field(ping_doc, "packets_loss"));
    if (p.packet_loss > 1) p.packet_loss /= 100;  // some v1 versions give a percentage
    p.rtt_avg_ms = number(field(ping_doc, "rtt_avg"));
    p.pingable = p.packets_rx > 0;
    return p;
}

v2_page_view read_v2_page(const json::value& doc) {
    const json::value* data = field(doc, "data");
    const json::value* meta = field(doc, "meta");
    if (!data || !data->is_array() || !meta || !meta->is_object()) throw std::runtime_error("expected a v2 list: {data: [...], meta: {...}}");
    const json::value* total = field(*meta, "total");
    if (!total || !(total->is_uint64() || (total->is_int64() && total->get_int64() >= 0))) throw std::runtime_error("meta.total is not a count");
    return {&data->get_array(), total->is_int64() ? static_cast<std::size_t>(total->get_int64()) : static_cast<std::size_t>(total->get_uint64())};
}

created_machine decode_created(const json::value& doc) {
    if (!doc.is_object()) throw std::runtime_error("create answer is not an object");
    return {text(doc, "id"), text(doc, "name"), text(doc, "job_id"), strings(field(doc, "public_ips")),
            strings(field(doc, "private_ips"))};
}

}  // namespace mistasync::detail
