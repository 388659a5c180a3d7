// /api/v2 scripts, tags and jobs (mist-api-v2 de29606: scripts_, tags_ and
// jobs_controller.py; tags listed as mist.api's tag/methods.py get_tags lists them).
#include "v2_handlers.hpp"

#include "v2_support.hpp"
#include "views.hpp"
#include "yaml_check.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace mistasync::sim::v2 {
namespace json = boost::json;
namespace {

script_record& script_by_path(request_context& ctx) { return first_found(ctx.w.scripts(), ctx.args[0], "Script does not exist"); }

std::string body_text(const json::object& body, std::string_view field) {
    const json::value* v = body.if_contains(field);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The tags of one resource by type and id (machines, keys, clouds, scripts), or nullptr.
std::vector<std::pair<std::string, std::string>>* tags_of(world& w, std::string_view type, std::string_view id) {
    std::string_view t = type;
    if (t.ends_with('s')) t.remove_suffix(1);
    if (t == "machine") {
        machine* m = w.find_machine_by_mist_id(id);
        return m ? &w.find_machine(*m->owner, m->provider_id)->tags : nullptr;
    }
    if (t == "key") {
        key_record* k = w.find_key_by_uuid(id);
        return k ? &k->tags : nullptr;
    }
    if (t == "cloud") {
        backend* b = w.find_backend(id);
        return b ? &b->tags : nullptr;
    }
    if (t == "script") {
        script_record* s = w.find_script(id);
        return s ? &s->tags : nullptr;
    }
    return nullptr;
}

}  // namespace

sim_response list_scripts(request_context& ctx) {
    std::vector<script_record*> all;
    for (auto& s : ctx.w.scripts()) all.push_back(s.get());
    return list_or_get(ctx, all, "scripts", "script", "Script does not exist", [](script_record* s) { return as_searchable(*s); },
                       [&](script_record* s, std::string_view only, const v2_deref& d) { return v2_script_doc(ctx.w, *s, only, d); });
}

sim_response add_script(request_context& ctx) {
    const json::object& body = ctx.params();
    for (std::string_view field : {"name", "script", "location_type", "exec_type"})
        if (!body.contains(field)) throw bad_request_problem("'" + std::string(field) + "' is a required property");
    script_record s;
    s.name = body_text(body, "name");
    s.source = body_text(body, "script");
    s.location_type = body_text(body, "location_type");
    s.exec_type = body_text(body, "exec_type");
    s.description = body_text(body, "description");
    s.entrypoint = body_text(body, "entrypoint");
    if (s.location_type != "inline" && s.location_type != "url" && s.location_type != "github")
        throw bad_request_problem("'" + s.location_type + "' is not one of ['inline', 'github', 'url']");
    if (s.exec_type != "executable" && s.exec_type != "ansible") throw message_error(400, "Param 'exec_type' must be in ('executable', 'ansible').");
    if (s.location_type == "inline" && s.exec_type == "executable" && !s.source.starts_with("#!"))
        throw message_error(400, "'script' must start with a hashbang/shebang ('#!').");
    if (s.location_type == "inline" && s.exec_type == "ansible" && !yaml_well_formed(s.source))
        throw message_error(400, "Script was not formatted properly");
    for (auto& other : ctx.w.scripts())
        if (other->name == s.name) throw message_error(409, "Script name exists");
    script_record& added = ctx.w.add_script(std::move(s));
    return answer(v2_script_doc(ctx.w, added, "", v2_deref("auto")));
}

sim_response delete_script(request_context& ctx) {
    script_record& s = script_by_path(ctx);
    const std::string name = s.name;
    ctx.w.remove_script(s);
    return answer(json::value("Deleted script `" + name + "`"));
}

sim_response run_script(request_context& ctx) {
    script_record& s = script_by_path(ctx);
    const json::object& body = ctx.params();
    if (!body.contains("machine")) throw bad_request_problem("'machine' is a required property");
    machine* m = nullptr;
    try {
        m = &machine_by_path(ctx.w, body_text(body, "machine"));
    } catch (const api_error&) {
        throw message_error(404, "Machine does not exist");
    }
    script_run& run = ctx.w.start_script_run(s, *m->owner, *m, body_text(body, "params"));
    return answer(json::object{{"job_id", run.job_id}, {"job", "run_script"}});
}

sim_response list_tags(request_context& ctx) {
    const std::string types = ctx.query_param("types").value_or("");
    const bool ids = ctx.query_param("deref").value_or("id") != "name";
    struct tagged {
        std::map<std::string, std::vector<std::string>> by_type;
        std::size_t count = 0;
    };
    std::map<std::pair<std::string, std::string>, tagged> unique;
    auto add = [&](std::string_view type, const std::vector<std::pair<std::string, std::string>>& tags, const std::string& id,
                   const std::string& name) {
        for (auto& kv : tags) {
            tagged& t = unique[kv];
            ++t.count;
            if (types == "all" || types.find(type) != std::string::npos) t.by_type[std::string(type) + "s"].push_back(ids ? id : name);
        }
    };
    for (auto& b : ctx.w.backends()) {
        add("cloud", b->tags, b->uuid, b->title);
        for (auto& m : b->machines) add("machine", m->tags, m->mist_id, m->name);
    }
    for (auto& k : ctx.w.keys()) add("key", k->tags, k->uuid, k->name);
    for (auto& s : ctx.w.scripts()) add("script", s->tags, s->id, s->name);
    json::array data;
    for (auto& [kv, t] : unique) {  // sorted by key, as `sort=key` does
        json::object item{{"tag", json::object{{kv.first, kv.second}}}, {"resource_count", t.count}};
        for (auto& [type, list] : t.by_type) {
            json::array a;
            for (auto& id : list) a.emplace_back(id);
            item[type] = std::move(a);
        }
        data.push_back(std::move(item));
    }
    v2_list_params p = list_params(ctx);
    p.sort = "key";
    return answer(page(std::vector<json::value>(data.begin(), data.end()), p, "tags", [](const json::value& v) { return v; }));
}

sim_response tag_resources(request_context& ctx) {
    const json::object& body = ctx.params();
    const json::value* ops = body.if_contains("operations");
    if (!ops || !ops->is_array()) throw bad_request_problem("'operations' is a required property");
    for (auto& op_value : ops->get_array()) {
        const json::object* op = op_value.if_object();
        if (!op) throw bad_request_problem("operation is not of type 'object'");
        const std::string operation = body_text(*op, "operation");
        std::vector<std::pair<std::string, std::string>> tags;
        if (auto* list = op->if_contains("tags"); list && list->is_array())
            for (auto& t : list->get_array())
                if (auto* o = t.if_object()) tags.emplace_back(body_text(*o, "key"), body_text(*o, "value"));
        if (auto* list = op->if_contains("resources"); list && list->is_array())
            for (auto& r : list->get_array()) {
                const json::object* o = r.if_object();
                if (!o) continue;
                auto* target = tags_of(ctx.w, body_text(*o, "resource_type"), body_text(*o, "resource_id"));
                if (!target) throw message_error(400, "Resource " + body_text(*o, "resource_id") + " not found");
                for (auto& tag : tags) {
                    std::erase_if(*target, [&](auto& kv) {
                        return kv.first == tag.first && (operation != "remove" || tag.second.empty() || kv.second == tag.second);
                    });
                    if (operation != "remove") target->push_back(tag);
                }
            }
    }
    ctx.w.touch();
    return answer(json::value("Tags succesfully updated"));
}

sim_response get_job(request_context& ctx) {
    const json::object meta{{"total", 1}, {"returned", 1}};
    if (job_record* j = ctx.w.find_job(ctx.args[0]); j && j->created_by == era::v2) {
        if (auto story = v2_job_story(ctx.w, *j)) return answer(json::object{{"data", std::move(*story)}, {"meta", meta}});
    } else if (j) {
        // A v1 create's story, with get_job's renames.
        json::value doc = job_json(ctx.w, *j, era::v1);
        json::object& story = doc.as_object();
        story.erase("story_id");
        story.erase("type");
        story.erase("owner_id");
        story["org"] = ctx.w.options().org_id;
        story["action"] = "create_machine";
        return answer(json::object{{"data", std::move(story)}, {"meta", meta}});
    } else if (script_run* r = ctx.w.find_script_run(ctx.args[0])) {
        return answer(json::object{{"data", v2_script_run_story(ctx.w, *r)}, {"meta", json::object{{"total", 1}, {"returned", 1}}}});
    }
    throw message_error(404, "Job not found");
}

}  // namespace mistasync::sim::v2
