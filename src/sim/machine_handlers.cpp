// Machines: lists, actions and probes of both eras (creates: machine_create_handlers.cpp;
// tags and jobs: tag_handlers.cpp).
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

}  // namespace

machine* machine_in(request_context& ctx, backend* b, const std::string& id) {
    return b ? ctx.w.find_machine(*b, id) : nullptr;
}

api_error v1_machine_not_found(const std::string& id) { return not_found("Machine " + id + " doesn't exist"); }

namespace {

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

}  // namespace mistasync::sim::handlers
