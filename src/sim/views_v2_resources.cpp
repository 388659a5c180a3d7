// Clouds, keys, images, sizes, locations and scripts as /api/v2 shows them (each model's
// as_dict_v2 at mist.api dcf483f).
#include "v2_docs.hpp"

#include "views.hpp"

#include <boost/json.hpp>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

json::object tags_of(const std::vector<std::pair<std::string, std::string>>& tags) {
    json::object o;
    for (auto& [k, v] : tags) o[k] = v;
    return o;
}

// Catalogue items are read from the provider, not made by a user: no owner.
void no_owner(v2_document& d) {
    d.reference("owned_by", "email", {});
    d.reference("created_by", "email", {});
}

}  // namespace

json::object v2_cloud_doc(const world& w, const backend& b, std::string_view only, const v2_deref& deref) {
    v2_document d(only, deref);
    d.standard("id", [&] { return json::value(b.uuid); });
    d.standard("name", [&] { return json::value(b.title); });
    d.standard("provider", [&] { return json::value(b.provider); });
    const v2_reference user = v2_user(w);
    d.reference("owned_by", "email", user);
    d.reference("created_by", "email", user);
    d.added("tags", [&] { return json::value(tags_of(b.tags)); });
    d.added("features", [&] {
        return json::value(json::object{{"compute", b.enabled}, {"dns", false}, {"object_storage_enabled", false},
                                        {"observations", true}, {"container", false}, {"polling", 1800}});
    });
    d.added("config", [&] {
        // The provider's own fields, less the secrets (_private_fields).
        json::object config;
        if (b.provider == "ec2" && !b.apikey.empty()) config["apikey"] = b.apikey;
        if (!b.region.empty()) config["region"] = b.region;
        if (!b.tenant_name.empty()) config["tenant_name"] = b.tenant_name;
        for (auto& [k, v] : b.public_fields) config[k] = v;
        return json::value(std::move(config));
    });
    return d.take();
}

json::object v2_key_doc(world& w, const key_record& k, std::string_view only, const v2_deref& deref) {
    v2_document d(only, deref);
    d.standard("id", [&] { return json::value(k.uuid); });
    d.standard("name", [&] { return json::value(k.name); });
    d.standard("default", [&] { return json::value(k.is_default); });
    const v2_reference user = v2_user(w);
    d.reference("owned_by", "email", user);
    d.reference("created_by", "email", user);
    d.added("associations", [&] {
        json::array out;
        for (auto& a : k.machines) {
            backend* b = w.find_backend(a.backend_uuid);
            machine* m = b ? w.find_machine(*b, a.machine_provider_id) : nullptr;
            out.push_back(json::object{{"key", k.uuid}, {"machine", m ? m->mist_id : std::string()},
                                       {"last_used", static_cast<std::int64_t>(a.last_used)},
                                       {"user", a.ssh_user ? json::value(*a.ssh_user) : json::value(nullptr)},
                                       {"port", a.port}, {"sudo", a.sudo}});
        }
        return json::value(std::move(out));
    });
    d.added("tags", [&] { return json::value(tags_of(k.tags)); });
    return d.take();
}

json::object v2_image_doc(const world&, const backend& b, const image_info& i, std::string_view only, const v2_deref& deref) {
    v2_document d(only, deref);
    d.standard("id", [&] { return json::value(v2_catalogue_id(b, "image", i.id)); });
    d.standard("name", [&] { return json::value(i.name); });
    d.standard("external_id", [&] { return json::value(i.id); });
    d.standard("starred", [&] { return json::value(image_starred(b, i)); });
    d.standard("os_type", [] { return json::value("linux"); });
    d.standard("os_distro", [] { return json::value("other"); });
    d.standard("architecture", [] { return json::value(json::array{"x86"}); });
    d.standard("min_disk_size", [] { return json::value(nullptr); });
    d.standard("min_memory_size", [] { return json::value(nullptr); });
    d.standard("extra", [&] { return i.extra.is_object() ? i.extra : json::value(json::object{}); });
    d.standard("locations", [] { return json::value(json::array{}); });
    d.reference("cloud", "name", {b.uuid, b.title, {}});
    no_owner(d);
    d.added("tags", [] { return json::value(json::object{}); });
    return d.take();
}

json::object v2_size_doc(const world&, const backend& b, const json::object& s, std::string_view only, const v2_deref& deref) {
    v2_document d(only, deref);
    const std::string external(s.at("id").as_string());
    const double ram = s.at("ram").to_number<double>();
    d.standard("id", [&] { return json::value(v2_catalogue_id(b, "size", external)); });
    d.standard("name", [&] { return s.at("name"); });
    d.standard("external_id", [&] { return json::value(external); });
    d.standard("cpus", [&] { return json::value(ram >= 4096 ? 2 : 1); });
    d.standard("ram", [&] { return json::value(static_cast<std::int64_t>(ram)); });
    d.standard("bandwidth", [&] { return s.at("bandwidth"); });
    d.standard("disk", [&] { return s.at("disk"); });
    d.standard("architecture", [] { return json::value("x86"); });
    d.standard("extra", [&] { return json::value(json::object{{"price", s.at("price")}}); });
    d.standard("last_seen", [] { return json::value(nullptr); });
    d.standard("created", [] { return json::value(nullptr); });
    d.reference("cloud", "name", {b.uuid, b.title, {}});
    d.standard("allowed_images", [] { return json::value(json::object{}); });
    no_owner(d);
    return d.take();
}

json::object v2_location_doc(const world&, const backend& b, const json::object& l, std::string_view only, const v2_deref& deref) {
    v2_document d(only, deref);
    const std::string external(l.at("id").as_string());
    d.standard("id", [&] { return json::value(v2_catalogue_id(b, "location", external)); });
    d.standard("name", [&] { return l.at("name"); });
    d.standard("external_id", [&] { return json::value(external); });
    d.standard("country", [&] { return l.at("country"); });
    d.standard("extra", [] { return json::value(json::object{}); });
    d.standard("last_seen", [] { return json::value("None"); });  // str() of a missing datetime
    d.standard("location_type", [] { return json::value("zone"); });
    d.standard("created", [] { return json::value("None"); });
    d.standard("images_location", [] { return json::value(""); });
    d.reference("cloud", "name", {b.uuid, b.title, {}});
    no_owner(d);
    d.standard("available_sizes", [] { return json::value(json::object{}); });
    d.standard("available_images", [] { return json::value(json::object{}); });
    d.reference("parent", "id", {});
    return d.take();
}

json::object v2_script_doc(const world& w, const script_record& s, std::string_view only, const v2_deref& deref) {
    v2_document d(only, deref);
    d.standard("id", [&] { return json::value(s.id); });
    d.standard("name", [&] { return json::value(s.name); });
    d.standard("description", [&] { return json::value(s.description); });
    d.standard("exec_type", [&] { return json::value(s.exec_type); });
    const v2_reference user = v2_user(w);
    d.reference("owned_by", "email", user);
    d.reference("created_by", "email", user);
    d.added("location", [&] {
        json::object location{{"type", s.location_type}};
        if (s.location_type == "inline") location["source_code"] = s.source;
        else if (s.location_type == "url") location["url"] = s.source;
        else location["repo"] = s.source, location["entrypoint"] = s.entrypoint;
        return json::value(std::move(location));
    });
    d.added("tags", [&] { return json::value(tags_of(s.tags)); });
    return d.take();
}

}  // namespace mistasync::sim
