// Stored scripts: list-scripts, add-script, remove-script, and run-script, whose exit
// status is the script's own when it is waited for and fails.
#include "cli.hpp"
#include "commands.hpp"
#include "lookup.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace mistcli {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

json::value script_json(const mistasync::script& s) {
    return json::object{{"id", s.id},         {"name", s.name},       {"description", s.description},
                        {"location_type", s.location_type}, {"exec_type", s.exec_type}, {"source", s.source},
                        {"entrypoint", s.entrypoint}};
}

}  // namespace

// A script by id or name (exactly one).
awaitable<mistasync::script> find_script(context& c, const std::string& ref) {
    co_return by_id_or_name(co_await c.mist.scripts(), ref, "script", [](const mistasync::script& s) { return s.name; });
}

awaitable<int> list_scripts_command(context& c) {
    auto all = co_await c.mist.scripts();
    if (c.json) {
        json::array out;
        for (auto& s : all) out.push_back(script_json(s));
        print_json(out);
        co_return ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto& s : all) rows.push_back({s.name, s.id, s.location_type, s.exec_type, s.description});
    print_table({"NAME", "ID", "LOCATION", "TYPE", "DESCRIPTION"}, rows);
    co_return ok;
}

// add-script --name N (--file F | --script-url U | --github REPO [--entrypoint E]) [--ansible] [--description D]
awaitable<int> add_script_command(context& c) {
    mistasync::script_spec spec;
    spec.name = c.args.required(opt::name);
    int sources = c.args.has(opt::file) + c.args.has(opt::script_url) + c.args.has(opt::github);
    if (sources != 1) throw usage_failure("add-script needs exactly one of --file FILE, --script-url URL, --github OWNER/REPO");
    if (c.args.has(opt::file)) {
        spec.script = read_text_file(c.args.required(opt::file), "--file");
    } else if (c.args.has(opt::script_url)) {
        spec.location_type = "url";
        spec.script = c.args.required(opt::script_url);
    } else {
        spec.location_type = "github";
        spec.script = c.args.required(opt::github);
        spec.entrypoint = c.args.get(opt::entrypoint);
    }
    if (c.args.has(opt::ansible)) spec.exec_type = "ansible";
    spec.description = c.args.get(opt::description);
    auto s = co_await c.mist.add_script(spec);
    if (c.json) print_json(script_json(s));
    else std::printf("added script %s (%s)\n", terminal_safe_line(s.name).c_str(), terminal_safe_line(s.id).c_str());
    co_return ok;
}

awaitable<int> remove_script_command(context& c) {
    auto s = co_await find_script(c, c.args.subject("SCRIPT"));
    co_await c.mist.remove_script(s.id);
    if (c.json) print_json(json::object{{"id", s.id}, {"removed", true}});
    else std::printf("removed script %s (%s)\n", terminal_safe_line(s.name).c_str(), terminal_safe_line(s.id).c_str());
    co_return ok;
}

// run-script MACHINE --script-id ID [--params P] [--su] [--backend B] [--wait [--deadline S]]
awaitable<int> run_script_command(context& c) {
    auto m = co_await find_machine(c, c.args.subject("MACHINE"));
    auto s = co_await find_script(c, c.args.required(opt::script_id));
    mistasync::script_run_options o;
    o.params = c.args.get(opt::params);
    o.su = c.args.has(opt::su);
    std::string job_id = co_await m.run_script(s.id, o);
    if (!c.args.has(opt::wait)) {
        if (c.json) print_json(json::object{{"job_id", job_id}});
        else std::printf("%s\n", terminal_safe_line(job_id).c_str());
        co_return ok;
    }
    mistasync::job j = co_await c.mist.wait_for_job(job_id, cli_wait_policy(c));
    std::optional<mistasync::script_result> result;
    if (const mistasync::script_result* r = j.script_of(m.id)) result = *r;
    else result = mistasync::script_result{.machine_id = m.id, .finished = true, .exit_code = -255,
                                                   .error = j.error.empty() ? "the job ended without running the script" : j.error};
    if (c.json) {
        json::object out = to_json(*result).as_object();
        out["job_id"] = job_id;
        print_json(out);
    } else {
        std::printf("%s on %s (job %s):\n", terminal_safe_line(s.name).c_str(), terminal_safe_line(m.name).c_str(), terminal_safe_line(job_id).c_str());
        print_script_result(*result);
    }
    co_return result->succeeded() ? ok : script_exit_status(*result);
}

}  // namespace mistcli
