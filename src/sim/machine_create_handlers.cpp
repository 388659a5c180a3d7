// Machine creates of both eras: sync and async (quantity, job ids), their parameters read
// and checked in each server's order, and the provider's own refusals.
#include "handlers.hpp"
#include "network_support.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace mistasync::sim::handlers {
namespace json = boost::json;
namespace {

// 2015 create reads its parameters inside one try block and reports the first KeyError.
std::string create_param(request_context& ctx, std::string_view key) {
    if (auto v = ctx.text(key)) return *v;
    if (ctx.e == era::legacy) throw required_parameter("KeyError('" + std::string(key) + "',)");
    throw required_parameter(key);
}

// What the provider itself needs beyond name, image and size, refused as the server wraps
// a provider's error: OpenStack picks no network for a tenant with several; the 2015
// server hands Linode an image whose `extra` it reads (`image_extra`, e.g. {"64bit": 1}).
void check_provider_fields(request_context& ctx, backend& b) {
    auto refuse = [&](std::string_view provider_title, const std::string& exception) {
        throw mist_error(500, "Machine creation failed", std::string(provider_title) + ", got exception " + exception);
    };
    const auto& p = ctx.params();
    if (b.provider == "openstack") {
        std::vector<std::string> asked;
        if (auto* v = p.if_contains("networks")) {
            if (v->is_string() && !v->get_string().empty()) asked.emplace_back(v->get_string());
            else if (v->is_array()) {
                for (auto& n : v->get_array()) {
                    if (!n.is_string()) throw bad_request("networks must be a list of network ids");
                    asked.emplace_back(n.get_string());
                }
            }
        }
        if (asked.empty() && network_count(ctx.w, b, ctx.e) > 1)
            refuse("OpenStack", "409 Conflict Multiple possible networks found, use a Network ID to be more specific.");
        for (auto& id : asked)
            if (!network_known(ctx.w, b, ctx.e, id)) refuse("OpenStack", "404 Not Found Network " + id + " could not be found.");
    }
    if (b.provider == "linode" && ctx.e == era::legacy) {
        auto* extra = p.if_contains("image_extra");
        if (!extra || !extra->is_object() || !extra->get_object().contains("64bit")) refuse("Linode", "KeyError('64bit',)");
    }
}

bool catalogue_has(const json::array& items, const std::string& id) {
    return std::any_of(items.begin(), items.end(), [&](const json::value& v) { return v.at("id").as_string() == id; });
}

void validate_name(const backend& b, const std::string& name) {
    // machines/methods.py machine_name_validator: only EC2 names a machine itself.
    if (name.empty() && b.provider != "ec2") throw mist_error(500, "Error validating name", "machine name cannot be empty");
    if (b.provider != "digitalocean" && b.provider != "linode") return;
    bool ok = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
    });
    if (!ok)
        throw mist_error(500, "Error validating name",
                         "machine name may only contain ASCII letters or numbers, dashes and dots");
}

void read_v1_tags(request_context& ctx, std::vector<std::pair<std::string, std::string>>& tags) {
    const auto& p = ctx.params();
    auto it = p.find("tags");
    if (it == p.end() || it->value().is_null()) return;
    auto bad = [] {
        return bad_request("Invalid tags format. Expecting either a dictionary of tags "
                           "or a list of single-item dictionaries");
    };
    auto take = [&](const json::object& o) {
        for (auto& kv : o) {
            if (!kv.value().is_string() && !kv.value().is_null()) throw bad();
            tags.emplace_back(std::string(kv.key()),
                              kv.value().is_string() ? std::string(kv.value().get_string()) : std::string());
        }
    };
    if (it->value().is_object()) take(it->value().get_object());
    else if (it->value().is_array()) {
        for (auto& item : it->value().get_array()) {
            if (!item.is_object() || item.get_object().size() != 1) throw bad();
            take(item.get_object());
        }
    } else throw bad();
}

int quantity_of(request_context& ctx) {
    const auto& p = ctx.params();
    auto it = p.find("quantity");
    if (it == p.end() || it->value().is_null()) return 1;
    const json::value& v = it->value();
    std::int64_t q = 0;
    if (v.is_int64()) q = v.get_int64();
    else if (v.is_string() && !v.get_string().empty() &&
             std::all_of(v.get_string().begin(), v.get_string().end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        q = std::atoll(v.get_string().c_str());
    if (q < 1 || q > 10000) throw bad_request("quantity must be an integer from 1 to 10000");
    return static_cast<int>(q);
}
}  // namespace

sim_response create_machine(request_context& ctx) {
    // The 2015 server looks the backend up first; v1 (machines/views.py create_machine)
    // reads and checks its parameters before it looks the cloud up.
    backend* looked_up = ctx.e == era::legacy ? &backend_or_404(ctx, ctx.args[0]) : nullptr;
    if (ctx.e == era::legacy && ctx.body_invalid)
        throw required_parameter("ValueError('No JSON object could be decoded',)");
    auto key_id = ctx.text("key");
    machine_spec spec;
    if (ctx.e == era::v1) {
        // name and size must be given (an empty one is refused later, by the name rules or
        // the provider); image must not be empty.
        for (std::string_view key : {"name", "size"})
            if (!ctx.params().contains(key)) throw required_parameter(key);
        spec.image_id = create_param(ctx, "image");
        spec.name = ctx.text("name").value_or("");
        spec.size_id = ctx.text("size").value_or("");
    } else {
        spec.name = create_param(ctx, "name");
        spec.image_id = create_param(ctx, "image");
        spec.size_id = create_param(ctx, "size");
    }
    spec.location_id = ctx.text("location").value_or("");
    bool async = ctx.flag("async", false);
    int quantity = quantity_of(ctx);
    bool script = ctx.text("script").has_value() || ctx.text("script_id").has_value();
    bool monitoring = ctx.flag("monitoring", false);
    if (ctx.e == era::v1) read_v1_tags(ctx, spec.tags);
    spec.create_request = std::make_shared<const std::string>(json::serialize(ctx.params()));
    backend& b = looked_up ? *looked_up : backend_or_404(ctx, ctx.args[0]);

    if (b.provider == "bare_metal" || b.provider == "coreos") throw bad_request("Provider unknown.");
    if (key_id) {
        spec.key = ctx.e == era::legacy ? ctx.w.find_key_by_name(*key_id) : ctx.w.find_key_by_uuid(*key_id);
        if (!spec.key) {
            if (ctx.e == era::legacy) throw keyerror_error(404, "Keypair not found", *key_id);
            throw keyerror_error(404, "Key not found", *key_id);
        }
    } else if (b.provider != "docker" && !(ctx.e == era::v1 && b.provider == "libvirt")) {
        spec.key = ctx.w.default_key();
        if (!spec.key) {
            if (ctx.e == era::legacy)
                throw keyerror_error(404, "Keypair not found", "Couldn't find default keypair", false);
            throw keyerror_error(404, "Key not found", "Couldn't find default key", false);
        }
    }
    validate_name(b, spec.name);
    if (ctx.w.fault_of(b) != backend_fault::none) {
        // The provider's create call fails; the server wraps it per driver.
        const provider_info* p = find_provider(b.provider);
        std::string provider_name(p ? p->title : std::string_view(b.provider));
        throw mist_error(500, "Machine creation failed",
                         provider_name + ", got exception " +
                             (ctx.w.fault_of(b) == backend_fault::unavailable ? "ConnectionError('provider unreachable')"
                                                                              : "InvalidCredsError('Invalid credentials')"));
    }
    std::vector<image_info> images = images_of(b.provider, b.region);
    if (std::none_of(images.begin(), images.end(), [&](auto& i) { return i.id == spec.image_id; }) &&
        !b.star_overrides.count(spec.image_id))
        throw mist_error(500, "Machine creation failed", "image " + spec.image_id + " not found");
    // A container takes no size (machines/views.py only asks that the key be present).
    const bool sizeless = b.provider == "docker" && spec.size_id.empty();
    if (!sizeless && !catalogue_has(sizes_of(b.provider, b.region), spec.size_id))
        throw mist_error(500, "Machine creation failed", "size " + spec.size_id + " not found");
    if (!spec.location_id.empty() && !catalogue_has(locations_of(b.provider, b.region), spec.location_id))
        throw mist_error(500, "Machine creation failed", "location " + spec.location_id + " not found");
    check_provider_fields(ctx, b);

    if (!async) quantity = 1;
    bool caller_job = false;
    std::string given_job;
    if (ctx.e == era::v1)
        if (auto given = ctx.text("job_id")) {
            caller_job = !given->empty();
            given_job = *given;
        }
    job_record& job = ctx.w.start_job(b, ctx.e, quantity, async, script, monitoring, std::move(given_job));
    if (script) {
        job.script_command = ctx.text("script").value_or("");
        if (auto id = ctx.text("script_id"))
            if (script_record* stored = ctx.w.find_script(*id)) job.script_command = stored->source;
    }

    if (!async) {
        machine* m = nullptr;
        try {
            m = &ctx.w.create_machine(b, spec, job.id);
        } catch (const std::length_error&) {
            throw mist_error(500, "Machine creation failed", "machine limit reached");
        }
        job.names[0] = m->name;
        job.created_mist_ids[0] = m->mist_id;
        job.created_wall[0] = m->created_wall;
        json::object extra{{"status", "pending"}, {"instanceId", m->provider_id},
                           {"availability", spec.location_id}, {"instancetype", spec.size_id}};
        if (spec.key) extra["keyname"] = spec.key->name;
        // The answer carries the node as the provider knows it now (contract §10.5).
        json::array pub, priv;
        if (ctx.w.addresses_known(*m)) {
            for (auto& ip : m->public_ips) pub.emplace_back(ip);
            for (auto& ip : m->private_ips) priv.emplace_back(ip);
        }
        json::object out{{"id", m->provider_id}, {"name", m->name}, {"extra", std::move(extra)},
                         {"public_ips", std::move(pub)}, {"private_ips", std::move(priv)}, {"job_id", job.id}};
        if (ctx.e == era::v1) out["job"] = caller_job ? json::value(nullptr) : json::value("create_machine");
        // After the node exists the server associates the key, sets tags and schedules the
        // post-deploy steps; a failure there answers 500 with the machine made (§10.3).
        if (ctx.w.post_create_fails()) throw internal_server_error();
        return json_response(out);
    }

    // Async: answer at once; a worker creates up to five machines at a time, later.
    auto start = ctx.w.now() + ctx.w.options().async_create_delay;
    for (int i = 0; i < quantity; ++i) {
        machine_spec each = spec;
        bool suffix = ctx.e == era::legacy || quantity > 1;
        each.name = suffix ? spec.name + "-" + std::to_string(i + 1) : spec.name;
        job.names[i] = each.name;
        ctx.w.schedule_creation(job, i, start + ctx.w.options().async_create_delay * (i / 5), std::move(each));
    }
    json::object out{{"job_id", job.id}};
    if (ctx.e == era::v1) out["job"] = caller_job ? json::value(nullptr) : json::value("create_machine");
    return json_response(out);
}

}  // namespace mistasync::sim::handlers
