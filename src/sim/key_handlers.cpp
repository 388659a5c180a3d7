// SSH keys: list, add, generate, rename, set default, delete, private/public parts, and
// association with machines (positional 6-tuples).
#include "handlers.hpp"
#include "crypto.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace mistasync::sim::handlers {
namespace json = boost::json;
namespace {

struct association_target {
    backend* b = nullptr;
    machine* m = nullptr;
};

int port_of(request_context& ctx) {
    const auto& p = ctx.params();
    auto it = p.find("port");
    if (it == p.end() || it->value().is_null()) return 22;
    const json::value& v = it->value();
    if (v.is_int64() && v.get_int64() > 0 && v.get_int64() < 65536) return static_cast<int>(v.get_int64());
    if (v.is_string() && !v.get_string().empty() && v.get_string().size() < 6 &&
        std::all_of(v.get_string().begin(), v.get_string().end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::atoi(v.get_string().c_str());
    throw bad_request("Invalid port type: " + json::serialize(v));
}

sim_response associate_v1(request_context& ctx, machine* m, const std::string& machine_id, const std::string& key_id) {
    if (!m || ctx.w.state_of(*m) == machine_state::terminated)
        throw not_found("Machine " + machine_id + " doesn't exist");
    key_record& k = key_or_404(ctx, key_id);
    int port = port_of(ctx);
    ctx.w.associate(k, *m->owner, *m, ctx.text("user"), port, 0);
    return json_response(associations_json(k, era::v1));
}

sim_response disassociate_v1(request_context& ctx, machine* m, const std::string& machine_id, const std::string& key_id) {
    if (!m) throw not_found("Machine " + machine_id + " doesn't exist");
    key_record& k = key_or_404(ctx, key_id);
    if (!ctx.w.disassociate(k, *m->owner, *m))
        throw bad_request("Key '" + key_id + "' is not associated with machine '" + machine_id + "'");
    return json_response(associations_json(k, era::v1));
}

}  // namespace

key_record& key_or_404(request_context& ctx, const std::string& id, std::string_view v1_message) {
    if (ctx.e == era::legacy) {
        if (key_record* k = ctx.w.find_key_by_name(id)) return *k;
        throw keyerror_error(404, "Keypair not found", id);
    }
    if (key_record* k = ctx.w.find_key_by_uuid(id)) return *k;
    throw not_found(v1_message);
}

sim_response list_keys(request_context& ctx) { return json_response(keys_json(ctx.w, ctx.e)); }

sim_response add_key(request_context& ctx) {
    std::optional<std::string> name = ctx.text(ctx.e == era::legacy ? "id" : "name");
    if (!name) {
        if (ctx.e == era::legacy) throw api_error{400, "Keypair id parameter missing: "};
        throw bad_request("Key name is not provided");
    }
    auto priv = ctx.text("priv");
    if (!priv) throw required_parameter("Private key is not provided");
    if (ctx.w.find_key_by_name(*name)) {
        if (ctx.e == era::legacy) throw conflict("Keypair exists", *name);
        throw conflict("Key name exists");
    }
    auto pub = rsa_public_from_private(*priv);
    if (!pub) throw mist_error(400, "Invalid private key");
    key_record& k = ctx.w.add_key(*name, *priv, *pub);
    if (ctx.e == era::legacy)
        return json_response(json::object{{"id", k.name}, {"machines", json::array{}}, {"isDefault", k.is_default}});
    return json_response(json::object{{"id", k.uuid}, {"name", k.name}, {"machines", json::array{}},
                                      {"isDefault", k.is_default}});
}

sim_response generate_key(request_context& ctx) {
    rsa_key_pair pair = generate_rsa_key();
    if (ctx.e == era::legacy) return json_response(json::object{{"priv", pair.private_pem}});
    return json_response(json::object{{"priv", pair.private_pem}, {"public", pair.public_ssh}});
}

sim_response delete_keys(request_context& ctx) {
    const auto& p = ctx.params();
    auto it = p.find("key_ids");
    if (it == p.end() || !it->value().is_array()) throw required_parameter("key_ids");
    const auto& ids = it->value().get_array();
    if (ids.empty()) throw bad_request("No key ids provided");
    for (auto& v : ids)
        if (!v.is_string()) throw bad_request("key_ids must be a list of strings");
    json::object report = delete_each(ids, [&](const std::string& id) {
        key_record* k = ctx.w.find_key_by_uuid(id);
        if (k) ctx.w.remove_key(*k);
        return k != nullptr;
    });
    if (!deleted_any(report)) throw not_found("No key was deleted");
    return json_response(report);
}

sim_response rename_key(request_context& ctx) {
    // v1 (keys/views.py edit_key) checks new_name before it looks the key up.
    if (ctx.e == era::v1) (void)ctx.required_text("new_name");
    key_record& k = key_or_404(ctx, ctx.args[0], "Key with that id does not exist");
    if (ctx.e == era::legacy) {
        std::string new_id = ctx.required_text("new_id");
        if (new_id != k.name) {
            // The 2015 server silently overwrites a key that already has the new id.
            if (key_record* other = ctx.w.find_key_by_name(new_id)) {
                bool was_default = other->is_default;
                ctx.w.remove_key(*other);
                if (was_default) ctx.w.set_default_key(k);
            }
            k.name = new_id;
        }
        return json_response(json::object{{"new_id", new_id}});
    }
    std::string new_name = ctx.required_text("new_name");
    if (key_record* other = ctx.w.find_key_by_name(new_name); other && other != &k) throw conflict("Key name exists");
    k.name = new_name;
    return json_response(json::object{{"new_name", new_name}});
}

sim_response set_default_key(request_context& ctx) {
    ctx.w.set_default_key(key_or_404(ctx, ctx.args[0]));
    return ok_text();
}

sim_response delete_key(request_context& ctx) {
    ctx.w.remove_key(key_or_404(ctx, ctx.args[0]));
    return json_response(keys_json(ctx.w, ctx.e));
}

sim_response private_key(request_context& ctx) {
    return json_response(json::value(key_or_404(ctx, ctx.args[0]).private_pem));
}

sim_response public_key(request_context& ctx) {
    return json_response(json::value(key_or_404(ctx, ctx.args[0]).public_ssh));
}

sim_response associate_key(request_context& ctx) {
    if (ctx.e == era::v1) {
        backend* b = ctx.w.find_backend(ctx.args[0]);
        return associate_v1(ctx, b ? ctx.w.find_machine(*b, ctx.args[1]) : nullptr, ctx.args[1], ctx.args[2]);
    }
    backend& b = backend_or_404(ctx, ctx.args[0]);
    key_record& k = key_or_404(ctx, ctx.args[2]);
    std::string host = ctx.required_text("host");
    int port = port_of(ctx);
    // 2015 deploys the key over SSH: the machine must answer.
    machine* m = ctx.w.find_machine(b, ctx.args[1]);
    if (!m || !ctx.w.reachable(*m))
        throw mist_error(401, "Couldn't authenticate to machine", "Couldn't connect to deploy new SSH keypair.");
    ctx.w.associate(k, b, *m, ctx.text("user"), port, ctx.w.wall_now());
    return json_response(associations_json(k, era::legacy));
}

sim_response disassociate_key(request_context& ctx) {
    if (ctx.e == era::v1) {
        backend* b = ctx.w.find_backend(ctx.args[0]);
        return disassociate_v1(ctx, b ? ctx.w.find_machine(*b, ctx.args[1]) : nullptr, ctx.args[1], ctx.args[2]);
    }
    backend& b = backend_or_404(ctx, ctx.args[0]);
    key_record& k = key_or_404(ctx, ctx.args[2]);
    machine* m = ctx.w.find_machine(b, ctx.args[1]);
    if (!m || !ctx.w.disassociate(k, b, *m))
        throw bad_request("Keypair '" + ctx.args[2] + "' is not associated with machine '" + ctx.args[1] + "'");
    return json_response(associations_json(k, era::legacy));
}

sim_response associate_key_by_uuid(request_context& ctx) {
    return associate_v1(ctx, ctx.w.find_machine_by_mist_id(ctx.args[0]), ctx.args[0], ctx.args[1]);
}

sim_response disassociate_key_by_uuid(request_context& ctx) {
    return disassociate_v1(ctx, ctx.w.find_machine_by_mist_id(ctx.args[0]), ctx.args[0], ctx.args[1]);
}

}  // namespace mistasync::sim::handlers
