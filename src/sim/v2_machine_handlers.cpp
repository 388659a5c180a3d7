// /api/v2/machines: list, get, edit, the actions on their own paths and the key
// associations, as mist-api-v2's machines_controller.py (de29606) answers them. Actions
// are checked against the server's record; one the record does not allow is 422.
#include "v2_handlers.hpp"

#include "v2_support.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace mistasync::sim::v2 {
namespace json = boost::json;
namespace {

api_error not_supported() { return message_error(422, "Action not supported on target machine"); }

std::string required_query(const request_context& ctx, std::string_view name) {
    auto v = ctx.query_param(name);
    if (!v) throw bad_request_problem("Missing query parameter '" + std::string(name) + "'");
    return *v;
}

bool allowed(world& w, const machine& m, std::string_view action) {
    const machine_actions a = w.actions_in(m, w.recorded_state(m));
    if (action == "start") return a.start;
    if (action == "stop") return a.stop;
    if (action == "reboot") return a.reboot;
    if (action == "destroy") return a.destroy;
    if (action == "rename") return a.rename;
    if (action == "resize") return a.resize;
    return false;  // suspend, resume, undefine, clone: no simulated provider has them
}

// The body's `key`, by name or id, as the controller finds it (404 'Key id does not exist').
key_record& key_of_body(request_context& ctx) {
    const json::object& body = ctx.params();
    const json::value* key = body.if_contains("key");
    if (!key || !key->is_string()) throw bad_request_problem("'key' is a required property");
    return first_found(ctx.w.keys(), key->get_string(), "Key id does not exist");
}

}  // namespace

sim_response list_machines(request_context& ctx) {
    const v2_list_params p = list_params(ctx);
    const v2_deref deref(p.deref);
    const std::vector<machine*> found = machines_matching(ctx.w, p);
    return answer(page(found, p, "machines", [&](machine* m) { return v2_machine_doc(ctx.w, *m, p.only, deref); }));
}

sim_response get_machine(request_context& ctx) {
    v2_list_params p = list_params(ctx);
    p.search = ctx.args[0];
    p.start = 0;
    p.limit = 1;
    const v2_deref deref(p.deref);
    const std::vector<machine*> found = machines_matching(ctx.w, p);
    if (found.empty()) throw message_error(404, "Machine does not exist");
    return answer(v2_get_envelope(v2_machine_doc(ctx.w, *found.front(), p.only, deref), found.size(), p, "machine"));
}

sim_response edit_machine(request_context& ctx) {
    machine& m = machine_by_path(ctx.w, ctx.args[0]);
    const json::object& body = ctx.params();
    const json::value* exp = body.if_contains("expiration");
    if (!exp || exp->is_null()) return answer(json::value("Machine successfully updated"));
    if (!exp->is_object()) throw bad_request_problem("'expiration' is not of type 'object'");
    const json::object& e = exp->get_object();
    const json::value* action = e.if_contains("action");
    const json::value* date = e.if_contains("date");
    if (!action || !action->is_string() || (action->get_string() != "stop" && action->get_string() != "destroy"))
        throw bad_request_problem("'action' must be one of ['stop', 'destroy']");
    if (!date || !date->is_string() || date->get_string().size() < 10) throw message_error(400, "Invalid expiration date");
    machine_expiration x;
    x.id = ctx.w.random_hex(32);
    x.action = action->get_string();
    x.date = date->get_string();
    if (const json::value* n = e.if_contains("notify"); n && n->is_int64()) x.notify = static_cast<int>(n->get_int64());
    m.expiration = std::move(x);
    return answer(json::value("Machine successfully updated"));
}

sim_response machine_action(request_context& ctx) {
    machine& m = machine_by_path(ctx.w, ctx.args[0]);
    const std::string& action = ctx.args[1];
    if (!allowed(ctx.w, m, action) || !ctx.w.apply_action(m, action)) throw not_supported();
    ctx.w.touch();
    static const std::pair<std::string_view, std::string_view> done[] = {
        {"start", "Started"}, {"stop", "Stopped"}, {"reboot", "Rebooted"}, {"destroy", "Destroyed"}};
    for (auto& [verb, past] : done)
        if (verb == action) return answer(json::value(std::string(past) + " machine `" + m.name + "`"));
    return answer(json::value("OK"));
}

sim_response rename_machine(request_context& ctx) {
    const std::string name = required_query(ctx, "name");
    machine& m = machine_by_path(ctx.w, ctx.args[0]);
    if (!allowed(ctx.w, m, "rename")) throw not_supported();
    m.name = name;
    ctx.w.touch();
    return answer(json::value("Machine renamed successfully"));
}

sim_response resize_machine(request_context& ctx) {
    const std::string size = required_query(ctx, "size");
    machine& m = machine_by_path(ctx.w, ctx.args[0]);
    // The size is looked up in the machine's cloud, by name or id.
    const std::vector<search_term> terms = search_terms(size);
    const backend& b = *m.owner;
    std::string chosen;
    for (auto& s : sizes_of(b.provider, b.region)) {
        const std::string external(s.at("id").as_string());
        const std::string id = v2_catalogue_id(b, "size", external);
        const std::string name(s.at("name").as_string());
        searchable item{id, name, nullptr, {}, nullptr};
        if (matches_search(terms, item)) {
            chosen = external;
            break;
        }
    }
    if (chosen.empty()) throw message_error(404, "Size does not exist");
    if (!allowed(ctx.w, m, "resize")) throw not_supported();
    m.size_id = chosen;
    ctx.w.touch();
    return answer(json::value("Machine resize issued successfully"));
}

sim_response ssh(request_context& ctx) {
    machine& m = machine_by_path(ctx.w, ctx.args[0]);
    if (ctx.w.recorded_state(m) != machine_state::running) throw message_error(400, "Machine is not running");
    sim_response r = answer(json::value("Found"), 302);
    r.headers.emplace_back("Location", "wss://mist.example.net/ssh/jobs/" + ctx.w.random_hex(32));
    return r;
}

sim_response console(request_context& ctx) {
    machine_by_path(ctx.w, ctx.args[0]);
    throw message_error(501, "Action not supported");
}

sim_response associate_key(request_context& ctx) {
    machine& m = machine_by_path(ctx.w, ctx.args[0]);
    key_record& k = key_of_body(ctx);
    const json::object& body = ctx.params();
    std::optional<std::string> user;
    if (const json::value* u = body.if_contains("user"); u && u->is_string()) user = std::string(u->get_string());
    int port = 22;
    if (const json::value* p = body.if_contains("port"); p && p->is_int64()) port = static_cast<int>(p->get_int64());
    // The server deploys the key over SSH: the machine must answer.
    if (!ctx.w.reachable(m)) throw message_error(503, "Could not connect to target machine");
    ctx.w.associate(k, *m.owner, m, user, port, ctx.w.wall_now());
    return answer(json::value("Association successful"));
}

sim_response disassociate_key(request_context& ctx) {
    machine& m = machine_by_path(ctx.w, ctx.args[0]);
    key_record& k = key_of_body(ctx);
    if (!ctx.w.reachable(m)) throw message_error(503, "Could not connect to target machine");
    ctx.w.disassociate(k, *m.owner, m);
    return answer(json::value("Disassociation successful"));
}

}  // namespace mistasync::sim::v2
