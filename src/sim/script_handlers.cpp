// Scripts (contract §3.10): list, add (inline, URL or GitHub; executable or ansible),
// remove, and run on a machine as a job of its own whose story ends with the script's
// exit code and output.
#include "api_error.hpp"
#include "crypto.hpp"
#include "handlers.hpp"
#include "request_context.hpp"
#include "world.hpp"
#include "yaml_check.hpp"

#include <boost/json.hpp>

namespace mistasync::sim::handlers {
namespace json = boost::json;

namespace {

json::value script_json(const script_record& s, era e) {
    json::object location{{"type", s.location_type}};
    if (s.location_type == "inline") location["source_code"] = s.source;
    else if (s.location_type == "url") location["source_code"] = s.source, location["url"] = s.source;
    else location["repo"] = s.source, location["entrypoint"] = s.entrypoint;
    json::object out{{e == era::legacy ? "script_id" : "id", s.id},
                     {"name", s.name},
                     {"description", s.description},
                     {"exec_type", s.exec_type},
                     {"location", std::move(location)}};
    if (e == era::v1) {
        out["owner_id"] = "owner";
        out["tags"] = json::object{};
    }
    return out;
}

script_record& script_or_404(request_context& ctx, const std::string& id) {
    if (script_record* s = ctx.w.find_script(id)) return *s;
    throw not_found("Script id not found");
}

}  // namespace

sim_response list_scripts(request_context& ctx) {
    json::array out;
    for (auto& s : ctx.w.scripts()) out.push_back(script_json(*s, ctx.e));
    return json_response(out);
}

namespace {

// scripts/views.py add_script and scripts/base.py add, in their order: the exec type (the
// view picks the script's class by it), the name, the location, the code's own check
// (controllers.py _preparse_file), then the name's uniqueness (at save).
sim_response add_script_v1(request_context& ctx) {
    script_record s;
    s.exec_type = ctx.text("exec_type").value_or("");
    if (s.exec_type != "executable" && s.exec_type != "ansible")
        throw bad_request("Param 'exec_type' must be in ('executable', 'ansible').");
    s.name = ctx.text("name").value_or("");
    if (s.name.empty()) throw required_parameter("name");
    s.description = ctx.text("description").value_or("");
    s.location_type = ctx.text("location_type").value_or("");
    if (s.location_type != "inline" && s.location_type != "url" && s.location_type != "github")
        throw bad_request("location type must be one of these: (inline, github, url)]");
    s.source = ctx.text("script").value_or("");
    if (s.source.empty()) s.source = ctx.text(s.location_type == "inline" ? "script_inline" : "script_" + s.location_type).value_or("");
    s.entrypoint = ctx.text("entrypoint").value_or("");
    if (s.location_type == "inline") {
        if (s.exec_type == "executable") {
            if (s.source.empty()) throw bad_request("for inline script you must provide source code");
            if (!s.source.starts_with("#!")) throw bad_request("'script' must start with a hashbang/shebang ('#!').");
        } else if (!yaml_well_formed(s.source)) {
            throw mist_error(500, "Script was not formatted properly");  // ScriptFormatError
        }
    }
    for (auto& other : ctx.w.scripts())
        if (other->name == s.name) throw conflict("Script name exists");
    return json_response(script_json(ctx.w.add_script(std::move(s)), ctx.e));
}

}  // namespace

sim_response add_script(request_context& ctx) {
    if (ctx.e == era::v1) return add_script_v1(ctx);
    script_record s;
    s.name = ctx.required_text("name");
    s.description = ctx.text("description").value_or("");
    s.location_type = ctx.required_text("location_type");
    if (s.location_type != "inline" && s.location_type != "url" && s.location_type != "github")
        throw bad_request("Param 'location_type' must be in ('url', 'github', 'inline').");
    s.exec_type = ctx.required_text("exec_type");
    if (s.exec_type != "executable" && s.exec_type != "ansible")
        throw bad_request("Param 'exec_type' must be in ('executable', 'ansible').");
    s.source = ctx.required_text("script");
    s.entrypoint = ctx.text("entrypoint").value_or("");
    return json_response(script_json(ctx.w.add_script(std::move(s)), ctx.e));
}

sim_response delete_script(request_context& ctx) {
    ctx.w.remove_script(script_or_404(ctx, ctx.args[0]));
    return ok_text();
}

// scripts/views.py show_script: the script and the jobs of its runs.
sim_response show_script(request_context& ctx) {
    script_record& s = script_or_404(ctx, ctx.args[0]);
    json::value doc = script_json(s, ctx.e);
    json::array jobs;
    for (auto& job : ctx.w.script_run_jobs(s.id)) jobs.push_back(json::string(job));
    doc.as_object()["jobs"] = std::move(jobs);
    return json_response(doc);
}

// scripts/views.py edit_script: the script is looked up before new_name is read.
sim_response edit_script(request_context& ctx) {
    script_record& s = script_or_404(ctx, ctx.args[0]);
    auto new_name = ctx.text("new_name");
    if (!new_name) throw required_parameter("No new name provided");
    s.name = *new_name;
    json::object out{{"new_name", *new_name}};
    if (auto description = ctx.text("new_description")) {
        s.description = *description;
        out["new_description"] = *description;
    }
    return json_response(out);
}

// scripts/views.py download_script: an inline script's code as a file.
sim_response download_script(request_context& ctx) {
    script_record& s = script_or_404(ctx, ctx.args[0]);
    sim_response r;
    r.content_type = s.location_type == "inline" ? "application/octet-stream" : content_type_text;
    r.body = s.location_type == "inline" ? s.source : "Unable to find: /api/v1/scripts/" + s.id + "/file";
    if (s.location_type == "inline") r.headers.emplace_back("Content-Disposition", "attachment; filename=" + s.name);
    return r;
}

// scripts/views.py url_script: a signed URL to fetch the script's file (a JSON string).
sim_response script_url(request_context& ctx) {
    script_record* s = ctx.w.find_script(ctx.args[0]);
    if (!s) throw not_found("Script does not exist.");
    const std::string query = "action=fetch_script&object_id=" + s->id + "&expires=" +
                              std::to_string(static_cast<long long>(ctx.w.wall_now() + 600));
    return json_response(json::string("/api/v1/fetch?" + query + "&signature=" + sha1_hex(query)));
}

// scripts/views.py delete_scripts: several at once; a report per id.
sim_response delete_scripts(request_context& ctx) {
    const auto& p = ctx.params();
    auto it = p.find("script_ids");
    if (it == p.end() || !it->value().is_array() || it->value().get_array().empty())
        throw required_parameter("No script ids provided");
    json::object report = delete_each(it->value().get_array(), [&](const std::string& id) {
        script_record* s = ctx.w.find_script(id);
        if (s) ctx.w.remove_script(*s);
        return s != nullptr;
    });
    if (!deleted_any(report)) throw not_found("No valid script id provided");
    return json_response(report);
}

// 2015: {"backend_id", "machine_id" (the provider's), "params"}. v1: {"cloud_id" with
// "external_id" (the provider's id), or "machine"/"machine_id" (mist's uuid), "params",
// "env", "su"}.
sim_response run_script(request_context& ctx) {
    script_record& s = script_or_404(ctx, ctx.args[0]);
    machine* m = nullptr;
    backend* b = nullptr;
    if (ctx.e == era::legacy) {
        b = &backend_or_404(ctx, ctx.required_text("backend_id"));
        std::string id = ctx.required_text("machine_id");
        m = ctx.w.find_machine(*b, id);
        if (!m) throw not_found("Machine " + id + " doesn't exist");
    } else if (auto uuid = ctx.text("machine") ? ctx.text("machine") : ctx.text("machine_id")) {
        m = ctx.w.find_machine_by_mist_id(*uuid);
        if (!m) throw not_found("Machine " + *uuid + " doesn't exist");
        b = m->owner;
    } else {
        auto cloud = ctx.text("cloud_id");
        if (!cloud) throw required_parameter("cloud");
        auto external = ctx.text("external_id");
        if (!external) throw required_parameter("external_id");
        b = ctx.w.find_backend(*cloud);
        m = b ? ctx.w.find_machine(*b, *external) : nullptr;
        if (!m) throw not_found("Machine " + *external + " doesn't exist");
    }
    if (ctx.w.state_of(*m) == machine_state::terminated) throw not_found("Machine " + m->provider_id + " doesn't exist");
    script_run& run = ctx.w.start_script_run(s, *b, *m, ctx.text("params").value_or(""));
    json::object out{{"job_id", run.job_id}};
    if (ctx.e == era::v1) out["job"] = "run_script";
    return json_response(out);
}

}  // namespace mistasync::sim::handlers
