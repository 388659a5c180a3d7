#include "encode.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;

std::string backend_body(const backend_spec& spec) {
    json::object body{{"title", spec.title}, {"provider", spec.provider}};
    for (auto& [k, v] : spec.fields) body[k] = v;
    return json::serialize(body);
}

std::string backend_rename_body(const std::string& new_name) { return json::serialize(json::object{{"new_name", new_name}}); }

std::string backend_toggle_body(const std::string& new_state) { return json::serialize(json::object{{"new_state", new_state}}); }

std::string image_search_body(const std::string& search) {
    return search.empty() ? std::string() : json::serialize(json::object{{"search_term", search}});
}

std::string create_body(const machine_spec& spec, int quantity) {
    json::object body{{"name", spec.name}, {"image", spec.image}, {"size", spec.size}};
    if (!spec.location.empty()) body["location"] = spec.location;
    if (!spec.key.empty()) body["key"] = spec.key;
    if (!spec.script.empty()) body["script"] = spec.script;
    if (spec.monitoring) body["monitoring"] = true;
    if (!spec.tags.empty()) {
        json::object tags;
        for (auto& [k, v] : spec.tags) tags[k] = v;
        body["tags"] = std::move(tags);
    }
    if (quantity > 0) {
        body["async"] = true;
        body["quantity"] = quantity;
    }
    return json::serialize(body);
}

std::string action_body(const std::string& action, const std::string& argument) {
    json::object body{{"action", action}};
    if (action == "rename") body["name"] = argument;
    if (action == "resize") body["plan_id"] = argument;
    return json::serialize(body);
}

std::string tags_body(api_era era, const tag_list& tags) {
    if (era == api_era::v1) {
        json::object t;
        for (auto& [k, v] : tags) t[k] = v;
        return json::serialize(json::object{{"tags", std::move(t)}});
    }
    json::array t;
    for (auto& [k, v] : tags) t.push_back(json::object{{k, v}});
    return json::serialize(json::object{{"tags", std::move(t)}});
}

std::string remove_tag_body(const std::string& tag) { return json::serialize(json::object{{"tag_key", tag}}); }

std::string probe_body(const std::string& host, const probe_options& o) {
    json::object body{{"host", host}};
    if (!o.key.empty()) body["key"] = o.key;
    if (!o.ssh_user.empty()) body["ssh_user"] = o.ssh_user;
    return json::serialize(body);
}

std::string association_body(const std::string& host, const association_options& o) {
    json::object body{{"host", host}, {"port", o.port}};
    if (!o.user.empty()) body["user"] = o.user;
    return json::serialize(body);
}

std::string add_key_body(api_era era, const std::string& name, const std::string& private_key) {
    return json::serialize(json::object{{era == api_era::v1 ? "name" : "id", name}, {"priv", private_key}});
}

std::string rename_key_body(api_era era, const std::string& new_name) {
    return json::serialize(json::object{{era == api_era::v1 ? "new_name" : "new_id", new_name}});
}

std::string credentials_body(const std::string& email, const std::string& password, const std::string& token_name) {
    json::object body{{"email", email}, {"password", password}};
    if (!token_name.empty()) body["name"] = token_name;
    return json::serialize(body);
}

}  // namespace mistasync::detail
