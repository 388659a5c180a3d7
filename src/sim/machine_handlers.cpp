// Machines: list, create (sync and async), actions, probe, tags; and the job documents
// that follow an async create.
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

constexpr std::array<std::string_view, 6> legacy_actions{"start", "stop", "reboot", "destroy", "resize", "rename"};
constexpr std::array<std::string_view, 9> v1_actions{"start",   "stop",    "reboot",  "destroy", "resize",
                                                     "rename", "undefine", "suspend", "resume"};

api_error v1_machine_not_found(const std::string& id) { return not_found("Machine " + id + " doesn't exist"); }

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

machine* machine_in(request_context& ctx, backend* b, const std::string& id) {
    return b ? ctx.w.find_machine(*b, id) : nullptr;
}

key_record* probe_key(request_context& ctx, machine& m) {
    if (auto k = ctx.text("key"); k && *k != "undefined") {
        key_record* key = ctx.e == era::legacy ? ctx.w.find_key_by_name(*k) : ctx.w.find_key_by_uuid(*k);
        if (key) return key;
    }
    for (auto& k : ctx.w.keys())
        if (ctx.w.find_association(*k, *m.owner, m)) return k.get();
    return ctx.w.default_key();
}

// A successful probe refreshes the key association (last used, user, sudo), as the
// server does after it logged in.
void record_probe(request_context& ctx, machine& m) {
    m.probed = true;
    m.last_probe_wall = ctx.w.wall_now();
    if (key_record* k = probe_key(ctx, m)) {
        std::string user = ctx.query_param("ssh_user").value_or("root");
        if (user.empty()) user = "root";
        ctx.w.associate(*k, *m.owner, m, user, 22, ctx.w.wall_now());
        ctx.w.find_association(*k, *m.owner, m)->sudo = user == "root";
    }
}

sim_response probe_v1(request_context& ctx, machine* m, const std::string& id) {
    if (!m || ctx.w.state_of(*m) == machine_state::terminated) throw v1_machine_not_found(id);
    if (!ctx.w.reachable(*m)) throw mist_error(503, "Service unavailable", "SSH timed-out repeatedly.");
    record_probe(ctx, *m);
    return json_response(probe_json(ctx.w, *m, era::v1));
}

sim_response action_v1(request_context& ctx, machine* m, const std::string& id) {
    // The server looks the machine up in its records and checks the action against the
    // recorded state, which actions do not change: only lists and the poller refresh it
    // (contract §10.1). So a reboot followed at once by a stop is allowed.
    if (!m) throw v1_machine_not_found(id);
    const machine_state recorded = ctx.w.recorded_state(*m);
    if (recorded == machine_state::terminated && m->owner->provider != "libvirt")
        throw not_found("Machine " + id + " has been terminated");
    std::string action = ctx.text("action").value_or("None");
    if (std::find(v1_actions.begin(), v1_actions.end(), action) == v1_actions.end())
        throw bad_request("Action '" + action + "' should be one of ('start', 'stop', 'reboot', 'destroy', "
                          "'resize', 'rename', 'undefine', 'suspend', 'resume')");
    std::optional<std::string> name;
    if (action == "rename" && !(name = ctx.text("name"))) throw bad_request("You must give a name!");
    machine_actions allowed = ctx.w.actions_in(*m, recorded);
    bool ok = (action == "start" && allowed.start) || (action == "stop" && allowed.stop) ||
              (action == "reboot" && allowed.reboot) || (action == "destroy" && allowed.destroy) ||
              (action == "rename" && allowed.rename) || (action == "resize" && allowed.resize);
    if (!ok) throw mist_error(403, "Forbidden", "Machine doesn't support " + action + ".");
    // The controller then finds the node by listing the provider, outside its own error
    // handling: a broken provider is an unexpected exception, a vanished node a KeyError.
    if (ctx.w.fault_of(*m->owner) != backend_fault::none) throw internal_server_error();
    if (ctx.w.state_of(*m) == machine_state::terminated)
        throw keyerror_error(404, "Machine not found", "Machine with external_id '" + m->provider_id + "'.", false);
    if (action == "rename") m->name = *name;
    else if (action == "resize") m->size_id = ctx.text("size").value_or(m->size_id);  // machines/views.py reads `size`
    else ctx.w.apply_action(*m, action);
    return {200, content_type_json, machines_text(ctx.w, *m->owner, era::v1), {}};
}

// Python truthiness of a request parameter (query or body), as `bool(params.get(key))`
// reads it: any non-empty string is true, "false" and "0" included.
bool truthy(request_context& ctx, std::string_view key) {
    if (auto q = ctx.query_param(key)) return !q->empty();
    const auto& p = ctx.params();
    auto it = p.find(key);
    if (it == p.end()) return false;
    const json::value& v = it->value();
    if (v.is_bool()) return v.get_bool();
    if (v.is_string()) return !v.get_string().empty();
    if (v.is_int64()) return v.get_int64() != 0;
    if (v.is_uint64()) return v.get_uint64() != 0;
    if (v.is_double()) return v.get_double() != 0;
    if (v.is_array()) return !v.get_array().empty();
    if (v.is_object()) return !v.get_object().empty();
    return false;
}

// The inside of a machine list's text, without its brackets.
std::string_view list_items(const std::string& text) { return std::string_view(text).substr(1, text.size() - 2); }

}  // namespace

sim_response list_machines(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    // v1 lists the provider unless asked for the stored records (`cached`); a fresh list
    // refreshes them. 2015 always asks the provider and keeps no records.
    if (ctx.e == era::v1 && truthy(ctx, "cached"))
        return {200, content_type_json, machines_text(ctx.w, b, era::v1, machine_source::record), {}};
    call_provider(ctx, b);
    if (ctx.e == era::legacy) return {200, content_type_json, machines_text(ctx.w, b, era::legacy), {}};
    // The fresh list becomes the record and is shown as recorded, so an action sent right
    // after it is checked against what this list said, even when a machine changed state
    // while the list was being written (a boot ending between the two clock readings).
    ctx.w.refresh_records(b);
    return {200, content_type_json, machines_text(ctx.w, b, era::v1, machine_source::record), {}};
}

// GET /api/v1/machines: every enabled cloud's records (`fresh`: their providers, and a
// cloud whose provider is unavailable or refuses its credentials is skipped, §10.2).
sim_response list_all_machines(request_context& ctx) {
    const bool fresh = truthy(ctx, "fresh");
    std::string out = "[";
    for (auto& b : ctx.w.backends()) {
        if (!b->enabled) continue;
        if (fresh && ctx.w.fault_of(*b) != backend_fault::none) continue;
        if (fresh) ctx.w.refresh_records(*b);
        std::string part = machines_text(ctx.w, *b, era::v1, machine_source::record);
        if (part.size() <= 2) continue;
        if (out.size() > 1) out += ", ";
        out += list_items(part);
    }
    out += ']';
    return {200, content_type_json, std::move(out), {}};
}

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

sim_response machine_action(request_context& ctx) {
    if (ctx.e == era::v1) {
        backend* b = ctx.w.find_backend(ctx.args[0]);
        return action_v1(ctx, machine_in(ctx, b, ctx.args[1]), ctx.args[1]);
    }
    backend& b = backend_or_404(ctx, ctx.args[0], /*with_detail=*/false);
    std::string action = ctx.text("action").value_or("");
    if (std::find(legacy_actions.begin(), legacy_actions.end(), action) == legacy_actions.end()) throw bad_request();
    std::optional<std::string> name, plan;
    if (action == "rename") name = ctx.required_text("name");
    if (action == "resize") plan = ctx.required_text("plan_id");
    machine* m = ctx.w.find_machine(b, ctx.args[1]);
    // The 2015 server does not look the machine up: it asks the provider, which fails.
    if (!m || ctx.w.state_of(*m) == machine_state::terminated || ctx.w.fault_of(b) != backend_fault::none)
        throw mist_error(503, "Machine currently unavailable", "Error while attempting to " + action + " machine");
    if (name) m->name = *name;
    else if (plan) m->size_id = *plan;
    else ctx.w.apply_action(*m, action);
    return {200, content_type_json, machines_text(ctx.w, b, era::legacy), {}};
}

sim_response machine_action_by_uuid(request_context& ctx) {
    return action_v1(ctx, ctx.w.find_machine_by_mist_id(ctx.args[0]), ctx.args[0]);
}

sim_response probe(request_context& ctx) {
    if (ctx.e == era::v1) {
        backend* b = ctx.w.find_backend(ctx.args[0]);
        return probe_v1(ctx, machine_in(ctx, b, ctx.args[1]), ctx.args[1]);
    }
    std::string host = ctx.required_text("host");
    machine* m = machine_in(ctx, ctx.w.find_backend(ctx.args[0]), ctx.args[1]);
    // 2015 swallows every SSH failure and answers with whatever ping found.
    if (!m) return json_response(ping_only_json(true));
    if (!ctx.w.reachable(*m)) return json_response(ping_only_json(ctx.w.pingable(*m)));
    record_probe(ctx, *m);
    return json_response(probe_json(ctx.w, *m, era::legacy));
}

sim_response probe_by_uuid(request_context& ctx) {
    return probe_v1(ctx, ctx.w.find_machine_by_mist_id(ctx.args[0]), ctx.args[0]);
}

namespace {
machine& tag_target(request_context& ctx) {
    backend* b = ctx.w.find_backend(ctx.args[0]);
    machine* m = machine_in(ctx, b, ctx.args[1]);
    if (ctx.e == era::legacy) {
        if (!b) throw keyerror_error(404, "Backend not found", ctx.args[0]);
        if (!m) throw keyerror_error(404, "Machine not found", ctx.args[1]);
    } else if (!m || ctx.w.state_of(*m) == machine_state::terminated) {
        throw v1_machine_not_found(ctx.args[1]);
    }
    return *m;
}
}  // namespace

sim_response list_tags(request_context& ctx) {
    machine& m = tag_target(ctx);
    json::array a;
    for (auto& [k, v] : m.tags) a.push_back(json::object{{"key", k}, {"value", v}});
    return json_response(a);
}

sim_response set_tags(request_context& ctx) {
    machine& m = tag_target(ctx);
    const auto& p = ctx.params();
    auto it = p.find("tags");
    if (ctx.e == era::legacy) {
        if (it == p.end() || !it->value().is_array()) throw bad_request("tags should be list of tags");
        std::vector<std::pair<std::string, std::string>> tags;
        for (auto& item : it->value().get_array()) {
            if (!item.is_object()) throw bad_request("tags should be list of tags");
            for (auto& kv : item.get_object()) {
                if (!kv.value().is_string()) throw bad_request("tag values should be strings");
                tags.emplace_back(std::string(kv.key()), std::string(kv.value().get_string()));
            }
        }
        m.tags = std::move(tags);  // replaces, as the 2015 server did
        return ok_text();
    }
    if (it == p.end() || !it->value().is_object()) throw bad_request("tags should be dictionary of tags");
    for (auto& kv : it->value().get_object()) {
        if (!kv.value().is_string()) throw bad_request("tag values should be strings");
        std::string key(kv.key()), value(kv.value().get_string());
        auto existing = std::find_if(m.tags.begin(), m.tags.end(), [&](auto& t) { return t.first == key; });
        if (existing != m.tags.end()) existing->second = value;
        else m.tags.emplace_back(key, value);
    }
    return json_response(json::object{});
}

sim_response delete_tag(request_context& ctx) {
    machine& m = tag_target(ctx);
    std::string key = ctx.args[2];
    if (ctx.e == era::legacy) {
        const std::string& p = m.owner->provider;
        if (p == "linode" || m.owner->legacy_provider == "rackspace_first_gen") throw mist_error(405, "Method Not Allowed");
    } else if (auto from_body = ctx.text("tag_key")) {
        key = *from_body;  // the v1 server reads the key from the body
    }
    auto removed = std::erase_if(m.tags, [&](auto& t) { return t.first == key; });
    if (!removed) throw not_found("tag not found");
    return ok_text();
}

sim_response get_job(request_context& ctx) {
    if (job_record* job = ctx.w.find_job(ctx.args[0])) return json_response(job_json(ctx.w, *job, ctx.e));
    if (script_run* run = ctx.w.find_script_run(ctx.args[0])) return json_response(script_run_json(ctx.w, *run, ctx.e));
    throw not_found(ctx.e == era::v1 ? "Story " + ctx.args[0] : ctx.args[0]);
}

}  // namespace mistasync::sim::handlers
