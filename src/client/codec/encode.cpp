#include "codec/encode.hpp"

#include "codec/op_failure.hpp"

#include <mistasync/provision.hpp>

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

namespace {

json::array string_list(const std::vector<std::string>& items) {
    json::array out;
    for (auto& i : items) out.emplace_back(i);
    return out;
}

// Linode's image_extra is the image's `extra` object ({"64bit": 1, "pvops": 1}); GCE's and
// vSphere's a plain string.
json::value image_extra_value(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (!ec && v.is_object()) return v;
    return json::string(text);
}

}  // namespace

void merge_extra(json::object& body, const std::string& extra, std::initializer_list<std::string_view> operation_keys) {
    boost::system::error_code ec;
    json::value v = json::parse(extra, ec);
    if (ec || !v.is_object()) refuse_argument("machine_spec::extra must be a JSON object text");
    for (auto& [key, value] : v.get_object()) {
        for (std::string_view owned : operation_keys)
            if (key == owned) refuse_argument("machine_spec::extra sets \"" + std::string(key) + "\", which the operation sets itself");
        if (body.contains(key))
            refuse_argument("machine_spec::extra sets \"" + std::string(key) + "\", which the spec sets too; set it in one place");
        body[key] = value;
    }
}

std::string create_body(api_era era, const machine_spec& spec, int quantity, const std::string& job_id) {
    if (era == api_era::v2) return create_body_v2({}, spec, quantity, false);
    if (spec.cpus > 0 || spec.memory_mb > 0 || !spec.expiration_date.empty())
        refuse_argument("machine_spec::cpus, memory_mb and expiration_* are read by /api/v2 servers only");
    if (era == api_era::legacy) {
        for (auto [set, field] : {std::pair{!spec.tags.empty(), "tags"}, {!spec.cloud_init.empty(), "cloud_init"},
                                  {!spec.subnet_id.empty(), "subnet_id"}})
            if (set) refuse_argument(std::string("machine_spec::") + field + " is read only by v1 servers; this one is 2015 era");
    }
    if (spec.persist && quantity == 0) refuse_argument("machine_spec::persist applies to asynchronous creates (create_machines) only");
    json::object body{{"name", spec.name}, {"image", spec.image}, {"size", spec.size}};
    auto text = [&](const char* key, const std::string& value) {
        if (!value.empty()) body[key] = value;
    };
    auto list = [&](const char* key, const std::vector<std::string>& values) {
        if (!values.empty()) body[key] = string_list(values);
    };
    auto flag = [&](const char* key, bool value) {
        if (value) body[key] = true;
    };
    text("location", spec.location);
    text("key", spec.key);
    text("script", spec.script);
    flag("monitoring", spec.monitoring);
    if (!spec.tags.empty()) {
        json::object tags;
        for (auto& [k, v] : spec.tags) tags[k] = v;
        body["tags"] = std::move(tags);
    }
    if (!spec.image_extra.empty()) body["image_extra"] = image_extra_value(spec.image_extra);
    if (spec.disk) body["disk"] = *spec.disk;
    text("image_name", spec.image_name);
    text("size_name", spec.size_name);
    text("location_name", spec.location_name);
    list("ips", spec.ips);
    list("networks", spec.networks);
    flag("associate_floating_ip", spec.associate_floating_ip);
    text("attach_floating_ip_subnet", spec.attach_floating_ip_subnet);
    text("subnet_id", spec.subnet_id);
    text("cloud_init", spec.cloud_init);
    text("docker_command", spec.docker_command);
    list("docker_env", spec.docker_env);
    text("hostname", spec.hostname);
    list("plugins", spec.plugins);
    text("provider", spec.provider);
    text("script_id", spec.script_id);
    text("script_params", spec.script_params);
    text("post_script_id", spec.post_script_id);
    text("post_script_params", spec.post_script_params);
    flag("persist", spec.persist);
    if (!spec.extra.empty()) merge_extra(body, spec.extra, {"async", "quantity", "job_id"});
    if (quantity > 0) {
        body["async"] = true;
        body["quantity"] = quantity;
    }
    if (era == api_era::v1 && !job_id.empty()) body["job_id"] = job_id;
    return json::serialize(body);
}

}  // namespace mistasync::detail

namespace mistasync {

std::string machine_spec_problem(const machine_spec& spec, api_era era) {
    try {
        (void)detail::create_body(era == api_era::automatic ? api_era::v1 : era, spec, 0, {});
        return {};
    } catch (const detail::op_failure& f) {
        return f.details.client_message;
    }
}

}  // namespace mistasync

namespace mistasync::detail {

std::string add_script_body(const script_spec& spec) {
    json::object body{{"name", spec.name}, {"script", spec.script}, {"location_type", spec.location_type}, {"exec_type", spec.exec_type}};
    if (!spec.description.empty()) body["description"] = spec.description;
    if (!spec.entrypoint.empty()) body["entrypoint"] = spec.entrypoint;
    return json::serialize(body);
}

namespace {
json::object subnet_fields(const subnet_spec& spec) {
    if (spec.cidr.empty()) refuse_argument("subnet_spec::cidr is required");
    json::object o{{"cidr", spec.cidr}};
    if (!spec.name.empty()) o["name"] = spec.name;
    if (!spec.availability_zone.empty()) o["availability_zone"] = spec.availability_zone;
    return o;
}
}  // namespace

std::string network_body(const network_spec& spec) {
    // The server reads only the fields it knows for the provider: empty ones stay out.
    json::object network;
    if (!spec.name.empty()) network["name"] = spec.name;
    if (!spec.cidr.empty()) network["cidr"] = spec.cidr;
    if (!spec.description.empty()) network["description"] = spec.description;
    if (network.empty()) refuse_argument("network_spec needs a name or a cidr");
    json::object body{{"network", std::move(network)}};
    if (spec.subnet) body["subnet"] = subnet_fields(*spec.subnet);
    return json::serialize(body);
}

std::string subnet_body(const subnet_spec& spec) { return json::serialize(subnet_fields(spec)); }

std::string run_script_body(api_era era, const std::string& backend_id, const std::string& machine_id, const script_run_options& o) {
    if (era == api_era::legacy) {
        if (o.su) refuse_argument("script_run_options::su is read only by v1 servers; this one is 2015 era");
        if (!o.env.empty()) refuse_argument("script_run_options::env is read only by v1 servers; this one is 2015 era");
        return json::serialize(json::object{{"backend_id", backend_id}, {"machine_id", machine_id}, {"params", o.params}});
    }
    json::object body{{"cloud_id", backend_id}, {"external_id", machine_id}, {"params", o.params}, {"su", o.su}};
    if (!o.env.empty()) {  // the server exports each "NAME=value" line before the script
        std::string env;
        for (auto& [k, v] : o.env) {
            if (k.empty() || k.find_first_of("=\n \t") != std::string::npos || v.find('\n') != std::string::npos)
                refuse_argument("script_run_options::env: a name must be non-empty without '=', spaces or newlines, a value without newlines");
            env += (env.empty() ? "" : "\n") + k + "=" + v;
        }
        body["env"] = env;
    }
    return json::serialize(body);
}

std::string action_body(const std::string& action, const std::string& argument) {
    json::object body{{"action", action}};
    if (action == "rename") body["name"] = argument;
    // mist.api reads `size` (dcf483f) where earlier servers read `plan_id`: both go.
    if (action == "resize") {
        body["size"] = argument;
        body["plan_id"] = argument;
    }
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

std::string credentials_body(const std::string& email, const std::string& password, const std::string& token_name,
                             const std::string& organization) {
    json::object body{{"email", email}, {"password", password}};
    if (!token_name.empty()) body["name"] = token_name;
    if (!organization.empty()) body["org_id"] = organization;
    return json::serialize(body);
}

}  // namespace mistasync::detail
