// Request bodies and queries of /api/v2 (mist-api-v2 de29606, openapi.yaml request
// schemas): what differs from v1 is here; what v2 shares with v1 stays in encode.cpp.
#include "codec/encode.hpp"

#include "codec/op_failure.hpp"
#include "codec/request_path.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;

namespace {

// The v1 provider fields v2's create does not read: v2 takes provider specifics in
// `extra` or its own fields, so sending them would be silently ignored.
void refuse_v1_fields(const machine_spec& spec) {
    const std::pair<bool, const char*> v1_only[] = {
        {!spec.image_extra.empty(), "image_extra"}, {spec.disk.has_value(), "disk"}, {!spec.image_name.empty(), "image_name"},
        {!spec.size_name.empty(), "size_name"}, {!spec.location_name.empty(), "location_name"}, {!spec.ips.empty(), "ips"},
        {!spec.networks.empty(), "networks"}, {spec.associate_floating_ip, "associate_floating_ip"},
        {!spec.attach_floating_ip_subnet.empty(), "attach_floating_ip_subnet"}, {!spec.subnet_id.empty(), "subnet_id"},
        {!spec.docker_command.empty(), "docker_command"}, {!spec.docker_env.empty(), "docker_env"}, {!spec.plugins.empty(), "plugins"},
        {!spec.post_script_id.empty(), "post_script_id"}, {spec.persist, "persist"}};
    for (auto [set, field] : v1_only)
        if (set) refuse_argument(std::string("machine_spec::") + field + " is read by v1 servers only; on /api/v2 give it in machine_spec::extra");
}

}  // namespace

std::string create_body_v2(const std::string& backend_id, const machine_spec& spec, int quantity, bool dry) {
    refuse_v1_fields(spec);
    if (!spec.script.empty() && !spec.script_id.empty()) refuse_argument("machine_spec::script and script_id: v2 runs one post-deploy script, give one");
    if (!spec.expiration_date.empty() && spec.expiration_action != "stop" && spec.expiration_action != "destroy")
        refuse_argument("machine_spec::expiration_action must be \"stop\" or \"destroy\"");
    json::object body{{"name", spec.name}, {"image", spec.image}};
    if (!backend_id.empty()) body["cloud"] = backend_id;
    if (spec.cpus > 0 || spec.memory_mb > 0) {
        if (!spec.size.empty()) refuse_argument("machine_spec: give size or cpus/memory_mb, not both");
        json::object size;
        if (spec.cpus > 0) size["cpu"] = spec.cpus;
        if (spec.memory_mb > 0) size["memory"] = spec.memory_mb;
        body["size"] = std::move(size);
    } else if (!spec.size.empty()) {
        body["size"] = spec.size;
    }
    if (!spec.location.empty()) body["location"] = spec.location;
    if (!spec.key.empty()) body["key"] = spec.key;
    if (spec.monitoring) body["monitoring"] = true;
    if (!spec.cloud_init.empty()) body["cloudinit"] = spec.cloud_init;
    if (!spec.hostname.empty()) body["fqdn"] = spec.hostname;
    if (!spec.provider.empty()) body["provider"] = spec.provider;
    if (!spec.tags.empty()) {
        json::object tags;
        for (auto& [k, v] : spec.tags) tags[k] = v;
        body["tags"] = std::move(tags);
    }
    if (!spec.script.empty())
        body["scripts"] = json::array{json::object{{"script_type", "inline"}, {"command", spec.script}}};
    else if (!spec.script_id.empty())
        body["scripts"] = json::array{json::object{{"script_type", "existing"}, {"script", spec.script_id}, {"params", spec.script_params}}};
    if (!spec.expiration_date.empty())
        body["expiration"] = json::object{{"date", spec.expiration_date}, {"action", spec.expiration_action}};
    if (quantity > 1) body["quantity"] = quantity;
    if (dry) body["dry"] = true;
    if (!spec.extra.empty()) merge_extra(body, spec.extra, {"quantity", "dry", "cloud"});
    return json::serialize(body);
}

std::string tag_operation_body(std::string_view operation, std::string_view resource_type, const std::string& resource_id,
                               const tag_list& tags) {
    json::array t;
    for (auto& [k, v] : tags) t.push_back(json::object{{"key", k}, {"value", v}});
    json::object op{{"operation", operation},
                    {"tags", std::move(t)},
                    {"resources", json::array{json::object{{"resource_type", resource_type}, {"resource_id", resource_id}}}}};
    return json::serialize(json::object{{"operations", json::array{std::move(op)}}});
}

std::string association_body_v2(const std::string& key_id, const association_options& o) {
    json::object body{{"key", key_id}, {"port", o.port}};
    if (!o.user.empty()) body["user"] = o.user;
    return json::serialize(body);
}

std::string backend_body_v2(const backend_spec& spec) {
    json::object credentials;
    for (auto& [k, v] : spec.fields) credentials[k] = v;
    return json::serialize(json::object{{"name", spec.title}, {"provider", spec.provider}, {"credentials", std::move(credentials)}});
}

std::string run_script_body_v2(const std::string& machine_uuid, const script_run_options& o) {
    json::object body{{"machine", machine_uuid}, {"params", o.params}, {"su", o.su ? "true" : "false"}};
    if (!o.env.empty()) {
        json::object env;
        for (auto& [k, v] : o.env) env[k] = v;
        body["env"] = json::serialize(env);  // the spec types env as a string
    }
    return json::serialize(body);
}

std::string query_value(std::string_view name, std::string_view value) {
    return std::string(name) + "=" + encode_segment(value);
}

std::string with_query(std::string path, std::string_view more) {
    if (more.empty()) return path;
    path += path.find('?') == std::string::npos ? '?' : '&';
    path += more;
    return path;
}

}  // namespace mistasync::detail
