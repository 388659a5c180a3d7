// Providers and backends (clouds): list, add, rename, enable/disable, delete, update.
#include "handlers.hpp"
#include "crypto.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <array>

namespace mistasync::sim::handlers {
namespace json = boost::json;
namespace {

// The v1 API stores fields under new names and accepts both spellings (contract §3.3).
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> v1_aliases{{
    {"api_key", "apikey"}, {"api_secret", "apisecret"}, {"docker_host", "host"}, {"docker_port", "port"},
    {"auth_url", "url"}, {"tenant_name", "tenant"}, {"machine_ip", "host"}, {"machine_key", "ssh_key"},
    {"machine_user", "ssh_user"}, {"machine_port", "ssh_port"},
}};

std::optional<std::string> field(request_context& ctx, std::string_view name) {
    if (auto v = ctx.text(name)) return v;
    if (ctx.e == era::v1)
        for (auto& [old_name, new_name] : v1_aliases)
            if (old_name == name)
                if (auto v = ctx.text(new_name)) return v;
    return std::nullopt;
}

// Credentials the simulated provider rejects, so clients can see the 401 path.
bool rejected_by_provider(request_context& ctx) {
    for (auto name : {"api_key", "apikey", "api_secret", "apisecret", "password", "token", "private_key",
                      "certificate"})
        if (auto v = ctx.text(name); v && *v == "invalid") return true;
    return false;
}

// Creates the one machine a bare-metal backend stands for: the server itself.
void add_bare_metal_server(request_context& ctx, backend& b, key_record& key, const std::string& host,
                           std::optional<std::string> user, int port) {
    machine_spec spec;
    spec.name = b.title.empty() ? host : b.title;
    spec.provider_id = host;
    spec.already_running = true;
    machine& m = ctx.w.create_machine(b, spec, "");
    m.public_ips = {host};
    m.private_ips.clear();
    ctx.w.associate(key, b, m, user.value_or("root"), port, 0);
}

struct parsed_backend {
    backend record;
    std::string primary;  // the credential that makes the 2015 id
    std::optional<std::string> bare_metal_key;
    std::string bare_metal_host;
    std::optional<std::string> bare_metal_user;
    int bare_metal_port = 22;
};

// Api-Version 1 (2015 only): flat legacy names, provider is a full libcloud constant.
parsed_backend parse_v1_fields(request_context& ctx, const std::string& provider) {
    parsed_backend out;
    backend& b = out.record;
    std::string family = provider, region;
    if (provider.starts_with("ec2_")) family = "ec2", region = provider;
    else if (auto colon = provider.find(':'); colon != std::string::npos)
        family = provider.substr(0, colon), region = provider.starts_with("rackspace_first_gen") ? provider
                                                                                              : provider.substr(colon + 1);
    if (!find_provider(family) || (family == "ec2" && !find_region("ec2", region)))
        throw bad_request("Provider unknown.");
    b.provider = family;
    b.legacy_provider = family == "ec2" ? region : family;
    b.region = family == "ec2" ? "" : region;
    if (family == "ec2") b.region = region;
    if (family == "bare_metal" || family == "coreos") {
        out.bare_metal_host = ctx.required_text("machine_ip");
        out.bare_metal_key = ctx.required_text("machine_key");
        out.bare_metal_user = ctx.text("machine_user");
        out.primary = out.bare_metal_host;
    } else if (family == "docker" || family == "libvirt") {
        out.primary = ctx.required_text("apiurl");
        if (family == "docker") b.public_fields.emplace_back("docker_port", ctx.text("docker_port").value_or("4243"));
    } else {
        out.primary = ctx.required_text("apikey");
        b.apikey = out.primary;
    }
    b.tenant_name = ctx.text("tenant_name").value_or("");
    return out;
}

// Api-Version 2 (what both clients send) and every v1-era add.
parsed_backend parse_v2_fields(request_context& ctx, const std::string& provider) {
    parsed_backend out;
    backend& b = out.record;
    const provider_info* info = find_provider(provider);
    if (!info || provider == "rackspace_first_gen") {
        if (ctx.e == era::legacy) throw bad_request("Provider unknown.");
        throw bad_request("Invalid provider '" + provider + "'.");
    }
    std::map<std::string, std::string, std::less<>> values;
    for (auto name : info->required) {
        auto v = field(ctx, name);
        if (!v) throw required_parameter(name);
        values.emplace(std::string(name), *v);
    }
    b.provider = info->id;
    b.legacy_provider = b.provider;
    if (auto it = values.find("region"); it != values.end()) {
        const region_info* r = find_region(b.provider, it->second);
        if (!r) throw bad_request("Invalid region '" + it->second + "'");
        b.region = std::string(r->legacy_id);
        if (b.provider == "ec2") b.legacy_provider = b.region;
        if (b.region.starts_with("rackspace_first_gen")) b.legacy_provider = "rackspace_first_gen";
    }
    auto value = [&](std::string_view k) { auto it = values.find(k); return it == values.end() ? std::string() : it->second; };
    if (values.count("api_key")) b.apikey = value("api_key");
    else if (values.count("username")) b.apikey = value("username");
    out.primary = b.apikey;
    if (b.provider == "docker") {
        std::string host = value("docker_host");
        std::string port = field(ctx, "docker_port").value_or("4243");
        out.primary = host + ":" + port;
        if (ctx.e == era::legacy) b.public_fields.emplace_back("docker_port", port);
        else b.public_fields = {{"host", host}, {"port", port}};
    } else if (b.provider == "openstack" || b.provider == "hpcloud") {
        b.tenant_name = value("tenant_name");
        out.primary += value("auth_url") + b.tenant_name;
    } else if (b.provider == "digitalocean") {
        out.primary = value("token");
    } else if (b.provider == "gce") {
        out.primary = value("project_id");
        b.apikey = ctx.text("email").value_or("");
    } else if (b.provider == "azure") {
        out.primary = value("subscription_id");
    } else if (b.provider == "libvirt") {
        out.primary = value("machine_hostname");
        if (ctx.e == era::v1) b.public_fields = {{"host", out.primary}};
    } else if (b.provider == "vcloud" || b.provider == "indonesian_vcloud" || b.provider == "vsphere") {
        out.primary += value("host");
        if (ctx.e == era::v1) b.public_fields = {{"host", value("host")}};
    } else if (b.provider == "bare_metal" || b.provider == "coreos") {
        out.bare_metal_host = value("machine_ip");
        out.bare_metal_key = value("machine_key");
        out.bare_metal_user = field(ctx, "machine_user");
        if (auto port = field(ctx, "machine_port")) out.bare_metal_port = std::atoi(port->c_str());
        if (out.bare_metal_port <= 0) out.bare_metal_port = 22;
        out.primary = out.bare_metal_host;
        if (ctx.e == era::v1) b.public_fields = {{"host", out.bare_metal_host}};
    }
    return out;
}

}  // namespace

backend& backend_or_404(request_context& ctx, const std::string& id, bool with_detail) {
    backend* b = ctx.w.find_backend(id);
    if (b) return *b;
    if (ctx.e == era::v1) throw not_found("Cloud does not exist");
    throw keyerror_error(404, "Backend not found", with_detail ? id : "");
}

void call_provider(request_context& ctx, const backend& b) {
    switch (ctx.w.fault_of(b)) {
    case backend_fault::none: return;
    case backend_fault::unavailable:
        throw mist_error(503, ctx.e == era::v1 ? "Cloud unavailable" : "Backend unavailable");
    case backend_fault::bad_credentials:
        // v1 carries libcloud's InvalidCredsError text (its repr); 2015 the class message only.
        if (ctx.e == era::v1) throw mist_error(401, "Unauthorized cloud credentials", "'Invalid credentials'");
        throw mist_error(401, "Invalid backend credentials");
    }
}

sim_response providers(request_context& ctx) {
    if (ctx.req.api_version == "2") return json_response(providers_v2(ctx.e == era::v1));
    return json_response(providers_v1());
}

sim_response list_backends(request_context& ctx) { return json_response(backends_json(ctx.w, ctx.e)); }

sim_response add_backend(request_context& ctx) {
    std::string title;
    // v1 (clouds/views.py add_cloud) reads `name`, else `title`, as the Python client of
    // 2022 and mist.io's own tests send `name`.
    if (ctx.e == era::v1) title = ctx.text("name").value_or(ctx.text("title").value_or(""));
    else title = ctx.text("title").value_or("");
    if (ctx.e == era::v1 && title.empty()) throw required_parameter("title");
    std::string provider = ctx.required_text("provider");
    bool v2 = ctx.e == era::v1 || ctx.req.api_version == "2";
    parsed_backend parsed = v2 ? parse_v2_fields(ctx, provider) : parse_v1_fields(ctx, provider);
    backend& b = parsed.record;
    b.title = title;

    key_record* bare_metal_key = nullptr;
    if (parsed.bare_metal_key) {
        bare_metal_key = ctx.e == era::legacy ? ctx.w.find_key_by_name(*parsed.bare_metal_key)
                                              : ctx.w.find_key_by_uuid(*parsed.bare_metal_key);
        if (!bare_metal_key) {
            if (ctx.e == era::legacy) throw keyerror_error(404, "Keypair not found", *parsed.bare_metal_key);
            throw keyerror_error(404, "Key not found", *parsed.bare_metal_key);
        }
    }
    if (rejected_by_provider(ctx)) {
        if (ctx.e == era::legacy) throw mist_error(401, "Invalid backend credentials");
        throw mist_error(401, "Invalid cloud credentials");
    }
    b.legacy_id = base58(sha1_bytes(b.legacy_provider + b.region + parsed.primary));
    if (ctx.e == era::legacy) {
        if (ctx.w.find_backend(b.legacy_id)) throw conflict("Backend exists", b.legacy_id);
        if (!title.empty() && ctx.w.find_backend_by_title(title)) throw conflict("Backend name exists", title);
    } else {
        if (ctx.w.find_backend_by_title(title)) throw conflict("Cloud with this name already exists");
        // Same credentials under another name: keep the 2015 id unique all the same.
        while (ctx.w.find_backend(b.legacy_id)) b.legacy_id = base58(sha1_bytes(b.legacy_id + title));
    }
    backend& added = ctx.w.add_backend(std::move(b));
    if (bare_metal_key)
        add_bare_metal_server(ctx, added, *bare_metal_key, parsed.bare_metal_host, parsed.bare_metal_user,
                              parsed.bare_metal_port);
    if (ctx.e == era::legacy) {
        return json_response(json::object{{"index", added.index}, {"id", added.legacy_id}, {"apikey", added.apikey},
                                          {"apiurl", ""}, {"tenant_name", added.tenant_name},
                                          {"title", added.title.empty() ? added.legacy_provider : added.title},
                                          {"provider", added.legacy_provider}, {"poll_interval", 10000},
                                          {"region", added.region}, {"status", "off"}, {"enabled", true}});
    }
    json::value doc = backend_json(added, era::v1);
    doc.as_object()["index"] = static_cast<std::int64_t>(ctx.w.backends().size() - 1);
    return json_response(doc);
}

sim_response rename_backend(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    std::string new_name = ctx.required_text("new_name");
    if (ctx.e == era::v1) {
        backend* other = ctx.w.find_backend_by_title(new_name);
        if (other && other != &b) throw conflict("Cloud with this name already exists");
    }
    b.title = new_name;
    return ok_text();
}

sim_response toggle_backend(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0], /*with_detail=*/false);
    const auto& p = ctx.params();
    auto it = p.find("new_state");
    // Python truthiness: absent, null, "", 0 and false all count as "not provided".
    auto falsy = [](const json::value& v) {
        return v.is_null() || (v.is_string() && v.get_string().empty()) || (v.is_int64() && v.get_int64() == 0) ||
               (v.is_bool() && !v.get_bool());
    };
    if (it == p.end() || falsy(it->value())) {
        if (ctx.e == era::v1)
            if (auto dns = p.find("dns_enabled"); dns != p.end()) {
                if (!dns->value().is_int64() && !dns->value().is_bool()) throw bad_request("Invalid DNS state");
                return ok_text();
            }
        throw required_parameter("new_state");
    }
    const json::value& state = it->value();
    if (!state.is_string() || (state.get_string() != "1" && state.get_string() != "0"))
        throw bad_request(ctx.e == era::legacy ? "Invalid backend state" : "Invalid cloud state");
    b.enabled = state.get_string() == "1";
    return ok_text();
}

sim_response delete_backend(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    ctx.w.remove_backend(b);
    return ok_text();
}

sim_response update_backend(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    const auto& p = ctx.params();
    if (p.empty()) throw bad_request("No parameters provided");
    if (auto it = p.find("polling_interval"); it != p.end()) {
        if (!it->value().is_int64() || it->value().get_int64() < 600)
            throw bad_request("Polling interval must be an integer of at least 600 seconds");
    }
    if (auto key = ctx.text("apikey").value_or(ctx.text("api_key").value_or("")); !key.empty()) b.apikey = key;
    return ok_text();
}

}  // namespace mistasync::sim::handlers
