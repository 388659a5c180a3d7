// Machine tags (list, set, delete) and the job documents GET /jobs/{id} answers.
#include "handlers.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace mistasync::sim::handlers {
namespace json = boost::json;

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
