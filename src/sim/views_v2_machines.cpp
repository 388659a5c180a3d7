// A machine as /api/v2 shows it (Machine.as_dict_v2), and what every v2 document shares:
// deref, the document builder, ids of catalogue items, times.
#include "v2_docs.hpp"

#include "crypto.hpp"
#include "datetime_text.hpp"
#include "era_views.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <unordered_map>

namespace mistasync::sim {
namespace json = boost::json;

v2_deref::v2_deref(std::string_view deref) {
    std::string text;
    for (char c : deref)
        if (c != ' ') text += c;
    if (text.empty() || text == "none") {
        ids_ = true;
        return;
    }
    if (text == "auto") return;
    // `field:attr` items; a bare item renames the previous item's field to "name" (or a
    // cloud's "title"), and with no item before it the server's code fails (500).
    std::string previous;
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.empty()) continue;
        if (const auto colon = item.find(':'); colon != std::string_view::npos) {
            if (item.find(':', colon + 1) != std::string_view::npos) throw std::runtime_error("too many values to unpack");
            previous = std::string(item.substr(0, colon));
            chosen_[previous] = std::string(item.substr(colon + 1));
        } else {
            if (previous.empty()) throw std::runtime_error("local variable 'k' referenced before assignment");
            chosen_[previous] = previous == "cloud" ? "title" : "name";
        }
    }
}

std::string_view v2_deref::attribute(std::string_view field, std::string_view automatic) const {
    if (ids_) return "id";
    if (auto it = chosen_.find(field); it != chosen_.end()) return it->second;
    return automatic;
}

void v2_document::reference(std::string_view field, std::string_view automatic, const v2_reference& ref) {
    if (!v2_keeps(only_, field)) return;
    const std::string_view attr = deref_.attribute(field, automatic);
    std::string_view value;
    if (attr == "id") value = ref.id;
    else if (attr == "name" || attr == "title") value = ref.name;
    else if (attr == "email") value = ref.email;
    doc_[field] = value;  // an attribute the object lacks, or no object: ""
}

v2_reference v2_user(const world& w) {
    // The user's id is stable per email, as a stored user's would be.
    static thread_local std::unordered_map<std::string, std::string> ids;
    auto [it, fresh] = ids.try_emplace(w.options().email);
    if (fresh) it->second = sha1_hex("user/" + w.options().email).substr(0, 32);
    return {it->second, "", w.options().email};
}

std::string v2_catalogue_id(const backend& b, std::string_view kind, std::string_view external_id) {
    return sha1_hex(b.uuid + "/" + std::string(kind) + "/" + std::string(external_id)).substr(0, 32);
}

std::string v2_iso_time(double unix_seconds) {
    // Stored with millisecond precision; isoformat() leaves out a zero fraction.
    const double ms = std::round(unix_seconds * 1000) / 1000;
    std::string text = format_datetime(ms, true);
    if (auto space = text.find(' '); space != std::string::npos) text[space] = 'T';
    if (text.ends_with(".000000")) text.resize(text.size() - 7);
    return text + "Z";
}

namespace {

// Names of a cloud's images, sizes and locations by provider id, built once per catalogue.
struct catalogue_names {
    std::unordered_map<std::string, std::string> images, sizes, locations;
    std::unordered_map<std::string, int> size_ram;
};
const catalogue_names& names_of(const backend& b) {
    static thread_local std::unordered_map<std::string, std::unique_ptr<catalogue_names>> cache;
    auto& slot = cache[b.provider + "|" + b.region];
    if (!slot) {
        slot = std::make_unique<catalogue_names>();
        for (auto& i : images_of(b.provider, b.region)) slot->images[i.id] = i.name;
        for (auto& s : sizes_of(b.provider, b.region)) {
            const std::string id(s.at("id").as_string());
            slot->sizes[id] = s.at("name").as_string();
            slot->size_ram[id] = static_cast<int>(s.at("ram").to_number<double>());
        }
        for (auto& l : locations_of(b.provider, b.region)) slot->locations[std::string(l.at("id").as_string())] = l.at("name").as_string();
    }
    return *slot;
}

std::string_view name_in(const std::unordered_map<std::string, std::string>& names, const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? std::string_view{} : std::string_view(it->second);
}

json::object tags_object(const std::vector<std::pair<std::string, std::string>>& tags) {
    json::object o;
    for (auto& [k, v] : tags) o[k] = v;
    return o;
}

json::object probe_object(world& w, const machine& m) {
    // The server probes a machine itself once it answers SSH (post-deploy, then its
    // poller: what its record last saw); a v1 probe request fills the same fields.
    if (!m.probed && !(w.reachable(m) && w.record_time(m) >= w.first_reachable(m))) return {};
    json::value full = probe_json(w, m, era::v1);
    json::object out = std::move(full.as_object());
    for (auto* part : {"ping", "ssh"})
        if (auto* o = out[part].if_object()) o->emplace("unreachable_since", nullptr);
    return out;
}

}  // namespace

json::object v2_machine_doc(world& w, const machine& m, std::string_view only, const v2_deref& deref) {
    const backend& b = *m.owner;
    // v2 reads the server's stored record, as v1's cached lists do.
    const machine_state shown = w.recorded_state(m);
    const bool addresses = w.record_time(m) >= m.addresses_at;
    static const std::vector<std::string> none;
    const std::string dns = dns_name(m, addresses);
    const catalogue_names& names = names_of(b);

    v2_document d(only, deref);
    d.standard("id", [&] { return json::value(m.mist_id); });
    d.standard("name", [&] { return json::value(m.name); });
    d.standard("hostname", [&] { return json::value(dns); });
    d.standard("state", [&] { return json::value(state_name(shown, era::v2)); });
    d.standard("children", [] { return json::value(0); });
    d.standard("public_ips", [&] { return json::value(string_array(addresses ? m.public_ips : none)); });
    d.standard("private_ips", [&] { return json::value(string_array(addresses ? m.private_ips : none)); });
    d.standard("created", [&] { return json::value(v2_iso_time(m.created_wall)); });
    d.standard("last_seen", [&] { return json::value(v2_iso_time(w.wall(w.record_time(m)))); });
    d.standard("missing_since", [] { return json::value(nullptr); });
    d.standard("unreachable_since", [] { return json::value(nullptr); });
    d.standard("os_type", [] { return json::value("unix"); });
    d.standard("cores", [&] {
        auto ram = names.size_ram.find(m.size_id);
        return json::value(ram != names.size_ram.end() && ram->second >= 4096 ? 2.0 : 1.0);
    });
    d.standard("extra", [&] { return json::value(machine_extra(shown, m, dns, {})); });

    const std::string image_id = v2_catalogue_id(b, "image", m.image_id);
    const std::string size_id = v2_catalogue_id(b, "size", m.size_id);
    const std::string location_id = m.location_id.empty() ? std::string() : v2_catalogue_id(b, "location", m.location_id);
    const v2_reference nothing{};
    const v2_reference user = m.create_request ? v2_user(w) : nothing;
    d.reference("cloud", "name", {b.uuid, b.title, {}});
    d.reference("parent", "name", nothing);
    d.reference("location", "name", m.location_id.empty() ? nothing : v2_reference{location_id, name_in(names.locations, m.location_id), {}});
    d.reference("image", "name", {image_id, name_in(names.images, m.image_id), {}});
    d.reference("size", "name", m.size_id.empty() ? nothing : v2_reference{size_id, name_in(names.sizes, m.size_id), {}});
    d.reference("network", "name", nothing);
    d.reference("subnet", "name", nothing);
    d.reference("owned_by", "email", user);
    d.reference("created_by", "email", user);
    d.reference("cluster", "name", nothing);

    d.added("type", [&] { return json::value(b.provider == "docker" ? "container" : "machine"); });
    d.added("external_id", [&] { return json::value(m.provider_id); });
    d.added("tags", [&] { return json::value(tags_object(m.tags)); });
    d.added("cost", [] { return json::value(json::object{{"hourly", 0.02}, {"monthly", 14.4}}); });
    d.added("monitoring", [] { return json::value(""); });
    d.added("key_associations", [&] {
        json::array out;
        for (auto& k : w.keys())
            if (const key_association* a = k->find(b.uuid, m.provider_id))
                out.push_back(json::object{{"key", k->uuid}, {"machine", m.mist_id}, {"last_used", static_cast<std::int64_t>(a->last_used)},
                                           {"user", a->ssh_user ? json::value(*a->ssh_user) : json::value(nullptr)},
                                           {"port", a->port}, {"sudo", a->sudo}});
        return json::value(std::move(out));
    });
    d.added("probe", [&] { return json::value(probe_object(w, m)); });
    d.added("ports", [] { return json::value(json::object{{"ssh", 22}}); });
    d.added("actions", [&] {
        const machine_actions a = w.actions_in(m, shown);
        return json::value(json::object{{"start", a.start}, {"stop", a.stop}, {"reboot", a.reboot}, {"destroy", a.destroy},
                                        {"resize", a.resize}, {"rename", a.rename}, {"tag", a.tag}, {"suspend", false},
                                        {"resume", false}, {"undefine", false}, {"clone", false}, {"remove", false}});
    });
    d.added("expiration", [&] {
        if (!m.expiration) return json::value(nullptr);
        return json::value(json::object{{"id", m.expiration->id}, {"action", m.expiration->action},
                                        {"date", m.expiration->date}, {"notify", m.expiration->notify}});
    });
    return d.take();
}

}  // namespace mistasync::sim
